"""Large-file import benchmark: a ~1 GB sales CSV (5,000 SKUs x 3 years) through opscore.io.bulk.import_large_file.

Generates the file once (cached in the system temp folder, outside git), builds a fresh workspace holding the 5,000
products and their suppliers, imports the file with ``mode="replace"``, checks it whole again as the Data page does
before asking about a refresh, then refreshes one month from a second file.
Prints the file size, rows, seconds, rows/s and the process's peak memory (ru_maxrss, which counts DuckDB's memory
too). The file is generated in a child process so its memory does not count. Target: <= 90 s and <= 2 GB peak on
the 2-core machine.

Run: .venv/bin/python bench/import_scale.py [--comma]   (--comma: ';'-separated, decimal commas, DD/MM/YYYY dates)
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from opscore.io.bulk import check_large_file, import_large_file
from opscore.store import open_store

FOLDER = Path(tempfile.gettempdir()) / "opscore-bench"
SKUS = 5_000
SUPPLIERS = 40
FIRST = date(2023, 1, 1)
DAYS = 1_095
CATEGORIES = ("Dairy", "Bakery", "Produce", "Frozen", "Drinks", "Household", "Snacks", "Meat")
STORES = ("Leeds Kirkstall Road", "York Monks Cross", "Harrogate Station Parade", "Bradford Forster Square",
          "Wakefield Westgate", "Huddersfield Market Street")
CHANNELS = ("in store", "online", "click and collect", "wholesale")


def _mb() -> float:
    """Peak resident memory of this process so far, MB (Linux reports ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _generate(path: Path, comma: bool, days: int, first: date, price_shift: float) -> None:
    """Write the sales CSV with DuckDB (in the child process): one row per SKU and day, plus columns the import
    ignores (product name, category, store, channel, revenue, currency, notes) as a real export carries them."""
    import duckdb

    sep = ";" if comma else ","
    day = "strftime(d, '%d/%m/%Y')" if comma else "strftime(d, '%Y-%m-%d')"
    money = (lambda x: f"replace(printf('%.2f', {x}), '.', ',')") if comma else (lambda x: f"printf('%.2f', {x})")
    cats = "[" + ", ".join(f"'{c}'" for c in CATEGORIES) + "]"
    stores = "[" + ", ".join(f"'{s}'" for s in STORES) + "]"
    channels = "[" + ", ".join(f"'{c}'" for c in CHANNELS) + "]"
    con = duckdb.connect()
    con.execute(f"""
        COPY (
          SELECT {day} AS date, printf('SKU-%05d', s) AS sku,
                 (hash(s, d) % 40)::INT AS quantity,
                 {money(f'(1 + (s % 97) / 7.0) * {price_shift}')} AS price,
                 CASE WHEN hash(d, s) % 11 = 0 THEN 'true' ELSE 'false' END AS promotion,
                 printf('Product %05d %s family pack', s, {cats}[1 + s % 8]) AS product_name,
                 {cats}[1 + s % 8] AS category,
                 {stores}[1 + (s % 6)] AS store, 'Yorkshire and the Humber' AS region,
                 printf('50%011d', s * 7919) AS barcode,
                 {channels}[1 + (hash(s, d, 1) % 4)::INT] AS channel,
                 {money('(hash(s, d) % 40) * (1 + (s % 97) / 7.0)')} AS revenue,
                 'GBP' AS currency,
                 CASE hash(s, d, 2) % 4
                      WHEN 0 THEN 'Delivered late; shelf restocked before noon, customer notified by email'
                      WHEN 1 THEN 'Price check requested by the store manager after the weekly planogram review'
                      ELSE '' END AS notes
          FROM range({days}) t(i), range(1, {SKUS} + 1) u(s),
               LATERAL (SELECT DATE '{first.isoformat()}' + i::INT AS d)
          ORDER BY d, s
        ) TO '{path}' (HEADER, DELIMITER '{sep}')""")


def _workspace(path: Path, as_of: date) -> None:
    """A fresh workspace holding the 5,000 products and their suppliers, written through the store API."""
    path.unlink(missing_ok=True)
    store = open_store(path)
    suppliers = pd.DataFrame({"supplier_id": [f"S{i:02d}" for i in range(SUPPLIERS)],
                              "name": [f"Supplier {i}" for i in range(SUPPLIERS)], "city": "Leeds",
                              "lat": 53.8, "lon": -1.55})
    n = range(1, SKUS + 1)
    products = pd.DataFrame({
        "sku": [f"SKU-{s:05d}" for s in n], "name": [f"Product {s:05d}" for s in n],
        "category": [CATEGORIES[s % 8] for s in n], "temperature_class": "ambient",
        "unit_cost": 1.0, "unit_price": 2.0, "weight_kg": 0.5, "length_cm": 10.0, "width_cm": 10.0, "height_cm": 10.0,
        "supplier_id": [f"S{s % SUPPLIERS:02d}" for s in n], "lead_time_days": 3, "moq": 1, "order_multiple": 1})
    with store.transaction() as writer:
        writer.append("suppliers", suppliers)
        writer.append("products", products)
        writer.set_meta("as_of_date", as_of.isoformat())
    store.close()


def _file(name: str, comma: bool, days: int, first: date, price_shift: float) -> Path:
    path = FOLDER / name
    if not path.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        partial = path.with_suffix(".part")
        subprocess.run([sys.executable, __file__, "--generate", str(partial), "--days", str(days),
                        "--first", first.isoformat(), "--shift", str(price_shift)] + (["--comma"] if comma else []),
                       check=True)
        partial.rename(path)
        print(f"generated {path} in {time.perf_counter() - t0:.0f} s")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comma", action="store_true", help="';' separator, decimal commas, DD/MM/YYYY dates")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, default=DAYS, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=date.fromisoformat, default=FIRST, help=argparse.SUPPRESS)
    parser.add_argument("--shift", type=float, default=1.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        _generate(args.generate, args.comma, args.days, args.first, args.shift)
        return
    kind = "comma" if args.comma else "point"
    big = _file(f"sales_3y_{kind}.csv", args.comma, DAYS, FIRST, 1.0)
    month_start = FIRST + timedelta(days=DAYS - 31)
    month = _file(f"sales_month_{kind}.csv", args.comma, 31, month_start, 1.1)
    workspace = FOLDER / "bench.duckdb"
    _workspace(workspace, FIRST + timedelta(days=DAYS))
    store = open_store(workspace)
    print(f"before import: peak memory {_mb():,.0f} MB")
    size_mb = big.stat().st_size / 1e6
    t0 = time.perf_counter()
    report = import_large_file(store, "sales", big, mode="replace")
    seconds = time.perf_counter() - t0
    assert report.ok, report.summary()
    rows = report.rows_written["sales"]
    print(f"replace: {size_mb:,.0f} MB, {rows:,} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s; "
          f"peak memory {_mb():,.0f} MB")
    print(f"  {report.summary()}")
    t0 = time.perf_counter()
    check = check_large_file(store, "sales", big, mode="refresh")
    seconds = time.perf_counter() - t0
    assert check.ok, check.summary()
    print(f"check before a refresh (the Data page's question, nothing written): {seconds:.1f} s; "
          f"peak memory {_mb():,.0f} MB")
    t0 = time.perf_counter()
    report = import_large_file(store, "sales", month, mode="refresh")
    seconds = time.perf_counter() - t0
    assert report.ok, report.summary()
    assert store.count("sales") == rows, "a refresh of an overlapping month must double nothing"
    print(f"refresh: {month.stat().st_size / 1e6:,.0f} MB, {report.rows_written['sales']:,} rows in {seconds:.1f} s "
          f"({report.rows_removed.get('sales', 0):,} replaced); table still {store.count('sales'):,} rows; "
          f"peak memory {_mb():,.0f} MB")
    store.close()


if __name__ == "__main__":
    main()
