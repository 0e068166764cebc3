"""Warehouse electricity of refrigeration, estimated from the assets' daily run hours.

Assumption (stated on the page): a chiller draws ``kw`` kW of electricity while its compressor
runs, so kWh per day = rated kW x run hours that day (from ``sensor_readings.run_hours``;
``default_run_hours`` when a reading has none). Default inputs are typical of small walk-in
cold-room condensing units (about 2 kW for a chiller, 3 kW for a freezer); edit them to your
equipment's nameplate. Emissions = kWh x UK grid factor incl. losses (DESNZ 2025).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

DEFAULT_KW: dict[str, float] = {"chiller": 2.0, "freezer": 3.0}
"""Electrical input while running, kW, by asset type."""
DEFAULT_RUN_HOURS = 18.0
"""Hours run per day assumed when a reading has no run hours."""


def refrigeration_kwh(sensor_readings: pd.DataFrame, assets: pd.DataFrame,
                      kw_by_type: Mapping[str, float] = DEFAULT_KW,
                      default_run_hours: float = DEFAULT_RUN_HOURS) -> pd.DataFrame:
    """kWh per refrigeration asset per day. Columns: asset_id, type, date, run_hours, kwh."""
    bad = {k: v for k, v in kw_by_type.items() if not v >= 0}
    if bad:
        raise ValueError(f"rated power {bad} must be 0 kW or more")
    if not 0 <= default_run_hours <= 24:
        raise ValueError(f"default run hours {default_run_hours} must lie between 0 and 24")
    fridge = assets[assets["type"].isin(list(kw_by_type))][["asset_id", "type"]]
    rows = sensor_readings[["asset_id", "ts", "run_hours"]].merge(fridge, on="asset_id", how="inner")
    hours = rows["run_hours"].astype(float).fillna(default_run_hours)
    kw = rows["type"].map(kw_by_type).astype(float)
    return pd.DataFrame({"asset_id": rows["asset_id"], "type": rows["type"],
                         "date": pd.to_datetime(rows["ts"]).dt.normalize(), "run_hours": hours,
                         "kwh": kw * hours}).reset_index(drop=True)
