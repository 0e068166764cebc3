"""What one customer may see about their own delivery, and nothing about anyone else's."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opscore.timeofday import timestamp_hhmm


@dataclass(frozen=True)
class CustomerView:
    """One order's tracking, safe to show to its customer (no other customer's name, place or order)."""

    order_id: str
    customer_name: str
    status: str
    """'on its way', 'not started yet', 'driver at your door', 'delivered' or 'attempt failed'."""
    message: str
    """One plain sentence for the customer."""
    eta: pd.Timestamp | None
    eta_low: pd.Timestamp | None
    """Earliest expected arrival (80% window), local time."""
    eta_high: pd.Timestamp | None
    window_start: pd.Timestamp
    window_end: pd.Timestamp
    """The customer's own delivery window."""
    stops_before: int
    """Deliveries the van still makes before this one."""
    lat: float
    """The customer's own delivery point, degrees."""
    lon: float
    done_at: pd.Timestamp | None = None


def customer_view(etas: pd.DataFrame, order_id: str) -> CustomerView:
    """The customer's view of ``order_id`` from an :func:`opscore.tracking.eta_table` result.

    Raises ValueError (without listing other orders) if the order is not on this day's plan. Clock times in the
    message are truncated to the minute (:func:`opscore.timeofday.timestamp_hhmm`), as the Tracking page shows them.
    """
    ref = str(order_id).strip().upper()
    mine = etas[etas["order_id"].astype(str).str.upper() == ref]
    if mine.empty:
        raise ValueError(f"order {ref} is not on the delivery plan for this day; check the reference in your "
                         "message or contact us")
    r = mine.iloc[0]
    van = etas[etas["vehicle_id"] == r["vehicle_id"]]
    before = int(((van["sequence"] < r["sequence"]) & ~van["status"].isin(["delivered", "failed"])).sum())
    done_at = None
    if r["status"] == "delivered":
        status, done_at = "delivered", r["actual_arrival"]
        msg = f"Your order {ref} was delivered at {timestamp_hhmm(r['actual_arrival'])}."
    elif r["status"] == "failed":
        status, done_at = "attempt failed", r["actual_arrival"]
        msg = (f"We could not deliver order {ref} at {timestamp_hhmm(r['actual_arrival'])}; "
               "we will contact you to arrange another delivery.")
    elif r["status"] == "at the stop":
        status = "driver at your door"
        msg = f"Your driver arrived at {timestamp_hhmm(r['actual_arrival'])} and is delivering order {ref} now."
    else:
        status = "not started yet" if r["status"] == "not started" else "on its way"
        msg = (f"Order {ref} is expected between {timestamp_hhmm(r['eta_low'])} and {timestamp_hhmm(r['eta_high'])}"
               f" ({before} {'delivery' if before == 1 else 'deliveries'} before yours).")
    keep = status in ("on its way", "not started yet")
    return CustomerView(ref, str(r["name"]), status, msg, r["eta"] if keep else None, r["eta_low"] if keep else None,
                        r["eta_high"] if keep else None, r["window_start"], r["window_end"], before,
                        float(r["lat"]), float(r["lon"]), done_at)
