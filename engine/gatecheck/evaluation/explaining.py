"""Evaluate conditions against one subject's evidence: three-valued, explained, and pure.

A condition is True, False, or None (`missing`: a fact it reads is absent). `all` and `any` follow
Kleene's logic, so a rule with one failing and one missing part fails (more evidence cannot save
it), while `any` passes as soon as one part passes. Each outcome carries the deciding tests, which
become the explanation of a verdict.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.evaluation.authority import NO_CHANGE, Authority
from gatecheck.evaluation.observation import Observation, Staleness
from gatecheck.evaluation.results import Detail, StepStatus
from gatecheck.evaluation.truth import Truth
from gatecheck.language.conditions import (
    KEY,
    AllOf,
    AnyOf,
    Attested,
    CountTest,
    FactRef,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)
from gatecheck.language.evidence import MISSING, Scope, items_of, read_fact
from gatecheck.language.kinds import kind_of
from gatecheck.language.operators import NotComparableError, day_number, from_day_number

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.errors import Location
    from gatecheck.language.conditions import Condition
    from gatecheck.language.evidence import Evidence

DataPath = tuple[str | int, ...]

# A `{step: X}` that does not hold is explained by X's own reasons, at most this many, the deepest
# first. Copying them all made a chain of N steps that refer to each other hold N²/2 details
# (16,000 steps: 3 GB); each step's explanation is now at most STEP_REASONS + 1 details long.
STEP_REASONS = 8


class Outcome(NamedTuple):
    value: bool | None
    details: tuple[Detail, ...]


class _Read(NamedTuple):
    """A fact as read: its reference, the concrete path, its value (or MISSING), staleness."""

    ref: FactRef
    path: DataPath
    actual: Any
    stale: Staleness | None = None

    @property
    def name(self) -> str:
        dotted = _dotted(self.path)
        return f"{dotted} (key)" if self.ref.variable == KEY else dotted


class Evaluator:
    """Judges conditions against one subject's evidence at one date, explaining each verdict.

    `authority` says whose attestations and waivers may count: never those of the claims'
    authors (the evidence's `claimed_by` is always one of them), and, for a change under review,
    only entries the base already had or that an approver of the change signed.
    """

    def __init__(self, evidence: Evidence, now: dt.date, authority: Authority = NO_CHANGE) -> None:
        self.evidence = evidence
        self.now = now
        self.authority = authority.with_author(evidence.claimed_by)
        self.observation = Observation(evidence, now)
        self._steps: dict[str, Outcome] = {}
        self._first_ready: dict[str, str | None] = {}
        self._statuses: dict[str, StepStatus] = {}
        self._attestations: dict[str, list[tuple[int, dict[str, Any]]]] | None = None
        self._waivers: dict[str, list[dict[str, Any]]] | None = None
        self.truth = Truth(evidence, self.observation, self._attested_value)

    # -- steps ------------------------------------------------------------------------------

    def step_outcome(self, step_id: str) -> Outcome:
        """Whether a step's `done_when` holds; memoised.

        Steps a `done_when` refers to are judged first, iteratively, so a long chain of references
        cannot exhaust the interpreter's stack (the policy loader has ruled out cycles).
        """
        found = self._steps.get(step_id)
        if found is not None:
            return found
        steps = self.evidence.policy.steps_by_id
        pending: list[tuple[str, bool]] = [(step_id, False)]
        while pending:
            current, expanded = pending.pop()
            if current in self._steps:
                continue
            if expanded:
                self._steps[current] = self.check(steps[current].done_when)
                continue
            pending.append((current, True))
            pending.extend((ref, False) for ref in steps[current].refers if ref not in self._steps)
        return self._steps[step_id]

    def step_status(self, step_id: str) -> StepStatus:
        status = self._statuses.get(step_id)
        if status is None:
            if self.truth.step(step_id) is True:
                status = StepStatus.DONE
            elif all(self.truth.step(need) is True for need in self._needs(step_id)):
                status = StepStatus.READY
            else:
                status = StepStatus.BLOCKED
            self._statuses[step_id] = status
        return status

    def first_ready(self, step_id: str) -> str | None:
        """The first ready step found depth-first through unfinished needs, in policy order.

        A done step has none; a ready one is its own. Each step's answer is worked out once:
        rules that all wait on one long chain of needs walk it once, not once each (8,000 rules
        on an 8,000-step chain took 144 s).
        """
        memo = self._first_ready
        pending: list[tuple[str, bool]] = [(step_id, False)]
        while pending:
            current, expanded = pending.pop()
            if current in memo:
                continue
            status = self.step_status(current)
            needs = self._needs(current)
            if status is not StepStatus.BLOCKED:
                memo[current] = current if status is StepStatus.READY else None
            elif expanded:
                memo[current] = next((memo[n] for n in needs if memo[n] is not None), None)
            else:
                pending.append((current, True))
                pending.extend((need, False) for need in reversed(needs) if need not in memo)
        return memo[step_id]

    def _needs(self, step_id: str) -> tuple[str, ...]:
        return self.evidence.policy.steps_by_id[step_id].needs

    # -- conditions -------------------------------------------------------------------------

    def check(self, condition: Condition, scope: Scope | None = None) -> Outcome:
        if isinstance(condition, FactTest):
            return self._fact(condition, scope)
        if isinstance(condition, TimeTest):
            return self._time(condition, scope)
        if isinstance(condition, AllOf | AnyOf):
            return self._combine(condition, scope)
        if isinstance(condition, Not):
            return self._not(condition, scope)
        if isinstance(condition, Quantifier):
            return self._quantify(condition, scope)
        if isinstance(condition, CountTest):
            return self._count(condition, scope)
        if isinstance(condition, StepDone):
            return self._step(condition)
        return self._attested(condition)

    def _read(self, ref: FactRef, scope: Scope | None) -> _Read:
        value, path = read_fact(self.evidence.facts, ref, scope)
        stale = self.observation.stale(ref.parts) if ref.watched else None
        return _Read(ref, path, value, stale)

    def _stale(self, read: _Read, expected: str, where: Location) -> Outcome:
        """A test of a stale fact: it cannot pass (nor fail) until the fact is observed again."""
        assert read.stale is not None  # noqa: S101 - only called for stale reads
        message = f"{read.name} is {read.stale.describe()}; expected {expected}"
        return self._leaf(read, expected, message, where, value=None)

    def _leaf(  # noqa: PLR0913 - the one constructor of every leaf outcome
        self,
        read: _Read,
        expected: str,
        message: str,
        where: Location,
        *,
        value: bool | None,
        passes_on: dt.date | None = None,
    ) -> Outcome:
        """One test's outcome, located in the evidence, or at `where` in the policy if absent."""
        recorded = read.actual is not MISSING
        detail = Detail(
            message=message,
            fact=read.name,
            expected=expected,
            actual=read.actual if recorded else None,
            recorded=recorded,
            location=self.evidence.locate_fact(read.path) if recorded else where,
            passes_on=passes_on,
        )
        return Outcome(value, (detail,))

    def _fact(self, test: FactTest, scope: Scope | None) -> Outcome:
        read = self._read(test.fact, scope)
        operator = test.operator
        if read.stale is not None:
            shown = "recorded" if test.operand else "not recorded"
            expected = (
                shown if operator.name == "exists" else f"{operator.symbol} {show(test.operand)}"
            )
            return self._stale(read, expected, test.location)
        if operator.name == "exists":
            present = read.actual is not MISSING
            expected = "recorded" if test.operand else "not recorded"
            # a recorded fact says what it is: "declared.tier is 3", not only that it is there
            state = show(read.actual) if present else "not recorded"
            value = operator.func(read.actual if present else None, test.operand)
            return self._leaf(read, expected, f"{read.name} is {state}", test.location, value=value)
        expected = f"{operator.symbol} {show(test.operand)}"
        if read.actual is MISSING:
            message = f"{read.name} is not recorded; expected {expected}"
            return self._leaf(read, expected, message, test.location, value=None)
        message = f"{read.name} is {show(read.actual)}"
        try:
            value = operator.func(read.actual, test.operand)
        except NotComparableError as error:
            return self._leaf(read, expected, f"{message}: {error}", test.location, value=False)
        if not value:
            message += f"; expected {expected}"
        return self._leaf(read, expected, message, test.location, value=value)

    def _time(self, test: TimeTest, scope: Scope | None) -> Outcome:
        read = self._read(test.fact, scope)
        older = test.operator.name == "older_than"
        # Elapsed time counts up to the day the fact was observed; recency is judged today.
        observation = self.observation
        parts = test.fact.parts if test.fact.variable is None else None
        observed = observation.observed_day(parts)
        until = observed if older else observation.today
        threshold = until - test.days  # day numbers: no overflow at year 1
        shown = from_day_number(threshold) or "a day before the year 1"
        bound = f"on or before {shown}" if older else f"after {shown}"
        expected = f"{test.operator.symbol} {test.duration} ({bound})"
        if read.stale is not None:
            return self._stale(read, f"a date {expected}", test.location)
        if read.actual is MISSING:
            message = f"{read.name} is not recorded; expected a date {expected}"
            return self._leaf(read, expected, message, test.location, value=None)
        message = f"{read.name} is {show(read.actual)}"
        if kind_of(read.actual) != "date":
            message += ", not a date"
            return self._leaf(read, expected, message, test.location, value=False)
        day = day_number(read.actual)
        if day > observed:  # as the compiled judge decides: no time has run from a later date
            message += (
                f", after the day it was observed ({from_day_number(observed)}): no time has run"
                f" from it yet; expected {expected}"
            )
            passes_on = from_day_number(day + test.days) if older else None
            return self._leaf(
                read, expected, message, test.location, value=False, passes_on=passes_on
            )
        value = test.operator.func(day, threshold)
        if value:
            return self._leaf(read, expected, message, test.location, value=value)
        message += f"; expected {expected}"
        passes_on = from_day_number(day + test.days) if older else None
        if passes_on is not None and until < observation.today:
            message += (
                f"; observed {from_day_number(until)}: passes once the evidence is re-recorded"
                " on or after "
                f"{passes_on}"
            )
        elif passes_on is not None:
            message += f"; passes on {passes_on}"
        return self._leaf(read, expected, message, test.location, value=value, passes_on=passes_on)

    def _combine(self, condition: AllOf | AnyOf, scope: Scope | None) -> Outcome:
        # The compiled values pick the deciding parts; only those are explained.
        items = condition.items
        values = [self.truth.holds(item, scope) for item in items]
        deciding = isinstance(condition, AnyOf)  # a True decides `any`, a False decides `all`
        if deciding in values:
            chosen = [values.index(deciding)] if deciding else _indexes(values, deciding)
            value: bool | None = deciding
        elif None in values:
            chosen, value = _indexes(values, None), None
        else:
            chosen, value = list(range(len(items))), not deciding
        return Outcome(value, _join(self.check(items[index], scope) for index in chosen))

    def _not(self, condition: Not, scope: Scope | None) -> Outcome:
        inner = self.check(condition.item, scope)
        value = None if inner.value is None else not inner.value
        details = tuple(
            Detail(
                message=f"not expected: {d.message}" if value is False else d.message,
                fact=d.fact,
                expected=f"not ({d.expected})" if d.expected else None,
                actual=d.actual,
                recorded=d.recorded,
                location=d.location,
            )
            for d in inner.details
        )
        return Outcome(value, details)

    def _items(self, read: _Read, where: Location) -> list[Scope] | Outcome:
        """The items of a collection fact, or the outcome when there is no collection to judge."""
        collection = read.actual
        if read.stale is not None:
            return self._stale(read, "a list or map", where)
        if collection is MISSING:
            return self._leaf(
                read, "a list or map", f"{read.name} is not recorded", where, value=None
            )
        items = items_of(collection, read.path)
        if items is not None:
            return items
        message = f"{read.name} is {show(collection)}, not a list or map"
        return self._leaf(read, "a list or map", message, where, value=False)

    def _values(self, where: Condition | None, items: list[Scope]) -> list[bool | None]:
        if where is None:
            return [True] * len(items)
        return [self.truth.holds(where, item) for item in items]

    def _item_outcome(self, where: Condition | None, item: Scope) -> Outcome:
        return Outcome(value=True, details=()) if where is None else self.check(where, item)

    def _quantify(self, condition: Quantifier, scope: Scope | None) -> Outcome:
        read = self._read(condition.over, scope)
        items = self._items(read, condition.location)
        if isinstance(items, Outcome):
            return items
        where = condition.where
        values = self._values(where, items)
        over = _dotted(read.path)
        unknown = _indexes(values, None)
        if condition.kind == "some":
            if True in values:
                return self._item_outcome(where, items[values.index(True)])
            if unknown:
                return Outcome(None, _join(self._item_outcome(where, items[i]) for i in unknown))
            detail = Detail(
                f"no item of {over} matches",
                fact=over,
                expected="some item matches",
                actual=len(items),
                location=self.evidence.locate_fact(read.path),
            )
            return Outcome(value=False, details=(detail,))
        wanted = condition.kind == "every"  # every: each item matches; none: no item matches
        if (not wanted) in values:
            item = items[values.index(not wanted)]
            outcome = self._item_outcome(where, item)
            return outcome if wanted else self._offender(item, outcome, over)
        if unknown:
            return Outcome(None, _join(self._item_outcome(where, items[i]) for i in unknown))
        return Outcome(value=True, details=())

    def _offender(self, item: Scope, outcome: Outcome, over: str) -> Outcome:
        why = "; ".join(d.message for d in outcome.details)
        detail = Detail(
            f"{_dotted(item.path)} matches ({why}); expected no item of {over} to match",
            fact=_dotted(item.path),
            expected="no item matches",
            location=self.evidence.locate_fact(item.path),
        )
        return Outcome(value=False, details=(detail, *outcome.details))

    def _count(self, test: CountTest, scope: Scope | None) -> Outcome:
        read = self._read(test.over, scope)
        items = self._items(read, test.location)
        if isinstance(items, Outcome):
            return items
        values = self._values(test.where, items)
        known = values.count(True)
        unknown = _indexes(values, None)
        path = read.path
        expected = f"count {test.operator.symbol} {test.operand}"
        value: bool | None = test.operator.func(known, test.operand)
        message = f"{known} item(s) of {_dotted(path)} match"
        # Items that cannot be judged could still change a failing count: then it is `missing`.
        if not value and any(
            test.operator.func(known + extra, test.operand) for extra in range(1, len(unknown) + 1)
        ):
            value = None
            message += f" and {len(unknown)} cannot be judged"
        if not value:
            message += f"; expected {expected}"
        detail = Detail(
            message,
            fact=_dotted(path),
            expected=expected,
            actual=known,
            location=self.evidence.locate_fact(path),
        )
        if value is not None:
            return Outcome(value, (detail,))
        unjudged = _join(self._item_outcome(test.where, items[i]) for i in unknown)
        return Outcome(value, (detail, *unjudged))

    def _step(self, condition: StepDone) -> Outcome:
        inner = self.step_outcome(condition.step)
        if inner.value is True:
            return Outcome(value=True, details=(Detail(f"step {condition.step} is done"),))
        state = "cannot be judged" if inner.value is None else "is not done"
        reasons = inner.details
        if len(reasons) > STEP_REASONS:
            state += f" ({len(reasons) - STEP_REASONS} more of its reasons are not shown)"
            reasons = reasons[:STEP_REASONS]
        detail = Detail(
            f"step {condition.step} {state}",
            expected=f"step {condition.step} done",
            location=condition.location,
        )
        return Outcome(inner.value, (*reasons, detail))

    def _attested(self, condition: Attested) -> Outcome:
        judgement = condition.judgement
        fact = f"attestations[{judgement}]"
        expected = f"{condition.at_least} attestation(s) of {judgement}"
        if condition.group:
            expected += f" by {condition.group}"
        indexed = self._attestations_of(judgement)
        if not indexed:
            message = f"no attestation of '{judgement}' is recorded; expected {expected}"
            detail = Detail(
                message, fact=fact, expected=expected, recorded=False, location=condition.location
            )
            return Outcome(None, (detail,))
        accepted, reasons = self._accepted([entry for _, entry in indexed], condition)
        # Too few that count is work not yet recorded, as none is: adding an attestation never
        # turns `missing` into `fail` (docs/policy-language.md, "Counting")
        value = True if len(accepted) >= condition.at_least else None
        if value:
            message = f"attested by {', '.join(sorted(accepted))}"
        else:
            message = f"{len(accepted)} of {condition.at_least} required attestation(s) of "
            message += f"'{judgement}'" + (f": {'; '.join(reasons)}" if reasons else "")
        detail = Detail(
            message,
            fact=fact,
            expected=expected,
            actual=sorted({entry["by"] for _, entry in indexed}),
            location=self.evidence.document.locate(("attestations", indexed[0][0])),
        )
        return Outcome(value, (detail,))

    def _attestations_of(self, judgement: str) -> list[tuple[int, dict[str, Any]]]:
        """The attestations of one judgement with their indexes (indexed once per subject)."""
        if self._attestations is None:
            self._attestations = {}
            for index, entry in enumerate(self.evidence.attestations):
                self._attestations.setdefault(entry["judgement"], []).append((index, entry))
        return self._attestations.get(judgement, [])

    def waivers_of(self, rule_id: str) -> list[dict[str, Any]]:
        """The waivers naming one rule, in file order (indexed once per subject)."""
        if self._waivers is None:
            self._waivers = {}
            for entry in self.evidence.waivers:
                self._waivers.setdefault(entry["rule"], []).append(entry)
        return self._waivers.get(rule_id, [])

    def _attested_value(self, condition: Attested) -> bool | None:
        """`_attested(condition).value`, without its explanation."""
        entries = [entry for _, entry in self._attestations_of(condition.judgement)]
        if not entries:
            return None
        return True if len(self._accepted(entries, condition)[0]) >= condition.at_least else None

    def _accepted(
        self, entries: list[dict[str, Any]], condition: Attested
    ) -> tuple[set[str], list[str]]:
        """Who may vouch (right group, dated within the window, with authority), and why not.

        The window is measured at the judging date: an earlier `as_of` cannot revive an old
        attestation.
        """
        oldest = None
        if condition.within_days is not None:
            oldest = from_day_number(day_number(self.now) - condition.within_days) or dt.date.min
        accepted: set[str] = set()
        reasons = []
        for entry in entries:
            who, when = entry["by"], entry["date"]
            if (
                refused := self.authority.refusal("attestation", entry, who, "attest it")
            ) is not None:
                reasons.append(refused)
            elif condition.reviewers is not None and who not in condition.reviewers:
                reasons.append(f"{who} is not in reviewer group {condition.group}")
            elif when > self.now:
                reasons.append(f"{who}'s attestation is dated {when}, after {self.now}")
            elif oldest is not None and when < oldest:
                reasons.append(f"{who}'s attestation of {when} is older than {oldest}")
            else:
                accepted.add(who)
        return accepted, reasons


def _indexes(values: list[bool | None], wanted: bool | None) -> list[int]:  # noqa: FBT001
    return [index for index, value in enumerate(values) if value is wanted]


def _join(outcomes: Iterable[Outcome]) -> tuple[Detail, ...]:
    return tuple(detail for outcome in outcomes for detail in outcome.details)


def _dotted(path: DataPath) -> str:
    return ".".join(map(str, path))


def show(value: Any) -> str:
    """A value as users wrote it in YAML: dates as ISO, strings quoted only when needed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(show(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        plain = value and value.replace("-", "").replace("_", "").replace(".", "").isalnum()
        return value if plain else repr(value)
    return repr(value)
