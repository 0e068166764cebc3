"""The Compliance page says which travel model its drivers' hours used: the roads of the workspace's OpenStreetMap
extract (Monaco), or straight line x circuity at the page's average speed (the sample, which has none)."""

from __future__ import annotations

from pathlib import Path

from app_pages import open_app, plain_captions
from monaco_history import monaco_on_roads


def test_hours_on_monaco_roads_say_so(data_dir: Path) -> None:
    """On the Monaco workspace with its road network, the drivers' hours are driven on 'roads of monaco.osm.pbf';
    changing the average speed does not change that."""
    ws = monaco_on_roads(data_dir)
    at = open_app(ws.id, "views/compliance.py")
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert "Driving hours: roads of monaco.osm.pbf (© OpenStreetMap contributors)." in plain_captions(at)
    next(n for n in at.number_input if n.label == "Average van speed (km/h)").set_value(15.0).run()
    assert not at.exception
    assert "Driving hours: roads of monaco.osm.pbf (© OpenStreetMap contributors)." in plain_captions(at)


def test_hours_on_the_sample_say_straight_line(open_page) -> None:  # type: ignore[no-untyped-def]
    """The sample has no road network: its hours are straight line x 1.3 at the page's average speed."""
    at = open_page("views/compliance.py")
    assert "Driving hours: straight line x 1.3 at 40 km/h." in plain_captions(at)
    next(n for n in at.number_input if n.label == "Average van speed (km/h)").set_value(15.0).run()
    assert "Driving hours: straight line x 1.3 at 15 km/h." in plain_captions(at)
