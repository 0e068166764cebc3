"""One gradient-boosted model trained across every series of a panel (a "global" model, as the leading M5
entries were; Makridakis, Spiliotis & Assimakopoulos 2022, "M5 accuracy competition: results, findings and
conclusions", IJF 38(4)), forecasting the whole horizon directly.

Each training row is (series i, origin o, step h): features describe the history of series i up to origin o
(rolling means, the same season position in past cycles, zeros, time since the last sale, recent promotions and
price) and the target period o + h - 1 (step, calendar, bank holiday), all divided by the series' recent mean level,
so one model serves fast and slow sellers alike. The target is the demand of that period divided by the same
level. Rows are sampled at random origins over the history (seeded), at most ``GlobalSettings.rows`` of them;
periods marked censored (out of stock) are never used as targets.

Intervals come from split conformal calibration (Vovk, Gammerman & Shafer 2005; Stankeviciute, Alaa & van der
Schaar 2021 for multi-step forecasts) on the scaled backtest errors of each step, pooled over series: the
forecast at step h is widened by the empirical quantiles of (actual - forecast) / level of the backtest at
steps near h. Backtest intervals at one origin are calibrated on the errors other origins made on periods before
it (those known at that origin).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.forecast.intervals import LEVELS, Prediction

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class GlobalSettings:
    """Size of the global model: training rows, trees and their shape (LightGBM parameters)."""

    rows: int = 100_000
    """Most training rows sampled from the panel (series x origin x step)."""
    trees: int = 150
    learning_rate: float = 0.08
    leaves: int = 31
    min_child_samples: int = 40
    objective: str = "huber"
    """LightGBM objective. Huber (squared error near the forecast, absolute beyond: robust to promotion spikes) won
    on M5 against squared error and Tweedie on both MASE and RMSSE (500 series of each store; docs/demand_plan.md)."""
    threads: int = 1
    """LightGBM threads. One: on a busy 2-core machine two OpenMP threads made training 20 times slower
    (sample, 100,000 rows: 1.6 s with one thread, 33 s with two while other work ran)."""
    seed: int = 7
    """Seed of the row sampling and of LightGBM, so the same data give the same forecast."""


@dataclass(frozen=True)
class Panel:
    """Demand of many series on one calendar, with what is known about each period.

    Series may start at different periods (``start``); values before their start are ignored. Every series
    ends at the last period of ``index``.
    """

    y: Floats
    """Demand per series and period (n x T, units); censored periods hold an estimate (see ``censored``)."""
    index: pd.DatetimeIndex
    """The T period labels (daily, weekly or monthly)."""
    season_length: int
    """Periods per seasonal cycle (7 for days, 52 for weeks, 12 for months)."""
    start: Ints
    """First period of each series (position in ``index``)."""
    censored: npt.NDArray[np.bool_] | None = None
    """True where demand was not seen (out of stock): never a training target (n x T)."""
    holidays: Floats | None = None
    """Bank holidays per period over the history and the horizon (T + horizon)."""
    promotion: Floats | None = None
    """Share of each period on promotion per series over the history and the horizon (n x (T + horizon))."""
    price: Floats | None = None
    """Selling price per series and period over the history and the horizon (n x (T + horizon), NaN unknown)."""

    @property
    def n(self) -> int:
        return int(self.y.shape[0])

    @property
    def periods(self) -> int:
        return int(self.y.shape[1])


def _windows(m: int) -> tuple[int, int, int]:
    """Short, medium and long rolling windows in periods (a week, four weeks, sixteen weeks for days)."""
    if m == 7:
        return 7, 28, 112
    if m >= 52:
        return 4, 13, 52
    return 3, 6, 12


@dataclass(frozen=True)
class _Sums:
    """Prefix sums of the panel, so any window's mean is two lookups."""

    total: Floats
    squares: Floats
    zeros: Floats
    last_sale: Ints
    """Position of the last period with demand at or before each period (-1 when none)."""

    @staticmethod
    def of(y: Floats) -> _Sums:
        n, t = y.shape
        pad = np.zeros((n, 1))
        last = np.where(y > 0, np.arange(t), -1)
        return _Sums(np.hstack([pad, np.cumsum(y, axis=1)]), np.hstack([pad, np.cumsum(y * y, axis=1)]),
                     np.hstack([pad, np.cumsum(y == 0, axis=1, dtype=float)]),
                     np.maximum.accumulate(last, axis=1).astype(np.int64))

    def window(self, table: Floats, i: Ints, o: Ints, w: int | Ints, start: Ints) -> Floats:
        """Mean of ``table``'s increments over the ``w`` periods before origin ``o`` (fewer near the start)."""
        lo = np.maximum(o - w, start[i])
        span = np.maximum(o - lo, 1)
        out: Floats = (table[i, o] - table[i, lo]) / span
        return out


FEATURES_BASE = ("step", "level_log", "mean_short", "mean_long", "mean_all", "last", "sd_medium", "zero_share",
                 "since_sale", "age", "season_1", "season_2", "season_3", "season_4", "season_mean", "position",
                 "month", "day_of_month")
"""Features of every global model; holiday, promotion and price ones are added when the panel has them."""


def _features(p: Panel, sums: _Sums, i: Ints, o: Ints, h: Ints) -> tuple[dict[str, Floats], Floats]:
    """Feature columns of rows (series i, origin o = periods known, step h >= 1), and each row's level (the mean
    of the medium window, else of all history, else 1) by which demand is divided."""
    short, medium, long_ = _windows(p.season_length)
    start = p.start
    mean_medium = sums.window(sums.total, i, o, medium, start)
    mean_all = sums.window(sums.total, i, o, o - start[i], start)
    level = np.where(mean_medium > 0, mean_medium, np.where(mean_all > 0, mean_all, 1.0))
    t = o + h - 1
    m = p.season_length
    cols: dict[str, Floats] = {
        "step": h.astype(float),
        "level_log": np.log1p(level),
        "mean_short": sums.window(sums.total, i, o, short, start) / level,
        "mean_long": sums.window(sums.total, i, o, long_, start) / level,
        "mean_all": mean_all / level,
        "last": p.y[i, o - 1] / level,
        "sd_medium": np.sqrt(np.maximum(sums.window(sums.squares, i, o, medium, start) - mean_medium ** 2, 0)) / level,
        "zero_share": sums.window(sums.zeros, i, o, medium, start),
        "since_sale": np.minimum(o - 1 - np.maximum(sums.last_sale[i, o - 1], start[i] - 1), long_).astype(float),
        "age": np.minimum(o - start[i], 4 * long_).astype(float),
    }
    back = -(-h // m) * m
    lags = []
    for k in range(4):
        at = t - back - k * m
        ok = at >= start[i]
        lag = np.where(ok, p.y[i, np.maximum(at, 0)], np.nan) / level
        cols[f"season_{k + 1}"] = lag
        lags.append(lag)
    stacked = np.vstack(lags)
    seen = np.isfinite(stacked).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cols["season_mean"] = np.where(seen > 0, np.nansum(stacked, axis=0) / np.maximum(seen, 1), np.nan)
    dates = _dates(p, t)
    cols["position"] = (dates.dayofweek if m == 7 else (dates.isocalendar().week.to_numpy() if m >= 52
                                                         else dates.month)).astype(float)
    cols["month"] = np.asarray(dates.month, float)
    cols["day_of_month"] = np.asarray(dates.day, float)
    if p.holidays is not None:
        hol = p.holidays
        cols["holiday"] = hol[t]
        if m == 7:
            cols["holiday_before"] = hol[np.minimum(t + 1, len(hol) - 1)]
            cols["holiday_after"] = hol[np.maximum(t - 1, 0)]
    # promotions and prices are read up to the origin only: recorded with sales, a promotion or a new price on the
    # target day would tell the model that something sold then (and none is known ahead)
    if p.promotion is not None:
        cols["promotion_recent"] = np.vstack([p.promotion[i, np.maximum(o - 1 - k, 0)] for k in range(short)]).mean(
            axis=0)
    if p.price is not None:
        past = np.vstack([p.price[i, np.maximum(o - 1 - k, 0)] for k in range(0, medium, max(1, medium // 8))])
        with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # a product without any recent price: NaN, as wanted
            cols["price_ratio"] = p.price[i, o - 1] / np.nanmedian(past, axis=0)
    return cols, level


def _dates(p: Panel, t: Ints) -> pd.DatetimeIndex:
    """Dates of positions ``t`` (beyond the history: continued at the panel's spacing, month by month for
    monthly panels)."""
    idx = p.index
    more = int(t.max(initial=0)) - len(idx) + 1
    if more > 0:
        step = idx[-1] - idx[-2] if len(idx) > 1 else pd.Timedelta(days=1)
        monthly = step >= pd.Timedelta(days=28)
        ahead = (pd.date_range(idx[-1], periods=more + 1, freq="MS")[1:] if monthly
                 else pd.DatetimeIndex([idx[-1] + step * k for k in range(1, more + 1)]))
        idx = idx.append(ahead)
    return idx[t]


def _sample_rows(p: Panel, cutoff: int, horizon: int, rows: int,
                 rng: np.random.Generator) -> tuple[Ints, Ints, Ints]:
    """Training rows (i, o, h) whose target lies before ``cutoff``: every one when they are few, else ``rows``
    drawn uniformly; censored targets are left out."""
    short = _windows(p.season_length)[0]
    first = p.start + short
    spans = np.maximum(cutoff - first - np.arange(1, horizon + 1)[:, None] + 1, 0)  # (h, n) origins per step
    total = int(spans.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    if total <= rows:
        hh, ii = np.nonzero(spans)
        counts = spans[hh, ii]
        i = np.repeat(ii, counts)
        h = np.repeat(hh + 1, counts)
        o = first[i] + (np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts))
    else:
        flat = spans.ravel() / total
        pick = rng.choice(flat.size, size=rows, p=flat)
        hh, ii = np.divmod(pick, p.n)
        i, h = ii.astype(np.int64), (hh + 1).astype(np.int64)
        o = first[i] + (rng.random(rows) * spans[hh, ii]).astype(np.int64)
    keep = ~p.censored[i, o + h - 1] if p.censored is not None else np.ones(len(i), bool)
    return i[keep], o[keep], h[keep]


@dataclass(frozen=True)
class _Fitted:
    booster: lgb.Booster
    names: tuple[str, ...]
    rows: int


def _fit(p: Panel, sums: _Sums, cutoff: int, horizon: int, s: GlobalSettings) -> _Fitted | None:
    """A model trained on targets before ``cutoff``; None when the panel has no such rows."""
    i, o, h = _sample_rows(p, cutoff, horizon, s.rows, np.random.default_rng(s.seed))
    if len(i) < 2 * s.min_child_samples:
        return None
    cols, level = _features(p, sums, i, o, h)
    target = p.y[i, o + h - 1] / level
    names = tuple(cols)
    data = lgb.Dataset(np.column_stack([cols[c] for c in names]), target, feature_name=list(names),
                       categorical_feature=["position"], free_raw_data=True,
                       params={"verbosity": -1, "max_bin": 127})
    params = {"objective": s.objective, "learning_rate": s.learning_rate, "num_leaves": s.leaves,
              "min_child_samples": s.min_child_samples, "feature_fraction": 0.8, "bagging_fraction": 0.8,
              "bagging_freq": 1, "lambda_l2": 1.0, "num_threads": s.threads, "seed": s.seed,
              "deterministic": True, "force_row_wise": True, "verbosity": -1}
    return _Fitted(lgb.train(params, data, num_boost_round=s.trees), names, len(i))


def _predict(model: _Fitted, p: Panel, sums: _Sums, i: Ints, o: Ints, h: Ints) -> tuple[Floats, Floats]:
    """Point forecasts (units, at least 0) of rows (i, o, h) and their levels."""
    cols, level = _features(p, sums, i, o, h)
    scaled = model.booster.predict(np.column_stack([cols[c] for c in model.names]), num_threads=1)
    out: Floats = np.maximum(np.asarray(scaled, float), 0.0) * level
    return out, level


def conformal_quantiles(errors: Floats, levels: tuple[int, ...], min_points: int = 100) -> dict[int, Floats]:
    """Per step h, the lower and upper conformal quantiles of the scaled errors ``errors`` (rows x horizon, NaN
    ignored) for each level L: the floor((n + 1)(1 - L)/2)-th and ceil((n + 1)(1 + L)/2)-th smallest of n errors
    (split conformal prediction's finite-sample rule), pooling the nearest steps until ``min_points`` errors are
    in hand. Returns level -> array (2, horizon) of (lower, upper); 0 where there are no errors."""
    horizon = errors.shape[1]
    out = {lv: np.zeros((2, horizon)) for lv in levels}
    for step in range(horizon):
        width = 0
        while True:
            block = errors[:, max(0, step - width):step + width + 1]
            e = block[np.isfinite(block)]
            if e.size >= min_points or width >= horizon:
                break
            width += 1
        if e.size == 0:
            continue
        e = np.sort(e)
        for lv in levels:
            lo = (e.size + 1) * (100 - lv) // 200  # whole-number arithmetic: 0.5 - 0.4 is not 0.1 in floats
            hi = -(-(e.size + 1) * (100 + lv) // 200)
            out[lv][0, step] = e[min(max(lo, 1), e.size) - 1]
            out[lv][1, step] = e[min(max(hi, 1), e.size) - 1]
    return out


def _known_errors(errors: Floats, target: Ints, k: int, origin: int) -> Floats:
    """The backtest errors that calibrate origin ``k``'s bounds: those of other origins on periods before
    ``origin`` (known there); all other origins' when none are (the earliest origin: somewhat optimistic), and its
    own when it is the only one. Rows: series x origin; columns: steps (NaN elsewhere)."""
    known = np.where((target < origin)[None, :, :], errors, np.nan)
    known[:, k] = np.nan
    if np.isfinite(known).any():
        return known.reshape(-1, errors.shape[2])
    others = np.delete(errors, k, axis=1)
    return (others if np.isfinite(others).any() else errors).reshape(-1, errors.shape[2])


def _around(q: Floats) -> tuple[Floats, Floats]:
    """Lower and upper error quantiles widened to include 0, so an interval always contains its forecast (after a
    shift in demand the backtest errors can all have one sign)."""
    return np.minimum(q[0], 0.0), np.maximum(q[1], 0.0)


@dataclass(frozen=True)
class GlobalForecast:
    """The global model's forecasts for every series of a panel, at the backtest origins and from the end."""

    origins: tuple[int, ...]
    """Backtest origins as periods of each series' own history (latest first), as ``plan_origins`` gives."""
    backtest_horizon: int
    backtest: Floats
    """Backtest point forecasts (n x origins x backtest_horizon, units); NaN where a series has no origin."""
    backtest_bounds: dict[int, tuple[Floats, Floats]]
    """Level -> (lower, upper) of the backtest forecasts, calibrated on errors known at each origin."""
    mean: Floats
    """Forecast from the end of the history (n x horizon, units)."""
    bounds: dict[int, tuple[Floats, Floats]]
    """Level -> (lower, upper) of the forecast (n x horizon, units)."""
    importance: pd.Series = field(repr=False)
    """Share of the final model's total gain per feature (sums to 1)."""
    training_rows: int
    """Rows the final model learnt from."""

    def prediction(self, row: int) -> Prediction:
        """The forecast of series ``row``."""
        return Prediction(self.mean[row], {lv: b[0][row] for lv, b in self.bounds.items()},
                          {lv: b[1][row] for lv, b in self.bounds.items()})

    def backtest_predictions(self, row: int, shift: int = 0) -> dict[int, Prediction]:
        """The backtest forecasts of series ``row`` keyed by origin as periods of its own history (the panel's
        origin minus ``shift``, the series' first period)."""
        out = {}
        for k, o in enumerate(self.origins):
            if np.isnan(self.backtest[row, k]).all():
                continue
            bounds = self.backtest_bounds.items()
            out[o - shift] = Prediction(self.backtest[row, k], {lv: b[0][row, k] for lv, b in bounds},
                                        {lv: b[1][row, k] for lv, b in bounds})
        return out


def fit_global(p: Panel, horizon: int, origins: tuple[int, ...], backtest_horizon: int,
               levels: tuple[int, ...] = LEVELS, settings: GlobalSettings | None = None) -> GlobalForecast | None:
    """Train the global model on the panel and forecast ``horizon`` periods from the end of the history and
    ``backtest_horizon`` periods from each backtest origin (``origins``: periods of the panel known, latest
    first). The backtest model learns from targets before the earliest origin only; the forecast's model from all.
    None when the panel has too few rows to learn from."""
    s = settings or GlobalSettings()
    sums = _Sums.of(p.y)
    n, t_len = p.n, p.periods
    bt = np.full((n, len(origins), backtest_horizon), np.nan)
    scale = np.ones_like(bt)
    bt_bounds: dict[int, tuple[Floats, Floats]] = {lv: (bt.copy(), bt.copy()) for lv in levels}
    errors = np.full_like(bt, np.nan)
    steps_bt = np.arange(1, backtest_horizon + 1)
    if origins and backtest_horizon:
        model = _fit(p, sums, min(origins), backtest_horizon, s)
        if model is None:
            return None
        for k, o in enumerate(origins):
            ok = np.nonzero(o - p.start >= 2)[0]
            if not len(ok):
                continue
            i = np.repeat(ok, backtest_horizon)
            pred, level = _predict(model, p, sums, i, np.full(len(i), o), np.tile(steps_bt, len(ok)))
            bt[ok, k] = pred.reshape(len(ok), backtest_horizon)
            scale[ok, k] = level.reshape(len(ok), backtest_horizon)
            err = (p.y[ok, o:o + backtest_horizon] - bt[ok, k]) / scale[ok, k]
            if p.censored is not None:
                err[p.censored[ok, o:o + backtest_horizon]] = np.nan
            errors[ok, k] = err
        target = np.asarray(origins)[:, None] + np.arange(backtest_horizon)  # period of each (origin, step)
        for k, o in enumerate(origins):
            q = conformal_quantiles(_known_errors(errors, target, k, o), levels)
            for lv in levels:
                lo, hi = _around(q[lv])
                bt_bounds[lv][0][:, k] = np.maximum(bt[:, k] + lo * scale[:, k], 0.0)
                bt_bounds[lv][1][:, k] = bt[:, k] + hi * scale[:, k]
    final = _fit(p, sums, t_len, horizon, s)
    if final is None:
        return None
    i = np.repeat(np.arange(n), horizon)
    mean, level = _predict(final, p, sums, i, np.full(len(i), t_len), np.tile(np.arange(1, horizon + 1), n))
    mean, level = mean.reshape(n, horizon), level.reshape(n, horizon)
    if backtest_horizon:
        q = conformal_quantiles(errors.reshape(-1, backtest_horizon), levels)
        step = np.minimum(np.arange(horizon), backtest_horizon - 1)  # beyond the backtest: its last step's errors
        bounds = {lv: (np.maximum(mean + _around(q[lv])[0][step] * level, 0.0), mean + _around(q[lv])[1][step] * level)
                  for lv in levels}
    else:
        bounds = {lv: (mean.copy(), mean.copy()) for lv in levels}
    gain = pd.Series(final.booster.feature_importance("gain"), index=list(final.names), dtype=float)
    return GlobalForecast(origins, backtest_horizon, bt, bt_bounds, mean, bounds,
                          gain / gain.sum() if gain.sum() > 0 else gain, final.rows)
