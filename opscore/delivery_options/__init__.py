"""Personalised delivery options learned from delivery history.

Typical use::

    from opscore.delivery_options import first_attempts, SuccessModel, rank_options
    attempts = first_attempts(deliveries, orders, customers)
    model = SuccessModel().fit(attempts)
    rank_options("O000123", model, orders, customers, vehicles, sites, store.as_of())
"""

from opscore.delivery_options.backtest import BacktestResult, backtest
from opscore.delivery_options.history import WEEKDAYS, first_attempts, offered_slots, slot_label, slot_of
from opscore.delivery_options.options import OPTION_COLUMNS, OptionSettings, insertion_km, rank_options, working_days
from opscore.delivery_options.preferences import (
                                                  customers_failing_most,
                                                  failure_reasons,
                                                  preferred_windows,
                                                  segment_failure_grid,
)
from opscore.delivery_options.rounds import ROUND_COLUMNS, planned_round, planned_rounds
from opscore.delivery_options.success import SuccessModel, moment_strength
from opscore.delivery_options.whatif import new_slot_whatif

__all__ = [
    "OPTION_COLUMNS", "ROUND_COLUMNS", "WEEKDAYS", "BacktestResult", "OptionSettings", "SuccessModel", "backtest",
    "customers_failing_most", "failure_reasons", "first_attempts", "insertion_km", "moment_strength",
    "new_slot_whatif", "offered_slots", "planned_round", "planned_rounds", "preferred_windows", "rank_options",
    "segment_failure_grid", "slot_label", "slot_of", "working_days",
]
