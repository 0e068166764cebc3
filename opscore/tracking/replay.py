"""The span of a day's replay: from the first departure to half an hour after the last arrival or event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from opscore.tracking.planned_day import PlannedDay

STEP = "15min"
"""The replay's ends are rounded out to quarter hours."""


@dataclass(frozen=True)
class ReplayWindow:
    """When a day's replay starts and ends, and the moment it opens at."""

    first: datetime
    """The first planned departure or arrival, rounded down to the quarter hour."""
    last: datetime
    """30 minutes after the last planned arrival or event, rounded up to the quarter hour."""
    start: datetime
    """The moment asked for, moved inside first-last."""


def replay_window(day: PlannedDay, events: pd.DataFrame, moment: datetime) -> ReplayWindow:
    """The replay span of ``day`` with its ``events`` (any columns, ``ts`` a time stamp), opening at ``moment``."""
    arrivals = pd.to_datetime(day.stops["planned_arrival"])
    first = min(pd.Timestamp(day.vans["planned_departure"].min()), arrivals.min())
    last = max(arrivals.max(), pd.to_datetime(events["ts"]).max() if len(events) else arrivals.max())
    lo = first.floor(STEP).to_pydatetime()
    hi = (last + pd.Timedelta(minutes=30)).ceil(STEP).to_pydatetime()
    return ReplayWindow(lo, hi, min(max(moment, lo), hi))
