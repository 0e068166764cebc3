"""What-if multipliers and classical seasonal decomposition, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.forecast.intervals import Prediction
from opscore.forecast.seasonality import classical_decomposition, is_seasonal
from opscore.forecast.whatif import WhatIf, apply, multipliers


def test_price_elasticity_uplift_and_promotion_multiply() -> None:
    """Constant-elasticity demand (Phillips 2005 §3.3): +10 % price at elasticity -1.5 gives 1.1^-1.5 = 0.8668;
    with a +20 % uplift and a x1.5 promotion in the second period: 0.8668 * 1.2, then * 1.5."""
    index = pd.date_range("2026-11-08", periods=3, freq="7D")
    plan = WhatIf(uplift_pct=20, promo_periods=(index[1],), promo_lift=1.5, price_change_pct=10, elasticity=-1.5)
    base = 1.1 ** -1.5 * 1.2
    np.testing.assert_allclose(multipliers(index, plan), [base, base * 1.5, base])
    pred = apply(Prediction(np.array([10.0, 10, 10]), {80: np.array([8.0, 8, 8])}, {80: np.array([12.0, 12, 12])}),
                 index, plan)
    np.testing.assert_allclose(pred.upper[80], 12 * multipliers(index, plan))
    with pytest.raises(ValueError, match="above -100"):
        multipliers(index, WhatIf(uplift_pct=-100))


def test_classical_decomposition_recovers_known_indices() -> None:
    """A constant level of 100 times seasonal indices 0.8, 1.0, 1.2, 1.0 (mean 1) decomposes back to exactly
    those indices (FPP2 §6.3); the 90 % lag-m autocorrelation test flags it, and not white noise."""
    s = np.array([0.8, 1.0, 1.2, 1.0])
    y = 100 * np.tile(s, 6)
    dec = classical_decomposition(y, 4)
    assert dec.multiplicative
    np.testing.assert_allclose(dec.indices, s, atol=1e-12)
    np.testing.assert_allclose(dec.remove(y), 100.0)
    assert is_seasonal(y, 4)
    assert not is_seasonal(np.random.default_rng(0).normal(100, 1, 48), 4)
