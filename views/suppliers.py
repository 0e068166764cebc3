"""Supplier scoring: scorecards from purchase history, a transparent ranking, supply risk and disruption what-ifs."""

from __future__ import annotations

import streamlit as st

from opscore.suppliers import CRITERIA, OPTIONS, RankingSettings
from ui import supplier_tables as tables_ui
from ui.disruption_inputs import KEYS as DISRUPTION_KEYS
from ui.disruption_inputs import disruption_panel
from ui.ranking_settings import HOW_IT_WORKS, METHODS, ranking_settings
from ui.ranking_settings import KEYS as RANKING_KEYS
from ui.scenarios import linked_params, save_panel
from ui.services import suppliers as svc
from ui.state import cache_key, current_store, page_fragment, table
from ui.text import md
from ui.widgets import needs_data, open_tab_only

PERIODS = {"Last 3 months": 91, "Last 6 months": 182, "Last 12 months": 365, "Last 2 years": 730}
LABELS = [c.label for c in CRITERIA]
SUP_RANK = "sup_rank"  # session key: (supplier ids best first, method) of the Ranking tab, for the what-if
# Widgets whose values survive a visit to another tab:
KEEP = ("sup_trend", "sup_sens_crit", "sup_risk_only", *RANKING_KEYS, *DISRUPTION_KEYS)

st.title("Supplier scoring")
st.caption("How reliable, cheap and green each supplier has been, a ranking whose method you can see and change, "
           "where the supply chain is fragile, and what a supplier outage would cost.")
store = current_store()
needs_data(store, ["suppliers", "purchase_orders"], "Scoring suppliers from their record")
key = cache_key()
period = st.segmented_control("Period", list(PERIODS), default="Last 12 months", key="sup_period") or "Last 12 months"
days = PERIODS[period]
try:
    card = svc.scorecard(key, days)
except ValueError as exc:
    st.warning(f"{md(exc)}.")
    st.stop()
names = table("suppliers").set_index("supplier_id")["name"]
site = card.origin


def scorecard() -> None:
    """KPIs per supplier with their monthly trend, and the eco scores."""
    st.caption("On time = received on or before the promised date. In full = at least the quantity ordered. "
               "OTIF = both. Rates are shares of the order lines received; orders still open count only in spend.")
    tables_ui.scorecard_table(card, names)
    left, right = st.columns(2)
    metric = left.selectbox("Trend to show", ["otif_rate", "on_time_rate", "in_full_rate", "lead_time_mean_days"],
                            key="sup_trend", format_func={
                                "otif_rate": "On time in full", "on_time_rate": "On time", "in_full_rate": "In full",
                                "lead_time_mean_days": "Lead time (days)"}.get)
    left.plotly_chart(svc.figure("kpi_trend_figure", card.monthly, metric, "By month of order"), key="trend")
    right.plotly_chart(svc.figure("eco_figure", card.eco), key="eco")
    right.caption(f"Eco score: environmental certifications, inbound lorry CO2e (road distance to {md(site.name)} x "
                  "the UK 2025 HGV factor) and recyclable packaging, one third each.")


@page_fragment
def ranking() -> None:
    if (settings := ranking_settings()) is None:
        return
    method, w = settings.method, settings.weights
    ranked = svc.ranking(key, days, settings)
    st.session_state[SUP_RANK] = (tuple(ranked["supplier_id"]), method)  # the disruption what-if switches along it
    left, right = st.columns([3, 2])
    left.plotly_chart(svc.figure("ranking_figure", ranked, names, "TOPSIS" if method == "topsis" else "Weighted-sum"),
                      key="rank")
    right.dataframe(tables_ui.weights_frame(w), hide_index=True, width="stretch")
    right.expander("How the ranking works").markdown(HOW_IT_WORKS[method])
    sens = svc.sensitivity(key, days, settings)
    st.subheader("How sure is the top spot?")
    st.caption(f"**{md(sens.leader)} {md(names.get(sens.leader, ''))}** stays first while each weight stays in the "
               "range below (the other weights keep their proportions).")
    tables_ui.sensitivity_table(sens)
    crit = st.selectbox("Show ranks against the weight of", LABELS, key="sup_sens_crit")
    st.plotly_chart(svc.figure("sensitivity_figure", sens.curves, crit, float(w[LABELS.index(crit)])), key="sens")


def risk() -> None:
    """Spend concentration, single sourcing and stock cover against each supplier's recovery."""
    try:
        reg = svc.register(key)
    except ValueError as exc:
        st.warning(f"{md(exc)}.")
        return
    cover_known = needs_data(store, ["inventory", "sales"], "Time to survive (stock cover against each "
                             "supplier's recovery)", stop=False)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Spend HHI", f"{reg.spend_hhi:,.0f}", help="Herfindahl index of spend shares (0-10,000): how "
              "concentrated spend is; above 1,800 is highly concentrated.")
    m2.metric("Spend in one area", f"{reg.largest_cluster_share:.0%}", help=f"Largest share of spend whose suppliers "
              f"lie within {reg.radius_km:.0f} km of one supplier: one local event (flood, snow) could hit all of it.")
    m3.metric("Single-sourced SKUs", f"{int(reg.skus['single_sourced'].sum())} of {len(reg.skus)}",
              help=f"£{reg.revenue_at_risk_gbp:,.0f} of yearly revenue depends on a single supplier.")
    m4.metric("Run out before recovery", f"{int(reg.skus['survive_lt_recover'].sum())} SKUs" if cover_known else "—",
              help="Stock cover (time to survive) is shorter than the main supplier's recovery time (time to "
              "recover)." if cover_known else "No stock cover without inventory and sales")
    st.caption(f"Over the last 12 months spend is {reg.spend_hhi_band}; by the suppliers' towns the HHI is "
               f"{reg.city_hhi:,.0f} (one town's trouble hits every supplier there). £{reg.revenue_at_risk_gbp:,.0f} "
               "of yearly revenue comes from single-sourced SKUs. Time to survive = sellable stock / average daily "
               "sales; time to recover = the supplier's recovery estimate.")
    left, right = st.columns(2)
    left.plotly_chart(svc.figure("supplier_map", reg.suppliers, site.lat, site.lon, site.name), key="map")
    right.plotly_chart(svc.figure("spend_figure", reg.suppliers, reg.spend_hhi, reg.spend_hhi_band), key="spend")
    if cover_known:
        st.plotly_chart(svc.figure("survive_recover_figure", reg.skus), key="ttr")
    st.subheader("Risk register")
    tables_ui.register_table(reg)
    only = st.toggle("Only SKUs that are single-sourced or run out before recovery", value=True, key="sup_risk_only")
    skus = reg.skus
    shown = skus[skus["single_sourced"] | (skus["survive_lt_recover"] & cover_known)] if only else skus
    tables_ui.risk_skus_table(shown)


@page_fragment
def what_if() -> None:
    st.caption(f"The inventory simulator runs the next 13 weeks {svc.RUNS} times (fewer for a supplier of more than "
               f"{svc.SKU_RUNS // svc.RUNS} SKUs, whose averages pool more of them) for the SKUs whose main supplier "
               "is hit: demand from the latest forecast (or past sales), lead times from the supplier's record, "
               "today's stock and open orders, reordering at the levels the Inventory page sets by default. Unmet "
               "demand is lost; figures are averages over the runs.")
    if not needs_data(store, ["sales", "inventory"], "The disruption what-if", stop=False):
        return
    rank, rank_method = st.session_state.get(SUP_RANK) or (
        tuple(svc.ranking(key, days, RankingSettings())["supplier_id"]), "topsis")
    order = f"the Ranking tab's order ({METHODS[rank_method].split(' (')[0]})"
    if preset.get("supplier_rank"):  # a saved scenario switches along the ranking it was saved with
        rank, order = tuple(preset["supplier_rank"]), "the saved scenario's ranking"
    choice = disruption_panel(svc.main_suppliers(key), names, preset)
    try:
        result = svc.disruption(key, choice.event, choice.costs, rank, choice.target_pct / 100)
    except ValueError as exc:
        st.warning(f"{md(exc)}.")
        return
    options = result.options.set_index("option")
    (st.success if options.loc[result.recommended, "meets_target"] else st.warning)(
        "**Recommendation:** " + md(result.recommendation))
    no_alt = int((result.skus["alt_supplier_id"] == "").sum())
    st.caption(f"{len(result.skus)} SKUs have {md(choice.supplier)} as main supplier; {no_alt} of them have no other "
               f"supplier on record, so switching cannot help those. Switching goes to the next supplier in {order}. "
               "Projection over 13 weeks from today.")
    tables_ui.options_table(result)
    left, right = st.columns([3, 2])
    left.plotly_chart(svc.figure("disruption_figure", result.daily, OPTIONS), key="dis_daily")
    right.plotly_chart(svc.figure("options_figure", result.options), key="dis_options")
    chosen, nothing = options.loc[result.recommended], options.loc["do_nothing"]
    save_panel("suppliers", "suppliers", choice.params(rank, svc.demand_source(key)),
               {"cost_gbp": float(chosen["total_cost_gbp"]), "fill_rate_pct": 100 * float(chosen["fill_rate"]),
                "revenue_at_risk_gbp": float(nothing["lost_revenue_gbp"]),
                "fill_rate_do_nothing_pct": 100 * float(nothing["fill_rate"])}, key="sup_disruption")
    tables_ui.hit_table(result)


preset = linked_params("suppliers")
open_tab_only({"Scorecard": scorecard, "Ranking": ranking, "Risk": risk, "Disruption what-if": what_if}, key="sup_tab",
              keep=KEEP, default="Disruption what-if" if preset else None)
