"""Ordered schema migrations; the ``schema_version`` table records which have run.

A migration either creates tables (from their spec in :mod:`opscore.store.schema`)
or adds columns to existing ones. Append new migrations at the end with the next
version number; never edit one that has shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from opscore.store.schema import SQL_TYPES, Table, get_table


@dataclass(frozen=True)
class Migration:
    """One schema step: tables to create and ``(table, column)`` pairs to add."""

    version: int
    description: str
    creates: tuple[str, ...] = ()
    adds_columns: tuple[tuple[str, str], ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "initial data model",
        creates=(
            "workspace_meta", "sites", "suppliers", "products", "bins", "inventory", "sales",
            "customers", "vehicles", "orders", "order_lines", "deliveries", "purchase_orders",
            "assets", "maintenance_events", "sensor_readings", "cartons", "scenarios",
            "forecast_runs", "forecast_values",
        ),
    ),
    Migration(2, "emission factors and compliance rules as data", creates=("emission_factors", "compliance_rules")),
    Migration(3, "delivery events for live tracking", creates=("delivery_events",)),
    Migration(4, "column matches remembered per source file", creates=("column_mappings",)),
    Migration(5, "daily stock history per SKU, for stock-outs", creates=("stock_history",)),
    Migration(6, "coherent demand plans: category and total rows, and how each series was forecast",
              creates=("forecast_series",), adds_columns=(("forecast_values", "level"),)),
)


def quote(identifier: str) -> str:
    """Quote an identifier that the schema has already whitelisted."""
    return '"' + identifier.replace('"', '""') + '"'


def create_table_sql(table: Table) -> list[str]:
    cols = [f"{quote(c.name)} {SQL_TYPES[c.kind]}" for c in table.columns]
    key = ", ".join(quote(k) for k in table.key)
    stmts = [f"CREATE TABLE IF NOT EXISTS {quote(table.name)} ({', '.join(cols)}, PRIMARY KEY ({key}))"]
    for idx in table.indexes:
        name = quote(f"idx_{table.name}_{'_'.join(idx)}")
        stmts.append(
            f"CREATE INDEX IF NOT EXISTS {name} ON {quote(table.name)} ({', '.join(quote(c) for c in idx)})"
        )
    return stmts


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every pending migration, each in its own transaction; return the new version."""
    version = current_version(con)
    for m in MIGRATIONS:
        if m.version <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for name in m.creates:
                for stmt in create_table_sql(get_table(name)):
                    con.execute(stmt)
            for table_name, column_name in m.adds_columns:
                col = get_table(table_name).column(column_name)
                con.execute(
                    f"ALTER TABLE {quote(table_name)} ADD COLUMN IF NOT EXISTS {quote(col.name)} {SQL_TYPES[col.kind]}"
                )
            con.execute(
                "INSERT INTO schema_version VALUES (?, ?, current_timestamp)", [m.version, m.description]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version = m.version
    return version


LATEST_VERSION: int = MIGRATIONS[-1].version
