"""Forecast runs in the store (tables forecast_runs / forecast_values) and their accuracy over time:
once actuals arrive, each past run is scored per series, so growing errors can be spotted."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from opscore.forecast.batch import REPLAY_ORIGINS, REPLAY_POOL, Progress, replay
from opscore.forecast.censor import aggregate_censored, censored_matrix
from opscore.forecast.demand import drivers_long, sales_long
from opscore.forecast.plan import forecast_plan
from opscore.forecast.series import normalise_freq
from opscore.store import Store
from opscore.store.aggregates import stockout_days

VALUE_COLUMNS = ("unique_id", "ds", "mean", "lo80", "hi80", "lo95", "hi95", "model", "level")
SERIES_COLUMNS = ("unique_id", "level", "model", "global_weight", "mase", "rmsse", "smape", "coverage80", "coverage95",
                  "censored", "reason")
"""Columns of the forecast_series table a demand plan fills (besides run_id)."""
PLAN_NOTE = "Demand plan"
"""The notes of a run made by :func:`run_plan`."""
REPLAY_WEEKS = (12, 8, 4)
"""How many weeks before the last week of sales :func:`replay_recent` forecasts from, one run per cut-off."""
REPLAY_HORIZON = 4
"""Weeks each replayed run forecasts (so the latest cut-off's run is scored on the last 4 weeks of sales)."""
WORSENING_HEADINGS = {"unique_id": "SKU", "earlier_mae": "Earlier error (units)",
                      "latest_mae": "Latest error (units)", "change": "Change"}
"""Headings of the :func:`worsening` columns shown (change is a share, shown as a percentage)."""


def save_run(store: Store, values: pd.DataFrame, params: dict[str, Any], notes: str | None = None,
             created_at: datetime | None = None, series: pd.DataFrame | None = None) -> str:
    """Store a batch forecast (the long frame from ``forecast_many``) as one run; returns its run_id.

    ``params`` (horizon, frequency, method, ...) are kept as JSON. ``created_at`` defaults to now. ``series``: how
    each series was forecast (:data:`SERIES_COLUMNS`), kept in forecast_series.
    """
    missing = [c for c in ("unique_id", "ds", "mean", "model") if c not in values.columns]
    if missing:
        raise ValueError(f"forecast values lack column(s) {missing}; pass the frame returned by forecast_many")
    if values.empty:
        raise ValueError("no forecast values to store")
    run_id = uuid.uuid4().hex[:12]
    run = pd.DataFrame({"run_id": [run_id], "created_at": [pd.Timestamp(created_at or datetime.now())],
                        "params_json": [json.dumps(params, sort_keys=True, default=str)], "notes": [notes]})
    rows = values[[c for c in VALUE_COLUMNS if c in values.columns]].copy()
    rows.insert(0, "run_id", run_id)
    rows["ds"] = pd.to_datetime(rows["ds"]).dt.normalize()
    with store.transaction() as w:
        w.append("forecast_runs", run)
        w.append("forecast_values", rows)
        if series is not None and not series.empty:
            kept = series[[c for c in SERIES_COLUMNS if c in series.columns]].copy()
            kept.insert(0, "run_id", run_id)
            w.append("forecast_series", kept)
    return run_id


def save_replay(store: Store, frame: pd.DataFrame, cutoffs: Sequence[pd.Timestamp], horizon: int, freq: str,
                params: dict[str, Any] | None = None, **options: Any) -> pd.DataFrame:
    """Forecast every series of ``frame`` (unique_id, ds, y) as of each past cut-off with
    :func:`opscore.forecast.batch.replay` and store each as a run created at its cut-off, so its accuracy
    against what sold since can be tracked at once. ``params`` are kept with each run (with freq, horizon,
    as_of and the replay's model pool); ``options`` go to ``replay`` (n_jobs, progress, client).

    Returns one row per stored run, oldest first: run_id, as_of, series.
    """
    runs = replay(frame, sorted(pd.Timestamp(c) for c in cutoffs), horizon, freq=freq, **options)
    rows = []
    for cutoff, values in runs.items():
        kept = {**(params or {}), "freq": freq, "horizon": horizon, "method": "auto", "as_of": f"{cutoff:%Y-%m-%d}",
                "replay": {"models": list(REPLAY_POOL), "backtest_origins": REPLAY_ORIGINS}}
        run_id = save_run(store, values, kept, notes="Replayed past run", created_at=cutoff.to_pydatetime())
        rows.append({"run_id": run_id, "as_of": cutoff, "series": values["unique_id"].nunique()})
    return pd.DataFrame(rows, columns=["run_id", "as_of", "series"])


def list_runs(store: Store) -> pd.DataFrame:
    """Stored runs, newest first: run_id, created_at, params (dict), notes, series, first_ds, last_ds."""
    runs = store.table("forecast_runs", order_by=["created_at"])
    if runs.empty:
        return pd.DataFrame(columns=["run_id", "created_at", "params", "notes", "series", "first_ds", "last_ds"])
    values = store.table("forecast_values", columns=["run_id", "unique_id", "ds", "level"])
    values = values[values["level"].isna() | (values["level"] == "sku")]
    span = values.groupby("run_id").agg(series=("unique_id", "nunique"), first_ds=("ds", "min"), last_ds=("ds", "max"))
    runs["params"] = runs["params_json"].map(json.loads)
    out = runs.drop(columns="params_json").join(span, on="run_id")
    return out.sort_values("created_at", ascending=False).reset_index(drop=True)


def run_values(store: Store, run_id: str | list[str] | None = None) -> pd.DataFrame:
    """Forecast values of one run, several, or all (with the run's created_at)."""
    where = {"run_id": run_id} if run_id is not None else None
    values = store.table("forecast_values", where=where)
    runs = store.table("forecast_runs", columns=["run_id", "created_at"])
    return values.merge(runs, on="run_id", how="left")


def accuracy_by_run(values: pd.DataFrame, actuals: pd.DataFrame) -> pd.DataFrame:
    """Score stored forecasts against the actuals that have arrived since (``actuals``: unique_id, ds, y,
    at the run's frequency, 0 for periods without sales).

    One row per run and series: created_at, periods scored, mae and bias (units/period), wape (% of
    actual volume: sum |e| / sum y, Kolassa & Schütz 2007), coverage80 (0-1), abs_error and actual totals (units).
    """
    joined = values.merge(actuals, on=["unique_id", "ds"], how="inner")
    if joined.empty:
        return pd.DataFrame(columns=["run_id", "created_at", "unique_id", "periods", "mae", "bias", "wape",
                                     "coverage80"])
    joined["abs_err"] = (joined["mean"] - joined["y"]).abs()
    joined["err"] = joined["mean"] - joined["y"]
    joined["inside80"] = (joined["y"] >= joined["lo80"]) & (joined["y"] <= joined["hi80"]) \
        if "lo80" in joined else np.nan
    g = joined.groupby(["run_id", "created_at", "unique_id"], sort=True)
    out = g.agg(periods=("y", "size"), mae=("abs_err", "mean"), bias=("err", "mean"), abs_error=("abs_err", "sum"),
                actual=("y", "sum"), coverage80=("inside80", "mean")).reset_index()
    out["wape"] = 100 * out["abs_error"] / out["actual"].where(out["actual"] > 0)
    return out


def overall_by_run(accuracy: pd.DataFrame) -> pd.DataFrame:
    """Accuracy of each run over all series (volume-weighted WAPE), oldest first, for a trend chart."""
    if accuracy.empty:
        return pd.DataFrame(columns=["run_id", "created_at", "series", "wape", "mae", "coverage80"])
    g = accuracy.groupby(["run_id", "created_at"])
    out = g.agg(series=("unique_id", "nunique"), mae=("mae", "mean"), coverage80=("coverage80", "mean"),
                abs_error=("abs_error", "sum"), actual=("actual", "sum")).reset_index()
    out["wape"] = 100 * out["abs_error"] / out["actual"].where(out["actual"] > 0)
    return out.sort_values("created_at").reset_index(drop=True)


def worsening(accuracy: pd.DataFrame, growth: float = 0.5, min_runs: int = 2) -> pd.DataFrame:
    """Series whose error grew: the latest run's MAE is more than ``growth`` (share) above the average
    of the earlier runs. Columns: unique_id, earlier_mae, latest_mae, change (share), runs."""
    cols = ["unique_id", "earlier_mae", "latest_mae", "change", "runs"]
    if accuracy.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for uid, part in accuracy.sort_values("created_at").groupby("unique_id"):
        if len(part) < min_runs:
            continue
        earlier, latest = float(part["mae"].iloc[:-1].mean()), float(part["mae"].iloc[-1])
        change = (latest - earlier) / earlier if earlier > 0 else (np.inf if latest > 0 else 0.0)
        if change > growth:
            rows.append({"unique_id": uid, "earlier_mae": earlier, "latest_mae": latest, "change": change,
                         "runs": len(part)})
    return pd.DataFrame(rows, columns=cols).sort_values("change", ascending=False).reset_index(drop=True)


@dataclass(frozen=True)
class RunAccuracy:
    """The stored forecast runs scored against the sales that arrived after them (see :func:`accuracy_by_run`)."""

    runs: int
    """Stored runs, scored or not."""
    per_series: pd.DataFrame
    """One row per run and series with actuals since: created_at, periods, mae, bias (units/period), wape (%),
    coverage80 (0-1), abs_error and actual (units). Empty before any such sales."""
    overall: pd.DataFrame
    """Per run over all series, oldest first (:func:`overall_by_run`)."""
    worsening: pd.DataFrame
    """Series whose error grew noticeably in the latest run (:func:`worsening`), worst first."""

    @property
    def scored(self) -> bool:
        """True once some run has actuals to be scored on."""
        return not self.per_series.empty

    def highlighted(self, n: int = 3) -> list[str]:
        """The ``n`` series whose error grew the most, to draw beside the overall trend."""
        if self.worsening.empty:
            return []
        return [str(u) for u in self.worsening["unique_id"].head(n)]


def stored_accuracy(store: Store, sales: pd.DataFrame | None = None) -> RunAccuracy:
    """Every stored run of ``store`` scored against ``sales`` (the sales table: date, sku, quantity; read from the
    store when not given) added up at the run's own frequency (its ``freq`` parameter, weekly when unset). Only the
    sales from a month before the earliest forecast period on are needed, and read."""
    runs = list_runs(store)
    first = pd.to_datetime(runs["first_ds"]).min() if not runs.empty else pd.NaT
    if pd.isna(first):
        return RunAccuracy(len(runs), pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    since = pd.Timestamp(first) - pd.Timedelta(days=31)
    if sales is None:
        last = store.latest("sales", "date")
        sales = store.table("sales", columns=["date", "sku", "quantity"],
                            between=("date", since.date(), last or since.date()))
    recent = sales[pd.to_datetime(sales["date"]) >= since]
    if recent.empty:
        return RunAccuracy(len(runs), pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    parts = []
    for f in sorted({r.get("freq", "weekly") for r in runs["params"]}):
        ids = runs.loc[runs["params"].map(lambda p, f=f: p.get("freq", "weekly") == f), "run_id"].tolist()
        parts.append(accuracy_by_run(run_values(store, ids), sales_long(recent, f)))
    acc = pd.concat(parts, ignore_index=True)
    if acc.empty:
        return RunAccuracy(len(runs), pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    return RunAccuracy(len(runs), acc, overall_by_run(acc), worsening(acc))


@dataclass(frozen=True)
class StoredRun:
    """A batch forecast kept in the store."""

    run_id: str
    """The run's id in forecast_runs."""
    series: int
    """SKUs forecast."""


def data_fingerprint(store: Store) -> str:
    """What a demand plan was made from: the fingerprints of the sales, stock history and products tables."""
    return "/".join(store.fingerprint(t) for t in ("sales", "stock_history", "products"))


def censored_periods(days: pd.DataFrame | None, frame: pd.DataFrame, freq: str) -> pd.DataFrame | None:
    """The periods of ``frame`` (unique_id, ds at ``freq``) each SKU was out of stock, from its out-of-stock days
    (sku, date as :func:`opscore.store.aggregates.stockout_days` gives them): every such day for daily periods,
    weeks or months with more than half their days out (:func:`opscore.forecast.censor.aggregate_censored`)."""
    if days is None or days.empty:
        return None
    alias = normalise_freq(freq)
    if alias == "D":
        return days.rename(columns={"sku": "unique_id", "date": "ds"})[["unique_id", "ds"]]
    skus = sorted(frame["unique_id"].unique())
    first = pd.Timestamp(days["date"].min())
    index = pd.date_range(first, pd.Timestamp(days["date"].max()), freq="D")
    flags = censored_matrix(days, skus, index)
    periods = aggregate_censored(flags, index, freq)
    rows, cols = np.nonzero(periods.censored)
    return pd.DataFrame({"unique_id": np.asarray(skus)[rows], "ds": periods.index[cols]})


def run_plan(store: Store, sales: pd.DataFrame, products: pd.DataFrame, freq: str, horizon: int,
             n_jobs: int | None = None, progress: Progress | None = None) -> StoredRun:
    """Make the demand plan (:func:`opscore.forecast.plan.forecast_plan`: every SKU with the global model in its
    automatic choice, out-of-stock days left out, categories and total reconciled) ``horizon`` periods of ``freq``
    ahead and store it as one run, which the Forecast page shows and the inventory page plans with."""
    frame = sales_long(sales, freq)
    days = stockout_days(store)
    censored = censored_periods(days, frame, freq)
    plan = forecast_plan(frame, products.set_index("sku")["category"], horizon, freq, n_jobs=n_jobs,
                         progress=progress, censored=censored, drivers=drivers_long(sales, freq))
    params = {"level": "sku", "freq": freq, "horizon": horizon, "method": "auto", "as_of": str(store.as_of()),
              "plan": {"reconciliation": plan.reconciliation, "scores": plan.scores,
                       "stock_history": days is not None, "data": data_fingerprint(store)}}
    run_id = save_run(store, plan.values, params, notes=PLAN_NOTE, series=plan.series)
    return StoredRun(run_id, int(plan.panel.summary["unique_id"].nunique()))


@dataclass(frozen=True)
class StoredPlan:
    """The latest demand plan of one frequency kept in the store."""

    run_id: str
    created_at: pd.Timestamp
    horizon: int
    """Periods ahead it forecasts."""
    reconciliation: str
    """'bottom_up' or 'mint_shrink'."""
    current: bool
    """False when sales, stock history or products changed since it was made."""
    stock_history: bool
    """Whether out-of-stock days were known (and left out) when it was made."""


def latest_plan(store: Store, freq: str) -> StoredPlan | None:
    """The latest demand plan made at ``freq``, or None when there is none."""
    runs = store.table("forecast_runs", where={"notes": PLAN_NOTE}, order_by=["created_at"])
    for row in runs.iloc[::-1].itertuples():
        params = json.loads(str(row.params_json))
        if normalise_freq(params.get("freq", "weekly")) == normalise_freq(freq):
            plan = params.get("plan", {})
            return StoredPlan(str(row.run_id), pd.Timestamp(row.created_at), int(params["horizon"]),
                              str(plan.get("reconciliation", "bottom_up")), plan.get("data") == data_fingerprint(store),
                              bool(plan.get("stock_history")))
    return None


def plan_rows(store: Store, run_id: str, unique_id: str) -> tuple[pd.DataFrame, pd.Series | None]:
    """One series of a stored plan: its forecast values (ds, mean, bounds, model, level) and how it was made (a
    forecast_series row, None when the run kept none)."""
    values = store.table("forecast_values", where={"run_id": run_id, "unique_id": unique_id}, order_by=["ds"])
    series = store.table("forecast_series", where={"run_id": run_id, "unique_id": unique_id})
    return values, (series.iloc[0] if len(series) else None)


def replay_cutoffs(long: pd.DataFrame, weeks: Sequence[int] = REPLAY_WEEKS) -> list[pd.Timestamp]:
    """The cut-offs ``weeks`` weeks before the last period of ``long`` (unique_id, ds, y), in the order given."""
    last = pd.Timestamp(long["ds"].max())
    return [last - pd.Timedelta(weeks=w) for w in weeks]


def replay_recent(store: Store, sales: pd.DataFrame, weeks: Sequence[int] = REPLAY_WEEKS,
                  horizon: int = REPLAY_HORIZON, n_jobs: int | None = None,
                  progress: Progress | None = None) -> pd.DataFrame:
    """Forecast every SKU's weekly sales as if it were ``weeks`` weeks ago, ``horizon`` weeks ahead each, and
    store one run per cut-off (:func:`save_replay`), so their accuracy shows at once.

    Returns one row per stored run, oldest first: run_id, as_of, series.
    """
    long = sales_long(sales, "weekly")
    return save_replay(store, long, replay_cutoffs(long, weeks), horizon, "weekly", params={"level": "sku"},
                       n_jobs=n_jobs, progress=progress)
