"""Collect a proposal's facts from Wasmtime and its companions, as the table says. Pure.

Every fact comes out either `Collected` (a value with its provenance) or `Unknown` (the reason it
could not be determined). Nothing is guessed: a missing file or spelling is a reason, not `false`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.matching import Found, heading_above, search, set_members
from gatecheck.collectors.table import UNKNOWN, FactSpec, Rule, Table, fill, spellings_for

if TYPE_CHECKING:
    from gatecheck.collectors.snapshot import Snapshot


class Collected(NamedTuple):
    fact: str
    value: object
    repository: str
    commit: str
    file: str
    line: int | None
    note: str


class Unknown(NamedTuple):
    fact: str
    reason: str


class Listed(NamedTuple):
    """A proposal named in Wasmtime's tables, where, and whether the table knows it."""

    name: str
    line: int
    skipped: str | None  # why no evidence is collected for it
    known: bool  # the table has an entry (else its spellings are derived by rule only)


def list_proposals(table: Table, snapshot: Snapshot) -> tuple[list[Listed], str | None]:
    """The proposals listed in the listing file's sections, or the reason there are none."""
    import re

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


def collect(
    table: Table, name: str, snapshots: dict[str, Snapshot | None], missing: dict[str, str]
) -> list[Collected | Unknown]:
    """Every fact of the table for proposal `name`. `missing` says why a snapshot is absent."""
    spellings = spellings_for(table, name)
    return [_fact(spec, spellings, snapshots, missing) for spec in table.facts]


def _fact(
    spec: FactSpec,
    spellings: dict[str, str | None],
    snapshots: dict[str, Snapshot | None],
    missing: dict[str, str],
) -> Collected | Unknown:
    snapshot = snapshots.get(spec.repository)
    if snapshot is None:
        return Unknown(spec.fact, missing.get(spec.repository, f"no {spec.repository} repository"))
    try:
        patterns = [fill(rule.pattern, spellings, escape=True) for rule in spec.rules]
        note = fill(
            spec.note.replace("{value}", "{_value}"), {**spellings, "_value": "?"}, escape=False
        )
    except KeyError as error:
        return Unknown(
            spec.fact, f"the table has no {error.args[0]} spelling for {spellings['name']}"
        )
    problems, existing = [], []
    for path in spec.files:
        text = snapshot.text(path)
        if text.content is None:
            problems.append(text.problem)
            continue
        existing.append((path, text.content))
        for rule, pattern in zip(spec.rules, patterns, strict=True):
            found = search(text.content, pattern, spec.within)
            if found is None:
                continue
            value, detail = _value(
                spec, rule, found=found, text=text.content, spellings=spellings, snapshots=snapshots
            )
            if value is None:
                continue
            shown = fill(spec.note.replace("{value}", str(value)), spellings, escape=False)
            parts = [shown, detail, rule.note and fill(rule.note, _groups(found), escape=False)]
            return Collected(
                spec.fact,
                value,
                snapshot.repository,
                snapshot.commit,
                path,
                found.line,
                "; ".join(part for part in parts if part) + f": `{found.snippet}`",
            )
    return _absent(
        spec, snapshot, existing=existing, problems=problems, patterns=patterns, note=note
    )


def _value(  # noqa: PLR0913 - keyword-only inputs of one step
    spec: FactSpec,
    rule: Rule,
    *,
    found: Found,
    text: str,
    spellings: dict[str, str | None],
    snapshots: dict[str, Snapshot | None],
) -> tuple[object, str]:
    """The value a match gives and a detail for the note; (None, "") if the rule does not hold."""
    detail = ""
    if rule.member_of is not None:
        detail = _member(rule.member_of, found, spellings, snapshots)
        if not detail:
            return None, ""
    if rule.value == "capture":
        captured = found.groups[0] if found.groups else None
        if spec.section is not None:
            heading = heading_above(text, found.line, spec.section)
            captured = heading.groups[0] if heading and heading.groups else None
        if captured is None:
            return None, ""
        return (int(captured) if captured.isdigit() else captured), detail
    if isinstance(rule.value, str):
        return fill(rule.value, spellings, escape=False), detail
    return rule.value, detail


def _member(
    member_of: dict[str, str],
    found: Found,
    spellings: dict[str, str | None],
    snapshots: dict[str, Snapshot | None],
) -> str:
    """Whether the proposal is in the named set the match captured; the note's detail or ""."""
    other = snapshots.get(member_of["repository"])
    if other is None or not found.groups:
        return ""
    text = other.text(member_of["file"]).content
    if text is None:
        return ""
    body = set_members(text, member_of["set"], found.groups[0], member_of["nested"])
    item = fill(member_of["item"], spellings, escape=True)
    if body is None or search(body, item) is None:
        return ""
    where = search(text, member_of["set"].replace("{1}", found.groups[0]).split("(")[0])
    line = f":{where.line}" if where else ""
    return f"in {found.groups[0]} ({other.short} {member_of['file']}{line})"


def _absent(  # noqa: PLR0913 - keyword-only inputs of one step
    spec: FactSpec,
    snapshot: Snapshot,
    *,
    existing: list[tuple[str, str]],
    problems: list[str],
    patterns: list[str],
    note: str,
) -> Collected | Unknown:
    if not existing:
        return Unknown(spec.fact, "; ".join(problems))
    path = existing[0][0]
    if spec.within is not None and all(_region(spec, text) is None for _, text in existing):
        return Unknown(spec.fact, f"no `{spec.within[0]}` in {path} at {snapshot.short}")
    if spec.anchor is not None and all(search(text, spec.anchor) is None for _, text in existing):
        return Unknown(
            spec.fact, f"{path} at {snapshot.short} does not have the layout the table expects"
        )
    if spec.absent == UNKNOWN:
        shown = " or ".join(repr(pattern) for pattern in patterns)
        return Unknown(spec.fact, f"no match for {shown} in {path} at {snapshot.short}")
    files = ", ".join(name for name, _ in existing)
    return Collected(
        spec.fact,
        spec.absent,
        snapshot.repository,
        snapshot.commit,
        path,
        None,
        f"not found: {note} (searched {files})",
    )


def _region(spec: FactSpec, text: str) -> object:
    from gatecheck.collectors.matching import find_region

    return find_region(text, spec.within) if spec.within else None


def _groups(found: Found) -> dict[str, str | None]:
    return {str(index): group for index, group in enumerate(found.groups, 1)}
