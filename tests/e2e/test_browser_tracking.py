"""End to end in headless Chromium: a customer's tracking link (?order=) shows their delivery only, offline."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest

from opscore.store import open_store
from opscore.tracking import link_token

from .conftest import LINK_SECRET

pytestmark = pytest.mark.browser


def _today(sample_db: Path) -> tuple[str, str, list[str], list[str]]:
    """(an order of today, its customer's name, other orders of today, other customers' names)."""
    store = open_store(sample_db, read_only=True)
    try:
        d = store.table("deliveries")
        today = d[d["planned_date"].dt.date == store.as_of()].merge(store.table("orders"), on="order_id")
        customers = store.table("customers").set_index("customer_id")["name"]
    finally:
        store.close()
    mine = today.iloc[len(today) // 2]
    name = str(customers[mine["customer_id"]])
    others = [o for o in today["order_id"] if o != mine["order_id"]]
    names = [n for n in customers if n not in name]
    return str(mine["order_id"]), name, others, names


def test_customer_link_shows_only_that_order(page, app_url: str, sample_db: Path) -> None:  # type: ignore[no-untyped-def]
    """Opening /tracking?order=<ref> shows 'Your delivery', the order's status sentence and its map, loads nothing
    from outside this machine, and the page text names no other order or customer."""
    order, name, others, names = _today(sample_db)
    expires = date.today() + timedelta(days=7)
    token = link_token(LINK_SECRET.encode(), "sample", order, expires)
    page.goto(f"{app_url}/tracking?order={order}&expires={expires.isoformat()}&token={token}")
    page.get_by_role("heading", name="Your delivery").wait_for()
    page.get_by_text(order).first.wait_for()
    page.locator("iframe").first.wait_for()
    page.wait_for_timeout(800)
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert not [o for o in others if o in body]
    assert not [n for n in names if n in body]
    frame = page.frame_locator("iframe").first
    frame.locator(".leaflet-container").wait_for()
    leaked = [u for u in page.requested if urlparse(u).hostname not in ("127.0.0.1", "localhost")
              and not u.startswith(("data:", "blob:", "about:"))]
    assert leaked == []
