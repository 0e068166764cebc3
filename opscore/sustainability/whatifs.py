"""Greener what-ifs, each compared with the baseline over the same period.

All four are activity x factor recomputations (GHG Protocol Corporate Standard, ch. 6):
- :func:`switch_to_electric`: the same van km at the electric van factor and running cost,
  with a range check of each switched van's daily km against the electric range.
- :func:`consolidate_delivery_days`: each customer's deliveries in a week moved to at most N
  fixed weekdays, routes rebuilt and re-measured.
- :func:`change_packaging`: another carton set, material or reuse policy.
- :func:`shift_supplier_spend`: a share of the spend of low eco-score suppliers moved to the
  high scorers at their inbound kg CO2e per GBP (same goods and prices assumed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opscore.emission_factors import factor, hgv_kg_co2e_per_tonne_km, van_kg_co2e_per_km
from opscore.fleet_history import vehicle_day_km
from opscore.geo import DEFAULT_CIRCUITY
from opscore.sustainability.packaging import PackagingPolicy, cartons_for_orders

DELIVERY_WEEKDAYS: dict[int, tuple[int, ...]] = {
    1: (2,), 2: (1, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4), 6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}
"""Delivery weekdays (Monday = 0) used when a week is cut to N delivery days, spread across the week."""


@dataclass(frozen=True)
class WhatIf:
    """A scenario against its baseline over the same period."""

    name: str
    baseline_kg_co2e: float
    """kg CO2e of the affected source(s) as things are."""
    scenario_kg_co2e: float
    """kg CO2e of the same source(s) under the what-if."""
    baseline_cost_gbp: float | None
    """Running cost as things are, GBP (None when not applicable)."""
    scenario_cost_gbp: float | None
    """Running cost under the what-if, GBP."""
    note: str
    """Plain-language assumptions and warnings."""

    @property
    def saving_kg_co2e(self) -> float:
        """kg CO2e saved (negative = more emissions)."""
        return self.baseline_kg_co2e - self.scenario_kg_co2e

    @property
    def saving_pct(self) -> float:
        """Saving as a percent of the baseline."""
        return 100 * self.saving_kg_co2e / self.baseline_kg_co2e if self.baseline_kg_co2e else 0.0

    @property
    def cost_change_gbp(self) -> float | None:
        """Running cost with the change less as things are, GBP (None when there is no running cost)."""
        if self.baseline_cost_gbp is None or self.scenario_cost_gbp is None:
            return None
        return self.scenario_cost_gbp - self.baseline_cost_gbp


@dataclass(frozen=True)
class ElectricSwitch:
    """Result of switching vans to electric."""

    what_if: WhatIf
    switched: tuple[str, ...]
    """Vehicle ids switched."""
    range_check: pd.DataFrame
    """Per switched van: ``days`` driven, ``longest_day_km``, ``days_over_range`` and ``km_over_range`` (km beyond
    what one day's charge reaches, left to a diesel or petrol van)."""
    electric_share: float
    """Share of the switched vans' km driven on electricity, 0-1."""


def switch_to_electric(van_days: pd.DataFrame, vehicles: pd.DataFrame, factors: pd.DataFrame, *,
                       n_vans: int | None = None, vehicle_ids: Sequence[str] | None = None,
                       ev_cost_per_km: float | None = None, ev_range_km: float | None = None,
                       top_up_km: float = 0.0) -> ElectricSwitch:
    """Switch ``n_vans`` fuel vans (those whose days fit the range best first) or the listed ``vehicle_ids``.

    ``van_days``: from :func:`~opscore.sustainability.footprint.van_day_emissions`. An electric van drives each day
    up to ``ev_range_km`` (default: the shortest range among the fleet's electric vans) plus ``top_up_km`` (km a
    charge during the day adds, e.g. at the depot at lunch; 0 = the overnight charge only); km beyond that stay
    on a diesel or petrol van at the replaced van's emissions and cost per km. Electric emissions = km x the
    electric factor incl. grid losses; cost = km x ``ev_cost_per_km`` (default: the mean of the fleet's electric
    vans). ``n_vans`` picks the vans with the most km that one day's charge covers.
    """
    fleet_ev = vehicles[vehicles["fuel"] == "electric"]
    if ev_cost_per_km is None:
        if fleet_ev.empty:
            raise ValueError("the fleet has no electric van to copy the running cost from; enter a cost per km")
        ev_cost_per_km = float(fleet_ev["cost_per_km"].mean())
    if ev_range_km is None:
        if fleet_ev["range_km"].dropna().empty:
            raise ValueError("the fleet has no electric van with a range; enter the electric range in km")
        ev_range_km = float(fleet_ev["range_km"].min())
    if ev_cost_per_km < 0 or ev_range_km <= 0 or top_up_km < 0:
        raise ValueError(f"electric cost per km ({ev_cost_per_km}) and top-up ({top_up_km} km) must be >= 0 and "
                         f"range ({ev_range_km}) > 0")
    reach = ev_range_km + top_up_km
    days = van_days.assign(ev_km=np.minimum(van_days["km"], reach))
    fuel_vans = vehicles[vehicles["fuel"] != "electric"]["vehicle_id"]
    if vehicle_ids is not None:
        bad = [v for v in vehicle_ids if v not in set(fuel_vans)]
        if bad:
            raise ValueError(f"vehicle(s) {bad} are not diesel or petrol vans of this fleet")
        chosen = list(vehicle_ids)
    else:
        n = 0 if n_vans is None else int(n_vans)
        if not 0 <= n <= len(fuel_vans):
            raise ValueError(f"{n} vans asked for, but the fleet has {len(fuel_vans)} diesel or petrol vans")
        coverable = days.groupby("vehicle_id")["ev_km"].sum()
        chosen = coverable.reindex(fuel_vans).fillna(0).sort_values(ascending=False, kind="stable").index[:n].tolist()
    ev_kg = van_kg_co2e_per_km("electric", factors)
    switched = days["vehicle_id"].isin(chosen)
    sel = days[switched]
    left = sel["km"] - sel["ev_km"]  # km over the day's reach, driven by a fuel van at the replaced van's rates
    per_km = sel["km"].where(sel["km"] > 0)
    base_kg, base_cost = float(days["kg_co2e"].sum()), float(days["cost_gbp"].sum())
    new_kg = float(days.loc[~switched, "kg_co2e"].sum() + sel["ev_km"].sum() * ev_kg
                   + (left * sel["kg_co2e"] / per_km).fillna(0).sum())
    new_cost = float(days.loc[~switched, "cost_gbp"].sum() + sel["ev_km"].sum() * ev_cost_per_km
                     + (left * sel["cost_gbp"] / per_km).fillna(0).sum())
    check = (sel.assign(over=sel["km"] > reach, left=left).groupby("vehicle_id")
             .agg(days=("km", "size"), longest_day_km=("km", "max"), days_over_range=("over", "sum"),
                  km_over_range=("left", "sum"))
             .reindex(chosen).fillna(0).astype({"days": int, "days_over_range": int}).reset_index())
    over, km_left = int(check["days_over_range"].sum()), float(check["km_over_range"].sum())
    total_km = float(sel["km"].sum())
    share = 1.0 - km_left / total_km if total_km > 0 else 1.0
    charge = f"a {ev_range_km:.0f} km range" + (f" plus a {top_up_km:.0f} km top-up" if top_up_km else "")
    note = (f"{len(chosen)} van(s) switched at {ev_cost_per_km:.2f} GBP/km with {charge}; "
            + (f"{over} van-day(s) are longer than one charge reaches, and their {km_left:,.0f} km beyond it stay on "
               f"a diesel or petrol van (a second van, or a top-up charge), so {share:.0%} of the switched vans' km "
               "run on electricity." if over else "every day they drove fits in one charge."))
    what_if = WhatIf(f"Switch {len(chosen)} van(s) to electric", base_kg, new_kg, base_cost, new_cost, note)
    return ElectricSwitch(what_if, tuple(chosen), check, share)


def consolidate_delivery_days(stops: pd.DataFrame, vehicles: pd.DataFrame, factors: pd.DataFrame,
                              days_per_week: int, circuity: float = DEFAULT_CIRCUITY) -> WhatIf:
    """Deliver each customer on at most ``days_per_week`` fixed weekdays (:data:`DELIVERY_WEEKDAYS`).

    Each stop moves to the nearest allowed weekday of its Monday-Sunday week (ties: earlier);
    a customer's stops landing on the same vehicle-day merge into one visit; routes keep their van
    and time-of-day order and are re-measured depot -> stops -> depot. Van capacity is not re-checked.
    """
    if days_per_week not in DELIVERY_WEEKDAYS:
        raise ValueError(f"delivery days per week must be 1-7, not {days_per_week}")
    allowed = np.array(DELIVERY_WEEKDAYS[days_per_week])
    dates = pd.to_datetime(stops["date"])
    weekday = dates.dt.weekday.to_numpy()
    nearest = allowed[np.abs(weekday[:, None] - allowed[None, :]).argmin(axis=1)]
    moved = stops.assign(date=dates + pd.to_timedelta(nearest - weekday, unit="D"),
                         tod=pd.to_datetime(stops["arrival"]) - dates)
    moved = moved.drop_duplicates(["vehicle_id", "date", "customer_id"]).sort_values(
        ["vehicle_id", "date", "tod"], kind="stable")
    per_km = vehicles.set_index("vehicle_id")["fuel"].map(lambda f: van_kg_co2e_per_km(f, factors))
    cost = vehicles.set_index("vehicle_id")["cost_per_km"]

    def totals(frame: pd.DataFrame) -> tuple[float, float, int]:
        days = vehicle_day_km(frame, circuity)
        return (float((days["km"] * days["vehicle_id"].map(per_km)).sum()),
                float((days["km"] * days["vehicle_id"].map(cost)).sum()), len(days))

    base_kg, base_cost, base_days = totals(stops)
    new_kg, new_cost, new_days = totals(moved)
    note = (f"{base_days} van-days become {new_days}; {len(stops)} stops become {len(moved)} visits. "
            "Customers must accept the fixed days; van capacity and driving hours are not re-checked.")
    return WhatIf(f"Deliver on {days_per_week} day(s) a week", base_kg, new_kg, base_cost, new_cost, note)


def right_sized_cartons(name: str, standard_kg_co2e: float, planned_kg_co2e: float, standard_cost_gbp: float,
                        planned_cost_gbp: float, plan_days: int, period_days: int) -> WhatIf:
    """The Warehouse page's carton plan (right-sized cartons against always the standard box, over ``plan_days``
    of orders) scaled to a period of ``period_days``: kg CO2e and carton cost in proportion to days."""
    if plan_days <= 0 or period_days <= 0:
        raise ValueError(f"days must be positive, got plan_days={plan_days}, period_days={period_days}")
    k = period_days / plan_days
    return WhatIf(name, standard_kg_co2e * k, planned_kg_co2e * k, standard_cost_gbp * k, planned_cost_gbp * k,
                  f"From the Warehouse page's carton planner ({plan_days} days of orders, each packed in the cartons "
                  f"that fit it best, against always the standard box), scaled to {period_days} days.")


def change_packaging(volumes: pd.Series, cartons: pd.DataFrame, factors: pd.DataFrame,
                     policy: PackagingPolicy, baseline: PackagingPolicy = PackagingPolicy()) -> WhatIf:
    """Packaging kg CO2e and carton cost under ``policy`` against ``baseline`` for the same orders."""
    base = cartons_for_orders(volumes, cartons, factors, baseline)
    new = cartons_for_orders(volumes, cartons, factors, policy)
    note = (f"Packaging weight {base['packaging_kg'].sum():,.0f} kg -> {new['packaging_kg'].sum():,.0f} kg "
            f"for {len(volumes):,} orders (one carton size per order, chosen by volume).")
    return WhatIf("Change packaging", float(base["kg_co2e"].sum()), float(new["kg_co2e"].sum()),
                  float(base["cost_gbp"].sum()), float(new["cost_gbp"].sum()), note)


def shift_supplier_spend(inbound: pd.DataFrame, scores: pd.Series, factors: pd.DataFrame, share: float,
                         min_score: float | None = None) -> WhatIf:
    """Move ``share`` (0-1) of the spend of suppliers scoring below ``min_score`` (default: the median) to those
    at or above it that bring goods in with less CO2e per GBP than the suppliers losing spend (pro rata to their
    spend); inbound kg CO2e follows each supplier's kg per GBP, so the what-if never raises it. A supplier that
    scores higher (certifications, packaging) but is further away takes none of the moved spend, and the note
    says so; when none qualifies, nothing moves and the note says by how much moving would have raised CO2e.

    ``inbound``: :func:`~opscore.sustainability.inbound.inbound_tonne_km` rows; ``scores``: eco score by supplier id.
    """
    if not 0 <= share <= 1:
        raise ValueError(f"share {share} must lie between 0 and 1 (e.g. 0.3 for 30 %)")
    hgv = hgv_kg_co2e_per_tonne_km(factors)
    by = inbound.groupby("supplier_id").agg(spend=("spend_gbp", "sum"), tkm=("tonne_km", "sum"))
    by["score"] = scores.reindex(by.index)
    if by["score"].isna().any():
        raise ValueError(f"no eco score for supplier(s) {by.index[by['score'].isna()].tolist()}")
    cut = float(by["score"].median()) if min_score is None else float(min_score)
    low, high = by["score"] < cut, by["score"] >= cut
    if not low.any() or not high.any():
        raise ValueError(f"an eco-score cut of {cut:g} leaves no supplier on one side; choose another cut")
    by["kg"] = by["tkm"] * hgv
    by["kg_per_gbp"] = (by["kg"] / by["spend"].where(by["spend"] > 0)).fillna(0.0)
    low_spend = float(by.loc[low, "spend"].sum())
    donors_kg_per_gbp = float(by.loc[low, "kg"].sum()) / low_spend if low_spend else 0.0
    takers = high & (by["kg_per_gbp"] <= donors_kg_per_gbp) & (by["spend"] > 0)
    moved = low_spend * share

    def spend_after(receivers: pd.Series) -> pd.Series:
        """Spend per supplier once ``moved`` GBP goes to ``receivers`` pro rata to their spend."""
        spend = by["spend"].where(~low, by["spend"] * (1 - share))
        spend[receivers] += moved * by.loc[receivers, "spend"] / by.loc[receivers, "spend"].sum()
        return spend

    base_kg = float(by["kg"].sum())
    further = sorted(by.index[high & ~takers].astype(str))
    name = f"Shift {share:.0%} of spend to greener suppliers"
    if not takers.any():
        paid = high & (by["spend"] > 0)  # moved spend is shared pro rata to spend: only suppliers with some
        raised = float((spend_after(paid) * by["kg_per_gbp"]).sum()) - base_kg if paid.any() else 0.0
        note = (f"None of the suppliers scoring {cut:.3g} or more brings goods in with less CO2e per GBP than those "
                f"scoring under it (they are further away or send heavier goods)"
                + (f", so moving {moved:,.0f} GBP to them would raise inbound CO2e by {raised:,.0f} kg "
                   f"({100 * raised / base_kg if base_kg else 0:.0f} %)" if paid.any() else
                   ", and none of them had any spend to share the moved spend by")
                + ". Nothing is moved.")
        return WhatIf(name, base_kg, base_kg, None, None, note)
    new_spend = spend_after(takers)
    score_before = float((by["spend"] * by["score"]).sum() / by["spend"].sum())
    score_after = float((new_spend * by["score"]).sum() / new_spend.sum())
    one = len(further) == 1
    skipped = (f" {', '.join(further)} score{'s' if one else ''} {cut:.3g} or more but bring{'s' if one else ''} goods "
               f"in with more CO2e per GBP than the suppliers losing spend (further away or heavier goods), so "
               f"{'it takes' if one else 'they take'} none of it." if further else "")
    receivers = ", ".join(by.index[takers].astype(str))
    note = (f"{moved:,.0f} GBP moved from suppliers scoring under {cut:.3g} to {receivers}; "
            f"spend-weighted eco score {score_before:.0f} -> {score_after:.0f}.{skipped} Assumes the greener suppliers "
            "sell the same goods at the same prices, so spend is unchanged.")
    return WhatIf(name, base_kg, float((new_spend * by["kg_per_gbp"]).sum()), None, None, note)


def fuel_litres_equivalent(kg_co2e: float, fuel: str, factors: pd.DataFrame) -> float:
    """Litres of ``fuel`` ('diesel' or 'petrol') whose combustion emits ``kg_co2e`` (DESNZ 2025 fuel factors)."""
    if fuel not in ("diesel", "petrol"):
        raise ValueError(f"fuel {fuel!r} must be diesel or petrol")
    per_litre = factor(factors, f"{fuel}_litre")
    return kg_co2e / per_litre if per_litre else math.nan


OPTION_SLUGS = ("electric_vans", "fewer_days", "packaging", "greener_suppliers")
"""The four what-ifs of :class:`GreenerOptions` as named in a saved scenario's results."""


@dataclass(frozen=True)
class GreenerOptions:
    """The four greener what-ifs over one period, each against the same months as things are."""

    electric: ElectricSwitch
    """Vans switched to electric (:func:`switch_to_electric`)."""
    fewer_days: WhatIf
    """Fewer delivery days a week (:func:`consolidate_delivery_days`)."""
    packaging: WhatIf
    """Other cartons, materials or reuse (:func:`change_packaging`)."""
    greener_suppliers: WhatIf
    """Spend moved to greener suppliers (:func:`shift_supplier_spend`)."""

    @property
    def what_ifs(self) -> tuple[WhatIf, ...]:
        """The four what-ifs, in the order of :data:`OPTION_SLUGS`."""
        return self.electric.what_if, self.fewer_days, self.packaging, self.greener_suppliers

    def scenario_results(self) -> dict[str, float]:
        """What a saved scenario records: kg CO2e saved by each what-if (``co2e_saving_<slug>_kg``) and by all
        four (``co2e_saving_kg``), and the electric vans' running cost change (GBP) when the fleet has costs."""
        results = {f"co2e_saving_{slug}_kg": w.saving_kg_co2e for slug, w in zip(OPTION_SLUGS, self.what_ifs)}
        results["co2e_saving_kg"] = sum(w.saving_kg_co2e for w in self.what_ifs)
        change = self.electric.what_if.cost_change_gbp
        if change is not None:
            results["electric_running_cost_change_gbp"] = change
        return results
