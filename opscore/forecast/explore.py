"""The Forecast explorer's steps, for the page and notebooks alike: the settings of one forecast, the forecast of
one selection's daily sales, a what-if applied to it, and the table and key results it hands on.

Units: demand in units sold per period (day, week or month); percentages as plain numbers (10 = 10 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import pandas as pd

from opscore.forecast.api import ForecastResult
from opscore.forecast.batch import forecast_one
from opscore.forecast.censor import aggregate_censored
from opscore.forecast.demand import TOTAL, demand_series, future_regressors, uk_bank_holidays
from opscore.forecast.intervals import Prediction
from opscore.forecast.registry import MODELS
from opscore.forecast.selection import label
from opscore.forecast.series import FREQ_LABELS, SEASON_LENGTHS, normalise_freq
from opscore.forecast.whatif import WhatIf, apply

SCOPES = ("sku", "category", "total")
"""What a forecast covers: one SKU, one category, or every product."""
FREQUENCIES = ("weekly", "daily", "monthly")
"""Periods the explorer forecasts in."""
DEFAULT_HORIZONS = {"weekly": 12, "daily": 28, "monthly": 6}
"""Periods ahead forecast unless chosen otherwise, per frequency (about a quarter, a month, half a year)."""
MAX_HORIZON = 104
"""Most periods ahead the explorer forecasts."""
LEADERBOARD_COLUMNS = {
    "rank": "Rank", "label": "Model", "mase": "Error vs seasonal naive (MASE)", "smape": "sMAPE (%)",
    "rmsse": "RMSSE", "bias": "Bias (units/period)", "coverage80": "Inside 80% band", "coverage95": "Inside 95% band",
    "pinball": "Pinball (scaled)", "weight": "Weight in forecast", "chosen": "Chosen"}
"""Backtest leaderboard columns (``ForecastResult.backtest``) and their headings, in the order shown."""
LEADERBOARD_FORMATS = {
    **{h: "percent" for h in ("Inside 80% band", "Inside 95% band", "Weight in forecast")},
    **{h: "%.2f" for h in ("Error vs seasonal naive (MASE)", "RMSSE", "Pinball (scaled)")},
    **{h: "%.1f" for h in ("sMAPE (%)", "Bias (units/period)")}}
"""Number format of each numeric leaderboard heading (shares as percentages)."""


@dataclass(frozen=True)
class ForecastSettings:
    """What to forecast and how: the explorer's choices (also the scenario parameters it saves)."""

    level: str = "total"
    """'sku', 'category' or 'total' (see :data:`SCOPES`)."""
    item: str | None = None
    """The SKU or the category forecast; None for the total."""
    freq: str = "weekly"
    """'weekly', 'daily' or 'monthly' periods."""
    horizon: int = DEFAULT_HORIZONS["weekly"]
    """Periods ahead, 1 to :data:`MAX_HORIZON`."""
    method: str = "auto"
    """'auto' (backtested choice or combination) or a model name of ``opscore.forecast.MODELS``."""
    drivers: bool = False
    """Use promotions and bank holidays as regressors (and the bank holidays ahead)."""

    def __post_init__(self) -> None:
        if self.level not in SCOPES:
            raise ValueError(f"level must be one of {', '.join(SCOPES)}, got {self.level!r}")
        if self.level == "total" and self.item is not None:
            raise ValueError(f"a forecast of all products takes no item, got {self.item!r}")
        if self.freq not in FREQUENCIES:
            raise ValueError(f"freq must be one of {', '.join(FREQUENCIES)}, got {self.freq!r}")
        if isinstance(self.horizon, bool) or not isinstance(self.horizon, (int, np.integer)) \
                or not 1 <= self.horizon <= MAX_HORIZON:
            raise ValueError(f"horizon must be a whole number of periods from 1 to {MAX_HORIZON}, got {self.horizon!r}")
        if self.method != "auto" and self.method not in MODELS:
            raise ValueError(f"method must be 'auto' or one of {', '.join(MODELS)}, got {self.method!r}")

    @property
    def name(self) -> str:
        """The selection's name in titles and messages: the SKU, the category, or 'All products'."""
        return self.item or TOTAL


def period_word(freq: str) -> str:
    """The word for one period of ``freq``: 'day', 'week' or 'month'."""
    return FREQ_LABELS[normalise_freq(freq)]


def short_history_note(result: ForecastResult, freq: str, name: str) -> str | None:
    """Why the forecast of ``name`` (quoted as given: escape it for Markdown first) at ``freq`` ignores
    seasonality, when its history is too short for any seasonal model; None otherwise."""
    short = result.short_history
    if short is None:
        return None
    word = period_word(freq)
    return (f"{name} has {short.periods} {word}s of sales history, but the seasonal models need at least "
            f"{short.needed} (a full season of {result.season_length} {word}s plus one). The forecast below ignores "
            f"seasonality: {label(result.model)}."
            + (" Choose *Daily* periods to use the weekly pattern (a season of 7 days)." if freq != "daily" else ""))


def forecast_daily(daily: pd.DataFrame, settings: ForecastSettings,
                   stockouts: pd.DataFrame | None = None) -> ForecastResult:
    """Forecast of one selection's daily sales (``daily``: quantity in units and promotion share per day, as
    from :func:`opscore.forecast.demand.daily_from_sums`) at ``settings.freq``, ``settings.horizon`` periods
    ahead. ``stockouts`` (sku, date): the selection's out-of-stock days, left out of fitting and scoring (a week or
    month counts when more than half its days were). A ValueError says why when there are too few full periods."""
    y, x = demand_series(daily, settings.freq)
    censored = _censored(stockouts, daily.index, settings.freq)
    if settings.drivers:
        return forecast_one(y, settings.horizon, method=settings.method, freq=settings.freq, x=x,
                            x_future=future_regressors(y.index, settings.freq, settings.horizon), name=settings.name,
                            censored=censored)
    return forecast_one(y, settings.horizon, method=settings.method, freq=settings.freq, name=settings.name,
                        censored=censored)


def _censored(stockouts: pd.DataFrame | None, days: pd.DatetimeIndex, freq: str) -> pd.Series | None:
    """Out-of-stock periods at ``freq`` of one selection from its out-of-stock days (any SKU of it), by date."""
    if stockouts is None or stockouts.empty:
        return None
    flags = pd.DatetimeIndex(days).isin(pd.DatetimeIndex(stockouts["date"]).normalize())
    periods = aggregate_censored(flags, pd.DatetimeIndex(days), freq)
    return pd.Series(periods.censored, periods.index)


def from_plan(values: pd.DataFrame, series: pd.Series | None, daily: pd.DataFrame, settings: ForecastSettings,
              made: pd.Timestamp) -> ForecastResult:
    """The forecast of ``settings``'s selection as a stored demand plan holds it (``values``: its rows of
    forecast_values, ``series``: its forecast_series row), cut to the settings' horizon, with the selection's sales
    history at ``settings.freq`` (``daily`` as for :func:`forecast_daily`)."""
    y, _ = demand_series(daily, settings.freq)
    rows = values.sort_values("ds").head(settings.horizon)
    index = pd.DatetimeIndex(rows["ds"])
    levels = tuple(lv for lv in (80, 95) if f"lo{lv}" in rows)
    model = str(rows["model"].iloc[0])
    board = pd.DataFrame(columns=["rank", "model", "label", "mase"])
    reason = f"From the demand plan made {made:%d %b %Y %H:%M}."
    if series is not None:
        board = pd.DataFrame([{"rank": 1, "model": model, "label": label(model),
                               **{c: series.get(c) for c in ("mase", "rmsse", "smape", "coverage80", "coverage95")},
                               "weight": 1.0, "chosen": True}])
        reason += f" {series['reason']}"
        if series.get("global_weight"):
            reason += f" The global model carries {float(series['global_weight']):.0%} of it."
    notes = (f"{int(series['censored'])} out-of-stock {period_word(settings.freq)}(s) left out of fitting and scoring "
             "(demand estimated on them)",) if series is not None and series.get("censored") else ()
    return ForecastResult(
        mean=pd.Series(rows["mean"].to_numpy(float), index, name="mean"),
        lower={lv: pd.Series(rows[f"lo{lv}"].to_numpy(float), index) for lv in levels},
        upper={lv: pd.Series(rows[f"hi{lv}"].to_numpy(float), index) for lv in levels},
        model=model, members=(model,), weights=(1.0,), description=label(model), reason=reason, backtest=board,
        backtest_forecasts=pd.DataFrame(), history=y.rename("y"), season_length=SEASON_LENGTHS[normalise_freq(
            settings.freq)], notes=notes, short_history=None)


@dataclass(frozen=True)
class AdjustedForecast:
    """A forecast with a what-if applied (units per period, indexed by the forecast's periods)."""

    mean: pd.Series
    """Adjusted point forecast."""
    lower: dict[int, pd.Series]
    """Adjusted lower bound per interval level (percent, e.g. 80, 95)."""
    upper: dict[int, pd.Series]
    """Adjusted upper bound per interval level."""
    plan: WhatIf
    """The what-if applied."""

    @property
    def changed(self) -> bool:
        """True when the plan changes anything (an uplift, a price change or a promotion)."""
        return bool(self.plan.uplift_pct or self.plan.price_change_pct or self.plan.promo_periods)


def adjust_forecast(result: ForecastResult, plan: WhatIf) -> AdjustedForecast:
    """``result``'s forecast and intervals scaled by the plan's demand multipliers
    (:func:`opscore.forecast.whatif.multipliers`)."""
    index = result.mean.index
    base = Prediction(result.mean.to_numpy(), {k: v.to_numpy() for k, v in result.lower.items()},
                      {k: v.to_numpy() for k, v in result.upper.items()})
    adj = apply(base, index, plan)
    return AdjustedForecast(pd.Series(adj.mean, index), {k: pd.Series(v, index) for k, v in adj.lower.items()},
                            {k: pd.Series(v, index) for k, v in adj.upper.items()}, plan)


def forecast_table(adjusted: AdjustedForecast) -> pd.DataFrame:
    """The forecast to download: period, forecast, then ``low <level>%`` and ``high <level>%`` per interval level
    (units per period)."""
    out = pd.DataFrame({"period": adjusted.mean.index, "forecast": adjusted.mean.to_numpy()})
    for lv in sorted(adjusted.lower):
        out[f"low {lv}%"], out[f"high {lv}%"] = adjusted.lower[lv].to_numpy(), adjusted.upper[lv].to_numpy()
    return out


def forecast_kpis(result: ForecastResult, adjusted: AdjustedForecast) -> dict[str, float]:
    """Key results saved with a scenario: forecast_units and plain_forecast_units (units over the horizon) and,
    when the chosen model has a finite one, backtest_mase (dimensionless)."""
    kpis = {"forecast_units": float(adjusted.mean.sum()), "plain_forecast_units": float(result.mean.sum())}
    board = result.backtest
    chosen = board.loc[board["chosen"], "mase"] if "chosen" in board else pd.Series(dtype=float)
    if len(chosen) and np.isfinite(mase := float(chosen.iloc[0])):
        kpis["backtest_mase"] = mase
    return kpis


class ChartMarks(TypedDict):
    """What the forecast chart marks besides the history and the forecast (keyword arguments of
    :func:`opscore.viz.forecast.forecast_figure`)."""

    backtest: pd.DataFrame | None
    """The chosen model's backtest forecasts against actuals (None when there are none)."""
    promotions: pd.DatetimeIndex | None
    """Days with a promotion, for a single SKU (None for a category or the total)."""
    holidays: pd.DatetimeIndex
    """Bank holidays from the first period of history to the last forecast period."""


def chart_marks(result: ForecastResult, daily: pd.DataFrame, settings: ForecastSettings) -> ChartMarks:
    """The backtest, promotion days and bank holidays to draw beside the forecast of ``settings``'s selection
    (``daily``: its daily sales, as given to :func:`forecast_daily`)."""
    bt = result.backtest_forecasts
    return ChartMarks(backtest=bt[bt["model"] == result.model] if not bt.empty else None,
                      promotions=daily.index[daily["promotion"] > 0] if settings.level == "sku" else None,
                      holidays=uk_bank_holidays(result.history.index[0], result.mean.index[-1]))


def leaderboard(backtest: pd.DataFrame) -> pd.DataFrame:
    """The backtest leaderboard as shown: the columns of :data:`LEADERBOARD_COLUMNS` present, under their
    headings."""
    return backtest[[c for c in LEADERBOARD_COLUMNS if c in backtest.columns]].rename(columns=LEADERBOARD_COLUMNS)
