"""A progress bar for long actions that report ``progress(done, total)``, such as batch forecasts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")


def with_progress(action: Callable[..., T], *args: Any, unit: str = "SKUs", **kwargs: Any) -> T:
    """``action(*args, **kwargs, progress=...)`` with a bar ('40 of 120 SKUs') shown while it runs."""
    bar = st.progress(0.0, text="Starting…")
    out = action(*args, **kwargs,
                 progress=lambda done, total: bar.progress(done / total, text=f"{done} of {total} {unit}"))
    bar.empty()
    return out
