"""Disruption what-if: a supplier is out (or slow) for a while; stock-outs, lost revenue, contingencies.

Runs on the Monte Carlo inventory simulator (:func:`opscore.inventory.run`) for the SKUs whose main
supplier is disrupted, with the reorder levels the Inventory page designs (:func:`opscore.inventory.design`
for the same :class:`~opscore.inventory.Settings`), demand from the latest forecast or resampled sales,
lead times drawn from the supplier's record, today's lots and open POs. Unmet demand is lost.

The disruption is a :class:`~opscore.inventory.SupplyWindow` over days ``[0, duration)``: an outage means
no orders to the supplier and its open POs due in the window arrive the day it recovers (they do not
count as on order meanwhile); a delay adds ``extra_lead_days`` to its orders and its open POs in the window.

Contingencies during the window (costs in GBP):

- expedite: emergency buying (cash-and-carry, premium freight) at a premium on unit cost plus a fee per
  order, at the normal lead time;
- switch: order from the second-best supplier that has supplied the SKU, at its price, taking at least
  its mean lead time, plus a one-off set-up fee per SKU moved; SKUs without one behave as doing nothing;
- raise safety stock: a standing buffer of ``extra_safety_days`` of demand held before the disruption
  (reorder levels and today's stock raised by it), capped so that stock never exceeds shelf life, costed
  as its holding cost over ``buffer_hold_days``.

A contingency restores supply but never beats the undisrupted lead time. Every option is simulated with
the same seed, so options see the same demand and lead-time draws (common random numbers) and their
differences come from the option. The recommendation is the cheapest option (contingency cost plus lost
gross margin, both mean over runs) whose mean fill rate meets the service target, or the baseline's fill
rate when the baseline itself is below the target; with none, the option with the best fill rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from opscore.inventory import InventoryInputs, Settings, SimulationResult, SupplyWindow, design, run

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
    buffer_hold_days: int = 365
    """How long a raised buffer is carried (you cannot know when a disruption comes), days."""


@dataclass(frozen=True)
class DisruptionResult:
    """Every option against the baseline (means over the simulated runs), and the recommendation."""

    options: pd.DataFrame
    """Per option: ``option``, ``label``, ``fill_rate`` (0-1) with its 95 % interval ``fill_rate_low`` /
    ``fill_rate_high``, ``stockout_sku_days``, ``lost_units``, ``lost_revenue_gbp``, ``contingency_cost_gbp``,
    ``lost_margin_gbp`` (lost units x (price - cost)), ``total_cost_gbp`` (contingency + lost margin),
    ``meets_target``."""
    daily: pd.DataFrame
    """Per option and day: ``option``, ``day``, ``date``, ``stock_value_gbp`` (at cost, mean run) with ``stock_p5``
    / ``stock_p95``, ``lost_revenue_gbp`` (cumulative, mean run) with ``lost_p5`` / ``lost_p95``."""
    skus: pd.DataFrame
    """Per affected SKU, doing nothing: ``sku``, ``name``, ``stockout_chance`` (share of runs short at least once),
    ``first_stockout_day`` (median run; NaN when most runs never run short), ``lost_units``, ``lost_revenue_gbp``
    (means), ``alt_supplier_id`` ('' if none)."""
    recommended: str
    """Key of the recommended option (see :data:`OPTIONS`)."""
    recommendation: str
    """The recommendation in a plain sentence."""
    service_target: float


def alternatives(inputs: InventoryInputs, supplier_rank: Sequence[str] | None = None) -> pd.DataFrame:
    """Second-best supplier per SKU: the best-ranked other supplier that has delivered it.

    ``supplier_rank``: supplier ids best first (e.g. from the scoring); default = by on-time share of all
    deliveries. Returns ``sku``, ``alt_supplier_id`` ('' if none), ``alt_lead_time_days`` (its mean, whole
    days, at least 1), ``alt_unit_price`` (its mean, GBP).
    """
    sup = inputs.suppliers
    if supplier_rank is None:
        share = (sup.assign(hits=sup["on_time"] * sup["orders"]).groupby("supplier_id")[["hits", "orders"]].sum())
        supplier_rank = (share["hits"] / share["orders"]).sort_values(ascending=False, kind="stable").index
    order = {s: i for i, s in enumerate(supplier_rank)}
    main = inputs.products.set_index("sku")["supplier_id"]
    alts = sup[sup["supplier_id"].to_numpy() != main.reindex(sup["sku"]).to_numpy()]
    alts = (alts.assign(order=alts["supplier_id"].map(order).fillna(len(order)))
            .sort_values(["sku", "order"], kind="stable"))
    best = alts.groupby("sku").first()
    skus = inputs.products["sku"]
    return pd.DataFrame({"sku": skus, "alt_supplier_id": skus.map(best["supplier_id"]).fillna("").astype(str),
                         "alt_lead_time_days": skus.map(np.maximum(1.0, np.ceil(best["lead_days"]))),
                         "alt_unit_price": skus.map(best["unit_price"])})


def _rows(inputs: InventoryInputs, supplier_id: str, horizon_days: int) -> tuple[np.ndarray, list[str]]:
    """Rows of the SKUs whose main supplier is ``supplier_id``, and what is wrong with the supplier or horizon."""
    problems = []
    rows = np.flatnonzero(inputs.products["supplier_id"].to_numpy() == supplier_id)
    if rows.size == 0:
        known = ", ".join(sorted(inputs.products["supplier_id"].astype(str).unique()))
        problems.append(f"supplier {supplier_id!r} is not the main supplier of any SKU; choose one of {known}")
    if not 7 <= horizon_days <= 730:
        problems.append(f"horizon_days={horizon_days} is outside 7-730 days")
    return rows, problems


def _problems(dis: Disruption, costs: Contingencies, target: float, horizon_days: int) -> list[str]:
    """What is wrong with a disruption, its contingencies or the service target."""
    problems = []
    if not 0 <= dis.duration_days <= horizon_days:
        problems.append(f"the disruption lasts {dis.duration_days} days; use 0 to {horizon_days} days "
                        "(the projection horizon)")
    if dis.extra_lead_days is not None and not 0 <= dis.extra_lead_days <= 365:
        problems.append(f"extra lead time {dis.extra_lead_days} days is outside 0-365 days")
    if not 0 < target <= 1:
        problems.append(f"service target {target} must be a fill rate above 0 and at most 1 (e.g. 0.98)")
    if min(costs.extra_safety_days, costs.expedite_premium, costs.expedite_fee_gbp, costs.switch_fee_gbp,
           costs.buffer_hold_days) < 0:
        problems.append("contingency sizes and prices must be 0 or more")
    return problems


def _refuse(problems: list[str]) -> None:
    """Every problem found, in one message."""
    if problems:
        raise ValueError("; ".join(problems))


def _stuck_orders(sub: InventoryInputs, dis: Disruption) -> tuple[InventoryInputs, np.ndarray]:
    """Open POs of the disrupted supplier due in the window: moved to recovery (outage) or later (delay).
    Returns the adjusted inputs and, per SKU, the units stuck at a supplier that is out."""
    if sub.open_order_supplier is None:
        raise ValueError("the inventory inputs do not say which supplier each open order is from; "
                         "build them with opscore.inventory.build_inputs")
    hit = ((sub.open_order_supplier == dis.supplier_id) & (sub.open_order_day < dis.duration_days)
           & (sub.open_orders > 0))
    if dis.extra_lead_days is None:
        day = np.where(hit, dis.duration_days, sub.open_order_day)
        stuck = np.where(hit, sub.open_orders, 0.0).sum(axis=1)
    else:
        day = np.where(hit, sub.open_order_day + dis.extra_lead_days, sub.open_order_day)
        stuck = np.zeros(len(sub.products))
    return replace(sub, open_order_day=day.astype(float)), stuck


def _with_buffer(sub: InventoryInputs, policy: pd.DataFrame,
                 costs: Contingencies) -> tuple[InventoryInputs, pd.DataFrame, np.ndarray]:
    """Reorder levels and today's stock raised by the extra safety stock (a fresh lot), capped by shelf life."""
    d = policy["daily_demand"].to_numpy(float)
    life = sub.products["shelf_life_days"].to_numpy(dtype=float, na_value=np.nan)
    room = np.where(np.isnan(life), np.inf, np.maximum(life * d - sub.on_hand, 0.0))
    buffer = np.floor(np.minimum(d * costs.extra_safety_days, room))
    fresh = np.where(np.isnan(life), np.inf, life - 1)
    raised = policy.assign(min_level=policy["min_level"] + buffer, max_level=policy["max_level"] + buffer)
    sub = replace(sub, lots=np.column_stack([sub.lots, buffer]),
                  lot_expiry_day=np.column_stack([sub.lot_expiry_day, fresh]),
                  on_hand=sub.on_hand + buffer)
    return sub, raised, buffer


@dataclass(frozen=True)
class DisruptionBase:
    """What every what-if on one supplier shares, worked out once: its SKUs, their reorder levels and
    second-best suppliers, and the undisrupted baseline (which no disruption or contingency changes)."""

    supplier_id: str
    inputs: InventoryInputs
    """The inventory inputs of the supplier's SKUs only."""
    policy: pd.DataFrame
    """Their reorder levels (rows of :func:`opscore.inventory.design`)."""
    alternatives: pd.DataFrame
    """Their second-best suppliers (rows of :func:`alternatives`)."""
    settings: Settings
    dates: pd.DatetimeIndex
    """The projected days, from the inputs' as-of date."""
    replications: int
    seed: int
    baseline: dict[str, float]
    """The baseline's figures, as one row of :attr:`DisruptionResult.options` without label and totals."""
    baseline_daily: pd.DataFrame
    """The baseline's rows of :attr:`DisruptionResult.daily` (without ``option``)."""


def prepare_disruption(inputs: InventoryInputs, supplier_id: str, settings: Settings | None = None,
                       supplier_rank: Sequence[str] | None = None, policy: pd.DataFrame | None = None,
                       horizon_days: int = 91, replications: int = 200, seed: int = 7) -> DisruptionBase:
    """Select the SKUs whose main supplier is ``supplier_id`` and simulate their baseline once.

    ``policy``: reorder levels of every SKU as :func:`opscore.inventory.design` returns them (default: designed
    for ``settings``, classes ranked on the whole range); ``replications`` runs of ``horizon_days`` days with
    ``seed``, the same for every option later simulated on this base.
    """
    settings = replace(settings or Settings(), lost_sales=True)
    rows, problems = _rows(inputs, supplier_id, horizon_days)
    _refuse(problems)
    policy = (design(inputs, settings) if policy is None else policy).iloc[rows].reset_index(drop=True)
    sub = inputs.select(rows)  # its own arrays, made read-only: a base is shared by every move (and user) of a page
    for value in vars(sub).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    dates = pd.date_range(pd.Timestamp(inputs.as_of), periods=horizon_days, freq="D")
    res = run(sub, settings, policy=policy, days=horizon_days, replications=replications, seed=seed,
              track=tuple(range(len(rows))))
    row, daily = _outcome(res, sub.products, dates)
    alts = alternatives(inputs, supplier_rank).iloc[rows].reset_index(drop=True)
    return DisruptionBase(supplier_id, sub, policy, alts, settings, dates, replications, seed, row, daily)


def disruption_options(base: DisruptionBase, disruption: Disruption, costs: Contingencies | None = None,
                       service_target: float = 0.98) -> DisruptionResult:
    """Simulate every contingency of ``disruption`` on a prepared base (same runs and seed as its baseline)."""
    costs = costs or Contingencies()
    mismatch = ([] if disruption.supplier_id == base.supplier_id else
                [f"the disruption is of supplier {disruption.supplier_id!r} but the prepared run is of "
                 f"{base.supplier_id!r}; prepare one with prepare_disruption for {disruption.supplier_id!r}"])
    _refuse(mismatch + _problems(disruption, costs, service_target, len(base.dates)))
    p = base.inputs.products
    rows_out = [{"option": "baseline", "label": OPTIONS["baseline"], **base.baseline}]
    daily = [base.baseline_daily.assign(option="baseline")]
    nothing_short: np.ndarray | None = None
    for option, (data, pol, supply, fixed) in _cases(base, disruption, costs).items():
        res = run(data, base.settings, policy=pol, days=len(base.dates), replications=base.replications,
                  seed=base.seed, track=tuple(range(len(p))), supply=supply)
        row, days = _outcome(res, p, base.dates)
        rows_out.append({"option": option, "label": OPTIONS[option], **row,
                         "contingency_cost_gbp": fixed + row["contingency_cost_gbp"]})
        daily.append(days.assign(option=option))
        if option == "do_nothing":
            nothing_short = _tracked(res)[0]
    options = pd.DataFrame(rows_out)
    options["total_cost_gbp"] = options["contingency_cost_gbp"] + options["lost_margin_gbp"]
    bar = min(service_target, float(base.baseline["fill_rate"]))
    options["meets_target"] = options["fill_rate"] >= bar - 1e-9
    recommended, sentence = _recommend(options, bar, service_target)
    daily_all = pd.concat(daily, ignore_index=True)
    assert nothing_short is not None  # _cases always holds the do-nothing option
    return DisruptionResult(options, daily_all[["option", *base.baseline_daily.columns]],
                            _sku_table(p, nothing_short, base.alternatives), recommended, sentence, service_target)


def simulate_disruption(inputs: InventoryInputs, disruption: Disruption, settings: Settings | None = None,
                        costs: Contingencies | None = None, supplier_rank: Sequence[str] | None = None,
                        policy: pd.DataFrame | None = None, horizon_days: int = 91, replications: int = 200,
                        seed: int = 7, service_target: float = 0.98) -> DisruptionResult:
    """Simulate the baseline and every contingency for the SKUs whose main supplier is disrupted.

    One call of :func:`prepare_disruption` and :func:`disruption_options`; to try several disruptions of one
    supplier, prepare once and call :func:`disruption_options` for each.
    """
    costs = costs or Contingencies()
    _refuse(_rows(inputs, disruption.supplier_id, horizon_days)[1]  # every problem, before any simulation
            + _problems(disruption, costs, service_target, horizon_days))
    base = prepare_disruption(inputs, disruption.supplier_id, settings, supplier_rank, policy, horizon_days,
                              replications, seed)
    return disruption_options(base, disruption, costs, service_target)


def _cases(base: DisruptionBase, dis: Disruption, costs: Contingencies,
           ) -> dict[str, tuple[InventoryInputs, pd.DataFrame, SupplyWindow, float]]:
    """Per contingency: the inputs, reorder levels and supply window to simulate, and its fixed cost (GBP)."""
    policy, alts = base.policy, base.alternatives
    moved, stuck = _stuck_orders(base.inputs, dis)
    unit_cost = base.inputs.products["unit_cost"].to_numpy(float)
    outage = dis.extra_lead_days is None
    extra = 0 if outage else int(dis.extra_lead_days or 0)
    alt_ok = (alts["alt_supplier_id"] != "").to_numpy() & (policy["daily_demand"].to_numpy(float) > 0)
    alt_lead = np.nan_to_num(alts["alt_lead_time_days"].to_numpy(float), nan=0.0)
    alt_premium = np.maximum(np.nan_to_num(alts["alt_unit_price"].to_numpy(float)) - unit_cost, 0.0)
    window = SupplyWindow(dis.duration_days, blocked=outage, extra_lead_days=extra, excluded_on_order=stuck)
    buffered, raised, buffer = _with_buffer(moved, policy, costs)
    return {
        "do_nothing": (moved, policy, window, 0.0),
        "expedite": (moved, policy, replace(window, blocked=False, extra_lead_days=0,
                                            unit_premium=unit_cost * costs.expedite_premium,
                                            order_fee=costs.expedite_fee_gbp), 0.0),
        "switch": (moved, policy, replace(window, blocked=outage & ~alt_ok, extra_lead_days=np.where(alt_ok, 0, extra),
                                          min_lead_days=np.where(alt_ok, alt_lead, 0.0),
                                          unit_premium=np.where(alt_ok, alt_premium, 0.0)),
                   costs.switch_fee_gbp * float(alt_ok.sum()) if dis.duration_days else 0.0),
        "safety_stock": (buffered, raised, window, float((buffer * unit_cost).sum() * base.settings.holding_rate
                                                         * costs.buffer_hold_days / 365.0)),
    }


def _tracked(res: SimulationResult) -> tuple[np.ndarray, np.ndarray]:
    """Units short and units on hand per day, SKU and run, shape (days, SKUs, runs), of a run that tracked every SKU."""
    if res.tracked_short is None or res.tracked_on_hand is None:
        raise ValueError("a disruption option needs the daily stock of every SKU: simulate it with "
                         "track=tuple(range(number of SKUs))")
    return res.tracked_short, res.tracked_on_hand


def _outcome(res: SimulationResult, products: pd.DataFrame,
             dates: pd.DatetimeIndex) -> tuple[dict[str, float], pd.DataFrame]:
    """One option's figures (means over runs) and its daily stock value and cumulative lost revenue.

    Sums over SKUs are matrix products of the (days, SKUs, runs) arrays with a per-SKU vector (one pass each)."""
    unit_cost, price = products["unit_cost"].to_numpy(float), products["unit_price"].to_numpy(float)
    tot = res.total.set_index("measure")
    short, on_hand = _tracked(res)  # (days, SKUs, runs)
    runs = short.shape[2]
    margin = np.maximum(price - unit_cost, 0.0)
    lost_rev_daily = price @ short  # (days, runs)
    row = {"fill_rate": float(tot.loc["fill_rate", "mean"]), "fill_rate_low": float(tot.loc["fill_rate", "ci_low"]),
           "fill_rate_high": float(tot.loc["fill_rate", "ci_high"]),
           "stockout_sku_days": float(np.count_nonzero(short > 1e-9) / runs),
           "lost_units": float(short.sum() / runs),
           "lost_revenue_gbp": float(lost_rev_daily.sum() / runs),
           "contingency_cost_gbp": float(tot.loc["window_cost", "mean"]),
           "lost_margin_gbp": float((margin @ short).sum() / runs)}
    value = unit_cost @ on_hand  # (days, runs)
    lost_rev = np.cumsum(lost_rev_daily, axis=0)
    stock_p5, stock_p95 = np.percentile(value, [5, 95], axis=1)
    lost_p5, lost_p95 = np.percentile(lost_rev, [5, 95], axis=1)
    days = pd.DataFrame({"day": np.arange(len(dates)), "date": dates, "stock_value_gbp": value.mean(axis=1),
                         "stock_p5": stock_p5, "stock_p95": stock_p95, "lost_revenue_gbp": lost_rev.mean(axis=1),
                         "lost_p5": lost_p5, "lost_p95": lost_p95})
    return row, days


def _sku_table(products: pd.DataFrame, short: np.ndarray, alts: pd.DataFrame) -> pd.DataFrame:
    """Per SKU, doing nothing: chance of running short, the median run's first short day, mean losses."""
    out = short > 1e-9  # (days, SKUs, runs)
    ever = out.any(axis=0)
    first = np.where(ever, out.argmax(axis=0), np.inf)  # (SKUs, runs); never short = inf
    median = np.median(first, axis=1)
    lost = short.sum(axis=0).mean(axis=1)
    return pd.DataFrame({"sku": products["sku"], "name": products["name"], "stockout_chance": ever.mean(axis=1),
                         "first_stockout_day": np.where(np.isfinite(median), median, np.nan), "lost_units": lost,
                         "lost_revenue_gbp": lost * products["unit_price"].to_numpy(float),
                         "alt_supplier_id": alts["alt_supplier_id"]})


def _recommend(options: pd.DataFrame, bar: float, target: float) -> tuple[str, str]:
    choices = options[options["option"].isin(CONTINGENCIES)]
    ok = choices[choices["meets_target"]]
    goal = f"the {target:.0%} service target" if bar >= target - 1e-12 else f"the baseline fill rate of {bar:.1%}"
    if not ok.empty:
        best = ok.sort_values(["total_cost_gbp", "lost_revenue_gbp"], kind="stable").iloc[0]
        if best["option"] == "do_nothing":
            return "do_nothing", (f"Doing nothing is the cheapest way to keep {goal}: "
                                  f"fill rate {best['fill_rate']:.1%}, "
                                  f"£{best['lost_margin_gbp']:,.0f} of margin lost.")
        return str(best["option"]), (f"{best['label']} is the cheapest option that keeps {goal}: fill rate "
                                     f"{best['fill_rate']:.1%}, £{best['contingency_cost_gbp']:,.0f} "
                                     f"for the contingency plus £{best['lost_margin_gbp']:,.0f} of margin lost.")
    best = choices.sort_values(["fill_rate", "total_cost_gbp"], ascending=[False, True], kind="stable").iloc[0]
    return str(best["option"]), (f"No option keeps {goal}; {best['label'].lower()} comes closest with a fill rate of "
                                 f"{best['fill_rate']:.1%} for £{best['contingency_cost_gbp']:,.0f}.")
