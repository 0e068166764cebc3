"""The package's one clock format (opscore.timeofday): minutes after midnight <-> 'HH:MM'."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from opscore.timeofday import format_hhmm, parse_hhmm, timestamp_hhmm

TWO_DAYS = 2 * 24 * 60
minutes = st.floats(min_value=0.0, max_value=TWO_DAYS, exclude_max=True, allow_nan=False)


def test_a_time_just_before_the_hour_rounds_up_into_the_next_hour() -> None:
    """08:59.7 (539.7 min) is 09:00, not 08:00: the minutes are rounded before hours and minutes are split."""
    assert format_hhmm(539.7) == "09:00"
    assert format_hhmm(539.4) == "08:59" and format_hhmm(539.5) == "09:00"


@given(minutes)
@example(539.7)
def test_every_time_prints_within_half_a_minute_of_itself(m: float) -> None:
    """Over two days, the printed time read back is at most 30 s from the value printed."""
    assert abs(parse_hhmm(format_hhmm(m)) - m) <= 0.5


@given(minutes, minutes)
@example(539.4, 539.7)
def test_later_times_never_print_earlier(a: float, b: float) -> None:
    """a <= b implies fmt(a) <= fmt(b), read back as minutes and, with two-digit hours, as text."""
    a, b = min(a, b), max(a, b)
    assert parse_hhmm(format_hhmm(a)) <= parse_hhmm(format_hhmm(b))
    assert format_hhmm(a) <= format_hhmm(b)


@given(st.integers(min_value=0, max_value=TWO_DAYS - 1))
def test_whole_minutes_round_trip(m: int) -> None:
    """parse(fmt(m)) == m for every whole minute of two days."""
    assert parse_hhmm(format_hhmm(m)) == m


@pytest.mark.parametrize("m,text", [(0.0, "00:00"), (1439.6, "24:00"), (1450.0, "24:10"), (2879.0, "47:59")])
def test_past_midnight_the_hours_run_on(m: float, text: str) -> None:
    """Times on the next day keep counting hours (GTFS style), so they sort after the day's own times."""
    assert format_hhmm(m) == text and parse_hhmm(text) == round(m)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_a_negative_or_missing_time_is_refused(bad: float) -> None:
    """Before midnight, NaN or infinite: ValueError, never a clamped '00:00'."""
    with pytest.raises(ValueError, match="minutes after midnight"):
        format_hhmm(bad)


@pytest.mark.parametrize("text,expected", [("07:30", 450.0), ("7:30", 450.0), (" 09:05 ", 545.0),
                                           ("09:30:30", 570.5), ("24:00", 1440.0)])
def test_parse_reads_clock_text(text: str, expected: float) -> None:
    """'H:MM', 'HH:MM' and 'HH:MM:SS' (as a time column may come back) are read as minutes after midnight."""
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("bad", ["", "9.30", "12:60", "1230", "-1:00", "12:5", "nan"])
def test_parse_refuses_anything_else_quoting_it(bad: str) -> None:
    """Text that is not a clock time raises ValueError that quotes it."""
    with pytest.raises(ValueError, match="is not a time of day"):
        parse_hhmm(bad)


def test_timestamps_are_truncated_like_a_clock() -> None:
    """A real date-time shows the minute it is in (10:04:59 -> 10:04), as strftime and Plotly's %H:%M do."""
    assert timestamp_hhmm(pd.Timestamp("2026-11-02 10:04:59")) == "10:04"
