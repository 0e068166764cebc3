"""Time-based backtest of slot recommendations (rolling origin: fit on the past, test on the next period).

Tashman (2000), "Out-of-sample tests of forecasting accuracy", International Journal of Forecasting 16(4):
rolling-origin evaluation. For each test first attempt the model, fitted only on earlier attempts,
recommends the slot (of those offered that weekday) with the highest predicted success. We report the
actual success when the slot used matched the recommendation and when it did not, the predicted success
of the recommended and of the used slot, and the Brier score (mean squared error of a probability,
Brier 1950, Monthly Weather Review 78(1)) of the model against the training-period overall rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import pandas as pd

from opscore.delivery_options.success import SuccessModel


@dataclass(frozen=True)
class BacktestResult:
    """Recommendation quality over all test folds."""

    folds: pd.DataFrame
    """One row per fold: test_start, test_end, attempts and the figures below for that fold."""
    attempts: int
    """Test first attempts (count)."""
    actual_success: float
    """Share of test first attempts that succeeded, 0-1."""
    matched_share: float
    """Share of test attempts whose slot was the recommended one, 0-1."""
    success_when_matched: float
    """Actual success where the used slot was the recommended one, 0-1 (NaN if none)."""
    success_when_not: float
    """Actual success where another slot was used, 0-1 (NaN if none)."""
    predicted_recommended: float
    """Mean predicted success of the recommended slots, 0-1."""
    predicted_used: float
    """Mean predicted success of the slots actually used, 0-1."""
    brier_model: float
    """Brier score of the model at the used slot (lower is better)."""
    brier_baseline: float
    """Brier score of the training-period overall rate."""


def _score(test: pd.DataFrame, model: SuccessModel, slots: Sequence[str], base_rate: float) -> pd.DataFrame:
    t = test.reset_index(drop=True)
    grid = t[["customer_id", "segment", "weekday"]].loc[t.index.repeat(len(slots))].reset_index()
    grid["slot"] = list(slots) * len(t)
    grid["p"] = model.predict(grid)
    best = grid.loc[grid.groupby("index")["p"].idxmax()].set_index("index")
    return t.assign(recommended=best["slot"].to_numpy(), p_recommended=best["p"].to_numpy(),
                    p_used=model.predict(t), base=base_rate)


def backtest(attempts: pd.DataFrame, slots: Sequence[str], *, folds: int = 3, fold_days: int = 30,
             strength: float | None = None) -> BacktestResult:
    """Rolling-origin backtest over the last ``folds`` x ``fold_days`` days of ``attempts``
    (:func:`first_attempts` rows); only attempts in ``slots`` are tested."""
    if folds < 1 or fold_days < 1:
        raise ValueError("folds and fold_days must be at least 1")
    if not slots:
        raise ValueError("give at least one offered slot to recommend from")
    dates = pd.to_datetime(attempts["date"])
    end = dates.max() + timedelta(days=1)
    parts, rows = [], []
    for k in range(folds, 0, -1):
        lo, hi = end - timedelta(days=k * fold_days), end - timedelta(days=(k - 1) * fold_days)
        train, test = attempts[dates < lo], attempts[(dates >= lo) & (dates < hi) & attempts["slot"].isin(slots)]
        if train.empty or test.empty:
            raise ValueError(f"not enough history for {folds} folds of {fold_days} days; use fewer or shorter folds")
        model = SuccessModel(strength).fit(train)
        scored = _score(test, model, slots, model.overall_)
        parts.append(scored)
        rows.append({"test_start": lo.date(), "test_end": (hi - timedelta(days=1)).date(), **_figures(scored)})
    allp = pd.concat(parts, ignore_index=True)
    f = _figures(allp)
    return BacktestResult(pd.DataFrame(rows), int(f["attempts"]), f["actual_success"], f["matched_share"],
                          f["success_when_matched"], f["success_when_not"], f["predicted_recommended"],
                          f["predicted_used"], f["brier_model"], f["brier_baseline"])


def _figures(s: pd.DataFrame) -> dict[str, float]:
    matched = s["slot"] == s["recommended"]
    y = s["success"].to_numpy(float)
    return {"attempts": float(len(s)), "actual_success": float(y.mean()), "matched_share": float(matched.mean()),
            "success_when_matched": float(y[matched.to_numpy()].mean()) if matched.any() else float("nan"),
            "success_when_not": float(y[~matched.to_numpy()].mean()) if (~matched).any() else float("nan"),
            "predicted_recommended": float(s["p_recommended"].mean()), "predicted_used": float(s["p_used"].mean()),
            "brier_model": float(np.mean((s["p_used"] - y) ** 2)),
            "brier_baseline": float(np.mean((s["base"] - y) ** 2))}
