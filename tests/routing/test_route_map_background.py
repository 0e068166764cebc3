"""The Route and Tracking pages say truthfully what their maps are drawn on and where distances come from; street
tiles from the internet are opt-in (AppTest)."""

from __future__ import annotations

from ui.map_background import NO_ROADS, TILES_LABEL


def _captions(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in at.caption]


def test_route_page_without_roads_says_so_and_fetches_no_tiles(open_page) -> None:  # type: ignore[no-untyped-def]
    """The sample has no road network: no background, straight-line distances, the tiles toggle off."""
    at = open_page("views/routes.py")
    toggle = next(t for t in at.toggle if t.label == TILES_LABEL)
    assert toggle.value is False
    caption = next(c for c in _captions(at) if c.startswith("Map background"))
    assert caption.startswith(NO_ROADS) and "Distances and times: straight line x 1" in caption
    assert "openstreetmap" not in caption
    toggle.set_value(True).run()
    caption = next(c for c in _captions(at) if c.startswith("Map background"))
    assert "Street map tiles are fetched from openstreetmap.org" in caption


def test_route_page_on_monaco_draws_its_roads(open_monaco_page) -> None:  # type: ignore[no-untyped-def]
    """With the Monaco extract attached, the caption names it with the OpenStreetMap attribution."""
    at = open_monaco_page("views/routes.py")
    caption = next(c for c in _captions(at) if c.startswith("Map background"))
    assert caption.startswith("Map background: roads of monaco") and "© OpenStreetMap contributors" in caption
    assert "Distances and times: fastest routes on these roads." in caption
    assert "no road network" not in caption


def test_tracking_page_tiles_are_off_and_the_background_is_named(open_page) -> None:  # type: ignore[no-untyped-def]
    at = open_page("views/tracking.py")
    assert next(t for t in at.toggle if t.label == TILES_LABEL).value is False
    caption = next(c for c in _captions(at) if c.startswith(NO_ROADS))
    assert "ETAs: straight line x 1" in caption
