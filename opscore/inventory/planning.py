"""Per-SKU policy design from workspace data, simulation set-up, the service/cost frontier.

Policies (all with MOQ and order multiples applied to the order size):
- ``min_max``: (s, S) checked daily; s = reorder point for the target over the lead time plus the
  one-day review (Snyder & Shen eq. 5.21, or type-2 service for a fill rate); S = s + EOQ (eq. 3.4),
  capped at half a shelf life of demand for perishables.
- ``periodic``: (R, S) reviewed every R days; S protects R + L days (Snyder & Shen Ch. 4, base-stock).
  Items whose shelf life is no longer than R + L would expire between reviews and are reviewed daily.
- ``base_stock``: daily review, S protects L + 1 days, orders whatever was sold (Snyder & Shen §4.3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from opscore.inventory.classify import abc_xyz
from opscore.inventory.demand_models import BootstrapDemand, DemandModel, ForecastDemand
from opscore.inventory.inputs import InventoryInputs
from opscore.inventory.loss import inverse_std_normal_loss
from opscore.inventory.service import round_order
from opscore.inventory.simulate import Items, Policy, SimulationResult, SupplyWindow, simulate

POLICIES = ("min_max", "periodic", "base_stock")


@dataclass(frozen=True)
class Settings:
    """Owner-level settings shared by the page, notebooks and benchmarks."""

    policy: str = "min_max"
    """One of POLICIES."""
    target_kind: str = "csl"
    """'csl' (chance of not running out between deliveries) or 'fill_rate' (share of demand served)."""
    target: float | None = None
    """One service target for all SKUs (0-1); None = per ABC-XYZ class."""
    holding_rate: float = 0.25
    """Yearly holding cost as a share of unit cost."""
    ordering_cost: float = 15.0
    """Money per purchase order line."""
    review_days: int = 7
    """Review period R for the periodic policy, days."""
    demand_growth: float = 0.0
    """What-if: demand change, 0.1 = +10 %."""
    lead_change_days: float = 0.0
    """What-if: days added to every lead time."""
    delayed_supplier: str | None = None
    """What-if: supplier whose deliveries are late by ``supplier_delay_days``."""
    supplier_delay_days: float = 0.0
    """What-if: extra days for the delayed supplier."""
    lost_sales: bool = True
    """True: unmet demand is lost (costs the unit margin); False: backordered (costs the margin per week of waiting)."""

    def __post_init__(self) -> None:
        """``ValueError`` naming the first setting that cannot be simulated."""
        if self.policy not in POLICIES:
            raise ValueError(f"the ordering rule must be one of {', '.join(POLICIES)}; got {self.policy!r}")
        if self.target_kind not in ("csl", "fill_rate"):
            raise ValueError(f"the service measure must be 'csl' or 'fill_rate'; got {self.target_kind!r}")
        if self.target is not None and not 0 < self.target < 1:
            raise ValueError("the service target must lie strictly between 0 and 1 (e.g. 0.95); "
                             f"got {self.target}")
        if not self.holding_rate > 0 or not self.ordering_cost >= 0:
            raise ValueError("the holding cost rate must be above 0 and the order cost 0 or more; "
                             f"got {self.holding_rate} and {self.ordering_cost}")
        if self.review_days < 1:
            raise ValueError(f"the review period must be at least 1 day; got {self.review_days}")
        if not self.demand_growth > -1:
            raise ValueError(f"demand cannot fall by 100 % or more; got a change of {self.demand_growth:+.0%}")
        if self.supplier_delay_days < 0:
            raise ValueError(f"a supplier's delay cannot be negative; got {self.supplier_delay_days} days")

    def at_default_costs(self) -> Settings:
        """The same settings with the default ordering cost and holding rate (a cost change moves the levels
        little, so tuning at other costs can start from the tuning at these)."""
        return replace(self, ordering_cost=Settings.ordering_cost, holding_rate=Settings.holding_rate)


def extra_lead(inputs: InventoryInputs, settings: Settings) -> np.ndarray:
    """Days added to each SKU's lead time by the what-if settings."""
    extra = np.full(len(inputs.products), float(settings.lead_change_days))
    if settings.delayed_supplier:
        extra += np.where(inputs.products["supplier_id"].to_numpy() == settings.delayed_supplier,
                          settings.supplier_delay_days, 0.0)
    return extra


def classes(inputs: InventoryInputs) -> pd.DataFrame:
    """ABC-XYZ classes from the last 52 weeks of sales (value at unit cost)."""
    hist = inputs.history
    weeks = hist.shape[1] // 7
    weekly = hist[:, hist.shape[1] - 7 * weeks:].reshape(len(hist), weeks, 7).sum(axis=2)
    value = hist.sum(axis=1) * 365.0 / hist.shape[1] * inputs.products["unit_cost"].to_numpy(float)
    return abc_xyz(inputs.skus, value, weekly)


def design(inputs: InventoryInputs, settings: Settings) -> pd.DataFrame:
    """One row per SKU: demand and lead-time figures, target, the spread of demand over the protection period
    (``protection_sd``, units), safety stock, min (s), max (S), order size."""
    p = inputs.products  # settings checked themselves when made (Settings.__post_init__)
    g = 1 + settings.demand_growth
    forecast = _forecast(inputs, "design")
    if forecast is not None:
        mu = forecast[0][:, :28].mean(axis=1) * g
        sd = np.sqrt((forecast[1][:, :28] ** 2).mean(axis=1)) * g
    else:
        mu = inputs.history[:, -91:].mean(axis=1) * g
        sd = inputs.history[:, -91:].std(axis=1, ddof=1) * g
    lead = inputs.lead_time_samples + extra_lead(inputs, settings)[:, None]
    lead = np.maximum(lead, 0)
    lt, lt_sd = lead.mean(axis=1), lead.std(axis=1)
    cls = classes(inputs)
    target = np.full(len(p), settings.target) if settings.target is not None else cls["target"].to_numpy(float)
    unit_cost = p["unit_cost"].to_numpy(float)
    h_day = settings.holding_rate * unit_cost / 365.0
    moq = p["moq"].to_numpy(float)
    mult = p["order_multiple"].to_numpy(float)
    active = mu > 0
    eoq_q = np.where(active, np.sqrt(2 * settings.ordering_cost * mu * 365 / np.maximum(h_day * 365, 1e-9)), 0.0)
    life = p["shelf_life_days"].to_numpy(dtype=float, na_value=np.nan)
    # perishables: never plan to buy more than about half a shelf life of demand (MOQ may still force more)
    eoq_q = np.where(np.isfinite(life), np.minimum(eoq_q, mu * np.maximum(life / 2, 1)), eoq_q)
    q = np.maximum(round_order(np.maximum(eoq_q, 1), moq, mult), 1.0)
    review = np.ones(len(p), dtype=int)
    if settings.policy == "periodic":
        # an item that would expire between two reviews (shelf life <= review period + lead time) is reviewed daily
        keeps = ~(life <= settings.review_days + lt)
        review = np.where(keeps, settings.review_days, 1)
    periods = lt + review  # the risk period: lead time plus the days to the next review
    m_prot = mu * periods
    s_prot = np.sqrt(periods * sd**2 + mu**2 * lt_sd**2)
    s_prot = np.where(active, np.maximum(s_prot, 1e-6), 0.0)
    if settings.target_kind == "csl":
        ss = stats.norm.ppf(target) * s_prot
    else:  # type-2: sigma L(z) = (1 - beta) x (units at risk per cycle)
        at_risk = q if settings.policy == "min_max" else mu * review
        z = inverse_std_normal_loss(np.where(active,
                                             (1 - target) * np.maximum(at_risk, 1e-9) / np.maximum(s_prot, 1e-9),
                                             1.0))
        ss = z * s_prot
    level = np.where(active, np.ceil(m_prot + ss), 0.0)
    if settings.policy == "min_max":
        low, high = level, level + q
    else:
        low, high = level - 1, level  # order whenever below S
    low = np.where(active, low, -1.0)
    high = np.where(active, np.maximum(high, low + 1), 0.0)
    return pd.DataFrame({
        "sku": p["sku"], "name": p["name"], "supplier_id": p["supplier_id"], "cls": cls["cls"].to_numpy(),
        "daily_demand": mu, "daily_sd": sd, "lead_days": lt, "lead_sd": lt_sd, "target": target,
        "protection_sd": s_prot, "safety_stock": np.where(active, ss, 0.0), "min_level": low, "max_level": high,
        "order_qty": q,
        "review_days": review,
        "holding_cost_day": h_day, "unit_cost": unit_cost, "moq": moq, "order_multiple": mult,
    })


def _forecast(inputs: InventoryInputs, where: str) -> tuple[np.ndarray, np.ndarray] | None:
    """The stored forecast's mean and sd per SKU and day, or None when demand comes from sales history."""
    if inputs.forecast_mean is None:
        return None
    if inputs.forecast_sd is None:
        raise ValueError(f"{where}: the inputs hold a forecast mean but no forecast_sd; give both or neither")
    return inputs.forecast_mean, inputs.forecast_sd


def demand_model(inputs: InventoryInputs, settings: Settings) -> DemandModel:
    """The latest forecast if stored, else bootstrapped history, with the what-if growth."""
    forecast = _forecast(inputs, "demand_model")
    if forecast is not None:
        return ForecastDemand(mean=forecast[0], sd=forecast[1], growth=settings.demand_growth)
    return BootstrapDemand(history=inputs.history, growth=settings.demand_growth)


def runs_for(items: int, most: int, least: int, item_runs: int) -> int:
    """Simulated runs for ``items`` items: ``most``, fewer when items x runs would pass ``item_runs``, never fewer than
    ``least``. An average over many items pools their runs, so a large selection needs fewer of them for the same
    precision, and the cost of a what-if stays about the same whatever the selection."""
    if not 2 <= least <= most or item_runs < 1:
        raise ValueError(f"runs_for: need 2 <= least <= most and item_runs >= 1; got {least}, {most}, {item_runs}")
    return max(least, min(most, item_runs // max(items, 1)))


def run(inputs: InventoryInputs, settings: Settings, policy: pd.DataFrame | None = None, days: int = 365,
        replications: int = 200, seed: int = 7, track: tuple[int, ...] = (), workers: int = 1,
        supply: SupplyWindow | None = None, from_today: bool = True) -> SimulationResult:
    """Simulate today's stock forward under ``policy`` (default: :func:`design` of ``settings``).

    ``from_today`` False starts every item instead at its max level, fresh, with nothing on order: how the
    policy performs once in place, free of today's surpluses and shortfalls (what :func:`tune` holds to the
    target). ``workers`` > 1 simulates blocks of SKUs in parallel threads; ``supply`` changes supply for the
    first days (see :func:`simulate`).
    """
    policy = design(inputs, settings) if policy is None else policy
    p = inputs.products
    margin = np.maximum(p["unit_price"].to_numpy(float) - p["unit_cost"].to_numpy(float), 0.0)
    life = p["shelf_life_days"].to_numpy(dtype=float, na_value=np.nan)
    if from_today:
        start = {"initial_lots": inputs.lots, "initial_expiry_day": inputs.lot_expiry_day,
                 "open_orders": inputs.open_orders, "open_order_day": inputs.open_order_day}
    else:
        start = {"initial_lots": np.maximum(policy["max_level"].to_numpy(float), 0.0)[:, None],
                 "initial_expiry_day": np.where(np.isfinite(life), life - 1, np.inf)[:, None]}
    items = Items(
        holding_cost=policy["holding_cost_day"].to_numpy(float),
        stockout_cost=margin if settings.lost_sales else margin / 7.0,
        ordering_cost=np.full(len(p), settings.ordering_cost),
        lead_time_samples=inputs.lead_time_samples,
        unit_cost=p["unit_cost"].to_numpy(float),
        shelf_life_days=life, **start,
    )
    pol = Policy(reorder_point=policy["min_level"].to_numpy(float), order_up_to=policy["max_level"].to_numpy(float),
                 review_period=policy["review_days"].to_numpy(int), moq=policy["moq"].to_numpy(float),
                 order_multiple=policy["order_multiple"].to_numpy(float),
                 expected_daily_demand=policy["daily_demand"].to_numpy(float))
    result = simulate(demand_model(inputs, settings), pol, items, days=days, replications=replications,
                      lost_sales=settings.lost_sales, seed=seed, track=track,
                      extra_lead_days=extra_lead(inputs, settings), workers=workers, supply=supply)
    per_sku = result.per_sku.copy()
    per_sku.insert(1, "sku", p["sku"].to_numpy())
    return replace(result, per_sku=per_sku)


def frontier(inputs: InventoryInputs, settings: Settings,
             targets: tuple[float, ...] = (0.8, 0.85, 0.9, 0.95, 0.97, 0.99),
             days: int = 182, replications: int = 40, seed: int = 11, include_current: bool = False) -> pd.DataFrame:
    """Cost versus achieved service for a range of one-for-all targets (each point simulated).

    Returns target, fill_rate, cycle_service_level, cost_per_year (holding + ordering + stockout + waste,
    money per year) with 95 % intervals of the fill rate and cost, and ``current``: with ``include_current``
    one more row (True) simulates ``settings`` as they are (e.g. per-class targets) on the same days, runs
    and seed, so it can be marked on the curve.
    """
    cases = [(replace(settings, target=t), False) for t in targets]
    if include_current:
        cases.append((settings, True))
    rows = []
    scale = 365.0 / days
    for case, current in cases:
        tot = run(inputs, case, days=days, replications=replications, seed=seed).total.set_index("measure")
        rows.append({"target": np.nan if case.target is None else case.target, "current": current,
                     "fill_rate": tot.loc["fill_rate", "mean"],
                     "fill_rate_low": tot.loc["fill_rate", "ci_low"], "fill_rate_high": tot.loc["fill_rate", "ci_high"],
                     "cycle_service_level": tot.loc["cycle_service_level", "mean"],
                     "cost_per_year": tot.loc["total_cost", "mean"] * scale,
                     "cost_low": tot.loc["total_cost", "ci_low"] * scale,
                     "cost_high": tot.loc["total_cost", "ci_high"] * scale})
    return pd.DataFrame(rows)
