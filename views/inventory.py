"""Inventory simulator: reorder levels, what-ifs, the cost/service trade-off and today's purchase plan."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from opscore.inventory import (
    POLICIES,
    InventoryInputs,
    Settings,
    TunedPolicy,
    WasteReport,
    classes,
    design,
    explain_waste,
    frontier,
    plan_to_excel,
    purchase_plan,
    retarget,
    run,
    runs_for,
    tune,
)
from opscore.io import export_csv
from opscore.viz.inventory import abc_xyz_matrix, comparison_figure, frontier_figure, on_hand_fan
from opscore.viz.theme import plain
from ui.columns import columns
from ui.scenarios import linked_params, save_panel
from ui.state import cache_key, current_store, inventory_inputs, page_fragment
from ui.text import md
from ui.widgets import needs_data, open_tab_only

# Simulated horizon (days) and runs on the page: enough for stable averages, fast enough for sliders.
DAYS, REPS, SEED = 182, 60, 7
# Items x runs simulated at most: a selection of more items gets fewer runs (at least MIN_REPS), its averages
# pooling more items (650 items: 30 runs, about 0.2 s a move at 5,000 SKUs)
ITEM_RUNS, MIN_REPS = 20_000, 20
LARGE_CATALOGUE = 1000  # more items than this: the page opens on one class (simulating them all takes seconds)
FRONTIER_AT_ONCE = 500  # more items chosen than this: the cost-versus-service curve is simulated on request
POLICY_LABELS = {"min_max": "Min / max, checked daily", "periodic": "Weekly order-up-to",
                 "base_stock": "Replace what sold daily"}
# widgets in tabs that run only while open: their values are kept while another tab is open
KEEP = ("inv_window", "inv_budget", "inv_space", "inv_growth", "inv_lead", "inv_late", "inv_delay", "inv_rate",
        "inv_replan", "inv_item")


@st.cache_data(show_spinner=False, max_entries=64)
def _design(key: str, settings: Settings, _inputs: InventoryInputs) -> pd.DataFrame:
    """Reorder levels of every item; ``_inputs`` are the workspace version ``key``'s (not hashed: passed along so a
    rerun unpickles them once)."""
    return design(_inputs, settings)


@st.cache_data(show_spinner=False, max_entries=32)
def _classes(key: str, _inputs: InventoryInputs) -> pd.DataFrame:
    return classes(_inputs)


@st.cache_data(show_spinner=False, max_entries=32)
def _tuned(key: str, settings: Settings, rows: tuple[int, ...], _inputs: InventoryInputs) -> TunedPolicy:
    """Levels of the chosen rows tuned by simulation until each item meets its target. Other costs than the
    defaults start from the tuning at the default costs (cached), so a cost change re-tunes few items."""
    sub = list(rows)
    reference = replace(settings, ordering_cost=Settings.ordering_cost, holding_rate=Settings.holding_rate)
    start = None if settings == reference else _tuned(key, reference, rows, _inputs)
    return tune(_inputs.select(sub), settings, _design(key, settings, _inputs).iloc[sub].reset_index(drop=True),
                start=start)


def _levels(key: str, settings: Settings, base_settings: Settings, rows: tuple[int, ...],
            inputs: InventoryInputs) -> pd.DataFrame:
    """The chosen rows' levels: tuned for the baseline; for a what-if, its formula levels plus what tuning added."""
    tuned = _tuned(key, base_settings, rows, inputs)
    if settings == base_settings:
        return tuned.policy
    return retarget(tuned, _design(key, settings, inputs).iloc[list(rows)])


@st.cache_data(show_spinner=False, max_entries=64)
def _simulate(key: str, settings: Settings, policy_settings: Settings, base_settings: Settings, rows: tuple[int, ...],
              _inputs: InventoryInputs) -> tuple[pd.DataFrame, WasteReport]:
    """Totals and waste of the next six months from today's stock for the chosen rows, run under ``settings`` with
    the levels of ``policy_settings`` (see :func:`_levels`)."""
    policy = _levels(key, policy_settings, base_settings, rows, _inputs)
    sub = _inputs.select(list(rows))
    result = run(sub, settings, policy, days=DAYS, replications=runs_for(len(rows), REPS, MIN_REPS, ITEM_RUNS),
                 seed=SEED)
    return result.total, explain_waste(policy, sub.products, result.per_sku, sub.usable_on_hand)


@st.cache_data(show_spinner=False, max_entries=64)
def _fan(key: str, settings: Settings, policy_settings: Settings, base_settings: Settings, rows: tuple[int, ...],
         at: int, _inputs: InventoryInputs) -> pd.DataFrame:
    """Stock-on-hand bands of the ``at``-th chosen row."""
    policy = _levels(key, policy_settings, base_settings, rows, _inputs).iloc[[at]].reset_index(drop=True)
    res = run(_inputs.select([rows[at]]), settings, policy, days=DAYS, replications=200, track=(0,))
    return res.on_hand_bands


@st.cache_data(show_spinner=False, max_entries=32)
def _plan(key: str, settings: Settings, rows: tuple[int, ...], window: int, budget: float | None,
          space: float | None, _inputs: InventoryInputs) -> pd.DataFrame:
    return purchase_plan(_inputs.select(list(rows)), _tuned(key, settings, rows, _inputs).policy,
                         window_days=window, budget=budget, volume_cap_m3=space)


@st.cache_data(show_spinner=False, max_entries=16)
def _frontier(key: str, settings: Settings, rows: tuple[int, ...], _inputs: InventoryInputs) -> pd.DataFrame:
    return frontier(_inputs.select(list(rows)), settings, targets=(0.8, 0.9, 0.95, 0.98, 0.99), days=120, replications=30,
                    include_current=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(kind: str, first: pd.DataFrame, second: pd.DataFrame | None = None, marks: tuple = (), title: str = ""):
    """Build a chart once per distinct data (plotly figure building dominates a warm rerun); kept as one shared
    object, not a copy, since unpickling a figure costs as much as building it and charts are only read."""
    if kind == "compare":
        return comparison_figure(first, second)
    if kind == "fan":
        return on_hand_fan(first, marks[0], marks[1], title)
    if kind == "frontier":
        return frontier_figure(first, marks)
    return abc_xyz_matrix(first)


def _value(total: pd.DataFrame, measure: str) -> float:
    return float(total.set_index("measure").at[measure, "mean"])


st.title("Inventory simulator")
st.caption("How much to keep, when to reorder and what to buy today. We replay the next six months many times "
           "with demand like your recent sales (or your latest forecast) and real supplier delivery times, "
           "then count how often you would run out, what the stock costs and what gets thrown away.")

needs_data(current_store(), ["products", "sales", "inventory"],
           "The simulator starts from today's stock and your sales, so it")
key = cache_key()
try:
    inputs = inventory_inputs()
except ValueError as exc:
    st.warning(f"The simulator needs products, sales and stock data: {md(exc)}")
    st.stop()
products = inputs.products
cls = _classes(key, inputs)

preset = linked_params("inventory")


def _index(options: list, value: object) -> int:
    return options.index(value) if value in options else 0


with st.container(border=True):
    c1, c2, c3, c4 = st.columns(4)
    scopes = ["All items", "One class", "One item"]
    default_scope = preset.get("scope") or ("One class" if len(products) > LARGE_CATALOGUE else "All items")
    scope = c1.radio("Which items", scopes, index=_index(scopes, default_scope), horizontal=False,
                     help="A class groups items by value (A most valuable) and steadiness (X steadiest).")
    chosen = None
    if scope == "One class":
        present = sorted(cls["cls"].unique())
        chosen = c1.selectbox("Class", present, index=_index(present, preset.get("choice")))
        rows = tuple(int(i) for i in np.flatnonzero(cls["cls"].to_numpy() == chosen))
    elif scope == "One item":
        labels = (products["sku"] + " " + products["name"]).tolist()
        chosen = c1.selectbox("Item", labels, index=_index(labels, preset.get("choice")))
        rows = (labels.index(chosen),)
    else:
        rows = tuple(range(len(products)))
    policy_kind = c2.selectbox("Ordering rule", POLICIES, index=_index(list(POLICIES), preset.get("policy")),
                               format_func=POLICY_LABELS.get,
                               help="Min/max: when stock plus orders falls to the min, order up to the max.")
    target_kind = c2.radio("Service measured as", ["csl", "fill_rate"], horizontal=True,
                           index=_index(["csl", "fill_rate"], preset.get("target_kind")),
                           format_func={"csl": "no run-out between deliveries", "fill_rate": "share of demand served"}.get)
    by_class = c3.toggle("Targets by class", value=preset.get("target") is None,
                         help="A items (the most valuable) get the highest targets; see the ABC-XYZ classes tab.")
    target = None if by_class else c3.slider("Service target (%)", 80.0, 99.5,
                                             100 * (preset.get("target") or 0.95), 0.5) / 100
    order_cost = c4.number_input("Cost of placing an order line (£)", 0.0, 500.0, float(preset.get("ordering_cost", 15.0)), 1.0)
    holding = c4.number_input("Yearly cost of holding stock (% of unit cost)", 1, 100,
                              int(round(100 * preset.get("holding_rate", 0.25))), 1,
                              help="Money tied up, space, insurance and shrinkage, as a share of what an item cost.")
    outcomes = ["customers buy elsewhere", "they wait (backorder)"]
    lost = c4.radio("When you run out", outcomes, index=0 if preset.get("lost_sales", True) else 1) == outcomes[0]

base = Settings(policy=policy_kind, target_kind=target_kind, target=target, ordering_cost=order_cost, lost_sales=lost,
                holding_rate=holding / 100)
tuned = _tuned(key, base, rows, inputs)
baseline, waste = _simulate(key, base, base, base, rows, inputs)
runs = runs_for(len(rows), REPS, MIN_REPS, ITEM_RUNS)  # as _simulate runs them

m = st.columns(5)
m[0].metric("Demand served from stock", f"{_value(baseline, 'fill_rate'):.1%}")
m[1].metric("Deliveries with no run-out", f"{_value(baseline, 'cycle_service_level'):.1%}",
            help="Share of the gaps between deliveries in which the item never ran out.")
m[2].metric("Average units on the shelf", f"{_value(baseline, 'avg_on_hand'):,.0f}")
m[3].metric("Cost over six months", f"£{_value(baseline, 'total_cost'):,.0f}",
            help="Holding + ordering + margin lost on missed sales + stock thrown away.")
m[4].metric("Units thrown away", f"{_value(baseline, 'waste_units'):,.0f}", help="Over the six months simulated.")
st.caption(f"Demand comes from {inputs.demand_source}. Figures are averages of {runs} simulated runs of {DAYS} days "
           f"for {len(rows)} item(s), starting from today's stock and open orders, so they include catching up "
           "where today's stock is low or high.")
if len(tuned.active):
    measure_words = "no run-out between deliveries" if base.target_kind == "csl" else "of demand served"
    short = tuned.short
    st.markdown(
        f"**Target against achieved.** Target {tuned.mean_target:.1%} {measure_words} (average per item); once these "
        f"reorder levels are in place the simulation gives **{tuned.mean_achieved:.1%}**, and "
        f"**{len(tuned.active) - len(short)} of {len(tuned.active)} items** meet their own target within the "
        f"simulation's margin. To get there {tuned.raised} item(s) hold more than the textbook formula says "
        "(it assumes steady, bell-shaped demand)."
        + (f" Still short after {tuned.rounds} rounds of tuning: {md(', '.join(short['name'].head(3)))}"
           f"{' and others' if len(short) > 3 else ''}." if len(short) else ""))
if waste.thrown_away > 0:
    st.caption(
        f"Thrown away: {waste.share_of_supplied:.0%} of the units on the shelf today and bought over the six months. "
        "Fresh lines turn their stock over every few days, so six months of waste can pass the stock on the shelf "
        "at any one time." + (
            f" {waste.outlasting_share:.0%} of it comes from {waste.outlasting_items} item(s) whose max level is "
            f"more than they sell before the use-by date (most: {md(', '.join(waste.worst))}); a lower target or a "
            "smaller minimum order for them cuts it." if waste.worst else ""))


@page_fragment
def plan_section() -> None:
    """The plan's window, budget and space inputs re-run only this part."""
    c1, c2, c3 = st.columns(3)
    window = c1.slider("Plan orders due in the next (days)", 0, 14, 7, key="inv_window")
    budget = c2.number_input("Budget for this plan (£, 0 = no limit)", 0.0, 1e7, 0.0, 500.0, key="inv_budget")
    space = c3.number_input("Free warehouse space (m³, 0 = no limit)", 0.0, 1e4, 0.0, 1.0, key="inv_space")
    plan = _plan(key, base, rows, window, budget or None, space or None, inputs)
    if plan.empty:
        st.info("Nothing needs ordering in this window: every item has enough stock and orders on the way.")
    else:
        ordering = plan[plan["status"] == "order"]
        st.write(f"**{len(ordering)} order lines, £{ordering['value'].sum():,.0f}, "
                 f"{ordering['volume_m3'].sum():,.1f} m³.** Each line says why.")
        st.dataframe(plan, hide_index=True, width="stretch", column_config=columns(
            plan, value=st.column_config.NumberColumn("Value (£)", format="%.2f"),
            volume_m3=st.column_config.NumberColumn("Volume (m³)", format="%.3f"),
            reason=st.column_config.TextColumn("Why", width="large")))
        d1, d2 = st.columns(2)  # files are built only when clicked
        d1.download_button("Download CSV", lambda: export_csv(plan), "purchase_plan.csv", "text/csv")
        d2.download_button("Download Excel", lambda: plan_to_excel(plan), "purchase_plan.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@page_fragment
def what_if() -> None:
    """Sliders re-run only this part: the what-if simulation, the side-by-side comparison and the fan chart."""
    c1, c2, c3, c4 = st.columns(4)
    growth = c1.slider("Demand change (%)", -50, 100, int(round(100 * preset.get("demand_growth", 0.0))), 5,
                       key="inv_growth") / 100
    lead = c2.slider("Every delivery takes longer by (days)", -3, 14, int(preset.get("lead_change_days", 0)),
                     key="inv_lead")
    suppliers = ["(none)"] + sorted(products["supplier_id"].unique())
    late = c3.selectbox("One supplier is late", suppliers, index=_index(suppliers, preset.get("delayed_supplier")),
                        key="inv_late")
    delay = c3.slider("...by (days)", 0, 21, int(preset.get("supplier_delay_days", 0)), disabled=late == "(none)",
                      key="inv_delay")
    if st.session_state.get("inv_rate_from") != holding:  # starts from the baseline's, and again when that moves
        st.session_state["inv_rate"] = int(round(100 * preset.get("what_if_holding_rate", base.holding_rate)))
        st.session_state["inv_rate_from"] = holding
    rate = c4.slider("Yearly holding cost (% of unit cost)", 1, 100, key="inv_rate")
    replan = c4.toggle("Re-plan levels", value=preset.get("replan", True), key="inv_replan",
                       help="On: reorder levels adjusted to the what-if. Off: keep today's levels and see what the "
                            "change would do to them.")
    what = Settings(**{**base.__dict__, "demand_growth": growth, "lead_change_days": lead,
                       "delayed_supplier": None if late == "(none)" else late,
                       "supplier_delay_days": float(delay), "holding_rate": rate / 100})
    # a what-if that changes nothing is the baseline (no second simulation)
    result = baseline if what == base else _simulate(key, what, what if replan else base, base, rows, inputs)[0]
    left, right = st.columns(2)
    for col, name, total in ((left, "Baseline (today's settings)", baseline), (right, "What-if", result)):
        col.markdown(f"**{name}**")
        a, b, c = col.columns(3)
        a.metric("Demand served", f"{_value(total, 'fill_rate'):.1%}")
        b.metric("Cost, six months", f"£{_value(total, 'total_cost'):,.0f}")
        c.metric("Thrown away", f"{_value(total, 'waste_units'):,.0f}")
    st.plotly_chart(_figure("compare", baseline, result), width="stretch")
    labels = (products["sku"] + " " + products["name"]).iloc[list(rows)].tolist()
    item = st.selectbox("Stock on the shelf over time for", labels, index=0, key="inv_item")
    at = labels.index(item)
    levels = _levels(key, what if replan else base, base, rows, inputs).iloc[at]
    bands = _fan(key, what, what if replan else base, base, rows, at, inputs)
    st.plotly_chart(_figure("fan", bands, None, (float(levels["min_level"]), float(levels["max_level"])),
                            f"{plain(item)}: simulated stock under the what-if"), width="stretch")
    params = {**{k: v for k, v in base.__dict__.items() if k not in ("demand_growth", "lead_change_days",
                                                                     "delayed_supplier", "supplier_delay_days")},
              "scope": scope, "choice": chosen, "demand_growth": growth, "lead_change_days": lead,
              "delayed_supplier": what.delayed_supplier, "supplier_delay_days": float(delay),
              "what_if_holding_rate": rate / 100, "replan": replan, "days": DAYS, "replications": runs, "seed": SEED,
              "demand_source": inputs.demand_source}
    save_panel("inventory", "inventory", params,
               {"fill_rate_pct": 100 * _value(result, "fill_rate"),
                "service_level_pct": 100 * _value(result, "cycle_service_level"),
                "cost_gbp": _value(result, "total_cost"), "waste_units": _value(result, "waste_units")},
               key="inventory")


def tradeoff() -> None:
    st.caption("Each point is the same ordering rule with one service target for every item, simulated. "
               "Moving right buys service with more stock; the star is your current setting.")
    drawn = st.session_state.setdefault("inventory_frontiers", set())  # (workspace, settings, items) drawn on request
    wanted = (key, base, rows)
    if len(rows) > FRONTIER_AT_ONCE and wanted not in drawn and st.button(
            f"Simulate the trade-off for these {len(rows):,} items (takes a few seconds)"):
        drawn.add(wanted)
    if len(rows) <= FRONTIER_AT_ONCE or wanted in drawn:
        points = _frontier(key, base, rows, inputs)
        star = points[points["current"]].iloc[0]
        mark = (float(star["fill_rate"]), float(star["cost_per_year"]))
        st.plotly_chart(_figure("frontier", points[~points["current"]], None, mark), width="stretch")


def class_matrix() -> None:
    st.plotly_chart(_figure("matrix", cls), width="stretch")
    st.caption("A items make up the first 80 % of the value you buy, C items the last 5 %. X items sell steadily "
               "week to week, Z items erratically. Steady, valuable items get the highest service targets.")
    st.dataframe(cls.assign(target=cls["target"] * 100), hide_index=True, width="stretch",
                 column_config={"sku": "Item code", "abc": "Value class", "xyz": "Steadiness class", "cls": "Class",
                                "annual_value": st.column_config.NumberColumn("Value per year (£)", format="%.0f"),
                                "value_share": st.column_config.NumberColumn("Cumulative value share", format="%.3f"),
                                "cv": st.column_config.NumberColumn("Week-to-week variation", format="%.2f"),
                                "target": st.column_config.NumberColumn("Service target (%)", format="%.0f")})


def reorder_levels() -> None:
    st.caption("Per item: expected sales per day, the supplier's usual delivery time, the safety stock that "
               "covers a bad week, the min (reorder) level the textbook formula gives and the min and max the "
               "simulation found meet the target, which the plan uses.")
    table = tuned.policy.assign(target=100 * tuned.policy["target"], achieved=100 * tuned.policy["achieved"])
    number = st.column_config.NumberColumn
    st.dataframe(table[["sku", "name", "cls", "daily_demand", "lead_days", "target", "achieved", "safety_stock",
                        "formula_min", "min_level", "max_level", "order_qty", "moq", "order_multiple"]],
                 hide_index=True, width="stretch",
                 column_config={"sku": "Item code", "name": "Item", "cls": "Class",
                                "daily_demand": number("Sales per day", format="%.1f"),
                                "lead_days": number("Delivery time (days)", format="%.1f"),
                                "target": number("Target (%)", format="%.1f"),
                                "achieved": number("Achieved (%)", format="%.1f",
                                                   help="Once the levels are in place, simulated"),
                                "safety_stock": number("Safety stock", format="%.0f"),
                                "formula_min": number("Min by formula", format="%.0f"),
                                "min_level": number("Min (reorder at)", format="%.0f"),
                                "max_level": number("Max", format="%.0f"),
                                "order_qty": number("Usual order", format="%.0f"),
                                "moq": number("Minimum order", format="%.0f"),
                                "order_multiple": number("Order in multiples of", format="%.0f")})


open_tab_only({"Today's purchase plan": plan_section, "What if...": what_if, "Cost versus service": tradeoff,
               "ABC-XYZ classes": class_matrix, "Reorder levels": reorder_levels}, key="inv_tab", keep=KEEP,
              default="What if..." if preset else None)
