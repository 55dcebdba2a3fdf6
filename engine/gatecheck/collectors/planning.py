"""Plan what a collection at one revision makes of a subject's evidence. Pure: data in, out.

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

`plan_subject` computes the changes from the evidence's data (`recorded` reads it) and the facts
collected; `saving` writes them through `editing.evidence_files`, and `applying.apply_plan` makes
them in memory (for a replay that writes nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.recorded import (
    COLLECTOR_MARK,
    Recorded,
    as_day,
    by_collector,
    collapse,
    hand_leaves,
    same,
    same_provenance,
    value_at,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence

    from gatecheck.collectors.revision import PlanContext, WasmtimeRevision


class HandRecorded(NamedTuple):
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
    kept: tuple[HandRecorded, ...]  # hand-recorded facts dated on or before REV, kept
    removed: tuple[HandRecorded, ...]  # hand-recorded facts dated after REV: removed (or now null)
    replaced: tuple[HandRecorded, ...]  # hand-recorded values of facts REV determines, replaced
    later_attestations: tuple[str, ...]  # attestations dated after REV, kept
    policy_switch: tuple[str, str] | None  # (from, to)

    @property
    def unchanged(self) -> bool:
        """No fact, source or policy to change (`as_of` may still move to the revision's date)."""
        return not (self.facts or self.remove or self.sources or self.policy_switch)


def plan_subject(
    existing: Mapping[str, Any] | None,
    collected: Sequence[Collected | Unknown],
    context: PlanContext,
) -> Plan:
    """The changes that make `existing` (None: no file yet) describe the revision exactly."""
    work = _Work(Recorded.of(existing, context.today), context)
    for item in collected:
        work.owned(item)
    owned = {item.fact for item in collected}
    later: set[tuple[str, ...]] = set()
    for parts in hand_leaves(work.old.facts, owned):
        if not work.hand_recorded(".".join(parts)):
            later.add(parts)
    envelope: dict[str, Any] = {"as_of": context.revision.date}
    switch = _policy_switch(existing, context)
    if switch is not None:
        envelope["policy"] = switch[1]
    old_sources = work.old.sources
    return Plan(
        facts=work.facts,
        remove=tuple(".".join(parts) for parts in collapse(work.old.facts, later, owned)),
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

    def __init__(self, old: Recorded, context: PlanContext) -> None:
        self.old = old
        self.context = context
        self.facts: dict[str, tuple[Any, dict[str, Any]]] = {}
        self.marks: dict[str, dict[str, Any]] = {}
        self.kept: list[HandRecorded] = []
        self.removed: list[HandRecorded] = []
        self.replaced: list[HandRecorded] = []

    def owned(self, item: Collected | Unknown) -> None:
        """A fact the collector owns: what REV says, else a record by hand, else null."""
        present, value = value_at(self.old.facts, item.fact)
        source = self.old.sources.get(item.fact)
        by_hand = present and not by_collector(source)
        rev = self.context.revision
        if isinstance(item, Collected):
            new = collected_source(item, rev, self.context.hows)
            if present and same(value, item.value) and same_provenance(source, new):
                return
            self.facts[item.fact] = (item.value, new)
            if by_hand and not same(value, item.value):
                self.replaced.append(HandRecorded(item.fact, self.old.date_of(item.fact), value))
            return
        # REV cannot say; a person's record of it may, if it is not from a later day
        if by_hand and self.hand_recorded(item.fact, value):
            return
        new = unknown_source(item, rev)
        if present and value is None and same_provenance(source, new):
            return
        self.facts[item.fact] = (None, new)

    def hand_recorded(self, fact: str, value: Any = None) -> bool:
        """Keep a hand-recorded fact dated on or before REV (True), or report it as later."""
        date = self.old.date_of(fact)
        if date > self.context.revision.date:
            self.removed.append(HandRecorded(fact, date, value))
            return False
        self.kept.append(HandRecorded(fact, date, value))
        self.marks.update(self.old.marked(fact, date))
        return True


def collected_source(
    item: Collected, rev: WasmtimeRevision, hows: Mapping[str, str]
) -> dict[str, Any]:
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


def unknown_source(item: Unknown, rev: WasmtimeRevision) -> dict[str, Any]:
    """The source of a fact the revision cannot determine: the revision, and why not."""
    return {
        "repository": rev.repository,
        "commit": rev.commit,
        "collected_at": rev.date,
        "note": f"not determined at {rev.short}: {item.reason}{COLLECTOR_MARK}{rev.how}]",
    }


def _policy_switch(
    existing: Mapping[str, Any] | None, context: PlanContext
) -> tuple[str, str] | None:
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
        day = as_day(attestation.get("date"))
        if day is not None and day > date:
            found.append(f"{attestation.get('judgement')} by {attestation.get('by')} ({day})")
    return tuple(found)
