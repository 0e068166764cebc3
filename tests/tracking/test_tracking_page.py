"""The Tracking page: dispatcher view renders and replays; the customer link shows one order and nothing else."""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from opscore.tracking import (
    LinkState,
    check_link,
    customer_view,
    eta_table,
    link_token,
    planned_day_from_deliveries,
    simulate_feed,
)


def _sample_etas(store):  # type: ignore[no-untyped-def]
    t = {n: store.table(n) for n in ("deliveries", "orders", "customers", "vehicles", "sites")}
    day = planned_day_from_deliveries(deliveries=t["deliveries"], orders=t["orders"], customers=t["customers"],
                                      vehicles=t["vehicles"], sites=t["sites"], day=store.as_of())
    return t, eta_table(day, simulate_feed(day, seed=0), pd.Timestamp(f"{store.as_of()} 10:00"))


def test_customer_view_holds_only_the_customers_own_data(sample_store) -> None:  # type: ignore[no-untyped-def]
    """For every order of the day, the customer view's text and fields mention no other order id or customer name
    (names contained in the customer's own, like 'Leeds Hotel' in 'Leeds Hotel 44', cannot be told apart);
    'stops before' counts only this van's unfinished earlier stops."""
    t, etas = _sample_etas(sample_store)
    for r in etas.itertuples():
        view = customer_view(etas, r.order_id)
        text = json.dumps({k: str(v) for k, v in view.__dict__.items()})
        others = etas[etas["order_id"] != r.order_id]
        assert not [o for o in others["order_id"] if o in text]
        assert not [n for n in set(others["name"]) if n not in r.name and n in text]
        van = etas[(etas["vehicle_id"] == r.vehicle_id) & (etas["sequence"] < r.sequence)]
        assert view.stops_before == int((~van["status"].isin(["delivered", "failed"])).sum())
    unknown = "O999999"
    try:
        customer_view(etas, unknown)
    except ValueError as exc:
        assert "O999999" in str(exc) and not any(o in str(exc) for o in etas["order_id"])
    else:
        raise AssertionError("an unknown order must be refused")


def test_dispatcher_view_renders_and_the_slider_replays_the_day(open_page) -> None:  # type: ignore[no-untyped-def]
    """The page shows the map, the planned-vs-actual timeline and the stop counters; moving the replay time
    later never reduces the number of stops done."""
    at = open_page("views/tracking.py")
    assert at.title[0].value == "Delivery tracking"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {"Planned"} <= {tr.get("name") for tr in spec["data"]}
    done = lambda: int(next(m for m in at.metric if m.label == "Stops done").value.split(" of ")[0])  # noqa: E731
    before = done()
    slider = at.slider[0]
    slider.set_value(slider.max).run()
    assert not at.exception
    assert done() >= before and done() > 0


SECRET = "test-link-secret-0123456789"
UNTIL = date.today() + timedelta(days=7)


def _sign(at, order: str, expires: date = UNTIL) -> None:  # type: ignore[no-untyped-def]
    """Put a customer link's query into the AppTest: order, expiry date and signed token."""
    at.query_params["order"] = order
    at.query_params["expires"] = expires.isoformat()
    at.query_params["token"] = link_token(SECRET.encode(), "sample", order, expires)


def test_customer_link_shows_one_order_and_nothing_about_others(open_page, sample_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Opening the page with a signed ?order=<ref>&token=... shows that order's status and time window; no table,
    no chart, no navigation or workspace switcher, and no other customer's name or order id anywhere."""
    monkeypatch.setenv("OPSCORE_LINK_SECRET", SECRET)
    t, etas = _sample_etas(sample_store)
    mine = etas.iloc[len(etas) // 2]
    at = open_page("views/tracking.py")
    _sign(at, mine["order_id"])
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Your delivery"
    assert not at.dataframe and not at.get("plotly_chart") and not at.sidebar.selectbox
    texts = [e.value for kind in ("subheader", "caption", "markdown", "info", "warning") for e in at.get(kind)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    page_text = " ".join(map(str, texts))
    assert mine["order_id"] in page_text
    others = etas[etas["customer_id"] != mine["customer_id"]]
    assert not [o for o in others["order_id"] if o in page_text]
    assert not [n for n in set(t["customers"]["name"]) if n not in mine["name"] and n in page_text]
    _sign(at, "O999999")
    at.run()
    assert "cannot find order O999999" in at.warning[0].value


def test_an_expired_customer_link_shows_when_it_expired_and_nothing_of_the_order(open_page, sample_store,
                                                                                   monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A correctly signed link whose expiry day has passed says so and shows no status, time or map."""
    monkeypatch.setenv("OPSCORE_LINK_SECRET", SECRET)
    _, etas = _sample_etas(sample_store)
    order = etas.iloc[0]["order_id"]
    at = open_page("views/tracking.py")
    yesterday = date.today() - timedelta(days=1)
    _sign(at, order, yesterday)
    at.run()
    assert not at.exception and not at.error
    assert f"expired on {yesterday:%A %d %B %Y}" in at.info[0].value
    assert not at.metric and not at.subheader and not at.get("iframe")


@pytest.mark.parametrize(("days", "valid"), [(None, 7), ("3", 3), ("0", 0), ("three", 7), ("99999", 7), ("-2", 7)])
def test_the_dispatchers_link_opens_for_the_configured_days_after_delivery(open_page, monkeypatch, days: str | None,
                                                                           valid: int) -> None:  # type: ignore[no-untyped-def]
    """The link offered for the sample's day (its as-of day stands for today) is signed and opens until 7 days
    (or OPSCORE_LINK_DAYS, 0 included; a value that is no whole number of days from 0 to 3650 falls back to 7)
    from now."""
    monkeypatch.setenv("OPSCORE_LINK_SECRET", SECRET)
    if days:
        monkeypatch.setenv("OPSCORE_LINK_DAYS", days)
    at = open_page("views/tracking.py")
    query = parse_qs(urlsplit(at.code[0].value).query)
    until = date.today() + timedelta(days=valid)
    assert query["expires"] == [until.isoformat()]
    check = check_link(SECRET.encode(), query["workspace"][0], query["order"][0], query["expires"][0],
                       query["token"][0], date.today())
    assert check.state is LinkState.VALID and check.expires == until


@pytest.mark.parametrize("token", [None, "", "0" * 20, "é" * 20])
def test_customer_link_without_the_right_token_shows_nothing(open_page, sample_store, monkeypatch, token) -> None:  # type: ignore[no-untyped-def]
    """Order references are sequential, so a guessed ?order= without its signed token shows no order data."""
    monkeypatch.setenv("OPSCORE_LINK_SECRET", SECRET)
    _, etas = _sample_etas(sample_store)
    order = etas.iloc[0]["order_id"]
    at = open_page("views/tracking.py")
    at.query_params["order"] = order
    at.query_params["expires"] = UNTIL.isoformat()
    if token is not None:
        at.query_params["token"] = token
    at.run()
    assert not at.exception
    assert "not valid" in at.warning[0].value
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox


def test_the_sample_keeps_its_events_and_offers_a_copy(open_page) -> None:  # type: ignore[no-untyped-def]
    """On the shared sample, recording events offers a copy of the sample instead."""
    at = open_page("views/tracking.py")
    assert not [b for b in at.button if b.label == "Save this simulated feed as the day's events"]
    assert any("stays as shipped" in i.value for i in at.info)


def test_saving_the_simulated_feed_makes_recorded_events(open_client_page) -> None:  # type: ignore[no-untyped-def]
    """The dispatcher can save the simulated feed through the store; the page then offers the recorded events."""
    at = open_client_page("views/tracking.py")
    next(b for b in at.button if b.label == "Save this simulated feed as the day's events").click().run()
    assert not at.exception and not at.error
    assert at.success and at.success[-1].value.startswith("Saved ")
    at.run()
    feed = next(r for r in at.radio if r.label == "Events")
    assert feed.value.startswith("Recorded (") and feed.value != "Recorded (0)"


def test_a_client_link_is_signed_for_the_workspace_id_not_its_name(client_dir, sample_store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A customer link names the client's workspace by id: signed for the id it opens; signed for the name (which a
    deleted and re-created workspace could take) it does not."""
    from client_workspace import CLIENT
    from streamlit.testing.v1 import AppTest

    from opscore.workspaces import workspace

    monkeypatch.setenv("OPSCORE_LINK_SECRET", SECRET)
    _, etas = _sample_etas(sample_store)
    order = etas.iloc[0]["order_id"]
    ws_id = workspace(CLIENT, client_dir).id
    for signed_for, shown in ((ws_id, f"Your order {order}"), (CLIENT, "This tracking link is not valid")):
        at = AppTest.from_file("../../app.py", default_timeout=90)
        at.query_params.update({"workspace": ws_id, "order": order, "expires": UNTIL.isoformat(),
                                "token": link_token(SECRET.encode(), signed_for, order, UNTIL)})
        at.run()
        assert not at.exception
        texts = " ".join(e.value for kind in ("subheader", "warning") for e in at.get(kind))
        assert shown in texts.replace("\\", ""), texts
