"""Column matches remembered per workspace and per source, so next month's export of a report needs no clicks.

A source is identified by its header row (:func:`opscore.io.headers.source_fingerprint`). A file whose headers
differ from every remembered source (a column added to the report) still gets the newest remembered mapping whose
file columns it all has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from opscore.io.headers import source_fingerprint
from opscore.store import Store


def recall_mapping(store: Store, table: str, columns: Iterable[str]) -> dict[str, str]:
    """The mapping (file column -> table column) last used for a file with these ``columns``, or {} if none fits."""
    columns = [str(c) for c in columns]
    remembered = store.remembered_mappings(table)
    source = source_fingerprint(columns)
    for fingerprint, mapping in remembered:
        if fingerprint == source:
            return mapping
    present = set(columns)
    for _, mapping in remembered:
        if set(mapping) <= present:
            return mapping
    return {}


def remember_mapping(store: Store, table: str, columns: Iterable[str], mapping: Mapping[str, str],
                     when: datetime) -> None:
    """Keep ``mapping`` for files with these ``columns`` (replacing what was kept for them)."""
    with store.transaction() as writer:
        writer.remember_mapping(table, source_fingerprint(columns), mapping, when)
