"""Slows down password guessing: a growing wait after each wrong password, then a temporary lockout, per client.

Pure (no Streamlit): the app keeps one :class:`LoginThrottle` for the server and passes the client's address and
the clock in, so tests drive it with a fake clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThrottlePolicy:
    """How long a client waits after its n-th wrong password in a row (seconds)."""

    free_failures: int = 3
    """Wrong passwords allowed before any wait (typing mistakes)."""
    first_wait_s: float = 1.0
    """Wait after the first failure beyond the free ones; it doubles with each further failure."""
    max_wait_s: float = 60.0
    lockout_after: int = 10
    """Failures in a row after which the client is locked out."""
    lockout_s: float = 900.0
    forget_after_s: float = 3600.0
    """A client with no failure for this long starts again from zero."""
    max_clients: int = 10_000
    """Clients remembered at most (the oldest are forgotten first), bounding memory under a flood."""

    def __post_init__(self) -> None:
        if self.free_failures < 0 or self.lockout_after <= self.free_failures:
            raise ValueError("lockout_after must exceed free_failures, and free_failures must be 0 or more")
        if min(self.first_wait_s, self.max_wait_s, self.lockout_s, self.forget_after_s) < 0 or self.max_clients < 1:
            raise ValueError("waits must be 0 s or more and max_clients at least 1")

    def wait_after(self, failures: int) -> float:
        """Seconds before the next attempt is checked, after ``failures`` wrong passwords in a row."""
        if failures >= self.lockout_after:
            return self.lockout_s
        if failures < self.free_failures:
            return 0.0
        return min(self.first_wait_s * 2.0 ** (failures - self.free_failures), self.max_wait_s)


@dataclass
class _Record:
    failures: int
    last_failure: float


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may be checked now; if not, how many seconds remain."""

    allowed: bool
    retry_in_s: float = 0.0
    locked: bool = False
    """True while the client is in a lockout (not just a short wait)."""


@dataclass
class LoginThrottle:
    """Failure counts per client address (mutable, one per server; guard with a lock when shared by threads)."""

    policy: ThrottlePolicy = field(default_factory=ThrottlePolicy)
    _clients: dict[str, _Record] = field(default_factory=dict)

    def check(self, client: str, now: float) -> Verdict:
        """May ``client`` have a password checked at time ``now`` (seconds)? Attempts refused here are not counted."""
        record = self._current(client, now)
        if record is None:
            return Verdict(True)
        ready_at = record.last_failure + self.policy.wait_after(record.failures)
        if now >= ready_at:
            return Verdict(True)
        return Verdict(False, ready_at - now, record.failures >= self.policy.lockout_after)

    def failed(self, client: str, now: float) -> Verdict:
        """Record a wrong password; returns what the client faces next."""
        record = self._current(client, now)
        failures = (record.failures if record else 0) + 1
        self._clients.pop(client, None)
        self._clients[client] = _Record(failures, now)
        while len(self._clients) > self.policy.max_clients:
            self._clients.pop(next(iter(self._clients)))
        wait = self.policy.wait_after(failures)
        return Verdict(wait == 0, wait, failures >= self.policy.lockout_after)

    def succeeded(self, client: str) -> None:
        """The right password: the client starts again from zero."""
        self._clients.pop(client, None)

    def failures(self, client: str, now: float) -> int:
        """Wrong passwords in a row from ``client`` that still count at ``now``."""
        record = self._current(client, now)
        return record.failures if record else 0

    def _current(self, client: str, now: float) -> _Record | None:
        record = self._clients.get(client)
        if record is None:
            return None
        quiet_for = now - record.last_failure
        if quiet_for > max(self.policy.forget_after_s, self.policy.wait_after(record.failures)):
            del self._clients[client]
            return None
        return record
