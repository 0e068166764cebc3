"""The demand plan: every SKU forecast by :func:`opscore.forecast.panel.forecast_panel`, every category and the
total forecast by their own models, then reconciled (:mod:`opscore.forecast.reconcile`) so the categories and
the total equal the sum of their SKUs. Bottom-up or MinT with shrinkage is chosen by the backtest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from opscore.forecast.api import REGULAR_POOL, forecast
from opscore.forecast.batch import Progress
from opscore.forecast.censor import censored_matrix, impute
from opscore.forecast.global_model import GlobalSettings
from opscore.forecast.intervals import LEVELS
from opscore.forecast.panel import DAILY_POOL, PanelForecast, forecast_panel
from opscore.forecast.reconcile import Hierarchy, choose_method, hierarchy, reconcile
from opscore.forecast.series import SEASON_LENGTHS, normalise_freq


@dataclass(frozen=True)
class DemandPlan:
    """Coherent forecasts of every SKU, category and the total, and how they were made."""

    values: pd.DataFrame
    """Long frame: level ('sku', 'category', 'total'), unique_id, ds, mean, lo80, hi80, lo95, hi95, model
    (units per period). Each category's and the total's mean is the sum of its SKUs' means."""
    panel: PanelForecast
    """The SKU forecasts before reconciliation, their choices and the global model."""
    reconciliation: str
    """'bottom_up' or 'mint_shrink', whichever had the lower backtest error."""
    scores: dict[str, float]
    """Backtest error (mean RMSSE over levels) of each reconciliation method tried."""
    series: pd.DataFrame
    """How each node was forecast: unique_id, level, model, global_weight, mase, rmsse, smape, coverage80,
    coverage95, censored, reason (the SKUs' rows from the panel; categories and total from their own models)."""


def _demand(frame: pd.DataFrame, censored: pd.DataFrame | None, season_length: int) -> pd.DataFrame:
    """Demand per period (rows) and SKU (columns): sales, with an estimate on the ``censored`` periods."""
    wide = frame.pivot_table(index="ds", columns="unique_id", values="y", aggfunc="sum").fillna(0.0)
    wide.index = pd.DatetimeIndex(wide.index)
    if censored is None or censored.empty:
        return wide
    flags = censored_matrix(censored.rename(columns={"unique_id": "sku", "ds": "date"}), list(wide.columns),
                            wide.index)
    return pd.DataFrame(impute(wide.to_numpy(float).T, flags, season_length).T, wide.index, wide.columns)


def _nodes_frame(wide: pd.DataFrame, h: Hierarchy) -> dict[str, pd.Series]:
    """Each category's and the total's demand per period (sums of their SKUs)."""
    out = {h.labels[0]: wide.sum(axis=1)}
    skus = list(h.labels[h.n_aggregate:])
    for c, name in enumerate(h.labels[1:h.n_aggregate]):
        members = [s for s, k in zip(skus, h.category_of, strict=True) if k == c]
        out[name] = wide[members].sum(axis=1)
    return out


def forecast_plan(frame: pd.DataFrame, categories: pd.Series, horizon: int, freq: str,
                  levels: tuple[int, ...] = LEVELS, n_origins: int = 4, settings: GlobalSettings | None = None,
                  n_jobs: int | None = None, progress: Progress | None = None, client: Any = None,
                  censored: pd.DataFrame | None = None, drivers: pd.DataFrame | None = None) -> DemandPlan:
    """Forecast every SKU of ``frame`` (unique_id, ds, y at ``freq``), every category of ``categories``
    (SKU -> category) and the total ``horizon`` periods ahead, and reconcile them. ``censored`` (unique_id, ds):
    periods a SKU was out of stock, whose demand is estimated (also in the category and total demand). ``drivers``
    (unique_id, ds, promotion, price): promotion share and price per SKU and period, for the global model."""
    skus = sorted(frame["unique_id"].astype(str).unique())
    unknown = sorted(set(skus) - set(categories.index.astype(str)))
    if unknown:
        raise ValueError(f"{len(unknown)} SKU(s) with sales have no category, e.g. {', '.join(unknown[:5])}; "
                         "add them to the products table")
    h = hierarchy(categories.set_axis(categories.index.astype(str)).loc[skus])
    panel = forecast_panel(frame, horizon, freq, levels=levels, n_origins=n_origins, settings=settings,
                           n_jobs=n_jobs, progress=progress, client=client, censored=censored, drivers=drivers)
    alias = normalise_freq(freq)
    wide = _demand(frame, censored, SEASON_LENGTHS[alias])
    upper = {name: forecast(y, horizon, freq=freq, levels=levels, n_origins=n_origins, name=name,
                            regular_pool=DAILY_POOL if alias == "D" else REGULAR_POOL)
             for name, y in _nodes_frame(wide, h).items()}
    base, sku_bounds = _base(panel, upper, h, levels)
    bt_base, bt_actual = _backtests(panel, upper, h, wide)
    if len(bt_base) > 1:
        # origins latest first: each scored origin weighs MinT by the errors of the earlier origins only (known
        # then), so the earliest origin, with none, is not scored
        residuals = [np.concatenate([bt_actual[j] - bt_base[j] for j in range(k + 1, len(bt_base))], axis=1)
                     for k in range(len(bt_base) - 1)]
        method, scores = choose_method(bt_actual[:-1], bt_base[:-1], h, residuals, _scales(wide, h))
    else:
        method, scores = "bottom_up", {}
    all_errors = np.concatenate([a - b for a, b in zip(bt_actual, bt_base, strict=True)], axis=1) \
        if bt_base else None
    coherent = reconcile(base, h, method, all_errors if method != "bottom_up" else None)
    shift = coherent - base
    return DemandPlan(_values(h, coherent, shift, sku_bounds, upper, panel, levels, method), panel, method, scores,
                      _series_rows(h, upper, panel, method, scores))


RECONCILED_AS = {"bottom_up": "the sum of its SKUs' forecasts (bottom-up)",
              "mint_shrink": "its own forecast and its SKUs' combined by MinT (minimum trace, shrinkage), then the sum "
                             "of its SKUs"}
"""How a category's or the total's forecast is made, per reconciliation method, in words."""


def _series_rows(h: Hierarchy, upper: dict[str, Any], panel: PanelForecast, method: str,
                 scores: dict[str, float]) -> pd.DataFrame:
    """The plan's forecast_series rows: SKUs from the panel's summary, categories and the total from their own
    models' backtests, with how the reconciliation was chosen."""
    why = ("Backtest error (mean RMSSE over the levels): " +
           ", ".join(f"{k.replace('_', ' ')} {v:.3f}" for k, v in scores.items()) + ". ") if scores else ""
    rows = []
    for name in h.labels[:h.n_aggregate]:
        res = upper[name]
        board = res.backtest
        chosen = board[board["chosen"]] if "chosen" in board else board.iloc[0:0]
        row: dict[str, Any] = {
            "unique_id": name, "level": h.level[h.labels.index(name)], "model": res.model, "global_weight": 0.0,
            "censored": 0, "reason": f"The forecast is {RECONCILED_AS[method]}. {why}Its own forecast: {res.reason}"}
        for col in ("mase", "rmsse", "smape", "coverage80", "coverage95"):
            row[col] = float(chosen[col].iloc[0]) if len(chosen) and col in chosen else np.nan
        rows.append(row)
    skus = panel.summary.assign(level="sku").drop(columns="notes")
    return pd.concat([pd.DataFrame(rows), skus], ignore_index=True)


def _base(panel: PanelForecast, upper: dict[str, Any], h: Hierarchy,
          levels: tuple[int, ...]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Base forecasts of every node (n_nodes x horizon) and the SKUs' interval bounds."""
    wide = panel.values.pivot(index="unique_id", columns="ds")
    skus = list(h.labels[h.n_aggregate:])
    sku_mean = wide["mean"].loc[skus].to_numpy(float)
    top = np.vstack([upper[name].mean.to_numpy(float) for name in h.labels[:h.n_aggregate]])
    bounds = {f"{side}{lv}": wide[f"{side}{lv}"].loc[skus].to_numpy(float) for lv in levels for side in ("lo", "hi")}
    return np.vstack([top, sku_mean]), bounds


def _backtests(panel: PanelForecast, upper: dict[str, Any], h: Hierarchy,
               wide: pd.DataFrame) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Base forecasts and actuals of every node at each backtest origin shared by the SKUs and the upper nodes
    (n_nodes x backtest horizon each, latest origin first); a SKU without a forecast at an origin counts 0 (not yet
    sold). Actuals at every level are the demand of ``wide`` (sales, estimated on out-of-stock periods) summed as the
    hierarchy sums, so the levels are scored on the same numbers."""
    parts = [panel.backtest.assign(node=panel.backtest["unique_id"])] if not panel.backtest.empty else []
    for name, res in upper.items():
        bt = res.backtest_forecasts
        if not bt.empty:
            parts.append(bt[bt["model"] == res.model].assign(node=name))
    if len(parts) < 2:
        return [], []
    bt = pd.concat(parts, ignore_index=True)
    shared = set.intersection(*(set(p["origin"]) for p in parts))
    base, actual = [], []
    for origin in sorted(shared, reverse=True):
        at = bt[bt["origin"] == origin]
        ds = sorted(at.loc[at["node"] == h.labels[0], "ds"])
        mean = at.pivot_table(index="node", columns="ds", values="mean").reindex(index=list(h.labels), columns=ds)
        base.append(mean.fillna(0.0).to_numpy(float))
        actual.append(h.aggregate(wide[list(h.labels[h.n_aggregate:])].reindex(ds).to_numpy(float).T))
    return base, actual


def _scales(wide: pd.DataFrame, h: Hierarchy) -> np.ndarray:
    """Per node, the root mean square of its one-step changes (units), the RMSSE scale."""
    sku = wide[list(h.labels[h.n_aggregate:])].to_numpy(float).T
    rows = np.vstack([h.aggregate(sku)[:h.n_aggregate], sku])
    out = np.sqrt(np.mean(np.diff(rows, axis=1) ** 2, axis=1)) if rows.shape[1] > 1 else np.zeros(len(rows))
    return np.where(out > 0, out, 1.0)


def _values(h: Hierarchy, coherent: np.ndarray, shift: np.ndarray, sku_bounds: dict[str, np.ndarray],
            upper: dict[str, Any], panel: PanelForecast, levels: tuple[int, ...], method: str) -> pd.DataFrame:
    """The plan as a long frame (a category's and the total's model is the reconciliation ``method``); intervals
    keep each node's own width, moved with its reconciled mean."""
    dates = pd.DatetimeIndex(sorted(panel.values["ds"].unique()))
    models = panel.values.drop_duplicates("unique_id").set_index("unique_id")["model"]
    frames = []
    k = h.n_aggregate
    for row, name in enumerate(h.labels):
        out = pd.DataFrame({"level": h.level[row], "unique_id": name, "ds": dates, "mean": coherent[row]})
        for lv in levels:
            for side in ("lo", "hi"):
                own = (upper[name].lower if side == "lo" else upper[name].upper)[lv].to_numpy(float) if row < k \
                    else sku_bounds[f"{side}{lv}"][row - k]
                out[f"{side}{lv}"] = np.maximum(own + shift[row], 0.0)
        out["model"] = method if row < k else models.get(name, "")
        frames.append(out)
    return pd.concat(frames, ignore_index=True)
