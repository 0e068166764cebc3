"""Forecast every series of a panel at once: the global model (:mod:`opscore.forecast.global_model`) learns from
all series, then each series' automatic choice backtests it beside its own models and weights it only where it
earned it (:mod:`opscore.forecast.selection`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from opscore.forecast.api import ForecastResult, Member, forecast
from opscore.forecast.backtest import default_min_train, plan_origins
from opscore.forecast.batch import Chunk, Progress, _map_chunks, _series, _values
from opscore.forecast.censor import censored_matrix, impute
from opscore.forecast.demand import future_holidays
from opscore.forecast.global_model import GlobalForecast, GlobalSettings, Panel, fit_global
from opscore.forecast.intervals import LEVELS
from opscore.forecast.registry import GLOBAL
from opscore.forecast.series import SEASON_LENGTHS, _step, normalise_freq, prepare

DAILY_POOL: tuple[str, ...] = ("snaive", "ses", "theta")
"""Own models each regular daily series tries beside the global model: Holt and damped trend took most of the
fitting time and the global model covers trends."""
INTERMITTENT_POOL: tuple[str, ...] = ("croston", "sba", "tsb", "ses")
"""Own models each intermittent series tries beside the global model: the usual pool without naive (last value),
which on M5 won the backtest's MASE by forecasting the zeros and lost on RMSSE (500 series of store TX_2: mean MASE
0.842 and RMSSE 0.649 without it, 0.865 and 0.660 with it; docs/demand_plan.md)."""


@dataclass(frozen=True)
class PanelForecast:
    """Forecasts of every series of a panel, how each was chosen, and what the global model learnt."""

    values: pd.DataFrame
    """Long frame: unique_id, ds, mean, lo80, hi80, lo95, hi95, model (units per period)."""
    summary: pd.DataFrame
    """One row per series: unique_id, model, global_weight (0-1), mase, rmsse, smape, coverage80, coverage95
    (backtest of the chosen forecast), censored (out-of-stock periods), reason, notes."""
    backtest: pd.DataFrame
    """The chosen forecast's backtest: unique_id, origin, ds, actual, mean, lo80, hi80, lo95, hi95."""
    importance: pd.Series | None
    """Share of the global model's gain per feature; None when it could not be trained."""
    seconds: dict[str, float]
    """Wall seconds of each stage: global, series."""


def panel_of(series: Chunk, freq: str | None, season_length: int | None, horizon: int,
             censored: pd.DataFrame | None = None, drivers: pd.DataFrame | None = None
             ) -> tuple[Panel, list[tuple[str, pd.Series, pd.Series | None]]]:
    """The series on one calendar (each filled to the last period of any series; no row = nothing sold), and
    each series as prepared for its own models with its out-of-stock flags (``censored``: unique_id, ds of
    the periods whose demand was not seen; the panel holds an estimate of their demand). ``drivers``
    (unique_id, ds, promotion share 0-1, price) over the history: ahead, no promotion and the last price."""
    prepared = [(uid, prepare(y, season_length, freq, uid)) for uid, y in series]
    alias = prepared[0][1].freq
    if alias is None or any(p.freq != alias for _, p in prepared):
        raise ValueError("every series needs dates at one frequency (daily, weekly or monthly); pass freq")
    m = season_length or SEASON_LENGTHS.get(alias, 1)
    first = min(p.index[0] for _, p in prepared if p.index is not None)
    last = max(p.index[-1] for _, p in prepared if p.index is not None)
    calendar = pd.date_range(first, last, freq=_step(alias))
    y = np.zeros((len(prepared), len(calendar)))
    start = np.zeros(len(prepared), np.int64)
    for row, (uid, p) in enumerate(prepared):
        assert p.index is not None
        at = calendar.get_indexer(p.index)
        if (at < 0).any():
            raise ValueError(f"{uid}: its periods do not line up with the other series' (weeks must end on the "
                             "same weekday)")
        y[row, at] = p.values
        start[row] = at[0]
    flags = None
    if censored is not None and not censored.empty:
        flags = censored_matrix(censored.rename(columns={"unique_id": "sku", "ds": "date"}),
                                [uid for uid, _ in prepared], calendar)
        flags &= np.arange(len(calendar)) >= start[:, None]
    demand = impute(y, flags, m) if flags is not None and flags.any() else y
    own = [(uid, pd.Series(y[row, start[row]:], calendar[start[row]:]),
            pd.Series(flags[row, start[row]:], calendar[start[row]:]) if flags is not None and flags[row].any()
            else None) for row, (uid, _) in enumerate(prepared)]
    ahead = pd.DatetimeIndex(calendar.append(pd.date_range(calendar[-1], periods=horizon + 1, freq=_step(alias))[1:]))
    holidays = future_holidays(ahead, alias).to_numpy(float)
    promotion, price = _drivers(drivers, [uid for uid, _ in prepared], calendar, horizon)
    return Panel(demand, pd.DatetimeIndex(calendar, freq=calendar.freq), m, start, censored=flags,
                 holidays=holidays, promotion=promotion, price=price), own


def _drivers(drivers: pd.DataFrame | None, ids: list[str], calendar: pd.DatetimeIndex,
             horizon: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Promotion share and price per series and period over the history and ``horizon`` periods ahead: ahead,
    no promotion (what-ifs add them) and each series' last known price; days without a price carry the last one."""
    if drivers is None or drivers.empty:
        return None, None
    rows = pd.Index(ids).get_indexer(drivers["unique_id"].astype(str))
    cols = calendar.get_indexer(pd.DatetimeIndex(pd.to_datetime(drivers["ds"])))
    ok = (rows >= 0) & (cols >= 0)
    shape = (len(ids), len(calendar) + horizon)
    promotion = np.zeros(shape)
    price = np.full(shape, np.nan)
    if "promotion" in drivers:
        promotion[rows[ok], cols[ok]] = drivers["promotion"].to_numpy(float)[ok]
    if "price" in drivers:
        price[rows[ok], cols[ok]] = drivers["price"].to_numpy(float)[ok]
        price = pd.DataFrame(price.T).ffill().to_numpy().T
    return promotion, (price if "price" in drivers else None)


def _members(g: GlobalForecast, panel: Panel, row: int) -> dict[str, Member]:
    """The global model's forecasts of one series, keyed by that series' own backtest origins."""
    return {GLOBAL: Member(g.backtest_predictions(row, int(panel.start[row])), g.prediction(row),
                           "global LightGBM across all series")}


Item = tuple[str, pd.Series, pd.Series | None, dict[str, Member]]
"""One series to forecast: id, sales by period, out-of-stock flags (None: none known), global member."""


def _run(chunk: list[Item], horizon: int, options: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Forecast each series of a chunk with its global member; returns (values, summary rows, backtests)."""
    values, summary, backtests = [], [], []
    for uid, y, flags, extra in chunk:
        res = forecast(y, horizon, name=uid, extra=extra, censored=flags, **options)
        values.append(_values(uid, res))
        summary.append(_summary(uid, res))
        bt = res.backtest_forecasts
        if not bt.empty:
            part = bt[bt["model"] == res.model].drop(columns="model")
            part.insert(0, "unique_id", uid)
            backtests.append(part)
    return (pd.concat(values, ignore_index=True), pd.DataFrame(summary),
            pd.concat(backtests, ignore_index=True) if backtests else pd.DataFrame())


def _summary(uid: str, res: ForecastResult) -> dict[str, Any]:
    """One series' summary row: chosen model, the global model's weight and the chosen backtest errors."""
    board = res.backtest
    chosen = board[board["chosen"]] if "chosen" in board else board.iloc[0:0]
    row: dict[str, Any] = {"unique_id": uid, "model": res.model,
                           "global_weight": dict(zip(res.members, res.weights, strict=True)).get(GLOBAL, 0.0)}
    for col in ("mase", "rmsse", "smape", "coverage80", "coverage95"):
        row[col] = float(chosen[col].iloc[0]) if len(chosen) and col in chosen else np.nan
    row["censored"] = int(res.censored.sum()) if res.censored is not None else 0
    row["reason"], row["notes"] = res.reason, " ".join(res.notes)
    return row


def forecast_panel(frame: pd.DataFrame, horizon: int, freq: str | None = None, season_length: int | None = None,
                   levels: tuple[int, ...] = LEVELS, n_origins: int = 4, use_global: bool = True,
                   settings: GlobalSettings | None = None, n_jobs: int | None = None,
                   progress: Progress | None = None, client: Any = None, chunk_size: int | None = None,
                   censored: pd.DataFrame | None = None, drivers: pd.DataFrame | None = None) -> PanelForecast:
    """Forecast every series of a long frame ``unique_id, ds, y`` ``horizon`` periods ahead with 80/95 %
    intervals: the global model learns from all series first (in this process), then each series' automatic
    choice runs on ``n_jobs`` local processes or a Dask ``client`` as in :func:`opscore.forecast.forecast_many`.
    Regular daily series try :data:`DAILY_POOL` beside the global model, intermittent ones
    :data:`INTERMITTENT_POOL`. ``censored`` (unique_id, ds): periods out of stock, never a training target nor
    scored, with demand estimated on them. ``drivers`` (unique_id, ds, promotion, price): features of the global
    model (ahead: no promotion, the last price). ``use_global=False`` leaves the global model out."""
    if not isinstance(horizon, int | np.integer) or horizon < 1:
        raise ValueError(f"horizon must be a whole number of periods >= 1, got {horizon!r}")
    series = _series(frame)
    if progress:
        progress(0, len(series))
    panel, own = panel_of(series, normalise_freq(freq) if freq else None, season_length, horizon, censored,
                          drivers)
    t0 = time.perf_counter()
    g = None
    if use_global:
        full = panel.periods
        origins, h_bt = plan_origins(full, horizon, n_origins, None, default_min_train(full, panel.season_length))
        g = fit_global(panel, horizon, origins, h_bt, levels, settings)
    t1 = time.perf_counter()
    options: dict[str, Any] = {"season_length": panel.season_length, "freq": freq, "levels": levels,
                               "n_origins": n_origins, "intermittent_pool": INTERMITTENT_POOL}
    if panel.season_length == 7 and panel.index.freqstr == "D":
        options["regular_pool"] = DAILY_POOL
    chunks: list[Item] = [(uid, y, flags, _members(g, panel, row) if g is not None else {})
                          for row, (uid, y, flags) in enumerate(own)]
    results = _map_chunks(_run, chunks, (horizon, options), n_jobs, chunk_size, client, progress)
    t2 = time.perf_counter()
    backtests = [r[2] for r in results if not r[2].empty]
    return PanelForecast(pd.concat([r[0] for r in results], ignore_index=True),
                         pd.concat([r[1] for r in results], ignore_index=True),
                         pd.concat(backtests, ignore_index=True) if backtests else pd.DataFrame(),
                         g.importance if g is not None else None, {"global": t1 - t0, "series": t2 - t1})
