"""Temperature excursions: runs of consecutive readings above a limit, with their duration.

A reading stands for the time until the next reading of the same asset (the last reading for
the asset's median interval), so an excursion lasts from its first reading above the limit to
the first reading back within it (HACCP monitoring logic: Codex CXC 1-1969, Annex, principle 4).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

EXCURSION_COLUMNS = ["asset_id", "name", "type", "start", "end", "hours", "peak_c", "readings"]


def excursions(readings: pd.DataFrame, assets: pd.DataFrame, limit_c: float,
               asset_types: Sequence[str]) -> pd.DataFrame:
    """Excursions above ``limit_c`` (strictly) for assets whose type is in ``asset_types``.

    Columns: :data:`EXCURSION_COLUMNS` (hours = duration, peak_c = warmest reading).
    """
    watched = assets[assets["type"].isin(list(asset_types))][["asset_id", "name", "type"]]
    rows = readings[readings["temperature_c"].notna()].merge(watched, on="asset_id", how="inner")
    if rows.empty:
        return pd.DataFrame(columns=EXCURSION_COLUMNS)
    rows = rows.sort_values(["asset_id", "ts"], kind="stable").reset_index(drop=True)
    ts = pd.to_datetime(rows["ts"])
    step = ts.groupby(rows["asset_id"]).shift(-1) - ts
    typical = step.groupby(rows["asset_id"]).transform("median").fillna(pd.Timedelta(hours=24))
    rows["step"] = step.fillna(typical)
    above = rows["temperature_c"] > limit_c
    starts = above & ~above.groupby(rows["asset_id"]).shift(1, fill_value=False)
    rows["run"] = starts.cumsum()
    hot = rows[above]
    if hot.empty:
        return pd.DataFrame(columns=EXCURSION_COLUMNS)
    out = hot.groupby("run").agg(asset_id=("asset_id", "first"), name=("name", "first"), type=("type", "first"),
                                 start=("ts", "first"), last=("ts", "last"), last_step=("step", "last"),
                                 hours=("step", lambda s: s.sum().total_seconds() / 3600),
                                 peak_c=("temperature_c", "max"), readings=("ts", "size"))
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["last"]) + out["last_step"]
    return out[EXCURSION_COLUMNS].reset_index(drop=True)
