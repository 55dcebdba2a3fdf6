"""Read `docs/stability-tiers.md`: the proposals listed as rows of its `Tier N` tables.

Before a8998e7c (2024-10-10) it was the only page listing proposals.
"""

from __future__ import annotations

from gatecheck.collectors.markdown import footnotes, tables
from gatecheck.collectors.page_rows import NAME, TIER, Entry, Page, first_links

TIERS = "docs/stability-tiers.md"


def read_tiers(text: str) -> Page:
    """The `WebAssembly Proposal` rows of the tables under each `Tier N` heading."""
    entries: dict[str, list[Entry]] = {}
    for table in tables(text):
        heading = table.heading
        if heading is None or TIER.search(heading.text) is None or not table.header:
            continue
        if table.header[0] != "Category":
            continue
        for row in table.rows:
            if len(row.cells) < 2 or row.cells[0] != "WebAssembly Proposal":  # noqa: PLR2004
                continue
            found = NAME.search(row.cells[1])
            if found is not None:
                entry = Entry(found.group(1), row.line, row.text, heading, {}, {})
                entries.setdefault(entry.name, []).append(entry)
    return Page(
        TIERS,
        {name: tuple(found) for name, found in entries.items()},
        footnotes(text),
        first_links(text),
        (),
        (),
    )
