"""Demand forecasting: automatic model choice by backtest, honest intervals, batch runs, accuracy tracking.

Analysts: ``from opscore.forecast import forecast, forecast_many``. ``forecast(y, horizon)`` takes a
pandas Series with dates (or an array with ``season_length``) and returns a :class:`ForecastResult`.
"""

from opscore.forecast.api import ForecastResult, ShortHistory, forecast, is_intermittent
from opscore.forecast.batch import forecast_many, forecast_one, replay
from opscore.forecast.intervals import Prediction
from opscore.forecast.registry import MODELS
from opscore.forecast.series import FREQ_ALIASES, aggregate, prepare

__all__ = ["FREQ_ALIASES", "MODELS", "ForecastResult", "Prediction", "ShortHistory", "aggregate", "forecast",
           "forecast_many", "forecast_one", "is_intermittent", "prepare", "replay"]
