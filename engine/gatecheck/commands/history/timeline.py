"""The timeline builder: events point by point, and the stretches a declaration ran ahead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.commands.history.reads import facts_read, touches
from gatecheck.evaluation.history_results import (
    AHEAD,
    CAUGHT_UP,
    DECLARED,
    DROPPED,
    FACT,
    GATE,
    LISTED,
    PASSES,
    POLICY,
    REPLACED,
    RULE,
    UNLISTED,
    UNREAD,
    WITHDRAWN,
    Ahead,
    Event,
    Point,
)
from gatecheck.evaluation.history_wording import value_text
from gatecheck.evaluation.rule_results import Verdict

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.commands.history.judging import Judged


def _named(rules: Iterable[tuple[str, Verdict]]) -> tuple[tuple[str, str], ...]:
    return tuple((rule, status.value) for rule, status in rules)


class _Open(NamedTuple):
    start: int
    policy: str
    claim: tuple[str, ...]
    rules: tuple[tuple[str, Verdict], ...]


class Timeline:
    """Builds the events point by point, from each subject's judgement and the one before."""

    def __init__(self, declarations: frozenset[str]) -> None:
        self.declarations = declarations
        self.points: list[Point] = []
        self.events: list[Event] = []
        self.order: list[str] = []
        self.policies: list[tuple[int, str]] = []
        self._last: dict[str, Judged] = {}
        self._open: dict[tuple[str, str], _Open] = {}
        self._statuses: dict[tuple[str, str], set[Verdict]] = {}
        self._failed: dict[tuple[str, str], set[str]] = {}
        self._done: list[Ahead] = []
        self._reads: dict[tuple[str, str], set[str]] = {}
        self._first: set[str] = set()  # the subject being judged for the first time, if it is

    def point(self, point: Point) -> None:
        self.points.append(point)

    def last(self, subject: str) -> Judged | None:
        return self._last.get(subject)

    @property
    def _now(self) -> int:
        return len(self.points) - 1

    def _event(  # noqa: PLR0913, PLR0917 - the fields of one Event
        self,
        subject: str,
        kind: str,
        name: str = "",
        before: Any = None,
        after: Any = None,
        because: tuple[str, ...] = (),
        detail: tuple[tuple[str, str], ...] = (),
    ) -> None:
        first = subject in self._first
        event = Event(self._now, subject, kind, name, before, after, because, detail, first)
        self.events.append(event)

    def judged(self, subject: str, now: Judged) -> None:
        """Add what changed for `subject` since its last judgement (all of it, if none)."""
        before = self._last.get(subject)
        if now is before:  # judged again from the same facts: nothing changed
            return
        ref = now.policy.ref
        if not self.policies or self.policies[-1][1] != ref:
            self.policies.append((self._now, ref))
        if subject not in self.order:
            self.order.append(subject)
        self._first = {subject} if before is None else set()
        if before is None:
            self._event(subject, LISTED)
        old_ref = before.policy.ref if before is not None else None
        if old_ref != ref:
            self._event(subject, POLICY, ref, old_ref, ref)
        changed = self._facts(subject, before, now)
        self._verdicts(subject, before, now, changed)
        self._ahead(subject, now)
        self._last[subject] = now

    def _facts(self, subject: str, before: Judged | None, now: Judged) -> set[str]:
        """Fact events; at a first judgement, the declarations only. The facts that changed."""
        if before is None:
            for fact in sorted(self.declarations & now.facts.keys()):
                self._event(subject, DECLARED, fact, None, now.facts[fact])
            return set()
        changed = {
            fact
            for fact in before.facts.keys() | now.facts.keys()
            if before.facts.get(fact) != now.facts.get(fact)
        }
        for fact in sorted(changed):
            kind = DECLARED if fact in self.declarations else FACT
            self._event(subject, kind, fact, before.facts.get(fact), now.facts.get(fact))
        return changed

    def _verdicts(
        self, subject: str, before: Judged | None, now: Judged, changed: set[str]
    ) -> None:
        """Rule and gate events: the flips, or every verdict when the subject is judged afresh.

        Afresh is its first judgement, or under another policy (`before`: the old one's verdict).
        """
        afresh = before is None or before.policy.ref != now.policy.ref
        old_rules = before.rules if before is not None else {}
        old_gates = before.gates if before is not None else {}
        policy = ("policy",) if afresh and before is not None else ()
        causes: dict[str, tuple[str, ...]] = {}
        for rule in [*now.rules, *(rule for rule in old_rules if rule not in now.rules)]:
            old, new = old_rules.get(rule), now.rules.get(rule)
            if old == new and not afresh:
                continue
            reads = self._rule_reads(now, rule) if new is not None else set()
            causes[rule] = (*policy, *sorted(f for f in changed if touches(f, reads)))
            self._event(subject, RULE, rule, old, new, causes[rule] if old != new else ())
        for gate in [*now.gates, *(gate for gate in old_gates if gate not in now.gates)]:
            old, new = old_gates.get(gate), now.gates.get(gate)
            if old == new and not afresh:
                continue
            why = {
                f for rule, facts in causes.items() if rule.startswith(gate + "/") for f in facts
            }
            open_rules = tuple(
                (rule.partition("/")[2], status.value)
                for rule, status in now.rules.items()
                if rule.startswith(gate + "/") and not status.passing
            )
            self._event(subject, GATE, gate, old, new, tuple(sorted(why)), open_rules)

    def _rule_reads(self, judged: Judged, rule: str) -> set[str]:
        key = (judged.policy.ref, rule)
        reads = self._reads.get(key)
        if reads is None:
            gate_id, _, rule_id = rule.partition("/")
            gate = judged.policy.gate(gate_id)
            found = next(r for r in gate.rules if r.id == rule_id) if gate is not None else None
            reads = self._reads[key] = (
                facts_read(found.require, judged.policy) if found is not None else set()
            )
        return reads

    # -- declarations ahead of the evidence -------------------------------------------------------

    def _ahead(self, subject: str, now: Judged) -> None:
        """Close, open or extend the stretches where a claimed gate of `subject` does not pass."""
        ref = now.policy.ref
        for (owner, gate_id), running in list(self._open.items()):
            if owner != subject:
                continue
            if running.policy != ref:
                self._close(subject, gate_id, REPLACED)
            elif gate_id not in now.claimed:
                self._close(subject, gate_id, UNREAD if gate_id in now.unread else WITHDRAWN)
            elif now.gates[gate_id].passing:
                self._close(subject, gate_id, PASSES)
        for gate in now.policy.gates:
            key = (subject, gate.id)
            status = now.gates[gate.id]
            if gate.id not in now.claimed or status.passing:
                continue
            if key not in self._open:
                reads = facts_read(gate.claimed_when, now.policy) if gate.claimed_when else set()
                claim = tuple(
                    f"{fact}: {value_text(now.facts.get(fact))}" for fact in sorted(reads)
                )
                rules = tuple(
                    (rule.id, now.rules[f"{gate.id}/{rule.id}"])
                    for rule in gate.rules
                    if not now.rules[f"{gate.id}/{rule.id}"].passing
                )
                self._open[key] = _Open(self._now, ref, claim, rules)
                self._statuses[key] = set()
                self._failed[key] = set()
                self._event(subject, AHEAD, gate.id, None, status, (), _named(rules))
            self._statuses[key].add(status)
            self._failed[key].update(
                rule.id for rule in gate.rules if now.rules[f"{gate.id}/{rule.id}"] is Verdict.FAIL
            )

    def unlisted(self, listed: set[str]) -> None:
        """Subjects judged before and not listed at this point: their stretches end here."""
        for subject in [s for s in self._last if s not in listed]:
            del self._last[subject]
            self._event(subject, UNLISTED)
            for owner, gate in [key for key in self._open if key[0] == subject]:
                self._close(owner, gate, DROPPED)

    def _close(self, subject: str, gate: str, how: str) -> None:
        key = (subject, gate)
        running = self._open.pop(key)
        self._event(subject, CAUGHT_UP, gate, None, how)
        self._done.append(self._stretch(key, running, self._now, how))

    def _stretch(
        self, key: tuple[str, str], running: _Open, end: int | None, how: str | None
    ) -> Ahead:
        order = (Verdict.FAIL, Verdict.MISSING, Verdict.WAIVED, Verdict.PASS)
        statuses = self._statuses.pop(key)
        return Ahead(
            subject=key[0],
            gate=key[1],
            policy=running.policy,
            start=running.start,
            end=end,
            ended=how,
            claim=running.claim,
            statuses=tuple(status for status in order if status in statuses),
            rules=running.rules,
            failed=tuple(sorted(self._failed.pop(key))),
        )

    def finish(self) -> list[Ahead]:
        """Every stretch, in the order they began; those still running end at None."""
        for key, running in list(self._open.items()):
            self._done.append(self._stretch(key, running, None, None))
        self._open.clear()
        return sorted(
            self._done, key=lambda stretch: (stretch.start, stretch.subject, stretch.gate)
        )
