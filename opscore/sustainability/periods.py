"""The reporting period: whole calendar months up to the data's as-of date, and the rows that fall in it.

The footprint, its intensities and every what-if compare the same months (GHG Protocol Corporate Standard, ch. 5:
one reporting period for all sources), so each is cut to one :class:`ReportingPeriod`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from opscore.sustainability.footprint import last_full_months

REPORT_MONTHS = (3, 6, 12, 24)
"""Period lengths offered, in whole months."""


@dataclass(frozen=True)
class ReportingPeriod:
    """Days from ``start`` to ``end``, both included."""

    start: date
    """First day of the period (the first day of a month for :func:`reporting_period`)."""
    end: date
    """Last day of the period."""

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end}); swap the dates")

    @property
    def days(self) -> int:
        """Days in the period, start and end included."""
        return (self.end - self.start).days + 1

    def rows_in(self, frame: pd.DataFrame, column: str) -> pd.DataFrame:
        """Rows of ``frame`` whose ``column`` (datetimes, midnight) lies in the period."""
        return frame[(frame[column] >= pd.Timestamp(self.start)) & (frame[column] <= pd.Timestamp(self.end))]


def reporting_period(as_of: date, months: int = 12) -> ReportingPeriod:
    """The last ``months`` complete calendar months up to ``as_of`` (:func:`last_full_months`): data as of
    31 October holds all of October, data as of 30 October reports up to September."""
    return ReportingPeriod(*last_full_months(as_of, months))
