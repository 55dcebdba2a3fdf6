"""What a locator's match makes of a fact: its value (literal, captured, a template), its note.

A match may still not hold (a `member_of` set the proposal is not in), may say the fact cannot be
determined, or may need a fact it `requires` to be true first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal, NamedTuple, assert_never

from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matching import Found, heading_above, search, set_members
from gatecheck.collectors.spellings import fill

if TYPE_CHECKING:
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import FactSpec, Locator, Table


class ProposalCollection(NamedTuple):
    """What every fact of one proposal is collected with, and the facts collected so far."""

    table: Table
    name: str
    spellings: dict[str, str | None]
    snapshots: dict[str, Snapshot | None]
    missing: dict[str, str]  # why a repository's snapshot is absent
    done: dict[str, Collected | Unknown]


class Filled(NamedTuple):
    """A locator with the proposal's spellings in its pattern and in the files it reads."""

    locator: Locator
    pattern: str
    files: tuple[str, ...]


class Undetermined(Exception):  # noqa: N818 - not an error: a locator matched but cannot decide
    """A locator matched, but what it means is read from a repository or file that is not there.

    Its args: the repository's table key (to say why it is absent), and what could not be read.
    A later locator or the fact's `absent` value would only be a guess, so the fact is unknown.
    """


def collected_at_match(  # noqa: PLR0913 - keyword-only inputs of one step
    spec: FactSpec,
    item: Filled,
    *,
    found: Found,
    file: tuple[str, str],
    where: Snapshot,
    context: ProposalCollection,
) -> Collected | Unknown | None:
    path, text = file
    try:
        result = _result(spec, item.locator, found=found, text=text, context=context)
    except Undetermined as error:
        key, why = error.args
        at = f"`{found.snippet}`, {path}:{found.line} at {where.short}"
        raise Undetermined(key, f"{why} ({at})") from None
    if result is None:
        return None
    line = found.line or None  # a locator about what is missing has no line
    if isinstance(result, Unknown):
        at = f"{path}:{line}" if line else path
        return Unknown(spec.fact, f"{result.reason} ({at} at {where.short})")
    value, note = result
    required = requirement_unmet(spec, context) if _positive(value) else None
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


def _result(
    spec: FactSpec, locator: Locator, *, found: Found, text: str, context: ProposalCollection
) -> tuple[object, str] | Unknown | None:
    """The value a match gives and its note.

    Unknown for a locator that cannot judge; None if the match does not make the locator hold
    after all (a `member_of` the proposal is not in, a heading that is not a section).
    """
    spellings = context.spellings
    match locator.kind:
        case "unknown":
            why = locator_note(locator.note or "", spellings, found)
            return Unknown(spec.fact, f"{why}: `{found.snippet}`" if found.snippet else why)
        case "literal" | "capture" | "template" as kind:
            value, detail = _value(spec, locator, kind, found=found, text=text, context=context)
        case unreachable:
            assert_never(unreachable)
    if value is None:
        return None
    shown = fill(spec.note.replace("{value}", _shown(value)), spellings, escape=False)
    parts = [shown, detail, locator.note and locator_note(locator.note, spellings, found)]
    note = "; ".join(part for part in parts if part)
    return value, note + (f": `{found.snippet}`" if found.snippet else "")


# The kinds of locator that give a value (an "unknown" one gives a reason instead)
_Valued = Literal["literal", "capture", "template"]


def _value(  # noqa: PLR0913 - the locator, the kind of value it gives, and the match
    spec: FactSpec,
    locator: Locator,
    kind: _Valued,
    *,
    found: Found,
    text: str,
    context: ProposalCollection,
) -> tuple[object, str]:
    """The value a match gives and a detail for the note; (None, "") if the locator fails."""
    detail = ""
    if locator.member_of is not None:
        detail = _member(locator.member_of, found, context.spellings, context.snapshots)
        if not detail:
            return None, ""
    match kind:
        case "capture":
            captured = found.groups[0] if found.groups else None
            if spec.section is not None:
                heading = heading_above(text, found.line, spec.section)
                captured = heading.groups[0] if heading and heading.groups else None
            if captured is None:
                return None, ""
            return (int(captured) if captured.isdigit() else captured), detail
        case "template":
            return fill(str(locator.value), context.spellings, escape=False), detail
        case "literal":
            return locator.value, detail
        case unreachable:
            assert_never(unreachable)


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
        raise Undetermined(key, f"{question} is read from {member_of['file']} in {key}")
    text = other.text(member_of["file"])
    if text.content is None:
        raise Undetermined(key, f"{question} cannot be read: {text.problem}")
    body = set_members(text.content, member_of["set"], name, member_of["nested"])
    if body is None:
        at = f"{member_of['file']} at {other.short}"
        raise Undetermined(key, f"{question} cannot be read: no definition of {name} in {at}")
    item = fill(member_of["item"], spellings, escape=True)
    if search(body, item) is None:
        return ""
    where = search(text.content, member_of["set"].replace("{1}", name).split("(")[0])
    line = f":{where.line}" if where else ""
    return f"in {name} ({other.short} {member_of['file']}{line})"


def requirement_unmet(spec: FactSpec, context: ProposalCollection) -> str | None:
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


def locator_note(template: str, spellings: dict[str, str | None], found: Found) -> str:
    """A locator's note: {1}, {2}... are the match's groups, other placeholders the spellings."""

    def group(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return (found.groups[index - 1] or "") if index <= len(found.groups) else match.group(0)

    return fill(re.sub(r"\{(\d+)\}", group, template), spellings, escape=False)
