"""Compliance: today's and this month's rule breaches by severity, the records behind them, editable rules."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opscore import compliance as co
from opscore.viz import compliance as vz
from ui.columns import columns, record_table
from ui.services import compliance as svc
from ui.state import cache_key, current_store, table
from ui.text import md
from ui.widgets import needs_data
from ui.workspace_actions import sample_is_protected, show_outcome

st.title("Compliance")
st.caption("Checks your records against drivers' hours, cold chain, use-by and van loading rules. "
           "Every breach links to the record that broke the rule. The rules are yours to edit at the bottom.")

store = current_store()
as_of = store.as_of()
saved_rules = co.rules_from(table("compliance_rules"))

s1, s2, s3 = st.columns([2, 1, 1])
current_set = "EU" if saved_rules.loc[saved_rules["rule_id"].str.startswith("EU-HRS-"), "enabled"].any() else "GB"
rule_set = s1.radio("Drivers' hours rules", ["GB", "EU"], index=["GB", "EU"].index(current_set), horizontal=True,
                    format_func={"GB": "GB domestic (vans)", "EU": "EU / assimilated (4.5 h then a break)"}.get,
                    help="GB domestic: at most 10 h driving and 11 h on duty a day. EU: 9 h driving a day and a "
                         "45-minute break after 4.5 h.")
speed = s2.number_input("Average van speed (km/h)", 10.0, 90.0, co.DEFAULT_SPEED_KMH, 5.0,
                        help="Turns route km into driving hours when the workspace has no road network (Data page).")
pre_trip = s3.number_input("Pre-trip check (minutes)", 0.0, 120.0, 15.0, 5.0,
                           help="Duty time before the van leaves the depot.")
rules = co.use_drivers_hours_rules(saved_rules, rule_set)
key, settings = cache_key(), co.CheckSettings(speed_kmh=speed, pre_trip_minutes=pre_trip)
violations = svc.violations(key, rules, as_of, settings)
st.caption(f"Driving hours: {md(svc.travel(key, settings).describe())}.")
source_tables = dict.fromkeys(t for tables in co.CHECK_TABLES.values() for t in tables)
blind = co.checks_without_data(rules, {t for t in source_tables if store.count(t)})
enabled = rules[rules["enabled"].astype(bool)]
nothing_checked = enabled.empty or set(enabled["check"]) <= set(blind)

today = co.day_report(violations, as_of)
month = co.month_report(violations, as_of)
st.subheader(f"Today ({as_of:%d %b %Y}) and this month")
if blind:
    unchecked = enabled.loc[enabled["check"].isin(blind), "name"].drop_duplicates()
    needs_data(store, list(dict.fromkeys(t for tables in blind.values() for t in tables)),
               f"Checking {len(unchecked)} of the {len(enabled)} enabled rules ({md(', '.join(unchecked))})",
               stop=False)
m = st.columns(4)
counts = {"Critical today": (today, "critical"), "Warnings today": (today, "warning"),
          f"Critical in {as_of:%B}": (month, "critical"), f"Warnings in {as_of:%B}": (month, "warning")}
for col, (label, (report_, severity)) in zip(m, counts.items(), strict=True):
    col.metric(label, "—" if nothing_checked else report_.counts_by_severity[severity],
               help="No rule can be checked without its data" if nothing_checked
               else "Of the rules that could be checked" if blind else None)

months = pd.to_datetime(violations["date"]).dt.to_period("M").drop_duplicates().sort_values(ascending=False)
earlier = {p.strftime("%B %Y"): p for p in months if p != pd.Period(as_of, "M")}
period = st.selectbox("Report for", ["Today", "This month", *earlier],
                      help="Pick an earlier month to review past breaches.")
if period == "Today":
    report = today
elif period == "This month":
    report = month
else:
    report = co.month_report(violations, earlier[period].start_time.date())

left, right = st.columns([2, 3])
if report.violations.empty:
    st.success(f"No breaches in {report.title.removeprefix('Compliance report ')}.")
else:
    left.plotly_chart(vz.by_rule_figure(report.summary), width="stretch")
    right.plotly_chart(vz.timeline_figure(report.violations, report.start, report.end), width="stretch")
d1, d2 = st.columns(2)
d1.download_button("Download report (Excel)", lambda: co.report_to_excel(report), file_name=f"{report.title}.xlsx",
                   icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
d2.download_button("Download breaches (CSV)", co.report_to_csv(report), file_name=f"{report.title}.csv",
                   icon=":material/download:", mime="text/csv")

if not report.violations.empty:
    st.subheader("Breaches and their records")
    names = report.summary["name"].tolist()
    counts = dict(zip(report.summary["name"], report.summary["violations"]))
    rule_name = st.selectbox("Rule", names, format_func=lambda n: f"{n} ({counts[n]})")
    rows = report.violations[report.violations["name"] == rule_name].reset_index(drop=True)
    st.caption(f"{md(rows['regulation'].iloc[0])}. Threshold {rows['threshold'].iloc[0]:g} {md(rows['unit'].iloc[0])}.")
    shown = rows[["date", "severity", "subject", "value", "detail"]]
    st.dataframe(shown, hide_index=True, width="stretch", column_config=columns(
        shown, value=st.column_config.NumberColumn("Measured", format="%.2f"),
        date=st.column_config.DatetimeColumn("Date", format="D MMM YYYY HH:mm")))
    pick = st.number_input("Show the record of breach number", 1, len(rows), 1, key=f"pick-{period}-{rule_name}") - 1
    record = rows.loc[pick, "record"]
    st.dataframe(record_table(record), hide_index=True, width="stretch")
    if rows.loc[pick, "check"] in ("max_chilled_temperature_c", "max_frozen_temperature_c"):
        asset = str(rows.loc[pick, "subject"])
        readings = store.table("sensor_readings", columns=["ts", "temperature_c"], where={"asset_id": asset},
                               between=("ts", pd.Timestamp(record["start"]) - pd.Timedelta(days=14),
                                        pd.Timestamp(record["end"]) + pd.Timedelta(days=14)))
        limits = {f"{r['rule_id']} limit {r['threshold']:g} °C": r["threshold"] for _, r in rules.iterrows()
                  if r["check"] == rows.loc[pick, "check"] and r["enabled"]}
        st.plotly_chart(vz.temperature_figure(readings, record["name"], limits), width="stretch")

st.subheader("Rules")
st.caption("Each rule runs one check; a record breaks it when the measured value is above the threshold "
           "(for 'near use-by': when the days left are at or under it). Untick *On* to switch a rule off.")
edited = st.data_editor(saved_rules, hide_index=True, width="stretch", num_rows="dynamic", key="rule_editor",
                        column_config=columns(
                            saved_rules,
                            check=st.column_config.SelectboxColumn("Check", options=list(co.CHECKS), required=True),
                            severity=st.column_config.SelectboxColumn("Severity", options=list(co.SEVERITIES),
                                                                      required=True),
                            threshold=st.column_config.NumberColumn("Limit", required=True)))
show_outcome()  # a copy of the sample made just below
if not sample_is_protected("save changed rules", "rules"):
    b1, b2 = st.columns(2)
    if b1.button("Save rules", icon=":material/save:"):
        try:
            co.save_rules(store, co.use_drivers_hours_rules(co.check_rules(edited), rule_set))
        except ValueError as exc:
            st.warning(f"Not saved: {md(exc)}")
        else:
            st.success("Rules saved to this workspace.")
            st.rerun()
    if b2.button("Restore the default rules", icon=":material/restart_alt:"):
        co.save_rules(store, co.default_rules())
        st.rerun()
with st.expander("What each check measures"):
    checks = pd.DataFrame({"check": list(co.CHECKS), "measures": list(co.CHECKS.values())})
    st.dataframe(checks, hide_index=True, width="stretch", column_config=columns(checks))
