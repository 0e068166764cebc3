"""Supplier benchmark: scorecard, ranking, sensitivity, risk register and disruption speed on the sample
and on a generated business with 600 SKUs.

Run: .venv/bin/python bench/suppliers.py
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from opscore import suppliers as sup
from opscore.inventory import build_inputs
from opscore.sample import SampleSpec, generate

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
DATES = {"purchase_orders": ["order_date", "promised_date", "received_date"], "sales": ["date"],
         "inventory": ["snapshot_date", "received_date", "expiry_date"]}


def _best_ms(fn: Callable[[], object], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return 1000 * best


def run(label: str, t: dict[str, pd.DataFrame]) -> None:
    for name, cols in DATES.items():
        for col in cols:
            t[name][col] = pd.to_datetime(t[name][col])
    as_of = t["inventory"]["snapshot_date"].max()
    start = as_of - pd.Timedelta(days=365)
    site = t["sites"].iloc[0]
    kpis = sup.supplier_kpis(t["purchase_orders"], start, as_of)
    eco = sup.eco_scores(t["suppliers"], site["lat"], site["lon"], t["emission_factors"])
    matrix = sup.decision_matrix(kpis, eco)
    weights = sup.default_weights()
    inputs = build_inputs(products=t["products"], sales=t["sales"], inventory=t["inventory"],
                          purchase_orders=t["purchase_orders"], as_of=as_of.date())
    print(f"\n{label}: {len(t['products'])} SKUs, {len(t['purchase_orders']):,} PO lines, "
          f"{len(t['sales']):,} sales rows")
    timings = {
        "supplier_kpis (12 months)": lambda: sup.supplier_kpis(t["purchase_orders"], start, as_of),
        "monthly_kpis (12 months)": lambda: sup.monthly_kpis(t["purchase_orders"], start, as_of),
        "rank_suppliers (TOPSIS)": lambda: sup.rank_suppliers(matrix, weights),
        "weight_sensitivity (6 criteria)": lambda: sup.weight_sensitivity(
            matrix.to_numpy(), list(weights.values()), [c.benefit for c in sup.CRITERIA]),
        "risk_register": lambda: sup.risk_register(
            purchase_orders=t["purchase_orders"], products=t["products"], suppliers=t["suppliers"], sales=t["sales"],
            inventory=t["inventory"], as_of=as_of),
        "build_inputs (inventory simulator inputs)": lambda: build_inputs(
            products=t["products"], sales=t["sales"], inventory=t["inventory"], purchase_orders=t["purchase_orders"],
            as_of=as_of.date()),
        "simulate_disruption (S7, 4 weeks, 5 options x 91 days x 200 runs)": lambda: sup.simulate_disruption(
            inputs, sup.Disruption("S7", 28)),
        "simulate_disruption (the page: 100 runs)": lambda: sup.simulate_disruption(
            inputs, sup.Disruption("S7", 28), replications=100),
    }
    for name, fn in timings.items():
        print(f"  {name:<66} {_best_ms(fn):8.1f} ms")
    res = sup.simulate_disruption(inputs, sup.Disruption("S7", 28))
    print(f"  S7 out 4 weeks ({len(res.skus)} SKUs):", res.recommendation)


def main() -> None:
    names = ("purchase_orders", "products", "suppliers", "sales", "inventory", "sites", "emission_factors")
    run("Sample", {n: pd.read_csv(SAMPLE / f"{n}.csv") for n in names})
    t0 = time.perf_counter()
    big = generate(SampleSpec(n_skus=600))
    print(f"\n(generated 600 SKUs in {time.perf_counter() - t0:.1f} s)")
    run("Generated", {n: big[n].copy() for n in names})


if __name__ == "__main__":
    main()
