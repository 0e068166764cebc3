"""The Sustainability page's own steps, now in opscore: the reporting period and the rows in it, the footprint
settings' checks, the period's footprint overview and what a saved set of greener what-ifs records."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from opscore import sustainability as su
from opscore.store import Store


@pytest.mark.parametrize("as_of, months, start, end, days", [
    (date(2026, 11, 2), 12, date(2025, 11, 1), date(2026, 10, 31), 365),
    (date(2026, 10, 31), 1, date(2026, 10, 1), date(2026, 10, 31), 31),
    (date(2026, 10, 30), 3, date(2026, 7, 1), date(2026, 9, 30), 92),
    (date(2024, 3, 15), 24, date(2022, 3, 1), date(2024, 2, 29), 731),
])
def test_reporting_period_is_whole_months_up_to_as_of(as_of: date, months: int, start: date, end: date,
                                                      days: int) -> None:
    """Whole calendar months ending with the last complete one (as of a month's last day that month counts);
    ``days`` counts both ends (2024 is a leap year)."""
    period = su.reporting_period(as_of, months)
    assert (period.start, period.end, period.days) == (start, end, days)
    assert (period.start, period.end) == su.last_full_months(as_of, months)


def test_every_offered_length_makes_a_period() -> None:
    """3, 6, 12 and 24 months all give a period that starts on a first of the month."""
    for months in su.REPORT_MONTHS:
        assert su.reporting_period(date(2026, 11, 2), months).start.day == 1


def test_period_refuses_a_reversed_range_and_no_months() -> None:
    """A start after the end, or fewer than one month, is refused with the reason."""
    with pytest.raises(ValueError, match="after it ends"):
        su.ReportingPeriod(date(2026, 2, 1), date(2026, 1, 31))
    with pytest.raises(ValueError, match="1 or more"):
        su.reporting_period(date(2026, 2, 1), 0)


def test_rows_in_keeps_both_ends() -> None:
    """Rows dated on the first and the last day are in; the day before and the day after are not."""
    period = su.ReportingPeriod(date(2026, 1, 1), date(2026, 1, 31))
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-12-31", "2026-01-01", "2026-01-15", "2026-01-31",
                                                  "2026-02-01"]), "kg": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert period.rows_in(frame, "date")["kg"].tolist() == [2.0, 3.0, 4.0]


@pytest.mark.parametrize("kwargs, message", [({"circuity": 0.9}, "1 or more"),
                                             ({"circuity": float("nan")}, "1 or more"),
                                             ({"kw_by_type": {"chiller": -1.0}}, "0 kW or more")])
def test_footprint_settings_refuse_impossible_assumptions(kwargs: dict[str, object], message: str) -> None:
    """Roads shorter than the straight line, or negative chiller power, are refused when the settings are made."""
    with pytest.raises(ValueError, match=message):
        su.FootprintSettings(**kwargs)  # type: ignore[arg-type]


def test_footprint_overview_is_monthly_intensity_and_summary() -> None:
    """Two months of activity: the overview holds the monthly footprint, intensities with the revenue given and
    their totals: 9 kg CO2e over 3 delivered orders and 625 GBP."""
    acts = pd.DataFrame({"date": pd.to_datetime(["2026-01-10", "2026-01-20", "2026-02-03", "2026-03-01"]),
                         "source": ["deliveries", "packaging", "deliveries", "deliveries"],
                         "activity": [10.0, 1.0, 20.0, 99.0], "unit": ["km", "kg packaging", "km", "km"],
                         "kg_co2e": [2.0, 3.0, 4.0, 50.0]})
    orders = pd.DataFrame({"status": ["delivered", "delivered", "failed", "delivered"],
                           "delivery_date": pd.to_datetime(["2026-01-10", "2026-01-11", "2026-01-12", "2026-02-03"])})
    revenue = pd.Series([500.0, 125.0], index=pd.to_datetime(["2026-01-01", "2026-02-01"]))
    period = su.ReportingPeriod(date(2026, 1, 1), date(2026, 2, 28))
    shown = su.footprint_overview(acts, orders, revenue, period.start, period.end)
    pd.testing.assert_frame_equal(shown.monthly, su.monthly_footprint(acts, period.start, period.end))
    assert shown.intensity["g_per_gbp"].tolist() == pytest.approx([10.0, 32.0])
    assert (shown.summary.total_kg_co2e, shown.summary.orders, shown.summary.revenue_gbp) == (9.0, 3, 625.0)
    assert shown.summary.kg_per_order == pytest.approx(3.0)


def _what_if(name: str, base: float, new: float, cost: tuple[float, float] | None = None) -> su.WhatIf:
    return su.WhatIf(name, base, new, cost[0] if cost else None, cost[1] if cost else None, "")


def test_greener_options_record_each_saving_and_their_sum() -> None:
    """Savings 100, 20, 5 and -2 kg CO2e are recorded one by one and as 123 kg in all; the electric vans' running
    cost change is 300 - 500 = -200 GBP."""
    electric = su.ElectricSwitch(_what_if("EV", 1000.0, 900.0, (500.0, 300.0)), ("V1",), pd.DataFrame(), 0.9)
    options = su.GreenerOptions(electric, _what_if("days", 200.0, 180.0), _what_if("pack", 50.0, 45.0),
                                _what_if("suppliers", 10.0, 12.0))
    assert [w.name for w in options.what_ifs] == ["EV", "days", "pack", "suppliers"]
    assert options.scenario_results() == {
        "co2e_saving_electric_vans_kg": 100.0, "co2e_saving_fewer_days_kg": 20.0, "co2e_saving_packaging_kg": 5.0,
        "co2e_saving_greener_suppliers_kg": -2.0, "co2e_saving_kg": 123.0, "electric_running_cost_change_gbp": -200.0}
    no_costs = su.GreenerOptions(su.ElectricSwitch(_what_if("EV", 1.0, 1.0), (), pd.DataFrame(), 0.0),
                                 *options.what_ifs[1:])
    assert "electric_running_cost_change_gbp" not in no_costs.scenario_results()
    assert no_costs.electric.what_if.cost_change_gbp is None


def test_sample_overview_equals_the_steps_it_replaces(sample_store: Store) -> None:
    """On the sample, the 12-month overview is monthly_footprint, monthly_intensity and summarise as the page used
    to call them, number for number."""
    tables = su.load_tables(sample_store)
    acts = su.activities(tables)
    period = su.reporting_period(sample_store.as_of(), 12)
    shown = su.footprint_overview(acts, tables["orders"], _revenue(tables["sales"]), period.start, period.end)
    monthly = su.monthly_footprint(acts, period.start, period.end)
    intensity = su.monthly_intensity(monthly, tables["orders"], tables["sales"])
    pd.testing.assert_frame_equal(shown.monthly, monthly)
    pd.testing.assert_frame_equal(shown.intensity, intensity)
    assert shown.summary == su.summarise(monthly, intensity, period.start, period.end)


def _revenue(sales: pd.DataFrame) -> pd.Series:
    """Sales revenue by first day of the month, GBP."""
    return (sales["quantity"] * sales["price"]).groupby(
        pd.to_datetime(sales["date"]).dt.to_period("M").dt.to_timestamp()).sum()
