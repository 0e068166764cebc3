"""A seeded simulated driver feed: replays a planned day with realistic delays.

Leg times are the travel model's minutes x a lognormal traffic factor (median 1, log-sd ``traffic_sd``)
plus, with probability ``incident_p``, an exponential hold-up (mean ``incident_mean`` minutes) — the
lognormal is the usual model of urban travel-time variability (Rakha et al. 2006, Transportation
Research Record 1945). Service takes the planned minutes x U(1, ``service_stretch``). ``n_failed``
random stops end in a failed attempt with a reason. Vans ping their position every ``ping_every``
minutes while driving.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from opscore.routing import Travel, TravelModel
from opscore.tracking.eta import leg_minutes
from opscore.tracking.events import EVENT_COLUMNS
from opscore.tracking.planned_day import PlannedDay

FAILURE_REASONS = ("customer absent", "site closed", "access problem", "no safe place")


def simulate_feed(day: PlannedDay, travel: Travel | None = None, *, seed: int = 0, traffic_sd: float = 0.2,
                  incident_p: float = 0.1, incident_mean: float = 15.0, service_stretch: float = 1.5,
                  n_failed: int = 1, ping_every: float = 10.0) -> pd.DataFrame:
    """Events (``delivery_events`` columns, source 'simulated') for the whole day, in time order."""
    if traffic_sd < 0 or not 0 <= incident_p <= 1 or incident_mean < 0 or service_stretch < 1 or ping_every <= 0:
        raise ValueError("simulation settings out of range: traffic_sd >= 0, incident_p in 0-1, incident_mean >= 0, "
                         "service_stretch >= 1, ping_every > 0")
    travel = travel or TravelModel()
    rng = np.random.default_rng(seed)
    n_stops = len(day.stops)
    failed = set(day.stops["order_id"].iloc[rng.choice(n_stops, size=min(n_failed, n_stops), replace=False)]) \
        if n_stops else set()
    rows: list[dict[str, object]] = []

    def add(van: str, kind: str, ts: pd.Timestamp, lat: float, lon: float, order: str | None = None,
            reason: str | None = None) -> None:
        rows.append({"event_id": f"SIM{seed}-{van}-{len(rows) + 1:04d}", "vehicle_id": van, "order_id": order,
                     "kind": kind, "ts": ts.floor("s"), "lat": round(float(lat), 5), "lon": round(float(lon), 5),
                     "reason": reason, "source": "simulated"})

    for van in day.vans.itertuples():
        stops = day.stops_of(van.vehicle_id)
        t = pd.Timestamp(van.planned_departure)
        lat0, lon0 = van.depot_lat, van.depot_lon
        add(van.vehicle_id, "departed", t, lat0, lon0)
        for s in stops.itertuples():
            base = float(leg_minutes(travel, van.profile, lat0, lon0, s.lat, s.lon))
            leg = (base * rng.lognormal(0.0, traffic_sd)
                   + (rng.exponential(incident_mean) if rng.random() < incident_p else 0.0))
            for k in np.arange(ping_every, leg, ping_every):
                f = k / leg
                add(van.vehicle_id, "ping", t + pd.Timedelta(minutes=float(k)), lat0 + f * (s.lat - lat0),
                    lon0 + f * (s.lon - lon0))
            arrival = max(t + pd.Timedelta(minutes=leg), pd.Timestamp(s.planned_arrival))
            add(van.vehicle_id, "arrived", arrival, s.lat, s.lon, s.order_id)
            start = max(arrival, pd.Timestamp(s.window_start))
            service = s.service_minutes * rng.uniform(1.0, service_stretch)
            if s.order_id in failed:
                t = start + pd.Timedelta(minutes=min(service, 5.0))
                add(van.vehicle_id, "failed", t, s.lat, s.lon, s.order_id, str(rng.choice(FAILURE_REASONS)))
            else:
                t = start + pd.Timedelta(minutes=service)
                add(van.vehicle_id, "delivered", t, s.lat, s.lon, s.order_id)
            lat0, lon0 = s.lat, s.lon
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    frame["ts"] = pd.to_datetime(frame["ts"])
    return frame.sort_values(["ts", "vehicle_id"], kind="stable").reset_index(drop=True)
