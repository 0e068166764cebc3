"""A workspace's road network in the workbench (issue 20): attach an extract on the Data page, plan a full day on
Monaco's roads, edit speeds, remove it; the shared sample keeps straight lines.

Monaco: tests/data/osm/monaco.osm.pbf, OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from app_pages import open_app
from monaco import CUSTOMERS, DELIVERY_DAY, MONACO_PBF, ORDERS, build_monaco_workspace

from opscore.delivery_tables import DeliveryTables
from opscore.geo import haversine_km
from opscore.routing import DayPlanSettings, RoadNetwork, plan_day
from opscore.routing.road_files import ROADS_META, attach_extract, detach_extract, read_setup, save_speeds
from opscore.routing.road_speeds import RoadSpeeds
from opscore.store import share_store
from opscore.workspaces import duplicate_workspace, imports_dir, roads_dir, sample_workspace


@pytest.fixture(scope="module")
def monaco_network() -> RoadNetwork:
    return RoadNetwork.from_pbf(MONACO_PBF)


def test_a_full_day_plans_on_monaco_roads(data_dir: Path, monaco_network: RoadNetwork) -> None:
    """All 25 Monaco orders planned on the roads; each leg's km is at least the straight line between its ends, and
    times along every route never go backwards."""
    ws = build_monaco_workspace(data_dir)
    tables = DeliveryTables.from_store(share_store(ws.path))
    day = plan_day(tables, DELIVERY_DAY, DayPlanSettings(), travel=monaco_network)
    assert len(day.problem.stops) == ORDERS and not day.plan.unassigned
    assert day.problem.travel is monaco_network
    p = day.problem
    lat = np.array([d.lat for d in p.depots] + [s.lat for s in p.stops])
    lon = np.array([d.lon for d in p.depots] + [s.lon for s in p.stops])
    snapped = monaco_network.snap(lat, lon)
    straight = haversine_km(snapped.lat[:, None], snapped.lon[:, None], snapped.lat[None, :], snapped.lon[None, :])
    assert np.all(p.distance >= straight - 0.01)
    for route in day.plan.routes:
        times = [route.start_time] + [t for v in route.visits for t in (v.arrival, v.service_start, v.departure)]
        assert times == sorted(times) and route.end_time >= times[-1]
    straight_day = plan_day(tables, DELIVERY_DAY, DayPlanSettings())
    assert day.plan.distance > straight_day.plan.distance  # Monaco winds far more than 1.3


def test_data_page_attaches_an_extract_from_the_imports_folder(data_dir: Path) -> None:
    """Pick the extract in the imports folder, build it: the page reports the network and the workspace records it;
    the Route map then plans on the roads and says so."""
    ws = build_monaco_workspace(data_dir)
    imports_dir(ws).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(MONACO_PBF, imports_dir(ws) / "monaco.osm.pbf")
    at = open_app("monaco", "views/data.py")
    assert any("No road network yet" in i.value for i in at.info)
    pick = next(s for s in at.selectbox if s.key == "roads_pick")
    pick.set_value(imports_dir(ws) / "monaco.osm.pbf").run()
    next(b for b in at.button if b.label == "Use this extract").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("plans on the roads of **monaco" in s.value for s in at.success)
    assert not any("No road network yet" in i.value for i in at.info)  # the tab shows the change it made
    setup = read_setup(roads_dir(ws))
    assert setup is not None and setup.name == "monaco.osm.pbf" and setup.road_km > 200
    assert share_store(ws.path).meta()[ROADS_META] == setup.marker
    at.run()
    labels = {m.label: m.value for m in at.metric}
    assert float(labels["Measured circuity"]) > 1.3 and labels["Road"] == f"{setup.road_km:,.0f} km"
    assert any("Roads of **monaco" in m.value for m in at.markdown)
    route = open_app("monaco", "views/routes.py")
    captions = " ".join(c.value for c in route.caption)
    assert "roads of monaco" in captions and "OpenStreetMap" in captions and "Measured circuity" in captions


def test_a_file_that_is_not_an_extract_changes_nothing(data_dir: Path) -> None:
    ws = build_monaco_workspace(data_dir)
    imports_dir(ws).mkdir(parents=True, exist_ok=True)
    (imports_dir(ws) / "notes.osm.pbf").write_text("this is not a map")
    at = open_app("monaco", "views/data.py")
    next(s for s in at.selectbox if s.key == "roads_pick").set_value(imports_dir(ws) / "notes.osm.pbf").run()
    next(b for b in at.button if b.label == "Use this extract").click().run()
    assert not at.exception
    assert any("is not a readable OpenStreetMap extract" in e.value and "Nothing has been changed" in e.value
               for e in at.error)
    assert not roads_dir(ws).exists() and not share_store(ws.path).meta().get(ROADS_META)


def test_the_shared_sample_keeps_straight_lines(data_dir: Path) -> None:
    at = open_app("sample", "views/data.py")
    assert any("Duplicate it" in i.value for i in at.info)
    with pytest.raises(ValueError, match="duplicate it"):
        roads_dir(sample_workspace(data_dir))
    route = open_app("sample", "views/routes.py")
    assert any("Distances and times: straight line x 1" in c.value and "at 30 km" in c.value for c in route.caption)


def test_speeds_and_removal_change_the_plan(data_dir: Path) -> None:
    """Slower residential streets lengthen the day; removing the network goes back to straight lines; a duplicate
    takes the roads along."""
    ws = build_monaco_workspace(data_dir)
    store = share_store(ws.path)
    setup = attach_extract(ws, store, MONACO_PBF, MONACO_PBF.name)
    tables = DeliveryTables.from_store(store)
    from opscore.routing.road_files import load_network

    before = plan_day(tables, DELIVERY_DAY, travel=load_network(roads_dir(ws)))
    slow = dict(RoadSpeeds().kmh) | {"residential": 10.0, "primary": 20.0, "secondary": 20.0, "tertiary": 15.0}
    after_setup = save_speeds(ws, store, RoadSpeeds(tuple(slow.items())))
    assert after_setup.marker != setup.marker and store.meta()[ROADS_META] == after_setup.marker
    after = plan_day(tables, DELIVERY_DAY, travel=load_network(roads_dir(ws)))
    assert after.plan.duration > before.plan.duration
    copy = duplicate_workspace(ws, "monaco-copy", data_dir)
    assert read_setup(roads_dir(copy)) == read_setup(roads_dir(ws))
    detach_extract(ws, store)
    assert not roads_dir(ws).exists() and store.meta()[ROADS_META] == ""
    assert CUSTOMERS == len(tables.customers)


def test_a_failed_replacement_keeps_the_old_roads(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing the new graph fails (disk full): the old network, its files and its recorded marker stay."""
    ws = build_monaco_workspace(data_dir)
    store = share_store(ws.path)
    setup = attach_extract(ws, store, MONACO_PBF, MONACO_PBF.name)

    def full_disk(self: RoadNetwork, folder: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(RoadNetwork, "save", full_disk)
    with pytest.raises(OSError, match="No space left"):
        attach_extract(ws, store, MONACO_PBF, "again.osm.pbf")
    assert read_setup(roads_dir(ws)) == setup and store.meta()[ROADS_META] == setup.marker
    assert not [p for p in roads_dir(ws).parent.iterdir() if p.name.startswith(".roads-")]


def test_the_same_extract_added_again_is_a_new_network(data_dir: Path) -> None:
    """Removed (or its folder deleted by hand) and added again: a new marker, so no cache serves the old answer."""
    ws = build_monaco_workspace(data_dir)
    store = share_store(ws.path)
    first = attach_extract(ws, store, MONACO_PBF, MONACO_PBF.name)
    shutil.rmtree(roads_dir(ws))
    second = attach_extract(ws, store, MONACO_PBF, MONACO_PBF.name)
    assert second.sha256 == first.sha256 and second.marker != first.marker


def test_places_far_from_any_road_are_named(data_dir: Path, monaco_network: RoadNetwork) -> None:
    """A stop placed 10 km out at sea joins the nearest road; the Route map warns, naming it, and says how far."""
    from dataclasses import replace

    from ui.map_background import snapping

    ws = build_monaco_workspace(data_dir)
    day = plan_day(DeliveryTables.from_store(share_store(ws.path)), DELIVERY_DAY, travel=monaco_network)
    text, warning = snapping(day.problem)
    assert warning is None and "at most" in text
    stops = (replace(day.problem.stops[0], name="Yacht <b>Lady</b>", lat=43.65, lon=7.45), *day.problem.stops[1:])
    text, warning = snapping(replace(day.problem, stops=stops))
    assert warning is not None and warning.startswith("1 place(s) are more than 200 m")
    assert "Yacht" in warning and "<b>" not in warning
