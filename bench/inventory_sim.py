"""Benchmark: simulate 1,000 SKUs x 365 days x 200 replications on the sample-like generator.

Run: ``.venv/bin/python bench/inventory_sim.py [n_skus] [replications]``. Prints wall and CPU seconds
of the simulation alone (data generation and policy design are timed separately). Target: < 5 s.
Then times :func:`opscore.inventory.tune` on the same items (levels tuned until each meets its target)
and prints the average target against the average achieved.
"""

from __future__ import annotations

import sys
import time

import pandas as pd

from opscore.inventory.inputs import build_inputs
from opscore.inventory.planning import Settings, design, run
from opscore.inventory.tuning import tune
from opscore.sample import AS_OF, SampleSpec, generate


def main(n_skus: int = 1000, replications: int = 200, days: int = 365) -> None:
    t0 = time.perf_counter()
    tables = generate(SampleSpec(n_skus=n_skus))
    for name, cols in {"sales": ["date"], "inventory": ["snapshot_date", "received_date", "expiry_date"],
                       "purchase_orders": ["order_date", "promised_date", "received_date"]}.items():
        for col in cols:
            tables[name][col] = pd.to_datetime(tables[name][col])
    inputs = build_inputs(products=tables["products"], sales=tables["sales"], inventory=tables["inventory"],
                          purchase_orders=tables["purchase_orders"], as_of=AS_OF)
    settings = Settings()
    policy = design(inputs, settings)
    prep = time.perf_counter() - t0
    print(f"data generation + inputs + policy design: {prep:.1f} s (not part of the target)")
    print(f"simulating {n_skus} SKUs x {days} days x {replications} replications "
          f"= {n_skus * days * replications / 1e6:.0f} M SKU-days (target: wall < 5 s)")
    for workers in (1, 2):
        wall0, cpu0 = time.perf_counter(), time.process_time()
        result = run(inputs, settings, policy, days=days, replications=replications, workers=workers)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        tot = result.total.set_index("measure")
        print(f"  {workers} thread(s): wall {wall:.2f} s, CPU {cpu:.2f} s; "
              f"fill rate {tot.loc['fill_rate', 'mean']:.3f} "
              f"[{tot.loc['fill_rate', 'ci_low']:.3f}, {tot.loc['fill_rate', 'ci_high']:.3f}], "
              f"waste {tot.loc['waste_units', 'mean']:,.0f} units")
    wall0 = time.perf_counter()
    tuned = tune(inputs, settings, policy)
    print(f"tuning {n_skus} SKUs: wall {time.perf_counter() - wall0:.2f} s, {tuned.rounds} rounds; target "
          f"{tuned.mean_target:.2%} against achieved {tuned.mean_achieved:.2%}; "
          f"{len(tuned.active) - len(tuned.short)} of {len(tuned.active)} items meet their target")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
