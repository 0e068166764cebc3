"""Side-by-side comparison of scenarios: parameters and KPI deltas against a baseline."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from opscore.scenarios.library import KPI_LABELS, Scenario


def _column(s: Scenario) -> str:
    return f"{s.name} ({s.scenario_id[:6]})"


def parameters_table(scenarios: list[Scenario]) -> pd.DataFrame:
    """Parameters side by side (one row per parameter, one column per scenario); differing rows flagged."""
    if not scenarios:
        raise ValueError("choose at least one scenario to compare")
    keys = sorted({k for s in scenarios for k in s.params})
    data = {_column(s): [json.dumps(s.params.get(k)) if isinstance(s.params.get(k), (list, dict)) else s.params.get(k)
                         for k in keys] for s in scenarios}
    frame = pd.DataFrame(data, index=pd.Index(keys, name="parameter"))
    frame["differs"] = frame.astype(str).nunique(axis=1) > 1
    return frame.reset_index()


def kpi_table(scenarios: list[Scenario], baseline: int = 0) -> pd.DataFrame:
    """KPIs in long form: scenario, KPI, value, change against ``scenarios[baseline]`` (absolute and %).

    A KPI a scenario did not record has no value (NaN) rather than zero.
    """
    if len(scenarios) < 1:
        raise ValueError("choose at least one scenario to compare")
    if not 0 <= baseline < len(scenarios):
        raise ValueError(f"baseline {baseline} is not one of the {len(scenarios)} chosen scenarios")
    base = scenarios[baseline].results
    kpis = sorted({k for s in scenarios for k in s.results}, key=lambda k: (k not in KPI_LABELS, k))
    rows = []
    for s in scenarios:
        for k in kpis:
            value = s.results.get(k, np.nan)
            ref = base.get(k, np.nan)
            delta = value - ref
            pct = delta / abs(ref) * 100 if np.isfinite(ref) and ref != 0 else np.nan
            rows.append({"scenario": _column(s), "kpi": k, "label": KPI_LABELS.get(k, k), "value": value,
                         "change": delta, "change_pct": pct, "is_baseline": s is scenarios[baseline]})
    return pd.DataFrame(rows)


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
