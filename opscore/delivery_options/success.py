"""First-attempt success per customer x weekday x slot, shrunk towards segment and overall rates.

Empirical Bayes beta-binomial (Casella 1985, "An introduction to empirical Bayes data analysis",
The American Statistician 39(2), 83-87): each group's success probability is drawn from a Beta prior
with mean p (its parent's rate) and strength m = alpha + beta; the posterior mean is
(s + m p) / (n + m) for s successes in n attempts. m is estimated per level by the method of moments:
for a beta-binomial, Var(s/n) = p (1 - p) (m + n) / (n (m + 1)), matched to the observed squared
deviations of the raw rates from their parents' rates.

Levels, each shrunk to the one above: overall rate -> segment -> segment x weekday x slot -> customer x
weekday x slot. A new customer or an unseen slot gets the nearest level with data.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import brentq

MIN_STRENGTH, MAX_STRENGTH = 1.0, 1000.0
"""Bounds of the prior strength m (pseudo-attempts)."""


def moment_strength(successes: np.ndarray, attempts: np.ndarray, prior: np.ndarray) -> float:
    """Method-of-moments prior strength m for groups with ``successes`` of ``attempts`` around ``prior`` rates."""
    n, s, p = (np.asarray(a, dtype=float) for a in (attempts, successes, prior))
    keep = (n > 0) & (p > 0) & (p < 1)
    n, s, p = n[keep], s[keep], p[keep]
    if len(n) < 2:
        return MAX_STRENGTH
    observed = float(np.sum((s / n - p) ** 2))

    def gap(m: float) -> float:
        return float(np.sum(p * (1 - p) * (m + n) / (n * (m + 1)))) - observed

    lo, hi = gap(MIN_STRENGTH), gap(MAX_STRENGTH)
    if lo <= 0:
        return MIN_STRENGTH
    if hi >= 0:
        return MAX_STRENGTH
    return float(brentq(gap, MIN_STRENGTH, MAX_STRENGTH))


def _shrink(groups: pd.DataFrame, prior: pd.Series, strength: float | None) -> tuple[pd.Series, float]:
    m = moment_strength(groups["s"], groups["n"], prior) if strength is None else float(strength)
    return (groups["s"] + m * prior) / (groups["n"] + m), m


class SuccessModel:
    """Predicts the chance a first attempt succeeds for a customer, weekday (0 = Mon) and slot."""

    def __init__(self, strength: float | None = None) -> None:
        """``strength``: prior pseudo-attempts at every level; None estimates it from the data."""
        if strength is not None and not MIN_STRENGTH <= strength <= MAX_STRENGTH:
            raise ValueError(f"strength {strength} must lie between {MIN_STRENGTH:g} and {MAX_STRENGTH:g}")
        self.strength = strength

    def fit(self, attempts: pd.DataFrame) -> SuccessModel:
        """Learn from :func:`opscore.delivery_options.history.first_attempts` rows."""
        if attempts.empty:
            raise ValueError("no finished first attempts to learn from; import deliveries with outcomes first")
        a = attempts
        self.overall_ = float(a["success"].mean())
        self.attempts_ = len(a)
        seg_all = a.groupby("segment")["success"].agg(s="sum", n="count").reset_index()
        seg_all["rate"], m1 = _shrink(seg_all, pd.Series(self.overall_, index=seg_all.index), self.strength)
        seg = a.groupby(["segment", "weekday", "slot"])["success"].agg(s="sum", n="count").reset_index()
        seg = seg.merge(seg_all[["segment", "rate"]].rename(columns={"rate": "parent"}), on="segment")
        seg["rate"], m2 = _shrink(seg, seg["parent"], self.strength)
        cus = a.groupby(["customer_id", "segment", "weekday", "slot"])["success"].agg(s="sum", n="count").reset_index()
        cus = cus.merge(seg[["segment", "weekday", "slot", "rate"]].rename(columns={"rate": "parent"}),
                        on=["segment", "weekday", "slot"])
        cus["rate"], m3 = _shrink(cus, cus["parent"], self.strength)
        self.segment_overall_ = seg_all.set_index("segment")["rate"]
        self.segment_rates_, self.customer_rates_ = seg, cus
        self.keys_ = (set(zip(cus["customer_id"], cus["weekday"], cus["slot"])),
                      set(zip(seg["segment"], seg["weekday"], seg["slot"])))
        self.strengths_ = {"segment": m1, "segment x weekday x slot": m2, "customer x weekday x slot": m3}
        return self

    def _check(self) -> None:
        if not hasattr(self, "overall_"):
            raise ValueError("the success model is not fitted yet; call fit(first_attempts(...)) first")

    def predict(self, rows: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Success probability for rows with customer_id, segment, weekday and slot (unseen ones fall back up)."""
        self._check()
        r = rows[["customer_id", "segment", "weekday", "slot"]].reset_index(drop=True)
        r = r.merge(self.customer_rates_[["customer_id", "weekday", "slot", "rate"]].rename(columns={"rate": "c"}),
                    on=["customer_id", "weekday", "slot"], how="left")
        r = r.merge(self.segment_rates_[["segment", "weekday", "slot", "rate"]].rename(columns={"rate": "g"}),
                    on=["segment", "weekday", "slot"], how="left")
        seg = r["segment"].map(self.segment_overall_)
        rate: npt.NDArray[np.float64] = r["c"].fillna(r["g"]).fillna(seg).fillna(self.overall_).to_numpy(float)
        return rate

    def source(self, rows: pd.DataFrame) -> list[str]:
        """Which level each prediction comes from: 'customer', 'segment slot', 'segment' or 'overall'."""
        self._check()
        keys = rows[["customer_id", "segment", "weekday", "slot"]]
        c, g = self.keys_
        out = []
        for cid, seg, wd, sl in keys.itertuples(index=False):
            out.append("customer" if (cid, wd, sl) in c else "segment slot" if (seg, wd, sl) in g
                       else "segment" if seg in self.segment_overall_.index else "overall")
        return out
