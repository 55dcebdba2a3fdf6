"""Collect a proposal's facts from Wasmtime and its companions, as the table says. Pure.

Every fact comes out either `Collected` (a value with its provenance) or `Unknown` (the reason it
could not be determined). Nothing is guessed: a missing file or spelling is a reason, not `false`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.matching import (
    Found,
    find_region,
    heading_above,
    search,
    search_all,
    set_members,
)
from gatecheck.collectors.table import (
    UNKNOWN,
    FactSpec,
    Rule,
    Table,
    fill,
    lacking_reason,
    spellings_for,
)

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
    context = Context(table, name, spellings_for(table, name), snapshots, missing, {})
    for spec in table.facts:
        context.done[spec.fact] = _fact(spec, context)
    return list(context.done.values())


class Context(NamedTuple):
    """What every fact of one proposal is collected with, and the facts collected so far."""

    table: Table
    name: str
    spellings: dict[str, str | None]
    snapshots: dict[str, Snapshot | None]
    missing: dict[str, str]  # why a repository's snapshot is absent
    done: dict[str, Collected | Unknown]


class Filled(NamedTuple):
    """A rule with the proposal's spellings in its pattern and in the files it reads."""

    rule: Rule
    pattern: str
    files: tuple[str, ...]


def _fact(spec: FactSpec, context: Context) -> Collected | Unknown:
    snapshot = context.snapshots.get(spec.repository)
    if snapshot is None:
        return Unknown(spec.fact, _why_absent(context, spec.repository))
    filled, note = _filled(spec, context)
    if isinstance(note, Unknown):
        return note
    undecided: list[Unknown] = []  # rules that could not tell: a later rule may still decide
    for location, run in _by_location(spec, filled):
        where = context.snapshots.get(location[0])
        if where is None:  # a later rule could only guess without it
            return Unknown(spec.fact, _why_absent(context, location[0]))
        try:
            result = _first_match(spec, run, where, location, context, undecided=undecided)
        except _Undetermined as undetermined:
            lacking_repository, why = undetermined.args
            given = context.missing.get(lacking_repository, "")
            return Unknown(spec.fact, f"{why}: {given}" if given else why)
        if result is not None:
            return result
    if undecided:  # no rule decided, and absence cannot count where one could not tell
        return undecided[0]
    return _absent(
        spec, snapshot, patterns=[item.pattern for item in filled], note=note, context=context
    )


def _filled(spec: FactSpec, context: Context) -> tuple[list[Filled], str | Unknown]:
    """The fact's rules with the proposal's spellings, and its note; Unknown if none can hold.

    A rule needing a spelling the proposal does not have cannot hold; with none left, no answer.
    """
    filled: list[Filled] = []
    lacking = []
    for rule in spec.rules:
        try:
            files = tuple(_fill_path(path, context) for path in rule.files or spec.files)
            pattern = fill(rule.pattern, context.spellings, escape=True)
            # the spellings its note and its set membership need too
            _note(rule.note or "", context.spellings, Found(0, "", ()))
            fill((rule.member_of or {}).get("item", ""), context.spellings, escape=True)
            filled.append(Filled(rule, pattern, files))
        except KeyError as error:
            lacking.append(error.args[0])
    try:
        note = fill(
            spec.note.replace("{value}", "{_value}"),
            {**context.spellings, "_value": "?"},
            escape=False,
        )
    except KeyError as error:
        lacking.insert(0, error.args[0])
        filled = []
    if not filled:
        return [], Unknown(spec.fact, lacking_reason(context.table, context.name, lacking[0]))
    return filled, note


def _why_absent(context: Context, repository: str) -> str:
    return context.missing.get(repository, f"no {repository} repository")


def _fill_path(path: str, context: Context) -> str:
    return fill(path, context.spellings, escape=False)


class _Undetermined(Exception):  # noqa: N818 - not an error: a rule matched but cannot decide
    """A rule matched, but what it means is read from a repository or file that is not there.

    Its args: the repository's table key (to say why it is absent), and what could not be read.
    A later rule or the fact's `absent` value would only be a guess, so the fact is unknown.
    """


Location = tuple[str, tuple[str, ...], "tuple[str, str] | None"]


def _first_match(  # noqa: PLR0913 - the inputs of one step, and where it leaves the undecided
    spec: FactSpec,
    rules: list[Filled],
    where: Snapshot,
    location: Location,
    context: Context,
    *,
    undecided: list[Unknown],
) -> Collected | Unknown | None:
    """The first file of `location` with a rule that holds gives the value; None if none does.

    A rule about what is missing holds when none of the files has its pattern (and one exists),
    so it is judged over them all, before the others. A rule that cannot tell (a listed spec test
    the mapping cannot attribute) is added to `undecided`, and the search goes on.
    """
    _, files, within = location
    texts = [
        (path, text)
        for pattern in files
        for path in where.paths(pattern)
        if (text := where.text(path).content) is not None
    ]
    for item in rules:
        if item.rule.missing and texts and _missing_everywhere(item, texts, within):
            nowhere = Found(0, "", ())
            return _collected(
                spec, item, found=nowhere, file=texts[0], where=where, context=context
            )
    for path, text in texts:
        for item in rules:
            if item.rule.missing:
                continue
            found = _holds(item, text, within, context)
            if isinstance(found, str):
                undecided.append(Unknown(spec.fact, f"{found} ({path} at {where.short})"))
                continue
            if found is not None:
                result = _collected(
                    spec, item, found=found, file=(path, text), where=where, context=context
                )
                if result is not None:
                    return result
    return None


def _missing_everywhere(
    item: Filled, texts: list[tuple[str, str]], within: tuple[str, str] | None
) -> bool:
    """No file has the pattern (in its region; a file without the region is another layout)."""
    if within is not None and all(find_region(text, within) is None for _, text in texts):
        return False
    return all(search(text, item.pattern, within) is None for _, text in texts)


def _collected(  # noqa: PLR0913 - keyword-only inputs of one step
    spec: FactSpec,
    item: Filled,
    *,
    found: Found,
    file: tuple[str, str],
    where: Snapshot,
    context: Context,
) -> Collected | Unknown | None:
    path, text = file
    try:
        result = _result(spec, item.rule, found=found, text=text, context=context)
    except _Undetermined as error:
        key, why = error.args
        at = f"`{found.snippet}`, {path}:{found.line} at {where.short}"
        raise _Undetermined(key, f"{why} ({at})") from None
    if result is None:
        return None
    line = found.line or None  # a rule about what is missing has no line
    if isinstance(result, Unknown):
        at = f"{path}:{line}" if line else path
        return Unknown(spec.fact, f"{result.reason} ({at} at {where.short})")
    value, note = result
    required = _requirement_unmet(spec, context) if _positive(value) else None
    if required is not None:
        return Unknown(spec.fact, f"{note}, but {required}")
    return Collected(spec.fact, value, where.repository, where.commit, path, line, note)


def _shown(value: object) -> str:
    """A value as a note says it: a list of targets as its items, or none."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "no target"
    return str(value)


def _positive(value: object) -> bool:
    """A value that claims support (true, a list of targets), as a refusal (false, []) does not."""
    return value is True or (isinstance(value, list) and bool(value))


def _holds(
    item: Filled, text: str, within: tuple[str, str] | None, context: Context
) -> Found | str | None:
    """The match that makes a rule hold in `text`, None if it does not, or why it cannot tell."""
    if not item.rule.spec_test_of:
        return search(text, item.pattern, within)
    from gatecheck.collectors.spec_files import proposal_among

    return proposal_among(search_all(text, item.pattern, within), context.name, text)


def _result(
    spec: FactSpec, rule: Rule, *, found: Found, text: str, context: Context
) -> tuple[object, str] | Unknown | None:
    """The value a match gives and its note.

    Unknown for a rule that cannot judge; None if the match does not make the rule hold after all
    (a `member_of` the proposal is not in, a heading that is not a section).
    """
    spellings = context.spellings
    if rule.value == UNKNOWN:
        why = _note(rule.note or "", spellings, found)
        return Unknown(spec.fact, f"{why}: `{found.snippet}`" if found.snippet else why)
    value, detail = _value(spec, rule, found=found, text=text, context=context)
    if value is None:
        return None
    shown = fill(spec.note.replace("{value}", _shown(value)), spellings, escape=False)
    parts = [shown, detail, rule.note and _note(rule.note, spellings, found)]
    note = "; ".join(part for part in parts if part)
    return value, note + (f": `{found.snippet}`" if found.snippet else "")


def _by_location(spec: FactSpec, rules: list[Filled]) -> list[tuple[Location, list[Filled]]]:
    """The rules in runs of consecutive rules that look in the same place, in the table's order.

    Within a run the first file with a match wins (then the first rule); runs are tried in order,
    so a rule reading another file or repository takes its turn between the others.
    """
    runs: list[tuple[Location, list[Filled]]] = []
    for item in rules:
        rule = item.rule
        location: Location = (
            rule.repository or spec.repository,
            item.files,
            rule.within if rule.within is not None else spec.within,
        )
        if runs and runs[-1][0] == location:
            runs[-1][1].append(item)
        else:
            runs.append((location, [item]))
    return runs


def _value(
    spec: FactSpec, rule: Rule, *, found: Found, text: str, context: Context
) -> tuple[object, str]:
    """The value a match gives and a detail for the note; (None, "") if the rule does not hold."""
    detail = ""
    if rule.member_of is not None:
        detail = _member(rule.member_of, found, context.spellings, context.snapshots)
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
        return fill(rule.value, context.spellings, escape=False), detail
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
    spec: FactSpec, snapshot: Snapshot, *, patterns: list[str], note: str, context: Context
) -> Collected | Unknown:
    """No rule matched: the fact's `absent` value, or why absence says nothing here."""
    existing, problems = [], []
    for pattern in (_fill_path(path, context) for path in spec.files):
        paths = snapshot.paths(pattern)
        if not paths:
            problems.append(f"no file matches {pattern} at {snapshot.short}")
        for path in paths:
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
    required = _requirement_unmet(spec, context)
    if required is not None:
        return Unknown(spec.fact, f"nothing in the code refuses it, but {required}")
    files = ", ".join(name for name, _ in existing[:3]) + (
        f" and {len(existing) - 3} more" if len(existing) > 3 else ""  # noqa: PLR2004
    )
    return Collected(
        spec.fact,
        spec.absent,
        snapshot.repository,
        snapshot.commit,
        path,
        None,
        f"not found: {note} (searched {files})",
    )


def _requirement_unmet(spec: FactSpec, context: Context) -> str | None:
    """Why the fact `spec` requires is not known to be true, or None when it is."""
    if spec.requires is None:
        return None
    required = context.done.get(spec.requires)
    if isinstance(required, Collected) and required.value is True:
        return None
    if isinstance(required, Collected):
        shown = str(required.value).lower() if isinstance(required.value, bool) else required.value
        return f"{spec.requires} is {shown}: that says nothing about {context.name}"
    why = required.reason if required is not None else "not collected"
    return f"{spec.requires} is not determined ({why})"


def _region(spec: FactSpec, text: str) -> object:
    return find_region(text, spec.within) if spec.within else None


def _note(template: str, spellings: dict[str, str | None], found: Found) -> str:
    """A rule's note: {1}, {2}... are the match's groups, other placeholders the spellings."""
    import re

    def group(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return (found.groups[index - 1] or "") if index <= len(found.groups) else match.group(0)

    return fill(re.sub(r"\{(\d+)\}", group, template), spellings, escape=False)
