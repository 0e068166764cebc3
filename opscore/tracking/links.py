"""Unguessable, expiring customer tracking links: a keyed hash of the workspace, order and expiry date.

Order references are sequential, so a link carries ``expires`` (ISO date) and
``token = link_token(secret, workspace, order, expires)``; the tracking page shows the order only when the
token matches (HMAC-SHA256, RFC 2104) and the link has not expired. Changing the date breaks the token.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from pathlib import Path

TOKEN_CHARS = 20
"""Hex characters kept from the HMAC (80 bits): far beyond guessing over a web form."""
DEFAULT_VALID_DAYS = 7
"""Days after the delivery day on which a link still opens."""
SECRET_BYTES = 32
"""Random bytes in a key made by :func:`secret_from_file` (stored as 64 hex characters)."""


class LinkState(Enum):
    """What a customer link is worth."""

    VALID = "valid"
    INVALID = "invalid"
    """Missing, malformed or wrong token, or a changed expiry date."""
    EXPIRED = "expired"


@dataclass(frozen=True)
class LinkCheck:
    """The verdict on a link and, when its signature is right, its expiry date."""

    state: LinkState
    expires: date | None = None


def link_token(secret: bytes, workspace: str, order_id: str, expires: date) -> str:
    """The token that authorises viewing ``order_id`` of ``workspace`` (its id) until the end of ``expires``."""
    if len(secret) < 16:
        raise ValueError("the link secret must be at least 16 bytes")
    message = f"{workspace}\n{order_id.strip().upper()}\n{expires.isoformat()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:TOKEN_CHARS]


def link_expiry(delivery_day: date, as_of: date, today: date, valid_days: int = DEFAULT_VALID_DAYS) -> date:
    """The last real calendar day on which a link to a delivery on ``delivery_day`` opens.

    ``valid_days`` after the delivery day, counted on the workspace's calendar: in a workspace whose data stop at
    an earlier as-of date (a replay, such as the sample), its as-of day stands for ``today``.
    """
    if valid_days < 0:
        raise ValueError(f"a link must stay valid for 0 days or more after the delivery, not {valid_days}")
    return today + (delivery_day - as_of) + timedelta(days=valid_days)


def check_link(secret: bytes, workspace: str, order_id: str, expires: str | None, token: str | None,
               today: date) -> LinkCheck:
    """Whether the link's token signs this workspace, order and expiry date (constant-time), and is not past it."""
    try:
        until = date.fromisoformat(str(expires))
    except ValueError:
        return LinkCheck(LinkState.INVALID)
    expected = link_token(secret, workspace, order_id, until).encode()
    if not token or not hmac.compare_digest(expected, str(token).encode("utf-8", "replace")):
        return LinkCheck(LinkState.INVALID)
    return LinkCheck(LinkState.VALID if today <= until else LinkState.EXPIRED, until)


def secret_from_file(path: Path) -> bytes:
    """The link key kept in ``path``, made (random, readable by the owner only) if missing.

    A key file readable by others is narrowed to owner-only. The key is written to a private temporary file and
    linked into place, so two processes starting at once agree on one key and never read half of it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_hex(SECRET_BYTES).encode())
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    key = path.read_bytes().strip()
    if len(key) < 16:
        raise ValueError(f"the link key in {path} is shorter than 16 bytes; delete the file to make a new one")
    return key
