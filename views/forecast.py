"""Forecast explorer: demand forecasts per SKU, category or in total, with what-ifs, a batch run
for all SKUs and accuracy tracking of stored runs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from opscore.forecast import MODELS, forecast_many
from opscore.forecast.batch import forecast_one
from opscore.forecast.demand import (TOTAL, daily_from_sums, demand_series, future_regressors, promotion_lift,
                                     sales_long, selection_skus, uk_bank_holidays)
from opscore.forecast.intervals import Prediction
from opscore.forecast.runs import (accuracy_by_run, list_runs, overall_by_run, run_values, save_replay, save_run,
                                  worsening)
from opscore.forecast.selection import label
from opscore.forecast.series import FREQ_LABELS, normalise_freq
from opscore.forecast.whatif import WhatIf, apply, summary
from opscore.io import export_csv, export_excel
from opscore.store.aggregates import sales_by_day
from opscore.viz.forecast import accuracy_trend_figure, forecast_figure
from opscore.viz.theme import plain
from ui.scenarios import linked_params, save_panel
from ui.state import cache_key, current_store, page_fragment, table
from ui.text import md
from ui.widgets import needs_data

FREQS = {"Weekly": "weekly", "Daily": "daily", "Monthly": "monthly"}
HORIZONS = {"weekly": 12, "daily": 28, "monthly": 6}
REPLAY_WEEKS = (12, 8, 4)
METHODS = {"Automatic (recommended)": "auto", **{cls.label: name for name, cls in MODELS.items()}}
BOARD_COLUMNS = {"rank": "Rank", "label": "Model", "mase": "Error vs seasonal naive (MASE)", "smape": "sMAPE (%)",
                 "rmsse": "RMSSE", "bias": "Bias (units/period)", "coverage80": "Inside 80% band",
                 "coverage95": "Inside 95% band", "pinball": "Pinball (scaled)", "weight": "Weight in forecast",
                 "chosen": "Chosen"}


@st.cache_data(show_spinner=False, max_entries=256)
def _forecast(key: str, level: str, item: str | None, freq: str, horizon: int, method: str, drivers: bool):
    """Forecast of one selection (cached per workspace version and inputs)."""
    by_day, first, last = sales_by_day(current_store(), selection_skus(table("products"), level, item))
    daily = daily_from_sums(by_day, first, last, item)
    y, x = demand_series(daily, freq)
    if drivers:
        res = forecast_one(y, horizon, method=method, freq=freq, x=x,
                           x_future=future_regressors(y.index, freq, horizon), name=item or TOTAL)
    else:
        res = forecast_one(y, horizon, method=method, freq=freq, name=item or TOTAL)
    return res, daily


st.title("Forecast explorer")
st.caption("How much will sell? Pick a product, a category or everything. The workbench tries several forecasting "
           "methods on your past sales, checks how each would have done, and uses the most reliable one. "
           "Shaded bands show the likely range: 80 % and 95 % of outcomes should fall inside them.")


@st.cache_data(show_spinner=False, max_entries=8)
def _accuracy(key: str) -> tuple[int, go.Figure | None, pd.DataFrame]:
    """Stored runs against the sales that arrived after them: number of runs, the accuracy chart (None before
    any such sales) and the SKUs whose error grew in the latest run."""
    store = current_store()
    runs = list_runs(store)
    if runs.empty:
        return 0, None, pd.DataFrame()
    parts = []
    for f in sorted({r.get("freq", "weekly") for r in runs["params"]}):
        ids = runs.loc[runs["params"].map(lambda p, f=f: p.get("freq", "weekly") == f), "run_id"].tolist()
        parts.append(accuracy_by_run(run_values(store, ids), sales_long(table("sales"), f)))
    acc = pd.concat(parts, ignore_index=True)
    if acc.empty:
        return len(runs), None, pd.DataFrame()
    grew = worsening(acc)
    return len(runs), accuracy_trend_figure(overall_by_run(acc), acc, grew["unique_id"].head(3).tolist()), grew


def _at(options: list, value: object) -> int:
    """Position of a saved value among a widget's options (the first option when it is gone)."""
    return options.index(value) if value in options else 0


store = current_store()
needs_data(store, ["products", "sales"], "The forecast")
products = table("products")
preset = linked_params("forecast")
SCOPES = {"One product": "sku", "A category": "category", "All products": "total"}
c1, c2, c3, c4, c5 = st.columns([1.2, 2, 1, 1, 1.6])
scope = c1.radio("Forecast", list(SCOPES), key="fc_scope", index=_at(list(SCOPES.values()), preset.get("level")))
level = SCOPES[scope]
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
freq_label = c3.selectbox("Periods", list(FREQS), key="fc_freq", help="Sales are added up per day, week or month.",
                          index=_at(list(FREQS.values()), preset.get("freq")))
freq = FREQS[freq_label]
word = FREQ_LABELS[normalise_freq(freq)]
horizon = int(c4.number_input(f"{word.capitalize()}s ahead", 1, 104, int(preset.get("horizon", HORIZONS[freq])),
                              key=f"fc_h_{freq}"))
method = METHODS[c5.selectbox("Method", list(METHODS), key="fc_method",
                              index=_at(list(METHODS.values()), preset.get("method")))]
drivers = st.toggle("Use promotions and bank holidays as drivers", key="fc_drivers", value=bool(preset.get("drivers")),
                    help="Estimates how much past promotions and bank holidays moved sales, and allows for the bank "
                         "holidays ahead.")

try:
    with st.spinner("Trying the forecasting methods on past sales…"):
        result, daily = _forecast(cache_key(), level, item, freq, horizon, method, drivers)
except ValueError as exc:
    st.warning(f"No forecast for this choice: {md(exc)}")
    st.stop()

unit = "units"
if result.short_history:
    st.warning(f"{md(item or TOTAL)} has {result.short_history.periods} {word}s of sales history, but the seasonal "
               f"models need at least {result.short_history.needed} (a full season of {result.season_length} {word}s "
               f"plus one). The forecast below ignores seasonality: {label(result.model)}."
               + (" Choose *Daily* periods to use the weekly pattern (a season of 7 days)." if freq != "daily" else ""))
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
    elasticity = w4.number_input("Price sensitivity (elasticity)", -5.0, 0.0, float(preset.get("elasticity", -1.5)), 0.1,
                                 key="fc_elast", help="-1.5 means a 1 % higher price loses about 1.5 % of sales.")
    periods = list(result.mean.index)
    promo = w2.multiselect("Planned promotion in", periods, format_func=lambda d: f"{pd.Timestamp(d):%d %b %Y}",
                           key="fc_promo", default=[p for p in periods if f"{p:%Y-%m-%d}" in preset.get("promotions", [])])
    lift = promotion_lift(daily)
    plan = WhatIf(float(uplift), tuple(pd.Timestamp(p) for p in promo), lift, float(price), float(elasticity))
    base = Prediction(result.mean.to_numpy(), {k: v.to_numpy() for k, v in result.lower.items()},
                      {k: v.to_numpy() for k, v in result.upper.items()})
    adj = apply(base, result.mean.index, plan)
    changed = bool(uplift or price or promo)
    mean = pd.Series(adj.mean, result.mean.index)
    lower = {k: pd.Series(v, result.mean.index) for k, v in adj.lower.items()}
    upper = {k: pd.Series(v, result.mean.index) for k, v in adj.upper.items()}
    bt = result.backtest_forecasts
    shown_bt = bt[bt["model"] == result.model] if not bt.empty else None
    promos = daily.index[daily["promotion"] > 0] if level == "sku" else None
    hols = uk_bank_holidays(result.history.index[0], result.mean.index[-1])
    fig = forecast_figure(result.history, mean, lower, upper, backtest=shown_bt, promotions=promos, holidays=hols,
                          baseline=result.mean if changed else None, unit=unit,
                          title=f"{plain(item or TOTAL)}: {freq} sales and forecast")
    st.plotly_chart(fig, width="stretch", key="fc_chart")
    if promo:
        st.caption(f"Past promotions lifted daily sales by x{lift:.2f} on average; that lift is applied to the "
                   "chosen periods.")
    st.write(summary(float(result.mean.sum()), float(mean.sum()), plan, unit, horizon, word))
    kpis = {"forecast_units": float(mean.sum()), "plain_forecast_units": float(result.mean.sum())}
    chosen = result.backtest.loc[result.backtest["chosen"], "mase"] if "chosen" in result.backtest else []
    if len(chosen) and np.isfinite(mase := float(chosen.iloc[0])):
        kpis["backtest_mase"] = mase
    save_panel("forecast", "forecast",
               {"level": level, "item": item, "freq": freq, "horizon": horizon, "method": method, "drivers": drivers,
                "uplift_pct": uplift, "price_change_pct": price, "elasticity": float(elasticity),
                "promotions": [f"{pd.Timestamp(p):%Y-%m-%d}" for p in promo], "promotion_lift": lift}, kpis,
               key="forecast")
    out = pd.DataFrame({"period": mean.index, "forecast": mean.to_numpy()})
    for lv in sorted(lower):
        out[f"low {lv}%"], out[f"high {lv}%"] = lower[lv].to_numpy(), upper[lv].to_numpy()
    d1, d2 = st.columns(2)
    d1.download_button("Download forecast (CSV)", export_csv(out), f"forecast_{item or 'total'}.csv",
                       "text/csv", key="fc_csv")
    d2.download_button("Download forecast (Excel)", export_excel({"forecast": out}), f"forecast_{item or 'total'}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="fc_xlsx")


what_if()

st.subheader("Which method did best on past sales")
st.caption("Each method was re-run as if it were a few periods ago and compared with what then sold. "
           "MASE below 1 beats simply repeating last season; the 'inside' columns show how often the actuals "
           "fell inside the 80 % and 95 % bands (ideally close to 80 % and 95 %).")
board = result.backtest
if board.empty:
    st.write("Not enough history to compare methods.")
else:
    view = board[[c for c in BOARD_COLUMNS if c in board.columns]].rename(columns=BOARD_COLUMNS)
    st.dataframe(view, hide_index=True, width="stretch",
                 column_config={"Inside 80% band": st.column_config.NumberColumn(format="percent"),
                                "Inside 95% band": st.column_config.NumberColumn(format="percent"),
                                "Weight in forecast": st.column_config.NumberColumn(format="percent"),
                                **{label: st.column_config.NumberColumn(format="%.2f") for label in (
                                    BOARD_COLUMNS["mase"], "RMSSE", "Pinball (scaled)")},
                                **{label: st.column_config.NumberColumn(format="%.1f") for label in (
                                    "sMAPE (%)", "Bias (units/period)")}})

st.subheader("Forecast every product")
st.caption("Runs the automatic method for all SKUs and stores the result, so the inventory page can plan with it.")
if st.button(f"Run all SKUs ({freq}, {horizon} {word}s ahead)", key="fc_run_all"):
    bar = st.progress(0.0, text="Starting…")
    long = sales_long(table("sales"), freq)
    values = forecast_many(long, horizon, freq=freq, n_jobs=2,
                           progress=lambda done, total: bar.progress(done / total, text=f"{done} of {total} SKUs"))
    run_id = save_run(store, values, {"level": "sku", "freq": freq, "horizon": horizon, "method": "auto",
                                      "as_of": str(store.as_of())}, notes="Run all SKUs")
    bar.empty()
    st.success(f"Stored forecast run {run_id} for {values['unique_id'].nunique()} SKUs.")

st.subheader("Accuracy over time")
st.caption("Stored forecasts are compared with the sales that arrived after them. To see this without waiting, "
           "replay: forecast every SKU as if it were 12, 8 and 4 weeks ago (well under a minute).")
if st.button("Replay the last 12 weeks", key="fc_replay"):
    long = sales_long(table("sales"), "weekly")
    bar = st.progress(0.0, text="Starting…")
    stored = save_replay(store, long, [long["ds"].max() - pd.Timedelta(weeks=w) for w in REPLAY_WEEKS], 4, "weekly",
                         params={"level": "sku"}, n_jobs=2,
                         progress=lambda done, total: bar.progress(done / total, text=f"{done} of {total} SKUs"))
    bar.empty()
    st.success(f"Stored {len(stored)} replayed runs ({', '.join(map(str, REPLAY_WEEKS[:-1]))} and {REPLAY_WEEKS[-1]} "
               f"weeks back) for {stored['series'].max()} SKUs; the accuracy chart below compares them with what sold.")
n_runs, trend, grew = _accuracy(cache_key())
if not n_runs:
    st.write("No stored forecast runs yet. Use 'Run all SKUs' now; once new sales arrive, this section compares "
             "those forecasts with what actually sold.")
elif trend is None:
    st.write(f"{n_runs} stored run(s), but no sales have arrived yet for the periods they forecast.")
else:
    st.plotly_chart(trend, width="stretch")
    if grew.empty:
        st.write("No SKU's error grew noticeably in the latest run.")
    else:
        st.write(f"{len(grew)} SKU(s) forecast noticeably worse in the latest run than before:")
        st.dataframe(grew.rename(columns={"unique_id": "SKU", "earlier_mae": "Earlier error (units)",
                                          "latest_mae": "Latest error (units)", "change": "Change"}),
                     hide_index=True, column_config={"Change": st.column_config.NumberColumn(format="percent")})
