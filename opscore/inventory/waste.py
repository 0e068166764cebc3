"""Where simulated waste comes from: stock that outlasts its shelf life.

Waste over a period is a flow, stock on the shelf a level: fresh lines that keep three days turn their stock
over every few days, so six months' waste can pass the average stock. :func:`explain_waste` puts it against
the stock there was (at the start and bought) and names the items whose levels hold more than they sell before
the use-by date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class WasteReport:
    """Units thrown away in a simulation, against the stock there was to sell, and the items behind them."""

    thrown_away: float
    """Units past their use-by date, summed over items (mean over runs)."""
    supplied: float
    """Units on hand at the start plus units ordered in the same runs."""
    outlasting_items: int
    """Items whose max level is more than they sell in a shelf life (stock that must partly expire)."""
    outlasting_share: float
    """Share of the waste from those items, 0-1 (NaN when nothing is thrown away)."""
    worst: tuple[str, ...]
    """Up to three of those items that throw away most, largest first."""

    @property
    def share_of_supplied(self) -> float:
        """Thrown away as a share of the units there were (at the start and bought), 0-1; NaN if none."""
        return self.thrown_away / self.supplied if self.supplied > 0 else float("nan")


def explain_waste(policy: pd.DataFrame, products: pd.DataFrame, per_sku: pd.DataFrame,
                  on_hand_at_start: np.ndarray | float = 0.0) -> WasteReport:
    """``policy`` (design/tune rows), ``products`` and a simulation's ``per_sku`` rows, all in the same item order;
    ``on_hand_at_start``: units each item started with (0 for a run from the levels)."""
    if not len(policy) == len(products) == len(per_sku):
        raise ValueError("explain_waste: policy, products and simulation rows must be the same items in the same order")
    waste = per_sku["waste_units"].to_numpy(float)
    life = products["shelf_life_days"].to_numpy(dtype=float, na_value=np.nan)
    outlasting = np.isfinite(life) & (policy["max_level"].to_numpy(float)
                                      > policy["daily_demand"].to_numpy(float) * life)
    total = float(waste.sum())
    ranked = [i for i in np.argsort(-waste, kind="stable") if outlasting[i] and waste[i] > 0][:3]
    return WasteReport(
        thrown_away=total,
        supplied=float(per_sku["units_ordered"].sum() + np.broadcast_to(on_hand_at_start, waste.shape).sum()),
        outlasting_items=int(outlasting.sum()),
        outlasting_share=float(waste[outlasting].sum() / total) if total > 0 else float("nan"),
        worst=tuple(str(products["name"].iloc[i]) for i in ranked),
    )
