"""Saving a page's what-if as a scenario, links that reopen it, and reading a link's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from opscore.scenarios import Scenario, load_scenario, save_scenario
from ui.state import current_store, current_workspace
from ui.text import md
from ui.urls import page_url


def scenario_link(scenario: Scenario, page_url_path: str) -> str:
    """An absolute link on this server that reopens the scenario in its workspace and page."""
    return page_url(page_url_path, {"workspace": current_workspace().id, "scenario": scenario.scenario_id})


def linked_params(page: str) -> dict[str, Any]:
    """The parameters of the scenario named in the URL (``?scenario=id``) if it belongs to ``page``, else {}."""
    scenario_id = st.query_params.get("scenario")
    if not scenario_id:
        return {}
    try:
        scenario = load_scenario(current_store(), scenario_id)
    except KeyError as exc:
        st.warning(md(str(exc).strip("'\"")))
        return {}
    if scenario.page != page:
        return {}
    st.info(f"Showing the saved scenario **{md(scenario.name)}**. Change any setting to explore from here.")
    return scenario.params


def save_panel(page: str, url_path: str, params: Mapping[str, Any], results: Mapping[str, float], key: str) -> None:
    """An expander with a form that saves the current what-if: its parameters, the data's as-of date and version,
    and its key results."""
    with st.expander("Save this what-if as a scenario"):
        with st.form(f"save_scenario_{key}", clear_on_submit=True):
            name = st.text_input("Name", placeholder="e.g. Two EV vans from January")
            notes = st.text_area("Notes (optional)", height=68)
            author = st.text_input("Your name (optional)")
            submitted = st.form_submit_button("Save scenario")
        if submitted:
            store = current_store()
            # the data it was computed on is an input too: a later import can change the same settings' results
            recorded = {**params, "data_as_of": store.as_of().isoformat(), "data_version": store.data_version()}
            try:
                scenario = save_scenario(store, name, page, recorded, dict(results), author, notes)
            except ValueError as exc:
                st.error(md(exc))
            else:
                st.success(f"Saved **{md(scenario.name)}**. Compare it on the Scenarios page, or share this link: "
                           f"{scenario_link(scenario, url_path)}")
