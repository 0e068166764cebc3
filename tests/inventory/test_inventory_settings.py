"""The simulator's settings refuse what cannot be simulated when they are made, with a sentence saying why."""

from __future__ import annotations

from dataclasses import replace

import pytest

from opscore.inventory import Settings


@pytest.mark.parametrize(("changes", "message"), [
    ({"policy": "kanban"}, "ordering rule must be one of"),
    ({"target_kind": "otif"}, "service measure"),
    ({"target": 1.0}, "strictly between 0 and 1"),
    ({"target": 0.0}, "strictly between 0 and 1"),
    ({"holding_rate": 0.0}, "holding cost rate must be above 0"),
    ({"ordering_cost": -1.0}, "order cost 0 or more"),
    ({"review_days": 0}, "review period"),
    ({"demand_growth": -1.0}, "100 %"),
    ({"supplier_delay_days": -2.0}, "delay cannot be negative"),
])
def test_settings_refuse_what_cannot_be_simulated(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Settings(**changes)
    with pytest.raises(ValueError, match=message):
        replace(Settings(), **changes)


def test_the_page_range_of_settings_is_accepted_and_default_costs_keep_the_rest() -> None:
    """Every setting the page can make is valid; ``at_default_costs`` resets only the two costs."""
    Settings(policy="periodic", target_kind="fill_rate", target=0.995, holding_rate=0.01, ordering_cost=0.0,
             demand_growth=-0.5, lead_change_days=-3, delayed_supplier="S1", supplier_delay_days=21.0)
    dear = Settings(policy="base_stock", target=0.9, holding_rate=0.4, ordering_cost=60.0, demand_growth=0.2)
    assert dear.at_default_costs() == Settings(policy="base_stock", target=0.9, demand_growth=0.2)
    assert Settings().at_default_costs() == Settings()
