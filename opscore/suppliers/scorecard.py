"""A period's supplier scorecard: KPIs, their monthly trend and eco scores, measured to one origin site."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from opscore.suppliers.eco import EcoOrigin, annual_tonnes, eco_origin, eco_scores
from opscore.suppliers.kpis import monthly_kpis, supplier_kpis
from opscore.suppliers.scoring import decision_matrix


@dataclass(frozen=True)
class Scorecard:
    """What each supplier did over a period, and how green it is."""

    kpis: pd.DataFrame
    """One row per supplier: :func:`supplier_kpis` over the period."""
    monthly: pd.DataFrame
    """One row per supplier and month of order: :func:`monthly_kpis` over the period."""
    eco: pd.DataFrame
    """One row per supplier: :func:`eco_scores` to :attr:`origin`, with the period's tonnes per year."""
    origin: EcoOrigin
    """The site road distances are measured to (:func:`eco_origin`)."""

    @property
    def matrix(self) -> pd.DataFrame:
        """Suppliers x criteria: the :func:`decision_matrix` the ranking scores."""
        return decision_matrix(self.kpis, self.eco)


def supplier_scorecard(purchase_orders: pd.DataFrame, suppliers: pd.DataFrame, sites: pd.DataFrame,
              factors: pd.DataFrame | None, received_kg: pd.Series, start: pd.Timestamp,
              end: pd.Timestamp) -> Scorecard:
    """The scorecard of ``[start, end]``: ``purchase_orders`` are the period's PO lines (by order date),
    ``received_kg`` the kilograms received in the period by supplier_id, ``factors`` the emission factors table
    (None: the UK 2025 defaults). The eco origin is :func:`eco_origin` of ``sites`` (the suppliers' centre if
    there is no site). ``ValueError`` for a period that ends before it starts or tables missing columns."""
    kpis = supplier_kpis(purchase_orders, start, end)
    monthly = monthly_kpis(purchase_orders, start, end)
    origin = eco_origin(sites, suppliers)
    eco = eco_scores(suppliers, origin.lat, origin.lon, factors, annual_tonnes(received_kg, start, end))
    return Scorecard(kpis, monthly, eco, origin)
