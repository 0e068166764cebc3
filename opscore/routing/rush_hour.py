"""Rush hour: slower travel in bands of the day, and exact time-dependent travel times.

A :class:`RushHour` holds :class:`SpeedBand` s (minutes from midnight, repeating every day). Inside a band vans move
at ``speed_factor`` x the speed the travel matrices were built with (the *base* speed, called free flow here);
outside every band at the base speed. A leg of ``free`` base minutes started at ``t`` arrives at the ``a`` that
solves integral_t^a f(s) ds = free, with f the piecewise-constant factor: exact, and FIFO (a later departure never
arrives earlier; Ichoua, Gendreau and Potvin 2003, European J. Operational Research 144(2), the time-dependent
VRP with speed bands).

How routing uses it: the solvers (PyVRP, OR-Tools) take fixed travel times, so they optimise on the base minutes
scaled by the band of each van's shift start (:meth:`RushHour.solver_scale`); the plan found is then evaluated
time-dependently (:func:`opscore.routing.plan.evaluate_route`), so its times, windows and durations are the
rush-hour ones and ``Route.traffic_minutes`` says how many minutes traffic added.

Default bands (:data:`UK_TOWN_BANDS`): 07:00-10:00 and 16:00-19:00 at 80 % of the base speed. An assumption
sized from DfT congestion statistics (table CGN0502: average delay on local 'A' roads in England about 47 seconds
per vehicle per mile against free flow at an all-day average speed of about 25 mph, i.e. travel about 1.5 x free
flow on average, worse in the peaks): the base speed of the planner is already a town average including traffic,
so the peaks are taken as 20 % slower than that average. Measure your own (e.g. tracked arrival times) and edit.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from opscore.timeofday import format_hhmm, parse_hhmm

DAY = 24 * 60.0
"""Minutes in a day: bands repeat with this period."""
MIN_FACTOR, MAX_FACTOR = 0.1, 2.0
"""Allowed speed factors: 10 % to 200 % of the base speed."""


@dataclass(frozen=True)
class SpeedBand:
    """A time of day in which vans move at ``speed_factor`` x the base speed."""

    start_minute: float
    """Band start, minutes from midnight (0-1440)."""
    end_minute: float
    """Band end, minutes from midnight (after the start, at most 1440)."""
    speed_factor: float
    """Share of the base (free-flow) speed: 0.7 = 30 % slower, 1.0 = no change."""

    def problems(self) -> list[str]:
        """What is wrong with this band, in words (empty if nothing)."""
        out = []
        span = f"{_hhmm(self.start_minute)}-{_hhmm(self.end_minute)}"
        if not (0 <= self.start_minute < DAY and 0 < self.end_minute <= DAY):
            out.append(f"band {span} must lie within 00:00-24:00")
        elif not self.start_minute < self.end_minute:
            out.append(f"band {span} ends before it starts; give the earlier time first (split a band across "
                       "midnight into two)")
        if not MIN_FACTOR <= self.speed_factor <= MAX_FACTOR:
            out.append(f"band {span} speed {self.speed_factor:g} x the base speed is outside "
                       f"{MIN_FACTOR:g}-{MAX_FACTOR:g} (e.g. 0.8 = 80 % of the usual speed)")
        return out


UK_TOWN_BANDS = (SpeedBand(7 * 60.0, 10 * 60.0, 0.8), SpeedBand(16 * 60.0, 19 * 60.0, 0.8))
"""Weekday morning and evening peaks in a UK town at 80 % of the planner's average speed (an assumption; see the
module docstring for the DfT figures it is sized from)."""


def _hhmm(minutes: float) -> str:
    """'HH:MM' (:func:`opscore.timeofday.format_hhmm`); a value no clock shows (negative, infinite) as minutes."""
    return format_hhmm(minutes) if math.isfinite(minutes) and minutes >= 0 else f"{minutes:g} min"


@dataclass(frozen=True)
class RushHour:
    """Speed bands of the day (non-overlapping, in any order); validated on creation."""

    bands: tuple[SpeedBand, ...] = UK_TOWN_BANDS
    _edges: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _factors: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = [p for b in self.bands for p in b.problems()]
        ordered = sorted((b for b in self.bands if b.start_minute < b.end_minute),
                         key=lambda b: (b.start_minute, b.end_minute))
        for a, b in zip(ordered, ordered[1:]):
            if b.start_minute < a.end_minute:
                problems.append(f"bands {_hhmm(a.start_minute)}-{_hhmm(a.end_minute)} and "
                                f"{_hhmm(b.start_minute)}-{_hhmm(b.end_minute)} overlap; make one end before the "
                                "other starts")
        if problems:
            raise ValueError("rush hour: " + "; ".join(problems))
        edges: list[float] = []  # segment k starts at edges[k], ends at edges[k + 1] (or midnight)
        factors: list[float] = []
        cursor = 0.0
        for b in ordered:
            if b.start_minute > cursor:
                edges.append(cursor)
                factors.append(1.0)
            edges.append(b.start_minute)
            factors.append(b.speed_factor)
            cursor = b.end_minute
        if cursor < DAY:
            edges.append(cursor)
            factors.append(1.0)
        object.__setattr__(self, "_edges", tuple(edges))
        object.__setattr__(self, "_factors", tuple(factors))

    @property
    def slow(self) -> bool:
        """True when some band changes the speed (else travel is the same all day)."""
        return any(b.speed_factor != 1.0 for b in self.bands)

    def _end(self, k: int) -> float:
        return self._edges[k + 1] if k + 1 < len(self._edges) else DAY

    def factor_at(self, t: float) -> float:
        """Share of the base speed at ``t`` minutes from midnight (days repeat)."""
        return self._factors[max(0, bisect_right(self._edges, t - math.floor(t / DAY) * DAY) - 1)]

    def solver_scale(self, shift_start: float) -> float:
        """Multiplier of base travel minutes for the solvers: 1 / factor at the van's shift start."""
        return 1.0 / self.factor_at(shift_start)

    def _day_work(self) -> float:
        """Base minutes covered in one whole day."""
        return sum((self._end(k) - s) * f for k, (s, f) in enumerate(zip(self._edges, self._factors)))

    def arrival(self, t: float, free: float) -> float:
        """Arrival time of a leg of ``free`` base minutes started at ``t`` (minutes from midnight): the ``a`` with
        integral_t^a factor(s) ds = free. Exact for the piecewise-constant factor; never earlier for a later ``t``."""
        if free <= 0 or not self.slow:
            return t + max(free, 0.0)
        left, now = free, t
        days = math.floor(left / self._day_work()) - 1
        if days > 0:  # skip whole days: the pattern repeats every 24 h
            left -= days * self._day_work()
            now += days * DAY
        day = math.floor(now / DAY) * DAY
        k = max(0, bisect_right(self._edges, now - day) - 1)
        while True:
            end, f = day + self._end(k), self._factors[k]
            room = max(0.0, end - now) * f
            if room >= left:
                return now + left / f
            left -= room
            now = max(now, end)
            k += 1
            if k == len(self._edges):
                k, day = 0, day + DAY

    def departure(self, a: float, free: float) -> float:
        """Start time of a leg of ``free`` base minutes that arrives at ``a``: the inverse of :meth:`arrival`."""
        if free <= 0 or not self.slow:
            return a - max(free, 0.0)
        left, now = free, a
        days = math.floor(left / self._day_work()) - 1
        if days > 0:
            left -= days * self._day_work()
            now -= days * DAY
        day = math.floor(now / DAY) * DAY
        if now - day <= 0:
            day -= DAY
        k = max(0, bisect_left(self._edges, now - day) - 1)
        while True:
            start, f = day + self._edges[k], self._factors[k]
            room = max(0.0, now - start) * f
            if room >= left:
                return now - left / f
            left -= room
            now = min(now, start)
            k -= 1
            if k < 0:
                k, day = len(self._edges) - 1, day - DAY

    def travel_minutes(self, t: float, free: float) -> float:
        """Clock minutes of a leg of ``free`` base minutes started at ``t``."""
        return self.arrival(t, free) - t

    def describe(self) -> str:
        """The bands in words: '07:00-10:00 at 80 % speed, 16:00-19:00 at 80 % speed'."""
        return ", ".join(f"{_hhmm(b.start_minute)}-{_hhmm(b.end_minute)} at {b.speed_factor * 100:.0f} % speed"
                         for b in sorted(self.bands, key=lambda b: b.start_minute)) or "no bands"


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or str(x).strip() in ("", "nan", "None", "<NA>")


def rush_from_rows(rows: Sequence[Sequence[object]]) -> RushHour:
    """A :class:`RushHour` from table rows (from 'HH:MM', to 'HH:MM', speed in % of the usual speed); blank rows are
    skipped. ValueError naming every bad row (counted from 1) and what to write instead."""
    bands, problems = [], []
    for n, row in enumerate(rows, start=1):
        if all(_blank(x) for x in row):
            continue
        cells = [*row, None, None, None][:3]
        where = f"row {n}"
        times = []
        for label, text in zip(("from", "to"), cells[:2]):
            try:
                times.append(parse_hhmm(str(text)))
            except ValueError:
                problems.append(f"{where}: {label} {'(blank)' if _blank(text) else repr(str(text))} is not a time "
                                "like 07:00")
        try:
            pct = float(str(cells[2]))
        except ValueError:
            pct = math.nan
        if not MIN_FACTOR * 100 <= pct <= MAX_FACTOR * 100:
            shown = "(blank)" if _blank(cells[2]) else cells[2]
            problems.append(f"{where}: speed {shown} must be a per cent of the usual speed from "
                            f"{MIN_FACTOR * 100:.0f} to {MAX_FACTOR * 100:.0f} (e.g. 80 = 20 % slower)")
            continue
        if len(times) == 2:
            band = SpeedBand(times[0], times[1], pct / 100)
            problems.extend(f"{where}: {p}" for p in band.problems())
            bands.append(band)
    if problems:
        raise ValueError("rush hour: " + "; ".join(problems))
    return RushHour(tuple(bands))


def rush_rows(rush: RushHour) -> list[tuple[str, str, float]]:
    """The bands as table rows (from 'HH:MM', to 'HH:MM', speed in % of the usual speed), earliest first."""
    return [(_hhmm(b.start_minute), _hhmm(b.end_minute), round(b.speed_factor * 100, 6))
            for b in sorted(rush.bands, key=lambda b: b.start_minute)]
