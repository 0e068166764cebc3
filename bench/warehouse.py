"""Warehouse benchmark: routing, batching, slotting and cartonization speed and results on the sample.

Run: .venv/bin/python bench/warehouse.py
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from opscore import warehouse as wh

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


def main() -> None:
    names = ("bins", "inventory", "orders", "order_lines", "products", "cartons")
    t = {n: pd.read_csv(SAMPLE / f"{n}.csv") for n in names}
    as_of = pd.Timestamp(t["inventory"]["snapshot_date"].max()).date()
    layout = wh.Layout.from_bins(t["bins"])
    rng = np.random.default_rng(0)
    for n in (5, 12, 20, 30):
        times, gaps = [], []
        for _ in range(5):
            a, b = rng.integers(1, 12, n), rng.integers(1, 11, n)
            t0 = time.perf_counter()
            opt = wh.route(layout, a, b, "optimal")
            times.append(time.perf_counter() - t0)
            gaps.append(100 * (wh.route_distance(layout, a, b, "largest_gap") / opt.distance_m - 1))
        print(f"optimal route, {n:2d} picks: median {np.median(times) * 1000:7.1f} ms; largest gap "
              f"+{np.mean(gaps):.1f}% on average")
    day = wh.pick_lines(t["order_lines"], t["products"], t["inventory"], t["bins"], wh.orders_due(t["orders"], as_of))
    for method in ("savings", "seed"):
        t0 = time.perf_counter()
        p = wh.batch_orders(layout, day, wh.Cart(), method, "largest_gap")
        print(f"{method} batching {day['order_id'].nunique()} orders: {len(p.batches)} trips, {p.distance_m:,.0f} m "
              f"vs {p.single_order_distance_m:,.0f} m one by one ({time.perf_counter() - t0:.2f} s)")
    ids = wh.orders_between(t["orders"], as_of - timedelta(days=30), as_of - timedelta(days=1))
    month = wh.pick_lines(t["order_lines"], t["products"], t["inventory"], t["bins"], ids)
    t0 = time.perf_counter()
    s = wh.suggest_slotting(layout, month, wh.pick_bins(t["inventory"], t["bins"]), t["bins"], 20, "largest_gap")
    print(f"slotting top 20 over {s.n_orders} orders: {s.distance_before_m / 1000:.1f} -> "
          f"{s.distance_after_m / 1000:.1f} km ({s.saving_pct:.1f}% less) in {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    per_order = wh.compare_packaging(month, t["products"], t["cartons"], "C8", "co2e")
    print(f"packaging {len(ids)} orders (least CO2e vs C8) in {time.perf_counter() - t0:.1f} s")
    print(wh.summarise_packaging(per_order).to_string())


if __name__ == "__main__":
    main()
