"""Stock history: the table every workspace gets, and the stock-out (censored) days the store finds in it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from opscore.store import LATEST_VERSION, MIGRATIONS, Store, open_store
from opscore.store.aggregates import stockout_counts, stockout_days

STOCK_HISTORY_VERSION = next(m.version for m in MIGRATIONS if "stock_history" in m.creates)


def _products(store: Store, skus: list[str]) -> None:
    n = len(skus)
    with store.transaction() as w:
        w.append("suppliers", pd.DataFrame({"supplier_id": ["S1"], "name": ["Dairy"], "city": ["Leeds"],
                                            "lat": [53.8], "lon": [-1.55]}))
        w.append("products", pd.DataFrame({
            "sku": skus, "name": skus, "category": ["Dairy"] * n, "temperature_class": ["chilled"] * n,
            "unit_cost": [1.0] * n, "unit_price": [2.0] * n, "weight_kg": [1.0] * n, "length_cm": [10.0] * n,
            "width_cm": [10.0] * n, "height_cm": [10.0] * n, "supplier_id": ["S1"] * n, "lead_time_days": [2] * n,
            "moq": [1] * n, "order_multiple": [1] * n}))


def _history(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["sku", "date", "on_hand"]).assign(date=lambda f: pd.to_datetime(f["date"]))


def test_stock_out_days_are_the_days_closing_at_zero(tmp_path: Path) -> None:
    """A closes at 0 on 2, 3, 6 and 7 Oct (two runs of 2; 5 Oct has no row, so it is not known to be one); B never
    runs out (0 days, not unknown); C has no history (left out of the counts: unknown)."""
    store = open_store(tmp_path / "w.duckdb")
    _products(store, ["A", "B", "C"])
    with store.transaction() as w:
        w.append("stock_history", _history([
            ("A", "2026-10-01", 5.0), ("A", "2026-10-02", 0.0), ("A", "2026-10-03", 0.0), ("A", "2026-10-04", 3.5),
            ("A", "2026-10-06", 0.0), ("A", "2026-10-07", 0.0), ("B", "2026-10-01", 1.0), ("B", "2026-10-02", 0.5)]))
    days = stockout_days(store)
    assert days is not None and list(days.columns) == ["sku", "date"]
    assert days["sku"].tolist() == ["A"] * 4
    assert days["date"].dt.strftime("%d").tolist() == ["02", "03", "06", "07"]
    counts = stockout_counts(store)
    assert counts is not None
    assert counts.to_dict("list") == {
        "sku": ["A", "B"], "first": [pd.Timestamp("2026-10-01")] * 2,
        "last": [pd.Timestamp("2026-10-07"), pd.Timestamp("2026-10-02")], "days": [6, 2], "stockout_days": [4, 0],
        "longest_run": [2, 0]}
    none_out = stockout_days(store, ["B", "C"])
    assert none_out is not None and none_out.empty  # no stock-outs: known, and none
    assert stockout_days(store, ["C"]) is None and stockout_counts(store, ["C"]) is None  # unknown
    store.close()


def test_a_workspace_without_stock_history_is_unknown_not_zero(tmp_path: Path) -> None:
    """No rows: None, not an empty frame. A file from before the table existed, opened read-only (so not
    migrated), has no table at all: None as well. Opened for writing, it is migrated and gets the table."""
    store = open_store(tmp_path / "w.duckdb")
    assert stockout_days(store) is None and stockout_counts(store) is None
    store.close()
    con = duckdb.connect(str(tmp_path / "w.duckdb"))  # back to schema version 4, as a file made before it
    for m in MIGRATIONS[::-1]:
        if m.version >= STOCK_HISTORY_VERSION:
            for table, column in m.adds_columns:
                con.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
            for table in m.creates:
                con.execute(f'DROP TABLE "{table}"')
    con.execute("DELETE FROM schema_version WHERE version >= ?", [STOCK_HISTORY_VERSION])
    con.close()
    old = open_store(tmp_path / "w.duckdb", read_only=True)
    assert old.schema_version() == STOCK_HISTORY_VERSION - 1
    assert stockout_days(old) is None and stockout_counts(old, ["A"]) is None
    old.close()
    migrated = open_store(tmp_path / "w.duckdb")
    assert migrated.schema_version() == LATEST_VERSION and migrated.count("stock_history") == 0
    migrated.close()


def test_stock_history_is_refreshed_by_date_range(tmp_path: Path) -> None:
    """Like sales: re-importing days replaces every stored row of those days, so nothing doubles."""
    store = open_store(tmp_path / "w.duckdb")
    _products(store, ["A", "B"])
    with store.transaction() as w:
        w.append("stock_history", _history([("A", "2026-10-01", 5.0), ("A", "2026-10-02", 4.0),
                                            ("B", "2026-10-02", 2.0), ("A", "2026-10-03", 1.0)]))
        removed, inserted = w.refresh("stock_history", _history([("A", "2026-10-02", 0.0)]))
    assert (removed, inserted) == (2, 1)
    assert store.table("stock_history")["on_hand"].tolist() == [5.0, 0.0, 1.0]
    store.close()


def test_the_sample_s_stock_outs(sample_store: Store) -> None:
    """The sample records every SKU's closing stock every day of its three years; 4,555 of 131,520 SKU-days
    (3.5 %) end at 0, on 95 of 120 SKUs; the longest run is 32 days (DRY-047)."""
    counts = stockout_counts(sample_store)
    assert counts is not None and len(counts) == 120 and (counts["days"] == 1096).all()
    assert counts["stockout_days"].sum() == 4555 and (counts["stockout_days"] > 0).sum() == 95
    worst = counts.loc[counts["longest_run"].idxmax()]
    assert (worst["sku"], worst["longest_run"]) == ("DRY-047", 32)
    days = stockout_days(sample_store, ["DRY-047"])
    assert days is not None and len(days) == counts.set_index("sku").loc["DRY-047", "stockout_days"] == 386

