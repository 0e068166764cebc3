"""The Delivery options page: ranked options with reasons, segment view, new-slot what-if and backtest."""

from __future__ import annotations

import json


def test_page_ranks_options_and_explains_them(open_page) -> None:  # type: ignore[no-untyped-def]
    """The first order's options are listed with a reason each and a recommendation; switching to a customer
    works; the segment heatmap shows failure rates per slot."""
    at = open_page("views/delivery_options.py")
    assert at.title[0].value == "Delivery options"
    assert at.success[0].value.startswith("**Recommended:")
    options = at.dataframe[0].value
    assert len(options) > 3 and options["Why"].str.endswith(".").all()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert any(tr.get("type") == "heatmap" for s in specs for tr in s["data"])
    at.radio[0].set_value("Customer").run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("**Recommended:")


def test_new_slot_whatif_and_backtest(open_page) -> None:  # type: ignore[no-untyped-def]
    """Assuming 99% success in a new slot makes at least one customer better off; the backtest button shows
    the tested attempts and both success rates."""
    at = open_page("views/delivery_options.py")
    next(t for t in at.toggle if t.label == "Set its success rate myself").set_value(True).run()
    rate = next(s for s in at.slider if s.label == "Expected first-time success")
    rate.set_value(0.99).run()
    better = next(m for m in at.metric if m.label == "Customers better served by the new slot")
    assert int(better.value.split(" of ")[0]) > 0
    next(b for b in at.button if b.label == "Run the backtest").click().run()
    assert not at.exception and not at.error
    labels = {m.label: m.value for m in at.metric}
    assert int(labels["First attempts tested"]) > 0
    assert labels["Success when the recommended slot was used"].endswith("%")


def test_route_plans_price_the_extra_km(open_page) -> None:  # type: ignore[no-untyped-def]
    """With 'Cost from route plans' on, the route planner plans the offered days and standard options for a day
    with open orders are priced as a detour from a named van's planned round."""
    at = open_page("views/delivery_options.py")
    next(t for t in at.toggle if t.label == "Cost from route plans").set_value(True).run()
    assert not at.exception and not at.error
    reasons = at.dataframe[0].value["Why"]
    assert reasons.str.contains(r"to van V\d's planned round").any()
