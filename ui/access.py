"""Optional access control for a workbench served on a network (off by default on 127.0.0.1).

- If ``.streamlit/secrets.toml`` has an ``[auth]`` section, users sign in with Streamlit's built-in
  OpenID Connect login (``st.login``).
- Else, if a shared password is set (``access_password`` in secrets.toml, or the
  ``OPSCORE_PASSWORD`` environment variable), users type it once per session.
- Else the app is open, which is right for a single user on 127.0.0.1.

Wrong passwords from one address make it wait longer and longer, then lock it out for a while
(:mod:`ui.login_throttle`); each one is logged with the address.
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import streamlit as st

from opscore.tracking import DEFAULT_VALID_DAYS, secret_from_file
from opscore.workspaces import data_dir
from ui.login_throttle import LoginThrottle, ThrottlePolicy

log = logging.getLogger("opscore.access")
MAX_VALID_DAYS = 3650
"""Longest a customer link may stay valid after its delivery day (ten years)."""
PASSED = "_access_ok"


def _secret(name: str) -> object | None:
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets.toml at all: Streamlit raises on first access
        return None


def shared_password() -> str | None:
    value = _secret("access_password") or os.environ.get("OPSCORE_PASSWORD")
    return str(value) if value else None


def has_access() -> bool:
    """True when no access control is configured, or the user is signed in / gave the password."""
    if _secret("auth"):
        return bool(st.user.is_logged_in)
    password = shared_password()
    return password is None or bool(st.session_state.get(PASSED))


@dataclass
class _Guard:
    """The server's one throttle and the lock that serialises sessions' use of it."""

    throttle: LoginThrottle = field(default_factory=lambda: LoginThrottle(ThrottlePolicy()))
    lock: threading.Lock = field(default_factory=threading.Lock)
    clock: Callable[[], float] = time.monotonic
    """Seconds, for the throttle's waits."""


@st.cache_resource(show_spinner=False)
def _guard() -> _Guard:
    return _Guard()


def _client() -> str:
    """The client's address; Streamlit gives none for the same machine (then one client: 'this machine')."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "this machine"


def _check_password(given: str, password: str) -> str | None:
    """None when ``given`` is right and the client may try now; else the message to show."""
    guard, client = _guard(), _client()
    now = guard.clock()
    with guard.lock:
        verdict = guard.throttle.check(client, now)
        if not verdict.allowed:
            return _wait_message(verdict.retry_in_s, verdict.locked)
        if hmac.compare_digest(given.encode(), password.encode()):
            guard.throttle.succeeded(client)
            return None
        after = guard.throttle.failed(client, now)
        failures = guard.throttle.failures(client, now)
    log.warning("wrong workshop password from %s: %d in a row; next try in %.0f s%s", client, failures,
                after.retry_in_s, " (locked out)" if after.locked else "")
    if after.allowed:
        return "That password is not right. Ask the workshop host for it."
    return "That password is not right. " + _wait_message(after.retry_in_s, after.locked)


def _wait_message(seconds: float, locked: bool) -> str:
    wait = f"{seconds / 60:.0f} minutes" if seconds >= 90 else f"{max(1, round(seconds))} s"
    if locked:
        return (f"Too many wrong passwords from this address: locked for {wait}. "
                "Ask the workshop host for the password.")
    return f"Too many wrong passwords from this address: wait {wait} before trying again."


def access_gate() -> None:
    """Show the sign-in button or the password form, and stop the script until access is granted."""
    st.title("OpsCore Workbench")
    if _secret("auth"):
        st.write("Sign in to open this workbench.")
        st.button("Sign in", on_click=st.login, type="primary")
        st.stop()
    password = shared_password() or ""
    with st.form("access"):
        given = st.text_input("Workshop password", type="password")
        submitted = st.form_submit_button("Open", type="primary")
    if submitted:
        problem = _check_password(given, password)
        if problem is None:
            st.session_state[PASSED] = True
            st.rerun()
        st.error(problem)
    st.stop()


def link_secret() -> bytes:
    """The key that signs customer links: ``link_secret`` in secrets.toml, ``OPSCORE_LINK_SECRET``, or a random
    key kept in the data folder (git-ignored, owner-only), so links keep working across restarts."""
    configured = _secret("link_secret") or os.environ.get("OPSCORE_LINK_SECRET")
    if configured:
        return str(configured).encode()
    return secret_from_file(data_dir() / ".link_secret")


def link_valid_days() -> int:
    """Days after the delivery day on which a customer link opens: ``link_valid_days`` in secrets.toml, else
    ``OPSCORE_LINK_DAYS``, else 7; a value that is not a whole number of days from 0 to 3650 is logged and ignored."""
    configured = _secret("link_valid_days")
    if configured is None:
        configured = os.environ.get("OPSCORE_LINK_DAYS")
    if configured is None or str(configured).strip() == "":
        return DEFAULT_VALID_DAYS
    try:
        days = int(str(configured).strip())
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_VALID_DAYS:
        log.warning("link_valid_days %r is not a whole number of days from 0 to %d; using %d", configured,
                    MAX_VALID_DAYS, DEFAULT_VALID_DAYS)
        return DEFAULT_VALID_DAYS
    return days
