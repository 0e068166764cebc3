"""Every setting drawn in a tab that runs only while open keeps its value across a visit to another tab (a widget
left out of the page's ``KEEP`` list would quietly fall back to its default)."""

from __future__ import annotations

import page_tabs
import pytest
from streamlit.testing.v1 import AppTest

KINDS = ("slider", "number_input", "selectbox", "radio", "toggle", "checkbox")


def _other(widget) -> object | None:  # type: ignore[no-untyped-def]
    """A value the widget does not have: a slider's other end, a number input one step on, another option (of the
    widgets whose options are shown as they are), a flipped switch; None when there is none to set."""
    value = widget.value
    if widget.type in ("toggle", "checkbox"):
        return not value
    if widget.type == "slider":
        if not isinstance(value, (int, float)) or not isinstance(widget.min, (int, float)):
            return None
        return widget.min if value != widget.min else widget.max
    if widget.type == "number_input":
        step = widget.step or 1
        up = widget.max is None or value + step <= widget.max
        return value + step if up else value - step
    return next((option for option in widget.options if option != value and _shown_as_is(widget, option)), None)


def _shown_as_is(widget, option: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the option's label is its value (else the value behind a label is unknown here)."""
    try:
        return widget.format_func(option) == option
    except (TypeError, KeyError, ValueError, AttributeError):  # the page's format function takes other values
        return False


def _settings(at: AppTest) -> list:  # type: ignore[type-arg]
    return [w for kind in KINDS for w in getattr(at, kind) if w.key and not w.disabled]


REVEAL = {"views/suppliers.py": {"dis_kind": "slow"}}
"""Per page: settings that draw further settings (a late supplier's extra days), set before a tab is checked."""


@pytest.mark.parametrize("page", sorted(page_tabs.TABS_RUN_WHEN_OPEN))
def test_every_setting_in_a_tab_survives_a_visit_to_another(open_page, page: str) -> None:  # type: ignore[no-untyped-def]
    """On each tab every keyed setting stays in the session while another tab is open (so none falls back to its
    default), and those whose values can be set here are changed at once and still changed after coming back."""
    at = open_page(page)
    labels = page_tabs.TABS_RUN_WHEN_OPEN[page][1]
    kept = changed_total = 0
    for i, label in enumerate(labels):
        page_tabs.open_tab(at, page, label)
        drawn = {w.key for w in _settings(at)}
        reveal = {key: value for key, value in REVEAL.get(page, {}).items() if key in drawn}
        if reveal:
            for key, value in reveal.items():
                at.session_state[key] = value
            at.run()
            drawn = {w.key for w in _settings(at)}
        changed = []
        for widget in _settings(at):
            if widget.key not in reveal and (new := _other(widget)) is not None:
                widget.set_value(new)
                changed.append(widget.key)
        at.run()
        assert not at.exception, (page, label, at.exception)
        expected = {key: at.session_state[key] for key in changed}  # as the page took them (a widget may clamp)
        page_tabs.open_tab(at, page, labels[(i + 1) % len(labels)])
        missing = sorted(key for key in drawn if key not in at.session_state)
        assert not missing, f"{page}: {missing} of the tab {label!r} are forgotten while another tab is open"
        page_tabs.open_tab(at, page, label)
        assert not at.exception, (page, label, at.exception)
        assert {key: at.session_state[key] for key in expected} == expected, (page, label)
        kept, changed_total = kept + len(drawn), changed_total + len(expected)
    assert kept >= 3 and changed_total >= 3, f"{page}: only {kept} settings found and {changed_total} changed"
