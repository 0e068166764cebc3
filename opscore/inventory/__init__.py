"""Inventory: textbook reorder policies, a vectorised Monte Carlo simulator and a purchase plan.

Policies follow Snyder & Shen (2019) *Fundamentals of Supply Chain Theory*, 2nd ed.; each function
returns a small frozen dataclass. Typical use::

    from opscore.inventory import eoq, load_inputs, Settings, design, run, purchase_plan
    eoq(fixed_cost=8, holding_cost=0.225, demand_rate=1300).order_quantity   # 304.05
"""

from opscore.inventory.classify import SERVICE_TARGETS, abc_xyz
from opscore.inventory.demand_models import BootstrapDemand, ForecastDemand, PoissonDemand
from opscore.inventory.deterministic import eoq, eoq_all_units_discount, eoq_with_backorders, wagner_whitin
from opscore.inventory.inputs import InventoryInputs, build_inputs, load_inputs
from opscore.inventory.planning import POLICIES, Settings, classes, design, frontier, run, runs_for
from opscore.inventory.purchase import plan_to_excel, purchase_plan
from opscore.inventory.service import (
                                       min_max,
                                       order_up_to_level,
                                       reorder_point_csl,
                                       reorder_point_fill_rate,
                                       round_order,
)
from opscore.inventory.simulate import Items, Policy, SimulationResult, SupplyWindow, simulate
from opscore.inventory.stochastic import (
                                       newsvendor_normal,
                                       newsvendor_poisson,
                                       r_q_cost_normal,
                                       r_q_normal,
                                       r_q_poisson,
                                       s_s_poisson,
)
from opscore.inventory.tuning import TunedPolicy, retarget, tune
from opscore.inventory.waste import WasteReport, explain_waste

__all__ = [
    "POLICIES", "SERVICE_TARGETS", "BootstrapDemand", "TunedPolicy", "WasteReport", "explain_waste", "retarget", "tune",
    "ForecastDemand", "InventoryInputs", "Items", "Policy", "PoissonDemand", "Settings", "SimulationResult",
    "SupplyWindow", "abc_xyz", "build_inputs", "classes", "design", "eoq", "eoq_all_units_discount",
    "eoq_with_backorders", "frontier", "load_inputs", "min_max", "newsvendor_normal", "newsvendor_poisson",
    "order_up_to_level", "plan_to_excel", "purchase_plan", "r_q_cost_normal", "r_q_normal", "r_q_poisson",
    "reorder_point_csl", "reorder_point_fill_rate", "round_order", "run", "runs_for", "s_s_poisson", "simulate",
    "wagner_whitin",
]
