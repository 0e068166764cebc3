"""Supplier scoring and supply-chain risk: scorecards from POs, transparent multi-criteria ranking
(weighted sum, TOPSIS, AHP weights, weight sensitivity), eco score, risk register and disruption what-ifs."""

from opscore.suppliers.ahp import (
                                   AhpResult,
                                   ahp_weights,
                                   check_pairwise,
                                   pairwise_from_upper,
                                   pairwise_from_weights,
                                   upper_judgments,
)
from opscore.suppliers.disruption import (
                                   OPTIONS,
                                   Contingencies,
                                   Disruption,
                                   DisruptionBase,
                                   DisruptionResult,
                                   alternatives,
                                   disruption_options,
                                   prepare_disruption,
                                   simulate_disruption,
)
from opscore.suppliers.eco import (
                                   SUPPLIER_CENTRE,
                                   EcoOrigin,
                                   annual_tonnes,
                                   eco_origin,
                                   eco_scores,
                                   environmental_certifications,
                                   tonnes_per_year,
)
from opscore.suppliers.kpis import KPI_COLUMNS, monthly_kpis, ordered_between, prepare_lines, supplier_kpis
from opscore.suppliers.mcda import WeightNotice, normalise_weights, ranks, scores, topsis, weighted_sum
from opscore.suppliers.risk import RiskRegister, hhi, hhi_band, largest_cluster_share, risk_register
from opscore.suppliers.scorecard import Scorecard, supplier_scorecard
from opscore.suppliers.scoring import (
                                   CRITERIA,
                                   Criterion,
                                   RankingSettings,
                                   decision_matrix,
                                   default_weights,
                                   rank_suppliers,
                                   rank_with,
                                   ranking_sensitivity,
)
from opscore.suppliers.sensitivity import SensitivityResult, weight_sensitivity

__all__ = [
    "SUPPLIER_CENTRE", "EcoOrigin", "RankingSettings", "Scorecard", "check_pairwise", "eco_origin", "ordered_between",
    "pairwise_from_weights", "rank_with", "ranking_sensitivity", "supplier_scorecard", "upper_judgments",
    "CRITERIA", "KPI_COLUMNS", "OPTIONS", "AhpResult", "Contingencies", "Criterion", "Disruption", "DisruptionBase",
    "DisruptionResult", "RiskRegister", "SensitivityResult", "WeightNotice", "ahp_weights", "alternatives",
    "annual_tonnes", "decision_matrix", "default_weights", "disruption_options", "eco_scores",
    "environmental_certifications", "hhi", "hhi_band", "largest_cluster_share", "monthly_kpis", "normalise_weights",
    "pairwise_from_upper", "prepare_disruption", "prepare_lines", "rank_suppliers", "ranks", "risk_register",
    "scores", "simulate_disruption", "supplier_kpis", "tonnes_per_year", "topsis", "weight_sensitivity",
    "weighted_sum"
]
