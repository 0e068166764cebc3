"""The page's fast paths give the same numbers: windows per asset in one pass, the model test run apart and only
when asked for, the stacked charts without make_subplots."""

from __future__ import annotations

import pandas as pd
import pytest

from opscore.maintenance import (
    analyse_fleet,
    daily_readings,
    drift_flags,
    evaluate_time_split,
    extract_lifetimes,
    rolling_features,
)
from opscore.maintenance.features import first_rows
from opscore.viz.maintenance import calendar_figure, sensor_trend_figure


def test_fleet_features_and_drift_equal_each_asset_computed_alone(sample_store) -> None:
    """Rolling features and drift flags of the whole fleet at once equal those of each asset on its own readings
    (the windows never reach into the previous asset's rows), with repairs restarting the drift chart."""
    assets, events = sample_store.table("assets"), sample_store.table("maintenance_events")
    readings = sample_store.table("sensor_readings")
    lifetimes = extract_lifetimes(assets, events, sample_store.as_of())
    repairs = events[events["kind"] == "failure"]
    fleet, flags = rolling_features(readings, lifetimes), drift_flags(readings, repairs)
    for asset_id in assets["asset_id"]:
        mine = readings[readings["asset_id"] == asset_id]
        alone = rolling_features(mine, lifetimes[lifetimes["asset_id"] == asset_id])
        pd.testing.assert_frame_equal(fleet[fleet["asset_id"] == asset_id].reset_index(drop=True), alone,
                                      check_exact=True)
        alone = drift_flags(mine, repairs[repairs["asset_id"] == asset_id])
        pd.testing.assert_frame_equal(flags[flags["asset_id"] == asset_id].reset_index(drop=True), alone,
                                      check_exact=True)


def test_analysis_without_the_model_test_scores_the_same(sample_store) -> None:
    """``evaluate=False`` (the page) changes no score, and the model test run on its own afterwards (the page's
    expander) reports exactly what the full analysis reports."""
    tables = [sample_store.table(n) for n in ("assets", "maintenance_events", "sensor_readings")]
    full = analyse_fleet(*tables, sample_store.as_of())
    fast = analyse_fleet(*tables, sample_store.as_of(), evaluate=False)
    assert fast.evaluation is None and fast.notes == full.notes
    for name in ("daily", "features", "drift", "risk"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(full, name), check_exact=True)
    apart = evaluate_time_split(fast.features, fast.labels, fast.horizon_days)
    for name, value in vars(full.evaluation).items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(getattr(apart, name), value, check_exact=True)
        else:
            assert getattr(apart, name) == value, name


def test_stacked_charts_share_their_time_axis(sample_store) -> None:
    """The sensor chart's two panels share one time axis and each shows every breakdown as a line; the calendar
    puts the weekly hours under the jobs."""
    readings, events = sample_store.table("sensor_readings"), sample_store.table("maintenance_events")
    daily = daily_readings(readings)
    asset_id = events.loc[events["kind"] == "failure", "asset_id"].iloc[0]
    failures = events[(events["asset_id"] == asset_id) & (events["kind"] == "failure")]["date"]
    fig = sensor_trend_figure(daily[daily["asset_id"] == asset_id],
                              drift_flags(readings[readings["asset_id"] == asset_id]), failures, "trend")
    assert fig.layout.xaxis.matches == "x2" and fig.layout.yaxis.domain[0] > fig.layout.yaxis2.domain[1]
    assert [t.yaxis for t in fig.data[:4]] == ["y", "y", "y2", "y2"]
    days = daily.loc[daily["asset_id"] == asset_id, "date"]
    shown = failures[failures.between(days.min(), days.max())]
    assert len(shown) and sorted(s.xref for s in fig.layout.shapes) == sorted(["x", "x2"] * len(shown))
    jobs = pd.DataFrame({"name": ["A"], "due_date": pd.to_datetime(["2026-07-01"]),
                         "planned_date": pd.to_datetime(["2026-06-30"]), "hours": [2.0]})
    weeks = pd.DataFrame({"week_start": pd.to_datetime(["2026-06-29"]), "hours": [2.0], "limit": [8.0]})
    cal = calendar_figure(jobs, weeks, "calendar")
    assert [(t.type, t.yaxis) for t in cal.data] == [("scatter", "y"), ("scatter", "y"), ("bar", "y2"),
                                                      ("scatter", "y2")]
    assert [a.text for a in cal.layout.annotations] == ["Planned work", "Crew hours per week"]


def test_one_pass_windows_refuse_rows_not_grouped_by_asset() -> None:
    """The first row of each asset's run of rows; readings sorted by date (assets interleaved) are refused rather
    than windowed across assets."""
    assert first_rows(pd.Series(["A", "A", "B", "B", "B", "C"])).tolist() == [0, 0, 2, 2, 2, 5]
    with pytest.raises(ValueError, match="grouped by asset"):
        first_rows(pd.Series(["A", "B", "A", "B"]))
