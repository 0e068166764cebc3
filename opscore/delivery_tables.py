"""The workspace tables of the delivery topics (routing, tracking, delivery options) as one typed bundle.

A foundation below the topics (it imports none of them): functions that plan, track or price a delivery day take
one :class:`DeliveryTables` instead of five positional data frames. Read it from a store with
:meth:`DeliveryTables.from_store`, or from any reader of tables by name (an app's cached copies) with
:meth:`DeliveryTables.read`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from opscore.store import Store


@dataclass(frozen=True)
class DeliveryTables:
    """One workspace's delivery tables, each as the store returns it (schema columns, key order).

    Frozen: the bundle is never re-pointed at another frame; treat the frames as read-only too.
    """

    orders: pd.DataFrame
    """Customer orders: order_id, customer_id, delivery_date, status, ..."""
    order_lines: pd.DataFrame
    """What each order holds: order_id, sku, quantity."""
    products: pd.DataFrame
    """SKUs with their weight (kg) and size (cm), for an order's load."""
    customers: pd.DataFrame
    """Delivery customers: position (degrees), delivery window ('HH:MM'), service minutes, segment."""
    vehicles: pd.DataFrame
    """The vans: depot, shift ('HH:MM'), capacity (kg, m3), running costs (GBP per km and per hour), fuel, type."""
    sites: pd.DataFrame
    """Depots, warehouses and pick-up points with their position (degrees)."""
    deliveries: pd.DataFrame
    """Delivery attempts: planned date and arrival per order and van, outcome."""
    delivery_events: pd.DataFrame
    """Events from the road (departed, arrived, delivered, failed, ping) with their time stamp."""
    emission_factors: pd.DataFrame
    """The workspace's own emission factors (may be empty: the UK defaults apply)."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The store table names the bundle holds, in field order."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def read(cls, table: Callable[[str], pd.DataFrame]) -> DeliveryTables:
        """The bundle from ``table(name)``, called once per table name (e.g. a cached reader of a workspace)."""
        return cls(**{name: table(name) for name in cls.names()})

    @classmethod
    def from_store(cls, store: Store) -> DeliveryTables:
        """The bundle read from a workspace's store through :meth:`opscore.store.Store.table`."""
        return cls.read(store.table)
