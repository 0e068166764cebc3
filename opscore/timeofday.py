"""Times of day as minutes after midnight (float) and as "HH:MM" text: the package's one clock format.

Formatting rounds the total to the nearest whole minute (half a minute rounds up) and only then splits it
into hours and minutes, so every value prints within 30 seconds of itself and later times never print
earlier. Past midnight the hours run on (the GTFS convention for service days, where times after midnight
are "greater than 24:00:00"): 1450.0 prints "24:10", ten past midnight the next day. Such text sorts in
time order (as text while the hours have two digits, i.e. below 100 h) and parses back to the same
minutes. A negative time (before the day's midnight) is refused with ValueError, never clamped.

Real date-times (pandas Timestamps of events and ETAs) are shown by :func:`timestamp_hhmm`, which
truncates to the minute as a clock does.
"""

from __future__ import annotations

import math
import re

import pandas as pd

_HHMM = re.compile(r"^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$")


def format_hhmm(minutes: float) -> str:
    """'HH:MM' for ``minutes`` after midnight, rounded to the nearest minute; '24:10' for 1450 (next day).

    Raises ValueError for a negative, infinite or missing value.
    """
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"a time of day is a finite number of minutes after midnight, 0 or more; got {minutes!r}")
    whole = math.floor(minutes + 0.5)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def parse_hhmm(text: str) -> float:
    """Minutes after midnight for 'HH:MM' (or 'H:MM', 'HH:MM:SS'); hours past 23 mean the next day.

    Raises ValueError, quoting the text, for anything else.
    """
    match = _HHMM.match(str(text).strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time of day like 09:30")
    hours, mins, secs = match.groups()
    return int(hours) * 60.0 + int(mins) + int(secs or 0) / 60.0


def timestamp_hhmm(ts: object) -> str:
    """'HH:MM' of a date-time, truncated to the minute (10:04:59 shows 10:04), as a clock, strftime and
    Plotly's '%H:%M' show it; never a time after the moment itself."""
    return f"{pd.Timestamp(ts):%H:%M}"
