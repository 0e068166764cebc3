"""A maintenance calendar for the coming weeks under a weekly crew-hours limit (OR-Tools CP-SAT).

Each job (one planned service of an asset) is placed on one working day (Monday-Friday) of the horizon or left
unplanned. Hard constraint: the crew hours of the jobs in each calendar week stay within the limit. Objective:
the cost of moving a job off its due date: each day late costs ``late_cost_per_day`` (the extra expected
failure cost of running longer), each day early ``early_cost_per_day`` (service life thrown away); an
unplanned job costs as if done 30 days after the horizon. A weighted-tardiness assignment model, solved exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

JOB_COLUMNS = ("asset_id", "due_date", "hours", "late_cost_per_day", "early_cost_per_day")


@dataclass(frozen=True)
class MaintenanceCalendar:
    """A solved calendar."""

    jobs: pd.DataFrame
    """One row per job: the input columns + ``planned_date`` (NaT if unplanned) and ``status``."""
    weeks: pd.DataFrame
    """One row per week: ``week_start`` (Monday), ``hours`` planned, ``limit`` (crew hours)."""
    solver_status: str
    """CP-SAT status: OPTIMAL or FEASIBLE (time limit hit with a valid plan)."""
    penalty: float
    """Objective value: cost of moving jobs off their due dates (GBP)."""


def plan_calendar(jobs: pd.DataFrame, start: date, crew_hours_per_week: float, horizon_days: int = 90,
                  time_limit_s: float = 5.0, seed: int = 0) -> MaintenanceCalendar:
    """Place ``jobs`` on working days from ``start`` for ``horizon_days`` with at most ``crew_hours_per_week``."""
    missing = [c for c in JOB_COLUMNS if c not in jobs.columns]
    if missing:
        raise ValueError(f"jobs is missing column(s) {missing}; it needs {list(JOB_COLUMNS)}.")
    if not np.isfinite(crew_hours_per_week) or crew_hours_per_week <= 0:
        raise ValueError(f"Crew hours per week must be a positive number; got {crew_hours_per_week}.")
    if horizon_days < 1:
        raise ValueError(f"horizon_days must be at least 1; got {horizon_days}.")
    if (jobs["hours"] < 0).any() or (jobs[["late_cost_per_day", "early_cost_per_day"]] < 0).any().any():
        raise ValueError("Job hours and costs must be 0 or more.")
    start_ts = pd.Timestamp(start)
    days = [d for d in pd.date_range(start_ts, start_ts + timedelta(days=horizon_days - 1)) if d.weekday() < 5]
    week_of = [(d - pd.Timedelta(days=d.weekday())) for d in days]
    tenths = np.round(jobs["hours"].to_numpy(float) * 10).astype(int)
    cap = int(np.floor(crew_hours_per_week * 10 + 1e-9))
    due = ((pd.to_datetime(jobs["due_date"]) - start_ts).dt.days).to_numpy()
    late = np.round(jobs["late_cost_per_day"].to_numpy(float) * 100).astype(int)
    early = np.round(jobs["early_cost_per_day"].to_numpy(float) * 100).astype(int)

    offsets = np.array([(d - start_ts).days for d in days])
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    terms: list[cp_model.IntVar] = []
    weights: list[int] = []
    for j in range(len(jobs)):
        mine: list[cp_model.IntVar] = []
        if tenths[j] <= cap:
            mine = [model.new_bool_var(f"x{j}_{k}") for k in range(len(days))]
            x.update({(j, k): var for k, var in enumerate(mine)})
            terms += mine
            weights += (late[j] * np.maximum(offsets - due[j], 0) + early[j] * np.maximum(due[j] - offsets, 0)).tolist()
        u = model.new_bool_var(f"u{j}")
        model.add(cp_model.LinearExpr.sum(mine) + u == 1)
        terms.append(u)
        weights.append(int(late[j] * max(horizon_days + 30 - due[j], 30)))
    for week in sorted(set(week_of)):
        ks = [k for k, w in enumerate(week_of) if w == week]
        cells = [(j, k) for j in range(len(jobs)) for k in ks if (j, k) in x]
        model.add(cp_model.LinearExpr.weighted_sum([x[c] for c in cells], [int(tenths[j]) for j, _ in cells]) <= cap)
    model.minimize(cp_model.LinearExpr.weighted_sum(terms, weights))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ValueError(f"The calendar could not be solved ({solver.status_name(status)}); try fewer jobs or a "
                         "longer time limit.")
    planned, notes = [], []
    for j in range(len(jobs)):
        chosen = [days[k] for k in range(len(days)) if (j, k) in x and solver.value(x[j, k])]
        planned.append(chosen[0] if chosen else pd.NaT)
        if chosen:
            notes.append("planned")
        elif tenths[j] > cap:
            notes.append(f"needs {jobs['hours'].iloc[j]:g} h, more than a week's crew hours")
        else:
            notes.append(f"no crew hours left in the next {horizon_days} days")
    out = jobs.copy()
    out["planned_date"] = pd.to_datetime(pd.Series(planned, index=out.index))
    out["status"] = notes
    weeks = pd.DataFrame({"week_start": sorted(set(week_of))})
    hours_by_week = out.dropna(subset=["planned_date"]).assign(
        week_start=lambda f: f["planned_date"] - pd.to_timedelta(f["planned_date"].dt.weekday, unit="D"))
    weeks["hours"] = weeks["week_start"].map(hours_by_week.groupby("week_start")["hours"].sum()).fillna(0.0)
    weeks["limit"] = float(crew_hours_per_week)
    return MaintenanceCalendar(jobs=out, weeks=weeks, solver_status=solver.status_name(status),
                               penalty=float(solver.objective_value) / 100.0)
