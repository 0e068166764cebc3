"""Scorecard KPIs on a hand-made purchase history whose answers are worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opscore.suppliers import KPI_COLUMNS, monthly_kpis, prepare_lines, supplier_kpis


def _po(po_id, supplier, sku, ordered, promised, received, qty_o, qty_r, qty_d, price):
    return {"po_id": po_id, "supplier_id": supplier, "sku": sku, "order_date": pd.Timestamp(ordered),
            "promised_date": pd.Timestamp(promised), "received_date": pd.Timestamp(received) if received else pd.NaT,
            "qty_ordered": qty_o, "qty_received": qty_r, "qty_defective": qty_d, "unit_price": price}


@pytest.fixture
def history() -> pd.DataFrame:
    """Supplier A: five lines (one open); supplier B: one late but full line; all in January 2026."""
    return pd.DataFrame([
        _po("P1", "A", "X", "2026-01-05", "2026-01-10", "2026-01-11", 100, 98, 0, 2.0),  # a day late, 98 %
        _po("P2", "A", "X", "2026-01-08", "2026-01-15", "2026-01-15", 50, 50, 0, 2.0),   # on time, in full
        _po("P3", "A", "Y", "2026-01-12", "2026-01-20", "2026-01-18", 20, 20, 1, 5.0),   # early, in full
        _po("P4", "A", "Y", "2026-01-20", "2026-01-25", "2026-01-24", 10, 9, 0, 5.0),    # on time, short
        _po("P5", "A", "X", "2026-01-28", "2026-02-03", None, 30, None, None, 2.0),      # open
        _po("P6", "B", "X", "2026-01-06", "2026-01-09", "2026-01-12", 40, 40, 2, 3.0),   # late, full
    ])


def test_issue_example_late_and_short_is_neither_on_time_nor_in_full(history):
    """The issue's example: received a day after the promise with 98 of 100 units -> not on time, not in full, not
    OTIF."""
    line = prepare_lines(history).set_index("po_id").loc["P1"]
    assert not line["on_time"] and not line["in_full"] and not line["otif"]
    assert line["lead_time_days"] == 6


def test_rates_counts_lead_time_and_defects_by_hand(history):
    """Supplier A: 4 received lines, on time 3/4, in full 2/4, OTIF 2/4; lead times 6, 7, 6, 4 days;
    defects 1 per 177 received = 5649.7 ppm; the open line counts in orders and spend only."""
    k = supplier_kpis(history).set_index("supplier_id")
    a = k.loc["A"]
    assert a["orders"] == 5 and a["received"] == 4
    assert a["on_time_rate"] == pytest.approx(0.75)
    assert a["in_full_rate"] == pytest.approx(0.5)
    assert a["otif_rate"] == pytest.approx(0.5)
    assert a["lead_time_mean_days"] == pytest.approx(23 / 4)
    assert a["lead_time_std_days"] == pytest.approx(np.std([6, 7, 6, 4], ddof=1))
    assert a["defect_ppm"] == pytest.approx(1e6 * 1 / 177)
    b = k.loc["B"]
    assert (b["on_time_rate"], b["in_full_rate"], b["otif_rate"]) == (0.0, 1.0, 0.0)
    assert list(k.reset_index().columns) == list(KPI_COLUMNS)


def test_spend_share_and_price_variance_against_contract_and_median(history):
    """Spend A = 200+100+100+50+60 = 510, B = 120 -> shares 510/630 and 120/630. Against contract prices
    X 2.0, Y 4.0: A pays 0 extra on X and 1.0 x 30 on Y -> variance 30/480 = 6.25 %. Against the median
    price of X (2.0, paid by A four times and by B at 3.0): B pays +50 %."""
    k = supplier_kpis(history, contract_prices=pd.Series({"X": 2.0, "Y": 4.0})).set_index("supplier_id")
    assert k.loc["A", "spend_gbp"] == pytest.approx(510.0)
    assert k.loc["A", "spend_share"] == pytest.approx(510 / 630)
    assert k.loc["A", "price_variance_pct"] == pytest.approx(100 * 30 / 480)
    assert k.loc["A", "price_index"] == pytest.approx(100 + 100 * 30 / 480)
    median = supplier_kpis(history).set_index("supplier_id")
    assert median.loc["B", "price_variance_pct"] == pytest.approx(50.0)


def test_period_selects_by_order_date_inclusive(history):
    """Only lines ordered 8-20 Jan (P2, P3, P4) fall in that period: A on time 3/3, in full 2/3."""
    k = supplier_kpis(history, "2026-01-08", "2026-01-20").set_index("supplier_id")
    assert list(k.index) == ["A"]
    assert k.loc["A", "orders"] == 3
    assert k.loc["A", "on_time_rate"] == pytest.approx(1.0)
    assert k.loc["A", "in_full_rate"] == pytest.approx(2 / 3)


def test_lead_time_trend_is_days_per_30_days():
    """Lead times growing by exactly one day per 30 days of order date give a trend of +1.0 day/month."""
    rows = [_po(f"P{i}", "A", "X", pd.Timestamp("2026-01-01") + pd.Timedelta(days=30 * i),
                pd.Timestamp("2026-01-01") + pd.Timedelta(days=31 * i + 10),
                pd.Timestamp("2026-01-01") + pd.Timedelta(days=31 * i + 2), 10, 10, 0, 1.0) for i in range(6)]
    k = supplier_kpis(pd.DataFrame(rows))
    assert k.loc[0, "lead_time_trend_days_per_month"] == pytest.approx(1.0)


def test_monthly_trend_splits_by_order_month(history):
    """Monthly KPIs group by order month: moving P4 into February leaves A's January OTIF at 2/3 (P2, P3 of
    P1-P3) with 4 lines ordered and £460 spent (200 + 100 + 100 + 60), and gives February one received line, on time
    but short."""
    moved = history.copy()
    moved.loc[moved["po_id"] == "P4", "order_date"] = pd.Timestamp("2026-02-02")
    m = monthly_kpis(moved).set_index(["supplier_id", "month"])
    jan, feb = ("A", pd.Timestamp("2026-01-01")), ("A", pd.Timestamp("2026-02-01"))
    assert m.loc[jan, "otif_rate"] == pytest.approx(2 / 3)
    assert m.loc[jan, "orders"] == 4
    assert m.loc[jan, "spend_gbp"] == pytest.approx(460.0)
    assert (m.loc[feb, "orders"], m.loc[feb, "on_time_rate"], m.loc[feb, "in_full_rate"]) == (1, 1.0, 0.0)


def test_bad_input_is_refused_with_a_clear_message(history):
    """A missing column, a reversed period, an empty period and a zero-quantity line raise ValueError saying what to
    fix."""
    with pytest.raises(ValueError, match="promised_date"):
        supplier_kpis(history.drop(columns="promised_date"))
    with pytest.raises(ValueError, match="swap"):
        supplier_kpis(history, "2026-02-01", "2026-01-01")
    with pytest.raises(ValueError, match="no purchase order lines"):
        supplier_kpis(history, "2030-01-01", "2030-02-01")
    bad = history.copy()
    bad.loc[0, "qty_ordered"] = 0
    with pytest.raises(ValueError, match="P1"):
        supplier_kpis(bad)


def test_sample_workspace_kpis_are_rates_and_shares(sample_store):
    """On the sample workspace every rate lies in 0-1, OTIF never exceeds on-time or in-full, and shares sum to 1."""
    k = supplier_kpis(sample_store.table("purchase_orders"))
    assert len(k) == 8
    assert (k["otif_rate"] <= k[["on_time_rate", "in_full_rate"]].min(axis=1) + 1e-12).all()
    assert k["spend_share"].sum() == pytest.approx(1.0)
