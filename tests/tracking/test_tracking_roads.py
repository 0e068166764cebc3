"""ETAs on roads (issue 20): a van not yet left reaches its first Monaco stop after the fastest road route's minutes.

Roads: tests/data/osm/monaco.osm.pbf, OpenStreetMap data (c) OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

import pandas as pd
import pytest
from monaco import MONACO_PBF

from opscore.routing import RoadNetwork, TravelModel
from opscore.tracking import EtaSettings, eta_table
from opscore.tracking.planned_day import PlannedDay

DEPOT = (43.72846, 7.41366)
"""Riviera Fresh's depot in Fontvieille (tests/monaco.py)."""
STOPS = [(43.7396, 7.4262), (43.7436, 7.4305)]


def test_etas_follow_the_road_minutes() -> None:
    """Both ETAs equal 08:00 plus the road minutes (and 5 minutes on site at the first stop); they differ from the
    straight-line ETAs, and come in visiting order."""
    t = pd.Timestamp
    roads = RoadNetwork.from_pbf(MONACO_PBF)
    stops = pd.DataFrame({"vehicle_id": ["V1", "V1"], "sequence": [1, 2], "order_id": ["OA", "OB"],
                          "customer_id": ["CA", "CB"], "name": ["Alpha", "Beta"], "lat": [p[0] for p in STOPS],
                          "lon": [p[1] for p in STOPS], "planned_arrival": [t("2026-11-02 08:00")] * 2,
                          "service_minutes": [5.0, 5.0], "window_start": [t("2026-11-02 08:00")] * 2,
                          "window_end": [t("2026-11-02 12:00")] * 2})
    vans = pd.DataFrame({"vehicle_id": ["V1"], "profile": ["van"], "depot_lat": [DEPOT[0]], "depot_lon": [DEPOT[1]],
                         "planned_departure": [t("2026-11-02 08:00")]})
    day = PlannedDay(t("2026-11-02").date(), stops, vans)
    events = pd.DataFrame(columns=["event_id", "vehicle_id", "order_id", "kind", "ts", "lat", "lon"])
    settings = EtaSettings(keep_to_plan=False)
    on_roads = eta_table(day, events, "2026-11-02 08:00", roads, settings)
    _, minutes = roads.legs([DEPOT[0], STOPS[0][0]], [DEPOT[1], STOPS[0][1]], [STOPS[0][0], STOPS[1][0]],
                            [STOPS[0][1], STOPS[1][1]], "van")
    start = t("2026-11-02 08:00")
    assert on_roads["eta"].iloc[0] == pytest.approx(start + pd.Timedelta(minutes=float(minutes[0])),
                                                    abs=pd.Timedelta(seconds=1))
    assert on_roads["eta"].iloc[1] == pytest.approx(start + pd.Timedelta(minutes=float(minutes.sum()) + 5),
                                                    abs=pd.Timedelta(seconds=1))
    straight = eta_table(day, events, "2026-11-02 08:00", TravelModel(), settings)
    assert (on_roads["eta"] != straight["eta"]).all()
