"""Inventory simulator: reorder levels, what-ifs, the cost/service trade-off and today's purchase plan."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opscore.inventory import plan_to_excel
from opscore.io import export_csv
from opscore.viz.theme import plain
from ui.inventory_settings import WHAT_IF_KEYS, baseline_panel, item_labels, scenario_params, what_if_panel
from ui.inventory_tables import classes_table, levels_table, plan_table
from ui.inventory_text import target_against_achieved, waste_explained
from ui.scenarios import linked_params, save_panel
from ui.services import inventory as svc
from ui.state import cache_key, current_store, inventory_inputs_at, page_fragment
from ui.text import md
from ui.widgets import needs_data, open_tab_only

FRONTIER_AT_ONCE = 500  # more items chosen than this: the cost-versus-service curve is simulated on request
FRONTIERS_DRAWN = "inventory_frontiers"  # session key: (workspace, settings, items) whose curve was drawn on request
# widgets in tabs that run only while open: their values are kept while another tab is open
KEEP = ("inv_window", "inv_budget", "inv_space", *WHAT_IF_KEYS, "inv_item")


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
    inputs = inventory_inputs_at(key)
except ValueError as exc:
    st.warning(f"The simulator needs products, sales and stock data: {md(exc)}")
    st.stop()
products = inputs.products
cls = svc.item_classes(key)
preset = linked_params("inventory")
chosen = baseline_panel(products, cls, preset)
base, rows = chosen.settings, chosen.rows
tuned = svc.tuned(key, base, rows)
baseline, waste = svc.simulate(key, base, base, base, rows)
runs = svc.runs(len(rows))  # as the simulation runs them

m = st.columns(5)
m[0].metric("Demand served from stock", f"{_value(baseline, 'fill_rate'):.1%}")
m[1].metric("Deliveries with no run-out", f"{_value(baseline, 'cycle_service_level'):.1%}",
            help="Share of the gaps between deliveries in which the item never ran out.")
m[2].metric("Average units on the shelf", f"{_value(baseline, 'avg_on_hand'):,.0f}")
m[3].metric("Cost over six months", f"£{_value(baseline, 'total_cost'):,.0f}",
            help="Holding + ordering + margin lost on missed sales + stock thrown away.")
m[4].metric("Units thrown away", f"{_value(baseline, 'waste_units'):,.0f}", help="Over the six months simulated.")
st.caption(f"Demand comes from {inputs.demand_source}. Figures are averages of {runs} simulated runs of {svc.DAYS} "
           f"days for {len(rows)} item(s), starting from today's stock and open orders, so they include catching up "
           "where today's stock is low or high.")
if len(tuned.active):
    st.markdown(target_against_achieved(tuned, base.target_kind))
if waste.thrown_away > 0:
    st.caption(waste_explained(waste))


@page_fragment
def plan_section() -> None:
    """The plan's window, budget and space inputs re-run only this part."""
    c1, c2, c3 = st.columns(3)
    window = c1.slider("Plan orders due in the next (days)", 0, 14, 7, key="inv_window")
    budget = c2.number_input("Budget for this plan (£, 0 = no limit)", 0.0, 1e7, 0.0, 500.0, key="inv_budget")
    space = c3.number_input("Free warehouse space (m³, 0 = no limit)", 0.0, 1e4, 0.0, 1.0, key="inv_space")
    plan = svc.plan(key, base, rows, window, budget or None, space or None)
    if plan.empty:
        st.info("Nothing needs ordering in this window: every item has enough stock and orders on the way.")
        return
    ordering = plan[plan["status"] == "order"]
    st.write(f"**{len(ordering)} order lines, £{ordering['value'].sum():,.0f}, "
             f"{ordering['volume_m3'].sum():,.1f} m³.** Each line says why.")
    plan_table(plan)
    d1, d2 = st.columns(2)  # files are built only when clicked
    d1.download_button("Download CSV", lambda: export_csv(plan), "purchase_plan.csv", "text/csv")
    d2.download_button("Download Excel", lambda: plan_to_excel(plan), "purchase_plan.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@page_fragment
def what_if() -> None:
    """Sliders re-run only this part: the what-if simulation, the side-by-side comparison and the fan chart."""
    choice = what_if_panel(base, products, preset)
    what, replan = choice.settings, choice.replan
    levels_of = what if replan else base
    # a what-if that changes nothing is the baseline (no second simulation)
    result = baseline if what == base else svc.simulate(key, what, levels_of, base, rows)[0]
    left, right = st.columns(2)
    for col, name, total in ((left, "Baseline (today's settings)", baseline), (right, "What-if", result)):
        col.markdown(f"**{name}**")
        a, b, c = col.columns(3)
        a.metric("Demand served", f"{_value(total, 'fill_rate'):.1%}")
        b.metric("Cost, six months", f"£{_value(total, 'total_cost'):,.0f}")
        c.metric("Thrown away", f"{_value(total, 'waste_units'):,.0f}")
    st.plotly_chart(svc.figure("compare", baseline, result), width="stretch")
    everything = item_labels(products)
    labels = [everything[r] for r in rows]
    item = st.selectbox("Stock on the shelf over time for", labels, index=0, key="inv_item")
    at = labels.index(item)
    levels = svc.levels(key, levels_of, base, rows).iloc[at]
    bands = svc.fan(key, what, levels_of, base, rows, at)
    st.plotly_chart(svc.figure("fan", bands, None, (float(levels["min_level"]), float(levels["max_level"])),
                               f"{plain(item)}: simulated stock under the what-if"), width="stretch")
    params = {**scenario_params(chosen, choice), "days": svc.DAYS, "replications": runs, "seed": svc.SEED,
              "demand_source": inputs.demand_source}
    save_panel("inventory", "inventory", params,
               {"fill_rate_pct": 100 * _value(result, "fill_rate"),
                "service_level_pct": 100 * _value(result, "cycle_service_level"),
                "cost_gbp": _value(result, "total_cost"), "waste_units": _value(result, "waste_units")},
               key="inventory")


def tradeoff() -> None:
    st.caption("Each point is the same ordering rule with one service target for every item, simulated. "
               "Moving right buys service with more stock; the star is your current setting.")
    drawn = st.session_state.setdefault(FRONTIERS_DRAWN, set())  # (workspace, settings, items) drawn on request
    wanted = (key, base, rows)
    if len(rows) > FRONTIER_AT_ONCE and wanted not in drawn and st.button(
            f"Simulate the trade-off for these {len(rows):,} items (takes a few seconds)"):
        drawn.add(wanted)
    if len(rows) <= FRONTIER_AT_ONCE or wanted in drawn:
        points = svc.tradeoff(key, base, rows)
        star = points[points["current"]].iloc[0]
        mark = (float(star["fill_rate"]), float(star["cost_per_year"]))
        st.plotly_chart(svc.figure("frontier", points[~points["current"]], None, mark), width="stretch")


def class_matrix() -> None:
    st.plotly_chart(svc.figure("matrix", cls), width="stretch")
    st.caption("A items make up the first 80 % of the value you buy, C items the last 5 %. X items sell steadily "
               "week to week, Z items erratically. Steady, valuable items get the highest service targets.")
    classes_table(cls)


def reorder_levels() -> None:
    st.caption("Per item: expected sales per day, the supplier's usual delivery time, the safety stock that "
               "covers a bad week, the min (reorder) level the textbook formula gives and the min and max the "
               "simulation found meet the target, which the plan uses.")
    levels_table(tuned)


open_tab_only({"Today's purchase plan": plan_section, "What if...": what_if, "Cost versus service": tradeoff,
               "ABC-XYZ classes": class_matrix, "Reorder levels": reorder_levels}, key="inv_tab", keep=KEEP,
              default="What if..." if preset else None)
