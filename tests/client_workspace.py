"""The client workspace tests import into: a copy of the sample (the sample itself takes no imports)."""

from __future__ import annotations

import shutil
from pathlib import Path

from opscore.workspaces import workspace

CLIENT = "client"


def add_client(root: Path) -> None:
    """Put a copy of ``root``'s sample in ``root`` as workspace ``client`` (a file of the earlier layout, which
    the workspace list adopts with a new id on first sight)."""
    (root / "workspaces").mkdir(exist_ok=True)
    shutil.copyfile(root / "workbench.duckdb", root / "workspaces" / f"{CLIENT}.duckdb")


def client_path(root: Path) -> Path:
    """The workspace file of ``client`` under ``root``."""
    return workspace(CLIENT, root).path
