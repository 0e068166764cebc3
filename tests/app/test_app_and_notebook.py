"""The app and a notebook on one workspace at once, as two real processes: pages keep rendering while the notebook
writes through ``opscore.workspaces.open_workspace``, and the app shows the notebook's writes on its next render."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_pages_render_while_a_notebook_writes_the_workspace(open_client_page, client_dir: Path) -> None:  # type: ignore[no-untyped-def]
    notebook = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        from pathlib import Path
        from opscore.scenarios import save_scenario
        from opscore.workspaces import open_workspace
        store = open_workspace("client", Path({str(client_dir)!r}))
        day = store.table("sales", between=("date", "2026-10-01", "2026-10-01"))
        for i in range(30):
            with store.session():  # a notebook cell reading two tables from one snapshot
                store.table("products")
                store.table("inventory")
            save_scenario(store, f"from the notebook {{i}}", "inventory", {{}}, {{"i": i}})
            with store.transaction() as w:
                w.refresh("sales", day.assign(quantity=100 + i))
        print("done", flush=True)
    """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    at = open_client_page("views/home.py")
    for page in ("views/inventory.py", "views/scenarios.py", "views/home.py", "views/data.py") * 2:
        at.switch_page(page).run()
        assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    out, err = notebook.communicate(timeout=600)
    assert notebook.returncode == 0 and out.strip() == "done", err
    at.switch_page("views/scenarios.py").run()
    shown = " ".join(str(d.value.to_dict()) for d in at.dataframe) + " ".join(m.value for m in at.markdown)
    assert "from the notebook 29" in shown
