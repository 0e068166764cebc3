"""The sample business: reproducible from its generator and shaped like a real Leeds wholesaler."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from opscore.geo import haversine_km
from opscore.sample import AS_OF, SampleSpec, generate, write_csvs
from opscore.sample.catalogue import DEPOT
from opscore.store import USER_TABLES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return generate()


def test_generator_reproduces_the_shipped_csvs_byte_for_byte(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    """data/sample/*.csv is exactly what generate() writes, so the sample can always be re-made."""
    write_csvs(tables, tmp_path)
    shipped = sorted(p.name for p in (ROOT / "data" / "sample").glob("*.csv"))
    assert shipped == sorted(p.name for p in tmp_path.glob("*.csv"))
    for name in shipped:
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / "sample" / name).read_bytes(), name


def test_every_user_table_is_filled(tables: dict[str, pd.DataFrame]) -> None:
    """The sample gives every page something to show (compliance rules default in code; road events are
    made by the simulated driver feed)."""
    for name in USER_TABLES:
        if name not in ("compliance_rules", "delivery_events"):
            assert name in tables and len(tables[name]) > 0, name


def test_size_matches_the_brief(tables: dict[str, pd.DataFrame]) -> None:
    """About 120 SKUs, 60 customers, 5 vans of three fuels, 8 suppliers, ~15 assets, 3 years of sales."""
    assert len(tables["products"]) == 120
    assert len(tables["customers"]) == 60
    assert set(tables["vehicles"]["fuel"]) == {"diesel", "petrol", "electric"} and len(tables["vehicles"]) == 5
    assert len(tables["suppliers"]) == 8
    assert 13 <= len(tables["assets"]) <= 17
    days = pd.to_datetime(tables["sales"]["date"])
    assert (days.max() - days.min()).days >= 3 * 365 - 2
    assert days.max() < pd.Timestamp(AS_OF)
    assert set(tables["products"]["temperature_class"]) >= {"ambient", "chilled", "fresh"}


def test_customers_lie_within_30_km_of_the_leeds_depot(tables: dict[str, pd.DataFrame]) -> None:
    """All delivery customers are within 30 km (great circle) of the depot."""
    c = tables["customers"]
    km = haversine_km(DEPOT[2], DEPOT[3], c["lat"].to_numpy(), c["lon"].to_numpy())
    assert km.max() <= 30.0


def test_sales_show_weekly_season_promotions_and_bank_holidays(tables: dict[str, pd.DataFrame]) -> None:
    """Sunday sells least, promotions lift a typical SKU's sales by over 20 %, Christmas Day sells far below
    an ordinary day."""
    s = tables["sales"].assign(date=lambda f: pd.to_datetime(f["date"]))
    daily = s.groupby("date")["quantity"].sum()
    by_weekday = daily.groupby(daily.index.weekday).mean()
    assert by_weekday.idxmin() == 6
    per_sku = s.groupby(["sku", "promotion"])["quantity"].mean().unstack().dropna()
    assert (per_sku[True] / per_sku[False]).median() > 1.2
    assert daily.get(pd.Timestamp("2025-12-25"), 0) < 0.5 * daily.median()


def test_some_skus_are_intermittent_and_some_discontinued(tables: dict[str, pd.DataFrame]) -> None:
    """Slow movers sell on under half of the days; at least one SKU stopped selling months ago."""
    s = tables["sales"]
    days_sold = s[s["quantity"] > 0].groupby("sku")["date"].nunique()
    assert (days_sold < 0.5 * 1096).sum() >= 5
    last = pd.to_datetime(s.groupby("sku")["date"].max())
    assert (last < pd.Timestamp(AS_OF) - pd.Timedelta(days=90)).sum() >= 1


def test_sensors_drift_before_failures(tables: dict[str, pd.DataFrame]) -> None:
    """Chiller temperature in the week before a failure is higher than the asset's usual level."""
    events, readings = tables["maintenance_events"], tables["sensor_readings"]
    readings = readings.assign(ts=pd.to_datetime(readings["ts"]))
    chillers = set(tables["assets"].query("type == 'chiller'")["asset_id"])
    failures = events[(events["kind"] == "failure") & events["asset_id"].isin(chillers)]
    lifts = []
    for f in failures.itertuples():
        r = readings[readings["asset_id"] == f.asset_id]
        before = r[(r["ts"] < pd.Timestamp(f.date)) & (r["ts"] >= pd.Timestamp(f.date) - pd.Timedelta(days=7))]
        if len(before):
            lifts.append(before["temperature_c"].mean() - r["temperature_c"].median())
    assert lifts and np.mean(lifts) > 2.0


def test_same_seed_same_business_other_seed_other_business() -> None:
    """Determinism: the seed fully fixes the data."""
    a = generate(SampleSpec(n_skus=30, n_customers=10))
    b = generate(SampleSpec(n_skus=30, n_customers=10))
    c = generate(SampleSpec(seed=1, n_skus=30, n_customers=10))
    assert a["sales"].equals(b["sales"])
    assert not a["sales"].equals(c["sales"])


def test_scale_factor_gives_a_larger_business() -> None:
    """The benchmark generator scales SKUs (with unique codes) without changing the rest of the shape."""
    big = generate(SampleSpec(n_skus=1200, n_customers=5))
    assert big["products"]["sku"].is_unique and len(big["products"]) == 1200
    assert big["sales"]["sku"].nunique() > 1100


def test_stock_runs_out_now_and_then_mostly_for_a_few_skus(tables: dict[str, pd.DataFrame]) -> None:
    """Every SKU's closing stock every day; 2-5 % of SKU-days end at 0; 10-20 % of SKUs are out on over 5 % of days
    (bought with too little safety stock), while seven in ten are out on under 1 % of days."""
    stock = tables["stock_history"]
    assert len(stock) == len(tables["products"]) * 1096 and (stock["on_hand"] >= 0).all()
    out = (stock["on_hand"] <= 0).groupby(stock["sku"]).mean()
    assert 0.02 <= (stock["on_hand"] <= 0).mean() <= 0.05
    assert 0.10 <= (out > 0.05).mean() <= 0.20
    assert (out < 0.01).mean() >= 0.7


def test_stock_moves_only_by_sales_and_deliveries(tables: dict[str, pd.DataFrame]) -> None:
    """Each day's closing stock is the day before's, plus the good units of purchase orders received that day
    (received minus defective), minus the units sold; the inventory snapshot holds each SKU's last closing stock."""
    stock = tables["stock_history"].pivot(index="date", columns="sku", values="on_hand")
    sold = tables["sales"].pivot(index="date", columns="sku", values="quantity").reindex_like(stock).fillna(0)
    po = tables["purchase_orders"].dropna(subset=["received_date"])
    good = (po.assign(good=po["qty_received"] - po["qty_defective"]).groupby(["received_date", "sku"])["good"].sum()
            .unstack().reindex_like(stock).fillna(0))
    moved = stock.diff().iloc[1:]
    assert np.array_equal(moved.to_numpy(), (good - sold).iloc[1:].to_numpy(dtype=float))
    on_hand = tables["inventory"].groupby("sku")["quantity"].sum().reindex(stock.columns, fill_value=0)
    assert np.array_equal(on_hand.to_numpy(dtype=float), stock.iloc[-1].to_numpy())


def test_sales_fall_short_of_the_usual_on_stock_out_days(tables: dict[str, pd.DataFrame]) -> None:
    """On days a SKU ran out it sold less than on its in-stock days (the sales are censored: the day's demand was
    met only until the stock ran out): typically under 80 % of its in-stock mean."""
    stock = tables["stock_history"].set_index(["date", "sku"])["on_hand"]
    sold = tables["sales"].set_index(["date", "sku"])["quantity"].reindex(stock.index, fill_value=0)
    frame = pd.DataFrame({"sold": sold, "out": stock <= 0}).reset_index()
    means = frame.groupby(["sku", "out"])["sold"].mean().unstack().dropna()
    assert (means[True] / means[False]).median() < 0.8
