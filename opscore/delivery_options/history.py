"""First delivery attempts from history, bucketed by weekday and two-hour time slot."""

from __future__ import annotations

import math

import pandas as pd

from opscore.timeofday import format_hhmm, parse_hhmm

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SLOT_HOURS = 2
"""Width of a delivery time slot, hours."""


def slot_label(start_hour: int) -> str:
    """'08:00-10:00' for a slot starting at 08:00 ('22:00-24:00' for the last of the day)."""
    return f"{format_hhmm(start_hour * 60)}-{format_hhmm((start_hour + SLOT_HOURS) * 60)}"


def slot_of(ts: pd.Series) -> pd.Series:
    """The two-hour slot (label) holding each timestamp."""
    start = (pd.to_datetime(ts).dt.hour // SLOT_HOURS) * SLOT_HOURS
    return start.map(slot_label)


def slot_start_hour(label: str) -> int:
    """08 for '08:00-10:00'; ValueError for anything else."""
    try:
        hour = int(parse_hhmm(str(label).partition("-")[0]) // 60)
    except ValueError:
        raise ValueError(f"{label!r} is not a slot like 08:00-10:00") from None
    if slot_label(hour) != label:
        raise ValueError(f"{label!r} is not a {SLOT_HOURS}-hour slot like 08:00-10:00")
    return hour


def offered_slots(vehicles: pd.DataFrame) -> list[str]:
    """Slots starting inside the vans' shifts (earliest shift start to latest shift end)."""
    if vehicles.empty:
        raise ValueError("there are no vehicles: add vans (with shift times) before offering delivery slots")
    first = min(int(parse_hhmm(t) // 60) for t in vehicles["shift_start"])
    last = max(math.ceil(parse_hhmm(t) / 60) for t in vehicles["shift_end"])
    return [slot_label(h) for h in range((first // SLOT_HOURS) * SLOT_HOURS, last, SLOT_HOURS)]


def first_attempts(deliveries: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """Finished first attempts: customer, segment, date, weekday (0 = Mon), slot (of the planned arrival),
    success (1/0), failure reason, late minutes (actual - planned arrival)."""
    d = deliveries[(deliveries["attempt"] == 1) & deliveries["outcome"].isin(["delivered", "failed"])]
    d = d.merge(orders[["order_id", "customer_id"]], on="order_id").merge(
        customers[["customer_id", "segment"]], on="customer_id")
    planned = pd.to_datetime(d["planned_arrival"])
    out = pd.DataFrame({
        "delivery_id": d["delivery_id"].to_numpy(), "order_id": d["order_id"].to_numpy(),
        "customer_id": d["customer_id"].to_numpy(), "segment": d["segment"].to_numpy(),
        "date": pd.to_datetime(d["planned_date"]).to_numpy(), "weekday": planned.dt.weekday.to_numpy(),
        "slot": slot_of(planned).to_numpy(), "success": (d["outcome"] == "delivered").astype(int).to_numpy(),
        "failure_reason": d["failure_reason"].to_numpy(),
        "late_minutes": ((pd.to_datetime(d["actual_arrival"]) - planned).dt.total_seconds() / 60).to_numpy(),
    })
    return out.sort_values(["date", "customer_id"]).reset_index(drop=True)
