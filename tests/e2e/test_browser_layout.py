"""Every page at 1,400 px in Chromium (issue 21, item 5): no chart legend lies over a title, no metric or widget
label is cut short, and a full-page screenshot of each is kept (set OPSCORE_SCREENSHOTS to a folder to look at them)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL_PATHS = sorted(set(re.findall(r'url_path="([a-z-]+)"', (ROOT / "app.py").read_text())) - {"home", "your-delivery"})
pytestmark = pytest.mark.browser

OVERLAPS = """() => {
  const box = el => el.getBoundingClientRect();
  const seen = b => b.width > 0 && b.height > 0;
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const out = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const legend = plot.querySelector('g.legend');
    if (!legend || !seen(box(legend))) continue;
    const titles = [...plot.querySelectorAll('text.gtitle, g.annotation')].filter(t => seen(box(t)));
    for (const t of titles) if (meet(box(legend), box(t))) out.push(t.textContent.slice(0, 60));
  }
  return out;
}"""
"""Titles (the chart's and its panels') that a visible legend covers."""

CUT_LABELS = """() => [...document.querySelectorAll('[data-testid=stMetricLabel], [data-testid=stWidgetLabel]')]
  .filter(label => [...label.querySelectorAll('*'), label].some(e => e.scrollWidth > e.clientWidth + 1))
  .map(label => label.innerText)"""
"""Metric and widget labels whose text does not fit (shown with an ellipsis)."""


FULL_HEIGHT = """() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section.main')]
  .map(e => e.scrollHeight), document.body.scrollHeight)"""


def _check(page, where: str, folder: Path, shot: str) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate(OVERLAPS) == [], where
    assert page.evaluate(CUT_LABELS) == [], where
    height = min(int(page.evaluate(FULL_HEIGHT)), 12_000)  # the page scrolls inside Streamlit's main block
    page.set_viewport_size({"width": 1400, "height": max(height, 1000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(folder / f"{shot}.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})


@pytest.mark.parametrize("url_path", ["", *URL_PATHS])
def test_page_at_1400_px_has_no_covered_title_or_cut_label(page, app_url: str, url_path: str,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    """Checked on the page as it opens and again with each of its tabs open."""
    folder = Path(os.environ.get("OPSCORE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{app_url}/{url_path}")
    page.locator("h1").first.wait_for(timeout=60_000)
    page.wait_for_timeout(2500)  # charts draw after the page's text
    name = url_path or "home"
    _check(page, name, folder, name)
    tabs = page.get_by_role("tab")
    for i in range(1, tabs.count()):
        label = tabs.nth(i).inner_text()
        tabs.nth(i).click()
        page.wait_for_timeout(2500)
        _check(page, f"{name}, tab {label}", folder, f"{name}-tab{i}")
