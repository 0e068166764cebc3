"""Server time of every page: first render (cold caches), a warm render, the first opening of each tab that runs
only when open, and a what-if move (the page's first slider, else its first number input, plus the sliders in
MORE and, in EACH, for each choice of a select box; with ``--every-widget`` each slider and number input the page
opens with), measured with AppTest, with the process's peak memory (RSS) after each page.

Each widget is moved MOVES times, to values it has not had (the median and slowest are printed). A move reruns the
whole script in AppTest; in a browser a widget inside a fragment (``ui.state.page_fragment``) reruns only that
fragment, so a move's "server" figure is its fragment's time when it has one, else the rerun's. AppTest compiles a
page's script on every rerun (about 20 ms that a running server, which keeps the compiled script, does not spend).

Targets (issue 17): first render <= 2 s, what-if move <= 300 ms, peak memory <= 4 GB, and generating a
5,000-SKU sample <= 60 s.
Run: ``.venv/bin/python bench/pages.py`` (the shipped sample), ``--skus 5000`` (a sample of that size, generated
and built into a temporary folder first), ``--workspace FILE`` (an existing workspace file) or ``--monaco`` (the
Monaco test business on its OpenStreetMap roads).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MORE = {"views/inventory.py": (("What if...", "inv_growth"),),
        "views/suppliers.py": (("Ranking", "w_otif_rate"),),
        "views/warehouse.py": (("Slotting", "wh_top_n"),)}
"""Further what-if sliders timed, by tab and key: simulations that are not the page's first slider."""
EACH = {"views/suppliers.py": ("Disruption what-if", "dis_supplier", "dis_weeks")}
"""A what-if slider (last key) timed once per option of a select box (middle key) in a tab: the disruption moves
of every supplier, the largest being the slowest."""
FRAGMENTS: dict[str, tuple[float, frozenset[str]]] = {}
"""Per fragment (function name) in the last run: its milliseconds and the ids of the widgets it drew."""


def _timed_fragments() -> None:
    """Make ``ui.state.page_fragment`` record each fragment's time and widgets in :data:`FRAGMENTS` (pages import it
    on every run, so they pick this up)."""
    import functools

    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    import ui.state

    plain = ui.state.page_fragment

    def page_fragment(body):  # type: ignore[no-untyped-def]
        @functools.wraps(body)
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            drawn = get_script_run_ctx().shared.widget_ids_this_run
            before, t0 = set(drawn.snapshot()), time.perf_counter()
            try:
                body(*args, **kwargs)
            finally:
                FRAGMENTS[body.__name__] = ((time.perf_counter() - t0) * 1000,
                                            frozenset(set(drawn.snapshot()) - before))
        return plain(timed)

    ui.state.page_fragment = page_fragment


def _server_ms(widget_id: str, rerun_ms: float) -> tuple[float, str]:
    """What a browser waits for after moving the widget: its fragment's time, else the whole rerun."""
    for name, (ms, widgets) in FRAGMENTS.items():
        if widget_id in widgets:
            return ms, f"fragment {name}"
    return rerun_ms, "page"


def _lazy_tabs(at) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Session key and labels of each set of tabs that runs only while open (a keyed tab container)."""
    from streamlit.proto.Block_pb2 import Block

    found = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        proto = getattr(node, "proto", None)
        if isinstance(proto, Block) and proto.HasField("tab_container") and proto.tab_container.id.count("-") >= 2:
            found.append((proto.tab_container.id.split("-", 2)[2],
                          [tab.label for tab in node.children.values()]))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


MOVES = 3
"""Moves timed per widget, each to a value not seen before (a value seen before is served from the cache); the
median and the slowest are printed."""


def _targets(widget) -> list[object]:  # type: ignore[no-untyped-def]
    """Up to MOVES new values of a slider (its ends, its middle, then next to those) or number input (a step or more
    away, down near its maximum); none for a slider over dates or options."""
    value, lo, hi, step = widget.value, widget.min, widget.max, widget.step or 1
    if widget.type == "slider":
        if not (isinstance(value, (int, float)) and isinstance(lo, (int, float))):
            return []
        middle = lo + round((hi - lo) / 2 / step) * step
        candidates = [lo, hi, type(lo)(middle), type(lo)(middle + step), lo + step]
    else:
        value = value or 0
        down = hi is not None and value + MOVES * step > hi
        candidates = [value + (-k if down else k) * step for k in range(1, MOVES + 1)]
        candidates = [c for c in candidates if lo is None or c >= lo]
    return [c for c in dict.fromkeys(candidates) if c != value][:MOVES]


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


def _monaco(data: Path) -> str:
    """Build the Monaco test business (tests/monaco.py) in ``data`` with the road network of its OpenStreetMap
    extract (ODbL, (c) OpenStreetMap contributors); its workspace id."""
    sys.path.insert(0, str(ROOT / "tests"))
    from monaco import MONACO_PBF, build_monaco_workspace

    from opscore.routing.road_files import attach_extract
    from opscore.store import share_store

    ws = build_monaco_workspace(data)
    attach_extract(ws, share_store(ws.path), MONACO_PBF, MONACO_PBF.name)
    return ws.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skus", type=int, default=None, help="generate the sample at this many SKUs")
    parser.add_argument("--workspace", type=Path, default=None, help="bench a copy of this workspace file")
    parser.add_argument("--pages", nargs="*", default=None, help="only these pages (e.g. views/home.py)")
    parser.add_argument("--monaco", action="store_true",
                        help="bench the Monaco test business (tests/data) with its OpenStreetMap road network")
    parser.add_argument("--every-widget", action="store_true",
                        help="move every slider and number input the page opens with, not only the first")
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
    workspace = _monaco(data) if args.monaco else None
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    pages = list(dict.fromkeys(re.findall(r'st\.Page\("(views/[a-z_0-9]+\.py)"', (ROOT / "app.py").read_text())))
    pages = [p for p in pages if not args.pages or p in args.pages]
    _timed_fragments()
    print("CPU columns: this process's CPU time for the same run, steadier than wall time on a busy machine.")
    print("what-if: the rerun AppTest makes; server: what a browser waits for (the widget's fragment, else the page);")
    print(f"medians of {MOVES} moves to new values, and the slowest server time ('max')")
    print(f"{'page':26} {'first (s)':>9} {'cpu':>5} {'warm (s)':>9} {'what-if (ms)':>12} {'server':>7} {'max':>7} "
          f"{'peak MB':>8}  widget")

    def move(at, find, label: str) -> None:  # type: ignore[no-untyped-def]
        """Time MOVES moves of the widget ``find(at)`` returns (looked up again after each rerun)."""
        widget = find(at)
        if widget is None or widget.disabled or not (targets := _targets(widget)):
            return
        described = f"{'slider' if widget.type == 'slider' else 'number'} '{widget.label}'"
        reruns, servers, where, failed = [], [], "page", False
        for target in targets:
            widget = find(at)
            widget.set_value(target)
            FRAGMENTS.clear()
            rerun, _ = _timed(at)
            server, where = _server_ms(widget.id, rerun)
            reruns.append(rerun)
            servers.append(server)
            failed |= bool(at.exception)
        print(f"{label:26} {'':9} {'':5} {'':9} {statistics.median(reruns):12.0f} {statistics.median(servers):7.0f} "
              f"{max(servers):7.0f} {_peak_mb():8.0f}  {described} ({where}){' ERROR' if failed else ''}", flush=True)

    for page in pages:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        if workspace is not None:
            at.session_state["workspace"] = workspace
        at.run()  # the router opens home first (the process's start-up work); then measure the target page cold
        st.cache_data.clear()
        at.switch_page(page)
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t0
        print(f"{page:26} {first:9.2f} {first_cpu:5.1f} {warm:9.2f} {'':12} {'':7} {'':7} {_peak_mb():8.0f}  "
              f"{'ERROR' if at.exception else ''}", flush=True)
        found = [("slider", w.label) for w in at.slider] + [("number_input", w.label) for w in at.number_input]
        for kind, label in (found if args.every_widget else found[:1]) if not at.exception else ():
            move(at, lambda at, kind=kind, label=label: next((w for w in getattr(at, kind) if w.label == label), None),
                 "")
        for key, labels in _lazy_tabs(at) if not at.exception else ():
            for label in labels[1:]:
                at.session_state[key] = label
                t0, c0 = time.perf_counter(), time.process_time()
                at.run()
                print(f"{'  tab ' + label:26} {time.perf_counter() - t0:9.2f} {time.process_time() - c0:5.1f}"
                      f"{'':>62}first opening{' ERROR' if at.exception else ''}", flush=True)
            at.session_state[key] = labels[0]
            at.run()
        for label, key in MORE.get(page, ()) if not at.exception else ():
            tabs = _lazy_tabs(at)
            if tabs:
                at.session_state[tabs[0][0]] = label
                at.run()
            move(at, lambda at, key=key: at.slider(key=key), f"  tab {label}")
        tab, box, key = EACH.get(page, (None, "", ""))
        if tab and not at.exception:
            at.session_state[_lazy_tabs(at)[0][0]] = tab
            at.run()
        for option in at.selectbox(key=box).options if tab and not at.exception else ():
            shown = at.selectbox(key=box).format_func  # options are drawn as "value name"; set_value takes the value
            at.selectbox(key=box).set_value(next(v for v in (option.split(" ")[0], option) if shown(v) == option))
            at.run()  # the first run of a new choice prepares it (a cold cache); the move after it is timed
            move(at, lambda at, key=key: at.slider(key=key), f"  {option[:24]}")
    print(f"peak memory of this process: {_peak_mb():,.0f} MB")
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
