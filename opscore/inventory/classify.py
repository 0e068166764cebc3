"""ABC (by annual value) and XYZ (by demand variability) classes with a service target per class.

ABC: Pareto split of annual sales value at cost -- the SKUs making the first 80 % of value are A, the
next 15 % B, the rest C (Silver, Pyke & Thomas 2017, *Inventory and Production Management in Supply
Chains*, 4th ed., §2.4). XYZ: coefficient of variation of weekly demand, X <= 0.5, Y <= 1.0, Z above
(common practice, e.g. Scholz-Reiter et al. 2012, *CIRP J. Manuf. Sci. Technol.* 5(4)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SERVICE_TARGETS: dict[str, float] = {
    "AX": 0.99, "AY": 0.98, "AZ": 0.95,
    "BX": 0.97, "BY": 0.95, "BZ": 0.92,
    "CX": 0.95, "CY": 0.92, "CZ": 0.90,
}
"""Default cycle-service / fill-rate target per ABC-XYZ class (higher for valuable, steady items)."""


def abc_xyz(skus: list[str], annual_value: np.ndarray, weekly_demand: np.ndarray, a_share: float = 0.8,
            b_share: float = 0.95, x_cv: float = 0.5, y_cv: float = 1.0,
            targets: dict[str, float] | None = None) -> pd.DataFrame:
    """Classify SKUs. ``annual_value`` money per year; ``weekly_demand`` units per week, shape (SKUs, weeks).

    Returns sku, annual_value, value_share (cumulative, 0-1), abc, cv, xyz, cls (e.g. 'AX'), target.
    SKUs with no demand are 'C' and 'Z'.
    """
    if not 0 < a_share < b_share < 1:
        raise ValueError(f"abc_xyz: need 0 < a_share < b_share < 1, got {a_share}, {b_share}")
    if not 0 < x_cv < y_cv:
        raise ValueError(f"abc_xyz: need 0 < x_cv < y_cv, got {x_cv}, {y_cv}")
    value = np.asarray(annual_value, float)
    weekly = np.asarray(weekly_demand, float)
    if value.shape != (len(skus),) or weekly.shape[0] != len(skus):
        raise ValueError("abc_xyz: one annual value and one row of weekly demand per SKU are needed")
    if np.any(value < 0) or np.any(weekly < 0):
        raise ValueError("abc_xyz: annual values and demand must be zero or more")
    order = np.argsort(-value, kind="stable")
    total = value.sum()
    cum = np.empty_like(value)
    cum[order] = np.cumsum(value[order]) / total if total > 0 else 1.0
    prev = cum - (value / total if total > 0 else 0)  # share before this SKU: A if the SKU starts inside 80 %
    abc = np.where(prev < a_share, "A", np.where(prev < b_share, "B", "C"))
    abc = np.where(value > 0, abc, "C")
    mean = weekly.mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv = np.where(mean > 0, weekly.std(axis=1, ddof=1) / mean, np.inf)
    xyz = np.where(cv <= x_cv, "X", np.where(cv <= y_cv, "Y", "Z"))
    cls = np.char.add(abc.astype(str), xyz.astype(str))
    table = targets or SERVICE_TARGETS
    return pd.DataFrame({"sku": skus, "annual_value": value, "value_share": cum, "abc": abc, "cv": cv,
                         "xyz": xyz, "cls": cls, "target": [table[c] for c in cls]})
