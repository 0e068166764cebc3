"""Gap to the best known solution on CVRPLIB and Solomon instances, PyVRP vs OR-Tools at equal time limits.

Run: ``.venv/bin/python bench/routing_vrplib.py [--limits 5,30] [--long 10] [--seeds 1,2,3] [--big 50]``
(about 20 minutes). Instances and ``.sol`` files are read from ``../shared/benchmarks/vrp/`` beside the
project root. ``--long`` re-runs PyVRP on the 100-200 customer X instances, once per seed in ``--seeds``;
``--big`` solves the 1,000-stop instance once with PyVRP (0 skips either).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from opscore.routing import read_vrplib, read_vrplib_solution, solve

VRP_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / "vrp"
BIG = "X-n1001-k43"
MID = ("X-n101-k25", "X-n120-k6", "X-n148-k46", "X-n157-k13", "X-n200-k36")


def run(path: Path, engine: str, limit: float, seed: int = 1) -> tuple[str, float | None, float]:
    """(cell text, gap % or None when stops were left out, wall seconds)."""
    start = time.perf_counter()
    problem = read_vrplib(path)
    _, best = read_vrplib_solution(path.with_suffix(".sol"))
    plan = solve(problem, time_limit=limit, engine=engine, seed=seed)
    wall = time.perf_counter() - start
    if plan.unassigned or not plan.feasible:
        return f"{len(plan.unassigned)} stops left out", None, wall
    gap = 100.0 * (plan.cost - best) / best
    return f"{plan.cost:10.1f} {gap:6.2f} %", gap, wall


def mean(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    return f"{sum(got) / len(got):6.2f} % over {len(got)}" if got else "n/a"


def engine_table(files: list[Path], limits: list[float]) -> None:
    """Both engines at each time limit on every instance, with the mean gaps."""
    columns = [(engine, limit) for limit in limits for engine in ("pyvrp", "ortools")]
    names = {"pyvrp": "PyVRP", "ortools": "OR-Tools"}
    print(f"{'instance':12} {'best known':>10} | " + " | ".join(f"{names[e] + ' ' + format(t, 'g') + ' s':>19}"
                                                             for e, t in columns))
    gaps: dict[tuple[str, float], list[float | None]] = {c: [] for c in columns}
    cvrp: dict[tuple[str, float], list[float | None]] = {c: [] for c in columns}
    for path in files:
        _, best = read_vrplib_solution(path.with_suffix(".sol"))
        cells = []
        for engine, limit in columns:
            text, gap, _ = run(path, engine, limit)
            gaps[engine, limit].append(gap)
            if path.suffix == ".vrp":
                cvrp[engine, limit].append(gap)
            cells.append(text)
        print(f"{path.stem:12} {best:10.1f} | " + " | ".join(f"{c:>19}" for c in cells), flush=True)
    print(f"{'mean, all':23} | " + " | ".join(f"{mean(gaps[c]):>19}" for c in columns))
    print(f"{'mean, CVRP':23} | " + " | ".join(f"{mean(cvrp[c]):>19}" for c in columns))


def long_runs(limit: float, seeds: list[int]) -> None:
    """PyVRP on the 100-200 customer X instances, once per seed, with the mean gap per seed."""
    print(f"\nPyVRP {limit:g} s on the 100-200 customer X instances")
    print(f"{'instance':12} " + " | ".join(f"{'seed ' + str(sd):>19}" for sd in seeds))
    gaps: dict[int, list[float | None]] = {sd: [] for sd in seeds}
    for stem in MID:
        cells = []
        for sd in seeds:
            text, gap, _ = run(VRP_DIR / f"{stem}.vrp", "pyvrp", limit, seed=sd)
            gaps[sd].append(gap)
            cells.append(text)
        print(f"{stem:12} " + " | ".join(f"{c:>19}" for c in cells), flush=True)
    print(f"{'mean':12} " + " | ".join(f"{mean(gaps[sd]):>19}" for sd in seeds))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limits", default="5,30", help="seconds per instance and engine, comma-separated")
    ap.add_argument("--long", type=float, default=10.0, help="PyVRP seconds on the 100-200 customer X set")
    ap.add_argument("--seeds", default="1", help="seeds for the --long runs, comma-separated")
    ap.add_argument("--big", type=float, default=50.0, help="PyVRP seconds on the 1,000-stop instance")
    args = ap.parse_args()
    limits = [float(x) for x in args.limits.split(",") if x]
    if limits:
        engine_table(sorted(p for p in VRP_DIR.iterdir() if p.suffix in (".vrp", ".txt") and p.stem != BIG), limits)
    if args.long:
        long_runs(args.long, [int(x) for x in args.seeds.split(",") if x])
    if args.big:
        text, _, wall = run(VRP_DIR / f"{BIG}.vrp", "pyvrp", args.big)
        print(f"\n{BIG} (1,000 stops), PyVRP {args.big:g} s limit: {text}, wall time {wall:.1f} s "
              "(read + solve + plan)")


if __name__ == "__main__":
    main()
