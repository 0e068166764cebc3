"""Tracking and delivery-options figures on the sample: ETA accuracy by horizon, backtest, and timings.

Run: ``.venv/bin/python bench/tracking.py [--speed 30] [--cv 0.5]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from opscore.delivery_options import SuccessModel, backtest, first_attempts, offered_slots, rank_options
from opscore.routing import TravelModel
from opscore.sample import build_sample_workspace
from opscore.store import open_store
from opscore.tracking import (
    EtaSettings,
    accuracy_by_horizon,
    eta_errors,
    eta_table,
    planned_day_from_deliveries,
    simulate_feed,
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speed", type=float, default=30.0, help="van speed, km/h")
    ap.add_argument("--cv", type=float, default=0.5, help="travel-time spread (share of leg minutes)")
    args = ap.parse_args()
    store = open_store(build_sample_workspace(Path(tempfile.mkdtemp()) / "sample.duckdb"), read_only=True)
    t = {n: store.table(n) for n in ("deliveries", "orders", "customers", "vehicles", "sites")}
    travel, settings = TravelModel(default_speed_kmh=args.speed), EtaSettings(travel_cv=args.cv)

    start = time.perf_counter()
    day = planned_day_from_deliveries(deliveries=t["deliveries"], orders=t["orders"], customers=t["customers"],
                                      vehicles=t["vehicles"], sites=t["sites"], day=store.as_of())
    events = simulate_feed(day, travel, seed=0)
    n = 0
    for now in pd.date_range(f"{store.as_of()} 06:00", f"{store.as_of()} 18:00", freq="5min"):
        eta_table(day, events, now, travel, settings)
        n += 1
    print(f"replay: {len(day.stops)} stops, {len(events)} events, {n} ETA recomputations in "
          f"{time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    errors = eta_errors(deliveries=t["deliveries"], orders=t["orders"], customers=t["customers"],
                        vehicles=t["vehicles"], sites=t["sites"], travel=travel, settings=settings)
    print(f"ETA accuracy over a year ({time.perf_counter() - start:.2f} s):")
    print(accuracy_by_horizon(errors).round(3).to_string(index=False))

    start = time.perf_counter()
    attempts = first_attempts(t["deliveries"], t["orders"], t["customers"])
    model = SuccessModel().fit(attempts)
    order = t["orders"][t["orders"]["status"] == "open"]["order_id"].iloc[0]
    options = rank_options(order, model, t["orders"], t["customers"], t["vehicles"], t["sites"], store.as_of())
    print(f"success model + {len(options)} ranked options for {order}: {time.perf_counter() - start:.2f} s")

    start = time.perf_counter()
    r = backtest(attempts, offered_slots(t["vehicles"]), folds=3)
    print(f"backtest ({time.perf_counter() - start:.2f} s): {r.attempts} first attempts; success "
          f"{r.success_when_matched:.3f} in the recommended slot ({r.matched_share:.0%}) vs {r.success_when_not:.3f} "
          f"otherwise; Brier {r.brier_model:.4f} vs {r.brier_baseline:.4f} (one overall rate)")
    store.close()


if __name__ == "__main__":
    main()
