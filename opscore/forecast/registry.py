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


def make(name: str) -> Model:
    """A model with default parameters from its short name."""
    try:
        return MODELS[name]()
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)} or 'auto'") from None
