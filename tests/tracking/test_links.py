"""Customer tracking links: signed over workspace, order and expiry date; they expire; the key file is private."""

from __future__ import annotations

import stat
import subprocess
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opscore.tracking import LinkState, check_link, link_expiry, link_token, secret_from_file

ROOT = Path(__file__).resolve().parents[2]
KEY = b"k" * 32
DAY = date(2026, 11, 2)


def test_a_link_opens_until_the_end_of_its_expiry_day_and_not_after() -> None:
    """Valid on the expiry day itself, expired the day after; the verdict carries the date for the message."""
    until = DAY + timedelta(days=7)
    token = link_token(KEY, "sample", "O1", until)
    on_the_day = check_link(KEY, "sample", "O1", until.isoformat(), token, today=until)
    after = check_link(KEY, "sample", "O1", until.isoformat(), token, today=until + timedelta(days=1))
    assert on_the_day.state is LinkState.VALID
    assert after.state is LinkState.EXPIRED and after.expires == until


@pytest.mark.parametrize("expires, token_for", [
    ("2027-01-01", date(2026, 11, 9)),   # the customer pushed the date out: the signature no longer matches
    ("not-a-date", date(2026, 11, 9)),
    (None, date(2026, 11, 9)),
])
def test_a_changed_or_missing_expiry_date_makes_the_link_invalid(expires: str | None, token_for: date) -> None:
    """The expiry date is signed: editing it in the URL breaks the link instead of extending it."""
    token = link_token(KEY, "sample", "O1", token_for)
    assert check_link(KEY, "sample", "O1", expires, token, today=DAY).state is LinkState.INVALID


@pytest.mark.parametrize("token", ["é" * 20, "\udcff" * 20, "", None])
def test_a_token_that_is_no_token_is_invalid_not_an_error(token: str | None) -> None:
    """Non-ASCII or unencodable text in ?token= (compare_digest refuses non-ASCII str) is just not valid."""
    assert check_link(KEY, "sample", "O1", "2026-11-09", token, today=DAY).state is LinkState.INVALID


@pytest.mark.parametrize("workspace, order, key", [("client-b", "O1", KEY), ("sample", "O2", KEY),
                                                   ("sample", "O1", b"x" * 32)])
def test_a_token_is_bound_to_its_workspace_order_and_key(workspace: str, order: str, key: bytes) -> None:
    """A token for order O1 of the sample opens nothing else, and nothing under another server's key."""
    until = DAY + timedelta(days=7)
    token = link_token(KEY, "sample", "O1", until)
    assert check_link(key, workspace, order, until.isoformat(), token, today=DAY).state is LinkState.INVALID


@given(delivery_offset=st.integers(-30, 30), valid_days=st.integers(0, 60))
def test_expiry_counts_days_after_the_delivery_on_the_workspace_calendar(delivery_offset: int, valid_days: int) -> None:
    """A live workspace (as-of = today) gets delivery day + N; a replay workspace's as-of day stands for today."""
    today = date(2026, 12, 3)
    delivery = today + timedelta(days=delivery_offset)
    assert link_expiry(delivery, today, today, valid_days) == delivery + timedelta(days=valid_days)
    replay_as_of = date(2026, 11, 2)
    replay_delivery = replay_as_of + timedelta(days=delivery_offset)
    assert link_expiry(replay_delivery, replay_as_of, today, valid_days) == delivery + timedelta(days=valid_days)


def test_the_default_link_lasts_seven_days_after_delivery() -> None:
    assert link_expiry(DAY, DAY, DAY) == date(2026, 11, 9)
    with pytest.raises(ValueError, match="0 days or more"):
        link_expiry(DAY, DAY, DAY, -1)


def test_the_key_file_is_made_owner_only_and_reused(tmp_path: Path) -> None:
    """A new key file is readable by its owner only (0600); the next call reads the same key."""
    path = tmp_path / "data" / ".link_secret"
    first = secret_from_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) == 64 and secret_from_file(path) == first
    assert [p.name for p in path.parent.iterdir()] == [".link_secret"]


def test_a_world_readable_key_file_is_narrowed_to_its_owner(tmp_path: Path) -> None:
    """A key file left 0644 by an earlier version is tightened to 0600, keeping the key (old links still open)."""
    path = tmp_path / ".link_secret"
    path.write_bytes(b"an-older-key-of-sufficient-length")
    path.chmod(0o644)
    assert secret_from_file(path) == b"an-older-key-of-sufficient-length"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sessions_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    """Eight threads asking for a missing key at the same moment all get the same, complete key."""
    path = tmp_path / ".link_secret"
    keys: list[bytes] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        keys.append(secret_from_file(path))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64


def test_the_default_key_file_is_ignored_by_git() -> None:
    """`git add -A` never commits the link key kept in the data folder."""
    result = subprocess.run(["git", "check-ignore", "-q", "data/.link_secret"], cwd=ROOT, check=False)
    assert result.returncode == 0
