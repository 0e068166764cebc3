"""AppTest of the Forecast explorer page on the sample workspace."""

from __future__ import annotations

import json


def test_page_shows_history_forecast_and_bands(open_page) -> None:
    """The page renders without error; its chart holds the history, forecast and 80/95 % band traces,
    and the leaderboard lists the models tried."""
    at = open_page("views/forecast.py")
    assert at.title[0].value == "Forecast explorer"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {t.get("name") for t in spec["data"]}
    assert {"History", "Forecast", "80% interval", "95% interval", "Bank holiday", "Backtest forecast"} <= names
    assert len(at.dataframe) >= 1
    board = at.dataframe[0].value
    assert len(board) >= 3 and board["Chosen"].sum() == 1


def test_what_if_uplift_moves_the_forecast(open_page) -> None:
    """A +20 % demand change raises the charted forecast by exactly 20 % and shows the plain forecast too."""
    at = open_page("views/forecast.py")
    before = next(t for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"] if t.get("name") == "Forecast")
    at.slider(key="fc_uplift").set_value(20).run()
    assert not at.exception
    data = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    after = next(t for t in data if t.get("name") == "Forecast")
    assert any(t.get("name") == "Plain forecast" for t in data)
    ratio = [a / b for a, b in zip(_values(after), _values(before), strict=True) if b > 0]
    assert ratio and all(abs(r - 1.2) < 1e-9 for r in ratio)


def _values(trace: dict) -> list[float]:
    y = trace["y"]
    if isinstance(y, dict):  # plotly may encode arrays as typed binary
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    return list(y)


def test_accuracy_over_time_flags_a_sku_whose_error_grew(data_dir, open_page) -> None:
    """With two stored runs over past weeks (the later one far off for one SKU), the page shows the
    accuracy trend chart and lists that SKU as forecast noticeably worse."""
    import pandas as pd

    from opscore.forecast.demand import sales_long
    from opscore.forecast.runs import save_run
    from opscore.store import open_store

    store = open_store(data_dir / "workbench.duckdb")
    actual = sales_long(store.table("sales"), "weekly", ["DAI-001", "DAI-002"])
    recent = actual[actual["ds"] > actual["ds"].max() - pd.Timedelta(weeks=4)].rename(columns={"y": "mean"})
    recent = recent.assign(lo80=recent["mean"] * 0.8, hi80=recent["mean"] * 1.2, model="snaive")
    save_run(store, recent.assign(mean=recent["mean"] + 1), {"freq": "weekly"},
             created_at=(recent["ds"].min() - pd.Timedelta(weeks=2)).to_pydatetime())
    worse = recent.assign(mean=recent["mean"] + (recent["unique_id"] == "DAI-001") * 50 + 1)
    save_run(store, worse, {"freq": "weekly"}, created_at=(recent["ds"].min() - pd.Timedelta(weeks=1)).to_pydatetime())
    store.close()
    at = open_page("views/forecast.py")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    trend = [c for c in charts if "accuracy" in str(c["layout"].get("title", "")).lower()]
    assert trend and any(t.get("name") == "All products" for t in trend[0]["data"])
    assert at.dataframe[-1].value["SKU"].tolist() == ["DAI-001"]


def test_category_daily_with_drivers_renders(open_page) -> None:
    """Switching to a category, daily periods and promotion/holiday drivers still renders the chart, the
    leaderboard and a note that the drivers' effects were estimated."""
    at = open_page("views/forecast.py")
    at.radio(key="fc_scope").set_value("A category").run()
    at.selectbox(key="fc_freq").set_value("Daily").run()
    at.toggle(key="fc_drivers").set_value(True).run()
    assert not at.exception and not at.error and not at.warning
    assert any("promotion/holiday effects estimated" in c.value for c in at.caption)
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"].endswith(
        "daily sales and forecast")


def test_the_demand_plan_is_what_the_page_shows_and_the_inventory_page_plans_with(open_page) -> None:
    """'Make the demand plan' forecasts every product (global model, out-of-stock days left out, categories and
    total reconciled) and stores it; the page then shows the plan's numbers, a category's forecast is the sum of its
    products', and the Inventory simulator takes its demand from the same run."""
    at = open_page("views/forecast.py")
    at.selectbox(key="fc_freq").set_value("Daily").run()
    at.button(key="fc_run_all").click().run(timeout=300)
    assert not at.exception and not at.error
    made = next(s.value for s in at.success if s.value.startswith("Made demand plan"))
    run_id = made.split()[3]
    assert "for 120 products" in made
    assert any("From the demand plan made" in c.value for c in at.caption)
    assert any(m.value.startswith("Out-of-stock days: ") for m in at.markdown)
    at.radio(key="fc_scope").set_value("A category").run()
    assert not at.exception and not at.error
    assert any("From the demand plan made" in c.value for c in at.caption)
    assert any("sum of its SKUs' forecasts" in i.value or "MinT" in i.value for i in at.info)
    at.switch_page("views/inventory.py").run()
    assert not at.exception
    assert any(f"the latest forecast (run {run_id})" in c.value for c in at.caption)


def test_replay_stores_three_past_runs_and_says_so(data_dir, open_page) -> None:
    """'Replay the last 12 weeks' stores one run per cut-off (12, 8 and 4 weeks before the last week of sales)
    for every SKU, says so, and the accuracy chart then compares them with what sold."""
    import pandas as pd

    from opscore.forecast.demand import sales_long
    from opscore.forecast.runs import list_runs
    from opscore.store import open_store

    at = open_page("views/forecast.py")
    at.button(key="fc_replay").click().run(timeout=300)
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Stored 3 replayed runs (12, 8 and 4 weeks back) for 120 SKUs; the "
                                             "accuracy chart below compares them with what sold."]
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any("accuracy" in str(c["layout"].get("title", "")).lower() for c in charts)
    store = open_store(data_dir / "workbench.duckdb")
    last = sales_long(store.table("sales"), "weekly")["ds"].max()
    runs = list_runs(store).sort_values("created_at")
    store.close()
    cutoffs = [last - pd.Timedelta(weeks=w) for w in (12, 8, 4)]
    assert runs["created_at"].tolist() == cutoffs and (runs["series"] == 120).all()
    assert [p["as_of"] for p in runs["params"]] == [f"{c:%Y-%m-%d}" for c in cutoffs]


def test_a_plan_that_cannot_be_made_says_why_and_changes_nothing(data_dir, open_page) -> None:
    """A category named like one of the SKUs cannot form a hierarchy: 'Make the demand plan' says so in plain
    words (naming the clash), shows no traceback and stores no run."""
    from opscore.forecast.runs import list_runs
    from opscore.store import open_store

    store = open_store(data_dir / "workbench.duckdb")
    with store.transaction() as w:
        w.update("products", {"category": "BAK-037"}, {"sku": "DAI-001"})
    store.close()
    at = open_page("views/forecast.py")
    at.button(key="fc_run_all").click().run(timeout=300)
    assert not at.exception
    assert any(e.value.startswith("No demand plan was made: ") and "BAK" in e.value for e in at.error), \
        [e.value for e in at.error]
    store = open_store(data_dir / "workbench.duckdb", read_only=True)
    assert list_runs(store).empty
    store.close()
