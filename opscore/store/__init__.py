"""The workspace store (DuckDB): schema, migrations, and the only SQL in opscore."""

from opscore.store.database import Store, StoreError, Writer, open_store, share_store, wal_path
from opscore.store.migrations import LATEST_VERSION, MIGRATIONS
from opscore.store.schema import TABLES, USER_TABLES, Column, Table, get_table, load_order

__all__ = [
    "LATEST_VERSION", "MIGRATIONS", "TABLES", "USER_TABLES", "Column", "Store", "StoreError",
    "Table", "Writer", "get_table", "load_order", "open_store", "share_store", "wal_path",
]
