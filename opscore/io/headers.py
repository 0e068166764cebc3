"""Match a file's header row to a table's columns, the way real shop and accounting exports name them.

A file column is matched to a table column by, from surest to least sure: the mapping remembered for files
with the same headers (see :func:`source_fingerprint`), the column's own name, a name a real export uses for it
(Shopify, Square, Lightspeed, Vend, SumUp, WooCommerce, Xero and QuickBooks inventory exports, German exports),
and a close spelling of one of those (a typo, a plural). Each table column takes at most one file column and
each file column feeds at most one table column; the surest match wins.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import Enum
from functools import lru_cache

from opscore.store.schema import Table


class Confidence(Enum):
    """How a match was made, surest first (the value is the label shown to users)."""

    REMEMBERED = "remembered from the last file"
    EXACT = "same name"
    KNOWN_NAME = "known export name"
    LIKELY = "similar name"


SCORES = {Confidence.REMEMBERED: 1.0, Confidence.EXACT: 1.0, Confidence.KNOWN_NAME: 0.95}
"""Score of each sure kind of match; a LIKELY match scores 0.9 times its similarity."""
LIKELY_SIMILARITY = 0.85
"""Least similarity (difflib ratio of the normalised names) for a LIKELY match: passes 'Unit Prcie' (0.9) and
'Quantiy' (0.93), refuses 'Customer Name' for a product name (0.56) and 'Price' for 'Cost Price' (0.67)."""
WORD_SIMILARITY = 0.75
"""Least similarity of each pair of words in a LIKELY match: 'prcie' is 'price' (0.8), 'name' is not 'number' (0.6)."""


@dataclass(frozen=True)
class HeaderMatch:
    """One file column matched to one table column."""

    source: str
    """The file's column name, as written."""
    target: str
    """The table column."""
    confidence: Confidence
    score: float
    """0-1: 1 for remembered and same-name matches, 0.95 for known export names, under 0.9 for similar names."""


COMMON: dict[str, tuple[str, ...]] = {
    "sku": ("SKU", "Item Code", "Product Code", "Article Number", "Article No", "Artikelnummer", "Art.-Nr.", "PLU",
            "Lineitem sku", "Variant SKU", "Item SKU", "Product SKU", "Stock Code", "Item Number", "Item No",
            "Part Number", "SKU Code", "Product", "Item", "Artikel", "Artikelnr"),
    "supplier_id": ("Supplier", "Supplier ID", "Supplier Code", "Supplier Number", "Vendor", "Vendor ID", "Vendor Code",
                    "Lieferant", "Lieferantennummer"),
    "customer_id": ("Customer", "Customer ID", "Customer Code", "Customer Number", "Customer No", "Account Number",
                    "Account Code", "Kundennummer"),
    "vehicle_id": ("Vehicle", "Vehicle ID", "Van", "Registration", "Vehicle Reg", "Reg", "Fahrzeug"),
    "order_id": ("Order", "Order ID", "Order Number", "Order No", "Order Ref", "Order Reference", "Bestellnummer"),
    "site_id": ("Site", "Site ID", "Site Code", "Warehouse", "Warehouse ID", "Depot", "Location", "Location ID"),
    "asset_id": ("Asset", "Asset ID", "Asset Number", "Asset Tag", "Equipment", "Equipment ID", "Anlage"),
    "po_id": ("PO", "PO Number", "PO No", "PO ID", "Purchase Order", "Purchase Order Number", "Bestellnr"),
    "lat": ("Latitude", "Lat", "Breitengrad"),
    "lon": ("Longitude", "Long", "Lng", "Lon", "Längengrad"),
    "name": ("Name", "Bezeichnung"),
    "category": ("Category", "Kategorie"),
    "length_cm": ("Length", "Length (cm)", "Depth", "Länge"),
    "width_cm": ("Width", "Width (cm)", "Breite"),
    "height_cm": ("Height", "Height (cm)", "Höhe"),
}
"""Names for columns that several tables share; a table's own list (:data:`KNOWN`) takes a name first."""

KNOWN: dict[str, dict[str, tuple[str, ...]]] = {
    "sites": {
        "site_id": ("Code",),
        "name": ("Site Name", "Warehouse Name", "Location Name"),
        "kind": ("Type", "Site Type"),
        "address": ("Address", "Street", "Address Line 1", "Full Address", "Adresse", "Anschrift"),
    },
    "suppliers": {
        "supplier_id": ("Code",),
        "name": ("Supplier Name", "Vendor Name", "Company", "Company Name", "Contact Name", "Lieferantenname", "Firma"),
        "city": ("City", "Town", "Ort", "Stadt"),
        "certifications": ("Certifications", "Certificates", "Certification", "Accreditations"),
        "recyclable_packaging_share": ("Recyclable Packaging", "Recyclable Share", "Recyclable Packaging Share",
                                       "Recyclable %"),
        "recovery_days": ("Recovery Days", "Recovery Time", "Days to Recover"),
    },
    "products": {
        "sku": ("Code",),
        "name": ("Product Name", "Item Name", "Title", "Product Title", "Description", "Item Description",
                 "Produktname", "Artikelbezeichnung"),
        "category": ("Product Category", "Product Type", "Type", "Product Group", "Group", "Department",
                     "Reporting Category", "Warengruppe"),
        "temperature_class": ("Storage", "Storage Type", "Temperature", "Temperature Class", "Storage Class", "Temp",
                              "Lagerung"),
        "unit_cost": ("Cost Price", "Cost", "Unit Cost", "Purchase Price", "Buy Price", "Cost per item", "Supply Price",
                      "Default Cost", "Average Cost", "Einkaufspreis", "EK"),
        "unit_price": ("Sell Price", "Retail Price", "Price", "RRP", "Selling Price", "Sale Price", "Unit Price",
                       "Variant Price", "Regular Price", "Verkaufspreis", "VK"),
        "weight_kg": ("Weight", "Weight (kg)", "Unit Weight", "Net Weight", "Gewicht"),
        "shelf_life_days": ("Shelf Life", "Shelf Life (days)", "Days to Expiry", "Haltbarkeit"),
        "lead_time_days": ("Lead Time", "Lead Time (days)", "Supplier Lead Time", "Delivery Time", "Lieferzeit"),
        "moq": ("MOQ", "Minimum Order Quantity", "Min Order Qty", "Minimum Order", "Min Qty", "Mindestbestellmenge"),
        "order_multiple": ("Order Multiple", "Pack Size", "Case Size", "Case Quantity", "Units per Case",
                           "Order Increment", "Carton Quantity", "Verpackungseinheit"),
    },
    "bins": {
        "bin_id": ("Bin", "Bin ID", "Bin Code", "Location Code", "Lagerplatz"),
        "zone": ("Temperature Zone", "Storage Zone", "Storage"),
        "aisle": ("Aisle", "Gang"),
        "bay": ("Bay", "Rack", "Regal"),
        "level": ("Level", "Shelf", "Tier", "Ebene"),
        "capacity_units": ("Capacity", "Capacity (units)", "Max Units", "Max Capacity", "Kapazität"),
    },
    "inventory": {
        "snapshot_date": ("Snapshot Date", "Date", "Stock Date", "Count Date", "As Of", "As at", "Report Date",
                          "Stichtag", "Datum"),
        "bin_id": ("Bin", "Bin ID", "Bin Location", "Location", "Storage Location", "Lagerplatz"),
        "lot": ("Lot", "Lot Number", "Lot No", "Batch", "Batch Number", "Batch No", "Charge", "Chargennummer"),
        "quantity": ("On Hand", "Stock", "Qty on hand", "Quantity on Hand", "Stock on Hand", "SOH", "Available",
                     "Inventory Available", "In Stock", "Current Stock", "Stock Level", "Quantity", "Qty", "Units",
                     "Inventory", "Bestand", "Menge"),
        "received_date": ("Received", "Received Date", "Date Received", "Goods In Date", "Receipt Date",
                          "Eingangsdatum"),
        "expiry_date": ("Expiry", "Expiry Date", "Use By", "Use-by Date", "Best Before", "BBE", "Expiration Date",
                        "Exp Date", "MHD", "Ablaufdatum"),
    },
    "sales": {
        "date": ("Date", "Sale Date", "Sales Date", "Created at", "Order Date", "Day", "Transaction Date", "Paid at",
                 "Datum", "Verkaufsdatum"),
        "quantity": ("Units Sold", "Qty Sold", "Quantity", "Qty", "Units", "Lineitem quantity", "Sold",
                     "Quantity Sold", "Items Sold", "Net Quantity", "Sales Qty", "Menge", "Anzahl"),
        "price": ("Unit Price", "Avg Price", "Average Price", "Price", "Sell Price", "Selling Price", "Lineitem price",
                  "Average Selling Price", "ASP", "Sale Price", "Item Price", "Preis", "Verkaufspreis"),
        "promotion": ("Promotion", "Promo", "On Promotion", "On Promo", "Promo Flag", "Discounted", "Aktion"),
    },
    "stock_history": {
        "date": ("Date", "Stock Date", "Day", "Business Date", "Report Date", "As Of", "Datum", "Stichtag",
                 "Buchungsdatum", "Tag"),
        "on_hand": ("Closing Stock", "Closing Balance", "Closing Qty", "Closing Quantity", "End of Day Stock",
                    "EOD Stock", "Stock on Hand", "On Hand", "Qty on hand", "Quantity on Hand", "SOH", "Stock Level",
                    "Stock", "Quantity", "Qty", "Endbestand", "Schlussbestand", "Lagerbestand", "Bestand", "Menge"),
    },
    "customers": {
        "customer_id": ("Code", "ID"),
        "name": ("Customer Name", "Company", "Company Name", "Business Name", "Account Name", "Firma"),
        "segment": ("Segment", "Customer Type", "Type", "Channel", "Customer Group"),
        "postcode": ("Postcode", "Post Code", "Postal Code", "Zip", "Zip Code", "Shipping Zip", "PLZ"),
        "window_start": ("Window Start", "Delivery From", "Earliest", "Earliest Delivery", "Opening Time", "Opens"),
        "window_end": ("Window End", "Delivery To", "Latest", "Latest Delivery", "Closing Time", "Closes"),
        "service_minutes": ("Service Minutes", "Service Time", "Drop Time", "Minutes on Site", "Stop Time",
                            "Unload Time"),
    },
    "vehicles": {
        "vehicle_id": ("ID", "Code"),
        "name": ("Vehicle Name",),
        "type": ("Type", "Vehicle Type"),
        "fuel": ("Fuel", "Fuel Type"),
        "capacity_kg": ("Capacity", "Capacity (kg)", "Payload", "Payload (kg)", "Max Load"),
        "capacity_m3": ("Volume", "Capacity (m3)", "Load Volume", "Cubic Capacity"),
        "gross_weight_kg": ("GVW", "Gross Weight", "Gross Vehicle Weight"),
        "cost_per_km": ("Cost per km", "Cost/km", "Running Cost"),
        "cost_per_hour": ("Cost per hour", "Cost/hour", "Driver Cost", "Hourly Cost", "Driver Rate"),
        "range_km": ("Range", "Range (km)"),
        "shift_start": ("Shift Start", "Start Time", "Start"),
        "shift_end": ("Shift End", "End Time", "Finish", "End"),
        "depot_id": ("Depot", "Depot ID", "Home Depot", "Base", "Site"),
    },
    "orders": {
        "order_date": ("Order Date", "Date", "Created at", "Order Placed", "Bestelldatum"),
        "delivery_date": ("Delivery Date", "Due Date", "Ship Date", "Requested Date", "Required Date", "Delivery Day",
                          "Lieferdatum"),
        "status": ("Status", "Order Status", "Fulfillment Status", "State"),
    },
    "order_lines": {
        "line_no": ("Line", "Line No", "Line Number", "Line Item", "Position", "Pos"),
        "quantity": ("Quantity", "Qty", "Units", "Lineitem quantity", "Qty Ordered", "Ordered Quantity", "Menge"),
    },
    "deliveries": {
        "delivery_id": ("Delivery", "Delivery ID", "Delivery Number", "Stop ID", "Shipment ID", "Consignment"),
        "attempt": ("Attempt", "Attempt No", "Attempt Number"),
        "planned_date": ("Planned Date", "Delivery Date", "Scheduled Date", "Route Date"),
        "planned_arrival": ("Planned Arrival", "Planned Time", "ETA", "Scheduled Time", "Scheduled Arrival"),
        "actual_arrival": ("Actual Arrival", "Arrived", "Arrival Time", "Delivered At", "Actual Time"),
        "outcome": ("Outcome", "Result", "Status", "Delivery Status"),
        "failure_reason": ("Failure Reason", "Reason", "Fail Reason", "Exception"),
    },
    "delivery_events": {
        "event_id": ("Event", "Event ID"),
        "kind": ("Kind", "Event Type", "Type"),
        "ts": ("Timestamp", "Time", "Date Time", "Datetime", "Event Time"),
        "reason": ("Reason", "Failure Reason"),
        "source": ("Source",),
    },
    "purchase_orders": {
        "po_id": ("Order Number", "Order No", "Reference"),
        "order_date": ("Order Date", "Date Ordered", "PO Date", "Date", "Bestelldatum"),
        "promised_date": ("Promised Date", "Due Date", "Expected Date", "Expected Delivery", "Delivery Date", "ETA",
                          "Zugesagt", "Liefertermin"),
        "received_date": ("Received Date", "Date Received", "Receipt Date", "Eingang", "Eingangsdatum"),
        "qty_ordered": ("Qty Ordered", "Quantity Ordered", "Ordered Quantity", "Order Qty", "Quantity", "Qty",
                        "Menge bestellt", "Bestellmenge"),
        "qty_received": ("Qty Received", "Quantity Received", "Received Quantity", "Received Qty", "Menge erhalten"),
        "qty_defective": ("Qty Defective", "Defective", "Qty Rejected", "Rejected", "Damaged", "Menge defekt"),
        "unit_price": ("Unit Price", "Unit Cost", "Price", "Cost", "Cost Price", "Purchase Price", "Buy Price",
                       "Stückpreis", "Stueckpreis", "Einzelpreis"),
    },
    "assets": {
        "name": ("Asset Name", "Equipment Name", "Description"),
        "type": ("Type", "Asset Type", "Equipment Type", "Category"),
        "install_date": ("Install Date", "Installed", "Installation Date", "Commissioned", "In Service Date"),
        "preventive_cost": ("Preventive Cost", "Service Cost", "PM Cost", "Planned Maintenance Cost"),
        "failure_cost": ("Failure Cost", "Repair Cost", "Breakdown Cost"),
        "downtime_cost_per_hour": ("Downtime Cost", "Downtime Cost per Hour", "Cost of Downtime"),
        "service_hours": ("Service Hours", "Service Time", "PM Hours"),
    },
    "maintenance_events": {
        "event_id": ("Event", "Event ID", "Work Order", "Work Order Number", "WO", "Job", "Job Number"),
        "date": ("Date", "Event Date", "Work Date", "Completed", "Completed Date"),
        "kind": ("Type", "Work Type", "Event Type", "Job Type"),
        "downtime_hours": ("Downtime", "Downtime Hours", "Hours Down"),
        "cost": ("Cost", "Total Cost", "Amount", "Invoice Amount"),
    },
    "sensor_readings": {
        "ts": ("Timestamp", "Time", "Date Time", "Datetime", "Reading Time", "Date"),
        "temperature_c": ("Temperature", "Temp", "Temperature C", "Temp C"),
        "vibration_mm_s": ("Vibration", "Vibration (mm/s)", "Velocity RMS"),
        "run_hours": ("Run Hours", "Hours Run", "Runtime", "Operating Hours"),
        "load_pct": ("Load", "Load Percent", "Utilisation", "Utilization"),
    },
    "cartons": {
        "carton_id": ("Carton", "Carton ID", "Box", "Box ID", "Box Code"),
        "name": ("Carton Name", "Box Name", "Description"),
        "max_weight_kg": ("Max Weight", "Max Weight (kg)", "Weight Limit", "Max Load"),
        "tare_weight_kg": ("Tare", "Tare Weight", "Empty Weight", "Box Weight"),
        "material": ("Material",),
        "cost": ("Cost", "Price", "Unit Cost", "Cost per Carton"),
    },
    "emission_factors": {
        "factor_id": ("Factor ID", "ID", "Code"),
        "unit": ("Unit", "Units", "Activity Unit"),
        "kg_co2e": ("kg CO2e", "CO2e", "kgCO2e", "Emission Factor", "Conversion Factor", "Factor"),
        "source": ("Source", "Reference"),
        "year": ("Year",),
    },
    "compliance_rules": {
        "rule_id": ("Rule", "Rule ID", "ID", "Code"),
        "regulation": ("Regulation", "Law", "Legislation"),
        "check": ("Check", "Check Type"),
        "threshold": ("Threshold", "Limit", "Value"),
        "severity": ("Severity", "Level", "Priority"),
        "enabled": ("Enabled", "Active"),
    },
}
"""Names real exports use for each table's columns, most specific first."""


@lru_cache(maxsize=4096)
def normalise(name: str) -> str:
    """A header as compared: accents dropped (Stückpreis -> stuckpreis), case folded, words split on anything but
    letters and digits (``Units_Sold``, ``units sold`` and ``UNITS-SOLD`` are one name)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", str(name)) if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", folded.casefold()))


def _forms(name: str) -> set[str]:
    """The normalised name, also without a bracketed unit or a currency sign (``Price (GBP)``, ``Price £``)."""
    bare = re.sub(r"[(\[].*?[)\]]|[£€$¥%#]", " ", str(name))
    return {f for f in (normalise(name), normalise(bare)) if f}


def known_names(table: Table) -> dict[str, tuple[str, ...]]:
    """Each column of ``table`` with the export names taken for it (a name goes to one column only)."""
    own = KNOWN.get(table.name, {})
    taken: set[str] = set()
    names: dict[str, tuple[str, ...]] = {}
    for source in (own, COMMON):
        for col in table.column_names:
            fresh = tuple(n for n in source.get(col, ()) if normalise(n) not in taken)
            taken |= {normalise(n) for n in fresh}
            names[col] = names.get(col, ()) + fresh
    return names


@lru_cache(maxsize=64)
def _targets(table: Table) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Per column of ``table``: its name, its name normalised, and its known names normalised (most specific first)."""
    known = known_names(table)
    return tuple((col, normalise(col), tuple(normalise(n) for n in known[col])) for col in table.column_names)


def _similarity(a: str, b: str) -> float:
    """difflib ratio of two normalised names whose words pair up (as many words, each pair at least
    :data:`WORD_SIMILARITY` alike); 0 otherwise, so 'customer name' is not 'customer number'."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b) or SequenceMatcher(None, a, b).quick_ratio() < LIKELY_SIMILARITY:
        return 0.0
    if any(SequenceMatcher(None, x, y).ratio() < WORD_SIMILARITY for x, y in zip(words_a, words_b)):
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def _candidates(source: str, table: Table, remembered: Mapping[str, str]) -> list[tuple[int, float, int, HeaderMatch]]:
    """Every acceptable match of ``source``: (kind rank, -score, known-name rank, match)."""
    forms = _forms(source)
    compact = {f.replace(" ", "") for f in forms}
    found: list[tuple[int, float, int, HeaderMatch]] = []

    def add(target: str, confidence: Confidence, score: float, rank: int = 0) -> None:
        kind = list(Confidence).index(confidence)
        found.append((kind, -score, rank, HeaderMatch(source, target, confidence, round(score, 3))))

    for file_column, target in remembered.items():
        if target in table.column_names and normalise(file_column) in forms:
            add(target, Confidence.REMEMBERED, SCORES[Confidence.REMEMBERED])
    for col, own, names in _targets(table) if forms else ():
        if own.replace(" ", "") in compact:
            add(col, Confidence.EXACT, SCORES[Confidence.EXACT])
        hits = [i for i, n in enumerate(names) if n.replace(" ", "") in compact]
        if hits:
            add(col, Confidence.KNOWN_NAME, SCORES[Confidence.KNOWN_NAME], hits[0])
            continue
        similarity = max(_similarity(f, n) for f in forms for n in (own, *names))
        if similarity >= LIKELY_SIMILARITY:
            add(col, Confidence.LIKELY, 0.9 * similarity)
    return found


def match_headers(source_columns: Iterable[str], table: Table,
                  remembered: Mapping[str, str] | None = None) -> tuple[HeaderMatch, ...]:
    """Match file columns to the columns of ``table``, in the file's column order (unmatched columns left out).

    ``remembered`` is the mapping (file column -> table column) kept for files with the same headers; its entries
    win. Otherwise the surest kind of match wins, then the higher score, then the more specific known name; the
    outcome does not depend on the order of the file's columns.
    """
    sources = [str(c) for c in source_columns]
    candidates = [c for s in sources for c in _candidates(s, table, remembered or {})]
    candidates.sort(key=lambda c: (c[0], c[1], c[2], normalise(c[3].source), c[3].source))
    chosen: dict[str, HeaderMatch] = {}
    used: set[str] = set()
    for *_, match in candidates:
        if match.source not in chosen and match.target not in used:
            chosen[match.source] = match
            used.add(match.target)
    return tuple(chosen[s] for s in dict.fromkeys(sources) if s in chosen)


def source_fingerprint(columns: Iterable[str]) -> str:
    """A stable id of a header row: the same for any order, case or spacing of the same names (next month's export
    of the same report), different when a column is added, removed or renamed."""
    names = sorted(normalise(str(c)) for c in columns)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]
