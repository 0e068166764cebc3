"""Last month's packaging, right-sized cartons against always the standard box: the standard box a catalogue
suggests and the totals a saved scenario records."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

WAYS = ("right-sized", "standard")
"""The two ways of packing :func:`~opscore.warehouse.compare_packaging` compares."""


def standard_carton(cartons: pd.DataFrame) -> str:
    """The catalogue's standard box: the first carton whose name says 'standard' (any case), else the first."""
    if cartons.empty:
        raise ValueError("the carton catalogue is empty; import cartons on the Data page")
    named = (c for c, n in zip(cartons["carton_id"], cartons["name"]) if "standard" in str(n).lower())
    return str(next(named, cartons["carton_id"].iloc[0]))


@dataclass(frozen=True)
class PackagingComparison:
    """Totals per way of packing over the same orders (:func:`~opscore.warehouse.summarise_packaging`)."""

    summary: pd.DataFrame
    """One row per way ('right-sized', 'standard'): orders, n_cartons, packaging_kg, kg_co2e, cost_gbp, void_l
    (litres), fill_pct (percent)."""

    def __post_init__(self) -> None:
        missing = [w for w in WAYS if w not in self.summary.index]
        if missing:
            raise ValueError(f"the packaging summary lacks the way(s) {', '.join(missing)}; "
                             "build it with summarise_packaging(compare_packaging(...))")

    def total(self, way: str, column: str) -> float:
        """One total of one way of packing, in the column's unit (kg, kg CO2e, GBP, litres)."""
        return float(self.summary.at[way, column])

    def scenario_results(self) -> dict[str, float]:
        """What a saved carton plan records: the right-sized totals (packaging kg, kg CO2e, GBP, litres of empty
        space) and the standard box's kg CO2e and GBP, which the Sustainability page compares them with."""
        return {"packaging_kg": self.total("right-sized", "packaging_kg"),
                "co2e_kg": self.total("right-sized", "kg_co2e"), "cost_gbp": self.total("right-sized", "cost_gbp"),
                "void_litres": self.total("right-sized", "void_l"),
                "standard_packaging_kg_co2e": self.total("standard", "kg_co2e"),
                "standard_cost_gbp": self.total("standard", "cost_gbp")}
