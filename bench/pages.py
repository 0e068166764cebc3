"""Server time of every page on the sample workspace: first render (cold caches), a warm render,
and a what-if move (the page's first slider, else its first number input, plus the sliders in MORE),
measured with AppTest.

Targets (from the brief): first render < 2 s, slider move < 300 ms.
Run: ``.venv/bin/python bench/pages.py``
"""

from __future__ import annotations

import os
import re
import shutil
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


def main() -> None:
    from opscore.sample import build_sample_workspace

    data = Path(tempfile.mkdtemp())
    src = ROOT / "data" / "workbench.duckdb"
    if src.exists():
        shutil.copyfile(src, data / "workbench.duckdb")
    else:
        build_sample_workspace(data / "workbench.duckdb")
    os.environ["OPSCORE_DATA_DIR"] = str(data)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    pages = list(dict.fromkeys(re.findall(r'st\.Page\("(views/[a-z_0-9]+\.py)"', (ROOT / "app.py").read_text())))
    print(f"{'page':32} {'first (s)':>10} {'warm (s)':>10} {'what-if (ms)':>13}  widget")
    for page in pages:
        st.cache_data.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        if page != "views/home.py":  # the router opens home first; measure the target page cold
            at.run()
            st.cache_data.clear()
            at.switch_page(page)
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        at.run()
        warm = time.perf_counter() - t0
        move, widget = float("nan"), "-"
        if at.slider:
            widget = _move(at.slider[0])
        elif at.number_input:
            n = at.number_input[0]
            n.set_value((n.value or 0) + (n.step or 1))
            widget = f"number '{n.label}'"
        if widget != "-":
            t0 = time.perf_counter()
            at.run()
            move = (time.perf_counter() - t0) * 1000
        status = "ERROR" if at.exception else ""
        print(f"{page:32} {first:10.2f} {warm:10.2f} {move:13.0f}  {widget} {status}")
        for key in MORE.get(page, ()):
            widget = _move(at.slider(key=key))
            t0 = time.perf_counter()
            at.run()
            move = (time.perf_counter() - t0) * 1000
            print(f"{'':32} {'':10} {'':10} {move:13.0f}  {widget} {'ERROR' if at.exception else ''}")


if __name__ == "__main__":
    main()
