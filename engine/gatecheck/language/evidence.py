"""Evidence as the engine holds it, and reading its facts by path (maps by key, lists by index)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import Location
from gatecheck.language.conditions import KEY

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.documents import Document
    from gatecheck.language.conditions import FactRef
    from gatecheck.language.policy import Policy

MISSING: Any = type("Missing", (), {"__repr__": lambda _self: "<missing>"})()


class Evidence(NamedTuple):
    subject: str
    policy: Policy
    as_of: dt.date | None
    facts: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    attestations: tuple[dict[str, Any], ...]
    waivers: tuple[dict[str, Any], ...]
    claims: tuple[str, ...]
    claimed_by: str | None
    document: Document

    @property
    def path(self) -> str:
        return self.document.path

    def locate_fact(self, parts: tuple[str | int, ...]) -> Location:
        return self.document.locate(("facts", *parts))

    def locate_missing(self, parts: tuple[str | int, ...]) -> Location:
        """Where an absent fact must be recorded, as the key to write it under.

        Its own key if it is written (as null), else its nearest recorded parent's (`fuzzing:` for
        `fuzzing.generated`), else `facts:`, else the top of the file.
        """
        document = self.document
        for end in range(len(parts), -1, -1):
            path = ("facts", *parts[:end])
            if document.has(path):
                return document.locate_key(path)
        return Location(document.path, 1, 1)

    def provenance(self, parts: tuple[str | int, ...]) -> dict[str, Any] | None:
        """The `sources` entry covering a fact: its own, or that of its nearest parent."""
        if not self.sources:  # most evidence names no sources
            return None
        for end in range(len(parts), 0, -1):
            found = self.sources.get(".".join(map(str, parts[:end])))
            if found is not None:
                return found
        return None


def build_evidence(document: Document, policy: Policy) -> Evidence:
    data = document.data
    return Evidence(
        subject=data["subject"],
        policy=policy,
        as_of=data.get("as_of"),
        facts=data["facts"],
        sources=data.get("sources", {}),
        attestations=tuple(data.get("attestations", ())),
        waivers=tuple(data.get("waivers", ())),
        claims=tuple(data.get("claims", ())),
        claimed_by=data.get("claimed_by"),
        document=document,
    )


def lookup(data: Any, parts: tuple[str, ...]) -> tuple[Any, tuple[str | int, ...]]:
    """Follow a fact path through maps (by key) and lists (by index).

    Returns the value (MISSING if absent or null) and the concrete path, with list indexes as
    integers so it can be located in the evidence file (an absent path is located at its parent).
    """
    value = data
    for part in parts:  # the usual path, through maps only: the concrete path is `parts`
        if not (isinstance(value, dict) and part in value):
            break
        value = value[part]
    else:
        return (MISSING if value is None else value), parts
    walked: list[str | int] = []
    for index, part in enumerate(parts):
        if isinstance(data, dict) and part in data:
            data = data[part]
            walked.append(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
            walked.append(int(part))
        else:
            return MISSING, (*walked, *parts[index:])
    return (MISSING if data is None else data), tuple(walked)


class Scope(NamedTuple):
    """The item a quantifier is looking at, its key (or index), and where it sits in `facts`."""

    item: Any
    key: Any
    path: tuple[str | int, ...]


def read_fact(facts: Any, ref: FactRef, scope: Scope | None) -> tuple[Any, tuple[str | int, ...]]:
    """A fact's value (MISSING if absent or null) and its concrete path in `facts`."""
    if ref.variable is None:
        return lookup(facts, ref.parts)
    if scope is None:  # pragma: no cover - the compiler rejects variables outside quantifiers
        return MISSING, (ref.text,)
    if ref.variable == KEY:
        return scope.key, scope.path
    value, walked = lookup(scope.item, ref.parts) if ref.parts else (scope.item, ())
    return (MISSING if value is None else value), (*scope.path, *walked)


def items_of(collection: Any, path: tuple[str | int, ...]) -> list[Scope] | None:
    """The items of a map (its values, keyed) or a list (indexed); None for anything else."""
    if isinstance(collection, dict):
        return [Scope(value, key, (*path, key)) for key, value in collection.items()]
    if isinstance(collection, list):
        return [Scope(value, index, (*path, index)) for index, value in enumerate(collection)]
    return None


def recorded(facts: Any, parts: tuple[str, ...]) -> bool:
    """Whether the fact path is in `facts`, a null (known to be unknown) included."""
    data = facts
    for part in parts:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return False
    return True
