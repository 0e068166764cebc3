"""Scenarios: the workshop log of saved what-ifs; compare, reopen, rename, delete, and export a report."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from opscore.emission_factors import factors_from
from opscore.scenarios import (
    annotate_scenario,
    assumptions_table,
    delete_scenario,
    differences,
    kpi_table,
    kpi_wide,
    list_scenarios,
    page_sections,
    parameters_table,
    rename_scenario,
    report_excel,
    report_html,
    scenario_log,
)
from opscore.viz.scenarios import kpi_comparison_figure
from ui.state import current_store, current_workspace, table
from ui.text import md

ROOT = Path(__file__).resolve().parent.parent

store = current_store()
ws = current_workspace()
st.title("Scenarios")
st.caption(f"What was tried in workspace **{md(ws.name)}**, newest first. "
           "Save a scenario from any page's what-if panel.")

scenarios = list_scenarios(store)
if not scenarios:
    st.info("No scenarios yet. Open a page with a what-if (for example Inventory or Sustainability), "
            "change a setting, and use **Save this what-if as a scenario**.")
    st.stop()

pages = sorted({s.page for s in scenarios})
f1, f2 = st.columns([1, 2])
chosen_pages = f1.multiselect("Pages", pages, default=pages)
text = f2.text_input("Search names and notes")
shown = [s for s in scenarios if s.page in chosen_pages
         and (not text or text.lower() in (s.name + " " + (s.notes or "")).lower())]
st.dataframe(scenario_log(shown), hide_index=True, width="stretch",
             column_config={"id": "Id", "saved": st.column_config.DatetimeColumn("Saved", format="DD MMM YYYY HH:mm"),
                            "page": "Page", "name": "Name", "author": "Author", "notes": "Notes"})

by_label = {f"{s.name} · {s.page} · {s.created_at:%d %b %H:%M} ({s.scenario_id[:6]})": s for s in shown}
linked = st.query_params.get("scenario")
default = [k for k, s in by_label.items() if s.scenario_id == linked] or list(by_label)[:2]
compare_tab, manage_tab, export_tab = st.tabs(["Compare", "Open, rename or delete", "Export a report"])

with compare_tab:
    picked = [by_label[k] for k in st.multiselect("Scenarios to compare", list(by_label), default=default)]
    if picked:
        base_label = st.selectbox("Baseline (changes are measured against it)", [s.name for s in picked])
        baseline = [s.name for s in picked].index(base_label)
        said = differences(picked, baseline)
        if said:
            st.markdown("**What differs between them**\n" + "\n".join(f"- {md(line)}" for line in said))
        elif len(picked) > 1:
            st.caption("They share every setting and the same data.")
        kpis = kpi_table(picked, baseline)
        if kpis.empty:
            st.info("These scenarios record no result in common, so there is nothing to set side by side. "
                    "Compare scenarios of one page, or pages that share a result such as cost or emissions.")
        else:
            st.plotly_chart(kpi_comparison_figure(kpis), width="stretch")
            wide = kpi_wide(kpis)
            st.dataframe(wide, hide_index=True, width="stretch",
                         column_config={c: st.column_config.NumberColumn(format="%+.1f%%" if c.endswith("%") else
                                                                         "%+.2f" if c.endswith("change") else "%.2f")
                                        for c in wide.columns if c != "KPI"} | {"KPI": "Result"})
        st.subheader("Settings")
        st.dataframe(parameters_table(picked), hide_index=True, width="stretch")

with manage_tab:
    label = st.selectbox("Scenario", list(by_label), key="manage_pick")
    s = by_label[label]
    page_file = f"views/{s.page}.py"
    if (ROOT / page_file).exists():
        st.page_link(page_file, label=f"Open it on its page ({s.page})", icon=":material/open_in_new:",
                     query_params={"workspace": ws.id, "scenario": s.scenario_id})
    with st.form("rename"):
        new_name = st.text_input("Name", value=s.name)
        new_notes = st.text_area("Notes", value=s.notes or "")
        if st.form_submit_button("Save changes"):
            try:
                rename_scenario(store, s.scenario_id, new_name)
                annotate_scenario(store, s.scenario_id, new_notes)
            except ValueError as exc:
                st.error(md(exc))
            else:
                st.success("Saved.")
                st.rerun()
    sure = st.checkbox(f"Yes, delete '{md(s.name)}'", key=f"sure_{s.scenario_id}")
    if st.button("Delete scenario", disabled=not sure):
        delete_scenario(store, s.scenario_id)
        st.rerun()

with export_tab:
    picked = [by_label[k] for k in st.multiselect("Scenarios in the report", list(by_label), default=default,
                                                  key="rep")]
    in_picked = list(dict.fromkeys(s.page for s in picked))
    report_pages = st.multiselect("Pages in the report (each gets its own section)", in_picked, default=in_picked,
                                  key="rep_pages")
    picked = [s for s in picked if s.page in report_pages]
    notes = {"Workspace": ws.name, "Data as of": f"{store.as_of():%d %b %Y}"}
    assumptions = assumptions_table(factors_from(table("emission_factors")), notes, pages=report_pages)
    c1, c2 = st.columns(2)
    # the files are built only when a button is clicked (callables), not on every rerun
    c1.download_button("Download HTML report (works offline)",
                       lambda: report_html(ws.name, store.as_of(), picked, sections=page_sections(picked),
                                           assumptions=assumptions).encode("utf-8"),
                       f"{ws.name}_workshop_report.html", "text/html", disabled=not picked)
    c2.download_button("Download Excel workbook",
                       lambda: report_excel(ws.name, store.as_of(), picked, assumptions=assumptions),
                       f"{ws.name}_workshop_report.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", disabled=not picked)
