"""Order batching under cart capacity, wave planning and slotting."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opscore.warehouse import (
    Cart,
    Layout,
    batch_orders,
    orders_between,
    orders_due,
    pick_bins,
    pick_lines,
    plan_waves,
    route_distance,
    suggest_slotting,
)


def random_picks(seed: int, n_orders: int) -> pd.DataFrame:
    """Orders of 1-5 lines at random locations with random line weights (kg) and volumes (l)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_orders):
        for line in range(int(rng.integers(1, 6))):
            rows.append({"order_id": f"O{k:03d}", "line_no": line + 1, "sku": f"S{rng.integers(50)}", "quantity": 1,
                         "bin_id": "x", "aisle": int(rng.integers(1, 8)), "bay": int(rng.integers(1, 9)),
                         "weight_kg": float(rng.uniform(1, 120)), "volume_l": float(rng.uniform(1, 150))})
    return pd.DataFrame(rows)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 14), kg=st.floats(100, 600), litres=st.floats(100, 900),
       per_trip=st.integers(1, 5), method=st.sampled_from(["savings", "seed"]),
       routing=st.sampled_from(["s_shape", "largest_gap"]))
def test_batches_never_exceed_cart_capacity(seed, n, kg, litres, per_trip, method, routing):
    """Every batch stays within the cart's weight, volume and order limits; each order is in exactly one
    batch unless it alone is too big for the cart (then it is listed as too big, and only then); savings
    batches never walk more than picking order by order with the same routing (de Koster et al. 1999:
    merges happen only on positive savings)."""
    picks = random_picks(seed, n)
    layout = Layout(7, 8)
    cart = Cart(kg, litres, per_trip)
    plan = batch_orders(layout, picks, cart, method, routing)
    load = picks.groupby("order_id")[["weight_kg", "volume_l"]].sum()
    for b in plan.batches:
        assert len(b.order_ids) <= per_trip
        assert load.loc[list(b.order_ids), "weight_kg"].sum() <= kg + 1e-6
        assert load.loc[list(b.order_ids), "volume_l"].sum() <= litres + 1e-6
    batched = [o for b in plan.batches for o in b.order_ids]
    assert len(batched) == len(set(batched))
    too_big = {o for o in load.index if load.at[o, "weight_kg"] > kg or load.at[o, "volume_l"] > litres}
    assert set(plan.too_big) == too_big
    assert set(batched) | too_big == set(load.index)
    if method == "savings":
        assert plan.distance_m <= plan.single_order_distance_m + 1e-6


def test_batch_distance_is_the_route_of_its_orders():
    """A batch's distance is the route length through the union of its orders' pick locations."""
    picks = random_picks(7, 10)
    layout = Layout(7, 8)
    plan = batch_orders(layout, picks, Cart(400, 600, 4), "savings", "largest_gap")
    for b in plan.batches:
        part = picks[picks["order_id"].isin(b.order_ids)]
        assert b.distance_m == pytest.approx(route_distance(layout, part["aisle"], part["bay"], "largest_gap"))


def test_optimal_routing_reports_optimal_batch_routes():
    """With optimal routing, batches built on largest-gap lengths are reported with optimal tours, which are
    never longer than the largest-gap tours of the same batches."""
    picks = random_picks(11, 8)
    layout = Layout(7, 8)
    opt = batch_orders(layout, picks, Cart(400, 600, 3), "seed", "optimal")
    gap = batch_orders(layout, picks, Cart(400, 600, 3), "seed", "largest_gap")
    assert [b.order_ids for b in opt.batches] == [b.order_ids for b in gap.batches]
    assert all(o.distance_m <= g.distance_m + 1e-9 for o, g in zip(opt.batches, gap.batches))


def test_waves_cover_every_order_in_priority_order():
    """Waves hold every order exactly once, earlier customer windows first, each wave starting when the
    previous one ends; too few pickers make waves finish after the vans leave."""
    picks = random_picks(5, 20)
    windows = pd.Series({o: ("06:00" if int(o[1:]) % 2 else "09:00") for o in picks["order_id"].unique()})
    layout = Layout(7, 8)
    waves = plan_waves(layout, picks, windows, "03:00", "06:00", pickers=2, wave_minutes=30)
    ids = [o for s in waves["order_ids"] for o in s.split(", ")]
    assert sorted(ids) == sorted(picks["order_id"].unique())
    assert [windows[o] for o in ids] == sorted(windows[o] for o in ids)
    assert (waves["start"].iloc[1:].to_numpy() == waves["end"].iloc[:-1].to_numpy()).all()
    slow = plan_waves(layout, picks, windows, "05:30", "06:00", pickers=1, wave_minutes=30)
    assert not slow["on_time"].iloc[-1]


def test_sample_day_batching_and_slotting(sample_store):
    """On the sample workspace: the first due day's orders batch within an 800 kg cart with less walking
    than one order at a time, and slotting keeps each SKU in its zone, moves it only nearer the depot into
    an empty bin that holds its stock, and shortens last month's re-walked orders."""
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "inventory", "bins")}
    as_of = sample_store.as_of()
    layout = Layout.from_bins(t["bins"])
    picks = pick_lines(t["order_lines"], t["products"], t["inventory"], t["bins"], orders_due(t["orders"], as_of))
    plan = batch_orders(layout, picks, Cart(), "savings", "largest_gap")
    assert plan.batches and plan.distance_m < plan.single_order_distance_m
    month = pick_lines(t["order_lines"], t["products"], t["inventory"], t["bins"],
                       orders_between(t["orders"], as_of - timedelta(days=30), as_of - timedelta(days=1)))
    where = pick_bins(t["inventory"], t["bins"])
    slot = suggest_slotting(layout, month, where, t["bins"], top_n=15)
    bins = t["bins"].set_index("bin_id")
    for m in slot.moves.itertuples():
        assert bins.at[m.from_bin, "zone"] == bins.at[m.to_bin, "zone"]
        assert bins.at[m.to_bin, "capacity_units"] >= where.set_index("sku").at[m.sku, "quantity"]
    assert len(slot.moves) >= 1 and (slot.moves["to_m"] < slot.moves["from_m"]).all()
    assert not set(slot.moves["to_bin"]) & set(where["bin_id"])  # only into empty bins
    assert len(set(slot.moves["to_bin"])) == len(slot.moves)
    assert slot.distance_after_m < slot.distance_before_m


def test_bin_contents_and_location_summary_account_for_all_stock(sample_store):
    """Inventory visibility: every bin is listed, units per bin add up to the latest snapshot's total, and the
    per-bay summary holds the same units and one pick visit per located order line."""
    from opscore.warehouse import bin_contents, location_summary

    bins, inv, products = (sample_store.table(n) for n in ("bins", "inventory", "products"))
    latest = inv[inv["snapshot_date"] == inv["snapshot_date"].max()]
    contents = bin_contents(bins, inv, products)
    assert set(contents["bin_id"]) == set(bins["bin_id"])
    assert contents["units"].sum() == latest["quantity"].sum()
    picks = pick_lines(sample_store.table("order_lines"), products, inv, bins,
                       orders_due(sample_store.table("orders"), sample_store.as_of()))
    cells = location_summary(bins, inv, picks)
    assert len(cells) == bins[["aisle", "bay"]].drop_duplicates().shape[0]
    assert cells["units"].sum() == latest["quantity"].sum()
    assert cells["picks"].sum() == picks["bin_id"].notna().sum()
