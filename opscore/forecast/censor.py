"""Demand, not sales: days an item was out of stock, and what its demand probably was on them.

Sales are what customers could buy, not what they wanted: on a day the item ran out, the sales are only a lower
bound on the demand. Such a day is *censored* (the demand is known to be at least the sales, not equal to them).
Fitting a model to censored days teaches it the stock-outs, and scoring a forecast against them punishes it for
being right, so both leave them out; a model that needs a gap-free series gets an estimate instead
(:func:`impute`).

**Which days are censored.** A day is censored when the item could not be fully sold that day: its closing stock
(``stock_history.on_hand``, units in stock at the end of the day) was 0 or less. This covers both halves of the rule
"sold out during the day, or started the day with none and received nothing": a day that opens at 0 and receives
nothing also closes at 0, while a day that closes above 0 had stock to sell (or was restocked, which counts as in
stock). A day without a stock row is not known to be censored and is treated as in stock. This is the "stock-out =
zero closing stock" convention of retail and warehouse stock reports and of the out-of-stock studies (Gruen,
Corsten and Bharadwaj, *Retail Out-of-Stocks: A Worldwide Examination of Extent, Causes and Consumer Responses*,
Grocery Manufacturers of America, 2002). Without stock data a run of zero sales cannot be told apart from no
demand, as in the M5 competition's Walmart data, which carry no stock levels (Makridakis, Spiliotis and
Assimakopoulos, *M5 accuracy competition: Results, findings, and conclusions*, IJF 38(4), 2022). The store
computes the days in SQL (:func:`opscore.store.aggregates.stockout_days`); this module is pure (no SQL, no
Streamlit).

**How demand is estimated on them** (:func:`impute`): the mean of the last :data:`LOOKBACK` uncensored values at
the same season position (the same weekday for daily data with a weekly season), looking forward instead when the
series starts censored; failing that, the mean of the nearest ``max(LOOKBACK, season_length)`` uncensored values
before (else after) the period; and never less than the sales observed that period, since sales are a lower bound
on demand. Replacing stock-out periods by the demand of comparable in-stock periods is the simple end of the
methods for estimating demand from sales under lost sales (Conrad, *Sales data and the estimation of demand*,
Operational Research Quarterly 27(1), 1976; Nahmias, *Demand estimation in lost sales inventory systems*, Naval
Research Logistics 41(6), 1994), kept deliberately simple.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opscore.forecast.series import normalise_freq

LOOKBACK = 4
"""How many uncensored values of the same season position an estimate averages (four weeks of Mondays)."""

CENSORED_SHARE = 0.5
"""A week or month counts as censored when more than this share of its days were."""


def censored_matrix(days: pd.DataFrame, skus: Sequence[str], index: pd.DatetimeIndex) -> np.ndarray:
    """Which days of ``index`` each SKU of ``skus`` was out of stock: a bool array ``len(skus) x len(index)``.

    ``days`` lists censored days as columns ``sku`` and ``date`` (as
    :func:`opscore.store.aggregates.stockout_days` returns them); rows of other SKUs or dates outside ``index``
    are ignored, and times of day are dropped (``index`` is the series' daily index)."""
    missing = {"sku", "date"} - set(days.columns)
    if missing:
        raise ValueError(f"the censored days need columns sku and date; missing {sorted(missing)}")
    out = np.zeros((len(skus), len(index)), dtype=bool)
    if days.empty or not len(skus) or not len(index):
        return out
    rows = pd.Index(list(skus)).get_indexer(days["sku"])
    cols = pd.DatetimeIndex(index).normalize().get_indexer(pd.DatetimeIndex(pd.to_datetime(days["date"])).normalize())
    found = (rows >= 0) & (cols >= 0)
    out[rows[found], cols[found]] = True
    return out


def _window_means(values: np.ndarray, known: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Per position of each row: the mean of the last ``window`` known values before it and of the first ``window``
    known values after it (NaN where there is none)."""
    n_rows, n = values.shape
    upto = np.cumsum(known, axis=1)  # known values up to and including each position
    before = upto - known  # known values strictly before it
    total = upto[:, -1:]
    # sums[r, k]: the sum of row r's first k known values (the k-th known value is added at column k)
    sums = np.zeros((n_rows, n + 1))
    r, c = np.nonzero(known)
    sums[r, upto[r, c]] = values[r, c]
    sums = np.cumsum(sums, axis=1)
    lo = np.maximum(before - window, 0)
    hi = np.minimum(upto + window, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        back = (np.take_along_axis(sums, before, axis=1) - np.take_along_axis(sums, lo, axis=1)) / (before - lo)
        ahead = (np.take_along_axis(sums, hi, axis=1) - np.take_along_axis(sums, upto, axis=1)) / (hi - upto)
    return back, ahead


def _estimate(values: np.ndarray, known: np.ndarray, season_length: int, lookback: int) -> np.ndarray:
    """The demand estimate of every position of each row (NaN where a row has no known value at all)."""
    n_rows, n = values.shape
    estimate = np.full((n_rows, n), np.nan)
    for phase in range(min(season_length, n)):  # the same season position: every season_length-th period
        back, ahead = _window_means(values[:, phase::season_length], known[:, phase::season_length], lookback)
        estimate[:, phase::season_length] = np.where(np.isnan(back), ahead, back)
    back, ahead = _window_means(values, known, max(lookback, season_length))
    fallback = np.where(np.isnan(back), ahead, back)
    return np.where(np.isnan(estimate), fallback, estimate)


def impute(y: np.ndarray, censored: np.ndarray, season_length: int, lookback: int = LOOKBACK) -> np.ndarray:
    """``y`` with each censored period replaced by an estimate of its demand; other periods unchanged.

    ``y`` is one series (1-D, time last) or several (2-D, series x time), ``censored`` a bool array of the same
    shape. The estimate of a censored period is the mean of the last ``lookback`` uncensored values at the same
    season position (every ``season_length``-th period), or the first ``lookback`` after it when there are none
    before; failing that, the mean of the nearest ``max(lookback, season_length)`` uncensored values before (else
    after) it; and never less than the value observed, since sales are a lower bound on demand. A series with no
    uncensored period keeps its values (there is nothing to estimate from). Returns a new float array, finite
    wherever ``y`` is."""
    values = np.asarray(y, dtype=float)
    flags = np.asarray(censored, dtype=bool)
    if values.shape != flags.shape:
        raise ValueError(f"y has shape {values.shape} but censored has shape {flags.shape}; give one flag per value")
    if values.ndim not in (1, 2):
        raise ValueError(f"y must be one series (1-D) or series x time (2-D), got {values.ndim} dimensions")
    if not np.isfinite(values).all():
        raise ValueError("y holds missing or infinite values; fill them first (0 when nothing was sold)")
    if int(season_length) < 1 or int(lookback) < 1:
        raise ValueError(f"season_length and lookback must be whole numbers >= 1, got {season_length}, {lookback}")
    rows, flag_rows = np.atleast_2d(values), np.atleast_2d(flags)
    out = rows.copy()
    if flag_rows.any():
        estimate = _estimate(rows, ~flag_rows, int(season_length), int(lookback))
        fill = flag_rows & ~np.isnan(estimate)
        out[fill] = np.maximum(rows[fill], estimate[fill])
    return out.reshape(values.shape)


@dataclass(frozen=True)
class CensoredPeriods:
    """Censored days summed up into weeks or months (see :func:`aggregate_censored`)."""

    index: pd.DatetimeIndex
    """Period labels as :func:`opscore.forecast.aggregate` gives them (weeks end on Sunday, months by their first
    day): every period the daily index reaches into, the first and last perhaps only in part."""
    censored: np.ndarray
    """Bool, one per period (and per series for a 2-D input): more than ``threshold`` of its days were censored."""
    share: np.ndarray
    """Float 0-1, the share of each period's days (all of them: 7 a week, the month's length) that were censored."""
    days: np.ndarray
    """Int, how many of each period's days were censored."""
    covered: np.ndarray
    """Int, how many of each period's days the daily index holds (the full length but for a first or last period
    it reaches only into)."""


def aggregate_censored(censored: np.ndarray, index: pd.DatetimeIndex, freq: str,
                       threshold: float = CENSORED_SHARE) -> CensoredPeriods:
    """Daily censored flags (1-D, or series x days) on the daily ``index`` summed into ``freq`` periods ('daily',
    'weekly' or 'monthly'): a period counts as censored when more than ``threshold`` (half) of its days were.

    Days of a period outside the index are not known to be censored, as days without a stock row: the share is of
    the period's full length, so an index that starts on the Thursday of a week with Thursday to Sunday censored
    makes that week censored (4 of 7 days). Pick the periods the sales use by their labels (:attr:`CensoredPeriods
    .index`); :func:`opscore.forecast.aggregate` leaves out a first or last period the sales cover in part.
    A period with fewer censored days still holds sales below demand; to use those, impute the daily series first
    (:func:`impute`) and sum it."""
    flags = np.asarray(censored, dtype=bool)
    if flags.ndim not in (1, 2) or flags.shape[-1] != len(index):
        raise ValueError(f"censored has shape {flags.shape}: give one flag per day of the index ({len(index)} days), "
                         "one row per series")
    days = pd.DatetimeIndex(index).normalize()
    if len(days) > 1 and not (days[1:] - days[:-1] == pd.Timedelta(days=1)).all():
        raise ValueError("the index must be consecutive days, one per flag")
    if not 0.0 <= threshold < 1.0:
        raise ValueError(f"threshold must lie in [0, 1), got {threshold}")
    alias = normalise_freq(freq)
    rows = np.atleast_2d(flags)
    counts = pd.DataFrame(rows.T.astype(np.int64), index=days).resample(alias).sum()
    covered = pd.Series(1, index=days).resample(alias).size().to_numpy().astype(np.int64)
    length = (counts.index.days_in_month.to_numpy() if alias == "MS"
              else np.full(len(counts), 1 if alias == "D" else 7))
    n_days = counts.to_numpy().T.astype(np.int64)
    share = n_days / length[None, :]
    shape = (len(counts),) if flags.ndim == 1 else (rows.shape[0], len(counts))
    return CensoredPeriods(index=pd.DatetimeIndex(counts.index), censored=(share > threshold).reshape(shape),
                           share=share.reshape(shape), days=n_days.reshape(shape), covered=covered)
