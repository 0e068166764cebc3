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

Common random numbers (Law 2015, *Simulation Modeling and Analysis*, 5th ed., §11.2): demand comes
from its own random stream, and the lead time of an order is a hash of (seed, day, SKU, replication),
so two what-ifs run with the same seed see the same demand and the same lead time for an order placed
on the same day; their difference is the what-if, not sampling noise.

A :class:`SupplyWindow` changes supply for the first days (a supplier outage or delay and the
contingencies against it): orders can be blocked, slowed or sent elsewhere at a premium.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from functools import lru_cache

import numpy as np
import numpy.typing as npt
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
    expected_daily_demand: np.ndarray | float | None = None
    """Units a day the planner expects to sell. Given, the inventory position of a perishable leaves out the
    stock expected to pass its use-by date before an order placed today arrives and is reviewed again
    (EWA: Broekmeulen & van Donselaar 2009, Computers & Operations Research 36(11), 3013-3018); None counts
    all stock on hand, as for a non-perishable."""


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
class SupplyWindow:
    """A temporary change of supply over days ``[0, days)``; per-SKU arrays or one number for all."""

    days: int
    """Length of the window from day 0, days."""
    blocked: np.ndarray | bool = False
    """No order can be placed in the window (supplier out)."""
    extra_lead_days: np.ndarray | float = 0.0
    """Added to the lead time of orders placed in the window, days."""
    min_lead_days: np.ndarray | float = 0.0
    """Orders placed in the window take at least this long (e.g. another supplier's lead time), days."""
    excluded_on_order: np.ndarray | float = 0.0
    """Units on order left out of the inventory position in the window (stuck at a supplier that is out)."""
    unit_premium: np.ndarray | float = 0.0
    """Money per unit ordered in the window on top of the unit cost (expediting, a dearer supplier)."""
    order_fee: np.ndarray | float = 0.0
    """Money per order placed in the window."""


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
    track: tuple[int, ...] = ()
    """SKU indices whose days were kept (``simulate(track=...)``)."""
    tracked_on_hand: np.ndarray | None = None
    """Units on hand at day end of the tracked SKUs, shape (days, tracked SKUs, replications)."""
    tracked_short: np.ndarray | None = None
    """Units of demand not met that day (lost or backordered), same shape."""

    @property
    def on_hand_bands(self) -> pd.DataFrame:
        """For the tracked SKUs: day, sku index, quantiles p5/p25/p50/p75/p95 of units on hand at day end."""
        if self.tracked_on_hand is None or not self.track:
            return pd.DataFrame()
        q = np.percentile(self.tracked_on_hand, [5, 25, 50, 75, 95], axis=2)  # (5, days, k)
        return pd.concat([pd.DataFrame({"day": np.arange(self.days), "sku_index": sku, "p5": q[0, :, j],
                                        "p25": q[1, :, j], "p50": q[2, :, j], "p75": q[3, :, j], "p95": q[4, :, j]})
                          for j, sku in enumerate(self.track)], ignore_index=True)


MEASURES = ("fill_rate", "cycle_service_level", "in_stock_days", "avg_on_hand", "orders", "units_ordered",
            "holding_cost", "ordering_cost", "stockout_cost", "waste_units", "waste_cost", "total_cost", "demand",
            "lost_or_late", "window_orders", "window_units", "window_cost")
"""Per SKU and in total; ``window_*``: orders, units and extra cost (premiums and fees, part of the total cost)
placed during a :class:`SupplyWindow`."""


_Floats = npt.NDArray[np.float64]
_Ints = npt.NDArray[np.int64]
_Index = npt.NDArray[np.intp]
_Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class _SupplyArrays:
    """A :class:`SupplyWindow` checked and spread over the SKUs (arrays of length SKUs)."""

    days: int
    """Length of the window from day 0, days (0 = no window)."""
    blocked: _Flags
    """No order can be placed in the window."""
    extra: _Ints
    """Days added to the lead time of orders placed in the window (whole days)."""
    floor: _Ints
    """Least lead time of orders placed in the window, days (whole days)."""
    excluded: _Floats
    """Units on order left out of the inventory position in the window."""
    premium: _Floats
    """Money per unit ordered in the window on top of the unit cost."""
    fee: _Floats
    """Money per order placed in the window."""


@dataclass(frozen=True, slots=True)
class SimState:
    """The checked set-up of a simulation, per SKU (first axis: SKUs, in the order of the demand model).

    Policy, supply and the stock on day 0 that every replication starts from; :func:`simulate` builds it once
    and each block of SKUs takes its rows (:meth:`take`).
    """

    s: npt.NDArray[np.float64]
    """Reorder point s, units (inventory position at or below it: order)."""
    big_s: npt.NDArray[np.float64]
    """Order-up-to level S, units."""
    review: npt.NDArray[np.int_]
    """Days between reviews, at least 1."""
    moq: npt.NDArray[np.float64]
    """Minimum order quantity, units (>= 0)."""
    mult: npt.NDArray[np.float64]
    """Order multiple, units (>= 1)."""
    lead: npt.NDArray[np.int64]
    """Possible lead times, whole days >= 0 with the what-if extra days included, shape (SKUs, k)."""
    lots: npt.NDArray[np.float64]
    """Starting stock by lot, units, shape (SKUs, j); lots already past their use-by day hold 0."""
    expiry: npt.NDArray[np.float64]
    """Last usable day of each starting lot, days from day 0 (inf = never), shape (SKUs, j)."""
    start: npt.NDArray[np.float64]
    """Units on hand on day 0 (the sum of ``lots``)."""
    life: npt.NDArray[np.float64]
    """Shelf life from receipt, days (>= 1; inf = does not expire)."""
    oq: npt.NDArray[np.float64]
    """Units on open orders, shape (SKUs, j)."""
    od: npt.NDArray[np.int_]
    """Day each open order arrives, days from day 0 (0 to ring - 1), shape (SKUs, j)."""
    mu: npt.NDArray[np.float64]
    """Expected daily demand for the EWA inventory position, units per day (0 when not used)."""
    ewa_days: npt.NDArray[np.int64]
    """Days the EWA position looks ahead: mean lead time plus the review period, days (0 when not used)."""
    blocked: npt.NDArray[np.bool_]
    """No order can be placed during the supply window."""
    win_extra: npt.NDArray[np.int64]
    """Days added to the lead time of orders placed during the supply window."""
    win_floor: npt.NDArray[np.int64]
    """Least lead time of orders placed during the supply window, days."""
    excluded: npt.NDArray[np.float64]
    """Units on order left out of the inventory position during the supply window."""

    def take(self, rows: npt.NDArray[np.intp]) -> SimState:
        """The set-up of the SKUs ``rows`` (positions), in that order."""
        return SimState(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})


@dataclass(frozen=True, slots=True)
class SimTotals:
    """Sums over the simulated days per SKU and replication, shape (SKUs, replications), float."""

    demand: npt.NDArray[np.float64]
    """Units demanded."""
    sold: npt.NDArray[np.float64]
    """Units served on the day they were demanded."""
    on_hand: npt.NDArray[np.float64]
    """Units on hand at day end, summed over days (unit-days)."""
    backlog: npt.NDArray[np.float64]
    """Units backordered at day end, summed over days (unit-days; 0 with lost sales)."""
    waste: npt.NDArray[np.float64]
    """Units thrown away past their use-by day."""
    orders: npt.NDArray[np.float64]
    """Orders placed."""
    ordered: npt.NDArray[np.float64]
    """Units ordered."""
    win_orders: npt.NDArray[np.float64]
    """Orders placed during the supply window."""
    win_units: npt.NDArray[np.float64]
    """Units ordered during the supply window."""
    short_days: npt.NDArray[np.float64]
    """Days with demand not met in full."""
    cycles: npt.NDArray[np.float64]
    """Days a delivery arrived (each ends a replenishment cycle)."""
    bad_cycles: npt.NDArray[np.float64]
    """Days a delivery arrived after a day short since the delivery before (cycles that ran out)."""
    short: npt.NDArray[np.float64]
    """Units not served on the day they were demanded (lost or backordered): demand - sold."""

    @staticmethod
    def concat(parts: list[SimTotals]) -> SimTotals:
        """The totals of blocks of SKUs stacked in block order."""
        return SimTotals(**{f.name: np.concatenate([getattr(part, f.name) for part in parts])
                            for f in fields(SimTotals)})


@dataclass(frozen=True, slots=True)
class _Block:
    """What one block of SKUs gives back from :func:`_run_block`."""

    totals: SimTotals
    """Per-SKU x replication sums."""
    tracked_on_hand: _Floats | None
    """Units on hand at day end of the block's tracked SKUs, shape (days, tracked SKUs, replications); None if none."""
    tracked_short: _Floats | None
    """Units of demand not met that day, same shape; None if no SKU is tracked."""


def _per_sku(value: object, n: int, name: str) -> _Floats:
    arr: _Floats = np.broadcast_to(np.asarray(value, dtype=float), (n,)).astype(float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"simulate: {name} has missing or infinite values")
    return arr


@lru_cache(maxsize=512)
def _t975(dof: int) -> float:
    """97.5 % quantile of Student's t with ``dof`` degrees of freedom."""
    return float(stats.t.ppf(0.975, dof))


def _ci(samples: _Floats, axis: int = -1) -> tuple[_Floats | float, _Floats]:
    """Mean and 95 % t-interval half-width over ``axis`` (NaN samples ignored); the mean is NaN when
    ``samples`` is empty."""
    if samples.size and np.isfinite(samples).all():  # the usual case, without nanmean's and nanstd's copies
        n, mean = samples.shape[axis], samples.mean(axis=axis)
        if n < 2:
            return mean, np.full(np.shape(mean), np.nan)
        return mean, _t975(n - 1) * samples.std(axis=axis, ddof=1) / np.sqrt(n)
    count = np.sum(~np.isnan(samples), axis=axis)
    dof, where = np.unique(np.maximum(count - 1, 1), return_inverse=True)
    t = np.array([_t975(int(d)) for d in dof])[where].reshape(np.shape(count))
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean_or_nan: _Floats | float = np.nanmean(samples, axis=axis) if samples.size else np.nan
        sd = np.nanstd(samples, axis=axis, ddof=1)
        half = t * sd / np.sqrt(np.maximum(count, 1))
    return mean_or_nan, np.where(count > 1, half, np.nan)


def simulate(demand: DemandModel, policy: Policy, items: Items, days: int = 365, replications: int = 200,
             lost_sales: bool = True, seed: int = 0, track: tuple[int, ...] = (),
             extra_lead_days: np.ndarray | float = 0.0, workers: int = 1,
             supply: SupplyWindow | None = None) -> SimulationResult:
    """Simulate ``replications`` independent runs of ``days`` days for every SKU at once.

    ``extra_lead_days`` (per SKU or one number) is added to every drawn lead time (what-if delays;
    lead times never drop below 0). ``track`` lists SKU indices whose daily stock and shortage are kept per run.
    ``workers`` > 1 splits the SKUs into that many blocks simulated in parallel threads (each block
    gets its own demand stream from ``seed``, so results differ from ``workers=1`` only by sampling).
    ``supply`` changes ordering during its window (see :class:`SupplyWindow`).
    """
    n, reps = demand.n_skus, int(replications)
    if days < 1 or reps < 2:
        raise ValueError(f"simulate: need at least 1 day and 2 replications (got {days} days, {reps} replications)")
    s = _per_sku(policy.reorder_point, n, "reorder_point")
    big_s = _per_sku(policy.order_up_to, n, "order_up_to")
    if np.any(big_s <= s):
        bad = int(np.flatnonzero(big_s <= s)[0])
        raise ValueError(f"simulate: order_up_to must exceed reorder_point; SKU {bad} has s={s[bad]:g}, "
                         f"S={big_s[bad]:g}")
    review = np.maximum(_per_sku(policy.review_period, n, "review_period").astype(int), 1)
    moq = np.maximum(_per_sku(policy.moq, n, "moq"), 0)
    mult = np.maximum(_per_sku(policy.order_multiple, n, "order_multiple"), 1)
    h = _per_sku(items.holding_cost, n, "holding_cost")
    p = _per_sku(items.stockout_cost, n, "stockout_cost")
    k = _per_sku(items.ordering_cost, n, "ordering_cost")
    c = _per_sku(items.unit_cost, n, "unit_cost")
    if min(h.min(), p.min(), k.min(), c.min()) < 0:
        raise ValueError("simulate: costs must be zero or more")
    ewa = policy.expected_daily_demand is not None
    mu = np.maximum(_per_sku(policy.expected_daily_demand if ewa else 0.0, n, "expected_daily_demand"), 0.0)
    lead_days = np.asarray(items.lead_time_samples, dtype=float).reshape(n, -1)
    if lead_days.shape[1] == 0 or not np.all(np.isfinite(lead_days)) or np.any(lead_days < 0):
        raise ValueError("simulate: lead_time_samples must hold at least one lead time (>= 0 days) per SKU")
    extra = np.broadcast_to(np.asarray(extra_lead_days, float), (n,))[:, None]
    lead = np.maximum(np.rint(lead_days + extra), 0).astype(np.int64)
    last_open = (0 if items.open_order_day is None
                 else int(np.nanmax(np.asarray(items.open_order_day, float), initial=0)))
    window = _window(supply, n)
    ring = max(int(lead.max()) + int(window.extra.max()), int(window.floor.max()), last_open) + 1

    # starting stock by lot (expired lots dropped)
    if items.initial_lots is not None:
        lots = np.asarray(items.initial_lots, float).reshape(n, -1)
        expiry = (np.full(lots.shape, np.inf) if items.initial_expiry_day is None
                  else np.asarray(items.initial_expiry_day, float).reshape(n, -1))
        lots = np.where(expiry >= 0, lots, 0.0)
        start = lots.sum(axis=1)
    else:
        lots = np.broadcast_to(_per_sku(items.initial_on_hand, n, "initial_on_hand"), (n,))[:, None]
        expiry = np.full((n, 1), np.inf)
        start = lots[:, 0].copy()
    life = (np.full(n, np.inf) if items.shelf_life_days is None
            else np.asarray(items.shelf_life_days, float).reshape(n))
    life = np.where(np.isnan(life), np.inf, np.maximum(life, 1))
    if items.open_orders is not None:
        oq = np.asarray(items.open_orders, float).reshape(n, -1)
        od = np.clip(np.nan_to_num(np.asarray(items.open_order_day, float).reshape(n, -1)), 0, ring - 1).astype(int)
    else:
        oq, od = np.zeros((n, 1)), np.zeros((n, 1), dtype=int)
    # EWA window: days until an order placed today arrives (mean lead) and the next review after it
    ewa_days = np.where(ewa, np.rint(lead.mean(axis=1)) + review, 0).astype(np.int64)
    state = SimState(s=s, big_s=big_s, review=review, moq=moq, mult=mult, lead=lead, lots=lots, expiry=expiry,
                     start=start, life=life, oq=oq, od=od, mu=mu, ewa_days=ewa_days, blocked=window.blocked,
                     win_extra=window.extra, win_floor=window.floor, excluded=window.excluded)
    lead_key: np.uint64 = np.random.SeedSequence([int(seed), 1]).generate_state(1, np.uint64)[0]
    track = tuple(int(i) for i in track)
    if any(not 0 <= i < n for i in track):
        raise ValueError(f"simulate: track holds SKU indices 0 to {n - 1}; got {[i for i in track if not 0 <= i < n]}")
    workers = max(1, min(int(workers), n))
    blocks = np.array_split(np.arange(n), workers)
    seeds: list[int] | list[np.random.SeedSequence] = (
        [seed] if workers == 1 else np.random.SeedSequence(seed).spawn(workers))
    block_track = []
    for rows in blocks:
        members = set(rows.tolist())
        block_track.append([i for i in track if i in members])

    def run_block(j: int) -> _Block:
        return _run_block(blocks[j], state, demand, days, reps, ring, lost_sales, seeds[j], block_track[j],
                          (lead_key, n, window.days))

    if workers == 1:
        parts = [run_block(0)]
    else:  # numpy releases the GIL inside its array loops, so SKU blocks run in parallel threads
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run_block, range(workers)))
    tot = SimTotals.concat([part.totals for part in parts])
    tracked = short = None
    if track and len(parts) == 1:  # one block tracked every SKU, in order
        tracked, short = parts[0].tracked_on_hand, parts[0].tracked_short
    elif track:
        found = {sku: (part.tracked_on_hand[:, j], part.tracked_short[:, j])
                 for part, block_skus in zip(parts, block_track, strict=True)
                 if part.tracked_on_hand is not None and part.tracked_short is not None
                 for j, sku in enumerate(block_skus)}
        tracked = np.stack([found[sku][0] for sku in track], axis=1)
        short = np.stack([found[sku][1] for sku in track], axis=1)
    result = _summarise(tot, h, p, k, c, window.premium, window.fee, days, reps, lost_sales)
    return replace(result, track=track, tracked_on_hand=tracked, tracked_short=short)


def _window(supply: SupplyWindow | None, n: int) -> _SupplyArrays:
    """The supply window as per-SKU arrays (an empty window when ``supply`` is None)."""
    if supply is None:
        supply = SupplyWindow(days=0)
    if int(supply.days) < 0:
        raise ValueError(f"simulate: the supply window lasts {supply.days} days; use 0 or more")

    def checked(value: np.ndarray | float, name: str) -> _Floats:
        arr = _per_sku(value, n, f"supply window {name}")
        if np.any(arr < 0):
            raise ValueError(f"simulate: supply window {name} must be 0 or more")
        return arr

    extra = checked(supply.extra_lead_days, "extra_lead_days")
    floor = checked(supply.min_lead_days, "min_lead_days")
    excluded = checked(supply.excluded_on_order, "excluded_on_order")
    premium = checked(supply.unit_premium, "unit_premium")
    fee = checked(supply.order_fee, "order_fee")
    return _SupplyArrays(days=int(supply.days), blocked=np.broadcast_to(np.asarray(supply.blocked, bool), (n,)).copy(),
                         extra=np.rint(extra).astype(np.int64), floor=np.rint(floor).astype(np.int64),
                         excluded=excluded, premium=premium, fee=fee)


def _lead_pick(key: np.uint64, t: int, sku: _Index, rep: _Index, n_skus: int, reps: int, k: int) -> _Ints:
    """Lead-time sample index of each order: splitmix64 (Steele, Lea and Flood 2014) of (seed, day, SKU, run)."""
    x = (np.uint64(t) * np.uint64(n_skus) + sku.astype(np.uint64)) * np.uint64(reps) + rep.astype(np.uint64)
    x = (x ^ key) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return (x % np.uint64(k)).astype(np.int64)


def _run_block(rows: _Index, state: SimState, demand: DemandModel, days: int, reps: int, ring: int,
               lost_sales: bool, seed: int | np.random.SeedSequence, track: list[int],
               leads: tuple[np.uint64, int, int]) -> _Block:
    """Simulate the SKUs ``rows`` (all replications); returns per-SKU x replication totals and, for the
    tracked SKUs, stock on hand and shortage per day."""
    n = rows.size
    mine = state.take(rows)
    s, big_s, review, moq, mult = mine.s, mine.big_s, mine.review, mine.moq, mine.mult
    lead, lots, expiry, start, life = mine.lead, mine.lots, mine.expiry, mine.start, mine.life
    e_order = np.argsort(expiry, axis=1)
    e_sorted = np.take_along_axis(expiry, e_order, axis=1)
    cum_lots = np.cumsum(np.take_along_axis(lots, e_order, axis=1), axis=1)
    in_ring = life < days  # received stock can expire within the horizon
    lots_expire = np.any(np.isfinite(e_sorted) & (e_sorted < days) & (cum_lots > 0), axis=1)
    # SKUs that can waste come first, ring SKUs first of all, so the daily expiry step works on slices
    # ring SKUs by EWA window, longest first, so each day ahead of the EWA step works on a prefix of them
    # (demand is drawn in the order without that sort, so what-ifs that move lead times keep the same demand)
    drawn = np.concatenate([np.flatnonzero(in_ring), np.flatnonzero(~in_ring & lots_expire),
                            np.flatnonzero(~in_ring & ~lots_expire)])
    ring_rows = drawn[:int(in_ring.sum())]
    ring_rows = ring_rows[np.argsort(-np.minimum(mine.ewa_days[ring_rows], life[ring_rows] - 1), kind="stable")]
    perm = np.concatenate([ring_rows, drawn[len(ring_rows):]])
    from_drawn = None if np.array_equal(perm, drawn) else np.argsort(drawn)[perm]
    n_ring, n_exp = int(in_ring.sum()), int((in_ring | lots_expire).sum())
    s, big_s, review, moq, mult = s[perm], big_s[perm], review[perm], moq[perm], mult[perm]
    lead, start, life = lead[perm], start[perm], life[perm]
    # threshold at end of day t: every starting lot whose last usable day is <= t must be gone
    e_exp, c_exp = e_sorted[perm[:n_exp]], cum_lots[perm[:n_exp]]
    init_thr = np.zeros((days, n_exp))
    for j in range(e_exp.shape[1]):  # lots per SKU (a handful), not SKUs
        day = np.where(np.isfinite(e_exp[:, j]) & (e_exp[:, j] < days), e_exp[:, j], days).astype(int)
        hit = np.flatnonzero(day < days)
        init_thr[day[hit], hit] = np.maximum(init_thr[day[hit], hit], c_exp[hit, j])
    init_thr = np.maximum.accumulate(init_thr, axis=0)
    ring_life = life[:n_ring].astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(ring_life)[:-1]]).astype(np.int64)
    cum_ring = np.zeros((int(ring_life.sum()), reps))
    # EWA (ring SKUs): days ahead whose use-by threshold is already known (at most life - 1), expected sales;
    # ewa_width[k] = ring SKUs that look k days ahead (a prefix: sorted above)
    ewa_days = np.minimum(mine.ewa_days[perm][:n_ring], ring_life - 1)
    ewa_mu = mine.mu[perm][:n_ring, None]
    ewa_max = int(ewa_days.max(initial=0))
    ewa_width = [int((ewa_days > k).sum()) for k in range(ewa_max)]
    outdating = np.empty((n_ring, reps))
    init_any = bool(init_thr[:, :n_ring].any())

    rng = np.random.default_rng(seed)
    draw = demand.sampler(rng, reps, order=rows[drawn])
    lead_key, n_all, win_days = leads
    global_sku = rows[perm]
    blocked = mine.blocked[perm][:, None]
    win_extra, win_floor, excluded = mine.win_extra[perm], mine.win_floor[perm], mine.excluded[perm]
    shape = (n, reps)
    on_hand = np.repeat(start[:, None], reps, axis=1)
    received = on_hand[:n_exp].copy()  # cumulative units received (starting stock included), SKUs that can waste
    backlog = np.zeros(shape)
    on_order = np.zeros(shape)
    pipe = np.zeros((ring, n, reps))
    oq, od = mine.oq[perm], mine.od[perm]
    for j in range(oq.shape[1]):  # open-order columns (a handful), not SKUs
        pipe[od[:, j], np.arange(n)] += oq[:, j][:, None]
    on_order += pipe.sum(axis=0)

    # running sums over days (see SimTotals)
    sum_demand, sum_sold, sum_on_hand, sum_backlog = np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape)
    sum_waste, sum_orders, sum_ordered = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    sum_win_orders, sum_win_units = np.zeros(shape), np.zeros(shape)
    short_days, cycles, bad_cycles = (np.zeros(shape, dtype=np.int32), np.zeros(shape, dtype=np.int32),
                                      np.zeros(shape, dtype=np.int32))
    short_flag = np.zeros(shape, dtype=bool)
    inverse = np.argsort(perm)
    local = {int(sku): i for i, sku in enumerate(rows)}
    tracked_rows = inverse[[local[sku] for sku in track]]
    tracked = np.zeros((days, len(track), reps))  # empty when no SKU of the block is tracked
    tracked_short = np.zeros((days, len(track), reps))
    daily = bool(np.all(review == 1))
    position = np.empty(shape)
    flat_position, flat_pipe, flat_on_order = position.reshape(-1), pipe.reshape(-1), on_order.reshape(-1)
    flat_orders, flat_ordered = sum_orders.reshape(-1), sum_ordered.reshape(-1)
    flat_win_orders, flat_win_units = sum_win_orders.reshape(-1), sum_win_units.reshape(-1)
    want_flag = np.empty(shape, dtype=bool)
    s_col = s[:, None]
    sold = np.empty(shape)
    got = np.empty(shape, dtype=bool)
    out = np.empty(shape, dtype=bool)
    rows_now = offsets.copy()
    thr = np.empty((n_exp, reps))  # units that must be gone by tonight (used or thrown away)

    for t in range(days):
        # 1. review and order (flat indices into the SKU x replication arrays)
        np.add(on_hand, on_order, out=position)
        if not lost_sales:
            position -= backlog
        if ewa_max:  # stock that will expire before the next order can arrive does not count
            gone = received[:n_ring] - on_hand[:n_ring]  # used or thrown away so far
            outdating.fill(0.0)
            for k, m in enumerate(ewa_width):
                # units that must be gone by the end of day t + k: received by day t + k + 1 - life
                ahead = cum_ring[offsets[:m] + (t + k + 1) % ring_life[:m]]
                if init_any:
                    np.maximum(ahead, init_thr[min(t + k, days - 1), :m, None], out=ahead)
                ahead -= gone[:m]
                ahead -= ewa_mu[:m] * (k + 1)
                np.maximum(outdating[:m], ahead, out=outdating[:m])
            position[:n_ring] -= outdating
        in_window = t < win_days
        if in_window:
            position -= excluded[:, None]
        np.less_equal(position, s_col, out=want_flag)
        if not daily:
            want_flag &= ((t % review) == 0)[:, None]
        if in_window:
            want_flag &= ~blocked
        idx = np.flatnonzero(want_flag)
        if idx.size:
            skus = idx // reps
            want = big_s[skus] - flat_position[idx]
            qty = np.ceil(np.maximum(want, moq[skus]) / mult[skus] - 1e-9) * mult[skus]
            if lead.shape[1] > 1:
                lt = lead[skus, _lead_pick(lead_key, t, global_sku[skus], idx % reps, n_all, reps, lead.shape[1])]
            else:
                lt = lead[skus, 0]
            if in_window:
                lt = np.maximum(lt + win_extra[skus], win_floor[skus])
                flat_win_orders[idx] += 1
                flat_win_units[idx] += qty
            flat_pipe[((t + lt) % ring) * (n * reps) + idx] += qty
            flat_on_order[idx] += qty
            flat_orders[idx] += 1
            flat_ordered[idx] += qty
        # 2. receive
        slot = t % ring
        arrived = pipe[slot]
        on_hand += arrived
        on_order -= arrived
        received += arrived[:n_exp]
        np.greater(arrived, 0, out=got)
        cycles += got
        got &= short_flag
        bad_cycles += got
        short_flag &= ~(arrived > 0)
        arrived.fill(0.0)
        # 3. serve backorders, then today's demand
        if not lost_sales:
            np.minimum(on_hand, backlog, out=sold)
            on_hand -= sold
            backlog -= sold
        d = draw(t) if from_drawn is None else draw(t)[from_drawn]
        np.minimum(on_hand, d, out=sold)
        on_hand -= sold
        if track:
            tracked_short[t] = (d - sold)[tracked_rows]
        np.greater(d, sold, out=out)
        short_flag |= out
        short_days += out
        sum_demand += d
        sum_sold += sold
        if not lost_sales:
            backlog += d
            backlog -= sold
            sum_backlog += backlog
        # 4. throw away what passed its use-by date (FEFO: oldest units were used first)
        if n_exp:
            thr[...] = init_thr[t][:, None]
            if n_ring:
                np.add(offsets, t % ring_life, out=rows_now)
                cum_ring[rows_now] = received[:n_ring]
                np.add(offsets, (t + 1) % ring_life, out=rows_now)
                np.maximum(thr[:n_ring], cum_ring[rows_now], out=thr[:n_ring])
            thr -= received  # minus what came in = minus (used + wasted + on hand)
            thr += on_hand[:n_exp]  # units on hand that must go
            np.maximum(thr, 0.0, out=thr)
            np.minimum(thr, on_hand[:n_exp], out=thr)
            on_hand[:n_exp] -= thr
            sum_waste[:n_exp] += thr
        sum_on_hand += on_hand
        if track:
            tracked[t] = on_hand[tracked_rows]

    demand_sum, sold_sum = sum_demand[inverse], sum_sold[inverse]
    totals = SimTotals(
        demand=demand_sum, sold=sold_sum, on_hand=sum_on_hand[inverse], backlog=sum_backlog[inverse],
        waste=sum_waste[inverse], orders=sum_orders[inverse], ordered=sum_ordered[inverse],
        win_orders=sum_win_orders[inverse], win_units=sum_win_units[inverse],
        short_days=short_days[inverse].astype(float), cycles=cycles[inverse].astype(float),
        bad_cycles=bad_cycles[inverse].astype(float), short=demand_sum - sold_sum)
    return _Block(totals, tracked if track else None, tracked_short if track else None)


def _summarise(tot: SimTotals, h: _Floats, p: _Floats, k: _Floats, c: _Floats, premium: _Floats, fee: _Floats,
               days: int, reps: int, lost_sales: bool) -> SimulationResult:
    with np.errstate(invalid="ignore", divide="ignore"):
        fill = np.where(tot.demand > 0, tot.sold / tot.demand, np.nan)
        csl = np.where(tot.cycles > 0, 1 - tot.bad_cycles / tot.cycles, np.nan)
    holding = h[:, None] * tot.on_hand
    ordering = k[:, None] * tot.orders
    stockout = p[:, None] * (tot.short if lost_sales else tot.backlog)
    waste_cost = c[:, None] * tot.waste
    window_cost = premium[:, None] * tot.win_units + fee[:, None] * tot.win_orders
    per_rep: dict[str, _Floats] = {
        "fill_rate": fill, "cycle_service_level": csl, "in_stock_days": 1 - tot.short_days / days,
        "avg_on_hand": tot.on_hand / days, "orders": tot.orders, "units_ordered": tot.ordered,
        "holding_cost": holding,
        "ordering_cost": ordering, "stockout_cost": stockout, "waste_units": tot.waste, "waste_cost": waste_cost,
        "total_cost": holding + ordering + stockout + waste_cost + window_cost, "demand": tot.demand,
        "lost_or_late": tot.short, "window_orders": tot.win_orders, "window_units": tot.win_units,
        "window_cost": window_cost,
    }
    cols: dict[str, _Floats | _Index | float] = {"sku_index": np.arange(h.size)}
    for name in MEASURES:
        mean, half = _ci(per_rep[name], axis=1)
        cols[name], cols[name + "_ci"] = mean, half
    per_sku = pd.DataFrame(cols)
    rows: list[dict[str, str | float]] = []
    sums = {name: per_rep[name].sum(axis=0) for name in MEASURES if name not in
            ("fill_rate", "cycle_service_level", "in_stock_days")}
    with np.errstate(invalid="ignore", divide="ignore"):
        sums["fill_rate"] = tot.sold.sum(axis=0) / tot.demand.sum(axis=0)
        sums["cycle_service_level"] = 1 - tot.bad_cycles.sum(axis=0) / tot.cycles.sum(axis=0)
        sums["in_stock_days"] = per_rep["in_stock_days"].mean(axis=0)
    for name in MEASURES:
        mean, half = _ci(sums[name])
        rows.append({"measure": name, "mean": float(mean), "ci_low": float(mean - half), "ci_high": float(mean + half)})
    return SimulationResult(per_sku=per_sku, total=pd.DataFrame(rows), days=days, replications=reps)
