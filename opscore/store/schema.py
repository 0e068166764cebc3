"""The workspace data model: every table, its columns, keys and checks.

The schema is data, so the store (DDL), the importer (validation) and the docs
(`docs/data-model.md`) all read the same definition. Column kinds:

- ``text``, ``int``, ``float``, ``bool``
- ``date`` (calendar day), ``timestamp`` (local time, no zone)
- ``time`` (time of day as ``HH:MM`` text, e.g. a delivery window bound)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypedDict, Unpack

Kind = Literal["text", "int", "float", "bool", "date", "timestamp", "time"]

SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "time": "VARCHAR",
}


@dataclass(frozen=True)
class Column:
    """One column: its kind, whether a value is required, and its checks."""

    name: str
    kind: Kind
    required: bool = True
    description: str = ""
    minimum: float | None = None
    """Smallest allowed value (numbers only), e.g. 0 for quantities."""
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    """Allowed values (text only)."""
    references: str | None = None
    """Foreign key as ``table.column``."""
    not_in_future: bool = False
    """Dates/times must not lie after the workspace's as-of date."""


@dataclass(frozen=True)
class Table:
    """A table: ordered columns and the columns forming its primary key."""

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    user_data: bool = True
    """True for business data a user imports; False for app-managed tables."""
    import_page: str | None = None
    """The page that imports this table with checks of its own (the generic Data page import then refuses it)."""
    indexes: tuple[tuple[str, ...], ...] = field(default=())
    refresh_by: str | None = None
    """Date column a refresh ("add rows") replaces by range: every stored row whose date lies within the file's
    first and last date is replaced by the file's rows, so re-importing an overlapping month doubles nothing.
    Tables without one are refreshed by key: a file row replaces the stored row with the same key."""

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


class _Checks(TypedDict, total=False):
    """The optional checks of a :class:`Column`, as keyword arguments to :func:`_c` / :func:`_opt`."""

    minimum: float | None
    maximum: float | None
    choices: tuple[str, ...] | None
    references: str | None
    not_in_future: bool


def _c(name: str, kind: Kind, description: str = "", **kw: Unpack[_Checks]) -> Column:
    return Column(name, kind, description=description, **kw)


def _opt(name: str, kind: Kind, description: str = "", **kw: Unpack[_Checks]) -> Column:
    return Column(name, kind, required=False, description=description, **kw)


NONNEG: _Checks = {"minimum": 0.0}

TABLES: tuple[Table, ...] = (
    Table(
        "workspace_meta",
        "Workspace settings as key/value text: name, as_of_date, currency, data_version.",
        (_c("key", "text"), _c("value", "text")),
        ("key",),
        user_data=False,
    ),
    Table(
        "sites",
        "Warehouses and depots the business runs from.",
        (
            _c("site_id", "text", "Site code"),
            _c("name", "text"),
            _c("kind", "text", choices=("warehouse", "depot", "pickup")),
            _c("lat", "float", "Latitude, degrees", minimum=-90, maximum=90),
            _c("lon", "float", "Longitude, degrees", minimum=-180, maximum=180),
            _opt("address", "text"),
        ),
        ("site_id",),
    ),
    Table(
        "suppliers",
        "Suppliers with location, certifications and packaging recyclability.",
        (
            _c("supplier_id", "text"),
            _c("name", "text"),
            _c("city", "text"),
            _c("lat", "float", "Latitude, degrees", minimum=-90, maximum=90),
            _c("lon", "float", "Longitude, degrees", minimum=-180, maximum=180),
            _opt("certifications", "text", "Semicolon-separated, e.g. 'ISO 14001;BRCGS'"),
            _opt("recyclable_packaging_share", "float", "Share of packaging recyclable, 0-1", minimum=0, maximum=1),
            _opt("recovery_days", "int", "Estimated days to recover after a disruption", **NONNEG),
        ),
        ("supplier_id",),
    ),
    Table(
        "products",
        "Stock-keeping units (SKUs) with cost, price, size and replenishment terms.",
        (
            _c("sku", "text", "Stock-keeping unit code"),
            _c("name", "text"),
            _c("category", "text", "Product group, e.g. Dairy"),
            _c("temperature_class", "text", choices=("ambient", "chilled", "fresh", "frozen")),
            _c("unit_cost", "float", "Purchase cost per unit, GBP", **NONNEG),
            _c("unit_price", "float", "Selling price per unit, GBP", **NONNEG),
            _c("weight_kg", "float", "Weight per unit, kg", **NONNEG),
            _c("length_cm", "float", "Unit length, cm", **NONNEG),
            _c("width_cm", "float", "Unit width, cm", **NONNEG),
            _c("height_cm", "float", "Unit height, cm", **NONNEG),
            _opt("shelf_life_days", "int", "Days from receipt to use-by; empty = does not expire", minimum=1),
            _c("supplier_id", "text", "Main supplier", references="suppliers.supplier_id"),
            _c("lead_time_days", "int", "Quoted supplier lead time, days", **NONNEG),
            _c("moq", "int", "Minimum order quantity, units", **NONNEG),
            _c("order_multiple", "int", "Orders are placed in multiples of this, units", minimum=1),
        ),
        ("sku",),
    ),
    Table(
        "bins",
        "Storage locations in the warehouse, addressed as aisle / bay / level.",
        (
            _c("bin_id", "text"),
            _c("site_id", "text", references="sites.site_id"),
            _c("zone", "text", choices=("ambient", "chilled", "frozen")),
            _c("aisle", "int", minimum=1),
            _c("bay", "int", minimum=1),
            _c("level", "int", minimum=1),
            _c("capacity_units", "int", **NONNEG),
        ),
        ("bin_id",),
    ),
    Table(
        "inventory",
        "Stock on hand per snapshot date, bin, SKU and lot (with its use-by date).",
        (
            _c("snapshot_date", "date", not_in_future=True),
            _c("bin_id", "text", references="bins.bin_id"),
            _c("sku", "text", references="products.sku"),
            _c("lot", "text", "Lot or batch code"),
            _c("quantity", "int", "Units on hand", **NONNEG),
            _c("received_date", "date", not_in_future=True),
            _opt("expiry_date", "date", "Use-by date"),
        ),
        ("snapshot_date", "bin_id", "sku", "lot"),
        refresh_by="snapshot_date",
    ),
    Table(
        "sales",
        "Daily units sold per SKU, with the price charged and a promotion flag.",
        (
            _c("date", "date", not_in_future=True),
            _c("sku", "text", references="products.sku"),
            _c("quantity", "int", "Units sold", **NONNEG),
            _c("price", "float", "Average selling price that day, GBP", **NONNEG),
            _c("promotion", "bool", "A promotion ran that day"),
        ),
        ("date", "sku"),
        indexes=(("sku",),),
        refresh_by="date",
    ),
    Table(
        "stock_history",
        "Closing stock per SKU and day (a daily stock report). A day that ends with nothing in stock is a stock-out: "
        "its sales understate demand, so forecasts leave it out.",
        (
            _c("sku", "text", "Stock-keeping unit code", references="products.sku"),
            _c("date", "date", not_in_future=True),
            _c("on_hand", "float", "Units in stock at the end of the day (closing stock)", **NONNEG),
        ),
        ("sku", "date"),
        refresh_by="date",
    ),
    Table(
        "customers",
        "Delivery customers with location, segment and preferred delivery window.",
        (
            _c("customer_id", "text"),
            _c("name", "text"),
            _c("segment", "text", "e.g. restaurant, cafe, retailer"),
            _c("lat", "float", "Latitude, degrees", minimum=-90, maximum=90),
            _c("lon", "float", "Longitude, degrees", minimum=-180, maximum=180),
            _opt("postcode", "text"),
            _c("window_start", "time", "Preferred delivery window start, HH:MM"),
            _c("window_end", "time", "Preferred delivery window end, HH:MM"),
            _c("service_minutes", "float", "Time on site per delivery, minutes", **NONNEG),
        ),
        ("customer_id",),
    ),
    Table(
        "vehicles",
        "Delivery vehicles: fuel, capacity, costs and shift.",
        (
            _c("vehicle_id", "text"),
            _c("name", "text"),
            _c("type", "text", "e.g. small van, large van"),
            _c("fuel", "text", choices=("diesel", "petrol", "electric")),
            _c("capacity_kg", "float", "Payload, kg", **NONNEG),
            _c("capacity_m3", "float", "Load volume, cubic metres", **NONNEG),
            _c("gross_weight_kg", "float", "Gross vehicle weight limit, kg", **NONNEG),
            _c("cost_per_km", "float", "Running cost, GBP per km", **NONNEG),
            _c("cost_per_hour", "float", "Driver cost, GBP per hour", **NONNEG),
            _opt("range_km", "float", "Range on a full tank or charge, km", **NONNEG),
            _c("shift_start", "time", "HH:MM"),
            _c("shift_end", "time", "HH:MM"),
            _c("depot_id", "text", references="sites.site_id"),
        ),
        ("vehicle_id",),
    ),
    Table(
        "orders",
        "Customer orders and the day they are due for delivery.",
        (
            _c("order_id", "text"),
            _c("customer_id", "text", references="customers.customer_id"),
            _c("order_date", "date", not_in_future=True),
            _c("delivery_date", "date"),
            _c("status", "text", choices=("open", "planned", "delivered", "failed", "cancelled")),
        ),
        ("order_id",),
        indexes=(("delivery_date",),),
    ),
    Table(
        "order_lines",
        "The SKUs and quantities on each order.",
        (
            _c("order_id", "text", references="orders.order_id"),
            _c("line_no", "int", minimum=1),
            _c("sku", "text", references="products.sku"),
            _c("quantity", "int", "Units ordered", minimum=1),
        ),
        ("order_id", "line_no"),
    ),
    Table(
        "deliveries",
        "Each delivery attempt: planned and actual arrival and its outcome.",
        (
            _c("delivery_id", "text"),
            _c("order_id", "text", references="orders.order_id"),
            _c("vehicle_id", "text", references="vehicles.vehicle_id"),
            _c("attempt", "int", "1 for the first attempt", minimum=1),
            _c("planned_date", "date"),
            _c("planned_arrival", "timestamp"),
            _opt("actual_arrival", "timestamp", not_in_future=True),
            _c("outcome", "text", choices=("pending", "delivered", "failed")),
            _opt("failure_reason", "text", "e.g. customer absent, access problem"),
        ),
        ("delivery_id",),
        indexes=(("planned_date",),),
    ),
    Table(
        "delivery_events",
        "What happened on the road: departures, arrivals, deliveries, failed attempts and position pings.",
        (
            _c("event_id", "text"),
            _c("vehicle_id", "text", references="vehicles.vehicle_id"),
            _opt("order_id", "text", "The order the event is about (empty for pings and departures)",
                 references="orders.order_id"),
            _c("kind", "text", choices=("departed", "arrived", "delivered", "failed", "ping")),
            _c("ts", "timestamp", "When it happened (local time)"),
            _opt("lat", "float", "Latitude, degrees", minimum=-90, maximum=90),
            _opt("lon", "float", "Longitude, degrees", minimum=-180, maximum=180),
            _opt("reason", "text", "Why an attempt failed"),
            _c("source", "text", choices=("csv", "cli", "simulated", "app")),
        ),
        ("event_id",),
        indexes=(("vehicle_id", "ts"),),
        import_page="Tracking",
    ),
    Table(
        "purchase_orders",
        "Purchase order lines: dates ordered, promised and received; quantities and price.",
        (
            _c("po_id", "text"),
            _c("supplier_id", "text", references="suppliers.supplier_id"),
            _c("sku", "text", references="products.sku"),
            _c("order_date", "date", not_in_future=True),
            _c("promised_date", "date"),
            _opt("received_date", "date", "Empty while the order is open", not_in_future=True),
            _c("qty_ordered", "int", minimum=1),
            _opt("qty_received", "int", **NONNEG),
            _opt("qty_defective", "int", **NONNEG),
            _c("unit_price", "float", "GBP per unit", **NONNEG),
        ),
        ("po_id",),
    ),
    Table(
        "assets",
        "Equipment that can fail: chillers, forklifts, vans.",
        (
            _c("asset_id", "text"),
            _c("name", "text"),
            _c("type", "text", "e.g. chiller, forklift, van"),
            _c("install_date", "date", not_in_future=True),
            _opt("vehicle_id", "text", references="vehicles.vehicle_id"),
            _c("preventive_cost", "float", "Cost of a planned service, GBP", **NONNEG),
            _c("failure_cost", "float", "Repair cost after a failure, GBP", **NONNEG),
            _c("downtime_cost_per_hour", "float", "GBP per hour out of service", **NONNEG),
            _c("service_hours", "float", "Crew hours for a planned service", **NONNEG),
        ),
        ("asset_id",),
    ),
    Table(
        "maintenance_events",
        "Failures, planned services and inspections per asset.",
        (
            _c("event_id", "text"),
            _c("asset_id", "text", references="assets.asset_id"),
            _c("date", "date", not_in_future=True),
            _c("kind", "text", choices=("failure", "preventive", "inspection")),
            _c("downtime_hours", "float", **NONNEG),
            _c("cost", "float", "GBP", **NONNEG),
        ),
        ("event_id",),
    ),
    Table(
        "sensor_readings",
        "Daily condition readings per asset.",
        (
            _c("asset_id", "text", references="assets.asset_id"),
            _c("ts", "timestamp", not_in_future=True),
            _opt("temperature_c", "float", "Degrees Celsius"),
            _opt("vibration_mm_s", "float", "RMS velocity, mm/s", **NONNEG),
            _opt("run_hours", "float", "Hours run that day", minimum=0, maximum=24),
            _opt("load_pct", "float", "Average load, percent", minimum=0, maximum=100),
        ),
        ("asset_id", "ts"),
    ),
    Table(
        "cartons",
        "The carton catalogue used for packing.",
        (
            _c("carton_id", "text"),
            _c("name", "text"),
            _c("length_cm", "float", minimum=0.1),
            _c("width_cm", "float", minimum=0.1),
            _c("height_cm", "float", minimum=0.1),
            _c("max_weight_kg", "float", **NONNEG),
            _c("tare_weight_kg", "float", "Weight of the empty carton, kg", **NONNEG),
            _c("material", "text", "e.g. board, plastics"),
            _c("cost", "float", "GBP per carton", **NONNEG),
        ),
        ("carton_id",),
    ),
    Table(
        "emission_factors",
        "Greenhouse-gas conversion factors (kg CO2e per unit) with their source; editable per workspace.",
        (
            _c("factor_id", "text", "e.g. van_diesel_km"),
            _c("category", "text", "e.g. delivery, inbound, packaging, energy, fuel"),
            _c("name", "text"),
            _c("unit", "text", "The activity unit, e.g. km, tonne-km, kWh, litre, tonne"),
            _c("kg_co2e", "float", "kg CO2e per unit of activity", **NONNEG),
            _c("source", "text"),
            _c("year", "int", minimum=1990),
        ),
        ("factor_id",),
    ),
    Table(
        "compliance_rules",
        "Compliance rules as data: which check, its threshold and severity.",
        (
            _c("rule_id", "text"),
            _c("name", "text"),
            _c("regulation", "text", "The rule's legal or best-practice source"),
            _c("check", "text", "Which check runs the rule, e.g. max_daily_driving_hours"),
            _c("threshold", "float"),
            _c("unit", "text"),
            _c("severity", "text", choices=("info", "warning", "critical")),
            _c("enabled", "bool"),
        ),
        ("rule_id",),
    ),
    Table(
        "scenarios",
        "Saved what-ifs: page, parameters and key results.",
        (
            _c("scenario_id", "text"),
            _c("name", "text"),
            _c("page", "text"),
            _c("params_json", "text"),
            _c("results_json", "text"),
            _opt("author", "text"),
            _c("created_at", "timestamp"),
            _opt("notes", "text"),
        ),
        ("scenario_id",),
        user_data=False,
    ),
    Table(
        "forecast_runs",
        "A batch forecast: when, with which parameters.",
        (
            _c("run_id", "text"),
            _c("created_at", "timestamp"),
            _c("params_json", "text"),
            _opt("notes", "text"),
        ),
        ("run_id",),
        user_data=False,
    ),
    Table(
        "forecast_values",
        "The forecasts of a run: one row per series and period, with intervals.",
        (
            _c("run_id", "text", references="forecast_runs.run_id"),
            _c("unique_id", "text", "Series id, usually a SKU"),
            _c("ds", "date"),
            _c("mean", "float"),
            _opt("lo80", "float"),
            _opt("hi80", "float"),
            _opt("lo95", "float"),
            _opt("hi95", "float"),
            _c("model", "text"),
            _opt("level", "text", "What the series is: sku, category or total (empty: sku)",
                 choices=("sku", "category", "total")),
        ),
        ("run_id", "unique_id", "ds"),
        user_data=False,
    ),
    Table(
        "forecast_series",
        "How each series of a run was forecast: the model chosen and its backtest errors.",
        (
            _c("run_id", "text", references="forecast_runs.run_id"),
            _c("unique_id", "text", "Series id: a SKU, a category or 'All products'"),
            _c("level", "text", "sku, category or total", choices=("sku", "category", "total")),
            _c("model", "text", "Model or 'combination' chosen by the backtest"),
            _opt("global_weight", "float", "Weight of the global model in the forecast, 0-1", minimum=0, maximum=1),
            _opt("mase", "float", "Backtest MASE of the chosen forecast", **NONNEG),
            _opt("rmsse", "float", "Backtest RMSSE of the chosen forecast", **NONNEG),
            _opt("smape", "float", "Backtest sMAPE of the chosen forecast, percent", **NONNEG),
            _opt("coverage80", "float", "Share of backtest actuals inside the 80% band, 0-1", minimum=0, maximum=1),
            _opt("coverage95", "float", "Share of backtest actuals inside the 95% band, 0-1", minimum=0, maximum=1),
            _opt("censored", "int", "Out-of-stock periods left out of fitting and scoring", **NONNEG),
            _opt("reason", "text", "Why this forecast, in plain words"),
        ),
        ("run_id", "unique_id"),
        user_data=False,
    ),
    Table(
        "column_mappings",
        "How a source file's columns were matched to a table's columns, remembered for the next file from that source.",
        (
            _c("table_name", "text", "The table the file filled"),
            _c("source", "text", "Fingerprint of the file's header row (see opscore.io.headers.source_fingerprint)"),
            _c("file_column", "text", "The file's column name"),
            _c("target_column", "text", "The table column it was matched to"),
            _c("saved_at", "timestamp"),
        ),
        ("table_name", "source", "target_column"),
        user_data=False,
    ),
)

TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
USER_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES if t.user_data)


def get_table(name: str) -> Table:
    """Return the spec of a known table; raise ``KeyError`` with the known names otherwise."""
    try:
        return TABLE_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known tables: {', '.join(TABLE_BY_NAME)}") from None


def load_order() -> list[str]:
    """Table names ordered so that every referenced table comes before the tables using it."""
    done: list[str] = []
    pending = list(TABLE_BY_NAME)
    while pending:
        for name in pending:
            parents = {c.references.split(".")[0] for c in TABLE_BY_NAME[name].columns if c.references}
            if parents - {name} <= set(done):
                done.append(name)
                pending.remove(name)
                break
        else:  # pragma: no cover - the schema is acyclic, a test checks it
            raise ValueError(f"cyclic references among {pending}")
    return done
