"""Password guessing is slowed per client: free typos, then a doubling wait, then a lockout; every miss is logged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from ui.login_throttle import LoginThrottle, ThrottlePolicy

ROOT = Path(__file__).resolve().parents[2]
POLICY = ThrottlePolicy()


def test_the_wait_grows_with_each_failure_then_locks_out() -> None:
    """Three typos are free; then 1, 2, 4 ... s (at most 60 s); the tenth miss in a row locks for 15 minutes."""
    waits = [POLICY.wait_after(n) for n in range(1, 12)]
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 60, 900, 900]


def test_150_guesses_take_hours_not_seconds() -> None:
    """The reproduction ran 150 wrong guesses in 31 s; now, guessing as fast as allowed, they take over 30 hours."""
    throttle, now = LoginThrottle(POLICY), 0.0
    for _ in range(150):
        verdict = throttle.check("10.0.0.9", now)
        now += verdict.retry_in_s
        assert throttle.check("10.0.0.9", now).allowed
        throttle.failed("10.0.0.9", now)
    assert now > 30 * 3600


def test_an_attempt_during_the_wait_is_refused_unchecked_and_not_counted() -> None:
    """Inside the wait even the right password is not checked (so the wait tells nothing) and adds no failure."""
    throttle = LoginThrottle(POLICY)
    for t in range(3):
        throttle.failed("10.0.0.9", float(t))
    early = throttle.check("10.0.0.9", 2.5)
    assert not early.allowed and early.retry_in_s == pytest.approx(0.5) and not early.locked
    assert throttle.failures("10.0.0.9", 2.5) == 3
    assert throttle.check("10.0.0.9", 3.0).allowed


def test_clients_are_throttled_separately_and_a_success_clears_the_count() -> None:
    throttle = LoginThrottle(POLICY)
    for t in range(10):
        throttle.failed("10.0.0.9", float(t))
    locked = throttle.check("10.0.0.9", 10.0)
    assert locked.locked and locked.retry_in_s == pytest.approx(899.0)
    assert throttle.check("10.0.0.7", 10.0).allowed
    throttle.failed("10.0.0.7", 10.0)
    throttle.succeeded("10.0.0.7")
    assert throttle.failures("10.0.0.7", 10.0) == 0


def test_a_quiet_client_is_forgotten_and_memory_stays_bounded() -> None:
    """After an hour without a miss (and past any lockout) the count restarts; a flood of addresses keeps at most
    ``max_clients`` records."""
    throttle = LoginThrottle(ThrottlePolicy(max_clients=100))
    for t in range(4):
        throttle.failed("10.0.0.9", float(t))
    assert throttle.failures("10.0.0.9", 3.0 + 3601) == 0
    for n in range(1000):
        throttle.failed(f"10.1.{n // 256}.{n % 256}", 5000.0)
    assert len(throttle._clients) == 100


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=30))
@example(gaps=[0.0, 0.0, 15.913313808155552, 1.0])  # 16.913... - 15.913... < 1.0 in floating point
def test_a_client_never_gets_a_check_sooner_than_the_policy_allows(gaps: list[float]) -> None:
    """Whatever the timing of the attempts, a refused attempt is never checked and a checked one waited enough."""
    throttle, now, failures, last = LoginThrottle(POLICY), 0.0, 0, 0.0
    for gap in gaps:
        now += gap
        verdict = throttle.check("c", now)
        assert verdict.allowed == (failures == 0 or now >= last + POLICY.wait_after(failures)  # ready at last + wait
                                   or now - last > POLICY.forget_after_s)
        if verdict.allowed:
            if now - last > max(POLICY.forget_after_s, POLICY.wait_after(failures)):
                failures = 0
            throttle.failed("c", now)
            failures, last = failures + 1, now


def test_bad_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="lockout_after"):
        ThrottlePolicy(free_failures=5, lockout_after=5)
    with pytest.raises(ValueError, match="waits"):
        ThrottlePolicy(first_wait_s=-1)


def _submit(at: AppTest, password: str) -> AppTest:
    at.text_input[0].set_value(password)
    return at.button[0].click().run()


def test_the_gate_makes_a_guesser_wait_even_for_the_right_password_and_logs_each_miss(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """Three wrong passwords, then the right one at once: refused with the wait, nothing of the workspace shown;
    each miss is a warning in the log with the client's address and count."""
    from ui.access import _guard

    _guard.clear()
    monkeypatch.setattr(_guard(), "clock", lambda: 1000.0)  # every attempt at one moment: nothing is timed
    monkeypatch.setenv("OPSCORE_PASSWORD", "leeds-2026")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    with caplog.at_level(logging.WARNING, logger="opscore.access"):
        for _ in range(3):
            _submit(at, "guess")
        assert "wait 1 s before trying again" in at.error[0].value
        _submit(at, "leeds-2026")
    assert "Too many wrong passwords" in at.error[0].value
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox
    misses = [r.getMessage() for r in caplog.records if r.name == "opscore.access"]
    assert misses == [f"wrong workshop password from this machine: {n} in a row; next try in {w} s"
                      for n, w in ((1, 0), (2, 0), (3, 1))]
    _guard.clear()
