"""Delivery options: empirical-Bayes success rates, ranked options with reasons, and the time-based backtest."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from opscore.delivery_options import (
    SuccessModel,
    backtest,
    first_attempts,
    insertion_km,
    moment_strength,
    new_slot_whatif,
    offered_slots,
    rank_options,
    working_days,
)
from opscore.geo import haversine_km
from opscore.routing import TravelModel

KM_PER_DEG = 6371.0088 * math.pi / 180


def test_method_of_moments_strength_matches_the_beta_binomial_variance() -> None:
    """Two groups of 10 attempts with 3 and 7 successes around p = 0.5: Var(s/n) = p(1-p)(m+n)/(n(m+1)) = 0.04
    gives (m + 10)/(m + 1) = 1.6, so m = 14 (Casella 1985, method of moments for the beta-binomial)."""
    assert moment_strength(np.array([3, 7]), np.array([10, 10]), np.array([0.5, 0.5])) == pytest.approx(14.0)
    # no spread beyond binomial noise -> pool completely; huge spread -> trust each group
    assert moment_strength(np.array([5, 5]), np.array([10, 10]), np.array([0.5, 0.5])) == 1000.0
    assert moment_strength(np.array([0, 100]), np.array([100, 100]), np.array([0.5, 0.5])) == 1.0


def _attempts() -> pd.DataFrame:
    """Hand-made history: cafe C1 2/4 on Mon 08-10; cafe C2 8/8 on Mon 08-10; shop S1 9/10 on Tue 10-12."""
    rows = ([("C1", "cafe", 0, "08:00-10:00", s) for s in (1, 1, 0, 0)]
            + [("C2", "cafe", 0, "08:00-10:00", 1)] * 8 + [("S1", "shop", 1, "10:00-12:00", s) for s in [1] * 9 + [0]])
    return pd.DataFrame(rows, columns=["customer_id", "segment", "weekday", "slot", "success"])


def test_posterior_means_shrink_customer_to_segment_to_overall() -> None:
    """With m = 10 at every level the posterior mean is (s + 10 p_parent)/(n + 10) (Casella 1985, eq. for the
    beta-binomial posterior mean): overall 19/22; cafe (10 + 10 x 19/22)/22; cafe Mon 08-10 the same cell
    data over the cafe rate; C1 (2 + 10 x cell)/(4 + 10). A new cafe gets the cafe cell rate; an unknown
    segment the overall rate."""
    m = SuccessModel(strength=10).fit(_attempts())
    overall = 19 / 22
    cafe = (10 + 10 * overall) / (12 + 10)
    cell = (10 + 10 * cafe) / (12 + 10)
    c1 = (2 + 10 * cell) / (4 + 10)
    q = pd.DataFrame({"customer_id": ["C1", "NEW", "NEW", "NEW"], "segment": ["cafe", "cafe", "cafe", "pub"],
                      "weekday": [0, 0, 3, 0], "slot": ["08:00-10:00"] * 4})
    assert m.predict(q) == pytest.approx([c1, cell, cafe, overall])
    assert m.source(q) == ["customer", "segment slot", "segment", "overall"]
    assert c1 > 0.5 and c1 < cell  # pulled from its raw 50% towards the (higher) cafe rate


def test_first_attempts_and_strengths_on_the_sample(sample_store) -> None:  # type: ignore[no-untyped-def]
    """Only finished first attempts are used; the estimated strengths lie within bounds and every prediction is a
    probability between the lowest and highest customer cell rate."""
    t = {n: sample_store.table(n) for n in ("deliveries", "orders", "customers")}
    a = first_attempts(t["deliveries"], t["orders"], t["customers"])
    d = t["deliveries"]
    assert len(a) == int(((d["attempt"] == 1) & d["outcome"].isin(["delivered", "failed"])).sum())
    m = SuccessModel().fit(a)
    assert all(1.0 <= v <= 1000.0 for v in m.strengths_.values())
    p = m.predict(a)
    assert ((p > 0) & (p < 1)).all()
    assert a["success"].mean() == pytest.approx(m.overall_)


def _meridian_rounds() -> pd.DataFrame:
    return pd.DataFrame({"vehicle_id": "V1", "sequence": [1, 2], "lat": [53 + 10 / KM_PER_DEG, 53 + 20 / KM_PER_DEG],
                         "lon": -1.5})


def test_cheapest_insertion_detour_on_a_straight_road() -> None:
    """Depot, 10 km and 20 km stops due north (road = straight line): a point at 15 km costs 0 km extra; one at
    30 km costs d(B,x) + d(x,depot) - d(B,depot) = 10 + 30 - 20 = 20 km (Rosenkrantz et al. 1977 insertion)."""
    travel = TravelModel(circuity=1.0)
    assert insertion_km(53 + 15 / KM_PER_DEG, -1.5, _meridian_rounds(), (53.0, -1.5), travel) == \
        (pytest.approx(0.0, abs=1e-9), "V1")
    km, van = insertion_km(53 + 30 / KM_PER_DEG, -1.5, _meridian_rounds(), (53.0, -1.5), travel)
    assert km == pytest.approx(20.0) and van == "V1"


def test_ranked_options_are_sorted_explained_and_offer_configured_pickups(sample_store) -> None:  # type: ignore[no-untyped-def]
    """Options are ordered by expected cost per successful delivery; each has one sentence of reason; slots lie in
    the customer's window on the next working days; a pick-up point appears only once one is configured nearby;
    express cost = out-and-back km x the cheapest van's GBP/km + hours x GBP/h (the route planner's cost)."""
    t = {n: sample_store.table(n) for n in ("deliveries", "orders", "customers", "vehicles", "sites")}
    m = SuccessModel().fit(first_attempts(t["deliveries"], t["orders"], t["customers"]))
    order = t["orders"][t["orders"]["status"] == "open"].iloc[0]
    cust = t["customers"].set_index("customer_id").loc[order["customer_id"]]
    opts = rank_options(order["order_id"], m, t["orders"], t["customers"], t["vehicles"], t["sites"],
                        sample_store.as_of())
    assert (opts["score"].diff().dropna() >= 0).all() and list(opts["rank"]) == list(range(1, len(opts) + 1))
    assert all(r.endswith(".") and r.count(". ") == 0 for r in opts["reason"])
    std = opts[opts["kind"] == "standard"]
    assert set(std["day"]) == set(working_days(sample_store.as_of(), 3))
    ws, we = (int(x[:2]) * 60 + int(x[3:5]) for x in (cust["window_start"], cust["window_end"]))
    assert all(int(s[:2]) * 60 < we and int(s[:2]) * 60 + 120 > ws for s in std["slot"])
    assert "pickup" not in set(opts["kind"])
    express = opts[opts["kind"] == "express"].iloc[0]
    depot = t["sites"].iloc[0]
    km = 2 * 1.3 * float(haversine_km(depot["lat"], depot["lon"], cust["lat"], cust["lon"]))
    van = t["vehicles"].sort_values("cost_per_km").iloc[0]
    speed = TravelModel().speed(van["type"])
    expected = km * van["cost_per_km"] + (km / speed + cust["service_minutes"] / 60) * van["cost_per_hour"]
    assert express["extra_km"] == pytest.approx(km) and express["cost_gbp"] == pytest.approx(expected)
    with sample_store.transaction() as w:
        w.append("sites", pd.DataFrame([{"site_id": "PUP1", "name": "Corner locker", "kind": "pickup",
                                         "lat": cust["lat"] + 0.01, "lon": cust["lon"]}]))
    opts2 = rank_options(order["order_id"], m, t["orders"], t["customers"], t["vehicles"],
                         sample_store.table("sites"), sample_store.as_of())
    pickups = opts2[opts2["kind"] == "pickup"]
    assert len(pickups) == 3 and (pickups["success"] == 0.97).all()
    assert pickups["reason"].str.contains("Corner locker").all()
    with pytest.raises(ValueError, match="order 'NOPE' is not in the orders table"):
        rank_options("NOPE", m, t["orders"], t["customers"], t["vehicles"], t["sites"], sample_store.as_of())


def test_backtest_numbers_on_the_sample(sample_store) -> None:  # type: ignore[no-untyped-def]
    """Rolling-origin backtest (Tashman 2000) over the last 3 x 30 days: every tested first attempt is counted
    once, matched and unmatched success rates average back to the overall success, the recommended slot is
    predicted at least as good as the used one, and the shrunk model's Brier score (Brier 1950) beats a single
    overall rate."""
    t = {n: sample_store.table(n) for n in ("deliveries", "orders", "customers", "vehicles")}
    a = first_attempts(t["deliveries"], t["orders"], t["customers"])
    slots = offered_slots(t["vehicles"])
    r = backtest(a, slots, folds=3, fold_days=30)
    end = a["date"].max() + pd.Timedelta(days=1)
    tested = a[(a["date"] >= end - pd.Timedelta(days=90)) & a["slot"].isin(slots)]
    assert r.attempts == len(tested) == int(r.folds["attempts"].sum())
    assert r.actual_success == pytest.approx(tested["success"].mean())
    assert r.matched_share * r.success_when_matched + (1 - r.matched_share) * r.success_when_not == \
        pytest.approx(r.actual_success)
    assert r.predicted_recommended >= r.predicted_used
    assert r.brier_model < r.brier_baseline
    assert list(r.folds["test_start"]) == sorted(r.folds["test_start"])


def test_new_slot_whatif_uses_the_assumed_rate(sample_store) -> None:  # type: ignore[no-untyped-def]
    """With an assumed 99.9% success, every customer is better off in the new slot; with 50%, none is."""
    t = {n: sample_store.table(n) for n in ("deliveries", "orders", "customers", "vehicles")}
    a = first_attempts(t["deliveries"], t["orders"], t["customers"])
    m = SuccessModel().fit(a)
    slots = offered_slots(t["vehicles"])
    high = new_slot_whatif(m, a, t["customers"], "16:00-18:00", slots, 0.999)
    low = new_slot_whatif(m, a, t["customers"], "16:00-18:00", slots, 0.5)
    assert high["customer_id"].is_unique and len(high) == a["customer_id"].nunique()
    assert high["better_with_new_slot"].all() and not low["better_with_new_slot"].any()
    with pytest.raises(ValueError, match="is not a 2-hour slot"):
        new_slot_whatif(m, a, t["customers"], "16:00-17:00", slots)


def test_working_days_skip_sundays() -> None:
    """After Friday 6 Nov 2026 the next three working days are Sat 7, Mon 9 and Tue 10."""
    assert working_days(date(2026, 11, 6), 3) == [date(2026, 11, 7), date(2026, 11, 9), date(2026, 11, 10)]
