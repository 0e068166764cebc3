"""Live delivery tracking: events, a simulated driver feed, ETAs with confidence windows, ETA accuracy.

Typical use::

    from opscore.tracking import planned_day_from_deliveries, simulate_feed, eta_table
    day = planned_day_from_deliveries(deliveries=deliveries, orders=orders, customers=customers,
                                      vehicles=vehicles, sites=sites, day=store.as_of())
    events = simulate_feed(day, seed=0)
    eta_table(day, events, now="2026-11-02 10:00")
"""

from opscore.tracking.accuracy import HORIZONS, accuracy_by_horizon, eta_errors
from opscore.tracking.customer_view import CustomerView, customer_view
from opscore.tracking.eta import ETA_COLUMNS, EtaSettings, at_risk, eta_table, van_positions
from opscore.tracking.events import append_events, append_events_csv, check_events, read_events_csv
from opscore.tracking.links import (
                                     DEFAULT_VALID_DAYS,
                                     LinkCheck,
                                     LinkState,
                                     check_link,
                                     link_expiry,
                                     link_token,
                                     secret_from_file,
)
from opscore.tracking.planned_day import (
                                     PlannedDay,
                                     deliveries_day,
                                     planned_day_from_deliveries,
                                     planned_day_from_plan,
                                     planned_day_of,
                                     planner_day,
)
from opscore.tracking.replay import ReplayWindow, replay_window
from opscore.tracking.simulate import simulate_feed

__all__ = [
    "DEFAULT_VALID_DAYS", "ETA_COLUMNS", "HORIZONS", "CustomerView", "EtaSettings", "LinkCheck", "LinkState",
    "PlannedDay", "ReplayWindow", "accuracy_by_horizon", "append_events", "append_events_csv", "at_risk",
    "check_events", "check_link", "customer_view", "deliveries_day", "eta_errors", "eta_table", "link_expiry",
    "link_token", "planned_day_from_deliveries", "planned_day_from_plan", "planned_day_of", "planner_day",
    "read_events_csv", "replay_window", "secret_from_file", "simulate_feed", "van_positions",
]
