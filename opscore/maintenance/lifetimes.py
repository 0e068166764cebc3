"""Lifetimes (failed or still running) per asset from the asset register and its maintenance events.

A lifetime starts at installation or at the last renewal and ends at the next failure (observed) or at the
as-of date (right-censored: the asset is still running). A repaired failure renews the asset ("as good as
new"). Planned services renew it only if ``service_renews=True``; otherwise they are treated as minor work
that does not reset wear (the usual case for inspections and oil changes).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from opscore.maintenance.weibull import WeibullFit, fit_weibull

ASSET_COLUMNS = ("asset_id", "type", "install_date")
EVENT_COLUMNS = ("asset_id", "date", "kind")


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it needs {list(columns)}.")


def _check_events(assets: pd.DataFrame, events: pd.DataFrame, as_of: date) -> pd.DataFrame:
    _require(assets, ASSET_COLUMNS, "assets")
    _require(events, EVENT_COLUMNS, "maintenance_events")
    unknown = sorted(set(events["asset_id"]) - set(assets["asset_id"]))
    if unknown:
        raise ValueError(f"maintenance_events mention asset(s) {unknown[:5]} that are not in the asset register.")
    ev = events.assign(date=pd.to_datetime(events["date"]))
    installed = assets.set_index("asset_id")["install_date"].pipe(pd.to_datetime)
    early = ev[ev["date"] < ev["asset_id"].map(installed)]
    if len(early):
        row = early.iloc[0]
        raise ValueError(f"maintenance event on {row['date']:%Y-%m-%d} for asset {row['asset_id']} is before its "
                         f"install date {installed[row['asset_id']]:%Y-%m-%d}; fix the date or the install date.")
    late = ev[ev["date"] > pd.Timestamp(as_of)]
    if len(late):
        raise ValueError(f"{len(late)} maintenance event(s) are after the as-of date {as_of:%Y-%m-%d} "
                         f"(first: asset {late.iloc[0]['asset_id']} on {late.iloc[0]['date']:%Y-%m-%d}).")
    return ev


def extract_lifetimes(assets: pd.DataFrame, events: pd.DataFrame, as_of: date,
                      service_renews: bool = False) -> pd.DataFrame:
    """One row per lifetime: ``asset_id, type, start, end, duration_days, failed``.

    The last lifetime of each asset runs to ``as_of`` and is censored (``failed=False``). With
    ``service_renews=True`` a planned service also ends a lifetime, as a censored one.
    """
    ev = _check_events(assets, events, as_of)
    ends = {"failure"} | ({"preventive"} if service_renews else set())
    by_asset = {k: g for k, g in ev[ev["kind"].isin(ends)].sort_values("date").groupby("asset_id")}
    rows = []
    for asset in assets.itertuples(index=False):
        start = pd.Timestamp(asset.install_date)
        mine = by_asset.get(asset.asset_id)
        for day, kind in zip(mine["date"], mine["kind"], strict=True) if mine is not None else ():
            if day > start:
                rows.append((asset.asset_id, asset.type, start, day, kind == "failure"))
                start = day
        if pd.Timestamp(as_of) > start:
            rows.append((asset.asset_id, asset.type, start, pd.Timestamp(as_of), False))
    out = pd.DataFrame(rows, columns=["asset_id", "type", "start", "end", "failed"])
    out["duration_days"] = (out["end"] - out["start"]).dt.days.astype(float)
    return out[["asset_id", "type", "start", "end", "duration_days", "failed"]]


def current_ages(lifetimes: pd.DataFrame) -> pd.DataFrame:
    """Age since installation or last renewal on the as-of date: ``asset_id, type, renewed_on, age_days``."""
    last = lifetimes[~lifetimes["failed"]].sort_values("end").groupby("asset_id").tail(1)
    return pd.DataFrame({"asset_id": last["asset_id"].to_numpy(), "type": last["type"].to_numpy(),
                         "renewed_on": last["start"].to_numpy(), "age_days": last["duration_days"].to_numpy()})


def fit_by_type(lifetimes: pd.DataFrame, min_failures: int = 3,
                confidence: float = 0.95) -> dict[str, tuple[WeibullFit, str]]:
    """A Weibull fit per asset type, as ``{type: (fit, basis)}``.

    A type with fewer than ``min_failures`` failures borrows the fit of all assets pooled (``basis`` says
    which: "this type" or "all assets pooled"), because a shape from one or two failures is mostly noise.
    """
    if lifetimes.empty:
        raise ValueError("No lifetimes: the asset register is empty.")
    pooled: WeibullFit | None = None
    out: dict[str, tuple[WeibullFit, str]] = {}
    for kind, part in lifetimes.groupby("type"):
        if int(part["failed"].sum()) >= min_failures:
            out[str(kind)] = (fit_weibull(part["duration_days"], part["failed"], confidence), "this type")
            continue
        if pooled is None:
            pooled = fit_weibull(lifetimes["duration_days"], lifetimes["failed"], confidence)
        out[str(kind)] = (pooled, "all assets pooled")
    return out


def mean_failure_downtime(events: pd.DataFrame, assets: pd.DataFrame, default_hours: float = 24.0) -> pd.Series:
    """Mean downtime hours of past failures per asset type (``default_hours`` for a type with none)."""
    fails = events[events["kind"] == "failure"].merge(assets[["asset_id", "type"]], on="asset_id")
    by_type = fails.groupby("type")["downtime_hours"].mean()
    return pd.Series({t: float(by_type.get(t, default_hours)) for t in assets["type"].unique()}, dtype=float)

