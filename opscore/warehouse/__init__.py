"""Warehouse operations: layout and walking distances, pick routing, batching and waves, slotting,
cartonization with packaging emissions. Pure logic: DataFrames and frozen dataclasses in and out."""

from opscore.warehouse.batching import BATCH_METHODS, Batch, BatchPlan, Cart, batch_orders
from opscore.warehouse.cartonization import (
    OBJECTIVES,
    CartonPlan,
    CartonType,
    PackedCarton,
    carton_types,
    cartonize,
    compare_packaging,
    order_items,
    summarise_packaging,
)
from opscore.warehouse.layout import Layout, walk_length
from opscore.warehouse.packaging_summary import PackagingComparison, standard_carton
from opscore.warehouse.packing import Item, Placement, pack_carton, packing_violations
from opscore.warehouse.picks import bin_contents, location_summary, orders_between, orders_due, pick_bins, pick_lines
from opscore.warehouse.recent import MONTH_DAYS, RecentPicks, first_delivery_day, recent_picks, widest_order
from opscore.warehouse.routing import METHOD_LABELS, METHODS, Route, route, route_distance
from opscore.warehouse.slotting import SlottingPlan, bin_distances, order_distances, pick_frequency, suggest_slotting
from opscore.warehouse.waves import PickTimes, WaveSettings, plan_waves, window_priority

__all__ = [
    "BATCH_METHODS", "METHODS", "METHOD_LABELS", "MONTH_DAYS", "OBJECTIVES", "Batch", "BatchPlan", "Cart",
    "CartonPlan", "CartonType", "Item", "Layout", "PackagingComparison", "PackedCarton", "PickTimes", "Placement",
    "RecentPicks", "Route", "SlottingPlan", "WaveSettings",
    "batch_orders", "bin_contents", "bin_distances", "carton_types", "cartonize", "compare_packaging",
    "first_delivery_day", "location_summary", "order_distances", "order_items",
    "orders_between", "orders_due", "pack_carton", "packing_violations", "pick_bins", "pick_frequency",
    "pick_lines", "plan_waves", "recent_picks", "route", "route_distance", "standard_carton", "suggest_slotting",
    "summarise_packaging", "walk_length", "widest_order", "window_priority",
]
