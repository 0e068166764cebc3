"""Automatic choice: score every model in a rolling-origin backtest, combine them with weights
inversely proportional to their backtest error, and keep a single model only when it is clearly and
consistently better than that combination.

Combination weights w_i ∝ 1 / MASE_i follow Bates & Granger (1969) and Stock & Watson (2004)
(inverse-error weighting); intervals combine by averaging the members' quantiles with the same weights
(Lichtendahl, Grushka-Cockayne & Winkler 2013). Picking one model per series from a short backtest is
noisy: on M3 monthly a single model chosen whenever it beats the combination even by 10-20 % at every
origin lost accuracy, so a single model wins only if it is at least ``margin`` (30 %) better at every origin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from opscore.forecast.backtest import Backtest, score
from opscore.forecast.intervals import Prediction
from opscore.forecast.registry import label as model_label

COMBINATION = "combination"


def combine(predictions: list[Prediction], weights: np.ndarray | None = None) -> Prediction:
    """Weighted mean of the members' point forecasts and, level by level, of their interval bounds."""
    w = np.full(len(predictions), 1 / len(predictions)) if weights is None else np.asarray(weights, float)
    w = w / w.sum()
    levels = predictions[0].lower.keys()

    def avg(arrays: list[np.ndarray]) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = w @ np.vstack(arrays)
        return out

    return Prediction(avg([p.mean for p in predictions]),
                      {lv: avg([p.lower[lv] for p in predictions]) for lv in levels},
                      {lv: avg([p.upper[lv] for p in predictions]) for lv in levels})


def inverse_error_weights(errors: np.ndarray) -> np.ndarray:
    """Weights proportional to 1 / error: models with zero error share all the weight; missing errors get
    none; equal weights when every error is missing."""
    e = np.asarray(errors, float)
    exact = np.isfinite(e) & (e <= 0)
    if exact.any():
        shared: npt.NDArray[np.float64] = exact / exact.sum()
        return shared
    good = np.isfinite(e)
    if not good.any():
        return np.full(len(e), 1 / len(e))
    w = np.where(good, 1 / np.where(good, e, 1.0), 0.0)
    weights: npt.NDArray[np.float64] = w / w.sum()
    return weights


@dataclass(frozen=True)
class Choice:
    """Which model won the backtest, and why."""

    winner: str
    """Short model name, or 'combination'."""
    members: tuple[str, ...]
    """Models in the combination, largest weight first."""
    weights: tuple[float, ...]
    """Combination weight of each member (sum 1)."""
    leaderboard: pd.DataFrame
    """One row per model tried (and the combination): backtest errors, interval coverage, weight, rank."""
    reason: str
    """Plain-language explanation of the choice."""
    combined: dict[int, Prediction]
    """The combination's forecast at each backtest origin (empty when only one model was tried)."""


def label(name: str) -> str:
    return "Weighted combination of all models" if name == COMBINATION else model_label(name)


def choose(y: np.ndarray, season_length: int, bt: Backtest, margin: float = 0.30,
           censored: np.ndarray | None = None) -> Choice:
    """Score the backtested models by MASE (leaving out ``censored`` periods), weight them by 1/MASE, and pick
    the winner."""
    scores = {name: score(y, season_length, preds, bt.horizon, censored) for name, preds in bt.predictions.items()}
    names = list(scores)
    weights = inverse_error_weights(np.array([scores[k]["mase"] for k in names]))
    order = np.argsort(-weights, kind="stable")
    members = tuple(names[i] for i in order if weights[i] > 0)
    member_w = tuple(float(weights[i]) for i in order if weights[i] > 0)
    ranked = sorted(names, key=lambda k: (np.nan_to_num(scores[k]["mase"], nan=np.inf), k))
    winner = ranked[0]
    combo: dict[int, Prediction] = {}
    if len(members) > 1:
        combo = {o: combine([bt.predictions[k][o] for k in members], np.array(member_w)) for o in bt.origins}
        scores[COMBINATION] = score(y, season_length, combo, bt.horizon, censored)
        best, comb = np.array(scores[winner]["mase_by_origin"]), np.array(scores[COMBINATION]["mase_by_origin"])
        origins = f"{len(bt.origins)} backtest origin{'s' if len(bt.origins) > 1 else ''}"
        if bool(np.all(best <= comb * (1 - margin))):
            reason = (f"{label(winner)} won: its error was at least {margin:.0%} below the weighted combination "
                      f"at each of the {origins} (MASE {scores[winner]['mase']:.2f} vs "
                      f"{scores[COMBINATION]['mase']:.2f}).")
        else:
            top = ", ".join(f"{label(k)} {w:.0%}" for k, w in zip(members[:3], member_w[:3], strict=False))
            reason = (f"A combination of all {len(members)} models was chosen, weighted by their backtest accuracy "
                      f"({top}, ...): no single model beat it by {margin:.0%} at each of the {origins} (best "
                      f"single: {label(winner)}, MASE {scores[winner]['mase']:.2f}; combination "
                      f"{scores[COMBINATION]['mase']:.2f}). Combining is steadier than betting on one model.")
            winner = COMBINATION
    else:
        reason = f"{label(winner)} was the only model tried (MASE {scores[winner]['mase']:.2f} in the backtest)."
    wmap = dict(zip(members, member_w, strict=True))
    rows = [{"model": k, "label": label(k), **{c: v for c, v in s.items() if c != "mase_by_origin"},
             "weight": wmap.get(k, np.nan)} for k, s in scores.items()]
    board = pd.DataFrame(rows).sort_values("mase", na_position="last").reset_index(drop=True)
    board.insert(0, "rank", np.arange(1, len(board) + 1))
    board["chosen"] = board["model"] == winner
    return Choice(winner, members if winner == COMBINATION else (winner,),
                  member_w if winner == COMBINATION else (1.0,), board, reason, combo)
