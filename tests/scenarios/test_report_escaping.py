"""The HTML workshop report shows names as text: HTML-escaped exactly once, in the text and in the chart."""

from __future__ import annotations

from datetime import date

from opscore.scenarios import page_sections, report_html, save_scenario
from opscore.store import Store

HOSTILE = "E](http://evil.example) ![x](http://e.example/x.png) <b>B</b> <img src=x> & Sons"


def test_hostile_scenario_names_are_escaped_once(sample_store: Store) -> None:
    """A baseline named with HTML, an image and '&' appears escaped once (never '&amp;lt;' or '&amp;amp;'):
    in the 'changes are against' line, the tables, and the chart's data; no tag from the name survives."""
    base = save_scenario(sample_store, HOSTILE, "inventory", {"seed": 7}, {"cost_gbp": 1000.0},
                         author=HOSTILE, notes=HOSTILE)
    other = save_scenario(sample_store, "Growth", "inventory", {"seed": 8}, {"cost_gbp": 1100.0})
    page = report_html("acme", date(2026, 11, 2), [base, other], sections=page_sections([base, other]))
    assert ("Changes are against &#x27;E](http://evil.example) ![x](http://e.example/x.png) &lt;b&gt;B&lt;/b&gt; "
            "&lt;img src=x&gt; &amp; Sons&#x27;.") in page
    assert "&amp;lt;" not in page and "&amp;amp;" not in page
    assert "<b>B</b>" not in page and "<img src=x>" not in page
    assert "&lt;b&gt;B&lt;/b&gt;" in page.split("Plotly.newPlot", 1)[1]  # the chart's scenario labels
