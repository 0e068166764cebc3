"""A what-if on a day's plan: one change to the problem (a van more or less, an electric van, wider windows, more
demand), planned under the same settings and compared with the current plan."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from opscore.routing import whatif
from opscore.routing.day_plan import DayPlanSettings, solve_day
from opscore.routing.metrics import compare_plans
from opscore.routing.plan import RoutePlan
from opscore.routing.problem import RoutingProblem


class ChangeKind(StrEnum):
    """What a :class:`RouteChange` changes; the value is its name in words (the what-if's row in a comparison)."""

    ADD_VAN = "Add a van"
    """One more van like ``vehicle_id``."""
    REMOVE_VAN = "Remove a van"
    """Without van ``vehicle_id``."""
    ELECTRIC = "Switch a van to electric"
    """Van ``vehicle_id`` becomes battery electric, at the fleet's electric running cost and range if it has any."""
    WIDEN_WINDOWS = "Widen delivery windows"
    """Every window opens ``amount`` minutes earlier and closes ``amount`` minutes later."""
    RAISE_DEMAND = "Raise demand"
    """Every order ``amount`` per cent heavier and bulkier."""


VAN_CHANGES = frozenset({ChangeKind.ADD_VAN, ChangeKind.REMOVE_VAN, ChangeKind.ELECTRIC})
"""Changes made to one van (they need ``vehicle_id``, and take no ``amount``)."""


@dataclass(frozen=True)
class RouteChange:
    """One what-if change of a day's routing problem."""

    kind: ChangeKind
    vehicle_id: str | None = None
    """The van changed (van changes only)."""
    amount: float | None = None
    """Minutes each side (wider windows) or per cent more demand (raise demand); None for van changes."""

    def __post_init__(self) -> None:
        try:
            kind = ChangeKind(self.kind)
        except ValueError:
            raise ValueError(f"change {self.kind!r} is not one of {', '.join(k.value for k in ChangeKind)}") from None
        if kind in VAN_CHANGES:
            if not self.vehicle_id:
                raise ValueError(f"'{kind.value}' needs the van it changes (vehicle_id)")
            if self.amount is not None:
                raise ValueError(f"'{kind.value}' takes no amount, got {self.amount}")
        elif self.amount is None:
            raise ValueError(f"'{kind.value}' needs an amount ({self.unit})")
        elif kind is ChangeKind.WIDEN_WINDOWS and not 0 < self.amount <= 720:
            raise ValueError(f"widen windows by more than 0 and at most 720 minutes, not {self.amount}")
        elif kind is ChangeKind.RAISE_DEMAND and not 0 < self.amount <= 900:
            raise ValueError(f"raise demand by more than 0 and at most 900 per cent, not {self.amount}")

    @property
    def unit(self) -> str:
        """What ``amount`` counts: 'minutes', 'per cent' or '' (van changes)."""
        return {ChangeKind.WIDEN_WINDOWS: "minutes", ChangeKind.RAISE_DEMAND: "per cent"}.get(ChangeKind(self.kind), "")

    @property
    def label(self) -> str:
        """The change in words, as a comparison names it ('Add a van')."""
        return ChangeKind(self.kind).value


def apply_change(problem: RoutingProblem, change: RouteChange, factors: pd.DataFrame | None = None) -> RoutingProblem:
    """``problem`` with ``change`` made. ``factors``: emission factors for an electric van (default UK 2025).

    Raises ValueError when the change cannot be made (an unknown van, removing the only van).
    """
    kind, van = ChangeKind(change.kind), str(change.vehicle_id)
    if kind is ChangeKind.ADD_VAN:
        return whatif.add_vehicle(problem, van)
    if kind is ChangeKind.REMOVE_VAN:
        return whatif.remove_vehicle(problem, van)
    if kind is ChangeKind.ELECTRIC:
        evs = [v for v in problem.vehicles if v.fuel == "electric"]
        return whatif.to_electric(problem, van, factors, cost_per_km=min((v.cost_per_km for v in evs), default=None),
                                  range_km=min((v.range_km for v in evs), default=None))
    amount = float(change.amount or 0.0)
    if kind is ChangeKind.WIDEN_WINDOWS:
        return whatif.widen_windows(problem, amount)
    return whatif.scale_demand(problem, 1 + amount / 100)


def compare_change(problem: RoutingProblem, plan: RoutePlan, change: RouteChange, settings: DayPlanSettings,
                   factors: pd.DataFrame | None = None) -> pd.DataFrame:
    """The current plan of ``problem`` against the plan of the changed problem, found under the same search
    ``settings``: one row each ('Current', then the change's label) with km, hours, cost (GBP), kg CO2e, vans used,
    orders planned and not planned (:func:`opscore.routing.metrics.compare_plans`)."""
    changed = apply_change(problem, change, factors)
    return compare_plans({"Current": (problem, plan), change.label: (changed, solve_day(changed, settings))}, factors)
