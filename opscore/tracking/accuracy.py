"""ETA accuracy on past days: re-run the ETA engine as it would have stood h minutes before each actual
arrival (knowing only the arrivals and completions before that moment) and compare with the truth.

Reported per horizon h: mean absolute error (minutes), mean error (bias, + = ETA too late) and the share
of actual arrivals inside the ETA window that would have been promised (Hyndman & Athanasopoulos,
Forecasting: Principles and Practice, 3rd ed., section 5.8 for MAE; section 5.9 for interval coverage).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.routing import Travel, TravelModel
from opscore.timeofday import parse_hhmm
from opscore.tracking.eta import EtaSettings, leg_minutes, project

HORIZONS = (15, 30, 60, 120, 240)
"""Minutes ahead of the actual arrival at which the ETA is evaluated."""


def _minutes(t: pd.Series) -> npt.NDArray[np.float64]:
    minutes: npt.NDArray[np.float64] = ((t - t.dt.normalize()).dt.total_seconds() / 60.0).to_numpy(float)
    return minutes


def eta_errors(*, deliveries: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame, vehicles: pd.DataFrame,
               sites: pd.DataFrame, travel: Travel | None = None, settings: EtaSettings | None = None,
               horizons: Sequence[int] = HORIZONS, start: date | None = None, end: date | None = None) -> pd.DataFrame:
    """One row per past attempt and horizon: eta, window, actual (minutes from midnight) and the error."""
    travel, settings = travel or TravelModel(), settings or EtaSettings()
    if not horizons or min(horizons) <= 0:
        raise ValueError("horizons must be positive minutes, e.g. (15, 30, 60)")
    h = deliveries[deliveries["actual_arrival"].notna()]
    day = pd.to_datetime(h["planned_date"]).dt.date
    if start is not None:
        h = h[day >= start]
    if end is not None:
        h = h[pd.to_datetime(h["planned_date"]).dt.date <= end]
    if h.empty:
        raise ValueError("no past deliveries with an actual arrival in the chosen dates; widen the dates")
    h = (h.merge(orders[["order_id", "customer_id"]], on="order_id")
          .merge(customers[["customer_id", "lat", "lon", "service_minutes", "window_start"]], on="customer_id")
          .merge(vehicles[["vehicle_id", "type", "shift_start", "depot_id"]], on="vehicle_id")
          .merge(sites[["site_id", "lat", "lon"]].rename(columns={"lat": "dlat", "lon": "dlon"}),
                 left_on="depot_id", right_on="site_id"))
    h = h.sort_values(["planned_date", "vehicle_id", "planned_arrival"])
    h["planned_m"] = _minutes(pd.to_datetime(h["planned_arrival"]))
    h["actual_m"] = _minutes(pd.to_datetime(h["actual_arrival"])) + \
        (pd.to_datetime(h["actual_arrival"]).dt.normalize() - pd.to_datetime(h["planned_arrival"]).dt.normalize()
         ).dt.total_seconds().to_numpy() / 60.0
    h["ws_m"] = [parse_hhmm(w) for w in h["window_start"]]
    h["shift_m"] = [parse_hhmm(w) for w in h["shift_start"]]
    rows = []
    for (_, van), g in h.groupby(["planned_date", "vehicle_id"], sort=False):
        lat, lon = g["lat"].to_numpy(float), g["lon"].to_numpy(float)
        prof = str(g["type"].iloc[0])
        legs = [float(leg_minutes(travel, prof, g["dlat"].iloc[0], g["dlon"].iloc[0], lat[0], lon[0])),
                *leg_minutes(travel, prof, lat[:-1], lon[:-1], lat[1:], lon[1:]).tolist()]
        planned, ws = g["planned_m"].tolist(), g["ws_m"].tolist()
        service, actual = g["service_minutes"].astype(float).tolist(), g["actual_m"].tolist()
        done_at = [a + s for a, s in zip(actual, service)]
        ids = g["delivery_id"].tolist()
        for k in range(len(g)):
            for hz in horizons:
                now = actual[k] - hz
                done = [i for i in range(k) if done_at[i] <= now]
                at = [i for i in range(k) if actual[i] <= now < done_at[i]]
                if at:
                    a = at[-1]
                    t0, first, lo, at_first = actual[a], 0.0, a, True
                elif done:
                    j = done[-1]
                    t0, first, lo, at_first = done_at[j], legs[j + 1], j + 1, False
                else:
                    t0, first, lo, at_first = max(float(g["shift_m"].iloc[0]), now), legs[0], 0, False
                etas, sds = project(t0, first, legs[lo:k + 1], planned[lo:k + 1], ws[lo:k + 1], service[lo:k + 1],
                                    now, settings, at_first)
                eta, sd = etas[-1], sds[-1]
                low, high = min(eta, max(eta - settings.z * sd, now)), eta + settings.z * sd
                rows.append((ids[k], van, hz, eta, low, high, actual[k]))
    e = pd.DataFrame(rows, columns=["delivery_id", "vehicle_id", "horizon_minutes", "eta", "eta_low", "eta_high",
                                    "actual"])
    e["error_minutes"] = e["eta"] - e["actual"]
    e["within_window"] = (e["actual"] >= e["eta_low"]) & (e["actual"] <= e["eta_high"])
    return e


def accuracy_by_horizon(errors: pd.DataFrame) -> pd.DataFrame:
    """Per horizon: attempts, mean absolute error (min), bias (min, + = ETA later than actual), share in window."""
    g = errors.groupby("horizon_minutes")
    return pd.DataFrame({
        "attempts": g.size(),
        "mean_abs_error_min": g["error_minutes"].apply(lambda x: float(np.mean(np.abs(x)))),
        "bias_min": g["error_minutes"].mean(),
        "share_within_window": g["within_window"].mean(),
    }).reset_index()
