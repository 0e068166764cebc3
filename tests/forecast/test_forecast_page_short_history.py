"""AppTest of the Forecast explorer on a workspace with only five days of sales."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from opscore.store import open_store
from ui.text import md


def test_five_days_of_sales_get_plain_messages_and_a_fallback_forecast(data_dir: Path, open_page) -> None:  # type: ignore[no-untyped-def]
    """Weekly periods (the default): a warning that 5 days make no full week, no error. Daily periods: a warning
    with the days there are and the 8 the seasonal models need, and the non-seasonal forecast charted."""
    store = open_store(data_dir / "workbench.duckdb")
    sales = store.table("sales")
    with store.transaction() as w:
        w.replace("sales", sales[sales["date"] > sales["date"].max() - pd.Timedelta(days=5)])
    store.close()
    at = open_page("views/forecast.py")  # asserts no exception and no error
    assert any(md("5 day(s) of sales make 0 full week(s)") in w.value for w in at.warning)  # shown as escaped text
    at.selectbox(key="fc_freq").set_value("Daily").run()
    assert not at.exception and not at.error
    short = [w.value for w in at.warning if "sales history" in w.value]
    assert len(short) == 1 and "has 5 days of sales history" in short[0] and "at least 8" in short[0]
    assert "ignores seasonality" in short[0]
    assert any(t.get("name") == "Forecast" for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"])
