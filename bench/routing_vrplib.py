"""Gap to the best known solution on CVRPLIB and Solomon instances, PyVRP vs OR-Tools at equal time limits.

Run: ``.venv/bin/python bench/routing_vrplib.py [--limit 5] [--long 10] [--big 50]``
Instances and ``.sol`` files are read from ``../shared/benchmarks/vrp/`` beside the project root.
``--long`` re-runs PyVRP on the 100-200 customer X instances; ``--big`` solves the 1,000-stop
instance once with PyVRP (0 skips either).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from opscore.routing import read_vrplib, read_vrplib_solution, solve

VRP_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / "vrp"
BIG = "X-n1001-k43"
MID = ("X-n101-k25", "X-n120-k6", "X-n148-k46", "X-n157-k13", "X-n200-k36")


def run(path: Path, engine: str, limit: float) -> tuple[str, float | None, float]:
    """(cell text, gap % or None when stops were left out, wall seconds)."""
    start = time.perf_counter()
    problem = read_vrplib(path)
    _, best = read_vrplib_solution(path.with_suffix(".sol"))
    plan = solve(problem, time_limit=limit, engine=engine, seed=1)
    wall = time.perf_counter() - start
    if plan.unassigned or not plan.feasible:
        return f"{len(plan.unassigned)} stops left out", None, wall
    gap = 100.0 * (plan.cost - best) / best
    return f"{plan.cost:10.1f} {gap:6.2f} %", gap, wall


def mean(values: list[float | None]) -> str:
    got = [v for v in values if v is not None]
    return f"{sum(got) / len(got):6.2f} % over {len(got)}" if got else "n/a"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=float, default=5.0, help="seconds per instance and engine")
    ap.add_argument("--long", type=float, default=10.0, help="PyVRP seconds on the 100-200 customer X set")
    ap.add_argument("--big", type=float, default=50.0, help="PyVRP seconds on the 1,000-stop instance")
    args = ap.parse_args()
    files = sorted(p for p in VRP_DIR.iterdir() if p.suffix in (".vrp", ".txt") and p.stem != BIG)
    print(f"{'instance':12} {'best known':>10} | {'PyVRP ' + format(args.limit, 'g') + ' s':>19} | "
          f"{'OR-Tools ' + format(args.limit, 'g') + ' s':>19}")
    gaps: dict[str, list[float | None]] = {"pyvrp": [], "ortools": []}
    cvrp: dict[str, list[float | None]] = {"pyvrp": [], "ortools": []}
    for path in files:
        _, best = read_vrplib_solution(path.with_suffix(".sol"))
        cells = []
        for engine in ("pyvrp", "ortools"):
            text, gap, _ = run(path, engine, args.limit)
            gaps[engine].append(gap)
            if path.suffix == ".vrp":
                cvrp[engine].append(gap)
            cells.append(text)
        print(f"{path.stem:12} {best:10.1f} | {cells[0]:>19} | {cells[1]:>19}", flush=True)
    print(f"{'mean, all':23} | {mean(gaps['pyvrp']):>19} | {mean(gaps['ortools']):>19}")
    print(f"{'mean, CVRP':23} | {mean(cvrp['pyvrp']):>19} | {mean(cvrp['ortools']):>19}")
    if args.long:
        print(f"\nPyVRP {args.long:g} s on the 100-200 customer X instances")
        long_gaps = []
        for stem in MID:
            text, gap, _ = run(VRP_DIR / f"{stem}.vrp", "pyvrp", args.long)
            long_gaps.append(gap)
            print(f"{stem:12} {text}", flush=True)
        print(f"{'mean':12} {mean(long_gaps)}")
    if args.big:
        text, _, wall = run(VRP_DIR / f"{BIG}.vrp", "pyvrp", args.big)
        print(f"\n{BIG} (1,000 stops), PyVRP {args.big:g} s limit: {text}, wall time {wall:.1f} s "
              "(read + solve + plan)")


if __name__ == "__main__":
    main()
