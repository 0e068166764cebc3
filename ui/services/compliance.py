"""The Compliance page's cached work: the rules run on the workspace ``key`` (:func:`ui.state.cache_key`) names;
drivers' hours on its roads when it has a road network."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from opscore import compliance as co
from opscore.routing import Travel, TravelModel
from ui.services.roads import travel_at
from ui.state import store_for, table_at


def travel(key: str, settings: co.CheckSettings) -> Travel:
    """What the drivers' hours are driven on: the workspace's roads, else ``settings``' straight line x circuity
    at the average speed."""
    return travel_at(key) or TravelModel(circuity=settings.circuity, default_speed_kmh=settings.speed_kmh)


@st.cache_data(show_spinner=False, max_entries=16)
def checked(key: str, rules: pd.DataFrame, as_of: date, settings: co.CheckSettings) -> pd.DataFrame:
    """The breaches of ``rules`` on the workspace's records as of ``as_of``."""
    tables = {name: table_at(key, name) for name in co.engine.TABLES if name != "sales"}
    if any("sales" in co.CHECK_TABLES.get(check, ()) for check in rules["check"]):  # not the hours rules
        tables["sales"] = co.load_fefo_sales(store_for(key), tables["inventory"], as_of)  # the few rows it reads
    return co.run_rules(rules, tables, as_of, settings, travel=travel_at(key))


def violations(key: str, rules: pd.DataFrame, as_of: date, settings: co.CheckSettings) -> pd.DataFrame:
    """Every breach of ``rules``: the drivers' hours rules (the only ones that read ``settings``) and the others
    are cached apart, so a speed or pre-trip change reruns only the hours rules."""
    hours = rules["check"].isin(co.HOURS_CHECKS)
    return co.combine_violations(checked(key, rules[hours], as_of, settings),
                                 checked(key, rules[~hours], as_of, co.CheckSettings()))
