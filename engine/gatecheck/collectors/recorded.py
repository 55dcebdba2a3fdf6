"""A subject's evidence as it was before a collection: which facts a person recorded, and when.

A hand-recorded fact is dated by its sources' `collected_at` (else the file's `as_of`); a source
the collector wrote carries its mark, and a hand-recorded one it kept says so.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

# Every source the collector writes ends with this, then how the revision was chosen and "]".
COLLECTOR_MARK = " [gatecheck collect; "

# A kept hand-recorded fact's source ends with this, then its date and "]".
_KEPT_MARK = "[not collected: gatecheck collect keeps it at revisions dated on or after "

_KEPT = re.compile(r"\s*\[not collected: gatecheck collect keeps it [^\]]*\]")

# What makes two sources the same provenance: the note is compared without the collector's mark,
# which only says how the revision was named on the command line (`--rev 4896b663`, `--rev HEAD`).
_PROVENANCE = ("url", "repository", "commit", "file", "line", "collected_at")


class Recorded(NamedTuple):
    """The evidence file's facts and sources as they were, and the day it was read by."""

    facts: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    as_of: dt.date  # the file's as_of, or the day of the run for a file without one

    @classmethod
    def of(cls, existing: Mapping[str, Any] | None, today: dt.date) -> Recorded:
        if existing is None:
            return cls({}, {}, today)
        sources = existing.get("sources") or {}
        return cls(existing.get("facts") or {}, sources, as_day(existing.get("as_of")) or today)

    def dating(self, fact: str) -> list[str]:
        """The sources that date a fact: its own and those below it, else its nearest parent's."""
        below = [name for name in self.sources if name == fact or name.startswith(fact + ".")]
        if below:
            return below
        parts = fact.split(".")
        for end in range(len(parts) - 1, 0, -1):
            if ".".join(parts[:end]) in self.sources:
                return [".".join(parts[:end])]
        return []

    def date_of(self, fact: str) -> dt.date:
        """The day a hand-recorded fact describes.

        The newest `collected_at` of the sources that date it; a source without one, or a fact
        without a source, is dated by `as_of`.
        """
        names = self.dating(fact)
        if not names:
            return self.as_of
        return max(as_day(self.sources[name].get("collected_at")) or self.as_of for name in names)

    def marked(self, fact: str, date: dt.date) -> dict[str, dict[str, Any]]:
        """The sources of a kept fact, each saying it was kept and keeping the date it has now.

        A source without `collected_at` gets the date it was read by (`as_of`): once `as_of`
        moves to the revision collected, it would otherwise seem observed later than it was.
        """
        names = self.dating(fact) or [fact]
        marked = {}
        for name in names:
            source = dict(self.sources.get(name) or {})
            source.setdefault("collected_at", self.as_of)
            note = _KEPT.sub("", str(source.get("note") or "")).rstrip()
            source["note"] = f"{note} {_KEPT_MARK}{date}]".lstrip()
            marked[name] = source
        return marked


def value_at(facts: Any, fact: str) -> tuple[bool, Any]:
    """Whether `fact` is recorded (null included), and its value."""
    node = facts
    for part in fact.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node


def hand_leaves(facts: dict[str, Any], owned: set[str]) -> Iterator[tuple[str, ...]]:
    """The recorded facts the collector does not own: values that are not (non-empty) mappings."""

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        for key, value in node.items():
            here = (*path, str(key))
            if ".".join(here) in owned:
                continue
            if isinstance(value, dict) and value:
                yield from walk(value, here)
            else:
                yield here

    return walk(facts, ())


def collapse(
    facts: dict[str, Any], leaves: set[tuple[str, ...]], owned: set[str]
) -> list[tuple[str, ...]]:
    """The facts to remove for `leaves`: a mapping all of whose facts go is removed whole."""

    def prune(node: dict[str, Any], path: tuple[str, ...]) -> tuple[bool, list[tuple[str, ...]]]:
        whole, found = True, []
        for key, value in node.items():
            here = (*path, str(key))
            dotted = ".".join(here)
            holds_owned = dotted in owned or any(name.startswith(dotted + ".") for name in owned)
            if isinstance(value, dict) and value and dotted not in owned:
                all_of_it, below = prune(value, here)
                if all_of_it and not holds_owned:
                    found.append(here)
                else:
                    found.extend(below)
                    whole = False
            elif here in leaves:
                found.append(here)
            else:
                whole = False
        return whole, found

    return prune(facts, ())[1]


def by_collector(source: Mapping[str, Any] | None) -> bool:
    return source is not None and COLLECTOR_MARK in str(source.get("note") or "")


def same_provenance(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> bool:
    if old is None:
        return False
    return all(same(old.get(key), new.get(key)) for key in _PROVENANCE) and _finding(
        old
    ) == _finding(new)


def _finding(source: Mapping[str, Any]) -> str:
    """A collected source's note without the mark that says how the revision was named."""
    note = str(source.get("note") or "")
    mark = note.rfind(COLLECTOR_MARK)
    return note[:mark] if mark != -1 else note


def same(old: Any, new: Any) -> bool:
    """Equal, and of the same type (true is not 1; a date-time is not a date)."""
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(same(old[key], new[key]) for key in old)
    if isinstance(old, list):
        return len(old) == len(new) and all(map(same, old, new))
    return bool(old == new)


def as_day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None
