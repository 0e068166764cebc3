"""The Delivery options page says which travel model priced its options: the roads of the workspace's
OpenStreetMap extract (Monaco), or straight line x circuity at a speed (the sample, which has none)."""

from __future__ import annotations

from pathlib import Path

from app_pages import open_app, plain_captions
from monaco_history import monaco_on_roads


def test_options_on_monaco_roads_say_so(data_dir: Path) -> None:
    """On the Monaco workspace with its road network, options are ranked and priced on 'roads of monaco.osm.pbf',
    from the nearest delivery due that day or, with 'Cost from route plans', from a van's round planned on the roads."""
    ws = monaco_on_roads(data_dir)
    at = open_app(ws.id, "views/delivery_options.py")
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert at.success[0].value.startswith("**Recommended:")
    assert "Distances: roads of monaco.osm.pbf (© OpenStreetMap contributors)." in plain_captions(at)
    next(t for t in at.toggle if t.label == "Cost from route plans").set_value(True).run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value["Why"].str.contains(r"to van V\d's planned round").any()
    assert "Distances: roads of monaco.osm.pbf (© OpenStreetMap contributors)." in plain_captions(at)


def test_options_on_the_sample_say_straight_line(open_page) -> None:  # type: ignore[no-untyped-def]
    """The sample has no road network: its options are priced on the straight-line model."""
    at = open_page("views/delivery_options.py")
    assert "Distances: straight line x 1.3 at 30 km/h." in plain_captions(at)
