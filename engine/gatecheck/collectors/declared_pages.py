"""Both of Wasmtime's proposal pages at one commit, and what is wrong with them together."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.matrix_page import MATRIX, read_matrix
from gatecheck.collectors.page_rows import tier_of
from gatecheck.collectors.tiers_page import TIERS, read_tiers

if TYPE_CHECKING:
    from gatecheck.collectors.page_rows import Entry, Page
    from gatecheck.collectors.snapshot import Snapshot


class Pages(NamedTuple):
    """Both pages at one Wasmtime commit (None: the page does not exist there)."""

    matrix: Page | None
    tiers: Page | None
    repository: str
    commit: str
    short: str


def read_pages(snapshot: Snapshot) -> Pages:
    matrix = snapshot.text(MATRIX).content
    tiers = snapshot.text(TIERS).content
    return Pages(
        read_matrix(matrix) if matrix is not None else None,
        read_tiers(tiers) if tiers is not None else None,
        snapshot.repository,
        snapshot.commit,
        snapshot.short,
    )


def page_problems(pages: Pages) -> list[str]:
    """What is wrong with the pages as a whole; rows the tiers page has and the matrix lacks."""
    found = [f"{problem} ({pages.short})" for page in _present(pages) for problem in page.problems]
    matrix, tiers = pages.matrix, pages.tiers
    if matrix is None or tiers is None:
        return found
    for name, entries in tiers.entries.items():
        if name in matrix.entries or alias_of(tiers, matrix, name) is not None:
            continue
        tier = tier_of(entries[0])
        found.append(
            f"{TIERS}:{entries[0].line} lists `{name}` at tier {tier}; {MATRIX} has no row for it "
            f"({pages.short})"
        )
    return found


def _present(pages: Pages) -> list[Page]:
    return [page for page in (pages.matrix, pages.tiers) if page is not None]


def alias_of(linked: Page | None, searched: Page, name: str) -> tuple[str, Entry] | None:
    """A row of `searched` naming another proposal whose link leads where `linked` links `name`.

    The pages spell a proposal differently at times (nontrapping-fptoint in the matrix,
    nontrapping-float-to-int-conversion in the tiers page); the link says it is one proposal.
    """
    link = linked.links.get(f"`{name}`") if linked is not None else None
    if link is None:
        return None
    for other_name, entries in searched.entries.items():
        found = searched.links.get(f"`{other_name}`")
        if other_name != name and found is not None and found.target == link.target:
            return other_name, entries[0]
    return None
