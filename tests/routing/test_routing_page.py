"""The Route map page (AppTest) and the offline, escaped folium map it draws."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from opscore.routing import solve
from opscore.routing.from_tables import build_problem, delivery_dates, stops_for_day
from opscore.viz.routing import route_map


@pytest.fixture
def day(sample_store):  # type: ignore[no-untyped-def]
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "customers", "vehicles", "sites")}
    d = delivery_dates(t["orders"], sample_store.as_of())[0]
    return build_problem(stops_for_day(t["orders"], t["order_lines"], t["products"], t["customers"], d),
                         t["vehicles"], t["sites"])


def test_map_is_offline_and_popups_show_script_names_as_text(day) -> None:  # type: ignore[no-untyped-def]
    """No CDN script or stylesheet; a customer named <script> appears only escaped inside JSON strings."""
    evil = replace(day, stops=(replace(day.stops[0], name="<script>alert(1)</script>`${alert(2)}`"), *day.stops[1:]))
    plan = solve(evil, time_limit=0.5)
    html = route_map(evil, plan, tiles=False).get_root().render()
    assert not re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"https?://", html)
    assert "<script>alert" not in html
    popups = [json.loads(s) for s in re.findall(r"bindPopup\((\"(?:[^\"\\]|\\.)*\")", html)]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in p for p in popups)
    assert len(popups) == len(evil.stops) + len(evil.depots)


def test_map_marks_unassigned_stops_and_serves_leaflet_locally(day) -> None:  # type: ignore[no-untyped-def]
    """Every route gets a line; an order heavier than any van gets a '!' marker with its reason;
    Leaflet comes from the given local URL."""
    day = replace(day, stops=(replace(day.stops[0], demand_kg=10_000.0), *day.stops[1:]))
    plan = solve(day, time_limit=0.5)
    html = route_map(day, plan, leaflet_base_url="/app/static/leaflet").get_root().render()
    assert html.count("L.polyline(") == len(plan.routes)
    assert plan.unassigned and html.count("Not planned: ") >= len(plan.unassigned)
    assert 'src="/app/static/leaflet/leaflet.js"' in html


def test_route_page_plans_compares_and_runs_a_what_if(open_page) -> None:  # type: ignore[no-untyped-def]
    """The page renders a quick plan, optimises on request (savings shown against nearest neighbour),
    lists vans, and compares a what-if (one more van)."""
    at = open_page("views/routes.py")
    assert at.title[0].value == "Route map"
    assert [m.label for m in at.metric][:5] == ["Distance", "Time on the road", "Running cost",
                                                "Emissions (CO2e)", "Orders planned"]
    next(b for b in at.button if b.label == "Plan routes").click().run(timeout=120)
    assert not at.exception and not at.error
    assert at.metric[0].delta is not None and at.metric[0].delta.startswith("-")
    assert len(at.dataframe) >= 2
    change = next(s for s in at.selectbox if s.label == "Change")
    change.set_value("Add a van").run()
    next(b for b in at.button if b.label == "Compare").click().run(timeout=120)
    assert not at.exception and not at.error
    spec = at.get("plotly_chart")[0].proto.spec
    assert "Current" in spec and "Add a van" in spec


def test_route_page_checks_drivers_hours_of_the_plan(open_page, data_dir) -> None:  # type: ignore[no-untyped-def]
    """The plan shown is checked against the workspace's drivers' hours rules: within the vans' shifts it keeps the
    GB limits; with the daily driving limit edited down to 1 hour (rules are data) every van on the plan breaches
    it and the page lists them."""
    from opscore import compliance as co
    from opscore.store import open_store

    at = open_page("views/routes.py")
    assert any(c.value.startswith("Drivers' hours: every van's day") for c in at.caption)
    vans_on_plan = set(at.dataframe[0].value["vehicle_id"])
    store = open_store(data_dir / "workbench.duckdb")
    rules = co.rules_from(store.table("compliance_rules"))
    rules.loc[rules["rule_id"] == "GB-HRS-DRIVE", "threshold"] = 1.0
    co.save_rules(store, rules)
    store.close()
    at.run()
    assert not at.exception
    warning = next(w.value for w in at.warning if w.value.startswith("Drivers' hours:"))
    assert f"{len(vans_on_plan)} breach(es)" in warning
    table = next(d.value for d in at.dataframe if "Rule" in d.value.columns)
    assert set(table["Van"]) == vans_on_plan


def test_a_slower_van_type_lengthens_the_day(open_page) -> None:  # type: ignore[no-untyped-def]
    """Large vans at 15 km/h instead of the 30 km/h average make the planned time on the road longer; 0 restores it."""
    at = open_page("views/routes.py")

    def hours() -> float:
        return float(next(m for m in at.metric if m.label == "Time on the road").value.split()[0].replace(",", ""))

    before = hours()
    at.number_input(key="type_speed_large van").set_value(15).run()
    assert not at.exception and hours() > before
    at.number_input(key="type_speed_large van").set_value(0).run()
    assert hours() == before
