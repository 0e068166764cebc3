"""Server time of every page: first render (cold caches), a warm render, and a what-if move (the page's first
slider, else its first number input, plus the sliders in MORE), measured with AppTest, with the process's peak
memory (RSS) after each page.

Targets (issue 17): first render <= 2 s, what-if move <= 300 ms, peak memory <= 4 GB, and generating a
5,000-SKU sample <= 60 s.
Run: ``.venv/bin/python bench/pages.py`` (the shipped sample), ``--skus 5000`` (a sample of that size, generated
and built into a temporary folder first), or ``--workspace FILE`` (an existing workspace file).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MORE = {"views/suppliers.py": ("dis_weeks",)}
"""Further what-if sliders timed by key: simulations that are not the page's first slider."""


def _move(slider) -> str:  # type: ignore[no-untyped-def]
    """Set a slider to its other end; returns its description."""
    lo, hi, value = slider.min, slider.max, slider.value
    if not (isinstance(value, (int, float)) and isinstance(lo, (int, float))):
        return "-"
    slider.set_value(lo if value != lo else hi)
    return f"slider '{slider.label}'"


def _timed(at) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Rerun the app; returns the wall and CPU milliseconds it took."""
    t0, c0 = time.perf_counter(), time.process_time()
    at.run()
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def _peak_mb() -> float:
    """Peak resident memory of this process so far, MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sample(skus: int, folder: Path) -> Path:
    """Generate the sample business at ``skus`` SKUs as CSVs and build its workspace, each in a child process (so
    their memory is not this process's); prints how long each took."""
    python = sys.executable
    t0 = time.perf_counter()
    subprocess.run([python, "-m", "opscore.sample", "csv", str(folder / "csv"), "--skus", str(skus)], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    generated = time.perf_counter() - t0
    verdict = "ok" if generated <= 60 else "OVER the 60 s target"
    print(f"generated {skus:,} SKUs in {generated:.1f} s ({verdict})")
    t0 = time.perf_counter()
    path = folder / "built.duckdb"
    subprocess.run([python, "-m", "opscore.sample", "build", str(path), "--from", str(folder / "csv")], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    print(f"built the workspace in {time.perf_counter() - t0:.1f} s ({path.stat().st_size / 2**20:,.0f} MB)")
    shutil.rmtree(folder / "csv")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skus", type=int, default=None, help="generate the sample at this many SKUs")
    parser.add_argument("--workspace", type=Path, default=None, help="bench a copy of this workspace file")
    parser.add_argument("--pages", nargs="*", default=None, help="only these pages (e.g. views/home.py)")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp())
    target = data / "workbench.duckdb"
    if args.workspace:
        shutil.copyfile(args.workspace, target)
    elif args.skus:
        _sample(args.skus, data).replace(target)
    elif (ROOT / "data" / "workbench.duckdb").exists():
        shutil.copyfile(ROOT / "data" / "workbench.duckdb", target)
    else:
        from opscore.sample import build_sample_workspace

        build_sample_workspace(target)
    os.environ["OPSCORE_DATA_DIR"] = str(data)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    pages = list(dict.fromkeys(re.findall(r'st\.Page\("(views/[a-z_0-9]+\.py)"', (ROOT / "app.py").read_text())))
    pages = [p for p in pages if not args.pages or p in args.pages]
    print("CPU columns: this process's CPU time for the same run, steadier than wall time on a busy machine")
    print(f"{'page':26} {'first (s)':>9} {'cpu':>5} {'warm (s)':>9} {'what-if (ms)':>12} {'cpu':>5} {'peak MB':>8}  widget")
    for page in pages:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()  # the router opens home first (the process's start-up work); then measure the target page cold
        st.cache_data.clear()
        at.switch_page(page)
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t0
        move, move_cpu, widget = float("nan"), float("nan"), "-"
        if at.slider:
            widget = _move(at.slider[0])
        elif at.number_input:
            n = at.number_input[0]
            n.set_value((n.value or 0) + (n.step or 1))
            widget = f"number '{n.label}'"
        if widget != "-":
            move, move_cpu = _timed(at)
        status = "ERROR" if at.exception else ""
        print(f"{page:26} {first:9.2f} {first_cpu:5.1f} {warm:9.2f} {move:12.0f} {move_cpu:5.0f} {_peak_mb():8.0f}  "
              f"{widget} {status}", flush=True)
        for key in MORE.get(page, ()) if not at.exception else ():
            widget = _move(at.slider(key=key))
            move, move_cpu = _timed(at)
            print(f"{'':26} {'':9} {'':5} {'':9} {move:12.0f} {move_cpu:5.0f} {_peak_mb():8.0f}  {widget} "
                  f"{'ERROR' if at.exception else ''}")
    print(f"peak memory of this process: {_peak_mb():,.0f} MB")
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
