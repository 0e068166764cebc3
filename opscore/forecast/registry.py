"""Every forecasting model by its short name, the simpler model each falls back to, and ``make(name)``."""

from __future__ import annotations

from opscore.forecast.arima import AutoARIMA
from opscore.forecast.models import (
    ETS,
    SBA,
    SES,
    TSB,
    Croston,
    Damped,
    Holt,
    Model,
    Naive,
    SeasonalNaive,
    Theta,
)

MODELS: dict[str, type[Model]] = {cls.name: cls for cls in
                                  (Naive, SeasonalNaive, SES, Holt, Damped, Theta, ETS, AutoARIMA, Croston, SBA, TSB)}
"""Every model by its short name (used by ``forecast(method=...)``)."""

FALLBACK: dict[str, str] = {"snaive": "naive", "ses": "naive", "holt": "ses", "damped": "ses", "theta": "ses",
                            "ets": "theta", "arima": "theta", "croston": "naive", "sba": "naive", "tsb": "naive"}
"""The simpler model used when a series is too short for a model."""


GLOBAL = "global"
"""Short name of the global model (:mod:`opscore.forecast.global_model`), trained across all series of a panel."""
GLOBAL_LABEL = "Global gradient boosting (LightGBM, learns from all products)"


RECONCILED: dict[str, str] = {"bottom_up": "Sum of its products' forecasts (bottom-up)",
                              "mint_shrink": "Reconciled with its products' forecasts (MinT, shrinkage)"}
"""How a category's or the total's forecast in a demand plan was made (:mod:`opscore.forecast.plan`)."""


def label(name: str) -> str:
    """A model's name for people, from its short name (a forecast made elsewhere and offered to the automatic
    choice keeps the name it was given)."""
    if name == GLOBAL:
        return GLOBAL_LABEL
    if name in RECONCILED:
        return RECONCILED[name]
    return MODELS[name].label if name in MODELS else name


def make(name: str) -> Model:
    """A model with default parameters from its short name."""
    try:
        return MODELS[name]()
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)} or 'auto'") from None
