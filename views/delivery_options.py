"""Delivery options: ranked delivery choices per order, learned from each customer's delivery history."""

from __future__ import annotations

import streamlit as st

from opscore.delivery_options import OptionSettings, slot_label
from opscore.viz.delivery_options import failure_heatmap, options_chart, reasons_chart
from ui.columns import columns
from ui.scenarios import linked_params, save_panel
from ui.services import delivery_options as service
from ui.services.delivery_options import NEW_ORDER
from ui.state import cache_key, current_store, page_fragment, table
from ui.text import md
from ui.widgets import needs_data

BACKTEST = "_options_backtest"  # session key: the months tested by the backtest asked for, once it is run
PERCENT = st.column_config.NumberColumn(format="percent")

st.title("Delivery options")
st.caption("Which delivery days and times work best for each customer, learned from past deliveries: the chance "
           "the first attempt succeeds, what it costs to serve and its emissions. Customers with little history "
           "borrow from similar customers, so new customers get sensible answers too.")
key = cache_key()
needs_data(current_store(), ["customers", "orders", "deliveries", "vehicles", "sites"],
           "Learning from past deliveries and pricing the options")
try:
    service.learned(key)
except ValueError as exc:
    st.info(f"No delivery history to learn from yet: {md(exc)}.")
    st.stop()
customers = table("customers")
names = customers.set_index("customer_id")["name"]

st.header("Options for an order")
left, right = st.columns([1, 2])
with left:
    how = st.radio("Choose by", ["Order", "Customer"], horizontal=True)
    upcoming = service.upcoming(key)
    if how == "Order":
        if upcoming.empty:
            st.info("There are no open orders; choose a customer instead.")
            st.stop()
        owner = upcoming.set_index("order_id")["customer_id"]
        order_id = st.selectbox("Order", list(upcoming["order_id"]),
                                format_func=lambda o: f"{o} · {names.get(owner[o], '')}")
        customer_id = str(owner[order_id])
    else:
        customer_id = st.selectbox("Customer", list(customers["customer_id"]),
                                   format_func=lambda c: f"{c} · {names.get(c, '')}")
        theirs = upcoming[upcoming["customer_id"] == customer_id]
        order_id = str(theirs["order_id"].iloc[0]) if len(theirs) else NEW_ORDER
        st.caption(f"Next open order: {md(order_id)}" if order_id != NEW_ORDER
                   else "No open order: showing options for a new one.")
    with st.expander("Assumptions"):
        days = st.slider("Days offered", 1, 7, 3)
        carbon = st.number_input("Carbon price used in the ranking (£ per kg CO2e)", 0.0, 2.0, 0.26, 0.01,
                                 help="About the UK government's central carbon value for appraisal.")
        radius = st.slider("Offer pick-up points within (km)", 0.0, 30.0, 8.0, 0.5,
                           help="Only sites of kind 'pickup' on the Data page are offered.")
    planned = st.toggle("Cost from route plans", help="Plans each offered day's open orders with the route planner "
                        "and prices the extra km of fitting this order in (a few seconds). Otherwise the extra km is "
                        "estimated from the nearest delivery already due that day.")
try:
    with st.spinner("Planning the next days' routes..." if planned else "Ranking the options..."):
        settings = OptionSettings(days_ahead=days, carbon_price_gbp_per_kg=float(carbon),
                                  pickup_radius_km=float(radius))
        options = service.options(key, order_id, customer_id, settings, planned)
except ValueError as exc:
    st.warning(f"No options can be ranked for this order: {md(exc)}.")
    st.stop()
with right:
    best = options.iloc[0]
    st.success(f"**Recommended: {md(best['option'])}.** {md(best['reason'])}")
    st.plotly_chart(options_chart(options), width="stretch")
    st.caption(f"Distances: {md(service.travel(key).describe())}.")
st.dataframe(options[["rank", "option", "success", "cost_gbp", "co2e_kg", "reason"]].rename(columns={
    "rank": "Rank", "option": "Option", "success": "First-time success", "cost_gbp": "Cost to serve (£)",
    "co2e_kg": "kg CO2e", "reason": "Why"}), hide_index=True, width="stretch",
    column_config={"First-time success": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1),
                   "Cost to serve (£)": st.column_config.NumberColumn(format="£%.2f"),
                   "kg CO2e": st.column_config.NumberColumn(format="%.1f")})
history = service.history(key)
mine = history.prefs[history.prefs["customer_id"] == customer_id]
if len(mine):
    p = mine.iloc[0]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Stated window", md(f"{p['window_start']}-{p['window_end']}"))
    c2.metric("Usually delivered", md(f"{p['usual_days']}, {p['usual_slot']}"))
    c3.metric("First-time success so far", f"{p['success_rate']:.0%}", help=f"{p['first_attempts']} first attempts")
    reason = service.main_failure_reason(key, customer_id)
    c4.metric("Main reason for failed attempts", md(reason) if reason is not None else "none")

st.header("Which customers fail most, and when")
a, b = st.columns(2)
a.plotly_chart(failure_heatmap(history.grid), width="stretch")
b.plotly_chart(reasons_chart(history.reasons), width="stretch")
st.dataframe(history.failing.rename(columns={
    "customer_id": "Customer", "name": "Name", "segment": "Segment", "first_attempts": "First attempts",
    "failed": "Failed", "predicted_failure": "Expected failure rate", "main_reason": "Main reason"}),
    hide_index=True, width="stretch", column_config={"Expected failure rate": PERCENT})


@page_fragment
def _whatif() -> None:
    st.header("What if we offered a new time slot?")
    current = service.slots(key)
    choices = [slot_label(h) for h in range(0, 24, 2) if slot_label(h) not in current]
    c1, c2 = st.columns(2)
    wanted = preset.get("new_slot", "16:00-18:00")
    new_slot = c1.selectbox("New slot", choices, index=choices.index(wanted) if wanted in choices else 0)
    assume = c2.toggle("Set its success rate myself", value=preset.get("own_rate") is not None,
                       help="Otherwise the model's estimate is used: with no history in that slot it falls back to "
                            "similar customers, then to everyone.")
    rate = c2.slider("Expected first-time success", 0.5, 1.0, float(preset.get("own_rate") or 0.95), 0.01) \
        if assume else None
    w = service.new_slot(key, new_slot, rate)
    better = int(w["better_with_new_slot"].sum())
    m1, m2 = st.columns(2)
    m1.metric("Customers better served by the new slot", f"{better} of {len(w)}")
    today = 100 * float(w["best_current_success"].mean())
    with_new = 100 * float(w[["best_current_success", "new_slot_success"]].max(axis=1).mean())
    m2.metric("First-time success, each customer in their best slot", f"{with_new:.1f}%",
              f"{with_new - today:+.1f} points",
              help="Average over customers of the success expected in their best offered slot, with the new slot "
                   "against today's slots only.")
    st.dataframe(w[["customer_id", "name", "segment", "usual_day", "best_current_slot", "best_current_success",
                    "new_slot_success", "better_with_new_slot"]].rename(columns={
        "customer_id": "Customer", "name": "Name", "segment": "Segment", "usual_day": "Usual day",
        "best_current_slot": "Best slot today", "best_current_success": "Success there",
        "new_slot_success": "Success in new slot", "better_with_new_slot": "Better?"}), hide_index=True,
        width="stretch", column_config={"Success there": PERCENT, "Success in new slot": PERCENT})
    save_panel("delivery_options", "delivery-options", {"new_slot": new_slot, "own_rate": rate},
               {"first_attempt_success_pct": with_new, "first_attempt_success_today_pct": today,
                "customers_better_served": float(better)}, key="delivery_options")


preset = linked_params("delivery_options")
_whatif()

st.header("Does following the recommendation help? (backtest)")
st.caption("For each of the last months, the model learns only from earlier deliveries, recommends a slot for every "
           "first attempt of that month, and we compare with what actually happened.")
folds = st.slider("Months tested", 1, 6, 3)
if st.button("Run the backtest"):
    st.session_state[BACKTEST] = folds
if st.session_state.get(BACKTEST):
    r = service.backtested(key, st.session_state[BACKTEST])
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("First attempts tested", r.attempts)
    c2.metric("Success when the recommended slot was used", f"{r.success_when_matched:.1%}",
              help=f"{r.matched_share:.0%} of attempts used the recommended slot")
    c3.metric("Success in other slots", f"{r.success_when_not:.1%}")
    c4.metric("Prediction error (Brier, lower is better)", f"{r.brier_model:.4f}",
              delta=f"{r.brier_model - r.brier_baseline:+.4f} vs one rate for all", delta_color="inverse")
    st.dataframe(r.folds, hide_index=True, width="stretch", column_config=columns(r.folds))
