"""Reorder levels tuned by simulation until each item meets its own service target.

The normal-approximation levels of :func:`opscore.inventory.planning.design` are a starting point. They miss
their target where its assumptions fail: intermittent or lumpy demand, a daily review that orders below the
minimum (undershoot), MOQs and shelf lives. :func:`tune` simulates the policy once in place
(``run(from_today=False)``), finds the items whose achieved service is below target, raises their levels
and simulates those items again, a bounded number of rounds. An item is reported as meeting its target when
its achieved service is within the 95 % confidence interval of it.
Simulation-based tuning of (s, S) levels: Law (2015) *Simulation Modeling and Analysis*, 5th ed., ch. 12;
the step in z-units follows the normal model (Snyder & Shen 2019, eq. 5.21).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from opscore.inventory.inputs import InventoryInputs
from opscore.inventory.planning import Settings, design, run, runs_for

MEASURE = {"csl": "cycle_service_level", "fill_rate": "fill_rate"}
"""Simulated measure held to the target of each target kind."""


@dataclass(frozen=True)
class TunedPolicy:
    """Reorder levels after tuning and how each item did in its last simulation."""

    policy: pd.DataFrame
    """:func:`design` columns with tuned ``min_level``/``max_level``/``safety_stock``, plus ``formula_min`` (the
    normal formula's min), ``achieved`` and ``achieved_ci`` (the target's measure once in place, 0-1, and its 95 %
    half-width; NaN for items with no demand) and ``meets_target`` (achieved + half-width >= target)."""
    measure: str
    """'cycle_service_level' or 'fill_rate'."""
    rounds: int
    """Simulation rounds run (the first simulates every item, later ones only those still short)."""
    days: int
    """Days simulated per round."""
    replications: int
    """Runs of the first round."""

    @property
    def added(self) -> np.ndarray:
        """Units tuning added to each item's formula levels."""
        added: npt.NDArray[np.float64] = (self.policy["min_level"] - self.policy["formula_min"]).to_numpy(float)
        return added

    @property
    def raised(self) -> int:
        """Items with demand whose levels tuning raised above the formula's."""
        return int((self.added[self.policy["daily_demand"].to_numpy(float) > 0] > 0).sum())

    @property
    def active(self) -> pd.DataFrame:
        """Items with demand (the ones a target applies to)."""
        return self.policy[self.policy["daily_demand"] > 0]

    @property
    def mean_target(self) -> float:
        """Average target over items with demand, 0-1 (NaN if none)."""
        return float(self.active["target"].mean()) if len(self.active) else float("nan")

    @property
    def mean_achieved(self) -> float:
        """Average achieved service over items with demand once the levels are in place, 0-1 (NaN if none)."""
        return float(self.active["achieved"].mean()) if len(self.active) else float("nan")

    @property
    def short(self) -> pd.DataFrame:
        """Items still below target after the last round (their levels hit the round limit)."""
        return self.policy[~self.policy["meets_target"]]


def _raise_by(achieved: np.ndarray, target: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Whole units to add to an item's levels: the normal model's z gap times its protection spread, 1 at least.

    The gap is clipped to 0.25-1.5 z so that one noisy round neither stalls nor overshoots."""
    low = np.clip(np.nan_to_num(achieved, nan=0.5), 0.01, 0.999)
    gap = np.clip(stats.norm.ppf(target) - stats.norm.ppf(low), 0.25, 1.5)
    step: npt.NDArray[np.float64] = np.maximum(np.ceil(gap * spread), 1.0)
    return step


def tune(inputs: InventoryInputs, settings: Settings, policy: pd.DataFrame | None = None, *, days: int = 182,
         most_runs: int = 48, least_runs: int = 8, item_runs: int = 10_000, max_rounds: int = 8,
         seed: int = 29, start: TunedPolicy | None = None) -> TunedPolicy:
    """Raise the levels of ``policy`` (default :func:`design`) item by item until each meets its target.

    Each round simulates the items still short for ``days`` from their max level (see ``run(from_today=False)``)
    with :func:`runs_for` runs (at most ``most_runs``: with 24, noise let about 5 % of the sample's items stop just
    short of a 98 % target, which a simulation on another seed then showed) and raises the levels of items whose
    achieved service is below target; an item meets its target when its achieved service plus the 95 % half-width
    reaches it. Items with no demand are left as designed. ``max_rounds`` bounds the work; items still short then
    are flagged in ``meets_target``.
    ``start``: another tuning of the same items (e.g. at other costs) whose added units the first round starts
    from, so that few items need raising again (tuning only raises, so the result meets the targets all the same);
    items that tuning left short are simulated but not raised again.
    """
    if max_rounds < 1 or days < 28:
        raise ValueError(f"tune: need max_rounds >= 1 and days >= 28; got {max_rounds} and {days}")
    measure = MEASURE[settings.target_kind]
    policy = (design(inputs, settings) if policy is None else policy).reset_index(drop=True)
    low = policy["min_level"].to_numpy(float).copy()
    high = policy["max_level"].to_numpy(float).copy()
    safety = policy["safety_stock"].to_numpy(float).copy()
    if start is not None:
        if list(start.policy["sku"]) != list(policy["sku"]):
            raise ValueError("tune: the tuning to start from must hold the same items, in order")
        extra = np.where(policy["daily_demand"].to_numpy(float) > 0, start.added, 0.0)
        low, high, safety = low + extra, high + extra, safety + extra
    # items the start's rounds could not lift (a lead time longer than the shelf life...) are not raised again
    stuck = np.zeros(len(policy), bool) if start is None else ~start.policy["meets_target"].to_numpy(bool)
    target = policy["target"].to_numpy(float)
    spread = policy["protection_sd"].to_numpy(float)
    achieved = np.full(len(policy), np.nan)
    half = np.full(len(policy), np.nan)
    todo = np.flatnonzero(policy["daily_demand"].to_numpy(float) > 0)
    rounds = 0
    first_runs = runs_for(len(todo), most_runs, least_runs, item_runs)
    while len(todo) and rounds < max_rounds:
        rounds += 1
        trial = policy.iloc[todo].assign(min_level=low[todo], max_level=high[todo]).reset_index(drop=True)
        result = run(inputs.select(todo.tolist()), settings, trial, days=days, seed=seed, from_today=False,
                     replications=runs_for(len(todo), most_runs, least_runs, item_runs))
        got = result.per_sku[measure].to_numpy(float)
        ci = np.nan_to_num(result.per_sku[measure + "_ci"].to_numpy(float))
        achieved[todo], half[todo] = got, ci
        short = np.nan_to_num(got, nan=1.0) < target[todo]  # aim at the target itself, not at its margin
        short &= ~stuck[todo]
        if rounds == max_rounds or not short.any():
            break
        todo = todo[short]
        step = _raise_by(achieved[todo], target[todo], spread[todo])
        low[todo] += step
        high[todo] += step
        safety[todo] += step
    active = policy["daily_demand"].to_numpy(float) > 0
    meets = ~active | (np.nan_to_num(achieved, nan=1.0) + np.nan_to_num(half) >= target)
    tuned = policy.assign(formula_min=policy["min_level"], min_level=low, max_level=high, safety_stock=safety,
                          achieved=achieved, achieved_ci=half, meets_target=meets)
    return TunedPolicy(policy=tuned, measure=measure, rounds=rounds, days=days, replications=first_runs)


def retarget(tuned: TunedPolicy, redesigned: pd.DataFrame) -> pd.DataFrame:
    """``redesigned`` levels (:func:`design` for other settings, same items) plus the units tuning added to each.

    A what-if re-plans with the formula and keeps what simulation found each item needs beyond it, so a slider
    move does not re-run the tuning."""
    if list(redesigned["sku"]) != list(tuned.policy["sku"]):
        raise ValueError("retarget: the redesigned policy must hold the same items as the tuned one, in order")
    extra = np.where(redesigned["daily_demand"].to_numpy(float) > 0, tuned.added, 0.0)
    return redesigned.reset_index(drop=True).assign(
        min_level=redesigned["min_level"].to_numpy(float) + extra,
        max_level=redesigned["max_level"].to_numpy(float) + extra,
        safety_stock=redesigned["safety_stock"].to_numpy(float) + extra)
