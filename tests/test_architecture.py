"""The layering promises of ARCHITECTURE.md, checked on the source: opscore is pure, only the store speaks SQL,
and topics meet only through each other's public packages."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "opscore"
MODULES = sorted(PACKAGE.rglob("*.py"))
TOPICS = {"forecast", "inventory", "routing", "tracking", "delivery_options", "maintenance", "suppliers",
          "sustainability", "compliance", "warehouse", "scenarios"}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_opscore_never_imports_streamlit(path: Path) -> None:
    """Notebooks and pages get the same pure functions: no module of opscore imports Streamlit."""
    assert not [n for n in _imports(path) if n.split(".")[0] == "streamlit"]


def test_only_the_store_speaks_sql() -> None:
    """No module outside opscore/store imports duckdb or runs a statement."""
    offenders = [str(p) for p in MODULES if "store" not in p.relative_to(PACKAGE).parts
                 and ("duckdb" in {n.split(".")[0] for n in _imports(p)} or ".execute(" in p.read_text())]
    assert offenders == []


def test_topics_use_each_others_public_packages_only() -> None:
    """A topic imports another topic only as `opscore.<topic>` or its public modules, never a private `_module`."""
    offenders = []
    for p in MODULES:
        own = p.relative_to(PACKAGE).parts[0]
        for name in _imports(p):
            parts = name.split(".")
            if len(parts) >= 3 and parts[0] == "opscore" and parts[1] in TOPICS and parts[1] != own \
                    and parts[2].startswith("_"):
                offenders.append(f"{p.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_lower_layers_do_not_import_topics() -> None:
    """store, io, geo and workspaces sit below the topics and never import one."""
    lower = [p for p in MODULES if p.relative_to(PACKAGE).parts[0] in ("store", "io", "geo.py", "workspaces.py")]
    offenders = [f"{p.name}: {n}" for p in lower for n in _imports(p)
                 if n.startswith("opscore.") and n.split(".")[1] in TOPICS]
    assert offenders == []
