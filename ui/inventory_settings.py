"""The Inventory page's settings panels: which items to simulate with the owner's settings for them (the baseline),
and the what-if against it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from opscore.inventory import POLICIES, Settings

LARGE_CATALOGUE = 1000
"""More items than this: the page opens on one class (simulating them all takes seconds)."""
SCOPES = ("All items", "One class", "One item")
POLICY_LABELS = {"min_max": "Min / max, checked daily", "periodic": "Weekly order-up-to",
                 "base_stock": "Replace what sold daily"}
TARGET_KINDS = {"csl": "no run-out between deliveries", "fill_rate": "share of demand served"}
OUTCOMES = ("customers buy elsewhere", "they wait (backorder)")


@dataclass(frozen=True)
class Baseline:
    """The items chosen and today's settings for them."""

    settings: Settings
    rows: tuple[int, ...]
    """Positions of the chosen items in the workspace's items."""
    scope: str
    """One of :data:`SCOPES`."""
    choice: str | None
    """The class or item chosen ('One class' / 'One item'), else None."""


def index_of(options: Sequence[object], value: object) -> int:
    """Position of ``value`` in ``options`` (0 when absent): a widget's default from a saved scenario."""
    return list(options).index(value) if value in options else 0


def item_labels(products: pd.DataFrame) -> list[str]:
    """'<sku> <name>' of every item, as the item pickers show them."""
    return (products["sku"] + " " + products["name"]).tolist()


def baseline_panel(products: pd.DataFrame, cls: pd.DataFrame, preset: Mapping[str, Any]) -> Baseline:
    """The bordered panel of the items to simulate, the ordering rule, the service target and the costs
    (defaults from a saved scenario's ``preset``)."""
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns(4)
        default_scope = preset.get("scope") or ("One class" if len(products) > LARGE_CATALOGUE else "All items")
        scope = c1.radio("Which items", SCOPES, index=index_of(SCOPES, default_scope), horizontal=False,
                         help="A class groups items by value (A most valuable) and steadiness (X steadiest).")
        chosen = None
        if scope == "One class":
            present = sorted(cls["cls"].unique())
            chosen = c1.selectbox("Class", present, index=index_of(present, preset.get("choice")))
            rows = tuple(int(i) for i in np.flatnonzero(cls["cls"].to_numpy() == chosen))
        elif scope == "One item":
            labels = item_labels(products)
            chosen = c1.selectbox("Item", labels, index=index_of(labels, preset.get("choice")))
            rows = (labels.index(chosen),)
        else:
            rows = tuple(range(len(products)))
        policy = c2.selectbox("Ordering rule", POLICIES, index=index_of(POLICIES, preset.get("policy")),
                              format_func=POLICY_LABELS.get,
                              help="Min/max: when stock plus orders falls to the min, order up to the max.")
        target_kind = c2.radio("Service measured as", list(TARGET_KINDS), horizontal=True,
                               index=index_of(list(TARGET_KINDS), preset.get("target_kind")),
                               format_func=TARGET_KINDS.get)
        by_class = c3.toggle("Targets by class", value=preset.get("target") is None,
                             help="A items (the most valuable) get the highest targets; see the ABC-XYZ classes tab.")
        target = None if by_class else c3.slider("Service target (%)", 80.0, 99.5,
                                                 100 * (preset.get("target") or 0.95), 0.5) / 100
        order_cost = c4.number_input("Cost of placing an order line (£)", 0.0, 500.0,
                                     float(preset.get("ordering_cost", 15.0)), 1.0)
        holding = c4.number_input("Yearly cost of holding stock (% of unit cost)", 1, 100,
                                  int(round(100 * preset.get("holding_rate", 0.25))), 1,
                                  help="Money tied up, space, insurance and shrinkage, as a share of what an item "
                                       "cost.")
        lost = c4.radio("When you run out", OUTCOMES, index=0 if preset.get("lost_sales", True) else 1) == OUTCOMES[0]
    settings = Settings(policy=policy, target_kind=target_kind, target=target, ordering_cost=order_cost,
                        lost_sales=lost, holding_rate=holding / 100)
    return Baseline(settings, rows, scope, chosen)


WHAT_IF_RATE = "inv_rate"
"""Session key: the what-if's yearly holding cost (%), its slider's value."""
WHAT_IF_RATE_FROM = "inv_rate_from"
"""Session key: the baseline holding rate the what-if's last followed (a new baseline rate moves the what-if's)."""
WHAT_IF_KEYS = ("inv_growth", "inv_lead", "inv_late", "inv_delay", WHAT_IF_RATE, "inv_replan")
"""Widget keys of the what-if panel (kept while its tab is closed)."""
NO_SUPPLIER = "(none)"
WHAT_IF_FIELDS = ("demand_growth", "lead_change_days", "delayed_supplier", "supplier_delay_days")
"""Settings only a what-if changes."""


@dataclass(frozen=True)
class WhatIf:
    """The what-if's settings and whether the reorder levels follow them."""

    settings: Settings
    replan: bool
    """True: levels re-planned for the what-if; False: today's levels kept."""


def what_if_panel(base: Settings, products: pd.DataFrame, preset: Mapping[str, Any]) -> WhatIf:
    """Sliders of demand, delivery times, one late supplier and the holding cost (which follows the baseline's
    until moved) from ``base`` and a saved scenario's ``preset``."""
    c1, c2, c3, c4 = st.columns(4)
    growth = c1.slider("Demand change (%)", -50, 100, int(round(100 * preset.get("demand_growth", 0.0))), 5,
                       key="inv_growth") / 100
    lead = c2.slider("Every delivery takes longer by (days)", -3, 14, int(preset.get("lead_change_days", 0)),
                     key="inv_lead")
    suppliers = [NO_SUPPLIER] + sorted(products["supplier_id"].unique())
    late = c3.selectbox("One supplier is late", suppliers, index=index_of(suppliers, preset.get("delayed_supplier")),
                        key="inv_late")
    delay = c3.slider("...by (days)", 0, 21, int(preset.get("supplier_delay_days", 0)), disabled=late == NO_SUPPLIER,
                      key="inv_delay")
    if st.session_state.get(WHAT_IF_RATE_FROM) != base.holding_rate:  # starts from the baseline's, and again when
        st.session_state[WHAT_IF_RATE] = int(round(100 * preset.get("what_if_holding_rate", base.holding_rate)))
        st.session_state[WHAT_IF_RATE_FROM] = base.holding_rate       # that moves
    rate = c4.slider("Yearly holding cost (% of unit cost)", 1, 100, key=WHAT_IF_RATE)
    replan = c4.toggle("Re-plan levels", value=preset.get("replan", True), key="inv_replan",
                       help="On: reorder levels adjusted to the what-if. Off: keep today's levels and see what the "
                            "change would do to them.")
    return WhatIf(replace(base, demand_growth=growth, lead_change_days=lead, supplier_delay_days=float(delay),
                          delayed_supplier=None if late == NO_SUPPLIER else late, holding_rate=rate / 100), replan)


def scenario_params(baseline: Baseline, what_if: WhatIf) -> dict[str, Any]:
    """The settings a saved scenario records: the baseline's, the items chosen and the what-if's."""
    what = what_if.settings
    return {**{k: v for k, v in baseline.settings.__dict__.items() if k not in WHAT_IF_FIELDS},
            "scope": baseline.scope, "choice": baseline.choice, **{k: getattr(what, k) for k in WHAT_IF_FIELDS},
            "what_if_holding_rate": what.holding_rate, "replan": what_if.replan}
