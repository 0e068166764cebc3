"""What-if adjustments of a forecast: an overall uplift, a planned promotion, a price change.

Price response uses constant-elasticity demand d(p) = C p^e (Phillips, *Pricing and Revenue
Optimization*, 2005, §3.3.3), so a price change of x % multiplies demand by (1 + x/100)^e.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opscore.forecast.intervals import Prediction


@dataclass(frozen=True)
class WhatIf:
    """Planned changes to apply to a baseline forecast."""

    uplift_pct: float = 0.0
    """Overall change in demand, percent (e.g. 10 = 10 % more)."""
    promo_periods: tuple[pd.Timestamp, ...] = ()
    """Future periods with a planned promotion."""
    promo_lift: float = 1.0
    """Demand multiplier during a promotion (e.g. 1.4 = 40 % more), typically from past promotions."""
    price_change_pct: float = 0.0
    """Price change, percent (e.g. -5 = 5 % cheaper)."""
    elasticity: float = -1.5
    """Price elasticity of demand (negative: higher price, fewer sales)."""


def multipliers(index: pd.Index, plan: WhatIf) -> np.ndarray:
    """Demand multiplier per future period for a plan."""
    if plan.uplift_pct <= -100:
        raise ValueError(f"an uplift of {plan.uplift_pct:g} % would remove all demand; use a value above -100")
    if plan.price_change_pct <= -100:
        raise ValueError(f"a price change of {plan.price_change_pct:g} % would make the price zero or negative")
    if plan.promo_lift <= 0:
        raise ValueError(f"promotion lift must be positive (1 = no effect), got {plan.promo_lift:g}")
    factor = np.full(len(index), (1 + plan.uplift_pct / 100) * (1 + plan.price_change_pct / 100) ** plan.elasticity)
    if plan.promo_periods:
        factor = factor * np.where(pd.Index(index).isin(pd.DatetimeIndex(plan.promo_periods)), plan.promo_lift, 1.0)
    return factor


def apply(pred: Prediction, index: pd.Index, plan: WhatIf) -> Prediction:
    """The forecast scaled by the plan's multipliers (intervals scale with it)."""
    return pred.scaled(multipliers(index, plan))


def summary(base_total: float, new_total: float, plan: WhatIf, unit: str, periods: int, period_word: str) -> str:
    """One or two plain sentences describing the effect of a plan."""
    change = (new_total / base_total - 1) * 100 if base_total > 0 else 0.0
    text = (f"Expected demand over the next {periods} {period_word}s: {new_total:,.0f} {unit}"
            f" ({change:+.1f} % against the plain forecast of {base_total:,.0f}).")
    parts = []
    if plan.uplift_pct:
        parts.append(f"an overall change of {plan.uplift_pct:+g} %")
    if plan.promo_periods:
        parts.append(f"a promotion in {len(plan.promo_periods)} {period_word}(s) lifting sales x{plan.promo_lift:.2f}")
    if plan.price_change_pct:
        parts.append(f"a price change of {plan.price_change_pct:+g} % (elasticity {plan.elasticity:g})")
    if parts:
        text += " This includes " + ", ".join(parts) + "."
    return text
