"""Conditions compiled once into plain Python closures, and the value of a condition through them.

Walking the condition tree for every subject re-decides, each time, what kind of node it is and
which operator it uses. A policy's conditions never change once loaded, so each is turned, on its
first use, into a closure that has made those decisions already: a fact path becomes a chain of
lookups, `eq: true` an identity test, an `all` a loop over its parts' closures. Evaluating a gate
on 10,000 subjects then costs about what a hand-written function would (bench/peers.py).

Plans judge every step of a policy, and verdicts are mostly passes; explaining all of them costs
several times more. `Truth` gives values through the closures, which decide as the explaining
evaluator (`Evaluator.check`) does, through the same `leaves` (a property test holds the two to
the same answer on random conditions and facts); the evaluator asks it first, explaining only
what it has to show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, assert_never

from gatecheck.evaluation import steps as step_states
from gatecheck.evaluation.compiled_tests import comparison_judge, fact_judge, time_judge
from gatecheck.evaluation.fact_readers import items as items_of
from gatecheck.evaluation.fact_readers import reader
from gatecheck.evaluation.generated import GateJudge, gate_function
from gatecheck.evaluation.judges import Context, Judge
from gatecheck.identity_cache import IdentityCache
from gatecheck.language.conditions import (
    AllOf,
    AnyOf,
    Attested,
    CountTest,
    FactComparison,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)
from gatecheck.language.evidence import MISSING, Scope, read_fact
from gatecheck.language.leaves import count_decision, fact_decision, quantified

if TYPE_CHECKING:
    from gatecheck.evaluation.observation import Observation
    from gatecheck.language.conditions import Condition, FactRef
    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Gate, Step


# Each condition's judge, and whether it is compiled or the first-use judge of a single test (see
# `judge_of`). Bounded: a process that loads many policies keeps the judges of the latest ones;
# the bound is above the conditions of the largest plans measured (100,000 steps, bench/).
_JUDGES: IdentityCache[Condition, tuple[Judge, bool]]
_JUDGES = IdentityCache(size=1 << 18)

# Each gate's judge: its rules' closures for its first uses, then its generated function
# (`generated.py`). Compiling the source costs about as much as judging a hundred subjects through
# the closures (1 to 3 ms for bench/peers.py's gate of 8 rules), so a one-shot `evaluate` of one
# subject never pays it and a batch pays it once. Bounded like the judges; one entry per gate.
GENERATE_AFTER = 32
_GATES: IdentityCache[Gate, GateJudge] = IdentityCache(size=1 << 12)


class _Closures:
    """A gate's rules judged through their closures, counting its uses until it is generated."""

    __slots__ = ("conditions", "uses")

    def __init__(self, conditions: tuple[Condition, ...]) -> None:
        self.conditions = conditions
        self.uses = 0

    def __call__(self, context: Context) -> tuple[bool | None, ...]:
        return tuple(judge_of(condition)(context, None) for condition in self.conditions)


def gate_judge(gate: Gate, steps: Mapping[str, Step]) -> GateJudge:
    """The function giving the value of each of `gate`'s rules, in order, for one context.

    `steps` are the steps of the gate's policy, by id. Both judges give the same values (a
    property test holds them to one reference); only their cost differs.
    """
    found = _GATES.get(gate)
    if found is None:
        found = _GATES.put(gate, _Closures(tuple(rule.require for rule in gate.rules)))
    if not isinstance(found, _Closures):
        return found
    found.uses += 1
    if found.uses < GENERATE_AFTER:
        return found
    return _GATES.put(gate, gate_function(found.conditions, _compile, steps))


# A policy's steps that refer to no other step, judged all at once by one generated function once
# the policy has judged GENERATE_AFTER subjects (verdicts ask for the steps of every rule that does
# not pass, and their needs). Policies of more steps than this keep the closures, judged one step
# at a time as asked: a plan of 100,000 steps judges each of them once.
MAX_GENERATED_STEPS = 512
_STEPS: IdentityCache[Mapping[str, Step], _StepsJudge] = IdentityCache(size=1 << 12)


class _StepsJudge:
    """The steps without references of one policy: their ids, and their function once generated."""

    __slots__ = ("function", "ids", "uses")

    def __init__(self, steps: Mapping[str, Step]) -> None:
        self.ids = tuple(step_id for step_id, step in steps.items() if not step.refers)
        self.uses = 0
        self.function: GateJudge | None = None


def steps_judge(steps: Mapping[str, Step]) -> _StepsJudge | None:
    """The generated judge of a policy's steps (`steps`, by id), or None until it pays."""
    if len(steps) > MAX_GENERATED_STEPS:
        return None
    found = _STEPS.get(steps)
    if found is None:
        found = _STEPS.put(steps, _StepsJudge(steps))
    if found.function is None:
        found.uses += 1
        if found.uses < GENERATE_AFTER:
            return None
        conditions = tuple(steps[step_id].done_when for step_id in found.ids)
        found.function = gate_function(conditions, _compile, steps)
    return found


def judge_of(condition: Condition) -> Judge:
    """The closure that gives `condition`'s value (True, False, or None when a fact is missing).

    A single fact test is compiled on its second use: on its first it is judged directly, since
    compiling costs about two judgements and a plan judges each of its many steps only once.
    """
    found = _JUDGES.get(condition)
    if found is not None and found[1]:
        return found[0]
    if found is None and isinstance(condition, FactTest) and not condition.fact.watched:
        return _JUDGES.put(condition, (partial(_test_once, condition), False))[0]
    return _JUDGES.put(condition, (_compile(condition), True))[0]


def _test_once(test: FactTest, context: Context, scope: Scope | None) -> bool | None:
    """A fact test judged without compiling it: the general operator, as `leaves` decides."""
    return fact_decision(test, read_fact(context.facts, test.fact, scope)[0]).value


class Truth:
    """The compiled conditions' context for one subject at one date (see `Context`)."""

    def __init__(
        self,
        evidence: Evidence,
        observation: Observation,
        attested: Callable[[Attested], bool | None],
    ) -> None:
        self.facts = evidence.facts
        self.steps = evidence.policy.steps_by_id
        self.observation = observation
        self.now = observation.now
        self.today = observation.today
        self.attested = attested  # attestations are few: the explaining evaluator judges them
        self._values: dict[str, bool | None] = {}
        self._asked = False

    def step(self, step_id: str) -> bool | None:
        """Whether a step's `done_when` holds; steps it refers to are judged first.

        On the first question, the steps that refer to no other step are judged at once when
        the policy's steps have a generated function (`steps_judge`).
        """
        if not self._asked:
            self._asked = True
            judge = steps_judge(self.steps)
            if judge is not None and judge.function is not None:
                self._values.update(zip(judge.ids, judge.function(self), strict=True))
        return step_states.settle(step_id, self._values, self.steps, self._judge_step)

    def _judge_step(self, step_id: str) -> bool | None:
        return judge_of(self.steps[step_id].done_when)(self, None)

    def holds(self, condition: Condition, scope: Scope | None = None) -> bool | None:
        return judge_of(condition)(self, scope)

    def gate(self, gate: Gate) -> tuple[bool | None, ...]:
        """The value of each of `gate`'s rules, in order, through the gate's generated function."""
        return gate_judge(gate, self.steps)(self)


def _compile(condition: Condition) -> Judge:
    match condition:
        case FactTest():
            return _unless_stale(condition.fact, fact_judge(condition))
        case FactComparison():
            judge = _unless_stale(condition.other, comparison_judge(condition))
            return _unless_stale(condition.fact, judge)
        case TimeTest():
            return _unless_stale(condition.fact, time_judge(condition))
        case AllOf() | AnyOf():
            return _combine(condition)
        case Not():
            return _not(condition)
        case Quantifier():
            return _unless_stale(condition.over, _quantify(condition))
        case CountTest():
            return _unless_stale(condition.over, _count(condition))
        case StepDone():
            step_id = condition.step
            return lambda context, _scope: context.step(step_id)
        case Attested():
            attested = condition
            return lambda context, _scope: context.attested(attested)
        case _:
            assert_never(condition)


def _unless_stale(ref: FactRef, judge: Judge) -> Judge:
    """A test of a fact a `freshness` entry covers: unknown while the fact is stale.

    Only such facts pay for the check; a policy without `freshness` compiles no wrapper at all.
    """
    if not ref.watched:
        return judge
    parts = ref.parts

    def fresh_only(context: Context, scope: Scope | None) -> bool | None:
        if context.observation.stale(parts) is not None:
            return None
        return judge(context, scope)

    return fresh_only


def _combine(condition: AllOf | AnyOf) -> Judge:
    """Kleene's AND (a False decides) or OR (a True decides); else any unknown leaves it unknown."""
    parts = tuple(_compile(item) for item in condition.items)
    decisive = isinstance(condition, AnyOf)

    def combine(context: Context, scope: Scope | None) -> bool | None:
        result: bool | None = not decisive
        for part in parts:
            value = part(context, scope)
            if value is decisive:
                return decisive
            if value is None:
                result = None
        return result

    return combine


def _not(condition: Not) -> Judge:
    inner = _compile(condition.item)

    def negate(context: Context, scope: Scope | None) -> bool | None:
        value = inner(context, scope)
        return None if value is None else not value

    return negate


Matches = Callable[[Context, Scope | None], list[bool | None] | bool | None]


def _matches(over_ref: FactRef, where_condition: Condition | None) -> Matches:
    """Whether each item of a collection matches `where`; None or False without a collection."""
    over = reader(over_ref)
    where = _compile(where_condition) if where_condition is not None else None

    def matches(context: Context, scope: Scope | None) -> list[bool | None] | bool | None:
        collection = over(context.facts, scope)
        if collection is MISSING:
            return None
        items = items_of(collection)
        if items is None:
            return False
        if where is None:
            return [True] * len(items)
        return [where(context, item) for item in items]

    return matches


def _quantify(condition: Quantifier) -> Judge:
    matches = _matches(condition.over, condition.where)
    kind = condition.kind

    def quantify(context: Context, scope: Scope | None) -> bool | None:
        values = matches(context, scope)
        return quantified(kind, values) if isinstance(values, list) else values

    return quantify


def _count(test: CountTest) -> Judge:
    matches = _matches(test.over, test.where)
    operator, operand = test.operator, test.operand

    def count(context: Context, scope: Scope | None) -> bool | None:
        values = matches(context, scope)
        if not isinstance(values, list):
            return values
        return count_decision(operator, operand, values.count(True), values.count(None))

    return count
