"""Disruption what-if: a supplier is out (or slow) for a while; stock-outs, lost revenue, contingencies.

A deterministic daily stock projection per affected SKU (those whose main supplier is disrupted),
independent of the inventory simulator:

- demand: the mean daily units sold over recent weeks (:func:`opscore.suppliers.position.daily_demand`),
  unmet demand is lost (no back orders);
- stock: sellable units on hand today; open POs arrive on their promised day (overdue ones tomorrow);
- replenishment: daily review, order-up-to (s, S): reorder point ``s = d L + d safety_days``, order-up-to
  ``S = s + d cycle_days`` on the inventory position (on hand + on order), the (s, S) rule of Silver,
  Pyke and Thomas (2017), *Inventory and Production Management in Supply Chains*, 4th ed., here with
  deterministic demand;
- disruption over days ``[0, duration)``: an outage means no orders and no shipments from the supplier
  (its open POs due in that window arrive on the day it recovers); a delay adds ``extra_lead_days`` to its
  orders and its open POs in the window.

Contingencies during the window (costs in GBP):

- expedite: emergency buying (cash-and-carry, premium freight) at a premium on unit cost plus a fee
  per order;
- switch: order from the second-best supplier that has supplied the SKU, at its price, plus a one-off
  fee per SKU switched; SKUs without one behave as doing nothing;
- raise safety stock: a standing buffer of ``extra_safety_days`` of demand held before the disruption,
  capped so that stock never exceeds shelf life, costed as its holding cost over ``buffer_hold_days``.

Contingency deliveries take the SKU's normal lead time, or the alternative supplier's if longer: a
contingency restores supply but never beats the undisrupted plan, so every result is monotone in the
disruption's length. While a supplier is out, its stuck open POs are not counted as on order.

The recommendation is the cheapest option (contingency cost plus lost gross margin) whose fill rate
meets the service target, or the baseline's fill rate when the baseline itself is below the target;
with none, the option with the best fill rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from opscore.suppliers.checks import require_columns
from opscore.suppliers.kpis import prepare_lines
from opscore.suppliers.position import daily_demand, open_purchase_orders, stock_on_hand

OPTIONS = {"baseline": "No disruption (baseline)", "do_nothing": "Do nothing", "expedite": "Expedite",
           "switch": "Switch to second-best supplier", "safety_stock": "Raise safety stock"}
CONTINGENCIES = ("do_nothing", "expedite", "switch", "safety_stock")


@dataclass(frozen=True)
class Disruption:
    """Which supplier is disrupted, for how long and how."""

    supplier_id: str
    duration_days: int
    """Length of the disruption from today, days."""
    extra_lead_days: int | None = None
    """None = outage (no supply at all); a number = orders take this many days longer, days."""


@dataclass(frozen=True)
class ReplenishmentPolicy:
    """The ordering rule of the projection."""

    safety_days: float = 2.0
    """Safety stock as days of demand, days."""
    cycle_days: float = 7.0
    """Order quantity as days of demand (S - s), days."""


@dataclass(frozen=True)
class Contingencies:
    """Sizes and prices of the contingencies."""

    expedite_premium: float = 0.30
    """Extra cost of expedited units as a share of unit cost, 0-1+."""
    expedite_fee_gbp: float = 40.0
    """Fixed charge per expedited order line, GBP."""
    switch_fee_gbp: float = 150.0
    """One-off cost per SKU moved to another supplier (set-up, checks), GBP."""
    extra_safety_days: float = 14.0
    """Extra safety stock held by the 'raise safety stock' option, days of demand."""
    holding_rate: float = 0.25
    """Holding cost per year as a share of unit cost, 1/year."""
    buffer_hold_days: int = 365
    """How long a raised buffer is carried (you cannot know when a disruption comes), days."""


@dataclass(frozen=True)
class SupplyPlan:
    """Per-SKU inputs of the projection, built once by :func:`supply_plan`."""

    skus: pd.DataFrame
    """``sku``, ``name``, ``supplier_id``, ``units_per_day``, ``on_hand``, ``unit_cost``, ``unit_price`` (GBP),
    ``lead_time_days``, ``shelf_life_days`` (NaN = no expiry), ``alt_supplier_id`` ('' if none),
    ``alt_lead_time_days``, ``alt_unit_price`` (GBP)."""
    open_pos: pd.DataFrame
    """Open PO lines: ``sku``, ``supplier_id``, ``due_day`` (days from today, >= 1), ``qty`` (units)."""
    as_of: pd.Timestamp


@dataclass(frozen=True)
class DisruptionResult:
    """The projection of every option against the baseline, and the recommendation."""

    options: pd.DataFrame
    """Per option: ``option``, ``label``, ``fill_rate`` (0-1), ``stockout_sku_days``, ``lost_units``,
    ``lost_revenue_gbp``, ``contingency_cost_gbp``, ``lost_margin_gbp`` (lost units x (price - cost)),
    ``total_cost_gbp`` (contingency + lost margin), ``meets_target``."""
    daily: pd.DataFrame
    """Per option and day: ``option``, ``day``, ``date``, ``stock_value_gbp`` (at cost),
    ``lost_revenue_gbp`` (cumulative)."""
    skus: pd.DataFrame
    """Per affected SKU, doing nothing: ``sku``, ``name``, ``first_stockout_day`` (NaN = none), ``lost_units``,
    ``lost_revenue_gbp``, ``alt_supplier_id``."""
    recommended: str
    """Key of the recommended option (see :data:`OPTIONS`)."""
    recommendation: str
    """The recommendation in a plain sentence."""
    service_target: float


def supply_plan(purchase_orders: pd.DataFrame, products: pd.DataFrame, sales: pd.DataFrame, inventory: pd.DataFrame,
                as_of: object, supplier_rank: Sequence[str] | None = None, demand_days: int = 56,
                lookback_days: int = 365) -> SupplyPlan:
    """Gather demand, stock, lead times, prices and the second-best supplier of every SKU.

    ``supplier_rank``: supplier ids best first (e.g. from the scoring); default = by OTIF rate over the
    lookback. The alternative of a SKU is the best-ranked other supplier that supplied it in the lookback.
    """
    require_columns(products, ("sku", "name", "supplier_id", "unit_cost", "unit_price", "lead_time_days"),
                    "the product table")
    day = pd.Timestamp(as_of)
    lines = prepare_lines(purchase_orders, day - pd.Timedelta(days=lookback_days), day)
    rec = lines[lines["received"]]
    if supplier_rank is None:
        supplier_rank = rec.groupby("supplier_id")["otif"].mean().sort_values(ascending=False, kind="stable").index
    order = {s: i for i, s in enumerate(supplier_rank)}
    pair = rec.groupby(["sku", "supplier_id"]).agg(lead=("lead_time_days", "median"), price=("unit_price", "median"))
    skus = products[["sku", "name", "supplier_id", "unit_cost", "unit_price", "lead_time_days"]].copy()
    skus["shelf_life_days"] = products["shelf_life_days"].astype(float) if "shelf_life_days" in products else np.nan
    skus["units_per_day"] = skus["sku"].map(daily_demand(sales, day, demand_days)).fillna(0.0)
    skus["on_hand"] = skus["sku"].map(stock_on_hand(inventory, day)).fillna(0.0)
    alts = pair.reset_index().merge(skus[["sku", "supplier_id"]].rename(columns={"supplier_id": "main"}), on="sku")
    alts = alts[alts["supplier_id"] != alts["main"]]
    alts = alts.assign(order=alts["supplier_id"].map(order).fillna(len(order))).sort_values(["sku", "order"], kind="stable")
    best = alts.groupby("sku").first()
    skus["alt_supplier_id"] = skus["sku"].map(best["supplier_id"]).fillna("").astype(str)
    skus["alt_lead_time_days"] = skus["sku"].map(np.maximum(1.0, np.ceil(best["lead"])))
    skus["alt_unit_price"] = skus["sku"].map(best["price"])
    skus["lead_time_days"] = skus["lead_time_days"].clip(lower=1)
    opens = open_purchase_orders(purchase_orders)
    opens = pd.DataFrame({"sku": opens["sku"], "supplier_id": opens["supplier_id"],
                          "due_day": np.maximum((opens["promised_date"] - day).dt.days, 1).astype(int),
                          "qty": opens["qty_ordered"].astype(float)})
    return SupplyPlan(skus.reset_index(drop=True), opens, day)


def _project(sk: pd.DataFrame, opens: pd.DataFrame, option: str, dis: Disruption, policy: ReplenishmentPolicy,
             costs: Contingencies, horizon: int) -> dict[str, np.ndarray | float]:
    """Run one option; arrays are SKUs x days."""
    n = len(sk)
    d = sk["units_per_day"].to_numpy(float)
    lead = sk["lead_time_days"].to_numpy(int)
    unit_cost = sk["unit_cost"].to_numpy(float)
    outage = dis.extra_lead_days is None
    disrupted = option != "baseline"
    window = dis.duration_days if disrupted else 0
    extra = 0 if outage else int(dis.extra_lead_days or 0)
    alt_ok = (sk["alt_supplier_id"] != "").to_numpy()
    alt_lead = np.nan_to_num(sk["alt_lead_time_days"].to_numpy(float), nan=1.0).astype(int)
    longest = int(max(lead.max(initial=1) + extra, alt_lead.max(initial=1))) + window + 2
    arrivals = np.zeros((n, horizon + longest + 1))
    idx = {s: i for i, s in enumerate(sk["sku"])}
    stuck = np.zeros(n)
    for sku, sup, due, qty in opens.itertuples(index=False):
        if sku not in idx:
            continue
        if disrupted and sup == dis.supplier_id and due < window:
            due = window if outage else due + extra
            if outage:
                stuck[idx[sku]] += qty
        arrivals[idx[sku], due] += qty
    s_base = d * (lead + policy.safety_days)
    buffer = np.zeros(n)
    if option == "safety_stock":
        shelf = sk["shelf_life_days"].to_numpy(float)
        room = np.where(np.isnan(shelf), np.inf, np.maximum(shelf * d - sk["on_hand"].to_numpy(float), 0.0))
        buffer = np.minimum(d * costs.extra_safety_days, room)
    on_hand = sk["on_hand"].to_numpy(float) + buffer
    on_order = arrivals[:, 1:].sum(axis=1)
    on_hand += arrivals[:, 0]
    stock = np.zeros((n, horizon))
    lost = np.zeros((n, horizon))
    extra_cost, orders_alt = 0.0, np.zeros(n, dtype=bool)
    rows = np.arange(n)
    for t in range(horizon):
        if t > 0:
            on_hand += arrivals[:, t]
            on_order -= arrivals[:, t]
        served = np.minimum(on_hand, d)
        lost[:, t] = d - served
        on_hand -= served
        stock[:, t] = on_hand
        in_window = t < window
        s = s_base + buffer
        big_s = s + d * policy.cycle_days
        position = on_hand + on_order - (stuck if in_window else 0.0)
        need = (position <= s) & (d > 0)
        qty = np.where(need, big_s - position, 0.0)
        lt = lead.copy()
        can = np.ones(n, dtype=bool)
        if in_window:
            if option == "expedite":
                extra_cost += float((qty * unit_cost * costs.expedite_premium).sum() + costs.expedite_fee_gbp * need.sum())
            elif option == "switch":
                lt = np.where(alt_ok, np.maximum(alt_lead, lead), lead + extra)
                can = alt_ok | (not outage)
                premium = np.maximum(np.nan_to_num(sk["alt_unit_price"].to_numpy(float)) - unit_cost, 0.0)
                extra_cost += float((np.where(alt_ok, qty * premium, 0.0)).sum())
                orders_alt |= need & alt_ok
            else:
                lt = lead + extra
                can[:] = not outage
        qty = np.where(can, qty, 0.0)
        arrivals[rows, t + lt] += qty
        on_order += qty
    if option == "switch":
        extra_cost += costs.switch_fee_gbp * float(orders_alt.sum())
    if option == "safety_stock":
        extra_cost += float((buffer * unit_cost).sum() * costs.holding_rate * costs.buffer_hold_days / 365.0)
    return {"stock": stock, "lost": lost, "cost": extra_cost}


def simulate_disruption(plan: SupplyPlan, disruption: Disruption, policy: ReplenishmentPolicy | None = None,
                        costs: Contingencies | None = None, horizon_days: int = 91,
                        service_target: float = 0.98) -> DisruptionResult:
    """Project the baseline and every contingency for the SKUs whose main supplier is disrupted."""
    policy, costs = policy or ReplenishmentPolicy(), costs or Contingencies()
    sk = plan.skus[plan.skus["supplier_id"] == disruption.supplier_id].reset_index(drop=True)
    if sk.empty:
        known = ", ".join(sorted(plan.skus["supplier_id"].unique()))
        raise ValueError(f"supplier {disruption.supplier_id!r} is not the main supplier of any SKU; choose one of {known}")
    if not 7 <= horizon_days <= 730:
        raise ValueError(f"horizon_days={horizon_days} is outside 7-730 days")
    if not 0 <= disruption.duration_days <= horizon_days:
        raise ValueError(f"the disruption lasts {disruption.duration_days} days; use 0 to {horizon_days} days "
                         "(the projection horizon)")
    if disruption.extra_lead_days is not None and not 0 <= disruption.extra_lead_days <= 365:
        raise ValueError(f"extra lead time {disruption.extra_lead_days} days is outside 0-365 days")
    if not 0 < service_target <= 1:
        raise ValueError(f"service target {service_target} must be a fill rate above 0 and at most 1 (e.g. 0.98)")
    if costs.extra_safety_days < 0 or costs.expedite_premium < 0 or costs.holding_rate < 0:
        raise ValueError("contingency sizes and prices must be 0 or more")
    if policy.safety_days < 0 or policy.cycle_days <= 0:
        raise ValueError("safety_days must be 0 or more and cycle_days more than 0")
    d = sk["units_per_day"].to_numpy(float)
    price = sk["unit_price"].to_numpy(float)
    margin = np.maximum(price - sk["unit_cost"].to_numpy(float), 0.0)
    demand_total = d.sum() * horizon_days
    dates = pd.date_range(plan.as_of, periods=horizon_days, freq="D")
    rows, daily, runs = [], [], {}
    for option, label in OPTIONS.items():
        run = _project(sk, plan.open_pos, option, disruption, policy, costs, horizon_days)
        runs[option] = run
        lost_units = float(run["lost"].sum())
        rows.append({"option": option, "label": label,
                     "fill_rate": 1.0 - lost_units / demand_total if demand_total > 0 else 1.0,
                     "stockout_sku_days": int((run["lost"] > 1e-9).sum()), "lost_units": lost_units,
                     "lost_revenue_gbp": float((run["lost"].sum(axis=1) * price).sum()),
                     "contingency_cost_gbp": float(run["cost"]),
                     "lost_margin_gbp": float((run["lost"].sum(axis=1) * margin).sum())})
        daily.append(pd.DataFrame({"option": option, "day": np.arange(horizon_days), "date": dates,
                                   "stock_value_gbp": (run["stock"] * sk["unit_cost"].to_numpy(float)[:, None]).sum(axis=0),
                                   "lost_revenue_gbp": np.cumsum((run["lost"] * price[:, None]).sum(axis=0))}))
    options = pd.DataFrame(rows)
    options["total_cost_gbp"] = options["contingency_cost_gbp"] + options["lost_margin_gbp"]
    bar = min(service_target, float(options.loc[options["option"] == "baseline", "fill_rate"].iloc[0]))
    options["meets_target"] = options["fill_rate"] >= bar - 1e-9
    recommended, sentence = _recommend(options, bar, service_target)
    lost = runs["do_nothing"]["lost"]
    first = np.where((lost > 1e-9).any(axis=1), np.argmax(lost > 1e-9, axis=1), np.nan)
    per_sku = pd.DataFrame({"sku": sk["sku"], "name": sk["name"], "first_stockout_day": first,
                            "lost_units": lost.sum(axis=1), "lost_revenue_gbp": lost.sum(axis=1) * price,
                            "alt_supplier_id": sk["alt_supplier_id"]})
    return DisruptionResult(options, pd.concat(daily, ignore_index=True), per_sku, recommended, sentence, service_target)


def _recommend(options: pd.DataFrame, bar: float, target: float) -> tuple[str, str]:
    choices = options[options["option"].isin(CONTINGENCIES)]
    ok = choices[choices["meets_target"]]
    goal = f"the {target:.0%} service target" if bar >= target - 1e-12 else f"the baseline fill rate of {bar:.1%}"
    if not ok.empty:
        best = ok.sort_values(["total_cost_gbp", "lost_revenue_gbp"], kind="stable").iloc[0]
        if best["option"] == "do_nothing":
            return "do_nothing", (f"Doing nothing is the cheapest way to keep {goal}: fill rate {best['fill_rate']:.1%}, "
                                  f"£{best['lost_margin_gbp']:,.0f} of margin lost.")
        return str(best["option"]), (f"{best['label']} is the cheapest option that keeps {goal}: fill rate "
                                     f"{best['fill_rate']:.1%}, £{best['contingency_cost_gbp']:,.0f} for the contingency "
                                     f"plus £{best['lost_margin_gbp']:,.0f} of margin lost.")
    best = choices.sort_values(["fill_rate", "total_cost_gbp"], ascending=[False, True], kind="stable").iloc[0]
    return str(best["option"]), (f"No option keeps {goal}; {best['label'].lower()} comes closest with a fill rate of "
                                 f"{best['fill_rate']:.1%} for £{best['contingency_cost_gbp']:,.0f}.")
