"""Policies as the engine holds them (steps, gates, rules), compiled from a policy file's data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, assert_never

from gatecheck.errors import Problem, known_names_hint
from gatecheck.language import operators
from gatecheck.language.conditions import (
    AllOf,
    AnyOf,
    Attested,
    Checks,
    Condition,
    ConditionCompiler,
    CountTest,
    FactTest,
    Not,
    Quantifier,
    StepDone,
    TimeTest,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from gatecheck.loading.documents import DataPath, Document, Location


class Step(NamedTuple):
    id: str
    title: str
    source: str
    needs: tuple[str, ...]
    done_when: Condition
    hint: str | None
    location: Location
    refers: tuple[str, ...]  # steps its `done_when` names in `{step: ...}`: judged before it


class Rule(NamedTuple):
    id: str
    title: str
    source: str
    require: Condition
    steps: tuple[str, ...]
    hint: str | None
    location: Location


class Gate(NamedTuple):
    id: str
    title: str
    source: str
    rules: tuple[Rule, ...]
    location: Location
    claimed_when: Condition | None = None  # a change that makes this hold claims the gate


class WaiverAuthority(NamedTuple):
    """Who may approve a waiver (a reviewer group) and how far ahead its expiry may lie."""

    group: str
    approvers: frozenset[str]
    longest: str  # as written, such as `12w`
    longest_days: int
    location: Location


class Freshness(NamedTuple):
    """How old a fact (or every fact of a section) may be when it is judged."""

    fact: tuple[str, ...]
    text: str
    duration: str
    days: int
    location: Location


class DeclaredColumn(NamedTuple):
    """A fact in which the subject's own documents declare something (`status` shows it)."""

    fact: tuple[str, ...]
    text: str
    title: str


class Policy(NamedTuple):
    name: str
    version: int
    default: bool
    title: str
    source_title: str
    source_url: str | None
    facts_schema: str
    judgements: dict[str, str]
    reviewers: dict[str, list[str]]
    steps: tuple[Step, ...]
    steps_by_id: dict[str, Step]
    gates: tuple[Gate, ...]
    path: str
    location: Location
    # Worked out once by `planning.with_order` when the policy is validated, then cached:
    order: tuple[str, ...] = ()  # every step, each after the steps it depends on
    waivers: WaiverAuthority | None = None  # None: the policy accepts no waiver
    freshness: tuple[Freshness, ...] = ()
    declared: tuple[DeclaredColumn, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def gate(self, gate_id: str) -> Gate | None:
        return next((gate for gate in self.gates if gate.id == gate_id), None)


def compile_policy(document: Document, checks: Checks | None = None) -> Policy:
    """Build the engine's policy from validated data; with `checks`, also check its meaning."""
    data = document.data
    reviewers = data.get("reviewers", {})
    fresh = tuple(tuple(text.split(".")) for text in data.get("freshness", {}))
    compiler = ConditionCompiler(document, reviewers, checks, fresh)
    steps = tuple(
        _step(
            step,
            compiler.compile(step["done_when"], ("steps", index, "done_when")),
            index,
            document,
        )
        for index, step in enumerate(data.get("steps", []))
    )
    gates = tuple(
        Gate(
            gate["id"],
            gate["title"],
            gate["source"],
            tuple(
                Rule(
                    rule["id"],
                    rule["title"],
                    rule["source"],
                    compiler.compile(rule["require"], ("gates", g, "rules", r, "require")),
                    tuple(rule.get("steps", ())),
                    rule.get("hint"),
                    document.locate(("gates", g, "rules", r)),
                )
                for r, rule in enumerate(gate["rules"])
            ),
            document.locate(("gates", g)),
            _claimed_when(compiler, gate, g),
        )
        for g, gate in enumerate(data.get("gates", []))
    )
    policy = Policy(
        name=data["name"],
        version=data["version"],
        default=data.get("default", False),
        title=data["title"],
        source_title=data["source"]["title"],
        source_url=data["source"].get("url"),
        facts_schema=data["facts_schema"],
        judgements=dict(data.get("judgements", {})),
        reviewers={group: list(names) for group, names in reviewers.items()},
        steps=steps,
        steps_by_id={step.id: step for step in steps},
        gates=gates,
        path=document.path,
        location=document.locate(()),
        waivers=_waiver_authority(data.get("waivers"), reviewers, document, checks),
        freshness=tuple(
            Freshness(
                compiler.fact_path(text, ("freshness", text)).parts,
                text,
                duration,
                operators.parse_duration(duration) or 0,
                document.locate(("freshness", text)),
            )
            for text, duration in data.get("freshness", {}).items()
        ),
        declared=tuple(
            DeclaredColumn(
                compiler.fact_path(column["fact"], ("declared", index, "fact")).parts,
                column["fact"],
                column["title"],
            )
            for index, column in enumerate(data.get("declared", []))
        ),
    )
    if checks is not None:
        checks.problems.extend(_reference_problems(policy, document))
    return policy


def _waiver_authority(
    data: dict[str, str] | None,
    reviewers: dict[str, list[str]],
    document: Document,
    checks: Checks | None,
) -> WaiverAuthority | None:
    if data is None:
        return None
    group = data["approvers"]
    if checks is not None and group not in reviewers:
        checks.problems.append(
            Problem(
                "unknown-reviewers",
                f"reviewer group '{group}' is not declared in the policy's `reviewers`",
                document.locate(("waivers", "approvers")),
                known_names_hint(group, reviewers, "reviewer group"),
            )
        )
    return WaiverAuthority(
        group,
        frozenset(reviewers.get(group, ())),
        data["longest"],
        operators.parse_duration(data["longest"]) or 0,
        document.locate(("waivers",)),
    )


def _claimed_when(
    compiler: ConditionCompiler, gate: dict[str, Any], index: int
) -> Condition | None:
    condition = gate.get("claimed_when")
    if condition is None:
        return None
    return compiler.compile(condition, ("gates", index, "claimed_when"))


def _step(data: dict[str, Any], done_when: Condition, index: int, document: Document) -> Step:
    return Step(
        id=data["id"],
        title=data["title"],
        source=data["source"],
        needs=tuple(data.get("needs", ())),
        done_when=done_when,
        hint=data.get("hint"),
        location=document.locate(("steps", index)),
        refers=tuple(dict.fromkeys(ref.step for ref in step_references(done_when))),
    )


def _reference_problems(policy: Policy, document: Document) -> Iterator[Problem]:
    """Duplicate ids and references to steps that do not exist."""
    yield from _duplicates([step.id for step in policy.steps], ("steps",), "step", document)
    yield from _duplicates([gate.id for gate in policy.gates], ("gates",), "gate", document)
    for g, gate in enumerate(policy.gates):
        ids = [rule.id for rule in gate.rules]
        yield from _duplicates(ids, ("gates", g, "rules"), "rule", document)
    step_ids = policy.steps_by_id
    for s, step in enumerate(policy.steps):
        for n, need in enumerate(step.needs):
            if need not in step_ids:
                yield _unknown_step(need, ("steps", s, "needs", n), step_ids, document)
    for g, gate in enumerate(policy.gates):
        for r, rule in enumerate(gate.rules):
            for n, name in enumerate(rule.steps):
                if name not in step_ids:
                    path = ("gates", g, "rules", r, "steps", n)
                    yield _unknown_step(name, path, step_ids, document)


def _duplicates(ids: list[str], path: DataPath, kind: str, document: Document) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in seen:
            first = document.locate((*path, seen[item_id], "id"))
            yield Problem(
                "duplicate-id",
                f"{kind} id '{item_id}' is used twice (first at line {first.line})",
                document.locate((*path, index, "id")),
                f"give each {kind} its own id",
            )
        else:
            seen[item_id] = index


def _unknown_step(name: str, path: DataPath, known: Iterable[str], document: Document) -> Problem:
    return Problem(
        "unknown-step",
        f"step '{name}' is not defined in this policy",
        document.locate(path),
        known_names_hint(name, known, "step"),
    )


def step_references(condition: Condition) -> Iterator[StepDone]:
    """Every `{step: ...}` inside a condition, for the dependency check."""
    stack: list[Condition] = [condition]
    while stack:
        node = stack.pop()
        match node:
            case StepDone():
                yield node
            case AllOf() | AnyOf():
                stack.extend(node.items)
            case Not():
                stack.append(node.item)
            case Quantifier() | CountTest():
                stack.extend(() if node.where is None else (node.where,))
            case FactTest() | TimeTest() | Attested():
                pass
            case _:
                assert_never(node)
