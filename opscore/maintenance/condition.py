"""Condition-based risk: a gradient-boosting classifier for "fails within the next N days", evaluated honestly.

Evaluation uses a time-based split: the model is trained only on days whose whole label window ended before
the test period starts, and tested on later days (never a random split, which would leak the future through
overlapping windows). Metrics: precision and recall at a threshold, ROC AUC, Brier score and a calibration
table (Niculescu-Mizil & Caruana 2005, "Predicting good probabilities with supervised learning").
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import brier_score_loss, precision_score, recall_score, roc_auc_score
from threadpoolctl import ThreadpoolController

from opscore.maintenance.features import FEATURES


@functools.cache
def _threadpools() -> ThreadpoolController:
    """threadpoolctl's handle on the loaded thread-pool libraries (scikit-learn's OpenMP among them, loaded with this
    module), made once: scanning every loaded library takes about 40 ms."""
    return ThreadpoolController()


def _one_thread_here() -> AbstractContextManager[object]:
    """Context running the trees on one OpenMP thread in the calling thread only: ``omp_set_num_threads``, which
    threadpoolctl calls for OpenMP, sets the calling thread's count (OpenMP's nthreads-var is per thread), so
    other sessions' threads keep theirs. On this small data more threads only add contention (the fleet analysis
    took about three times as long with two threads on a busy two-core machine)."""
    limit: AbstractContextManager[object] = _threadpools().limit(limits=1, user_api="openmp")
    return limit


class FailureRiskModel:
    """Probability that an asset fails within ``horizon_days`` given its condition features on a day.

    Gradient-boosted trees (scikit-learn ``HistGradientBoostingClassifier``; Friedman 2001) on :data:`FEATURES`.
    """

    def __init__(self, horizon_days: int = 30, max_iter: int = 100, learning_rate: float = 0.08,
                 max_depth: int = 3, seed: int = 0) -> None:
        self.horizon_days = horizon_days
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.seed = seed

    def fit(self, features: pd.DataFrame, labels: pd.Series) -> FailureRiskModel:
        """Train on rows with known labels and complete sensor windows; returns self."""
        x, y = _usable(features, labels)
        if y.nunique() < 2:
            raise ValueError(f"Training needs both failures and non-failures within {self.horizon_days} days; "
                             f"the {len(y)} usable rows all have label {y.iloc[0] if len(y) else 'none'}. "
                             "A longer sensor history with at least one failure is needed.")
        model = HistGradientBoostingClassifier(
            max_iter=self.max_iter, learning_rate=self.learning_rate, max_depth=self.max_depth,
            l2_regularization=1.0, random_state=self.seed)
        with _one_thread_here():
            self.model_ = model.fit(x, y.astype(int))
        self.n_train_ = len(y)
        self.train_end_ = pd.Timestamp(features.loc[x.index, "date"].max())
        return self

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """P(failure within the horizon) per row; NaN where the sensor window is too sparse (a gap)."""
        if not hasattr(self, "model_"):
            raise ValueError("The model is not trained yet: call fit(features, labels) first.")
        out = np.full(len(features), np.nan)
        ok = features[["temp_z", "vib_z"]].notna().all(axis=1).to_numpy()
        if ok.any():
            with _one_thread_here():
                out[ok] = self.model_.predict_proba(features.loc[ok, list(FEATURES)])[:, 1]
        return out


def _usable(features: pd.DataFrame, labels: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    keep = labels.notna() & features[["temp_z", "vib_z"]].notna().all(axis=1)
    return features.loc[keep, list(FEATURES)], labels[keep]


@dataclass(frozen=True)
class TimeSplit:
    """Row masks of a time-based split."""

    train: pd.Series
    """True for training rows: day + horizon < test_start, so every training label is known before testing."""
    test: pd.Series
    """True for test rows: day >= test_start and the label is known."""
    test_start: pd.Timestamp
    """First day of the test period."""


def time_split(features: pd.DataFrame, labels: pd.Series, horizon_days: int, test_fraction: float = 0.3) -> TimeSplit:
    """Split by calendar time: the last ``test_fraction`` of labelled days form the test period.

    Training rows stop ``horizon_days`` before the test period so no training label looks into it.
    """
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1; got {test_fraction}.")
    known = labels.notna()
    days = np.sort(features.loc[known, "date"].unique())
    if len(days) < 2 * horizon_days + 10:
        raise ValueError(f"Only {len(days)} labelled days of sensor history; a fair time split with a "
                         f"{horizon_days}-day horizon needs at least {2 * horizon_days + 10}.")
    test_start = pd.Timestamp(days[int(len(days) * (1 - test_fraction))])
    train = known & (features["date"] + pd.Timedelta(days=horizon_days) < test_start)
    test = known & (features["date"] >= test_start)
    return TimeSplit(train=train, test=test, test_start=test_start)


@dataclass(frozen=True)
class ConditionEvaluation:
    """Out-of-time quality of the failure-risk classifier."""

    horizon_days: int
    """Days ahead the model predicts a failure for."""
    threshold: float
    """Probability above which an asset-day is flagged."""
    train_end: pd.Timestamp
    """Last training day (its label window ends before the test period)."""
    test_start: pd.Timestamp
    """First test day."""
    n_train: int
    """Training rows (asset-days)."""
    n_test: int
    """Test rows (asset-days)."""
    base_rate: float
    """Share of test rows that did fail within the horizon."""
    precision: float
    """Of the flagged test rows, the share that failed within the horizon."""
    recall: float
    """Of the test rows that failed within the horizon, the share flagged."""
    roc_auc: float
    """Area under the ROC curve on the test rows (0.5 = no better than chance)."""
    brier: float
    """Mean squared error of the probabilities (lower is better)."""
    calibration: pd.DataFrame
    """Calibration table: ``predicted`` mean probability vs ``observed`` failure share per bin."""


def evaluate_time_split(features: pd.DataFrame, labels: pd.Series, horizon_days: int = 30, threshold: float = 0.5,
                        test_fraction: float = 0.3, seed: int = 0) -> ConditionEvaluation:
    """Train on the earlier period, score the later one, report the metrics."""
    split = time_split(features, labels, horizon_days, test_fraction)
    model = FailureRiskModel(horizon_days=horizon_days, seed=seed).fit(features[split.train], labels[split.train])
    x_test = features[split.test]
    y_test = labels[split.test].astype(int).to_numpy()
    p = model.predict_proba(x_test)
    ok = ~np.isnan(p)
    y_test, p = y_test[ok], p[ok]
    if len(np.unique(y_test)) < 2:
        raise ValueError("The test period holds no failures (or only failures), so recall and ROC AUC are "
                         "undefined; use a longer history or a larger test_fraction.")
    flagged = p >= threshold
    observed, predicted = calibration_curve(y_test, p, n_bins=5, strategy="quantile")
    return ConditionEvaluation(
        horizon_days=horizon_days, threshold=threshold, train_end=model.train_end_, test_start=split.test_start,
        n_train=model.n_train_, n_test=int(len(y_test)), base_rate=float(y_test.mean()),
        precision=float(precision_score(y_test, flagged, zero_division=0)),
        recall=float(recall_score(y_test, flagged, zero_division=0)),
        roc_auc=float(roc_auc_score(y_test, p)), brier=float(brier_score_loss(y_test, p)),
        calibration=pd.DataFrame({"predicted": predicted, "observed": observed}),
    )


def latest_risk(model: FailureRiskModel, features: pd.DataFrame, as_of: date, max_stale_days: int = 3) -> pd.DataFrame:
    """Each asset's latest condition risk: ``asset_id, scored_on, p_condition, sensor_status``.

    An asset whose last complete sensor window is more than ``max_stale_days`` before ``as_of`` gets NaN and a
    status saying so, instead of a stale score.
    """
    complete = features[features[["temp_z", "vib_z"]].notna().all(axis=1)]
    last = complete.sort_values("date").groupby("asset_id").tail(1)
    last = last.assign(p=model.predict_proba(last))
    out = pd.DataFrame({"asset_id": features["asset_id"].unique()}).merge(
        last[["asset_id", "date", "p"]], on="asset_id", how="left")
    stale = (pd.Timestamp(as_of) - out["date"]).dt.days > max_stale_days
    out["sensor_status"] = np.where(out["date"].isna(), "no usable sensor data",
                                    np.where(stale, "sensor gap: no recent readings", "ok"))
    out.loc[stale | out["date"].isna(), "p"] = np.nan
    return out.rename(columns={"date": "scored_on", "p": "p_condition"})
