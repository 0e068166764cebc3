"""Wave planning for a day: release orders in waves by delivery priority, batch each wave.

Orders whose customers open earliest go first. A wave holds as much work as the pickers can do in
``wave_minutes``; inside a wave orders are batched (savings) and batches are shared among pickers
longest first (LPT rule, Graham, 1969, "Bounds on multiprocessing timing anomalies", SIAM J. Appl.
Math. 17(2)). Picking time = walking distance / speed + time per line + set-up per trip
(the time components of de Koster, Le-Duc & Roodbergen, 2007, EJOR 182, figure 3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from opscore.timeofday import format_hhmm, parse_hhmm
from opscore.warehouse.batching import Cart, batch_orders
from opscore.warehouse.layout import Layout
from opscore.warehouse.routing import Method, route_distance


@dataclass(frozen=True)
class PickTimes:
    """Picker time standards (defaults: typical manual case picking; set your own)."""

    walk_m_per_s: float = 1.0
    """Walking speed with a loaded pallet truck, m/s."""
    seconds_per_line: float = 30.0
    """Search, pick and confirm one order line, s."""
    setup_minutes: float = 3.0
    """Collect the cart and paperwork, drop the load at the packing station, min per trip."""

    def minutes(self, distance_m: float, lines: int) -> float:
        return self.setup_minutes + distance_m / self.walk_m_per_s / 60.0 + lines * self.seconds_per_line / 60.0


def _clock(text: str, what: str) -> float:
    """Minutes after midnight of an 'HH:MM' argument before 24:00; ValueError naming the argument otherwise."""
    try:
        minutes = parse_hhmm(text)
    except ValueError:
        raise ValueError(f"{what} must be a time of day as HH:MM, got {text!r}") from None
    if minutes >= 24 * 60:
        raise ValueError(f"{what} must be a time of day before 24:00, got {text!r}")
    return minutes


@dataclass(frozen=True)
class WaveSettings:
    """A picking shift: when picking starts, when the vans leave, how many pick and how long a wave lasts."""

    start: str = "03:00"
    """Picking starts, 'HH:MM'."""
    ready_by: str = "06:00"
    """The vans leave, 'HH:MM' (the next day's if not after ``start``)."""
    pickers: int = 2
    """Pickers working the waves."""
    wave_minutes: float = 60.0
    """Length of one wave, min."""

    def __post_init__(self) -> None:
        _clock(self.start, "start")
        _clock(self.ready_by, "ready_by")
        if self.pickers < 1 or not self.wave_minutes > 0:
            raise ValueError(f"need at least one picker and a positive wave length, got {self.pickers} pickers "
                             f"and {self.wave_minutes} min")


def window_priority(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.Series:
    """Order id -> its customer's delivery window start ('HH:MM'), the ``priority`` of :func:`plan_waves`
    (orders of unknown customers map to NaN and go last)."""
    starts = customers.set_index("customer_id")["window_start"]
    return orders.set_index("order_id")["customer_id"].map(starts)


def plan_waves(layout: Layout, picks: pd.DataFrame, priority: pd.Series, start: str = "03:00",
               ready_by: str = "06:00", pickers: int = 2, wave_minutes: float = 60.0, cart: Cart = Cart(),
               routing: Method = "largest_gap", times: PickTimes = PickTimes()) -> pd.DataFrame:
    """A day's picking waves.

    ``priority`` maps order id to the customer's window start ('HH:MM'); orders with earlier windows
    are picked first. Returns one row per wave: orders, trips, distance (m), work (picker-minutes),
    start/end clock times ('24:10' is 00:10 the next day, see :mod:`opscore.timeofday`) and whether it is done
    by ``ready_by`` (van departure; the next day's if not after ``start``).
    """
    if pickers < 1 or wave_minutes <= 0:
        raise ValueError(f"need at least one picker and a positive wave length, got {pickers} pickers "
                         f"and {wave_minutes} min")
    t0, ready = _clock(start, "start"), _clock(ready_by, "ready_by")
    if ready <= t0:
        ready += 24 * 60
    ids = sorted(picks["order_id"].unique(), key=lambda o: (str(priority.get(o, "99:99")), o))
    lines = picks.groupby("order_id").size()
    solo = batch_orders(layout, picks, cart, "single", routing)
    solo_minutes = {b.order_ids[0]: times.minutes(b.distance_m, b.n_lines) for b in solo.batches}
    waves: list[list[str]] = [[]]
    work = 0.0
    budget = pickers * wave_minutes
    for o in ids:
        m = solo_minutes.get(o, times.minutes(0.0, int(lines[o])))  # too-big orders: lines only
        if waves[-1] and work + m > budget:
            waves.append([])
            work = 0.0
        waves[-1].append(o)
        work += m
    rows, clock = [], t0
    for k, wave in enumerate(w for w in waves if w):
        plan = batch_orders(layout, picks[picks["order_id"].isin(wave)], cart, "savings", routing)
        trips = sorted((times.minutes(b.distance_m, b.n_lines) for b in plan.batches), reverse=True)
        for o in plan.too_big:  # picked alone over several trips; count the route once per trip
            rows_o = picks[(picks["order_id"] == o)].dropna(subset=["aisle", "bay"])
            n_trips = int(np.ceil(max(rows_o["weight_kg"].sum() / cart.max_weight_kg,
                                      rows_o["volume_l"].sum() / cart.max_volume_l)))
            d = route_distance(layout, rows_o["aisle"].to_numpy(int), rows_o["bay"].to_numpy(int), routing)
            trips.append(n_trips * times.minutes(d, 0) + int(lines[o]) * times.seconds_per_line / 60.0)
        loads = [0.0] * pickers
        for t in trips:
            loads[loads.index(min(loads))] += t
        end = clock + max(loads)
        rows.append({"wave": k + 1, "first_window": str(priority.get(wave[0], "")),
                     "orders": len(wave), "trips": len(plan.batches) + len(plan.too_big),
                     "distance_m": round(plan.distance_m, 1), "work_min": round(sum(trips), 1),
                     "start": format_hhmm(clock), "end": format_hhmm(end), "on_time": end <= ready,
                     "order_ids": ", ".join(wave)})
        clock = end
    return pd.DataFrame(rows)
