"""The 90-day maintenance calendar (CP-SAT) never exceeds the weekly crew hours."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opscore.maintenance.crew_calendar import plan_calendar

START = date(2026, 11, 3)


def _jobs(hours: list[float], due_offsets: list[int], late: list[float]) -> pd.DataFrame:
    return pd.DataFrame({
        "asset_id": [f"A{i}" for i in range(len(hours))], "name": [f"Asset {i}" for i in range(len(hours))],
        "due_date": [pd.Timestamp(START) + pd.Timedelta(days=d) for d in due_offsets], "hours": hours,
        "late_cost_per_day": late, "early_cost_per_day": [1.0] * len(hours)})


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1.0, 2.5, 3.0, 4.0, 6.5]), st.integers(-10, 95), st.floats(0, 20)),
                min_size=1, max_size=14),
       st.sampled_from([3.0, 6.0, 8.0, 12.5]))
def test_weekly_hours_never_exceed_the_crew_limit(jobs: list[tuple[float, int, float]], crew: float) -> None:
    """For random jobs and limits: every week's planned hours stay within the limit, each job is planned at
    most once, on a weekday inside the 90 days, and the weekly summary adds up to the planned jobs."""
    cal = plan_calendar(_jobs([j[0] for j in jobs], [j[1] for j in jobs], [j[2] for j in jobs]), START, crew)
    planned = cal.jobs.dropna(subset=["planned_date"])
    weeks = planned["planned_date"] - pd.to_timedelta(planned["planned_date"].dt.weekday, unit="D")
    assert (planned.groupby(weeks)["hours"].sum() <= crew + 1e-9).all()
    assert (cal.weeks["hours"] <= crew + 1e-9).all()
    assert cal.weeks["hours"].sum() == pytest.approx(planned["hours"].sum())
    assert (planned["planned_date"].dt.weekday < 5).all()
    assert planned["planned_date"].between(pd.Timestamp(START), pd.Timestamp(START) + pd.Timedelta(days=89)).all()
    assert len(cal.jobs) == len(jobs)


def test_ample_crew_puts_every_job_on_its_due_day() -> None:
    """With plenty of crew hours, jobs due on weekdays are planned exactly on their due dates (zero cost)."""
    cal = plan_calendar(_jobs([3, 4, 2.5], [1, 8, 20], [5, 5, 5]), START, 40)  # Wed 4, Wed 11, Mon 23 Nov
    assert (cal.jobs["planned_date"] == cal.jobs["due_date"]).all() and cal.penalty == 0.0


def test_tight_crew_serves_the_costliest_delay_first() -> None:
    """Two 4-hour jobs due the same day with 4 crew hours a week: the one whose delay costs more goes first."""
    cal = plan_calendar(_jobs([4, 4], [1, 1], [1, 50]), START, 4)
    first, second = cal.jobs["planned_date"]
    assert second < first


def test_job_longer_than_a_week_is_reported_not_planned() -> None:
    """A job needing more hours than the whole weekly limit is left unplanned with a status that says why."""
    cal = plan_calendar(_jobs([10, 2], [5, 5], [5, 5]), START, 8)
    assert pd.isna(cal.jobs["planned_date"].iloc[0]) and "more than a week" in cal.jobs["status"].iloc[0]
    assert cal.jobs["status"].iloc[1] == "planned"


@pytest.mark.parametrize("crew", [0, -5, float("nan")])
def test_bad_crew_hours_are_refused(crew: float) -> None:
    """A zero, negative or missing crew limit raises ValueError naming the crew hours."""
    with pytest.raises(ValueError, match="Crew hours per week"):
        plan_calendar(_jobs([3], [5], [1]), START, crew)


def test_negative_job_hours_are_refused() -> None:
    """Negative job hours raise ValueError."""
    with pytest.raises(ValueError, match="hours and costs"):
        plan_calendar(_jobs([-3], [5], [1]), START, 8)


def test_missing_columns_are_named() -> None:
    """A jobs frame without the needed columns is refused, listing them."""
    with pytest.raises(ValueError, match="due_date"):
        plan_calendar(pd.DataFrame({"asset_id": ["A"], "hours": [np.float64(1)]}), START, 8)
