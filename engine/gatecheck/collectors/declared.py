"""What Wasmtime's own pages declare about a proposal, as `declared` facts. Pure.

Wasmtime keeps two hand-written pages about proposals. `docs/stability-wasm-proposals.md` (since
a8998e7c, 2024-10-10) is a matrix: a row per proposal, a mark per requirement (Phase 4, Tests,
Finished, Fuzzed, API, C API: ✅, 🚧 or ❌, and ⚠️ in 2024-2025) with footnotes, the rows grouped
as on- and off-by-default (until 2025-07) or by tier (since). `docs/stability-tiers.md` lists
proposals as rows of its tier tables (the only list before a8998e7c).

What they say is recorded under `declared`, beside the facts read from the code, and never
collapsed: two rows for one proposal are counted (`declared.rows: 2`), and a column the rows
disagree on is not recorded, with the reason. The policies' `docs-agree` gate compares the
declared facts with the code's; `disagreements` says the same comparisons for `collect`, with both
locations, so a run shows them before anything is judged.

The pages are read by `matrix_page` and `tiers_page` (`declared_pages` holds both); a matrix
row's marks, default and footnotes become facts in `matrix_facts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.declared_pages import alias_of
from gatecheck.collectors.disagreements import at, disagreements
from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matrix_facts import declared_column, declared_footnotes, on_by_default
from gatecheck.collectors.matrix_page import COLUMNS, MATRIX
from gatecheck.collectors.page_rows import heading_text, mark_of, tier_of
from gatecheck.collectors.tiers_page import TIERS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.collectors.declared_pages import Pages
    from gatecheck.collectors.page_rows import Entry, Page


class Declared(NamedTuple):
    facts: list[Collected | Unknown]
    warnings: list[str]  # "name: what is wrong, with locations [rule]"


def declare(pages: Pages, name: str, found: Sequence[Collected | Unknown]) -> Declared:
    """What the pages declare about `name`, and every disagreement, with the code's `found` too.

    The one call `collect` makes for a proposal.
    """
    own = declared_facts(pages, name)
    return Declared(own.facts, own.warnings + disagreements(name, [*found, *own.facts]))


def declared_facts(pages: Pages, name: str) -> Declared:
    """Everything the pages declare about proposal `name`, and what is wrong in them about it."""
    facts: list[Collected | Unknown] = []
    warnings: list[str] = []
    if pages.matrix is not None:
        facts.extend(_matrix_facts(pages, pages.matrix, name, warnings))
    if pages.tiers is not None:
        facts.extend(_tiers_facts(pages, pages.tiers, name, warnings))
    warnings.extend(_across_pages(name, facts))
    return Declared(facts, warnings)


def _matrix_facts(
    pages: Pages, page: Page, name: str, warnings: list[str]
) -> list[Collected | Unknown]:
    rows = page.entries.get(name, ())
    alias = alias_of(pages.tiers, page, name)
    found: list[Collected | Unknown] = [
        _rows_fact(pages, page, "declared.rows", rows, _rows_note(page, rows, alias))
    ]
    if not rows:
        why = f"{MATRIX} has no row for {name} at {pages.short}"
        keys = ["tier", "on_by_default", *COLUMNS.values(), "footnotes"]
        return found + [Unknown(f"declared.{key}", why) for key in keys]
    if len(rows) > 1:
        warnings.append(_duplicate_rows(page, name, rows, "one-row"))
    found.append(_declared_tier(pages, page, rows, "declared.tier"))
    found.append(on_by_default(pages, page, rows, warnings))
    for heading, key in COLUMNS.items():
        mark = declared_column(pages, rows, heading, key)
        if isinstance(mark, Unknown) and "legend" in mark.reason:
            warnings.append(f"{name}: {mark.reason} [{key.replace('_', '-')}-column]")
        found.append(mark)
    found.append(declared_footnotes(pages, page, rows))
    return found


def _tiers_facts(
    pages: Pages, page: Page, name: str, warnings: list[str]
) -> list[Collected | Unknown]:
    rows = page.entries.get(name, ())
    alias = alias_of(pages.matrix, page, name)
    found: list[Collected | Unknown] = [
        _rows_fact(
            pages, page, "declared.stability_tiers.rows", rows, _rows_note(page, rows, alias)
        )
    ]
    if len(rows) > 1:
        warnings.append(_duplicate_rows(page, name, rows, "one-row"))
    if rows:
        found.append(_declared_tier(pages, page, rows, "declared.stability_tiers.tier"))
    else:
        found.append(
            Unknown(
                "declared.stability_tiers.tier", f"{TIERS} does not list {name} at {pages.short}"
            )
        )
    return found


def _rows_fact(pages: Pages, page: Page, fact: str, rows: Sequence[Entry], note: str) -> Collected:
    line = rows[0].line if rows else None
    return Collected(fact, len(rows), pages.repository, pages.commit, page.path, line, note)


def _rows_note(page: Page, rows: Sequence[Entry], alias: tuple[str, Entry] | None) -> str:
    if not rows:
        note = "no row names it"
        if alias is not None:
            other, entry = alias
            note += (
                f"; {page.path}:{entry.line} names `{other}`, linking the same page: the two "
                "pages spell the proposal differently"
            )
        return note
    if len(rows) == 1:
        return f"one row: `{rows[0].text}`"
    lines = ", ".join(str(row.line) for row in rows)
    return f"{len(rows)} rows, lines {lines}: " + "; ".join(f"`{row.text}`" for row in rows)


def _declared_tier(
    pages: Pages, page: Page, rows: Sequence[Entry], fact: str
) -> Collected | Unknown:
    tiers = [tier_of(row) for row in rows]
    distinct = set(tiers)
    if len(distinct) == 1 and None not in distinct:
        heading = rows[0].heading
        assert heading is not None  # noqa: S101 - a tier comes from a heading
        note = f"row under `{heading.text}` ({page.path}:{heading.line})"
        return Collected(
            fact, tiers[0], pages.repository, pages.commit, page.path, rows[0].line, note
        )
    if len(distinct) > 1:
        shown = ", ".join(f"line {row.line}: {heading_text(row)}" for row in rows)
        return Unknown(fact, f"its rows in {page.path} are under different headings ({shown})")
    return Unknown(
        fact,
        f"{page.path} does not group proposals by tier at {pages.short}: its row is under "
        f"`{heading_text(rows[0])}`",
    )


def _across_pages(name: str, facts: Sequence[Collected | Unknown]) -> list[str]:
    """A proposal at a tier in one page and absent from, or at another tier in, the other."""
    known = {fact.fact: fact for fact in facts if isinstance(fact, Collected)}
    tier, listed = known.get("declared.tier"), known.get("declared.stability_tiers.tier")
    rows = known.get("declared.stability_tiers.rows")
    matrix_rows = known.get("declared.rows")
    if tier is not None and listed is not None and tier.value != listed.value:
        where = f"{at(tier)} but tier {listed.value} in {at(listed)}"
        return [f"{name}: tier {tier.value} in {where} [same-tier]"]
    if tier is not None and rows is not None and rows.value == 0:
        where = f"{at(tier)}, absent from {TIERS} ({rows.note})"
        return [f"{name}: tier {tier.value} in {where} [same-tier]"]
    if listed is not None and matrix_rows is not None and matrix_rows.value == 0:
        where = f"{at(listed)}, absent from {MATRIX} ({matrix_rows.note})"
        return [f"{name}: tier {listed.value} in {where} [same-tier]"]
    return []


def _duplicate_rows(page: Page, name: str, rows: Sequence[Entry], rule: str) -> str:
    lines = ", ".join(str(row.line) for row in rows)
    differing = []
    for heading in COLUMNS:
        marks = [(row.line, row.cells[heading]) for row in rows if heading in row.cells]
        if len({mark_of(cell) for _, cell in marks}) > 1:
            shown = ", ".join(f"{cell} at {line}" for line, cell in marks)
            differing.append(f"{heading} ({shown})")
    tiers = {tier_of(row) for row in rows}
    if len(tiers) > 1:
        differing.append("tier (" + ", ".join(f"{heading_text(r)} at {r.line}" for r in rows) + ")")
    said = (
        f"; they disagree on {', '.join(differing)}, so gatecheck records neither"
        if differing
        else ""
    )
    return f"{name}: {len(rows)} rows in {page.path} (lines {lines}){said} [{rule}]"
