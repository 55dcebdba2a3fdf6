"""What Wasmtime's own pages declare about each proposal, read row by row. Pure.

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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.markdown import (
    FOOTNOTE_REFERENCE,
    Heading,
    Link,
    Note,
    Table,
    footnotes,
    headings,
    links,
    references,
    tables,
)
from gatecheck.collectors.wasmtime import Collected, Unknown

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from gatecheck.collectors.snapshot import Snapshot

MATRIX = "docs/stability-wasm-proposals.md"
TIERS = "docs/stability-tiers.md"

# The matrix's columns as its header spells them, and the fact each mark becomes under `declared`.
COLUMNS = {
    "Phase 4": "phase4",
    "Tests": "tests",
    "Finished": "finished",
    "Fuzzed": "fuzzed",
    "API": "api",
    "C API": "c_api",
}
# The page explains an "Enabled" column (on by default) that no table had at e6b33de5; should one
# appear, its mark is read as `declared.on_by_default`.
ENABLED = "Enabled"
# The legend's marks; ⚠️ was used in 2024-2025 (written with or without the variation selector).
MARKS = {"✅": "✅", "🚧": "🚧", "❌": "❌", "⚠️": "⚠️", "⚠": "⚠️"}
PROPOSAL = "proposal"  # the footnotes key of a footnote on the proposal's name

_NAME = re.compile(r"\[`([a-z0-9-]+)`\]")
_TIER = re.compile(r"\bTier (\d)\b")
_ON_OFF = re.compile(r"^(On|Off)-by-default\b", re.IGNORECASE)
_DEFAULT_PHRASE = re.compile(
    r"\b(not )?(enabled|disabled|on|off)[- ]by[- ]default\b", re.IGNORECASE
)
_EXPLAINED = re.compile(r"^\* \*\*(.+?)\*\*")


class Entry(NamedTuple):
    """One row that names a proposal, and what the page around it says."""

    name: str
    line: int
    text: str  # the row as written, whitespace folded
    heading: Heading | None
    cells: dict[str, str]  # matrix column heading -> the cell as written (matrix tables only)
    notes: dict[str, tuple[str, ...]]  # PROPOSAL or a column heading -> footnote labels in it


class Page(NamedTuple):
    path: str
    entries: dict[str, tuple[Entry, ...]]  # every row naming each proposal, in page order
    notes: dict[str, Note]
    links: dict[str, Link]  # the first definition of each label
    columns: tuple[str, ...]  # the matrix columns its tables have, in order
    problems: tuple[str, ...]  # about the page as a whole


class Pages(NamedTuple):
    """Both pages at one Wasmtime commit (None: the page does not exist there)."""

    matrix: Page | None
    tiers: Page | None
    repository: str
    commit: str
    short: str


class Declared(NamedTuple):
    facts: list[Collected | Unknown]
    warnings: list[str]  # "name: what is wrong, with locations [rule]"


# -- reading the pages ------------------------------------------------------------------------


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


def read_matrix(text: str) -> Page:
    """The rows of every table headed `Proposal | ...` (the matrix, and the unimplemented list)."""
    entries: dict[str, list[Entry]] = {}
    columns: list[str] = []
    problems: list[str] = []
    for table in tables(text):
        if not table.header or table.header[0].lower() != "proposal":
            continue
        marked = [heading for heading in table.header[1:] if heading in COLUMNS]
        for heading in table.header[1:] if marked else ():
            if heading not in columns:
                columns.append(heading)
            if heading not in COLUMNS and heading != ENABLED:
                problems.append(
                    f"{MATRIX}:{_header_line(table)}: column `{heading}` is not one gatecheck reads"
                )
        for row in table.rows:
            found = _NAME.search(row.cells[0])
            if found is None:
                continue
            cells = dict(zip(table.header[1:], row.cells[1:], strict=False)) if marked else {}
            labels = {PROPOSAL: tuple(FOOTNOTE_REFERENCE.findall(row.cells[0]))}
            labels.update({h: tuple(FOOTNOTE_REFERENCE.findall(c)) for h, c in cells.items()})
            entry = Entry(found.group(1), row.line, row.text, table.heading, cells, labels)
            entries.setdefault(entry.name, []).append(entry)
    defined = footnotes(text)
    problems.extend(_explained_but_absent(text, columns))
    problems.extend(_footnote_problems(text, defined))
    return Page(
        MATRIX,
        {name: tuple(found) for name, found in entries.items()},
        defined,
        _first_links(text),
        tuple(columns),
        tuple(problems),
    )


def read_tiers(text: str) -> Page:
    """The `WebAssembly Proposal` rows of the tables under each `Tier N` heading."""
    entries: dict[str, list[Entry]] = {}
    for table in tables(text):
        heading = table.heading
        if heading is None or _TIER.search(heading.text) is None or not table.header:
            continue
        if table.header[0] != "Category":
            continue
        for row in table.rows:
            if len(row.cells) < 2 or row.cells[0] != "WebAssembly Proposal":  # noqa: PLR2004
                continue
            found = _NAME.search(row.cells[1])
            if found is not None:
                entry = Entry(found.group(1), row.line, row.text, heading, {}, {})
                entries.setdefault(entry.name, []).append(entry)
    return Page(
        TIERS,
        {name: tuple(found) for name, found in entries.items()},
        footnotes(text),
        _first_links(text),
        (),
        (),
    )


def page_problems(pages: Pages) -> list[str]:
    """What is wrong with the pages as a whole; rows the tiers page has and the matrix lacks."""
    found = [f"{problem} ({pages.short})" for page in _present(pages) for problem in page.problems]
    matrix, tiers = pages.matrix, pages.tiers
    if matrix is None or tiers is None:
        return found
    for name, entries in tiers.entries.items():
        if name in matrix.entries or _alias(tiers, matrix, name) is not None:
            continue
        tier = _tier_of(entries[0])
        found.append(
            f"{TIERS}:{entries[0].line} lists `{name}` at tier {tier}; {MATRIX} has no row for it "
            f"({pages.short})"
        )
    return found


# -- one proposal's declared facts -------------------------------------------------------------


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
    alias = _alias(pages.tiers, page, name)
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
    found.append(_on_by_default(pages, page, rows, warnings))
    for heading, key in COLUMNS.items():
        mark = _column(pages, rows, heading, key)
        if isinstance(mark, Unknown) and "legend" in mark.reason:
            warnings.append(f"{name}: {mark.reason} [{key.replace('_', '-')}-column]")
        found.append(mark)
    found.append(_footnotes(pages, page, rows))
    return found


def _tiers_facts(
    pages: Pages, page: Page, name: str, warnings: list[str]
) -> list[Collected | Unknown]:
    rows = page.entries.get(name, ())
    alias = _alias(pages.matrix, page, name)
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
    tiers = [_tier_of(row) for row in rows]
    distinct = set(tiers)
    if len(distinct) == 1 and None not in distinct:
        heading = rows[0].heading
        assert heading is not None  # noqa: S101 - a tier comes from a heading
        note = f"row under `{heading.text}` ({page.path}:{heading.line})"
        return Collected(
            fact, tiers[0], pages.repository, pages.commit, page.path, rows[0].line, note
        )
    if len(distinct) > 1:
        shown = ", ".join(f"line {row.line}: {_heading_text(row)}" for row in rows)
        return Unknown(fact, f"its rows in {page.path} are under different headings ({shown})")
    return Unknown(
        fact,
        f"{page.path} does not group proposals by tier at {pages.short}: its row is under "
        f"`{_heading_text(rows[0])}`",
    )


def _on_by_default(
    pages: Pages, page: Page, rows: Sequence[Entry], warnings: list[str]
) -> Collected | Unknown:
    """On by default, as the page says: by a heading, an Enabled column, or a footnote."""
    said: list[tuple[bool, int, str]] = []
    for row in rows:
        heading = row.heading
        matched = _ON_OFF.match(heading.text) if heading is not None else None
        if matched is not None and heading is not None:
            note = f"row under `{heading.text}` ({page.path}:{heading.line})"
            said.append((matched.group(1).lower() == "on", row.line, note))
        enabled = _mark(row.cells.get(ENABLED, ""))
        if enabled in {"✅", "❌"}:
            said.append((enabled == "✅", row.line, f"{ENABLED} {enabled}: `{row.text}`"))
        for label in _labels(row):
            note_found = page.notes.get(label)
            value = _default_in(note_found.text) if note_found is not None else None
            if value is not None and note_found is not None:
                said.append((value, note_found.line, f"footnote [^{label}]: `{note_found.text}`"))
    fact = "declared.on_by_default"
    if not said:
        return Unknown(fact, f"neither the headings nor the footnotes of its row in {MATRIX} say")
    values = {value for value, _, _ in said}
    if len(values) > 1:
        shown = "; ".join(
            f"{'on' if v else 'off'} at line {line} ({note})" for v, line, note in said
        )
        warnings.append(f"{rows[0].name}: {MATRIX} says both on and off by default: {shown}")
        return Unknown(fact, f"the page says both on and off by default ({shown})")
    value, line, note = said[0]
    return Collected(fact, value, pages.repository, pages.commit, MATRIX, line, note)


def _column(pages: Pages, rows: Sequence[Entry], heading: str, key: str) -> Collected | Unknown:
    fact = f"declared.{key}"
    cells = [(row, row.cells[heading]) for row in rows if heading in row.cells]
    if not cells:
        return Unknown(fact, f"{MATRIX} has no {heading} column for it at {pages.short}")
    marks = []
    for row, cell in cells:
        mark = _mark(cell)
        if mark is None:
            return Unknown(
                fact,
                f"`{cell}` in the {heading} column ({MATRIX}:{row.line}) is not a mark of the "
                "legend (✅ 🚧 ❌, or ⚠️)",
            )
        marks.append((row, mark))
    if len({mark for _, mark in marks}) > 1:
        shown = ", ".join(f"{mark} at line {row.line}" for row, mark in marks)
        return Unknown(fact, f"its rows disagree on {heading}: {shown}")
    row, mark = marks[0]
    labels = row.notes.get(heading, ())
    with_notes = "".join(f"[^{label}]" for label in labels)
    note = f"{heading} {mark}{with_notes}: `{row.text}`"
    return Collected(fact, mark, pages.repository, pages.commit, MATRIX, row.line, note)


def _footnotes(pages: Pages, page: Page, rows: Sequence[Entry]) -> Collected:
    """The footnotes on the proposal's rows, by what they qualify: the proposal or a column."""
    texts: dict[str, list[str]] = {}
    cited = []
    for row in rows:
        for where, labels in row.notes.items():
            key = PROPOSAL if where == PROPOSAL else COLUMNS.get(where, where.lower())
            for label in labels:
                defined = page.notes.get(label)
                if defined is None:
                    continue
                if defined.text not in texts.setdefault(key, []):
                    texts[key].append(defined.text)
                cited.append(f"[^{label}] ({MATRIX}:{defined.line}) on {where}")
    value = {key: " / ".join(found) for key, found in texts.items()}
    said = "footnotes " + ", ".join(cited) if cited else "no footnotes on its row"
    return Collected(
        "declared.footnotes", value, pages.repository, pages.commit, MATRIX, rows[0].line, said
    )


def _across_pages(name: str, facts: Sequence[Collected | Unknown]) -> list[str]:
    """A proposal at a tier in one page and absent from, or at another tier in, the other."""
    known = {fact.fact: fact for fact in facts if isinstance(fact, Collected)}
    tier, listed = known.get("declared.tier"), known.get("declared.stability_tiers.tier")
    rows = known.get("declared.stability_tiers.rows")
    matrix_rows = known.get("declared.rows")
    if tier is not None and listed is not None and tier.value != listed.value:
        where = f"{_at(tier)} but tier {listed.value} in {_at(listed)}"
        return [f"{name}: tier {tier.value} in {where} [same-tier]"]
    if tier is not None and rows is not None and rows.value == 0:
        where = f"{_at(tier)}, absent from {TIERS} ({rows.note})"
        return [f"{name}: tier {tier.value} in {where} [same-tier]"]
    if listed is not None and matrix_rows is not None and matrix_rows.value == 0:
        where = f"{_at(listed)}, absent from {MATRIX} ({matrix_rows.note})"
        return [f"{name}: tier {listed.value} in {where} [same-tier]"]
    return []


# -- comparing with the code ------------------------------------------------------------------


def disagreements(name: str, found: Iterable[Collected | Unknown]) -> list[str]:
    """Where the declared facts contradict the facts read from the code, with both locations.

    The same comparisons as the `docs-agree` gate of the bundled policies (its rule ids close each
    message), made only where both facts are known; the gate says the rest.
    """
    known = {fact.fact: fact for fact in found if isinstance(fact, Collected)}
    messages: list[str] = []
    for rule, check in _CHECKS:
        message = check(known)
        if message is not None:
            messages.append(f"{name}: {message} [{rule}]")
    return messages


Known = dict[str, Collected]
_Check = Callable[[Known], "str | None"]


def _tier_phase(known: Known) -> str | None:
    tier, phase = known.get("declared.tier"), known.get("proposal.phase")
    if tier is None or phase is None or not isinstance(phase.value, int):
        return None
    needed = {1: 4, 2: 3}.get(tier.value) if isinstance(tier.value, int) else None
    if needed is None or phase.value >= needed:
        return None
    return (
        f"tier {tier.value} in {_at(tier)} needs an upstream phase of {needed} or more, but the "
        f"proposal is at phase {phase.value} ({_at(phase)})"
    )


def _tier_1_boxes(known: Known) -> str | None:
    tier = known.get("declared.tier")
    if tier is None or tier.value != 1:
        return None
    open_boxes = [
        f"{heading} {known[f'declared.{key}'].value}"
        for heading, key in COLUMNS.items()
        if f"declared.{key}" in known and known[f"declared.{key}"].value != "✅"
    ]
    if not open_boxes:
        return None
    return (
        f"tier 1 in {_at(tier)} asks every box of the matrix ({MATRIX}:8-9), but its row has "
        + ", ".join(open_boxes)
    )


def _phase_4_column(known: Known) -> str | None:
    mark, phase = known.get("declared.phase4"), known.get("proposal.phase")
    if mark is None or phase is None or not isinstance(phase.value, int):
        return None
    at_4 = phase.value >= 4  # noqa: PLR2004 - the column's phase
    if (mark.value == "✅" and not at_4) or (mark.value == "❌" and at_4):
        return (
            f"Phase 4 {mark.value} in {_at(mark)}, but the proposal is at phase {phase.value} "
            f"({_at(phase)})"
        )
    return None


def _tests_column(known: Known) -> str | None:
    mark, enabled = known.get("declared.tests"), known.get("spec_tests.enabled")
    if mark is None or enabled is None or mark.value != "✅" or enabled.value is not False:
        return None
    return (
        f"Tests ✅ in {_at(mark)}, but the spec-test runner does not run its tests ({_at(enabled)})"
    )


def _fuzzed_column(known: Known) -> str | None:
    mark = known.get("declared.fuzzed")
    if mark is None:
        return None
    generated, expected = known.get("fuzzing.generated"), known.get("fuzzing.expected")
    if mark.value == "✅":
        lacking = [
            f"{what} ({_at(fact)})"
            for what, fact in (
                ("the fuzzers' module generator does not turn it on", generated),
                ("module_generation_uses_expected_proposals does not list it", expected),
            )
            if fact is not None and fact.value is False
        ]
        if lacking:
            return f"Fuzzed ✅ in {_at(mark)}, but " + " and ".join(lacking)
    if mark.value == "❌" and expected is not None and expected.value is True:
        return (
            f"Fuzzed ❌ in {_at(mark)}, but module_generation_uses_expected_proposals lists it "
            f"({_at(expected)})"
        )
    return None


def _api_column(column: str, key: str, api: str, knob_fact: str) -> _Check:
    def check(known: Known) -> str | None:
        mark, exposed, knob = known.get(f"declared.{key}"), known.get(api), known.get(knob_fact)
        if mark is None:
            return None
        if mark.value == "✅" and exposed is not None and exposed.value is False:
            return f"{column} ✅ in {_at(mark)}, but {exposed.note} ({_at(exposed)})"
        if mark.value == "❌" and knob is not None and knob.value is True:
            switch = knob.note.split(": `")[0]
            return f"{column} ❌ in {_at(mark)}, but the switch {switch} exists ({_at(knob)})"
        return None

    return check


def _on_by_default_column(known: Known) -> str | None:
    said, code = known.get("declared.on_by_default"), known.get("wasmtime.enabled_by_default")
    if said is None or code is None or said.value == code.value:
        return None
    state = "on" if said.value else "off"
    actual = "on" if code.value else "off"
    return f"{state} by default in {_at(said)}, but the code's default is {actual} ({_at(code)})"


_CHECKS: tuple[tuple[str, _Check], ...] = (
    ("tier-phase", _tier_phase),
    ("tier-1-boxes", _tier_1_boxes),
    ("phase-4-column", _phase_4_column),
    ("tests-column", _tests_column),
    ("fuzzed-column", _fuzzed_column),
    ("api-column", _api_column("API", "api", "apis.rust", "wasmtime.config_method")),
    ("c-api-column", _api_column("C API", "c_api", "apis.c", "wasmtime.c_config_setter")),
    ("on-by-default", _on_by_default_column),
)


# -- small helpers ------------------------------------------------------------------------------


def _present(pages: Pages) -> list[Page]:
    return [page for page in (pages.matrix, pages.tiers) if page is not None]


def _mark(cell: str) -> str | None:
    return MARKS.get(FOOTNOTE_REFERENCE.sub("", cell).strip())


def _labels(row: Entry) -> list[str]:
    return [label for labels in row.notes.values() for label in labels]


def _default_in(text: str) -> bool | None:
    """What a footnote says of the default, or None when it says nothing of it.

    "still enabled-by-default" is on; "disabled by default" and "not enabled by default" are off.
    """
    found = _DEFAULT_PHRASE.search(text)
    if found is None:
        return None
    on = found.group(2).lower() in {"enabled", "on"}
    return on != bool(found.group(1))


def _tier_of(row: Entry) -> int | None:
    found = _TIER.search(row.heading.text) if row.heading is not None else None
    return int(found.group(1)) if found else None


def _heading_text(row: Entry) -> str:
    return row.heading.text if row.heading is not None else "no heading"


def _alias(linked: Page | None, searched: Page, name: str) -> tuple[str, Entry] | None:
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


def _duplicate_rows(page: Page, name: str, rows: Sequence[Entry], rule: str) -> str:
    lines = ", ".join(str(row.line) for row in rows)
    differing = []
    for heading in COLUMNS:
        marks = [(row.line, row.cells[heading]) for row in rows if heading in row.cells]
        if len({_mark(cell) for _, cell in marks}) > 1:
            shown = ", ".join(f"{cell} at {line}" for line, cell in marks)
            differing.append(f"{heading} ({shown})")
    tiers = {_tier_of(row) for row in rows}
    if len(tiers) > 1:
        differing.append(
            "tier (" + ", ".join(f"{_heading_text(r)} at {r.line}" for r in rows) + ")"
        )
    said = (
        f"; they disagree on {', '.join(differing)}, so gatecheck records neither"
        if differing
        else ""
    )
    return f"{name}: {len(rows)} rows in {page.path} (lines {lines}){said} [{rule}]"


def _explained_but_absent(text: str, columns: Sequence[str]) -> list[str]:
    """Columns the page's "Feature requirements" list explains that none of its tables has."""
    start = next((h.line for h in headings(text) if h.text.lower() == "feature requirements"), None)
    if start is None:
        return []
    found = []
    lines = text.splitlines()
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.startswith("#"):
            break
        explained = _EXPLAINED.match(line)
        if explained and explained.group(1) not in columns:
            found.append(
                f"{MATRIX}:{number}: explains a column `{explained.group(1)}` that none of its "
                "tables has"
            )
    return found


def _footnote_problems(text: str, notes: dict[str, Note]) -> list[str]:
    used = references(text)
    found = [
        f"{MATRIX}:{line}: footnote [^{label}] is referred to but not defined"
        for label, line in used.items()
        if label not in notes
    ]
    found.extend(
        f"{MATRIX}:{note.line}: footnote [^{label}] is defined but not referred to"
        for label, note in notes.items()
        if label not in used
    )
    return found


def _first_links(text: str) -> dict[str, Link]:
    found: dict[str, Link] = {}
    for link in links(text):
        found.setdefault(link.label, link)
    return found


def _header_line(table: Table) -> int:
    return table.rows[0].line - 2 if table.rows else 0


def _at(fact: Collected) -> str:
    where = f"{fact.file}:{fact.line}" if fact.line is not None else fact.file
    if fact.repository.endswith("/wasmtime"):
        return where
    return f"{fact.repository} {where}"
