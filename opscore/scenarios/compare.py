"""Side-by-side comparison of scenarios: settings and key results against a baseline, in words.

Scenarios from one page compare every result they recorded; scenarios from several pages compare only the
results all of them recorded (a route's km beside an inventory cost says nothing). :func:`differences` says
in words which settings, data or pages differ, so a result that moves the unexpected way comes with its reason.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from opscore.scenarios.labels import KPI_LABELS, kpi_label, param_label, show_value
from opscore.scenarios.library import Scenario

DATA_KEYS = ("data_as_of", "data_version", "demand_source")
"""Settings that say which data a scenario was computed on."""
NOT_RECORDED = "not recorded"


def _column(s: Scenario) -> str:
    return f"{s.name} ({s.scenario_id[:6]})"


def _check(scenarios: list[Scenario], baseline: int = 0) -> None:
    if not scenarios:
        raise ValueError("choose at least one scenario to compare")
    if not 0 <= baseline < len(scenarios):
        raise ValueError(f"baseline {baseline} is not one of the {len(scenarios)} chosen scenarios")


def _shown(s: Scenario, key: str) -> str:
    return show_value(s.params[key]) if key in s.params else NOT_RECORDED


def _differs(scenarios: list[Scenario], key: str) -> bool:
    """True when the scenarios that recorded ``key`` hold more than one value for it (compared as stored)."""
    return len({json.dumps(s.params[key], sort_keys=True) for s in scenarios if key in s.params}) > 1


def parameters_table(scenarios: list[Scenario]) -> pd.DataFrame:
    """One row per setting (its human name), one column per scenario (values as text) and ``Differs`` (the
    scenarios that recorded it hold different values); settings that differ come first. A setting a scenario did
    not save (another page's, or one saved before it was recorded) reads 'not recorded'."""
    _check(scenarios)
    keys = sorted({k for s in scenarios for k in s.params}, key=param_label)
    frame = pd.DataFrame({"Setting": [param_label(k) for k in keys],
                          **{_column(s): [_shown(s, k) for k in keys] for s in scenarios}})
    frame["Differs"] = [_differs(scenarios, k) for k in keys]
    return frame.sort_values("Differs", ascending=False, kind="stable").reset_index(drop=True)


def shared_kpis(scenarios: list[Scenario]) -> list[str]:
    """Result keys to compare: every one recorded if the scenarios come from one page, else those all recorded."""
    _check(scenarios)
    found = {k for s in scenarios for k in s.results}
    if len({s.page for s in scenarios}) > 1:
        found = {k for k in found if all(k in s.results for s in scenarios)}
    return sorted(found, key=lambda k: (k not in KPI_LABELS, k))  # the shared names first


def kpi_table(scenarios: list[Scenario], baseline: int = 0) -> pd.DataFrame:
    """KPIs in long form: scenario, kpi, label, value, change against ``scenarios[baseline]`` (absolute and %),
    is_baseline; only :func:`shared_kpis`. A KPI a scenario did not record has no value (NaN), never zero."""
    _check(scenarios, baseline)
    base = scenarios[baseline].results
    rows = []
    for s in scenarios:
        for k in shared_kpis(scenarios):
            value = s.results.get(k, np.nan)
            ref = base.get(k, np.nan)
            delta = value - ref
            pct = delta / abs(ref) * 100 if np.isfinite(ref) and ref != 0 else np.nan
            rows.append({"scenario": _column(s), "kpi": k, "label": kpi_label(k), "value": value,
                         "change": delta, "change_pct": pct, "is_baseline": s is scenarios[baseline]})
    return pd.DataFrame(rows, columns=["scenario", "kpi", "label", "value", "change", "change_pct", "is_baseline"])


def kpi_wide(kpis: pd.DataFrame) -> pd.DataFrame:
    """The long :func:`kpi_table` as one row per KPI: each scenario's value, then for every scenario but the
    baseline its change and % change against the baseline (columns '<scenario>', '<scenario>: change', ...)."""
    order = list(dict.fromkeys(kpis["scenario"]))
    labels = list(dict.fromkeys(kpis["label"]))
    by = kpis.set_index(["label", "scenario"])
    out = pd.DataFrame(index=pd.Index(labels, name="KPI"))
    for sc in order:
        out[sc] = [by.at[(lb, sc), "value"] for lb in labels]
        if not by.xs(sc, level="scenario")["is_baseline"].iloc[0]:
            out[f"{sc}: change"] = [by.at[(lb, sc), "change"] for lb in labels]
            out[f"{sc}: change %"] = [by.at[(lb, sc), "change_pct"] for lb in labels]
    return out.reset_index()


def differences(scenarios: list[Scenario], baseline: int = 0) -> list[str]:
    """What differs between the scenarios, in sentences, pages and data first: e.g. "Demand change (share):
    0.2 in 'A'; 0.5 in 'B'." Only settings all of them recorded are compared. Empty when they share them all."""
    _check(scenarios, baseline)
    out = []
    pages = list(dict.fromkeys(s.page for s in scenarios))
    if len(pages) > 1:
        left_out = {k for s in scenarios for k in s.results} - set(shared_kpis(scenarios))
        out.append(f"They come from different pages ({', '.join(pages)}): only the results all of them record are "
                   f"compared" + (f"; {len(left_out)} other result(s) are left out." if left_out else "."))
    # only settings every scenario recorded: another page's settings, or one saved before a setting was
    # recorded, say nothing about why results differ
    keys = {k for k in {k for s in scenarios for k in s.params} if all(k in s.params for s in scenarios)}
    for k in sorted(keys, key=lambda k: (k not in DATA_KEYS, param_label(k))):
        values = [_shown(s, k) for s in scenarios]
        if _differs(scenarios, k):
            said = "; ".join(f"{v} in '{s.name}'" for s, v in zip(scenarios, values, strict=True))
            prefix = "Computed on different data. " if k in DATA_KEYS else ""
            out.append(f"{prefix}{param_label(k)}: {said}.")
    return out
