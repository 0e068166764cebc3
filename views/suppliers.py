"""Supplier scoring: scorecards from purchase history, a transparent ranking, supply risk and disruption what-ifs."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from opscore.inventory import runs_for
from opscore.suppliers import (
    CRITERIA, OPTIONS, Contingencies, Disruption, DisruptionBase, DisruptionResult, ahp_weights, annual_tonnes,
    decision_matrix, default_weights, disruption_options, eco_scores, monthly_kpis, normalise_weights,
    prepare_disruption, rank_suppliers, risk_register, supplier_kpis, weight_sensitivity,
)
from opscore.store.aggregates import received_kg, sales_totals
from opscore.suppliers.ahp import check_pairwise
from opscore.viz import suppliers as viz
from ui.scenarios import linked_params, save_panel
from ui.state import cache_key, current_store, inventory_inputs, page_fragment, table
from ui.text import md
from ui.widgets import needs_data, open_tab_only

PERIODS = {"Last 3 months": 91, "Last 6 months": 182, "Last 12 months": 365, "Last 2 years": 730}
# Simulated runs per option in the disruption what-if: on the sample, fill rates to ±0.4 points (95 % interval)
# in about 0.1 s.
RUNS = 100
SKU_RUNS = 6_000  # SKUs x runs per option at most: a supplier of more SKUs gets fewer runs (its averages pool them)
MIN_RUNS = 10  # 1,439 SKUs x 10 runs at 5,000 SKUs: fill rates still to ±0.13 points, in about 0.2 s
METHODS = {"topsis": "TOPSIS (closeness to the ideal supplier)", "weighted_sum": "Weighted sum (simple points)"}
LABELS = [c.label for c in CRITERIA]
RISK_DEMAND_DAYS = 56  # days of sales behind the risk register's units per day
RISK_LOOKBACK_DAYS = 365  # days of purchase orders behind the risk register
# Widgets whose values survive a visit to another tab:
KEEP = ("sup_trend", "sup_method", "sup_norm", "sup_mode", "sup_sens_crit", "sup_risk_only",
        *(f"w_{c.column}" for c in CRITERIA), "dis_supplier", "dis_kind", "dis_weeks", "dis_extra", "dis_target",
        "dis_premium", "dis_fee", "dis_switch", "dis_safety")


@st.cache_data(show_spinner=False, max_entries=16)
def _scorecard(key: str, days: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, tuple[float, float, str]]:
    """KPIs, monthly trends and eco scores for the period ending today."""
    store = current_store()
    as_of = pd.Timestamp(store.as_of())
    start = as_of - pd.Timedelta(days=days)
    pos = store.table("purchase_orders", between=("order_date", start.date(), as_of.date()))  # the period's lines
    kpis = supplier_kpis(pos, start, as_of)
    monthly = monthly_kpis(pos, start, as_of)
    sites = table("sites")
    sup = table("suppliers")
    if sites.empty:
        site = (float(sup["lat"].mean()), float(sup["lon"].mean()), "Supplier centre (no site on file)")
    else:
        first = sites.iloc[0]
        site = (float(first["lat"]), float(first["lon"]), str(first["name"]))
    eco = eco_scores(sup, site[0], site[1], table("emission_factors"),
                     annual_tonnes(received_kg(store, start.date(), as_of.date()), start, as_of))
    return kpis, monthly, eco, site


@st.cache_resource(show_spinner=False, max_entries=64)
def _figure(name: str, *args: object) -> go.Figure:
    """Build a chart once per distinct data (plotly figure building dominates a warm rerun); kept as one shared
    object, not a copy, since unpickling a figure costs as much as building it and charts are only read."""
    return getattr(viz, name)(*args)


@st.cache_data(show_spinner=False, max_entries=64)
def _sensitivity(key: str, days: int, weights: tuple[float, ...], method: str, normalization: str):
    kpis, _, eco, _ = _scorecard(key, days)
    matrix = decision_matrix(kpis, eco)
    return weight_sensitivity(matrix.to_numpy(), weights, [c.benefit for c in CRITERIA], method, normalization,
                              alternatives=list(matrix.index), criteria=LABELS)


@st.cache_data(show_spinner=False, max_entries=8)
def _register(key: str):
    store = current_store()
    as_of = store.as_of()
    year = sales_totals(store, as_of - timedelta(days=365), as_of)  # summed in the store, not read row by row
    recent = sales_totals(store, as_of - timedelta(days=RISK_DEMAND_DAYS), as_of)
    lines = store.table("purchase_orders", between=("order_date", as_of - timedelta(days=RISK_LOOKBACK_DAYS), as_of))
    return risk_register(lines, table("products"), table("suppliers"), None, table("inventory"), as_of,
                         lookback_days=RISK_LOOKBACK_DAYS, demand_days=RISK_DEMAND_DAYS, revenue=year["revenue"],
                         units_per_day=recent["units"] / RISK_DEMAND_DAYS)


@st.cache_resource(show_spinner=False, max_entries=16)
def _disruption_base(key: str, supplier: str, rank: tuple[str, ...]) -> DisruptionBase:
    """The supplier's SKUs and their baseline, simulated once for every move of the what-if; one shared object,
    only read (unpickling a copy per move would cost what it saves)."""
    inputs = inventory_inputs(key)
    skus = int((inputs.products["supplier_id"] == supplier).sum())
    return prepare_disruption(inputs, supplier, supplier_rank=list(rank),
                              replications=runs_for(skus, RUNS, MIN_RUNS, SKU_RUNS))


@st.cache_data(show_spinner=False, max_entries=16)
def _main_suppliers(key: str) -> list[str]:
    """Suppliers that are the main supplier of at least one SKU (the ones a disruption what-if can hit)."""
    return sorted(inventory_inputs(key).products["supplier_id"].astype(str).unique())


@st.cache_data(show_spinner=False, max_entries=64)
def _disruption(key: str, disruption: Disruption, costs: Contingencies, rank: tuple[str, ...],
                target: float) -> DisruptionResult:
    return disruption_options(_disruption_base(key, disruption.supplier_id, rank), disruption, costs, target)


st.title("Supplier scoring")
st.caption("How reliable, cheap and green each supplier has been, a ranking whose method you can see and change, "
           "where the supply chain is fragile, and what a supplier outage would cost.")

store = current_store()
needs_data(store, ["suppliers", "purchase_orders"], "Scoring suppliers from their record")

key = cache_key()
period = st.segmented_control("Period", list(PERIODS), default="Last 12 months", key="sup_period") or "Last 12 months"
days = PERIODS[period]
try:
    kpis, monthly, eco, site = _scorecard(key, days)
except ValueError as exc:
    st.warning(f"{md(exc)}.")
    st.stop()
names = table("suppliers").set_index("supplier_id")["name"]


def scorecard() -> None:
    """KPIs per supplier with their monthly trend, and the eco scores."""
    st.caption("On time = received on or before the promised date. In full = at least the quantity ordered. "
               "OTIF = both. Rates are shares of the order lines received; orders still open count only in spend.")
    trend = monthly.groupby("supplier_id")["otif_rate"].apply(lambda s: (100 * s.dropna()).round(1).tolist())
    card = kpis.assign(name=kpis["supplier_id"].map(names), otif_trend=kpis["supplier_id"].map(trend),
                       eco_score=kpis["supplier_id"].map(eco.set_index("supplier_id")["eco_score"]))
    pct = {c: card[c] * 100 for c in ("on_time_rate", "in_full_rate", "otif_rate", "spend_share")}
    st.dataframe(
        card.assign(**pct)[["supplier_id", "name", "otif_rate", "otif_trend", "on_time_rate", "in_full_rate",
                            "lead_time_mean_days", "lead_time_std_days", "lead_time_trend_days_per_month", "defect_ppm",
                            "price_variance_pct", "orders", "spend_gbp", "spend_share", "eco_score"]],
        hide_index=True, width="stretch",
        column_config={
            "supplier_id": "Code", "name": "Supplier",
            "otif_rate": st.column_config.ProgressColumn("OTIF %", format="%.1f", min_value=0, max_value=100),
            "otif_trend": st.column_config.LineChartColumn("OTIF by month", y_min=0, y_max=100),
            "on_time_rate": st.column_config.NumberColumn("On time %", format="%.1f"),
            "in_full_rate": st.column_config.NumberColumn("In full %", format="%.1f"),
            "lead_time_mean_days": st.column_config.NumberColumn("Lead time (days)", format="%.1f"),
            "lead_time_std_days": st.column_config.NumberColumn("Lead time spread (days)", format="%.1f",
                                                                help="Standard deviation of the lead time"),
            "lead_time_trend_days_per_month": st.column_config.NumberColumn(
                "Lead time trend (days/month)", format="%+.2f", help="Positive = getting slower"),
            "defect_ppm": st.column_config.NumberColumn("Defects (per million)", format="%.0f"),
            "price_variance_pct": st.column_config.NumberColumn(
                "Price vs typical %", format="%+.2f", help="Paid above (+) or below (-) the median price of the same SKUs"),
            "orders": "Order lines", "spend_gbp": st.column_config.NumberColumn("Spend (£)", format="%.0f"),
            "spend_share": st.column_config.NumberColumn("Share of spend %", format="%.1f"),
            "eco_score": st.column_config.NumberColumn("Eco score", format="%.0f"),
        })
    left, right = st.columns(2)
    metric = left.selectbox("Trend to show", ["otif_rate", "on_time_rate", "in_full_rate", "lead_time_mean_days"],
                            key="sup_trend", format_func={
                                "otif_rate": "On time in full", "on_time_rate": "On time", "in_full_rate": "In full",
                                "lead_time_mean_days": "Lead time (days)"}.get)
    left.plotly_chart(_figure("kpi_trend_figure", monthly, metric, "By month of order"), key="trend")
    right.plotly_chart(_figure("eco_figure", eco), key="eco")
    right.caption(f"Eco score: environmental certifications, inbound lorry CO2e (road distance to {md(site[2])} x the "
                  "UK 2025 HGV factor) and recyclable packaging, one third each.")


@page_fragment
def ranking() -> None:
    c1, c2 = st.columns([2, 1])
    method = c1.radio("Method", list(METHODS), format_func=METHODS.get, horizontal=True, key="sup_method")
    normalization = "vector"
    if method == "topsis":
        normalization = c2.selectbox("Scaling", ["vector", "minmax"], key="sup_norm",
                                     format_func={"vector": "Vector (Hwang and Yoon)", "minmax": "Min-max"}.get)
    mode = st.radio("Set the weights", ["Sliders", "Pairwise comparison (AHP)"], horizontal=True, key="sup_mode")
    if mode == "Sliders":
        cols = st.columns(len(CRITERIA))
        raw = [col.slider(c.label, 0.0, 1.0, c.default_weight, 0.05, key=f"w_{c.column}") for col, c in zip(cols, CRITERIA)]
        try:
            w, notice = normalise_weights(raw)
        except ValueError as exc:
            st.warning(f"{md(exc)}.")
            return
        if notice:
            st.info(notice)
    else:
        w = _ahp_weights()
        if w is None:
            return
    weights = {c.column: float(x) for c, x in zip(CRITERIA, w)}
    kpis_, _, eco_, _ = _scorecard(key, days)
    matrix = decision_matrix(kpis_, eco_)
    ranked = rank_suppliers(matrix, weights, method=method, normalization=normalization)
    st.session_state["sup_rank"] = (tuple(ranked["supplier_id"]), method)  # the disruption what-if switches along it
    left, right = st.columns([3, 2])
    left.plotly_chart(_figure("ranking_figure", ranked, names, "TOPSIS" if method == "topsis" else "Weighted-sum"),
                      key="rank")
    right.dataframe(pd.DataFrame({"Criterion": LABELS, "Weight %": (100 * w).round(1),
                                  "Better when": ["higher" if c.benefit else "lower" for c in CRITERIA]}),
                    hide_index=True, width="stretch")
    with right.expander("How the ranking works"):
        if method == "topsis":
            st.markdown("Each criterion is scaled (vector: value / square root of the sum of squares; min-max: 0 = worst, "
                        "1 = best), multiplied by its weight, and each supplier's distance to an *ideal* supplier (best on "
                        "everything) and an *anti-ideal* (worst on everything) is measured. Score = distance to the worst / "
                        "(distance to the best + distance to the worst): 1 is the ideal. Hwang and Yoon (1981).")
        else:
            st.markdown("Each criterion is scaled from 0 (worst supplier) to 1 (best supplier); the score is the weighted "
                        "sum of those points. Simple additive weighting, Hwang and Yoon (1981).")
    sens = _sensitivity(key, days, tuple(float(x) for x in w), method, normalization)
    st.subheader("How sure is the top spot?")
    table_ = sens.table.assign(**{c: 100 * sens.table[c] for c in ("weight", "lowest_weight", "highest_weight")})
    st.caption(f"**{md(sens.leader)} {md(names.get(sens.leader, ''))}** stays first while each weight stays in the range below "
               "(the other weights keep their proportions).")
    st.dataframe(table_[["criterion", "weight", "lowest_weight", "highest_weight", "leader_below", "leader_above"]],
                 hide_index=True, width="stretch",
                 column_config={"criterion": "Criterion", "weight": st.column_config.NumberColumn("Weight %", format="%.0f"),
                                "lowest_weight": st.column_config.NumberColumn("Lowest %", format="%.1f"),
                                "highest_weight": st.column_config.NumberColumn("Highest %", format="%.1f"),
                                "leader_below": "New leader below", "leader_above": "New leader above"})
    crit = st.selectbox("Show ranks against the weight of", LABELS, key="sup_sens_crit")
    st.plotly_chart(_figure("sensitivity_figure", sens.curves, crit, float(w[LABELS.index(crit)])), key="sens")


def _ahp_weights() -> np.ndarray | None:
    """The AHP grid: edit how much more important each row criterion is than each column (1-9, reciprocals below)."""
    if "ahp_grid" not in st.session_state:
        d = np.array([c.default_weight for c in CRITERIA])
        st.session_state["ahp_grid"] = pd.DataFrame(np.round(d[:, None] / d[None, :], 3), index=LABELS, columns=LABELS)
        st.session_state["ahp_version"] = 0
    st.caption("Read each cell as: how much more important is the row than the column? 1 = equal, 3 = moderately, "
               "5 = strongly, 7 = very strongly, 9 = extremely; the mirror cell must hold the reciprocal (e.g. 1/3 = 0.333).")
    editor = f"ahp_editor_{st.session_state['ahp_version']}"
    if editor not in st.session_state and "ahp_seen" in st.session_state:  # back from another tab, which drops the
        st.session_state["ahp_grid"] = st.session_state.pop("ahp_seen")   # editor's edits: start from what was seen
        st.session_state["ahp_version"] += 1
        editor = f"ahp_editor_{st.session_state['ahp_version']}"
    grid = st.data_editor(st.session_state["ahp_grid"], key=editor,
                          width="stretch", column_config={c: st.column_config.NumberColumn(c, min_value=0.111, max_value=9.0,
                                                                                          step=0.001, format="%.3f")
                                                          for c in LABELS})
    st.session_state["ahp_seen"] = grid
    try:
        check_pairwise(grid)
    except ValueError as exc:
        st.warning(f"These judgments cannot be used: {md(exc)}")
        if st.button("Keep the cells above the diagonal and fill in their reciprocals"):
            upper = np.triu(grid.to_numpy(float), 1)
            fixed = np.eye(len(LABELS)) + upper + np.tril(1.0 / np.where(upper.T > 0, upper.T, 1.0), -1)
            st.session_state["ahp_grid"] = pd.DataFrame(np.round(fixed, 3), index=LABELS, columns=LABELS)
            st.session_state["ahp_version"] += 1
            st.session_state.pop("ahp_seen")
            st.rerun(scope="fragment")
        return None
    result = ahp_weights(grid)
    (st.success if result.is_consistent else st.warning)(result.message)
    st.caption(f"Principal eigenvalue {result.lambda_max:.3f} for {len(LABELS)} criteria (Saaty 1980).")
    return result.weights


def risk() -> None:
    """Spend concentration, single sourcing and stock cover against each supplier's recovery."""
    try:
        reg = _register(key)
    except ValueError as exc:
        st.warning(f"{md(exc)}.")
    else:
        cover_known = needs_data(store, ["inventory", "sales"], "Time to survive (stock cover against each "
                                 "supplier's recovery)", stop=False)
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Spend HHI", f"{reg.spend_hhi:,.0f}", help="Herfindahl index of spend shares (0-10,000): how "
                  "concentrated spend is; above 1,800 is highly concentrated.")
        m2.metric("Spend in one area", f"{reg.largest_cluster_share:.0%}", help=f"Largest share of spend whose suppliers "
                  f"lie within {reg.radius_km:.0f} km of one supplier: one local event (flood, snow) could hit all of it.")
        single = int(reg.skus["single_sourced"].sum())
        m3.metric("Single-sourced SKUs", f"{single} of {len(reg.skus)}",
                  help=f"£{reg.revenue_at_risk_gbp:,.0f} of yearly revenue depends on a single supplier.")
        at_risk = int(reg.skus["survive_lt_recover"].sum())
        m4.metric("Run out before recovery", f"{at_risk} SKUs" if cover_known else "—",
                  help="Stock cover (time to survive) is shorter than the main supplier's recovery time (time to "
                  "recover)." if cover_known else "No stock cover without inventory and sales")
        st.caption(f"Over the last 12 months spend is {reg.spend_hhi_band}; by the suppliers' towns the HHI is "
                   f"{reg.city_hhi:,.0f} (one town's trouble hits every supplier there). £{reg.revenue_at_risk_gbp:,.0f} "
                   "of yearly revenue comes from single-sourced SKUs. Time to survive = sellable stock / average daily "
                   "sales; time to recover = the supplier's recovery estimate.")
        left, right = st.columns(2)
        left.plotly_chart(_figure("supplier_map", reg.suppliers, site[0], site[1], site[2]), key="map")
        right.plotly_chart(_figure("spend_figure", reg.suppliers, reg.spend_hhi, reg.spend_hhi_band), key="spend")
        if cover_known:
            st.plotly_chart(_figure("survive_recover_figure", reg.skus), key="ttr")
        st.subheader("Risk register")
        st.dataframe(reg.suppliers[["supplier_id", "name", "city", "spend_share", "lead_time_mean_days", "lead_time_cv",
                                    "volatile_lead_time", "recovery_days", "single_sourced_skus", "revenue_at_risk_gbp"]]
                     .assign(spend_share=lambda f: 100 * f["spend_share"]),
                     hide_index=True, width="stretch",
                     column_config={"supplier_id": "Code", "name": "Supplier", "city": "City",
                                    "spend_share": st.column_config.NumberColumn("Share of spend %", format="%.1f"),
                                    "lead_time_mean_days": st.column_config.NumberColumn("Lead time (days)", format="%.1f"),
                                    "lead_time_cv": st.column_config.NumberColumn("Lead time variation", format="%.2f",
                                                                                  help="Standard deviation / mean"),
                                    "volatile_lead_time": "Volatile (variation > 0.5)",
                                    "recovery_days": "Recovery (days)", "single_sourced_skus": "Single-sourced SKUs",
                                    "revenue_at_risk_gbp": st.column_config.NumberColumn("Revenue at risk (£/year)",
                                                                                         format="%.0f")})
        only = st.toggle("Only SKUs that are single-sourced or run out before recovery", value=True,
                         key="sup_risk_only")
        skus = reg.skus[reg.skus["single_sourced"] | (reg.skus["survive_lt_recover"] & cover_known)] if only else reg.skus
        st.dataframe(skus[["sku", "name", "supplier_id", "suppliers", "revenue_at_risk_gbp", "on_hand", "units_per_day",
                           "time_to_survive_days", "time_to_recover_days", "survive_lt_recover"]]
                     .replace([np.inf], np.nan),
                     hide_index=True, width="stretch",
                     column_config={"sku": "SKU", "name": "Product", "supplier_id": "Main supplier",
                                    "suppliers": "Bought from", "revenue_at_risk_gbp": st.column_config.NumberColumn(
                                        "Revenue at risk (£/year)", format="%.0f"),
                                    "on_hand": "Sellable stock", "units_per_day": st.column_config.NumberColumn(
                                        "Sells per day", format="%.1f"),
                                    "time_to_survive_days": st.column_config.NumberColumn(
                                        "Survives (days)", format="%.1f", help="Stock cover; empty = no recent sales"),
                                    "time_to_recover_days": "Supplier recovers (days)",
                                    "survive_lt_recover": "Runs out first"})


@page_fragment
def what_if() -> None:
    st.caption(f"The inventory simulator runs the next 13 weeks {RUNS} times (fewer for a supplier of more than "
               f"{SKU_RUNS // RUNS} SKUs, whose averages pool more of them) for the SKUs whose main supplier is hit: "
               "demand from the latest forecast (or past sales), lead times from the supplier's record, today's stock "
               "and open orders, reordering at the levels the Inventory page sets by default. Unmet demand is lost; "
               "figures are averages over the runs.")
    if not needs_data(store, ["sales", "inventory"], "The disruption what-if", stop=False):
        return
    rank, rank_method = st.session_state.get("sup_rank") or (
        tuple(rank_suppliers(decision_matrix(kpis, eco), default_weights())["supplier_id"]), "topsis")
    order = f"the Ranking tab's order ({METHODS[rank_method].split(' (')[0]})"
    if preset.get("supplier_rank"):  # a saved scenario switches along the ranking it was saved with
        rank, order = tuple(preset["supplier_rank"]), "the saved scenario's ranking"
    mains = _main_suppliers(key)
    c1, c2, c3 = st.columns(3)
    supplier = c1.selectbox("Supplier", mains, format_func=lambda s: f"{s} {names.get(s, '')}", key="dis_supplier",
                            index=mains.index(preset["supplier"]) if preset.get("supplier") in mains else 0)
    kind = c2.radio("What happens", ["out", "slow"], key="dis_kind", index=int(preset.get("kind") == "slow"),
                    format_func={"out": "It cannot supply at all", "slow": "Its deliveries are late"}.get)
    weeks = c3.slider("For how many weeks", 1, 12, int(preset.get("weeks", 4)), key="dis_weeks")
    extra = None
    if kind == "slow":
        extra = st.slider("Extra days on each delivery", 1, 21, int(preset.get("extra_days") or 5), key="dis_extra")
    target = st.slider("Service target: share of demand met (%)", 80.0, 100.0,
                       float(preset.get("service_target_pct", 98.0)), 0.5, key="dis_target")
    with st.expander("Contingency costs"):
        e1, e2, e3, e4 = st.columns(4)
        costs = Contingencies(
            expedite_premium=e1.number_input("Expedite premium (% of cost)", 0.0, 300.0,
                                             100 * float(preset.get("expedite_premium", 0.30)), 5.0, key="dis_premium") / 100,
            expedite_fee_gbp=e2.number_input("Fee per expedited order (£)", 0.0, 10_000.0,
                                             float(preset.get("expedite_fee_gbp", 40.0)), 10.0, key="dis_fee"),
            switch_fee_gbp=e3.number_input("Set-up per SKU switched (£)", 0.0, 10_000.0,
                                           float(preset.get("switch_fee_gbp", 150.0)), 10.0, key="dis_switch"),
            extra_safety_days=e4.number_input("Extra safety stock (days of sales)", 0.0, 120.0,
                                              float(preset.get("extra_safety_days", 14.0)), 1.0, key="dis_safety"),
        )
    try:
        result = _disruption(key, Disruption(supplier, 7 * weeks, extra), costs, rank, target / 100)
    except ValueError as exc:
        st.warning(f"{md(exc)}.")
        return
    (st.success if result.options.set_index("option").loc[result.recommended, "meets_target"] else st.warning)(
        "**Recommendation:** " + md(result.recommendation))
    affected = len(result.skus)
    no_alt = int((result.skus["alt_supplier_id"] == "").sum())
    st.caption(f"{affected} SKUs have {md(supplier)} as main supplier; {no_alt} of them have no other supplier on record, "
               f"so switching cannot help those. Switching goes to the next supplier in {order}. "
               "Projection over 13 weeks from today.")
    opts = result.options.assign(fill_rate=lambda f: 100 * f["fill_rate"],
                                 fill_range=lambda f: [f"{100 * lo:.1f}-{100 * hi:.1f}"
                                                       for lo, hi in zip(f["fill_rate_low"], f["fill_rate_high"])])
    st.dataframe(opts[["label", "fill_rate", "fill_range", "stockout_sku_days", "lost_revenue_gbp", "contingency_cost_gbp",
                       "lost_margin_gbp", "total_cost_gbp", "meets_target"]], hide_index=True, width="stretch",
                 column_config={"label": "Option", "fill_rate": st.column_config.NumberColumn("Demand met %", format="%.1f"),
                                "fill_range": st.column_config.TextColumn(
                                    "95 % range", help="Confidence interval of the average over the simulated runs"),
                                "stockout_sku_days": st.column_config.NumberColumn("SKU-days out of stock", format="%.1f"),
                                "lost_revenue_gbp": st.column_config.NumberColumn("Lost revenue (£)", format="%.0f"),
                                "contingency_cost_gbp": st.column_config.NumberColumn("Contingency cost (£)", format="%.0f"),
                                "lost_margin_gbp": st.column_config.NumberColumn("Lost margin (£)", format="%.0f"),
                                "total_cost_gbp": st.column_config.NumberColumn("Total cost (£)", format="%.0f"),
                                "meets_target": "Meets target"})
    left, right = st.columns([3, 2])
    left.plotly_chart(_figure("disruption_figure", result.daily, OPTIONS), key="dis_daily")
    right.plotly_chart(_figure("options_figure", result.options), key="dis_options")
    options = result.options.set_index("option")
    chosen, nothing = options.loc[result.recommended], options.loc["do_nothing"]
    save_panel("suppliers", "suppliers",
               {"supplier": supplier, "kind": kind, "weeks": weeks, "extra_days": extra, "service_target_pct": target,
                "expedite_premium": costs.expedite_premium, "expedite_fee_gbp": costs.expedite_fee_gbp,
                "switch_fee_gbp": costs.switch_fee_gbp, "extra_safety_days": costs.extra_safety_days,
                "supplier_rank": list(rank), "demand_source": inventory_inputs(key).demand_source},
               {"cost_gbp": float(chosen["total_cost_gbp"]), "fill_rate_pct": 100 * float(chosen["fill_rate"]),
                "revenue_at_risk_gbp": float(nothing["lost_revenue_gbp"]),
                "fill_rate_do_nothing_pct": 100 * float(nothing["fill_rate"])}, key="sup_disruption")
    hit = result.skus[result.skus["lost_units"] > 0].sort_values("lost_revenue_gbp", ascending=False)
    if not hit.empty:
        st.caption("SKUs that run out if nothing is done:")
        st.dataframe(hit.assign(stockout_chance=100 * hit["stockout_chance"]), hide_index=True, width="stretch",
                     column_config={"sku": "SKU", "name": "Product",
                                    "stockout_chance": st.column_config.NumberColumn("Chance of running out %",
                                                                                     format="%.0f"),
                                    "first_stockout_day": st.column_config.NumberColumn(
                                        "First day out", format="%.0f", help="In a typical (median) run"),
                                    "lost_units": st.column_config.NumberColumn("Units lost", format="%.0f"),
                                    "lost_revenue_gbp": st.column_config.NumberColumn("Lost revenue (£)", format="%.0f"),
                                    "alt_supplier_id": "Second-best supplier"})


preset = linked_params("suppliers")
open_tab_only({"Scorecard": scorecard, "Ranking": ranking, "Risk": risk, "Disruption what-if": what_if}, key="sup_tab",
              keep=KEEP, default="Disruption what-if" if preset else None)
