"""Rush hour in the ETAs: the same remaining legs take longer from 08:00 than from 10:00."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from opscore.routing import RushHour, TravelModel
from opscore.tracking import EtaSettings, eta_table
from opscore.tracking.eta import project
from opscore.tracking.planned_day import PlannedDay

RUSH = EtaSettings(rush=RushHour())  # 07:00-10:00 and 16:00-19:00 at 80 % speed


def _etas(t0: float, settings: EtaSettings) -> list[float]:
    """Two remaining 20-minute legs with 5 minutes on site, the van setting off at ``t0``."""
    etas, _ = project(t0, 20.0, [0.0, 20.0], [0.0, 0.0], [0.0, 0.0], [5.0, 5.0], t0, settings)
    return [e - t0 for e in etas]


def test_eta_is_later_at_0800_than_at_1000() -> None:
    """From 08:00 each 20-minute leg takes 25 minutes at 80 % speed; from 10:00 the legs take 20, as without rush
    hour."""
    assert _etas(480.0, RUSH) == pytest.approx([25.0, 55.0])
    assert _etas(600.0, RUSH) == pytest.approx([20.0, 45.0]) == _etas(600.0, EtaSettings())
    assert _etas(480.0, EtaSettings()) == pytest.approx([20.0, 45.0])


def test_eta_table_applies_the_rush_hour_to_the_remaining_legs() -> None:
    """A van with one stop 20 km away (20 minutes at 60 km/h) that has not left yet: at 08:00 the ETA is 08:25 with
    rush hour, 08:20 without; the uncertainty window widens with the longer leg."""
    t = pd.Timestamp
    stops = pd.DataFrame({"vehicle_id": ["V1"], "sequence": [1], "order_id": ["OA"], "customer_id": ["CA"],
                          "name": ["Alpha"], "lat": [53.0 + 20 / 111.19508], "lon": [-1.5],
                          "planned_arrival": [t("2026-11-02 08:00")], "service_minutes": [5.0],
                          "window_start": [t("2026-11-02 08:00")], "window_end": [t("2026-11-02 12:00")]})
    vans = pd.DataFrame({"vehicle_id": ["V1"], "profile": ["van"], "depot_lat": [53.0], "depot_lon": [-1.5],
                         "planned_departure": [t("2026-11-02 08:00")]})
    day = PlannedDay(pd.Timestamp("2026-11-02").date(), stops, vans)
    events = pd.DataFrame(columns=["event_id", "vehicle_id", "order_id", "kind", "ts", "lat", "lon"])
    travel = TravelModel(circuity=1.0, default_speed_kmh=60.0)
    flat = eta_table(day, events, "2026-11-02 08:00", travel, replace(RUSH, rush=None)).iloc[0]
    rush = eta_table(day, events, "2026-11-02 08:00", travel, RUSH).iloc[0]
    assert flat["eta"] == t("2026-11-02 08:20") and rush["eta"] == t("2026-11-02 08:25")
    assert rush["eta_high"] - rush["eta"] > flat["eta_high"] - flat["eta"]
    with pytest.raises(ValueError, match="must be a RushHour"):
        EtaSettings(rush=0.8)  # type: ignore[arg-type]
