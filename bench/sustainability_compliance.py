"""Timings of the footprint, the what-ifs and the compliance rules on the sample and a bigger generated business.

Run: ``.venv/bin/python bench/sustainability_compliance.py [n_customers]`` (default 240, four times the sample).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from opscore import compliance as co
from opscore import sustainability as su
from opscore.sample import SampleSpec, build_sample_workspace, generate, write_csvs
from opscore.store import Store, open_store


def _timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    print(f"  {label:<34} {1000 * (time.perf_counter() - t):8.0f} ms")
    return out


def bench(store: Store, title: str) -> None:
    print(f"{title}: {store.count('deliveries'):,} deliveries, {store.count('order_lines'):,} order lines, "
          f"{store.count('sensor_readings'):,} sensor readings")
    tables = _timed("read tables (footprint)", lambda: su.load_tables(store))
    factors = su.factors_from(tables["emission_factors"])
    acts = _timed("footprint activities", lambda: su.activities(tables))
    start, end = su.last_full_months(store.as_of())
    monthly = _timed("monthly footprint", lambda: su.monthly_footprint(acts, start, end))
    print(f"  -> {monthly['kg_co2e'].sum() / 1000:,.1f} t CO2e over {start} - {end}")
    days = su.van_day_emissions(tables, factors)
    days = days[(days["date"] >= pd.Timestamp(start)) & (days["date"] <= pd.Timestamp(end))]
    stops = su.delivery_stops(deliveries=tables["deliveries"], orders=tables["orders"],
                              customers=tables["customers"], vehicles=tables["vehicles"], sites=tables["sites"])
    _timed("what-if: 2 vans electric", lambda: su.switch_to_electric(days, tables["vehicles"], factors, n_vans=2))
    _timed("what-if: 3 delivery days", lambda: su.consolidate_delivery_days(stops, tables["vehicles"], factors, 3))
    ctables = _timed("read tables (compliance)", lambda: co.load_tables(store))
    rules = co.rules_from(ctables["compliance_rules"])
    found = _timed("run rules (GB hours)", lambda: co.run_rules(rules, ctables, store.as_of()))
    _timed("run rules (EU hours)", lambda: co.run_rules(co.use_drivers_hours_rules(rules, "EU"), ctables,
                                                         store.as_of()))
    report = co.month_report(found, store.as_of())
    _timed("month report to Excel", lambda: co.report_to_excel(report))
    print(f"  -> {len(found):,} violations")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        sample = build_sample_workspace(Path(tmp) / "sample.duckdb")
        store = open_store(sample, read_only=True)
        bench(store, "Sample")
        store.close()
        n = int(sys.argv[1]) if len(sys.argv) > 1 else 240
        folder = Path(tmp) / "big"
        write_csvs(generate(SampleSpec(n_customers=n)), folder)
        big = open_store(build_sample_workspace(Path(tmp) / "big.duckdb", folder), read_only=True)
        bench(big, f"Generated, {n} customers")
        big.close()
