"""The Streamlit side of the seam (docs/architecture.md): pages are thin, cached work lives in ``ui/services``
and takes explicit arguments, and session keys are named constants."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "views").glob("*.py"))
SERVICES = sorted((ROOT / "ui" / "services").glob("*.py"))
MAX_PAGE_LINES = 160
SESSION_READERS = {"table", "current_store", "current_workspace", "cache_key"}
"""ui.state helpers that read the session: a service gets the workspace from its ``key`` argument instead."""


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _called_name(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def _is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_are_thin(path: Path) -> None:
    """A page is widgets, one service call per result and a figure: at most 160 lines."""
    assert len(path.read_text().splitlines()) <= MAX_PAGE_LINES


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_cache_nothing_themselves(path: Path) -> None:
    """Cached work lives in a service (ui/services/<topic>.py), not in a page."""
    cached = [n.lineno for n in ast.walk(_tree(path)) if isinstance(n, ast.Attribute)
              and n.attr in ("cache_data", "cache_resource")]
    assert cached == []


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_services_never_read_the_session(path: Path) -> None:
    """A cached service's answer depends only on its arguments: no session state, no 'current' workspace."""
    offenders = [f"line {n.lineno}: session_state" for n in ast.walk(_tree(path)) if _is_session_state(n)]
    offenders += [f"line {n.lineno}: {_called_name(n)}()" for n in ast.walk(_tree(path))
                  if isinstance(n, ast.Call) and _called_name(n) in SESSION_READERS]
    assert offenders == []


@pytest.mark.parametrize("path", [*PAGES, *sorted((ROOT / "ui").glob("*.py")), *SERVICES],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_session_keys_are_named_constants(path: Path) -> None:
    """``st.session_state`` is indexed by named constants, never a string typed at the point of use."""
    offenders = []
    for n in ast.walk(_tree(path)):
        if isinstance(n, ast.Subscript) and _is_session_state(n.value) and isinstance(n.slice, (ast.Constant,
                                                                                                 ast.JoinedStr)):
            offenders.append(n.lineno)
        if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and _is_session_state(n.func.value)
                and n.args and isinstance(n.args[0], (ast.Constant, ast.JoinedStr))):
            offenders.append(n.lineno)
    assert offenders == []


def test_there_are_services() -> None:
    """Every topic page with cached work has its service module."""
    assert {p.stem for p in SERVICES} >= {"routes", "tracking", "delivery_options", "inventory", "suppliers",
                                          "forecast", "warehouse", "maintenance", "sustainability"}
