"""Broken route constraints as typed values, and why a stop is left out of a plan.

Code decides by ``kind`` and the numbers; the prose is made from them for people and never read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from opscore.timeofday import format_hhmm


class ViolationKind(StrEnum):
    """The constraint a route breaks; what ``amount`` and ``limit`` of a :class:`Violation` hold."""

    CAPACITY_WEIGHT = "capacity_weight"
    """Load on the van vs its capacity, kg."""
    CAPACITY_VOLUME = "capacity_volume"
    """Volume on the van vs its capacity, m3."""
    TIME_WINDOW = "time_window"
    """Arrival at ``stop_id`` vs the end of its last window, time of day."""
    SHIFT_END = "shift_end"
    """Return to the depot vs the end of the shift (or the depot's closing), time of day."""
    SHIFT_LENGTH = "shift_length"
    """Route duration, departure to return, vs the longest shift allowed, time unit (minutes)."""
    BREAK = "break"
    """Start of the driver's break vs its latest start, time of day."""
    RANGE = "range"
    """Route distance vs the van's range on one tank or charge, distance unit (km)."""


TIME_OF_DAY_KINDS = frozenset({ViolationKind.TIME_WINDOW, ViolationKind.SHIFT_END, ViolationKind.BREAK})
"""Kinds whose amount and limit are times of day rather than quantities."""


def time_text(t: float, time_unit: str) -> str:
    """A time of day as 'HH:MM' when counted in minutes after midnight, else the number (benchmark time units)."""
    return format_hhmm(t) if time_unit == "min" else f"{t:g}"


@dataclass(frozen=True)
class Violation:
    """One constraint a route breaks: ``amount`` exceeds ``limit``, both in ``unit``."""

    kind: ViolationKind
    amount: float
    """The value that breaks the limit (see :class:`ViolationKind`); times of day in minutes after midnight."""
    limit: float
    """The limit it breaks, same unit."""
    unit: str
    """'kg', 'm3', the problem's distance unit or its time unit ('min' for real problems)."""
    stop_id: str | None = None
    """The stop concerned (time windows), else None."""

    @property
    def message(self) -> str:
        """The violation in words, made from the fields."""
        if self.kind in TIME_OF_DAY_KINDS:
            at, limit = time_text(self.amount, self.unit), time_text(self.limit, self.unit)
            if self.kind == ViolationKind.TIME_WINDOW:
                return f"arrives at {self.stop_id} at {at}, after its window ends ({limit})"
            if self.kind == ViolationKind.SHIFT_END:
                return f"returns at {at}, after the shift ends ({limit})"
            return f"break starts at {at}, after its latest start ({limit})"
        if self.kind == ViolationKind.CAPACITY_WEIGHT:
            return f"load {self.amount:g} {self.unit} exceeds capacity {self.limit:g} {self.unit}"
        if self.kind == ViolationKind.CAPACITY_VOLUME:
            return f"volume {self.amount:g} {self.unit} exceeds capacity {self.limit:g} {self.unit}"
        if self.kind == ViolationKind.SHIFT_LENGTH:
            return f"route takes {self.amount:.1f} {self.unit}, longer than the {self.limit:g} {self.unit} shift limit"
        return f"route of {self.amount:.1f} {self.unit} is beyond the van's range ({self.limit:g} {self.unit})"


ReasonKind = ViolationKind | Literal["cost", "time_budget", "quick_plan"]
"""Why a stop is left out: the constraint that blocks it, 'cost' (an optional stop dearer to serve than its
penalty), 'time_budget' (it fits but the solver did not place it in its time) or 'quick_plan' (it fits but the
nearest-neighbour plan did not place it)."""


@dataclass(frozen=True)
class Reason:
    """Why one stop is not in the plan."""

    kind: ReasonKind
    text: str
    """The reason in words for people, made from the kind and its numbers; code reads ``kind``."""
