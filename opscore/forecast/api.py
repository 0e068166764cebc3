"""The public forecasting call for one series: ``forecast(y, horizon, ...) -> ForecastResult``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from opscore.forecast.backtest import Backtest, forecasts_frame, rolling_origin
from opscore.forecast.censor import impute
from opscore.forecast.fitting import Fitted, fit_predict
from opscore.forecast.intervals import LEVELS, Prediction
from opscore.forecast.registry import MODELS
from opscore.forecast.selection import COMBINATION, choose, combine, label
from opscore.forecast.series import PreparedSeries, future_index, prepare

REGULAR_POOL: tuple[str, ...] = ("snaive", "ses", "holt", "damped", "theta")
"""Models tried by ``method='auto'`` on regular demand (fast members; add 'ets' or 'arima' via ``models``)."""
INTERMITTENT_POOL: tuple[str, ...] = ("croston", "sba", "tsb", "ses", "naive")
"""Models tried by ``method='auto'`` on intermittent demand."""
ADI_CUTOFF = 1.32
"""Average demand interval above which demand counts as intermittent (Syntetos, Boylan & Croston 2005)."""


@dataclass(frozen=True)
class Member:
    """A forecast of this series made elsewhere (the global model, trained across all series) offered to the
    automatic choice, which backtests and weights it like its own models."""

    backtest: dict[int, Prediction]
    """Forecast from each backtest origin (periods of this series' history used), at least as many periods ahead
    as the series' own backtest."""
    prediction: Prediction
    """Forecast from the end of the history (``horizon`` periods)."""
    description: str
    """The model in a few words."""


@dataclass(frozen=True)
class ShortHistory:
    """A history shorter than the seasonal models need, so the forecast comes from a non-seasonal model."""

    periods: int
    """Periods of history available."""
    needed: int
    """Fewest periods a seasonal model needs: one full season plus one (seasonal naive)."""


@dataclass(frozen=True)
class ForecastResult:
    """A forecast with intervals, the model that made it and the evidence for choosing it."""

    mean: pd.Series
    """Point forecast per future period (demand units), indexed by date (or position for plain arrays)."""
    lower: dict[int, pd.Series]
    """Lower interval bound per nominal level in percent (e.g. 80, 95)."""
    upper: dict[int, pd.Series]
    """Upper interval bound per nominal level in percent."""
    model: str
    """Chosen model: a short name from ``opscore.forecast.MODELS`` or 'combination'."""
    members: tuple[str, ...]
    """Models in the combination (or just the chosen model)."""
    weights: tuple[float, ...]
    """Weight of each member in the forecast (sum 1)."""
    description: str
    """The fitted form(s) in a few words."""
    reason: str
    """Why this model was chosen, in plain words."""
    backtest: pd.DataFrame
    """Leaderboard: model, rank, MASE, RMSSE, sMAPE (%), bias (units/period), pinball (scaled), coverage80/95 (0-1)."""
    backtest_forecasts: pd.DataFrame
    """Backtest forecasts against actuals: origin, ds, actual, model, mean, lo80, hi80, lo95, hi95."""
    history: pd.Series
    """The cleaned sales history the forecast was made from (gaps filled with 0)."""
    season_length: int
    """Periods per seasonal cycle used."""
    notes: tuple[str, ...]
    """Data-hygiene and fallback remarks (gaps filled, models replaced for short series)."""
    short_history: ShortHistory | None
    """Set when the history is too short for any seasonal model (the forecast is then non-seasonal)."""
    censored: pd.Series | None = None
    """True for history periods out of stock (demand estimated for fitting, left out of scoring); None: none known."""

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(self.lower))

    def to_frame(self) -> pd.DataFrame:
        """Long frame: ds, mean, lo80, hi80, lo95, hi95, model."""
        out = pd.DataFrame({"ds": self.mean.index, "mean": self.mean.to_numpy()})
        for lv in self.levels:
            out[f"lo{lv}"], out[f"hi{lv}"] = self.lower[lv].to_numpy(), self.upper[lv].to_numpy()
        out["model"] = self.model
        return out


def is_intermittent(y: np.ndarray) -> bool:
    """Average interval between demands above 1.32 periods (Syntetos, Boylan & Croston 2005)."""
    nz = int(np.count_nonzero(y > 0))
    return nz == 0 or len(y) / nz > ADI_CUTOFF


def forecast(y: pd.Series | np.ndarray, horizon: int, season_length: int | None = None, method: str = "auto",
             levels: tuple[int, ...] = LEVELS, freq: str | None = None, x: pd.DataFrame | np.ndarray | None = None,
             x_future: pd.DataFrame | np.ndarray | None = None, models: tuple[str, ...] | None = None,
             n_origins: int = 4, margin: float = 0.30, name: str = "series",
             extra: Mapping[str, Member] | None = None, regular_pool: tuple[str, ...] = REGULAR_POOL,
             intermittent_pool: tuple[str, ...] = INTERMITTENT_POOL,
             censored: pd.Series | np.ndarray | None = None) -> ForecastResult:
    """Forecast ``horizon`` periods of a demand series with 80/95 % intervals.

    ``y``: Series with a DatetimeIndex (daily/weekly/monthly; gaps are filled with 0) or a plain array
    with ``season_length``. ``method``: 'auto' (backtest the pool, combine it weighted by accuracy, keep a
    single model only if it beats the combination by ``margin`` at every origin; see ``selection``) or one
    model name (naive, snaive, ses, holt, damped, theta, ets, arima, croston, sba, tsb). ``x``/``x_future``:
    optional regressors (e.g. promotion and holiday flags) for the history and the forecast periods.
    ``extra``: forecasts made elsewhere (e.g. the global model of :func:`opscore.forecast.panel.forecast_panel`)
    that join the automatic pool when their backtest covers this series' origins. ``regular_pool`` and
    ``intermittent_pool``: the models 'auto' tries on regular and on intermittent demand when ``models`` is not
    given. ``censored``: True for periods whose demand was not seen (out of stock; a bool Series by date, or an
    array over the periods after gap filling): the models fit an estimate of their demand
    (:func:`opscore.forecast.censor.impute`) and the backtest leaves them out of the errors.
    The backtest refits each model at ``n_origins`` origins near the end of the history. Runs in the calling
    thread and leaves thread settings alone; ETS and ARIMA are much faster in a process with one BLAS thread,
    as :func:`opscore.forecast.batch.forecast_one` and ``forecast_many`` workers run them.
    """
    if not isinstance(horizon, int | np.integer) or horizon < 1:
        raise ValueError(f"horizon must be a whole number of periods >= 1, got {horizon!r}")
    if method != "auto" and method not in MODELS:
        raise ValueError(f"unknown method {method!r}; use 'auto' or one of {', '.join(MODELS)}")
    s = prepare(y, season_length, freq, name)
    m = s.season_length
    flags = _censored(censored, s, name)
    sales = s.values
    values = impute(sales, flags, m) if flags is not None else sales
    xa = None if x is None else _regressors(x, len(values), "x", "history periods")
    xf = None if x_future is None else _regressors(x_future, horizon, "x_future", "forecast periods (horizon)")
    notes = [f"{s.filled_gaps} missing period(s) filled with 0 (no sales recorded)"] if s.filled_gaps else []
    if flags is not None:
        notes.append(f"{int(flags.sum())} out-of-stock period(s): demand estimated on them for fitting and left "
                     "out of the backtest errors")
    intermittent = is_intermittent(values)
    if method == "auto":
        pool = tuple(models) if models else (intermittent_pool if intermittent else regular_pool)
        if m == 1:
            pool = tuple(p for p in pool if p != "snaive")
        if intermittent and not models:
            notes.append("demand is intermittent (many periods without sales): intermittent-demand models tried")
    else:
        pool = (method,)
    bt = rolling_origin(values, m, horizon, pool, n_origins=n_origins, levels=levels, x=xa)
    joined = _join(bt, extra or {}, horizon, notes) if method == "auto" and bt.origins else {}
    if joined:
        bt = replace(bt, predictions={**bt.predictions, **{k: v for k, (v, _) in joined.items()}})
        pool = pool + tuple(joined)
    index = s.index if s.index is not None else pd.RangeIndex(len(values))
    if bt.origins:
        choice = choose(values, m, bt, margin=margin, censored=flags)
        winner, members, weights, board, reason = (choice.winner, choice.members, choice.weights,
                                                   choice.leaderboard, choice.reason)
        if winner == COMBINATION:
            bt = replace(bt, predictions={**bt.predictions, COMBINATION: choice.combined})
    else:
        winner = method if method != "auto" else ("sba" if intermittent else "theta")
        members, weights, board = (winner,), (1.0,), pd.DataFrame(columns=["rank", "model", "label", "mase"])
    fits = [_Fit(k, joined[k][1].prediction, joined[k][1].description, ()) if k in joined else
            _Fit.of(fit_predict(k, values, m, horizon, levels, xa, xf))
            for k in (members if winner == COMBINATION else (winner,))]
    if not bt.origins:
        reason = (f"{label(fits[0].used)} was used without a backtest (none requested)." if n_origins < 1 else
                  f"The history ({len(values)} periods) is too short to backtest, so {label(fits[0].used)} "
                  "was used without comparison.")
    seasonal_need = MODELS["snaive"]().min_length(m)
    pred = combine([f.prediction for f in fits], np.array(weights)) if winner == COMBINATION else fits[0].prediction
    for f in fits:
        notes.extend(n for n in f.notes if n not in notes)
    future = future_index(s.index, s.freq, horizon, len(values))
    result_members = tuple(f.used for f in fits)
    description = "; ".join(f.description for f in fits)
    return ForecastResult(
        mean=pd.Series(pred.mean, future, name="mean"),
        lower={lv: pd.Series(pred.lower[lv], future) for lv in levels},
        upper={lv: pd.Series(pred.upper[lv], future) for lv in levels},
        model=winner if winner == COMBINATION else fits[0].used, members=result_members, weights=tuple(weights),
        description=description,
        reason=reason, backtest=board,
        backtest_forecasts=forecasts_frame(bt, sales, index, pool + (COMBINATION,)) if bt.origins else pd.DataFrame(),
        history=pd.Series(sales, index, name="y"), season_length=m, notes=tuple(notes),
        censored=pd.Series(flags, index, name="censored") if flags is not None else None,
        short_history=ShortHistory(len(values), seasonal_need) if m > 1 and len(values) < seasonal_need else None)


@dataclass(frozen=True)
class _Fit:
    """One member's forecast as the result needs it."""

    used: str
    prediction: Prediction
    description: str
    notes: tuple[str, ...]

    @staticmethod
    def of(fitted: Fitted) -> _Fit:
        return _Fit(fitted.used, fitted.prediction, fitted.model.describe(), fitted.notes)


def _join(bt: Backtest, extra: Mapping[str, Member], horizon: int,
          notes: list[str]) -> dict[str, tuple[dict[int, Prediction], Member]]:
    """The extra members whose backtest covers every origin of ``bt`` (cut to its horizon), with a note for
    each one left out."""
    out = {}
    for name, member in extra.items():
        if not set(bt.origins) <= set(member.backtest) or len(member.prediction.mean) != horizon or any(
                len(member.backtest[o].mean) < bt.horizon for o in bt.origins):
            notes.append(f"{label(name)} was left out: its backtest does not cover this series' backtest periods")
            continue
        out[name] = ({o: _cut(member.backtest[o], bt.horizon) for o in bt.origins}, member)
    return out


def _cut(p: Prediction, h: int) -> Prediction:
    """The first ``h`` periods of a forecast."""
    return Prediction(p.mean[:h], {k: v[:h] for k, v in p.lower.items()}, {k: v[:h] for k, v in p.upper.items()})


def _censored(censored: pd.Series | np.ndarray | None, s: PreparedSeries, name: str) -> np.ndarray | None:
    """The out-of-stock flags as a bool array over the prepared periods; None when there are none."""
    if censored is None:
        return None
    if isinstance(censored, pd.Series) and isinstance(censored.index, pd.DatetimeIndex) and s.index is not None:
        flags = censored.astype(bool).reindex(s.index, fill_value=False).to_numpy()
    else:
        flags = np.asarray(censored, bool).ravel()
        if len(flags) != len(s.values):
            raise ValueError(f"{name}: censored has {len(flags)} flag(s) but the series has {len(s.values)} periods; "
                             "give one flag per period (or a Series by date)")
    return flags if flags.any() else None


def _regressors(x: pd.DataFrame | np.ndarray, rows: int, what: str, periods: str) -> np.ndarray:
    """Regressors as a 2-D float array with one row per period, or a ValueError saying what is off."""
    arr = np.asarray(x, float)
    arr = arr[:, None] if arr.ndim == 1 else arr
    if arr.ndim != 2 or len(arr) != rows:
        raise ValueError(f"{what} has {len(arr)} row(s) but there are {rows} {periods} (after filling gaps); "
                         "give one row per period")
    if not np.isfinite(arr).all():
        raise ValueError(f"{what} holds missing or infinite values; use 0 for 'no promotion' / 'no holiday'")
    return arr
