"""The Warehouse page's own steps, now in opscore: last month's window, the first day due, the widest order,
wave settings and priorities, the standard box and the packaging totals a scenario records."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from opscore import warehouse as wh
from opscore.store import Store

AS_OF = date(2026, 11, 2)


def _orders(days: list[int], status: str = "delivered") -> pd.DataFrame:
    """One order per offset from AS_OF (days), each of one line of SKU 'S1'."""
    return pd.DataFrame({"order_id": [f"O{k}" for k in range(len(days))], "customer_id": "C1",
                         "delivery_date": [pd.Timestamp(AS_OF + timedelta(days=d)) for d in days], "status": status})


def _tables(days: list[int]) -> dict[str, pd.DataFrame]:
    orders = _orders(days)
    return {
        "orders": orders,
        "order_lines": pd.DataFrame({"order_id": orders["order_id"], "line_no": 1, "sku": "S1", "quantity": 2}),
        "products": pd.DataFrame({"sku": ["S1"], "weight_kg": [1.5], "length_cm": [10.0], "width_cm": [10.0],
                                  "height_cm": [10.0]}),
        "inventory": pd.DataFrame({"snapshot_date": [pd.Timestamp(AS_OF)], "bin_id": ["B1"], "sku": ["S1"],
                                   "quantity": [40]}),
        "bins": pd.DataFrame({"bin_id": ["B1", "B2"], "aisle": [1, 2], "bay": [1, 3], "level": [1, 1],
                              "zone": ["ambient", "ambient"]}),
    }


def test_recent_picks_cover_the_30_days_before_today() -> None:
    """Orders due 30 days before today up to yesterday are in; today's and the 31st day back are not."""
    t = _tables([-31, -30, -15, -1, 0])
    recent = wh.recent_picks(orders=t["orders"], order_lines=t["order_lines"], products=t["products"],
                             inventory=t["inventory"], bins=t["bins"], as_of=AS_OF)
    assert (recent.start, recent.end, recent.days) == (AS_OF - timedelta(days=30), AS_OF - timedelta(days=1), 30)
    assert recent.picks["order_id"].tolist() == ["O1", "O2", "O3"]
    assert recent.picks["weight_kg"].tolist() == [3.0, 3.0, 3.0]  # 2 units x 1.5 kg
    assert recent.bins["bin_id"].tolist() == ["B1"]
    assert recent.cells.set_index(["aisle", "bay"])["picks"].to_dict() == {(1, 1): 3, (2, 3): 0}
    week = wh.recent_picks(orders=t["orders"], order_lines=t["order_lines"], products=t["products"],
                           inventory=t["inventory"], bins=t["bins"], as_of=AS_OF, days=7)
    assert week.picks["order_id"].tolist() == ["O3"]
    with pytest.raises(ValueError, match="1 or more"):
        wh.recent_picks(orders=t["orders"], order_lines=t["order_lines"], products=t["products"],
                        inventory=t["inventory"], bins=t["bins"], as_of=AS_OF, days=0)


def test_recent_picks_on_the_sample_match_the_page_steps(sample_store: Store) -> None:
    """On the sample, the month is exactly the pick lines of the orders between as-of minus 30 days and yesterday."""
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "inventory", "bins")}
    as_of = sample_store.as_of()
    recent = wh.recent_picks(orders=t["orders"], order_lines=t["order_lines"], products=t["products"],
                             inventory=t["inventory"], bins=t["bins"], as_of=as_of)
    ids = wh.orders_between(t["orders"], as_of - timedelta(days=30), as_of - timedelta(days=1))
    expected = wh.pick_lines(t["order_lines"], t["products"], t["inventory"], t["bins"], ids)
    pd.testing.assert_frame_equal(recent.picks, expected)
    pd.testing.assert_frame_equal(recent.cells, wh.location_summary(t["bins"], t["inventory"], expected))


@pytest.mark.parametrize("days, expected", [([-3, 2, 5], 2), ([-3, 0, 5], 0), ([-3, -1], 0)])
def test_first_delivery_day_is_the_first_due_from_today(days: list[int], expected: int) -> None:
    """The first delivery date on or after today; today itself when nothing is due any more."""
    assert wh.first_delivery_day(_orders(days), AS_OF) == AS_OF + timedelta(days=expected)


def test_widest_order_spreads_over_most_aisles_first_id_on_a_tie() -> None:
    """O2 picks in three aisles; O1 and O3 in two: O2. With O2 gone, O1 and O3 tie and O1 comes first."""
    picks = pd.DataFrame({"order_id": ["O1", "O1", "O2", "O2", "O2", "O3", "O3"],
                          "aisle": [1.0, 2.0, 1.0, 3.0, 5.0, 4.0, 6.0]})
    assert wh.widest_order(picks) == "O2"
    assert wh.widest_order(picks[picks["order_id"] != "O2"]) == "O1"
    with pytest.raises(ValueError, match="no pick lines"):
        wh.widest_order(picks.iloc[:0])


def test_window_priority_maps_orders_to_their_customers_window() -> None:
    """Each order gets its customer's window start; an unknown customer's order gets none (picked last)."""
    orders = pd.DataFrame({"order_id": ["O1", "O2", "O3"], "customer_id": ["A", "B", "Z"]})
    customers = pd.DataFrame({"customer_id": ["A", "B"], "window_start": ["07:30", "06:00"]})
    priority = wh.window_priority(orders, customers)
    assert priority[["O1", "O2"]].tolist() == ["07:30", "06:00"] and pd.isna(priority["O3"])


@pytest.mark.parametrize("kwargs, message", [({"start": "3am"}, "start must be a time of day"),
                                             ({"ready_by": "24:30"}, "before 24:00"),
                                             ({"pickers": 0}, "at least one picker"),
                                             ({"wave_minutes": 0.0}, "positive wave length")])
def test_wave_settings_refuse_what_plan_waves_would(kwargs: dict[str, object], message: str) -> None:
    """Bad clock times, no pickers or an empty wave are refused when the settings are made, with the reason."""
    with pytest.raises(ValueError, match=message):
        wh.WaveSettings(**kwargs)  # type: ignore[arg-type]


def test_standard_carton_is_the_one_named_standard_else_the_first() -> None:
    """'Standard box' in any case wins over catalogue order; without one, the first carton."""
    cartons = pd.DataFrame({"carton_id": ["C1", "C2", "C3"], "name": ["Small", "STANDARD box", "Large"]})
    assert wh.standard_carton(cartons) == "C2"
    assert wh.standard_carton(cartons.iloc[[0, 2]]) == "C1"
    with pytest.raises(ValueError, match="empty"):
        wh.standard_carton(cartons.iloc[:0])


def test_packaging_comparison_records_the_right_sized_and_standard_totals() -> None:
    """The scenario's results are the right-sized way's totals plus the standard box's CO2e and cost."""
    summary = pd.DataFrame({"orders": [10, 10], "n_cartons": [12, 15], "packaging_kg": [4.0, 6.5],
                            "kg_co2e": [3.5, 5.25], "cost_gbp": [8.0, 9.5], "void_l": [20.0, 55.0],
                            "fill_pct": [80.0, 60.0]}, index=pd.Index(["right-sized", "standard"], name="way"))
    compared = wh.PackagingComparison(summary)
    assert compared.scenario_results() == {"packaging_kg": 4.0, "co2e_kg": 3.5, "cost_gbp": 8.0, "void_litres": 20.0,
                                           "standard_packaging_kg_co2e": 5.25, "standard_cost_gbp": 9.5}
    with pytest.raises(ValueError, match="lacks the way"):
        wh.PackagingComparison(summary.loc[["right-sized"]])


def test_packaging_comparison_of_sample_orders(sample_store: Store) -> None:
    """Packed for real (the sample's first day due): the recorded right-sized totals are the summary's, and on that
    day right-sized cartons (chosen for least CO2e) emit no more than always the standard box."""
    t = {n: sample_store.table(n) for n in ("orders", "order_lines", "products", "inventory", "bins", "cartons")}
    as_of = sample_store.as_of()
    day = wh.first_delivery_day(t["orders"], as_of)
    picks = wh.pick_lines(t["order_lines"], t["products"], t["inventory"], t["bins"], wh.orders_due(t["orders"], day))
    per_order = wh.compare_packaging(picks, t["products"], t["cartons"], wh.standard_carton(t["cartons"]), "co2e")
    compared = wh.PackagingComparison(wh.summarise_packaging(per_order))
    results = compared.scenario_results()
    assert results["co2e_kg"] == compared.summary.at["right-sized", "kg_co2e"]
    assert results["co2e_kg"] <= results["standard_packaging_kg_co2e"] + 1e-9
