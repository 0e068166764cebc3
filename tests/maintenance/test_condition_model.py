"""Condition features, labels, the time-based evaluation (no future leakage), drift flags and sensor gaps."""

from __future__ import annotations

import threading
from datetime import date

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info

from opscore.maintenance import condition
from opscore.maintenance.anomaly import drift_flags, recent_drift
from opscore.maintenance.condition import FailureRiskModel, evaluate_time_split, latest_risk, time_split
from opscore.maintenance.features import failure_labels, rolling_features, sensor_gaps
from opscore.maintenance.lifetimes import extract_lifetimes


def _sample(store):
    assets, events = store.table("assets"), store.table("maintenance_events")
    readings = store.table("sensor_readings")
    lifetimes = extract_lifetimes(assets, events, store.as_of())
    return assets, events, readings, lifetimes


def _synthetic(days: int = 200, step_at: int | None = None, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    vib = 2 + rng.normal(0, 0.2, days)
    if step_at is not None:
        vib[step_at:] += 1.0
    return pd.DataFrame({"asset_id": "X", "ts": pd.date_range("2026-01-01 12:00", periods=days, freq="D"),
                         "temperature_c": 3 + rng.normal(0, 0.5, days), "vibration_mm_s": vib,
                         "run_hours": 20.0, "load_pct": 60.0})


def test_time_split_never_lets_training_labels_see_the_test_period(sample_store) -> None:
    """Every training row's label window (day, day + 30] ends before the first test day, and every test day
    comes after every training day: no future leakage from a random split."""
    _, events, readings, lifetimes = _sample(sample_store)
    feats = rolling_features(readings, lifetimes)
    labels = failure_labels(feats, events, sample_store.as_of(), 30)
    split = time_split(feats, labels, 30)
    train_days, test_days = feats.loc[split.train, "date"], feats.loc[split.test, "date"]
    assert (train_days + pd.Timedelta(days=30)).max() < split.test_start <= test_days.min()
    assert not (split.train & split.test).any() and labels[split.train | split.test].notna().all()


def test_features_use_only_the_past(sample_store) -> None:
    """Changing every reading after a cut-off day leaves all features up to that day unchanged."""
    _, _, readings, lifetimes = _sample(sample_store)
    cut = pd.Timestamp("2026-05-01")
    before = rolling_features(readings, lifetimes)
    changed = readings.copy()
    later = pd.to_datetime(changed["ts"]) > cut + pd.Timedelta(days=1)
    changed.loc[later, ["temperature_c", "vibration_mm_s", "load_pct"]] *= 3
    after = rolling_features(changed, lifetimes)
    upto = before["date"] <= cut
    pd.testing.assert_frame_equal(before[upto].reset_index(drop=True), after[upto].reset_index(drop=True))


def test_labels_are_unknown_when_the_window_passes_today() -> None:
    """A day whose 30-day window reaches past as-of has no label unless a failure already happened in it."""
    feats = pd.DataFrame({"asset_id": "X", "date": pd.to_datetime(["2026-01-01", "2026-01-20", "2026-10-25",
                                                                   "2026-10-20"])})
    events = pd.DataFrame({"asset_id": ["X", "X"], "date": pd.to_datetime(["2026-02-10", "2026-10-28"]),
                           "kind": ["failure", "failure"]})
    labels = failure_labels(feats, events, date(2026, 11, 2), 30)
    assert labels.tolist()[:2] == [0.0, 1.0] and labels.iloc[2] == 1.0 and labels.iloc[3] == 1.0
    no_fail = failure_labels(feats, events.iloc[:1], date(2026, 11, 2), 30)
    assert np.isnan(no_fail.iloc[2]) and np.isnan(no_fail.iloc[3])


def test_out_of_time_evaluation_beats_chance_on_the_sample(sample_store) -> None:
    """On the sample (sensors drift for 21 days before each breakdown), the classifier tested on the later
    period ranks risky days clearly better than chance (ROC AUC > 0.7, precision above the base rate), and its
    calibration table spans the predicted range."""
    _, events, readings, lifetimes = _sample(sample_store)
    feats = rolling_features(readings, lifetimes)
    labels = failure_labels(feats, events, sample_store.as_of(), 30)
    ev = evaluate_time_split(feats, labels, 30)
    assert ev.roc_auc > 0.7 and ev.precision > ev.base_rate
    assert ev.train_end + pd.Timedelta(days=30) < ev.test_start
    assert len(ev.calibration) >= 3 and ev.calibration["predicted"].is_monotonic_increasing


def test_sensor_gap_is_reported_and_not_scored() -> None:
    """A 12-day hole in the readings is listed by sensor_gaps, its days get no features, and an asset whose
    readings stopped 12 days ago gets no score but a 'sensor gap' status instead of a stale number."""
    readings = _synthetic(200)
    holed = readings.drop(index=range(150, 162))
    gaps = sensor_gaps(holed)
    assert gaps[["first_missing", "days"]].values.tolist() == [[pd.Timestamp("2026-05-31"), 12]]
    lifetimes = pd.DataFrame({"asset_id": ["X"], "start": [pd.Timestamp("2025-06-01")]})
    feats = rolling_features(holed, lifetimes)
    assert feats.loc[feats["date"] == pd.Timestamp("2026-06-11"), "temp_z"].isna().all()
    stopped = rolling_features(readings.iloc[:188], lifetimes)
    labels = pd.Series(np.where(np.arange(len(stopped)) % 9 == 0, 1.0, 0.0), index=stopped.index)
    model = FailureRiskModel().fit(stopped, labels)
    risk = latest_risk(model, stopped, date(2026, 7, 19))
    assert np.isnan(risk["p_condition"].iloc[0]) and "sensor gap" in risk["sensor_status"].iloc[0]


def test_training_uses_one_openmp_thread_without_changing_other_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """While the classifier trains, its own thread runs one OpenMP thread; another thread (another session)
    still sees the default count, and the default is back afterwards."""
    def openmp() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "openmp"]

    default, seen = openmp(), {}
    real_fit = condition.HistGradientBoostingClassifier.fit

    def spy(self: object, x: pd.DataFrame, y: pd.Series) -> object:
        seen["training"] = openmp()
        other = threading.Thread(target=lambda: seen.update(other=openmp()))
        other.start()
        other.join()
        return real_fit(self, x, y)

    monkeypatch.setattr(condition.HistGradientBoostingClassifier, "fit", spy)
    feats = rolling_features(_synthetic(), pd.DataFrame({"asset_id": ["X"], "start": [pd.Timestamp("2025-06-01")]}))
    FailureRiskModel().fit(feats, pd.Series(np.where(np.arange(len(feats)) % 9 == 0, 1.0, 0.0), index=feats.index))
    assert default and seen == {"training": [1] * len(default), "other": default}
    assert openmp() == default


def test_bad_sensor_input_is_refused() -> None:
    """Missing columns, negative vibration and an empty table raise ValueError with the reason."""
    with pytest.raises(ValueError, match="missing column"):
        sensor_gaps(_synthetic().drop(columns="load_pct"))
    bad = _synthetic()
    bad.loc[3, "vibration_mm_s"] = -1
    with pytest.raises(ValueError, match="negative vibration"):
        sensor_gaps(bad)
    with pytest.raises(ValueError, match="empty"):
        sensor_gaps(_synthetic().iloc[:0])
    with pytest.raises(ValueError, match="both failures and non-failures"):
        feats = rolling_features(_synthetic(), pd.DataFrame({"asset_id": ["X"], "start": [pd.Timestamp("2025-06-01")]}))
        FailureRiskModel().fit(feats, pd.Series(0.0, index=feats.index))


def test_drift_flags_catch_a_step_and_stay_quiet_otherwise() -> None:
    """EWMA chart (Montgomery Sec. 9.2): a +5 sigma vibration step is flagged within 3 days; stationary
    noise is flagged on fewer than 2 % of days; a repair restart clears the flag."""
    flags = drift_flags(_synthetic(200, step_at=150))
    step = flags[flags["date"] >= pd.Timestamp("2026-01-01") + pd.Timedelta(days=150)]
    assert step["vibration_flag"].iloc[:3].any()
    quiet = drift_flags(_synthetic(400, seed=5))
    assert quiet["drift"].mean() < 0.02
    repaired = _synthetic(200, step_at=150)
    repaired.loc[170:, "vibration_mm_s"] -= 1.0  # repaired on 19 Jun: normal again from day 170 (20 Jun)
    repair = pd.DataFrame({"asset_id": ["X"], "date": [pd.Timestamp("2026-06-19")]})
    after = [pd.Timestamp("2026-06-20") + pd.Timedelta(days=i) for i in range(3)]
    lingering = drift_flags(repaired)
    assert lingering.loc[lingering["date"].isin(after), "vibration_flag"].all()
    cleared = drift_flags(repaired, restarts=repair)
    assert not cleared.loc[cleared["date"].isin(after), "vibration_flag"].any()
    assert recent_drift(flags, date(2026, 7, 20)).iloc[0]["sensors"] == "vibration"
