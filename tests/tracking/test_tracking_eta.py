"""ETA engine on a hand-made day with known answers, monotone effect of delays, the simulated feed and accuracy."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opscore.routing import TravelModel
from opscore.tracking import (
    EtaSettings,
    accuracy_by_horizon,
    check_events,
    eta_errors,
    eta_table,
    planned_day_from_deliveries,
    simulate_feed,
    van_positions,
)
from opscore.tracking.planned_day import PlannedDay

KM_PER_DEG = 6371.0088 * math.pi / 180  # along a meridian, haversine distance is exactly R x dlat (radians)
DAY = date(2026, 11, 2)
TRAVEL = TravelModel(circuity=1.0, default_speed_kmh=60.0)  # 1 km = 1 minute
T = pd.Timestamp


def _north(km: float) -> float:
    return 53.0 + km / KM_PER_DEG


def _day() -> PlannedDay:
    """Depot at 0 km; stops 10, 20 and 30 km due north; van leaves 08:00; 5 min service each."""
    stops = pd.DataFrame({
        "vehicle_id": "V1", "sequence": [1, 2, 3], "order_id": ["OA", "OB", "OC"], "customer_id": ["CA", "CB", "CC"],
        "name": ["Alpha", "Bravo", "Charlie"], "lat": [_north(10), _north(20), _north(30)], "lon": -1.5,
        "planned_arrival": [T("2026-11-02 08:10"), T("2026-11-02 08:25"), T("2026-11-02 08:40")],
        "service_minutes": 5.0, "window_start": T("2026-11-02 08:00"),
        "window_end": [T("2026-11-02 09:00"), T("2026-11-02 08:40"), T("2026-11-02 08:45")]})
    vans = pd.DataFrame({"vehicle_id": ["V1"], "profile": ["van"], "depot_lat": [53.0], "depot_lon": [-1.5],
                         "planned_departure": [T("2026-11-02 08:00")]})
    return PlannedDay(DAY, stops, vans)


def _events(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame([{"event_id": f"E{n}", "vehicle_id": "V1", "order_id": o, "kind": k, "ts": T(ts),
                          "lat": lat, "lon": lon, "reason": None, "source": "app"}
                         for n, (k, ts, o, lat, lon) in enumerate(rows)],
                        columns=["event_id", "vehicle_id", "order_id", "kind", "ts", "lat", "lon", "reason", "source"])


def _eta(etas: pd.DataFrame, order: str) -> pd.Timestamp:
    return etas.set_index("order_id").at[order, "eta"]


def test_on_plan_the_etas_are_the_planned_times() -> None:
    """Before departure, 10 km legs at 60 km/h with 5 min stops reproduce the plan exactly (Solomon 1987 rule:
    A 08:00+10 = 08:10, leaves 08:15; B 08:25, leaves 08:30; C 08:40). C is 'at risk': the late end of its 80%
    window, 08:40 + 1.2816 x sqrt(3 x (0.5 x 10)^2 + 2 x (0.3 x 5)^2) = 08:51.4, is past its 08:45 window end."""
    etas = eta_table(_day(), _events(), "2026-11-02 07:00", TRAVEL)
    assert list(etas["eta"]) == [T("2026-11-02 08:10"), T("2026-11-02 08:25"), T("2026-11-02 08:40")]
    assert list(etas["risk"]) == ["on time", "on time", "at risk"]
    high_c = (etas.iloc[2]["eta_high"] - T("2026-11-02 08:40")).total_seconds() / 60
    assert high_c == pytest.approx(1.2816 * math.sqrt(3 * 25 + 2 * 2.25), abs=1 / 60)
    assert list(etas["status"]) == ["not started"] * 3


def test_late_departure_pushes_etas_and_flags_late_stops_by_the_right_minutes() -> None:
    """Leaving at 08:20 (20 min late): A 08:30, B 08:45 (5 min after its 08:40 window end), C 09:00 (15 min after
    08:45). B's 80% window is ETA +/- 1.2816 x sqrt((0.5 x 10)^2 + (0.3 x 5)^2 + (0.5 x 10)^2) minutes."""
    etas = eta_table(_day(), _events(("departed", "2026-11-02 08:20", None, 53.0, -1.5)), "2026-11-02 08:20", TRAVEL)
    assert list(etas["eta"]) == [T("2026-11-02 08:30"), T("2026-11-02 08:45"), T("2026-11-02 09:00")]
    assert list(etas["risk"]) == ["on time", "late", "late"]
    assert etas["minutes_late"].tolist()[1:] == pytest.approx([5.0, 15.0], abs=1e-6)
    sd_b = math.sqrt(25 + 2.25 + 25)
    b = etas.iloc[1]
    assert (b["eta_high"] - b["eta"]).total_seconds() / 60 == pytest.approx(1.2816 * sd_b, abs=1 / 60)
    assert (b["eta"] - b["eta_low"]).total_seconds() / 60 == pytest.approx(1.2816 * sd_b, abs=1 / 60)


def test_arrived_ping_and_delivered_states() -> None:
    """At A since 08:12 (now 08:14): B = 08:12 + 5 service + 10 travel = 08:27. A ping 5 km short of A at 08:06:
    A = 08:11. Delivered at A at 08:20: B = 08:30, and A shows as delivered with its arrival time."""
    at_a = eta_table(_day(), _events(("departed", "2026-11-02 08:00", None, 53.0, -1.5),
                                     ("arrived", "2026-11-02 08:12", "OA", None, None)), "2026-11-02 08:14", TRAVEL)
    assert at_a.iloc[0]["status"] == "at the stop" and _eta(at_a, "OB") == T("2026-11-02 08:27")
    ping = eta_table(_day(), _events(("ping", "2026-11-02 08:06", None, _north(5), -1.5)), "2026-11-02 08:06", TRAVEL)
    assert _eta(ping, "OA") == T("2026-11-02 08:11")
    done = eta_table(_day(), _events(("arrived", "2026-11-02 08:12", "OA", None, None),
                                     ("delivered", "2026-11-02 08:20", "OA", None, None)), "2026-11-02 08:21", TRAVEL)
    assert done.iloc[0]["status"] == "delivered" and done.iloc[0]["actual_arrival"] == T("2026-11-02 08:12")
    assert _eta(done, "OB") == T("2026-11-02 08:30")


def test_a_van_not_reporting_is_never_expected_in_the_past() -> None:
    """Departed 08:00, no news by 08:50: the next stop's ETA is 'now' (08:50), not 08:10."""
    etas = eta_table(_day(), _events(("departed", "2026-11-02 08:00", None, 53.0, -1.5)), "2026-11-02 08:50", TRAVEL)
    assert _eta(etas, "OA") == T("2026-11-02 08:50")


@settings(max_examples=40, deadline=None)
@given(d1=st.integers(0, 120), extra=st.integers(0, 120), service=st.integers(0, 60))
def test_a_delay_never_makes_later_etas_earlier(d1: int, extra: int, service: int) -> None:
    """Delivering A later (by any amount) moves no later ETA, nor its window bounds, earlier."""
    def run(delay: int) -> pd.DataFrame:
        done = T("2026-11-02 08:15") + pd.Timedelta(minutes=delay + service)
        ev = _events(("arrived", "2026-11-02 08:10", "OA", None, None), ("delivered", str(done), "OA", None, None))
        return eta_table(_day(), ev, done, TRAVEL).iloc[1:]
    early, late = run(d1), run(d1 + extra)
    for col in ("eta", "eta_low", "eta_high"):
        assert (late[col].to_numpy() >= early[col].to_numpy()).all(), col


def test_monotone_on_the_sample_day(sample_store) -> None:  # type: ignore[no-untyped-def]
    """On the sample's planned day with a simulated feed, delaying every van's latest event by 30 minutes never
    makes any remaining ETA earlier."""
    t = {n: sample_store.table(n) for n in ("deliveries", "orders", "customers", "vehicles", "sites")}
    day = planned_day_from_deliveries(deliveries=t["deliveries"], orders=t["orders"], customers=t["customers"],
                                      vehicles=t["vehicles"], sites=t["sites"], day=sample_store.as_of())
    ev = simulate_feed(day, seed=3)
    now = T(f"{sample_store.as_of()} 10:00")
    seen = ev[ev["ts"] <= now]
    last = seen.groupby("vehicle_id")["ts"].idxmax()
    delayed = seen.copy()
    delayed.loc[last, "ts"] = delayed.loc[last, "ts"] + pd.Timedelta(minutes=30)
    a = eta_table(day, seen, now + pd.Timedelta(minutes=30))
    b = eta_table(day, delayed, now + pd.Timedelta(minutes=30))
    rem = a["eta"].notna() & b["eta"].notna()
    assert rem.any()
    assert (b.loc[rem, "eta"] >= a.loc[rem, "eta"]).all()


def test_simulated_feed_is_seeded_valid_and_has_one_failed_attempt(sample_store) -> None:  # type: ignore[no-untyped-def]
    """Same seed, same events; every planned stop is arrived at (never before its plan) and ends delivered or
    failed; exactly one failure, with a reason; the feed passes the event checks and time never goes backwards."""
    t = {n: sample_store.table(n) for n in ("deliveries", "orders", "customers", "vehicles", "sites")}
    day = planned_day_from_deliveries(deliveries=t["deliveries"], orders=t["orders"], customers=t["customers"],
                                      vehicles=t["vehicles"], sites=t["sites"], day=sample_store.as_of())
    a, b = simulate_feed(day, seed=7), simulate_feed(day, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert len(simulate_feed(day, seed=8)) > 0 and not simulate_feed(day, seed=8).equals(a)
    arrived = a[a["kind"] == "arrived"].set_index("order_id")["ts"]
    assert set(arrived.index) == set(day.stops["order_id"])
    planned = day.stops.set_index("order_id")["planned_arrival"]
    assert (arrived >= planned.reindex(arrived.index)).all()
    failed = a[a["kind"] == "failed"]
    assert len(failed) == 1 and failed["reason"].notna().all()
    assert (a["kind"] == "delivered").sum() == len(day.stops) - 1
    checked = check_events(a, a.iloc[0:0], t["vehicles"]["vehicle_id"], t["orders"]["order_id"], "csv")
    assert len(checked) == len(a) and (checked["source"] == "simulated").all()
    end = van_positions(day, a, a["ts"].max())
    assert (end["stops_done"] == end["stops_planned"]).all()


def _history() -> dict[str, pd.DataFrame]:
    """One past day: A planned 08:10 arrived 08:12; B planned 08:25 arrived 08:40 (10 km apart, 5 min service)."""
    return {
        "deliveries": pd.DataFrame({
            "delivery_id": ["D1", "D2"], "order_id": ["OA", "OB"], "vehicle_id": "V1", "attempt": 1,
            "planned_date": T("2026-10-01"), "planned_arrival": [T("2026-10-01 08:10"), T("2026-10-01 08:25")],
            "actual_arrival": [T("2026-10-01 08:12"), T("2026-10-01 08:40")], "outcome": "delivered",
            "failure_reason": None}),
        "orders": pd.DataFrame({"order_id": ["OA", "OB"], "customer_id": ["CA", "CB"]}),
        "customers": pd.DataFrame({"customer_id": ["CA", "CB"], "lat": [_north(10), _north(20)], "lon": -1.5,
                                   "service_minutes": 5.0, "window_start": "08:00", "window_end": "09:00"}),
        "vehicles": pd.DataFrame({"vehicle_id": ["V1"], "type": ["van"], "shift_start": ["08:00"], "depot_id": ["D"]}),
        "sites": pd.DataFrame({"site_id": ["D"], "lat": [53.0], "lon": [-1.5]}),
    }


def test_eta_accuracy_on_a_hand_made_past_day() -> None:
    """15 min before B's 08:40 arrival (08:25) A was done at 08:17, so ETA = 08:17 + 10 = 08:27: error -13 min.
    30 min before (08:10) nothing had happened: from the depot at 08:10, A at 08:20, leaves 08:25, B 08:35:
    error -5 min. MAE and bias per horizon follow (Hyndman & Athanasopoulos, FPP3 section 5.8)."""
    h = _history()
    e = eta_errors(deliveries=h["deliveries"], orders=h["orders"], customers=h["customers"], vehicles=h["vehicles"],
                   sites=h["sites"], travel=TRAVEL, settings=EtaSettings(), horizons=(15, 30))
    b = e[e["delivery_id"] == "D2"].set_index("horizon_minutes")["error_minutes"]
    assert b.to_dict() == pytest.approx({15: -13.0, 30: -5.0})
    summary = accuracy_by_horizon(e).set_index("horizon_minutes")
    a15 = e[(e["delivery_id"] == "D1") & (e["horizon_minutes"] == 15)]["error_minutes"].iloc[0]
    assert summary.at[15, "mean_abs_error_min"] == pytest.approx((abs(a15) + 13.0) / 2)
    assert summary.at[15, "attempts"] == 2


def test_eta_accuracy_on_the_sample_reports_every_horizon(sample_store) -> None:  # type: ignore[no-untyped-def]
    """Each past arrival in the last 30 days is scored at every horizon; errors are finite and coverage is a share."""
    t = {n: sample_store.table(n) for n in ("deliveries", "orders", "customers", "vehicles", "sites")}
    end = sample_store.as_of()
    start = end - pd.Timedelta(days=30)
    e = eta_errors(deliveries=t["deliveries"], orders=t["orders"], customers=t["customers"], vehicles=t["vehicles"],
                   sites=t["sites"], start=start, end=end)
    d = t["deliveries"]
    n = int((d["actual_arrival"].notna() & (d["planned_date"].dt.date >= start)).sum())
    s = accuracy_by_horizon(e)
    assert list(s["horizon_minutes"]) == [15, 30, 60, 120, 240]
    assert (s["attempts"] == n).all()
    assert s["share_within_window"].between(0, 1).all() and (s["mean_abs_error_min"] > 0).all()


def test_a_route_planner_plan_is_reproduced_before_departure(sample_store) -> None:  # type: ignore[no-untyped-def]
    """Built from the route planner's RoutePlan, the ETAs before departure equal the planner's own schedule
    (same Solomon 1987 rule and travel model), to the second."""
    from opscore.routing import solve
    from opscore.routing.from_tables import build_problem, delivery_dates, stops_for_day
    from opscore.tracking import planned_day_from_plan

    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "customers", "vehicles", "sites")}
    day = delivery_dates(t["orders"], sample_store.as_of())[0]
    problem = build_problem(stops_for_day(t["orders"], t["order_lines"], t["products"], t["customers"], day),
                            t["vehicles"], t["sites"])
    plan = solve(problem, time_limit=1, seed=0)
    planned = planned_day_from_plan(plan, problem, t["orders"], t["vehicles"], t["sites"], day)
    assert len(planned.stops) == sum(len(r.visits) for r in plan.routes) > 0
    no_events = pd.DataFrame(columns=["event_id", "vehicle_id", "order_id", "kind", "ts", "lat", "lon", "reason",
                                      "source"])
    etas = eta_table(planned, no_events, pd.Timestamp(day))
    gap = (etas["eta"] - etas["planned_arrival"].dt.round("s")).dt.total_seconds().abs()
    assert gap.max() <= 1.0


def test_a_stop_taken_out_of_order_is_followed_by_the_rest_in_plan_order() -> None:
    """Van arrives at B first (08:20, skipping A): B is 'at the stop'; then A = 08:25 + 10 km back = 08:35, leaves
    08:40; C = 08:40 + 20 km = 09:00, 15 minutes after its 08:45 window end."""
    etas = eta_table(_day(), _events(("arrived", "2026-11-02 08:20", "OB", None, None)), "2026-11-02 08:21", TRAVEL)
    assert etas.set_index("order_id").at["OB", "status"] == "at the stop"
    assert _eta(etas, "OA") == T("2026-11-02 08:35") and _eta(etas, "OC") == T("2026-11-02 09:00")
    assert etas.set_index("order_id").at["OC", "minutes_late"] == pytest.approx(15.0, abs=1e-6)
