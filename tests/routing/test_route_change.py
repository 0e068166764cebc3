"""Route what-ifs in opscore (issue 18): a RouteChange value, applied to a day's problem and compared with its plan."""

from __future__ import annotations

import pytest

from opscore.delivery_tables import DeliveryTables
from opscore.routing import ChangeKind, DayPlanSettings, RouteChange, apply_change, compare_change, plan_day, solve_day
from opscore.routing.from_tables import delivery_dates
from opscore.routing.metrics import compare_plans

FAST = DayPlanSettings(time_limit_s=10.0, max_iterations=200)


@pytest.fixture
def day_plan(sample_store):  # type: ignore[no-untyped-def]
    tables = DeliveryTables.from_store(sample_store)
    return plan_day(tables, delivery_dates(tables.orders, sample_store.as_of())[0], FAST)


def test_change_kinds_are_named_as_the_route_map_offers_them() -> None:
    assert [k.value for k in ChangeKind] == ["Add a van", "Remove a van", "Switch a van to electric",
                                             "Widen delivery windows", "Raise demand"]
    assert RouteChange(ChangeKind.ADD_VAN, "V1").label == "Add a van"
    assert RouteChange(ChangeKind.RAISE_DEMAND, amount=10).unit == "per cent"


@pytest.mark.parametrize(("kind", "van", "amount", "message"), [
    (ChangeKind.ADD_VAN, None, None, "'Add a van' needs the van it changes"),
    (ChangeKind.REMOVE_VAN, "V1", 5.0, "'Remove a van' takes no amount"),
    (ChangeKind.WIDEN_WINDOWS, None, None, r"'Widen delivery windows' needs an amount \(minutes\)"),
    (ChangeKind.WIDEN_WINDOWS, None, -15.0, "widen windows by more than 0 and at most 720 minutes, not -15.0"),
    (ChangeKind.RAISE_DEMAND, None, 0.0, "raise demand by more than 0 and at most 900 per cent, not 0.0"),
    ("Paint the vans", None, None, "change 'Paint the vans' is not one of Add a van, Remove a van"),
])
def test_a_change_refuses_what_it_cannot_mean(kind: ChangeKind, van: str | None, amount: float | None,
                                              message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RouteChange(kind, van, amount)


def test_each_change_edits_the_problem_as_named(day_plan) -> None:  # type: ignore[no-untyped-def]
    """One van more (a copy) or fewer; a diesel van electric at the fleet's electric cost per km and range; windows
    30 minutes wider each side; every order 10 % heavier. A change that cannot be made is refused."""
    p = day_plan.problem
    diesel = next(v for v in p.vehicles if v.fuel == "diesel")
    evs = [v for v in p.vehicles if v.fuel == "electric"]
    assert len(apply_change(p, RouteChange(ChangeKind.ADD_VAN, diesel.vehicle_id)).vehicles) == len(p.vehicles) + 1
    assert diesel.vehicle_id not in {v.vehicle_id for v in apply_change(
        p, RouteChange(ChangeKind.REMOVE_VAN, diesel.vehicle_id)).vehicles}
    ev = next(v for v in apply_change(p, RouteChange(ChangeKind.ELECTRIC, diesel.vehicle_id)).vehicles
              if v.vehicle_id == diesel.vehicle_id)
    assert ev.fuel == "electric" and ev.cost_per_km == min(v.cost_per_km for v in evs)
    assert ev.range_km == min(v.range_km for v in evs)
    wide = apply_change(p, RouteChange(ChangeKind.WIDEN_WINDOWS, amount=30))
    assert wide.stops[0].windows[0].end == p.stops[0].windows[0].end + 30
    heavy = apply_change(p, RouteChange(ChangeKind.RAISE_DEMAND, amount=10))
    assert heavy.stops[0].demand_kg == pytest.approx(p.stops[0].demand_kg * 1.1)
    with pytest.raises(ValueError, match="vehicle 'V99' is not in the plan"):
        apply_change(p, RouteChange(ChangeKind.REMOVE_VAN, "V99"))


def test_compare_change_puts_the_current_plan_against_the_changed_one(day_plan) -> None:  # type: ignore[no-untyped-def]
    """Row 'Current' is the plan given; the change's row is the changed problem planned on the same settings."""
    change = RouteChange(ChangeKind.REMOVE_VAN, day_plan.plan.routes[0].vehicle_id)
    table = compare_change(day_plan.problem, day_plan.plan, change, FAST)
    assert list(table["plan"]) == ["Current", "Remove a van"]
    current = compare_plans({"Current": (day_plan.problem, day_plan.plan)})
    assert table.iloc[0].to_dict() == current.iloc[0].to_dict()
    changed = apply_change(day_plan.problem, change)
    expected = compare_plans({"Remove a van": (changed, solve_day(changed, FAST))})
    assert table.iloc[1]["cost_gbp"] == pytest.approx(expected.iloc[0]["cost_gbp"])
    assert table.iloc[1]["vans"] <= len(day_plan.problem.vehicles) - 1
