"""The "northfield" onboarding client (issue 16): its typed CSVs in tests/data/onboarding/, a seeded Shopify orders
export and an Excel stock count built here, and the exact results each must give (see tests/data/README.md)."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent / "data"
FOLDER = DATA / "onboarding"
WORKSPACE = "northfield"
AS_OF = date(2026, 10, 31)
"""The workspace's as-of date: the last day of the Shopify export and the stock count's date."""
SALES_DAYS = 120
FIRST_DAY = AS_OF - timedelta(days=SALES_DAYS - 1)  # 2026-07-04
SEED = 16

CATALOGUE: dict[str, tuple[str, float, float, str]] = {
    # sku: (name as in the shop, sell price, cost price, vendor); the same figures as products.csv
    "BAK-037": ("Sourdough loaf 800 g", 3.50, 1.20, "Hearth Bakery"),
    "BAK-012": ("Seeded rye 600 g", 3.20, 1.05, "Hearth Bakery"),
    "BAK-051": ("All-butter croissant", 1.60, 0.45, "Hearth Bakery"),
    "DAI-001": ("Whole milk, 4 pint", 1.65, 1.10, "Dales Dairy"),
    "DAI-003": ("Double cream 1 l", 3.40, 2.15, "Dales Dairy"),
    "DAI-010": ("Farmhouse butter 250 g", 2.60, 1.40, "Dales Dairy"),
    "DEL-101": ("Smoked ham 200 g", 3.95, 2.05, "Pennine Charcuterie"),
    "DEL-205": ("Mature cheddar 350 g", 4.75, 2.60, "Pennine Charcuterie"),
    "AMB-300": ("Rapeseed oil 500 ml", 3.80, 1.90, "Pennine Charcuterie"),
}
SKUS = tuple(CATALOGUE)
CHEDDAR_OFFER = (date(2026, 9, 14), date(2026, 9, 20), 3.95)
"""DEL-205 sells at 3.95 (compare-at 4.75) in this week: those lines are promoted."""

# --- the typed CSVs: exact contents after import ---------------------------------------------------------------------
SITES = {"NF-BAKE": ("Northfield Bakehouse", "warehouse"), "NF-DELI": ("Northfield Deli", "depot")}
SUPPLIERS = {"SUP-MILL": "Aire Valley Mill", "SUP-DAIRY": "Dales Dairy Co-op", "SUP-DELI": "Pennine Charcuterie"}
PRODUCT_CLASSES = {"BAK-037": "fresh", "BAK-012": "fresh", "BAK-051": "fresh", "DAI-001": "chilled",
                   "DAI-003": "chilled", "DAI-010": "chilled", "DEL-101": "chilled", "DEL-205": "chilled",
                   "AMB-300": "ambient"}
BINS = {"A-01-1": "ambient", "A-01-2": "ambient", "A-02-1": "ambient", "C-01-1": "chilled", "C-01-2": "chilled",
        "C-02-1": "chilled", "D-01-1": "chilled", "D-02-1": "ambient"}

# --- the Excel stock count -------------------------------------------------------------------------------------------
STOCK_HEADER = ("Count Date", "Bin Location", "SKU", "Product", "Batch", "Qty on hand", "Unit Cost", "Value",
                "Received", "Use By")
STOCK: tuple[tuple[str, str, str, int, date, date], ...] = (
    # bin, sku, batch, units, received, use-by (the count is dated AS_OF)
    ("A-01-1", "BAK-037", "SD-3010", 18, date(2026, 10, 31), date(2026, 11, 3)),
    ("A-01-2", "BAK-012", "RY-3010", 12, date(2026, 10, 30), date(2026, 11, 3)),
    ("A-02-1", "BAK-051", "CR-3110", 40, date(2026, 10, 31), date(2026, 11, 2)),
    ("C-01-1", "DAI-001", "L27-10", 30, date(2026, 10, 27), date(2026, 11, 6)),
    ("C-01-1", "DAI-001", "L30-10", 24, date(2026, 10, 30), date(2026, 11, 9)),
    ("C-01-2", "DAI-003", "DC-2410", 15, date(2026, 10, 24), date(2026, 11, 7)),
    # a blank row in the sheet here
    ("C-02-1", "DAI-010", "FB-1010", 80, date(2026, 10, 10), date(2026, 12, 9)),
    ("D-01-1", "DEL-101", "HM-2010", 22, date(2026, 10, 20), date(2026, 11, 1)),
    ("D-01-1", "DEL-101", "HM-0510", 4, date(2026, 10, 5), date(2026, 10, 26)),
    ("D-01-1", "DEL-205", "CH-1509", 60, date(2026, 9, 15), date(2026, 12, 14)),
    ("D-02-1", "AMB-300", "RO-0108", 120, date(2026, 8, 1), date(2027, 7, 31)),
)
BLANK_AFTER = 6
"""Data rows above the blank row: the blank row is spreadsheet row 8 (header = row 1)."""
BLANK_ROW = BLANK_AFTER + 2
TOTAL_ROW = len(STOCK) + 3
"""The 'Total' line: spreadsheet row 14."""
STOCK_UNITS = 425
STOCK_VALUE = 693.15
"""sum(units x cost price) of the stock count, GBP: home shows it as '£693'."""
STOCK_VALUE_SHOWN = "£693"
EXPIRED_UNITS = 4
"""Units past their use-by on AS_OF (HM-0510, 26 Oct)."""
EXPIRING_UNITS = 92
"""Units within 3 days of their use-by (use-by 1-3 Nov: SD-3010, RY-3010, CR-3110, HM-2010)."""


def stock_workbook() -> bytes:
    """The stock count as an .xlsx: real date cells, a blank row after the sixth lot, a 'Total' line at the bottom."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Stock count"
    sheet.append(list(STOCK_HEADER))
    for i, (bin_id, sku, batch, units, received, use_by) in enumerate(STOCK):
        if i == BLANK_AFTER:
            sheet.append([])
        cost = CATALOGUE[sku][2]
        sheet.append([AS_OF, bin_id, sku, CATALOGUE[sku][0], batch, units, cost, round(units * cost, 2), received,
                      use_by])
    sheet.append(["Total", None, None, None, None, STOCK_UNITS, None, STOCK_VALUE, None, None])
    for row in sheet.iter_rows(min_row=2):
        for cell in (row[0], row[8], row[9]):
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the Shopify orders export ---------------------------------------------------------------------------------------
HEADER = (DATA / "shopify_orders.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
"""The 79 columns of a Shopify orders export, as in tests/data/shopify_orders.csv."""
ORDER_FIELDS = ("Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing",
                "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount",
                "Shipping Method", "Billing Name", "Billing City", "Billing Zip", "Billing Country", "Shipping Name",
                "Shipping City", "Shipping Zip", "Shipping Country", "Cancelled at", "Payment Method",
                "Payment Reference", "Refunded Amount", "Outstanding Balance", "Location", "Id", "Risk Level",
                "Source", "Tax 1 Name", "Tax 1 Value", "Payment ID", "Payment References")
"""Order-level fields: written on each order's first line only."""


@dataclass(frozen=True)
class Line:
    """One order line as generated (sku None for a shipping-protection or gift-card line)."""

    order: int
    day: date
    sku: str | None
    quantity: int
    price: float
    compare_at: float | None
    discount: float
    promoted: bool
    skipped: str | None
    """Why the import leaves the line out (cancelled or voided / from refunded orders / without a SKU), or None."""


def _orders(seed: int = SEED) -> list[tuple[dict[str, str], list[Line]]]:
    """Every order: its order-level fields and its lines, deterministic for ``seed``."""
    rng = random.Random(seed)
    orders: list[tuple[dict[str, str], list[Line]]] = []
    number = 2001
    for offset in range(SALES_DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        count = rng.randint(6, 11) + (3 if day.weekday() == 5 else 0)
        for minute in sorted(rng.randint(7 * 60, 21 * 60 + 59) for _ in range(count)):
            zone = "+0100" if day < date(2026, 10, 25) else "+0000"
            stamp = f"{day:%Y-%m-%d} {minute // 60:02d}:{minute % 60:02d}:{rng.randint(0, 59):02d} {zone}"
            web = rng.random() < 0.35
            fate = rng.random()
            cancelled, refunded = fate < 0.04, 0.04 <= fate < 0.07
            code = "AUTUMN10" if web and rng.random() < 0.12 else ""
            skip = "cancelled or voided" if cancelled else "from refunded orders" if refunded else None
            lines = []
            for sku in rng.sample(SKUS, rng.choice((1, 1, 2, 2, 3))):
                quantity = rng.randint(1, 4)
                price, compare = CATALOGUE[sku][1], None
                if sku == "DEL-205" and CHEDDAR_OFFER[0] <= day <= CHEDDAR_OFFER[1]:
                    price, compare = CHEDDAR_OFFER[2], CATALOGUE[sku][1]
                discount = 0.50 if not web and rng.random() < 0.05 else 0.0
                lines.append(Line(number, day, sku, quantity, price, compare, discount,
                                  bool(code) or compare is not None or discount > 0, skip))
            if web and rng.random() < 0.3:
                lines.append(Line(number, day, None, 1, 1.50, None, 0.0, False, skip or "without a SKU"))
            if rng.random() < 0.02:
                lines.append(Line(number, day, None, 1, 25.00, None, 0.0, False, skip or "without a SKU"))
            subtotal = sum(ln.quantity * ln.price - ln.discount for ln in lines)
            shipping = 3.95 if web else 0.0
            fields = {
                "Name": f"#{number}", "Email": f"customer{number}@example.com" if web else "",
                "Financial Status": "voided" if cancelled else "refunded" if refunded else "paid",
                "Paid at": "" if cancelled else stamp,
                "Fulfillment Status": "unfulfilled" if cancelled else "fulfilled",
                "Fulfilled at": "" if cancelled else stamp, "Accepts Marketing": "no", "Currency": "GBP",
                "Subtotal": f"{subtotal:.2f}", "Shipping": f"{shipping:.2f}", "Taxes": "0.00",
                "Total": f"{subtotal + shipping:.2f}", "Discount Code": code,
                "Discount Amount": f"{subtotal * 0.1:.2f}" if code else "0.00",
                "Shipping Method": "Standard" if web else "", "Created at": stamp,
                "Billing Name": "Sam Client" if web else "", "Billing City": "Leeds" if web else "",
                "Billing Zip": "LS6 2AB" if web else "", "Billing Country": "GB" if web else "",
                "Shipping Name": "Sam Client" if web else "", "Shipping City": "Leeds" if web else "",
                "Shipping Zip": "LS6 2AB" if web else "", "Shipping Country": "GB" if web else "",
                "Cancelled at": stamp if cancelled else "", "Payment Method": "Shopify Payments",
                "Payment Reference": f"c71{number:07d}.1",
                "Refunded Amount": f"{subtotal + shipping:.2f}" if refunded else "0.00", "Outstanding Balance": "0.00",
                "Location": "" if web else "Northfield Deli", "Id": f"71{number:08d}", "Risk Level": "Low",
                "Source": "web" if web else "pos", "Tax 1 Name": "VAT 0%", "Tax 1 Value": "0.00",
                "Payment ID": f"c71{number:07d}.1", "Payment References": f"c71{number:07d}.1"}
            orders.append((fields, lines))
            number += 1
    return orders


def shopify_export(seed: int = SEED) -> bytes:
    """The Shopify orders export (all 79 columns, one row per order line, order-level fields on the first line;
    every tenth order's later lines also lack ``Created at``), as UTF-8 CSV bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for fields, lines in _orders(seed):
        for i, ln in enumerate(lines):
            row = dict.fromkeys(HEADER, "")
            row.update(fields if i == 0 else {"Name": fields["Name"], "Email": fields["Email"]})
            if i == 0 or ln.order % 10:
                row["Created at"] = fields["Created at"]
            name = CATALOGUE[ln.sku][0] if ln.sku else ("Shipping protection" if ln.price < 2 else "Gift Card £25")
            row.update({
                "Lineitem quantity": str(ln.quantity), "Lineitem name": name, "Lineitem price": f"{ln.price:.2f}",
                "Lineitem compare at price": f"{ln.compare_at:.2f}" if ln.compare_at else "",
                "Lineitem sku": ln.sku or "", "Lineitem requires shipping": "true" if ln.sku else "false",
                "Lineitem taxable": "true", "Lineitem fulfillment status": "pending"
                if fields["Financial Status"] == "voided" else "fulfilled",
                "Vendor": CATALOGUE[ln.sku][3] if ln.sku else "Northfield", "Lineitem discount": f"{ln.discount:.2f}"})
            writer.writerow([row[c] for c in HEADER])
    return out.getvalue().encode("utf-8")


def expected_lines(seed: int = SEED) -> list[Line]:
    """Every generated line, in file order (row i of the file is line i - 2)."""
    return [ln for _, lines in _orders(seed) for ln in lines]


def expected_daily(seed: int = SEED) -> pd.DataFrame:
    """The daily sales rows the export must add up to, by construction: per (date, sku) of the lines kept, units
    summed, price = sum(units x price - line discount) / units, promoted if any line was."""
    used = [ln for ln in expected_lines(seed) if ln.skipped is None]
    frame = pd.DataFrame({"date": pd.to_datetime([ln.day for ln in used]), "sku": [ln.sku for ln in used],
                          "quantity": [ln.quantity for ln in used],
                          "revenue": [ln.quantity * ln.price - ln.discount for ln in used],
                          "promotion": [ln.promoted for ln in used]})
    daily = frame.groupby(["date", "sku"], as_index=False).agg(quantity=("quantity", "sum"),
                                                               revenue=("revenue", "sum"),
                                                               promotion=("promotion", "any"))
    daily["price"] = daily["revenue"] / daily["quantity"]
    return daily[["date", "sku", "quantity", "price", "promotion"]]


# Pinned figures of the seeded export (tests/data/README.md); a change to the generator must update them.
EXPORT_LINES = 2090
EXPORT_ROWS = 895
"""Daily sales rows: 120 days, 9 SKUs, channels pos and web."""
EXPORT_UNITS = 4583
EXPORT_REVENUE = 14252.10
"""sum(quantity x price) of the daily rows, GBP (line discounts taken off)."""
EXPORT_SKIPPED = {"without a SKU": 124, "cancelled or voided": 71, "from refunded orders": 55}
LAST_DAY = [("AMB-300", 5, 3.80, False), ("BAK-012", 7, 3.20, False), ("BAK-051", 10, 1.60, False),
            ("DAI-001", 3, 1.65, False), ("DAI-003", 11, 36.90 / 11, True), ("DAI-010", 6, 2.60, False),
            ("DEL-101", 7, 3.95, False), ("DEL-205", 5, 4.75, False)]
"""2026-10-31 (AS_OF) as imported: (sku, units, price, promotion); DAI-003 had a 0.50 line discount."""


def write_files(folder: Path) -> dict[str, Path]:
    """The client's files in ``folder`` as a browser uploads them: the three CSVs and products.csv copied, the
    export and the stock count written. Returns table -> file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: folder / f"{name}.csv" for name in ("sites", "suppliers", "products", "bins")}
    for path in files.values():
        path.write_bytes((FOLDER / path.name).read_bytes())
    files["sales"] = folder / "orders_export_1.csv"
    files["sales"].write_bytes(shopify_export())
    files["inventory"] = folder / "stock_count_31-10-2026.xlsx"
    files["inventory"].write_bytes(stock_workbook())
    return files
