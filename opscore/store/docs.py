"""Render the data model (docs/data-model.md) from the schema, so the docs never drift from the code.

``python -m opscore.store.docs > docs/data-model.md``
"""

from __future__ import annotations

from opscore.store.migrations import MIGRATIONS
from opscore.store.schema import TABLES, Column


def _checks(col: Column) -> str:
    parts = []
    if col.minimum is not None:
        parts.append(f">= {col.minimum:g}")
    if col.maximum is not None:
        parts.append(f"<= {col.maximum:g}")
    if col.choices:
        parts.append("one of " + ", ".join(col.choices))
    if col.references:
        parts.append(f"refers to {col.references}")
    if col.not_in_future:
        parts.append("not after the as-of date")
    return "; ".join(parts)


def render_markdown() -> str:
    """The whole data model as Markdown: one section per table, one row per column."""
    lines = [
        "# Data model",
        "",
        "Generated from `opscore/store/schema.py` by `python -m opscore.store.docs`; a test keeps it current.",
        "Each workspace is one DuckDB file holding these tables. Kinds: text, int, float, bool, date,",
        "timestamp (local time) and time (`HH:MM` text). Days without a `sales` row sold nothing. A day whose",
        "`stock_history` row shows a closing stock of 0 is a stock-out: its sales understate demand, so forecasts",
        "leave it out (see `opscore/forecast/censor.py`); a day without a `stock_history` row is not known to be one.",
        "",
        "Schema versions: " + "; ".join(f"{m.version}: {m.description}" for m in MIGRATIONS) + ".",
        "",
    ]
    for table in TABLES:
        origin = ("written by the workbench" if not table.user_data else
                  f"imported on the {table.import_page} page" if table.import_page else "imported or edited by users")
        lines += [f"## {table.name}", "", f"{table.description} Key: {', '.join(table.key)}. ({origin})", "",
                  "| column | kind | required | checks | meaning |", "|---|---|---|---|---|"]
        for col in table.columns:
            lines.append(f"| {col.name} | {col.kind} | {'yes' if col.required else 'no'} | {_checks(col)} "
                         f"| {col.description} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_markdown(), end="")
