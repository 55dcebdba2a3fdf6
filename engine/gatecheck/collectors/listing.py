"""The proposals Wasmtime lists, read from the listing file the collector table names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import Table


class Listed(NamedTuple):
    """A proposal named in Wasmtime's tables, where, and whether the table knows it."""

    name: str
    line: int
    skipped: str | None  # why no evidence is collected for it
    known: bool  # the table has an entry (else its spellings are derived by rule only)


def list_proposals(table: Table, snapshot: Snapshot) -> tuple[list[Listed], str | None]:
    """The proposals listed in the listing file's sections, or the reason there are none."""
    for path in table.listing.files:
        text = snapshot.text(path).content
        if text is None:
            continue
        found: list[Listed] = []
        inside = False
        for number, line in enumerate(text.splitlines(), 1):
            if line.startswith("#"):
                inside = re.search(table.listing.sections, line) is not None
            row = re.search(table.listing.row, line) if inside else None
            if row and all(item.name != row.group(1) for item in found):
                name = row.group(1)
                found.append(Listed(name, number, table.skip.get(name), name in table.proposals))
        return found, None
    return [], f"none of {', '.join(table.listing.files)} exists at {snapshot.short}"
