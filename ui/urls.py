"""Absolute links to pages of this server (scenario and customer tracking links)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st


def page_url(url_path: str, params: Mapping[str, str]) -> str:
    """The absolute URL of the page at ``url_path`` with query ``params``, on the host the user reached and under
    the server's ``server.baseUrlPath`` (so links work behind a reverse proxy's path prefix)."""
    parts = urlsplit(st.context.url or "http://127.0.0.1:8501/")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    path = "/" + "/".join(p for p in (base, url_path.strip("/")) if p)
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(dict(params)), ""))
