"""Forecast explorer: demand forecasts per SKU, category or in total, with what-ifs, the demand plan of every
product (shown while current, used by the inventory page) and accuracy tracking of stored runs."""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd
import streamlit as st

from opscore.forecast import MODELS
from opscore.forecast import explore as fx
from opscore.forecast.demand import promotion_lift
from opscore.forecast.runs import REPLAY_WEEKS, WORSENING_HEADINGS, replay_recent
from opscore.forecast.whatif import WhatIf, summary
from opscore.io import export_csv, export_excel
from opscore.viz.forecast import accuracy_trend_figure, forecast_figure
from opscore.viz.theme import plain
from ui.demand_plan import plan_note, plan_section
from ui.progress import with_progress
from ui.scenarios import linked_params, save_panel
from ui.services.forecast import run_accuracy, selection_forecast
from ui.state import cache_key, current_store, page_fragment, table
from ui.text import md
from ui.widgets import needs_data

FREQS = {"Weekly": "weekly", "Daily": "daily", "Monthly": "monthly"}
METHODS = {"Automatic (recommended)": "auto", **{cls.label: name for name, cls in MODELS.items()}}
SCOPES = {"One product": "sku", "A category": "category", "All products": "total"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _at(options: list, value: object) -> int:
    """Position of a saved value among a widget's options (the first option when it is gone)."""
    return options.index(value) if value in options else 0


st.title("Forecast explorer")
st.caption("How much will sell? Pick a product, a category or everything. The workbench tries several forecasting "
           "methods on your past sales, checks how each would have done, and uses the most reliable one. "
           "Shaded bands show the likely range: 80 % and 95 % of outcomes should fall inside them.")
store = current_store()
needs_data(store, ["products", "sales"], "The forecast")
products = table("products")
preset = linked_params("forecast")
c1, c2, c3, c4, c5 = st.columns([1.2, 2, 1, 1, 1.6])
level = SCOPES[c1.radio("Forecast", list(SCOPES), key="fc_scope", index=_at([*SCOPES.values()], preset.get("level")))]
if level == "sku":
    names = dict(zip(products["sku"], products["name"], strict=True))
    item = c2.selectbox("Product", list(names), format_func=lambda s: f"{s} · {names[s]}", key="fc_sku",
                        index=_at(list(names), preset.get("item")))
elif level == "category":
    categories = sorted(products["category"].unique())
    item = c2.selectbox("Category", categories, key="fc_cat", index=_at(categories, preset.get("item")))
else:
    item = None
    c2.write("")
freq = FREQS[c3.selectbox("Periods", list(FREQS), key="fc_freq", help="Sales are added up per day, week or month.",
                          index=_at(list(FREQS.values()), preset.get("freq")))]
word = fx.period_word(freq)
horizon = int(c4.number_input(f"{word.capitalize()}s ahead", 1, 104,
                              int(preset.get("horizon", fx.DEFAULT_HORIZONS[freq])), key=f"fc_h_{freq}"))
method = METHODS[c5.selectbox("Method", list(METHODS), key="fc_method",
                              index=_at(list(METHODS.values()), preset.get("method")))]
drivers = st.toggle("Use promotions and bank holidays as drivers", key="fc_drivers", value=bool(preset.get("drivers")),
                    help="Estimates how much past promotions and bank holidays moved sales, and allows for the bank "
                         "holidays ahead.")

try:
    settings = fx.ForecastSettings(level, item, freq, horizon, method, drivers)
    with st.spinner("Trying the forecasting methods on past sales…"):
        result, daily = selection_forecast(cache_key(), settings)
except ValueError as exc:
    st.warning(f"No forecast for this choice: {md(exc)}")
    st.stop()

plan = plan_note(cache_key(), settings)
if (note := fx.short_history_note(result, freq, md(settings.name))) is not None:
    st.warning(note)
st.info(result.reason)
for note in result.notes:
    st.caption(f"Note: {note}")


@page_fragment
def what_if() -> None:
    """Chart and summary with the what-if adjustments (reruns only this part)."""
    st.subheader("What if…")
    w1, w2, w3, w4 = st.columns(4)
    uplift = w1.slider("Demand change (%)", -50, 100, int(preset.get("uplift_pct", 0)), 5, key="fc_uplift")
    price = w3.slider("Price change (%)", -30, 30, int(preset.get("price_change_pct", 0)), 1, key="fc_price")
    elasticity = w4.number_input("Price sensitivity (elasticity)", -5.0, 0.0, float(preset.get("elasticity", -1.5)),
                                 0.1, key="fc_elast", help="-1.5 means a 1 % higher price loses about 1.5 % of sales.")
    periods, promotions = list(result.mean.index), preset.get("promotions", [])
    promo = w2.multiselect("Planned promotion in", periods, format_func=lambda d: f"{pd.Timestamp(d):%d %b %Y}",
                           key="fc_promo", default=[p for p in periods if f"{p:%Y-%m-%d}" in promotions])
    lift = promotion_lift(daily)
    adj = fx.adjust_forecast(result, WhatIf(float(uplift), tuple(pd.Timestamp(p) for p in promo), lift, float(price),
                                         float(elasticity)))
    fig = forecast_figure(result.history, adj.mean, adj.lower, adj.upper, **fx.chart_marks(result, daily, settings),
                          baseline=result.mean if adj.changed else None, unit="units",
                          title=f"{plain(settings.name)}: {freq} sales and forecast")
    st.plotly_chart(fig, width="stretch", key="fc_chart")
    if promo:
        st.caption(f"Past promotions lifted daily sales by x{lift:.2f} on average; that lift is applied to the "
                   "chosen periods.")
    st.write(summary(float(result.mean.sum()), float(adj.mean.sum()), adj.plan, "units", horizon, word))
    save_panel("forecast", "forecast",
               {**asdict(settings), "uplift_pct": uplift, "price_change_pct": price, "elasticity": float(elasticity),
                "promotions": [f"{pd.Timestamp(p):%Y-%m-%d}" for p in promo], "promotion_lift": lift},
               fx.forecast_kpis(result, adj), key="forecast")
    out, name = fx.forecast_table(adj), f"forecast_{item or 'total'}"
    d1, d2 = st.columns(2)
    d1.download_button("Download forecast (CSV)", export_csv(out), f"{name}.csv", "text/csv", key="fc_csv")
    d2.download_button("Download forecast (Excel)", export_excel({"forecast": out}), f"{name}.xlsx", XLSX,
                       key="fc_xlsx")


what_if()

st.subheader("Which method did best on past sales")
st.caption("Each method was re-run as if it were a few periods ago and compared with what then sold. "
           "MASE below 1 beats simply repeating last season; the 'inside' columns show how often the actuals "
           "fell inside the 80 % and 95 % bands (ideally close to 80 % and 95 %).")
if result.backtest.empty:
    st.write("Not enough history to compare methods.")
else:
    st.dataframe(fx.leaderboard(result.backtest), hide_index=True, width="stretch",
                 column_config={h: st.column_config.NumberColumn(format=f) for h, f in fx.LEADERBOARD_FORMATS.items()})

plan_section(store, cache_key(), products, settings, plan)

st.subheader("Accuracy over time")
st.caption("Stored forecasts are compared with the sales that arrived after them. To see this without waiting, "
           "replay: forecast every SKU as if it were 12, 8 and 4 weeks ago (well under a minute).")
if st.button("Replay the last 12 weeks", key="fc_replay"):
    replayed, last = with_progress(replay_recent, store, table("sales"), n_jobs=2), REPLAY_WEEKS[-1]
    st.success(f"Stored {len(replayed)} replayed runs ({', '.join(map(str, REPLAY_WEEKS[:-1]))} and {last} weeks "
               f"back) for {replayed['series'].max()} SKUs; the accuracy chart below compares them with what sold.")
acc = run_accuracy(cache_key())
if not acc.runs:
    st.write("No stored forecast runs yet. Make the demand plan now; once new sales arrive, this section compares "
             "those forecasts with what actually sold.")
elif not acc.scored:
    st.write(f"{acc.runs} stored run(s), but no sales have arrived yet for the periods they forecast.")
else:
    st.plotly_chart(accuracy_trend_figure(acc.overall, acc.per_series, acc.highlighted()), width="stretch")
    if acc.worsening.empty:
        st.write("No SKU's error grew noticeably in the latest run.")
    else:
        st.write(f"{len(acc.worsening)} SKU(s) forecast noticeably worse in the latest run than before:")
        st.dataframe(acc.worsening.rename(columns=WORSENING_HEADINGS), hide_index=True,
                     column_config={"Change": st.column_config.NumberColumn(format="percent")})
