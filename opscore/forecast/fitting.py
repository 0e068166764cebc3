"""Fit one model with the visible fallbacks: a series too short for a model gets a simpler one,
and regressors (promotions, holidays) enter ARIMA natively and other models by residual adjustment."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from opscore.forecast.intervals import LEVELS, Prediction
from opscore.forecast.models import Model
from opscore.forecast.registry import FALLBACK, MODELS, make


@dataclass(frozen=True)
class Fitted:
    """A fitted model and its forecast."""

    requested: str
    """Model asked for (short name)."""
    used: str
    """Model actually fitted (differs after a fallback)."""
    model: Model
    prediction: Prediction
    notes: tuple[str, ...]
    """Plain-language remarks: fallbacks, seasonality ignored, regressors used."""


INTERMITTENT = ("croston", "sba", "tsb")


def fit_predict(name: str, y: np.ndarray, season_length: int, horizon: int, levels: tuple[int, ...] = LEVELS,
                x: np.ndarray | None = None, x_future: np.ndarray | None = None) -> Fitted:
    """Fit ``name`` on ``y`` and forecast ``horizon`` periods, falling back along ``FALLBACK``
    (e.g. seasonal naive -> naive) when the series is too short or the model cannot be estimated, with the
    reason in ``notes``."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")
    if (x is None) != (x_future is None):
        raise ValueError("regressors must be given both for the history (x) and for the forecast periods "
                         "(x_future), or not at all")
    notes: list[str] = []
    used = name
    while True:
        model = make(used)
        need = model.min_length(season_length)
        if len(y) >= need:
            break
        nxt = FALLBACK.get(used, "naive") if used != "naive" else None
        if nxt is None:
            raise ValueError(f"the series has {len(y)} value(s); at least 2 are needed to forecast")
        notes.append(f"{model.label} needs {need} periods but the series has {len(y)}: used "
                     f"{MODELS[nxt].label} instead")
        used = nxt
    beta = None
    target = y
    if x is not None and used != "arima":
        if used in INTERMITTENT:
            notes.append("promotion/holiday effects are not applied to intermittent-demand models")
        else:
            beta = _regressor_effects(y, x)
            target = y - x @ beta
            notes.append("promotion/holiday effects estimated by regression and removed before fitting")
    try:
        model.fit(target, season_length, x if used == "arima" else None)
        pred = model.predict(horizon, levels, x_future if used == "arima" else None)
    except (ValueError, np.linalg.LinAlgError) as exc:
        if used == "naive":
            raise
        simpler = FALLBACK.get(used, "naive")
        inner = fit_predict(simpler, y, season_length, horizon, levels, x, x_future)
        note = f"{model.label} could not be estimated ({exc}): used {MODELS[inner.used].label} instead"
        return Fitted(name, inner.used, inner.model, inner.prediction, (*notes, note, *inner.notes))
    if beta is not None:
        shift = np.asarray(x_future, float) @ beta
        pred = Prediction(pred.mean + shift, {k: v + shift for k, v in pred.lower.items()},
                          {k: v + shift for k, v in pred.upper.items()})
    return Fitted(name, used, model, pred.clipped(0.0), tuple(notes + list(model.notes_)))


def _regressor_effects(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Least-squares effects of the regressors (units per period per unit of x), with an intercept and a
    linear trend in the regression so that they do not absorb level or growth (FPP3 §7.1, §7.4)."""
    x = np.asarray(x, float)
    if x.ndim != 2 or len(x) != len(y):
        raise ValueError(f"regressors must be a 2-D array with one row per period ({len(y)}), got shape {x.shape}")
    t = np.arange(len(y), dtype=float)
    design = np.column_stack([np.ones(len(y)), t, x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    effects: npt.NDArray[np.float64] = coef[2:]
    return effects
