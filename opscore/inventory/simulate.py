"""Monte Carlo inventory simulator, vectorised over SKUs x replications (one numpy step per day).

Each day, in this order: (1) on review days every SKU whose inventory position (on hand + on order -
backorders) is at or below its reorder point orders up to its order-up-to level, rounded to MOQ and
order multiples, with a lead time drawn from that SKU's lead-time sample (0 = arrives today);
(2) arrivals go on the shelf; (3) backorders are served first, then today's demand, first-expiring
stock first (FEFO); the rest is lost or backordered; (4) stock past its use-by date is thrown away;
(5) holding cost is charged on the stock left.

This is the period timing of Snyder & Shen (2019) §4.3 (periodic review, order at the start of the
period, lead time L periods): a base-stock level protects L + 1 days of demand when reviewing daily.
Perishables: with one shelf life per SKU, first-in-first-out equals first-expiring-first-out, so the
units received up to day t - m + 1 must all be gone by the end of day t; a per-SKU ring of cumulative
receipts gives that threshold without tracking lots.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from opscore.inventory.demand_models import DemandModel


@dataclass(frozen=True)
class Policy:
    """Replenishment rule per SKU (arrays of length SKUs). (r, Q) maps to s = r, S = r + Q."""

    reorder_point: np.ndarray
    """s: order when the inventory position is at or below this, units."""
    order_up_to: np.ndarray
    """S: order up to this inventory position, units."""
    review_period: np.ndarray | int = 1
    """Days between reviews (1 = every day; R of an (R, S) policy)."""
    moq: np.ndarray | float = 1.0
    """Minimum order quantity, units."""
    order_multiple: np.ndarray | float = 1.0
    """Orders are whole multiples of this, units."""


@dataclass(frozen=True)
class Items:
    """Cost and supply data per SKU (arrays of length SKUs)."""

    holding_cost: np.ndarray
    """Money per unit on hand per day."""
    stockout_cost: np.ndarray
    """Money per unit short (lost sales) or per unit backordered per day (backorders)."""
    ordering_cost: np.ndarray
    """Money per order placed."""
    lead_time_samples: np.ndarray
    """Possible lead times in days, shape (SKUs, k); each order draws one at random."""
    unit_cost: np.ndarray | float = 0.0
    """Money per unit, used to value waste."""
    shelf_life_days: np.ndarray | None = None
    """Days from receipt to use-by; inf or NaN = does not expire."""
    initial_on_hand: np.ndarray | float = 0.0
    """Units on the shelf at the start (not yet expired)."""
    initial_lots: np.ndarray | None = None
    """Optional (SKUs, j) units of the starting stock by lot; with ``initial_expiry_day`` for perishables."""
    initial_expiry_day: np.ndarray | None = None
    """(SKUs, j) last usable day of each starting lot, counted from day 0; inf = never."""
    open_orders: np.ndarray | None = None
    """Optional (SKUs, j) units already on order."""
    open_order_day: np.ndarray | None = None
    """(SKUs, j) day each open order arrives (0 = today)."""


@dataclass(frozen=True)
class SimulationResult:
    """Simulated performance: per SKU and for the whole range, with 95 % confidence intervals."""

    per_sku: pd.DataFrame
    """One row per SKU: mean and CI half-width ('*_ci') of each measure over replications."""
    total: pd.DataFrame
    """One row per measure for all SKUs together: mean, ci_low, ci_high."""
    days: int
    """Days simulated."""
    replications: int
    """Independent runs."""
    on_hand_bands: pd.DataFrame = field(default_factory=pd.DataFrame)
    """For the tracked SKUs: day, sku index, quantiles p5/p25/p50/p75/p95 of units on hand at day end."""


MEASURES = ("fill_rate", "cycle_service_level", "in_stock_days", "avg_on_hand", "orders", "holding_cost",
            "ordering_cost", "stockout_cost", "waste_units", "waste_cost", "total_cost", "demand", "lost_or_late")


def _per_sku(value: object, n: int, name: str) -> np.ndarray:
    arr = np.broadcast_to(np.asarray(value, dtype=float), (n,)).astype(float)
    if not np.all(np.isfinite(arr)) and name not in ("shelf_life_days",):
        raise ValueError(f"simulate: {name} has missing or infinite values")
    return arr


def _ci(samples: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """Mean and 95 % t-interval half-width over ``axis`` (NaN samples ignored)."""
    n = np.sum(~np.isnan(samples), axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nanmean(samples, axis=axis) if samples.size else np.nan
        sd = np.nanstd(samples, axis=axis, ddof=1)
        half = stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / np.sqrt(np.maximum(n, 1))
    return mean, np.where(n > 1, half, np.nan)


def simulate(demand: DemandModel, policy: Policy, items: Items, days: int = 365, replications: int = 200,
             lost_sales: bool = True, seed: int = 0, track: tuple[int, ...] = (),
             extra_lead_days: np.ndarray | float = 0.0) -> SimulationResult:
    """Simulate ``replications`` independent runs of ``days`` days for every SKU at once.

    ``extra_lead_days`` (per SKU or one number) is added to every drawn lead time (what-if delays;
    lead times never drop below 0). ``track`` lists SKU indices whose on-hand spread is kept per day.
    """
    n, reps = demand.n_skus, int(replications)
    if days < 1 or reps < 2:
        raise ValueError(f"simulate: need at least 1 day and 2 replications (got {days} days, {reps} replications)")
    s = _per_sku(policy.reorder_point, n, "reorder_point")
    big_s = _per_sku(policy.order_up_to, n, "order_up_to")
    if np.any(big_s <= s):
        bad = int(np.flatnonzero(big_s <= s)[0])
        raise ValueError(f"simulate: order_up_to must exceed reorder_point; SKU {bad} has s={s[bad]:g}, S={big_s[bad]:g}")
    review = np.maximum(_per_sku(policy.review_period, n, "review_period").astype(int), 1)
    moq = np.maximum(_per_sku(policy.moq, n, "moq"), 0)
    mult = np.maximum(_per_sku(policy.order_multiple, n, "order_multiple"), 1)
    h = _per_sku(items.holding_cost, n, "holding_cost")
    p = _per_sku(items.stockout_cost, n, "stockout_cost")
    k = _per_sku(items.ordering_cost, n, "ordering_cost")
    c = _per_sku(items.unit_cost, n, "unit_cost")
    if min(h.min(), p.min(), k.min(), c.min()) < 0:
        raise ValueError("simulate: costs must be zero or more")
    lead = np.asarray(items.lead_time_samples, dtype=float)
    lead = np.broadcast_to(lead.reshape(n, -1) if lead.ndim else lead, (n, max(lead.reshape(n, -1).shape[1] if lead.ndim else 1, 1)))
    lead = np.maximum(np.rint(lead + np.broadcast_to(np.asarray(extra_lead_days, float), (n,))[:, None]), 0).astype(np.int64)
    if np.any(lead < 0) or not np.all(np.isfinite(lead)):
        raise ValueError("simulate: lead times must be zero or more days")
    ring = int(lead.max()) + 1

    rng = np.random.default_rng(seed)
    draw = demand.sampler(rng, reps)
    shape = (n, reps)

    # starting stock, FEFO thresholds of the starting lots
    if items.initial_lots is not None:
        lots = np.asarray(items.initial_lots, float).reshape(n, -1)
        expiry = (np.full(lots.shape, np.inf) if items.initial_expiry_day is None
                  else np.asarray(items.initial_expiry_day, float).reshape(n, -1))
        live = expiry >= 0
        lots = np.where(live, lots, 0.0)
        start = lots.sum(axis=1)
    else:
        lots = expiry = None
        start = _per_sku(items.initial_on_hand, n, "initial_on_hand")
    life = (np.full(n, np.inf) if items.shelf_life_days is None
            else np.asarray(items.shelf_life_days, float).reshape(n))
    life = np.where(np.isnan(life), np.inf, np.maximum(life, 1))
    ring_skus = np.flatnonzero(life < days)
    init_thr = None
    exp_skus = ring_skus
    if lots is not None:
        order = np.argsort(expiry, axis=1)
        e_sorted = np.take_along_axis(expiry, order, axis=1)
        cum = np.cumsum(np.take_along_axis(lots, order, axis=1), axis=1)
        has = np.flatnonzero(np.any(np.isfinite(e_sorted) & (e_sorted < days) & (cum > 0), axis=1))
        exp_skus = np.union1d(ring_skus, has)
        tgrid = np.arange(days)[:, None, None]
        passed = e_sorted[exp_skus][None, :, :] < tgrid  # lots whose last usable day is before t... shifted below
        # threshold at end of day t: all starting lots with last usable day <= t
        passed = e_sorted[exp_skus][None, :, :] <= tgrid
        init_thr = np.max(np.where(passed, cum[exp_skus][None, :, :], 0.0), axis=2)  # (days, E)
    is_ring = np.isin(exp_skus, ring_skus)
    ring_pos = np.flatnonzero(is_ring)  # positions within exp_skus
    ring_life = life[exp_skus[ring_pos]].astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(ring_life)[:-1]]).astype(np.int64)
    cum_ring = np.zeros((int(ring_life.sum()), reps))

    on_hand = np.repeat(start[:, None], reps, axis=1).astype(float)
    received = on_hand.copy()  # cumulative units received, starting stock included
    backlog = np.zeros(shape)
    on_order = np.zeros(shape)
    pipe = np.zeros((ring, n, reps))
    if items.open_orders is not None:
        oq = np.asarray(items.open_orders, float).reshape(n, -1)
        od = np.clip(np.asarray(items.open_order_day, float).reshape(n, -1), 0, ring - 1).astype(int)
        for j in range(oq.shape[1]):  # a handful of open-order columns, not SKUs
            pipe[od[:, j], np.arange(n)] += oq[:, j][:, None]
        on_order += pipe.sum(axis=0)

    tot = {m: np.zeros(shape) for m in ("demand", "sold", "short", "on_hand", "backlog", "waste", "orders",
                                         "short_days", "cycles", "bad_cycles")}
    short_flag = np.zeros(shape, dtype=bool)
    band_rows = []
    track = tuple(int(i) for i in track)
    tracked = np.zeros((days, len(track), reps)) if track else None
    sku_idx = np.arange(n)

    for t in range(days):
        due = sku_idx[(t % review) == 0]
        if due.size:
            position = on_hand[due] - backlog[due] + on_order[due]
            ii, rr = np.nonzero(position <= s[due, None])
            if ii.size:
                skus = due[ii]
                want = big_s[skus] - position[ii, rr]
                qty = np.ceil(np.maximum(want, moq[skus]) / mult[skus] - 1e-9) * mult[skus]
                lt = lead[skus, rng.integers(0, lead.shape[1], size=skus.size)]
                pipe[(t + lt) % ring, skus, rr] += qty
                on_order[skus, rr] += qty
                tot["orders"][skus, rr] += 1
        slot = t % ring
        arrived = pipe[slot]
        on_hand += arrived
        on_order -= arrived
        received += arrived
        got = arrived > 0
        tot["cycles"] += got
        tot["bad_cycles"] += got & short_flag
        short_flag &= ~got
        pipe[slot] = 0.0
        if not lost_sales:
            served = np.minimum(on_hand, backlog)
            on_hand -= served
            backlog -= served
        d = draw(t)
        sold = np.minimum(on_hand, d)
        on_hand -= sold
        short = d - sold
        if lost_sales:
            pass
        else:
            backlog += short
            tot["backlog"] += backlog
        out = short > 0
        short_flag |= out
        tot["short_days"] += out
        tot["demand"] += d
        tot["sold"] += sold
        tot["short"] += short
        if exp_skus.size:
            thr = np.zeros((exp_skus.size, reps)) if init_thr is None else np.repeat(init_thr[t][:, None], reps, 1)
            if ring_pos.size:
                rows = exp_skus[ring_pos]
                cum_ring[offsets + t % ring_life] = received[rows]
                thr[ring_pos] = np.maximum(thr[ring_pos], cum_ring[offsets + (t + 1) % ring_life])
            gone = received[exp_skus] - on_hand[exp_skus]  # units already used or thrown away
            waste = np.clip(thr - gone, 0.0, on_hand[exp_skus])
            on_hand[exp_skus] -= waste
            tot["waste"][exp_skus] += waste
        tot["on_hand"] += on_hand
        if tracked is not None:
            tracked[t] = on_hand[list(track)]

    return _summarise(tot, h, p, k, c, days, reps, lost_sales, tracked, track)


def _summarise(tot: dict[str, np.ndarray], h: np.ndarray, p: np.ndarray, k: np.ndarray, c: np.ndarray, days: int,
               reps: int, lost_sales: bool, tracked: np.ndarray | None, track: tuple[int, ...]) -> SimulationResult:
    with np.errstate(invalid="ignore", divide="ignore"):
        fill = np.where(tot["demand"] > 0, tot["sold"] / tot["demand"], np.nan)
        csl = np.where(tot["cycles"] > 0, 1 - tot["bad_cycles"] / tot["cycles"], np.nan)
    holding = h[:, None] * tot["on_hand"]
    ordering = k[:, None] * tot["orders"]
    stockout = p[:, None] * (tot["short"] if lost_sales else tot["backlog"])
    waste_cost = c[:, None] * tot["waste"]
    per_rep = {
        "fill_rate": fill, "cycle_service_level": csl, "in_stock_days": 1 - tot["short_days"] / days,
        "avg_on_hand": tot["on_hand"] / days, "orders": tot["orders"], "holding_cost": holding,
        "ordering_cost": ordering, "stockout_cost": stockout, "waste_units": tot["waste"], "waste_cost": waste_cost,
        "total_cost": holding + ordering + stockout + waste_cost, "demand": tot["demand"],
        "lost_or_late": tot["short"],
    }
    cols: dict[str, np.ndarray] = {"sku_index": np.arange(h.size)}
    for name in MEASURES:
        mean, half = _ci(per_rep[name], axis=1)
        cols[name], cols[name + "_ci"] = mean, half
    per_sku = pd.DataFrame(cols)
    rows = []
    sums = {name: per_rep[name].sum(axis=0) for name in MEASURES if name not in
            ("fill_rate", "cycle_service_level", "in_stock_days")}
    with np.errstate(invalid="ignore", divide="ignore"):
        sums["fill_rate"] = tot["sold"].sum(axis=0) / tot["demand"].sum(axis=0)
        sums["cycle_service_level"] = 1 - tot["bad_cycles"].sum(axis=0) / tot["cycles"].sum(axis=0)
        sums["in_stock_days"] = per_rep["in_stock_days"].mean(axis=0)
    for name in MEASURES:
        mean, half = _ci(sums[name])
        rows.append({"measure": name, "mean": float(mean), "ci_low": float(mean - half), "ci_high": float(mean + half)})
    bands = pd.DataFrame()
    if tracked is not None and len(track):
        q = np.percentile(tracked, [5, 25, 50, 75, 95], axis=2)  # (5, days, k)
        frames = [pd.DataFrame({"day": np.arange(days), "sku_index": sku, "p5": q[0, :, j], "p25": q[1, :, j],
                                "p50": q[2, :, j], "p75": q[3, :, j], "p95": q[4, :, j]}) for j, sku in enumerate(track)]
        bands = pd.concat(frames, ignore_index=True)
    return SimulationResult(per_sku=per_sku, total=pd.DataFrame(rows), days=days, replications=reps, on_hand_bands=bands)
