"""Optional access control for a workbench served on a network (off by default on 127.0.0.1).

- If ``.streamlit/secrets.toml`` has an ``[auth]`` section, users sign in with Streamlit's built-in
  OpenID Connect login (``st.login``).
- Else, if a shared password is set (``access_password`` in secrets.toml, or the
  ``OPSCORE_PASSWORD`` environment variable), users type it once per session.
- Else the app is open, which is right for a single user on 127.0.0.1.
"""

from __future__ import annotations

import hmac
import os
import secrets

import streamlit as st

from opscore.workspaces import data_dir

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
    if submitted and hmac.compare_digest(given.encode(), password.encode()):
        st.session_state[PASSED] = True
        st.rerun()
    if submitted:
        st.error("That password is not right. Ask the workshop host for it.")
    st.stop()


def link_secret() -> bytes:
    """The key that signs customer links: ``link_secret`` in secrets.toml, ``OPSCORE_LINK_SECRET``, or a random
    key created once in the data folder (so links keep working across restarts)."""
    configured = _secret("link_secret") or os.environ.get("OPSCORE_LINK_SECRET")
    if configured:
        return str(configured).encode()
    path = data_dir() / ".link_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(secrets.token_hex(32).encode())
    return path.read_bytes().strip()
