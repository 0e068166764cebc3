"""The Supplier page's disruption what-if inputs: which supplier is hit, how and for how long, the service target and
the contingencies' costs (defaults from a saved scenario)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from opscore.suppliers import Contingencies, Disruption

KINDS = {"out": "It cannot supply at all", "slow": "Its deliveries are late"}
KEYS = ("dis_supplier", "dis_kind", "dis_weeks", "dis_extra", "dis_target", "dis_premium", "dis_fee", "dis_switch",
        "dis_safety")
"""Widget keys of the what-if's inputs (kept while its tab is closed)."""


@dataclass(frozen=True)
class DisruptionChoice:
    """The disruption and contingencies set on the page."""

    supplier: str
    kind: str
    """'out' (no supply) or 'slow' (late deliveries)."""
    weeks: int
    extra_days: int | None
    """Extra days on each delivery ('slow'), else None."""
    target_pct: float
    """Service target: share of demand met, %."""
    costs: Contingencies

    @property
    def event(self) -> Disruption:
        """The disruption to simulate."""
        return Disruption(self.supplier, 7 * self.weeks, self.extra_days)

    def params(self, rank: Sequence[str], demand_source: str) -> dict[str, Any]:
        """The settings a saved scenario records."""
        c = self.costs
        return {"supplier": self.supplier, "kind": self.kind, "weeks": self.weeks, "extra_days": self.extra_days,
                "service_target_pct": self.target_pct, "expedite_premium": c.expedite_premium,
                "expedite_fee_gbp": c.expedite_fee_gbp, "switch_fee_gbp": c.switch_fee_gbp,
                "extra_safety_days": c.extra_safety_days, "supplier_rank": list(rank), "demand_source": demand_source}


def disruption_panel(mains: Sequence[str], names: pd.Series, preset: Mapping[str, Any]) -> DisruptionChoice:
    """The what-if's widgets: a supplier of ``mains`` (named by ``names``), the outage, the target and the
    contingency costs."""
    c1, c2, c3 = st.columns(3)
    supplier = c1.selectbox("Supplier", mains, format_func=lambda s: f"{s} {names.get(s, '')}", key="dis_supplier",
                            index=list(mains).index(preset["supplier"]) if preset.get("supplier") in mains else 0)
    kind = c2.radio("What happens", list(KINDS), key="dis_kind", index=int(preset.get("kind") == "slow"),
                    format_func=KINDS.get)
    weeks = c3.slider("For how many weeks", 1, 12, int(preset.get("weeks", 4)), key="dis_weeks")
    extra = None
    if kind == "slow":
        extra = st.slider("Extra days on each delivery", 1, 21, int(preset.get("extra_days") or 5), key="dis_extra")
    target = st.slider("Service target: share of demand met (%)", 80.0, 100.0,
                       float(preset.get("service_target_pct", 98.0)), 0.5, key="dis_target")
    with st.expander("Contingency costs"):
        e1, e2, e3, e4 = st.columns(4)
        costs = Contingencies(
            expedite_premium=e1.number_input("Expedite premium (% of cost)", 0.0, 300.0,
                                             100 * float(preset.get("expedite_premium", 0.30)), 5.0,
                                             key="dis_premium") / 100,
            expedite_fee_gbp=e2.number_input("Fee per expedited order (£)", 0.0, 10_000.0,
                                             float(preset.get("expedite_fee_gbp", 40.0)), 10.0, key="dis_fee"),
            switch_fee_gbp=e3.number_input("Set-up per SKU switched (£)", 0.0, 10_000.0,
                                           float(preset.get("switch_fee_gbp", 150.0)), 10.0, key="dis_switch"),
            extra_safety_days=e4.number_input("Extra safety stock (days of sales)", 0.0, 120.0,
                                              float(preset.get("extra_safety_days", 14.0)), 1.0, key="dis_safety"),
        )
    return DisruptionChoice(supplier, kind, weeks, extra, target, costs)
