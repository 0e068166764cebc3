"""Maintenance risk timings on the sample workspace, and the calendar solver on a larger job list.

Run: ``.venv/bin/python bench/maintenance.py`` (prints seconds; not a timed test).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from opscore.maintenance import analyse_fleet, calendar_jobs, fleet_table, plan_calendar
from opscore.sample import build_sample_workspace
from opscore.store import open_store


def _timed(label: str, fn, repeat: int = 3):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<52} {best:7.3f} s (best of {repeat})")
    return out


def main() -> None:
    store = open_store(build_sample_workspace(Path(tempfile.mkdtemp()) / "sample.duckdb"))
    as_of = store.as_of()
    assets, events = store.table("assets"), store.table("maintenance_events")
    readings = store.table("sensor_readings")
    print(f"sample: {len(assets)} assets, {len(events)} events, {len(readings):,} sensor readings")
    analysis = _timed("analyse_fleet (fits + classifier eval + final fit)",
                      lambda: analyse_fleet(assets, events, readings, as_of))
    ev = analysis.evaluation
    print(f"  out-of-time: precision {ev.precision:.2f}, recall {ev.recall:.2f}, ROC AUC {ev.roc_auc:.3f}, "
          f"Brier {ev.brier:.4f}, base rate {ev.base_rate:.3f} ({ev.n_test:,} test rows)")
    table = _timed("fleet_table (risk, RUL, policy per asset)", lambda: fleet_table(analysis, assets))
    jobs = calendar_jobs(table, analysis)
    _timed(f"plan_calendar, sample ({len(jobs)} jobs, 8 h/week)", lambda: plan_calendar(jobs, as_of, 8))
    rng = np.random.default_rng(0)
    big = pd.DataFrame({"asset_id": [f"B{i}" for i in range(80)], "name": [f"B{i}" for i in range(80)],
                        "due_date": pd.Timestamp(as_of) + pd.to_timedelta(rng.integers(0, 90, 80), unit="D"),
                        "hours": rng.choice([2.5, 3.0, 4.0], 80), "late_cost_per_day": rng.uniform(0.5, 10, 80),
                        "early_cost_per_day": rng.uniform(0.2, 2, 80)})
    cal = _timed("plan_calendar, 80 jobs, 20 h/week", lambda: plan_calendar(big, as_of, 20), repeat=1)
    print(f"  status {cal.solver_status}, planned {cal.jobs['planned_date'].notna().sum()}/80, "
          f"max week {cal.weeks['hours'].max():.1f} h")


if __name__ == "__main__":
    main()
