"""The FEFO check reads only the sales it needs from the store: the same rows, and the same breaches, as when every
sales row is read."""

from __future__ import annotations

import pandas as pd

from opscore import compliance as co
from opscore.compliance.expiry import fefo_sales_scope
from opscore.store import Store


def test_load_fefo_sales_is_the_scoped_slice_of_all_sales(sample_store: Store) -> None:
    """The rows read are exactly the sales of SKUs with a lot past use-by, from the first receipt to the last
    use-by, and a FEFO rule finds the same breaches on them as on every sales row."""
    tables = co.load_tables(sample_store)
    as_of = sample_store.as_of()
    skus, first, last = fefo_sales_scope(tables["inventory"], as_of)
    read = co.load_fefo_sales(sample_store, tables["inventory"], as_of)
    sales = tables["sales"]
    dates = pd.to_datetime(sales["date"])
    scoped = sales[sales["sku"].isin(skus) & (dates >= first) & (dates <= last)]
    assert len(read) == len(scoped) > 0 and set(read["sku"]) <= set(skus)
    pd.testing.assert_frame_equal(
        read.sort_values(["date", "sku"]).reset_index(drop=True),
        scoped[["date", "sku", "quantity"]].sort_values(["date", "sku"]).reset_index(drop=True), check_dtype=False)
    rules = co.default_rules()
    fefo = rules[rules["check"] == "fefo_order"]
    everything = co.run_rules(fefo, tables, as_of)
    few = co.run_rules(fefo, {**tables, "sales": read}, as_of)
    assert not everything.empty, "the sample has lots left past use-by while fresher ones sold"
    pd.testing.assert_frame_equal(everything.reset_index(drop=True), few.reset_index(drop=True))
