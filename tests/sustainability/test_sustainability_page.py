"""The Sustainability page renders on the sample workspace and its what-ifs respond."""

from __future__ import annotations

import json


def test_sustainability_page_shows_footprint_and_whatifs(open_page):
    """The page shows the footprint KPIs, the four charts' data and the four what-ifs; a slider move re-runs."""
    at = open_page("pages/sustainability.py")
    assert at.title[0].value == "Sustainability"
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["Total", "Per delivered order", "Per £ of revenue"]
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    footprint = specs[0]
    assert {t["name"] for t in footprint["data"]} == {"Van deliveries", "Inbound from suppliers", "Packaging",
                                                      "Refrigeration electricity"}
    whatifs = specs[2]
    assert len(whatifs["data"][0]["x"]) == 4
    table = at.dataframe[0].value
    assert list(table["What-if"])[1] == "Deliver on 3 day(s) a week"
    at.slider[1].set_value(2).run()
    assert not at.exception
    assert list(at.dataframe[0].value["What-if"])[1] == "Deliver on 2 day(s) a week"
