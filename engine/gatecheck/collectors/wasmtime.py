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
    # a rule needing a spelling the proposal does not have cannot hold; with none left, no answer
    rules: list[tuple[Rule, str]] = []
    lacking = []
    for rule in spec.rules:
        try:
            rules.append((rule, fill(rule.pattern, spellings, escape=True)))
        except KeyError as error:
            lacking.append(error.args[0])
    try:
        note = fill(
            spec.note.replace("{value}", "{_value}"), {**spellings, "_value": "?"}, escape=False
        )
    except KeyError as error:
        lacking.insert(0, error.args[0])
        rules = []
    if not rules:
        return Unknown(spec.fact, f"the table has no {lacking[0]} spelling for {spellings['name']}")
    patterns = [pattern for _, pattern in rules]
    for location, run in _by_location(spec, rules):
        where = snapshots.get(location[0])
        if where is None:  # a later rule could only guess without it
            return Unknown(spec.fact, missing.get(location[0], f"no {location[0]} repository"))
        try:
            result = _first_match(
                spec, run, where, location, spellings=spellings, snapshots=snapshots
            )
        except _Undetermined as undetermined:
            lacking_repository, why = undetermined.args
            given = missing.get(lacking_repository, "")
            return Unknown(spec.fact, f"{why}: {given}" if given else why)
        if result is not None:
            return result
    return _absent(spec, snapshot, patterns=patterns, note=note)


class _Undetermined(Exception):  # noqa: N818 - not an error: a rule matched but cannot decide
    """A rule matched, but what it means is read from a repository or file that is not there.

    Its args: the repository's table key (to say why it is absent), and what could not be read.
    A later rule or the fact's `absent` value would only be a guess, so the fact is unknown.
    """


Location = tuple[str, tuple[str, ...], "tuple[str, str] | None"]


def _first_match(  # noqa: PLR0913 - keyword-only inputs of one step
    spec: FactSpec,
    rules: list[tuple[Rule, str]],
    where: Snapshot,
    location: Location,
    *,
    spellings: dict[str, str | None],
    snapshots: dict[str, Snapshot | None],
) -> Collected | Unknown | None:
    """The first file of `location` with a rule that holds gives the value; None if none does."""
    _, files, within = location
    for path in files:
        text = where.text(path).content
        if text is None:
            continue
        for rule, pattern in rules:
            found = search(text, pattern, within)
            if found is None:
                continue
            if rule.value == UNKNOWN:
                why = _note(rule.note or "", spellings, found)
                return Unknown(
                    spec.fact, f"{why}: `{found.snippet}` ({path}:{found.line} at {where.short})"
                )
            try:
                value, detail = _value(
                    spec, rule, found=found, text=text, spellings=spellings, snapshots=snapshots
                )
            except _Undetermined as error:
                key, why = error.args
                at = f"`{found.snippet}`, {path}:{found.line} at {where.short}"
                raise _Undetermined(key, f"{why} ({at})") from None
            if value is None:
                continue
            shown = fill(spec.note.replace("{value}", str(value)), spellings, escape=False)
            parts = [
                shown,
                detail,
                rule.note and _note(rule.note, spellings, found),
            ]
            return Collected(
                spec.fact,
                value,
                where.repository,
                where.commit,
                path,
                found.line,
                "; ".join(part for part in parts if part) + f": `{found.snippet}`",
            )
    return None


def _by_location(
    spec: FactSpec, rules: list[tuple[Rule, str]]
) -> list[tuple[Location, list[tuple[Rule, str]]]]:
    """The rules in runs of consecutive rules that look in the same place, in the table's order.

    Within a run the first file with a match wins (then the first rule); runs are tried in order,
    so a rule reading another file or repository takes its turn between the others.
    """
    runs: list[tuple[Location, list[tuple[Rule, str]]]] = []
    for rule, pattern in rules:
        location: Location = (
            rule.repository or spec.repository,
            rule.files or spec.files,
            rule.within if rule.within is not None else spec.within,
        )
        if runs and runs[-1][0] == location:
            runs[-1][1].append((rule, pattern))
        else:
            runs.append((location, [(rule, pattern)]))
    return runs


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
    if not found.groups:
        return ""
    key, name = member_of["repository"], found.groups[0]
    question = f"whether {spellings.get('wasmparser') or spellings['name']} is in {name}"
    other = snapshots.get(key)
    if other is None:  # without the set's definition, "not in it" would be a guess
        raise _Undetermined(key, f"{question} is read from {member_of['file']} in {key}")
    text = other.text(member_of["file"])
    if text.content is None:
        raise _Undetermined(key, f"{question} cannot be read: {text.problem}")
    body = set_members(text.content, member_of["set"], name, member_of["nested"])
    if body is None:
        at = f"{member_of['file']} at {other.short}"
        raise _Undetermined(key, f"{question} cannot be read: no definition of {name} in {at}")
    item = fill(member_of["item"], spellings, escape=True)
    if search(body, item) is None:
        return ""
    where = search(text.content, member_of["set"].replace("{1}", name).split("(")[0])
    line = f":{where.line}" if where else ""
    return f"in {name} ({other.short} {member_of['file']}{line})"


def _absent(
    spec: FactSpec, snapshot: Snapshot, *, patterns: list[str], note: str
) -> Collected | Unknown:
    """No rule matched: the fact's `absent` value, or why absence says nothing here."""
    existing, problems = [], []
    for path in spec.files:
        text = snapshot.text(path)
        if text.content is None:
            problems.append(text.problem)
        else:
            existing.append((path, text.content))
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


def _note(template: str, spellings: dict[str, str | None], found: Found) -> str:
    """A rule's note: {1}, {2}... are the match's groups, other placeholders the spellings."""
    import re

    def group(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return (found.groups[index - 1] or "") if index <= len(found.groups) else match.group(0)

    return fill(re.sub(r"\{(\d+)\}", group, template), spellings, escape=False)
