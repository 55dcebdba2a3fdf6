"""What a collection at one revision makes of a subject's evidence. Pure: data in, data out.

A collection describes Wasmtime at one revision, REV, and nothing else:

- every fact the collector owns is replaced: by the value REV gives, or, where REV cannot
  determine it, by null with a source whose note gives the reason and names REV;
- `as_of` becomes REV's commit date, and so does each collected source's `collected_at`: the day
  the fact describes (the day the command runs says nothing about Wasmtime);
- facts recorded by hand (facts the collector does not own, or whose source is not the
  collector's) stay only where they are dated on or before REV's date, and their source says
  they were kept; those dated after it are removed and reported;
- the policy is the version Wasmtime's docs had in force at REV;
- a fact whose value and provenance REV confirms is left as it is, source and all, so collecting
  twice at one revision changes nothing.

`plan_subject` computes the changes from the evidence's data and the facts collected;
`collectors.run` writes them through `editing.evidence_files`, and `apply_plan` makes them
in memory (for a replay that writes nothing).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.collectors.wasmtime import Collected, Unknown

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import Table

# Every source the collector writes ends with this, then how the revision was chosen and "]".
COLLECTOR_MARK = " [gatecheck collect; "
# A kept hand-recorded fact's source ends with this, then its date and "]".
_KEPT_MARK = "[not collected: gatecheck collect keeps it at revisions dated on or after "
_KEPT = re.compile(r"\s*\[not collected: gatecheck collect keeps it [^\]]*\]")
# What makes two sources the same provenance: the note is compared without the collector's mark,
# which only says how the revision was named on the command line (`--rev 4896b663`, `--rev HEAD`).
_PROVENANCE = ("url", "repository", "commit", "file", "line", "collected_at")


class Revision(NamedTuple):
    """The Wasmtime revision a collection reads."""

    repository: str
    commit: str
    date: dt.date  # its commit date: the day the collected facts describe
    short: str  # repository@abbreviated commit
    how: str  # how it was named: "--rev 4896b663", "the work tree (HEAD)"

    @classmethod
    def of(cls, snapshot: Snapshot) -> Revision:
        date = dt.date.fromisoformat(snapshot.date[:10])
        return cls(snapshot.repository, snapshot.commit, date, snapshot.short, snapshot.how)


class PolicyChoice(NamedTuple):
    """The policy version Wasmtime's docs had in force at a revision, and where that is read."""

    policy: str  # name@version
    found: bool  # False: no entry of the table holds, `policy` is the table's `otherwise`
    reason: str


def policy_in_force(table: Table, wasmtime: Snapshot) -> PolicyChoice:
    """The first of the table's policy versions whose file has a matching line at the revision."""
    from gatecheck.collectors.matching import search

    for version in table.policies.versions:
        text = wasmtime.text(version.file).content
        found = search(text, version.pattern) if text is not None else None
        if found is not None:
            where = f"{version.file}:{found.line} at {wasmtime.short}"
            return PolicyChoice(version.policy, found=True, reason=f"{version.note} ({where})")
    files = ", ".join(sorted({version.file for version in table.policies.versions}))
    reason = f"none of the table's policy pages ({files}) says which at {wasmtime.short}"
    return PolicyChoice(table.policies.otherwise, found=False, reason=reason)


class Dated(NamedTuple):
    """A hand-recorded fact, the day it is dated, and its value (None where not needed)."""

    fact: str
    date: dt.date
    value: Any = None


class Plan(NamedTuple):
    """The changes a collection makes to one subject's evidence, and what to report about them."""

    facts: dict[str, tuple[Any, dict[str, Any]]]  # fact -> (value or None, its source)
    remove: tuple[str, ...]  # facts removed with their sources (hand-recorded, dated after REV)
    sources: dict[str, dict[str, Any]]  # sources of kept hand-recorded facts, marked as kept
    envelope: dict[str, Any]  # as_of, and policy when it changes
    kept: tuple[Dated, ...]  # hand-recorded facts dated on or before REV, kept
    removed: tuple[Dated, ...]  # hand-recorded facts dated after REV: removed (or now null)
    replaced: tuple[Dated, ...]  # hand-recorded values of facts REV determines, replaced
    later_attestations: tuple[str, ...]  # attestations dated after REV, kept
    policy_switch: tuple[str, str] | None  # (from, to)

    @property
    def unchanged(self) -> bool:
        """No fact, source or policy to change (`as_of` may still move to the revision's date)."""
        return not (self.facts or self.remove or self.sources or self.policy_switch)


class Context(NamedTuple):
    """What a plan needs besides the evidence and the facts: the revision and the policy."""

    revision: Revision
    policy: PolicyChoice
    policy_aliases: frozenset[str]  # references that mean `policy` (its bare name if default)
    hows: Mapping[str, str]  # repository -> how its snapshot was chosen (the source's mark)
    today: dt.date  # the date of undated hand-recorded facts in a file without `as_of`


def plan_subject(
    existing: Mapping[str, Any] | None,
    collected: Sequence[Collected | Unknown],
    context: Context,
) -> Plan:
    """The changes that make `existing` (None: no file yet) describe the revision exactly."""
    work = _Work(_Old.of(existing, context.today), context)
    for item in collected:
        work.owned(item)
    owned = {item.fact for item in collected}
    later: set[tuple[str, ...]] = set()
    for parts in _hand_leaves(work.old.facts, owned):
        if not work.hand_recorded(".".join(parts)):
            later.add(parts)
    envelope: dict[str, Any] = {"as_of": context.revision.date}
    switch = _policy_switch(existing, context)
    if switch is not None:
        envelope["policy"] = switch[1]
    old_sources = work.old.sources
    return Plan(
        facts=work.facts,
        remove=tuple(".".join(parts) for parts in _collapse(work.old.facts, later, owned)),
        sources={path: mark for path, mark in work.marks.items() if mark != old_sources.get(path)},
        envelope=envelope,
        kept=tuple(work.kept),
        removed=tuple(work.removed),
        replaced=tuple(work.replaced),
        later_attestations=_later_attestations(existing, context.revision.date),
        policy_switch=switch,
    )


class _Work:
    """The plan as it is being made: one collected fact, one hand-recorded fact at a time."""

    def __init__(self, old: _Old, context: Context) -> None:
        self.old = old
        self.context = context
        self.facts: dict[str, tuple[Any, dict[str, Any]]] = {}
        self.marks: dict[str, dict[str, Any]] = {}
        self.kept: list[Dated] = []
        self.removed: list[Dated] = []
        self.replaced: list[Dated] = []

    def owned(self, item: Collected | Unknown) -> None:
        """A fact the collector owns: what REV says, else a record by hand, else null."""
        present, value = _value_at(self.old.facts, item.fact)
        source = self.old.sources.get(item.fact)
        by_hand = present and not _by_collector(source)
        rev = self.context.revision
        if isinstance(item, Collected):
            new = collected_source(item, rev, self.context.hows)
            if present and _same(value, item.value) and _same_provenance(source, new):
                return
            self.facts[item.fact] = (item.value, new)
            if by_hand and not _same(value, item.value):
                self.replaced.append(Dated(item.fact, self.old.date_of(item.fact), value))
            return
        # REV cannot say; a person's record of it may, if it is not from a later day
        if by_hand and self.hand_recorded(item.fact, value):
            return
        new = unknown_source(item, rev)
        if present and value is None and _same_provenance(source, new):
            return
        self.facts[item.fact] = (None, new)

    def hand_recorded(self, fact: str, value: Any = None) -> bool:
        """Keep a hand-recorded fact dated on or before REV (True), or report it as later."""
        date = self.old.date_of(fact)
        if date > self.context.revision.date:
            self.removed.append(Dated(fact, date, value))
            return False
        self.kept.append(Dated(fact, date, value))
        self.marks.update(self.old.marked(fact, date))
        return True


def collected_source(item: Collected, rev: Revision, hows: Mapping[str, str]) -> dict[str, Any]:
    """Where a collected fact was read, dated the day the revision describes."""
    source: dict[str, Any] = {
        "repository": item.repository,
        "commit": item.commit,
        "file": item.file,
    }
    if item.line is not None:
        source["line"] = item.line
    source["collected_at"] = rev.date
    how = hows.get(item.repository)
    source["note"] = f"{item.note}{COLLECTOR_MARK}{how}]" if how else item.note
    return source


def unknown_source(item: Unknown, rev: Revision) -> dict[str, Any]:
    """The source of a fact the revision cannot determine: the revision, and why not."""
    return {
        "repository": rev.repository,
        "commit": rev.commit,
        "collected_at": rev.date,
        "note": f"not determined at {rev.short}: {item.reason}{COLLECTOR_MARK}{rev.how}]",
    }


def apply_plan(existing: Mapping[str, Any] | None, plan: Plan, create: Mapping[str, Any]) -> Any:
    """The evidence data after `plan`, made in memory (what `edit_evidence` would write)."""
    data: dict[str, Any] = (
        copy.deepcopy(dict(existing)) if existing is not None else {**create, "facts": {}}
    )
    data.update(plan.envelope)
    sources: dict[str, Any] = data.setdefault("sources", {})
    for fact in plan.remove:
        _delete(data["facts"], fact.split("."))
        for name in [name for name in sources if name == fact or name.startswith(fact + ".")]:
            del sources[name]
    for fact, (value, source) in plan.facts.items():
        node = data["facts"]
        *parents, last = fact.split(".")
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[last] = copy.deepcopy(value)
        sources[fact] = dict(source)
    sources.update({path: dict(source) for path, source in plan.sources.items()})
    if not sources:
        del data["sources"]
    return data


# -- the evidence as it was -----------------------------------------------------------------------


class _Old(NamedTuple):
    facts: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    as_of: dt.date  # the file's as_of, or the day of the run for a file without one

    @classmethod
    def of(cls, existing: Mapping[str, Any] | None, today: dt.date) -> _Old:
        if existing is None:
            return cls({}, {}, today)
        sources = existing.get("sources") or {}
        return cls(existing.get("facts") or {}, sources, _day(existing.get("as_of")) or today)

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
        return max(_day(self.sources[name].get("collected_at")) or self.as_of for name in names)

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


def _value_at(facts: Any, fact: str) -> tuple[bool, Any]:
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


def _hand_leaves(facts: dict[str, Any], owned: set[str]) -> Iterator[tuple[str, ...]]:
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


def _collapse(
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


def _delete(node: Any, parts: list[str]) -> None:
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(parts[-1], None)


def _by_collector(source: Mapping[str, Any] | None) -> bool:
    return source is not None and COLLECTOR_MARK in str(source.get("note") or "")


def _same_provenance(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> bool:
    if old is None:
        return False
    return all(_same(old.get(key), new.get(key)) for key in _PROVENANCE) and _finding(
        old
    ) == _finding(new)


def _finding(source: Mapping[str, Any]) -> str:
    """A collected source's note without the mark that says how the revision was named."""
    note = str(source.get("note") or "")
    mark = note.rfind(COLLECTOR_MARK)
    return note[:mark] if mark != -1 else note


def _same(old: Any, new: Any) -> bool:
    """Equal, and of the same type (true is not 1; a date-time is not a date)."""
    if type(old) is not type(new):
        return False
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(_same(old[key], new[key]) for key in old)
    if isinstance(old, list):
        return len(old) == len(new) and all(map(_same, old, new))
    return bool(old == new)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _policy_switch(existing: Mapping[str, Any] | None, context: Context) -> tuple[str, str] | None:
    """(the file's policy, the one in force) when they are versions of one policy and differ."""
    if existing is None or not context.policy.found:
        return None
    current = str(existing.get("policy") or "")
    chosen = context.policy.policy
    if current == chosen or current in context.policy_aliases:
        return None
    if current.partition("@")[0] != chosen.partition("@")[0]:
        return None  # judged by another policy altogether: not the collector's to change
    return current, chosen


def _later_attestations(existing: Mapping[str, Any] | None, date: dt.date) -> tuple[str, ...]:
    found = []
    for attestation in (existing or {}).get("attestations") or ():
        day = _day(attestation.get("date"))
        if day is not None and day > date:
            found.append(f"{attestation.get('judgement')} by {attestation.get('by')} ({day})")
    return tuple(found)
