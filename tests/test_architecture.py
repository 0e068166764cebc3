"""The layering promises of docs/architecture.md, checked on the source: opscore is pure, only the store speaks
SQL, foundations sit below the topics, and topics meet only through each other's package faces."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "opscore"
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


FOUNDATIONS = {"store", "io", "geo.py", "workspaces.py", "timeofday.py", "emission_factors.py", "fleet_history.py",
               "delivery_tables.py", "visibility.py"}


def test_foundations_do_not_import_topics() -> None:
    """The store, io and the shared foundations (emission factors, fleet history, ...) never import a topic or viz."""
    lower = [p for p in MODULES if p.relative_to(PACKAGE).parts[0] in FOUNDATIONS]
    assert {p.relative_to(PACKAGE).parts[0] for p in lower} == FOUNDATIONS
    offenders = [f"{p.name}: {n}" for p in lower for n in _imports(p)
                 if n.startswith("opscore.") and n.split(".")[1] in TOPICS | {"viz"}]
    assert offenders == []


def _from_imports(path: Path) -> list[tuple[str, list[str]]]:
    return [(n.module, [a.name for a in n.names]) for n in ast.walk(ast.parse(path.read_text()))
            if isinstance(n, ast.ImportFrom) and n.module]


def test_topics_and_figures_meet_other_topics_through_their_faces() -> None:
    """A topic (or viz) imports another topic only as ``from opscore.<topic> import name`` with ``name`` in that
    package's ``__all__``: its modules can be reorganised without breaking a caller."""
    offenders = []
    for p in MODULES:
        own = p.relative_to(PACKAGE).parts[0]
        if own not in TOPICS | {"viz"}:
            continue
        for module, names in _from_imports(p):
            parts = module.split(".")
            if parts[0] != "opscore" or len(parts) < 2 or parts[1] not in TOPICS or parts[1] == own:
                continue
            face = importlib.import_module(f"opscore.{parts[1]}")
            hidden = [n for n in names if len(parts) > 2 or n not in face.__all__]
            if hidden:
                offenders.append(f"{p.relative_to(PACKAGE)}: from {module} import {', '.join(hidden)}")
    assert offenders == []


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_face_name_exists(topic: str) -> None:
    """Each topic's ``__all__`` names only things the package really has."""
    face = importlib.import_module(f"opscore.{topic}")
    assert [n for n in face.__all__ if not hasattr(face, n)] == []


def test_saving_a_scenario_does_not_load_plotly() -> None:
    """The scenarios topic compares and saves without plotly; only drawing a report loads it."""
    code = "import sys, opscore.scenarios, opscore.routing, opscore.inventory; print('plotly' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_the_documents_the_code_cites_exist() -> None:
    """Every ``docs/...`` file README, the tests and opscore mention is in the repository."""
    sources = [ROOT / "README.md", *ROOT.glob("tests/**/*.py"), *MODULES, *ROOT.glob("ui/**/*.py")]
    cited = {m for f in sources for m in re.findall(r"docs/[\w./-]+\.(?:md|png)", f.read_text(errors="ignore"))}
    assert cited and [c for c in sorted(cited) if not (ROOT / c).exists()] == []


def _positional_frames(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The parameters of ``fn`` that may be passed by position and are annotated with a DataFrame type."""
    args = fn.args.posonlyargs + fn.args.args
    return [a.arg for a in args if a.annotation is not None and "DataFrame" in ast.unparse(a.annotation)]


def test_no_function_takes_five_positional_frames() -> None:
    """Issue 18: frames are passed by keyword or in a typed bundle (:class:`opscore.delivery_tables.DeliveryTables`),
    never as a row of five or more positional DataFrames that a caller can silently swap."""
    offenders = []
    for p in MODULES:
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                frames = _positional_frames(node)
                if len(frames) >= 5:
                    offenders.append(f"{p.relative_to(PACKAGE)}:{node.lineno} {node.name}({', '.join(frames)})")
    assert offenders == []
