"""Unguessable customer tracking links: a keyed hash of the workspace and order reference.

Order references are sequential, so a link carries ``token = link_token(secret, workspace, order)``
and the tracking page shows an order only when the token matches (HMAC-SHA256, RFC 2104).
"""

from __future__ import annotations

import hashlib
import hmac

TOKEN_CHARS = 20
"""Hex characters kept from the HMAC (80 bits): far beyond guessing over a web form."""


def link_token(secret: bytes, workspace: str, order_id: str) -> str:
    """The token that authorises viewing ``order_id`` of ``workspace``."""
    if len(secret) < 16:
        raise ValueError("the link secret must be at least 16 bytes")
    message = f"{workspace}\n{order_id.strip().upper()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:TOKEN_CHARS]


def token_matches(secret: bytes, workspace: str, order_id: str, token: str | None) -> bool:
    """True when ``token`` is the order's token (constant-time comparison)."""
    return bool(token) and hmac.compare_digest(link_token(secret, workspace, order_id), str(token))
