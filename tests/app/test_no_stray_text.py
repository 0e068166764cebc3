"""No code comment reaches a page: Streamlit "magic" would write any bare expression statement of a page
script (e.g. an attribute docstring under a constant) onto the page, above its title."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest
from streamlit.runtime.scriptrunner.magic import add_magic

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py"))]
DOCSTRING_PARENTS = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _bare_expressions(tree: ast.AST) -> list[int]:
    """Lines of expression statements that are neither a call nor the docstring of a module, class or function."""
    lines = []
    for parent in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(parent, field, None)
            for i, node in enumerate(statements if isinstance(statements, list) else []):
                if not isinstance(node, ast.Expr) or isinstance(node.value, ast.Call | ast.Await):
                    continue
                docstring = (i == 0 and field == "body" and isinstance(parent, DOCSTRING_PARENTS)
                             and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))
                if not docstring:
                    lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_scripts_have_no_bare_expressions(script: Path) -> None:
    """Every expression statement in the router and the pages is a call or a docstring: magic writes nothing."""
    assert _bare_expressions(ast.parse(script.read_text())) == []


def test_the_check_flags_what_magic_writes_and_only_that() -> None:
    """Streamlit's own magic leaves module and function docstrings alone and writes an attribute docstring
    and a bare name; the check above exempts exactly those docstrings and flags the other two."""
    source = ('"""Module docstring."""\nX = 3\n"""What X is."""\n\ndef f():\n    """Function docstring."""\n'
              '    return 1\n\nX\n')
    written = [n.lineno for n in ast.walk(add_magic(source, "page.py"))
               if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
               and getattr(n.value.func, "attr", "") == "transparent_write"]
    assert written == [3, 9]
    assert _bare_expressions(ast.parse(source)) == [3, 9]


def test_magic_is_off_for_the_app() -> None:
    """Defence in depth: the app's config turns magic off, so even a bare expression would not be shown."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["magicEnabled"] is False
