"""The rules engine: run every enabled rule's check over the workspace and list the violations.

Each violation names its rule (id, name, regulation, severity), the day, the subject (van, asset
or lot), the measured value against the threshold, a plain sentence, and ``record``: the row
(as a dict) that broke the rule, for drill-down.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, TypeAlias

import pandas as pd

from opscore.compliance.cold_chain import excursions
from opscore.compliance.drivers_hours import DEFAULT_PRE_TRIP_MINUTES, DEFAULT_SPEED_KMH, driver_days, hours_breaches
from opscore.compliance.expiry import fefo_sales_scope, lots_on_hand, near_use_by, past_use_by, stranded_lots
from opscore.compliance.rules import check_rules
from opscore.compliance.vehicle_load import vehicle_loads
from opscore.fleet_history import delivery_stops
from opscore.geo import DEFAULT_CIRCUITY
from opscore.store import Store

if TYPE_CHECKING:  # only for annotations: importing the router's face would load its solvers
    from opscore.routing import Travel

TABLES = ("deliveries", "orders", "order_lines", "customers", "vehicles", "sites", "products", "assets",
          "sensor_readings", "inventory", "sales", "compliance_rules")
"""Workspace tables the checks read."""
VIOLATION_COLUMNS = ["rule_id", "name", "regulation", "severity", "check", "date", "subject", "value", "threshold",
                     "unit", "detail", "record"]
CHILLED_CLASSES = ("chilled", "fresh")


@dataclass(frozen=True)
class CheckSettings:
    """Assumptions the checks use."""

    speed_kmh: float = DEFAULT_SPEED_KMH
    """Average van speed, km/h, to turn route km into driving hours."""
    circuity: float = DEFAULT_CIRCUITY
    """Road km per great-circle km."""
    pre_trip_minutes: float = DEFAULT_PRE_TRIP_MINUTES
    """Duty minutes before leaving the depot (vehicle check, loading)."""
    chilled_asset_types: tuple[str, ...] = ("chiller",)
    """Asset types holding chilled or fresh food."""
    frozen_asset_types: tuple[str, ...] = ("freezer",)
    """Asset types holding frozen food."""


def load_tables(store: Store) -> dict[str, pd.DataFrame]:
    """The tables the checks need, read from a workspace."""
    return {name: store.table(name) for name in TABLES}


def load_fefo_sales(store: Store, inventory: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The sales rows (date, sku, quantity) the FEFO check can read for ``inventory``'s lots as of ``as_of``: of
    millions of sales rows, those of SKUs with a lot past use-by between their first receipt and last use-by
    (:func:`~opscore.compliance.expiry.fefo_sales_scope`)."""
    skus, first, last = fefo_sales_scope(inventory, as_of)
    return store.table("sales", columns=["date", "sku", "quantity"], where={"sku": skus}, between=("date", first, last))


class Facts:
    """Frames derived once per run and shared by the rules (driver days, loads, lots)."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], as_of: date, settings: CheckSettings,
                 stops: pd.DataFrame | None = None, travel: Travel | None = None) -> None:
        self.tables, self.as_of, self.settings, self._stops, self.travel = tables, as_of, settings, stops, travel

    @cached_property
    def driver_days(self) -> pd.DataFrame:
        t = self.tables
        stops = self._stops if self._stops is not None else delivery_stops(
            deliveries=t["deliveries"], orders=t["orders"], customers=t["customers"], vehicles=t["vehicles"],
            sites=t["sites"], use_actual_times=True, include_pending=True)
        s = self.settings
        vans = t.get("vehicles", pd.DataFrame())
        profiles = dict(zip(vans["vehicle_id"].astype(str), vans["type"].astype(str))) \
            if self.travel is not None and {"vehicle_id", "type"} <= set(vans.columns) else None  # van type per van
        return driver_days(stops, speed_kmh=s.speed_kmh, circuity=s.circuity, pre_trip_minutes=s.pre_trip_minutes,
                           travel=self.travel, profiles=profiles)

    @cached_property
    def loads(self) -> pd.DataFrame:
        t = self.tables
        return vehicle_loads(t["deliveries"], t["order_lines"], t["products"], t["vehicles"])

    @cached_property
    def lots(self) -> pd.DataFrame:
        return lots_on_hand(self.tables["inventory"], self.as_of)

    @cached_property
    def stocks_chilled(self) -> bool:
        return bool(self.tables["products"]["temperature_class"].isin(CHILLED_CLASSES).any())

    @cached_property
    def stocks_frozen(self) -> bool:
        return bool((self.tables["products"]["temperature_class"] == "frozen").any())


Found: TypeAlias = pd.DataFrame
"""A check's output: columns date, subject, value, detail, record."""


def _found(date_: pd.Series, subject: pd.Series, value: pd.Series, detail: list[str], rows: pd.DataFrame) -> Found:
    records = [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
               for r in rows.to_dict("records")]
    return pd.DataFrame({"date": pd.to_datetime(date_).to_numpy(), "subject": subject.astype(str).to_numpy(),
                         "value": value.astype(float).to_numpy(), "detail": detail, "record": records})


def _hours(column: str, what: str) -> Callable[[pd.Series, Facts], Found]:
    def check(rule: pd.Series, facts: Facts) -> Found:
        hit = hours_breaches(facts.driver_days, column, rule["threshold"])
        detail = [f"Van {v} on {d:%a %d %b %Y}: {h:.1f} h {what} (limit {rule['threshold']:g} h), {n} stops, "
                  f"{km:.0f} km" for v, d, h, n, km in zip(hit["vehicle_id"], hit["date"], hit[column], hit["stops"],
                                                           hit["km"])]
        return _found(hit["date"], hit["vehicle_id"], hit[column], detail, hit)
    return check


def _temperature(frozen: bool) -> Callable[[pd.Series, Facts], Found]:
    def check(rule: pd.Series, facts: Facts) -> Found:
        s = facts.settings
        if not (facts.stocks_frozen if frozen else facts.stocks_chilled):
            return pd.DataFrame()
        kind = "frozen" if frozen else "chilled/fresh"
        hit = excursions(facts.tables["sensor_readings"], facts.tables["assets"], rule["threshold"],
                         s.frozen_asset_types if frozen else s.chilled_asset_types)
        detail = [f"{n} above {rule['threshold']:g} °C for {h:.0f} h from {st:%d %b %Y %H:%M} "
                  f"(warmest {p:.1f} °C, holds {kind} stock)"
                  for n, h, st, p in zip(hit["name"], hit["hours"], hit["start"], hit["peak_c"])]
        return _found(hit["start"], hit["asset_id"], hit["peak_c"], detail, hit)
    return check


def _lot_subject(lots: pd.DataFrame) -> pd.Series:
    return lots["sku"] + " lot " + lots["lot"] + " in " + lots["bin_id"]


def _past(rule: pd.Series, facts: Facts) -> Found:
    hit = past_use_by(facts.lots, rule["threshold"])
    detail = [f"{q} units of {s} lot {lot} in bin {b} are {d} day(s) past use-by ({e:%d %b %Y})"
              for q, s, lot, b, d, e in zip(hit["quantity"], hit["sku"], hit["lot"], hit["bin_id"], hit["days_past"],
                                            hit["expiry_date"])]
    return _found(pd.Series([pd.Timestamp(facts.as_of)] * len(hit)), _lot_subject(hit), hit["days_past"], detail, hit)


def _near(rule: pd.Series, facts: Facts) -> Found:
    hit = near_use_by(facts.lots, rule["threshold"])
    detail = [f"{q} units of {s} lot {lot} in bin {b} reach use-by in {d} day(s) ({e:%d %b %Y})"
              for q, s, lot, b, d, e in zip(hit["quantity"], hit["sku"], hit["lot"], hit["bin_id"], hit["days_left"],
                                            hit["expiry_date"])]
    return _found(pd.Series([pd.Timestamp(facts.as_of)] * len(hit)), _lot_subject(hit), hit["days_left"], detail, hit)


def _fefo(rule: pd.Series, facts: Facts) -> Found:
    stranded = stranded_lots(facts.lots, facts.tables["sales"])
    hit = stranded[stranded["units"] > rule["threshold"]]
    detail = [f"{s} lot {lot} expired with {q} units left although {n} units sold after fresher lot {f} arrived"
              for s, lot, q, n, f in zip(hit["sku"], hit["lot"], hit["quantity"], hit["sold_in_overlap"],
                                         hit["fresher_lot"])]
    return _found(pd.to_datetime(hit["expiry_date"]), _lot_subject(hit), hit["units"], detail, hit)


def _load(column: str, what: str) -> Callable[[pd.Series, Facts], Found]:
    def check(rule: pd.Series, facts: Facts) -> Found:
        loads = facts.loads
        hit = loads[loads[column] > rule["threshold"] + 1e-9]
        detail = [f"Van {v} on {d:%a %d %b %Y}: {p:.0f} % of its {what} ({kg:,.0f} kg, {m3:.1f} m3, {n} orders)"
                  for v, d, p, kg, m3, n in zip(hit["vehicle_id"], hit["date"], hit[column], hit["load_kg"],
                                                hit["load_m3"], hit["orders"])]
        return _found(hit["date"], hit["vehicle_id"], hit[column], detail, hit)
    return check


CHECK_FUNCTIONS: dict[str, Callable[[pd.Series, Facts], Found]] = {
    "max_daily_driving_hours": _hours("driving_hours", "driving"),
    "max_daily_duty_hours": _hours("duty_hours", "on duty"),
    "max_driving_before_break_hours": _hours("longest_spell_hours", "driving without a 45-minute break"),
    "max_chilled_temperature_c": _temperature(frozen=False),
    "max_frozen_temperature_c": _temperature(frozen=True),
    "stock_past_use_by": _past,
    "stock_near_use_by": _near,
    "fefo_order": _fefo,
    "max_load_weight_pct": _load("weight_pct", "payload"),
    "max_load_volume_pct": _load("volume_pct", "load space"),
}


CHECK_TABLES: dict[str, tuple[str, ...]] = {
    **{c: ("deliveries", "orders", "customers", "vehicles", "sites") for c in
       ("max_daily_driving_hours", "max_daily_duty_hours", "max_driving_before_break_hours")},
    "max_chilled_temperature_c": ("products", "assets", "sensor_readings"),
    "max_frozen_temperature_c": ("products", "assets", "sensor_readings"),
    "stock_past_use_by": ("inventory",),
    "stock_near_use_by": ("inventory",),
    "fefo_order": ("inventory", "sales"),
    "max_load_weight_pct": ("deliveries", "order_lines", "products", "vehicles"),
    "max_load_volume_pct": ("deliveries", "order_lines", "products", "vehicles"),
}
"""The workspace tables each check reads; a check with one of them empty has nothing to check."""


def checks_without_data(rules: pd.DataFrame, have: Collection[str]) -> dict[str, tuple[str, ...]]:
    """The enabled rules' checks that cannot run, each with its source tables not among ``have`` (tables with rows)."""
    enabled = dict.fromkeys(rules.loc[rules["enabled"].astype(bool), "check"])
    out = {c: tuple(t for t in CHECK_TABLES[c] if t not in have) for c in enabled}
    return {c: tables for c, tables in out.items() if tables}


def run_rules(rules: pd.DataFrame, tables: Mapping[str, pd.DataFrame], as_of: date,
              settings: CheckSettings = CheckSettings(), stops: pd.DataFrame | None = None, *,
              travel: Travel | None = None) -> pd.DataFrame:
    """Violations of every enabled rule, newest first. Columns: :data:`VIOLATION_COLUMNS`.

    ``stops``: a planned route in :func:`opscore.sustainability.delivery_stops` form to check drivers'
    hours on instead of delivery history (which uses actual arrival times where known, planned ones else).
    ``travel``: road km and driving minutes of the history's legs (e.g. a road network; each van at its type's
    profile) instead of ``settings``' straight line x circuity at the average speed.
    """
    rules = check_rules(rules)
    facts = Facts(tables, as_of, settings, stops, travel)
    parts = []
    for _, rule in rules[rules["enabled"]].iterrows():
        found = CHECK_FUNCTIONS[rule["check"]](rule, facts)
        if found.empty:
            continue
        for col in ("rule_id", "name", "regulation", "severity", "check", "threshold", "unit"):
            found[col] = rule[col]
        parts.append(found)
    return _ordered(parts)


def _ordered(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Violations found, newest first, then by severity and rule (each rule's own order kept)."""
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c == "date" else object)
                             for c in VIOLATION_COLUMNS})
    out = pd.concat(parts, ignore_index=True)[VIOLATION_COLUMNS]
    out["severity"] = pd.Categorical(out["severity"], categories=["critical", "warning", "info"], ordered=True)
    return out.sort_values(["date", "severity", "rule_id"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def combine_violations(*runs: pd.DataFrame) -> pd.DataFrame:
    """The violations of :func:`run_rules` runs over different rules, as one run over all those rules lists them
    (so the checks a setting does not touch can be cached apart from those it does)."""
    return _ordered([run.astype({"severity": str}) for run in runs if not run.empty])


HOURS_CHECKS: tuple[str, ...] = ("max_daily_driving_hours", "max_daily_duty_hours", "max_driving_before_break_hours")
"""The checks that read drivers' days (and so can run on a planned route alone)."""


def check_planned_hours(rules: pd.DataFrame, stops: pd.DataFrame, as_of: date,
                        settings: CheckSettings = CheckSettings()) -> pd.DataFrame:
    """Breaches of the enabled drivers' hours rules on a planned day's route ``stops`` (e.g. from
    :func:`opscore.routing.export.plan_stops`), before it is driven. Columns: :data:`VIOLATION_COLUMNS`."""
    return run_rules(rules[rules["check"].isin(HOURS_CHECKS)], {}, as_of, settings, stops=stops)
