"""`gatecheck explain`: words, source lines, and examples that really pass."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.commands.explain import explain
from gatecheck.documents import Document
from gatecheck.evaluation.explaining import Evaluator
from gatecheck.language.evidence import build_evidence
from gatecheck.language.examples import example, schema_placeholder
from gatecheck.language.wording import describe
from gatecheck.loading.facts_validation import validate_facts
from gatecheck.loading.policies import load_policies
from gatecheck.project.layout import open_project

if TYPE_CHECKING:
    from pathlib import Path

    from gatecheck.language.conditions import Condition
    from gatecheck.language.policy import Policy

NOW = dt.date(2026, 11, 25)


def _bundled(tmp_path: Path) -> tuple[Any, list[Policy]]:
    project = open_project(str(tmp_path), None, None)
    policies = load_policies(project)
    assert not policies.problems
    return policies, policies.all()


def _entries(policy: Policy) -> list[tuple[str, Condition]]:
    found = [(f"step {step.id}", step.done_when) for step in policy.steps]
    found += [
        (f"rule {gate.id}/{rule.id}", rule.require) for gate in policy.gates for rule in gate.rules
    ]
    return found


def test_every_example_passes(tmp_path: Path) -> None:
    policies, every = _bundled(tmp_path)
    unexemplified: list[str] = []
    checked = 0
    for policy in every:
        schema = policies.facts_schema(policy)
        for name, condition in _entries(policy):

            def done_when(step_id: str, policy: Policy = policy) -> Condition | None:
                step = policy.steps_by_id.get(step_id)
                return step.done_when if step is not None else None

            found = example(condition, NOW, done_when, schema_placeholder(schema))
            if found.missing:
                unexemplified.append(f"{policy.ref} {name}")
                continue
            data = {
                "subject": "example",
                "policy": policy.ref,
                "facts": found.facts,
                "attestations": found.attestations,
            }
            document = Document("example.yaml", data, {}, {})
            evidence = build_evidence(document, policy)
            outcome = Evaluator(evidence, NOW).check(condition)
            assert outcome.value is True, (policy.ref, name, found, outcome)
            problems = list(validate_facts(schema, found.facts, document, ("facts",)))
            assert not problems, (policy.ref, name, [p.message for p in problems])
            checked += 1
    assert checked > 60
    # What cannot be exemplified mechanically is rare, and listed here.
    assert unexemplified == [], unexemplified


def test_words() -> None:
    from gatecheck.errors import Location
    from gatecheck.language.conditions import Attested, TimeTest
    from gatecheck.language.operators import OPERATORS

    here = Location("p.yaml", 1, 1)
    attested = Attested("no-open-concerns", "wasmtime-maintainers", None, 1, 182, here)
    assert describe(attested) == [
        "at least 1 attestation of 'no-open-concerns' by wasmtime-maintainers, at most 26 weeks old"
    ]
    from gatecheck.language.conditions import FactRef

    ref = FactRef("fuzzing.since", None, ("fuzzing", "since"))
    time = TimeTest(ref, OPERATORS["older_than"], 7, "7d", here)
    assert describe(time) == ["fuzzing.since is at least 1 week before the judging date"]


def test_both_step_and_rule(tmp_path: Path) -> None:
    project = open_project(str(tmp_path), None, None)
    both = explain(project, "c-api", policy=None, gate=None, now=NOW)
    assert [(item.kind, item.name) for item in both] == [
        ("step", "c-api"),
        ("rule", "enable-by-default/c-api"),
    ]
    (rule,) = explain(project, "rule:c-api", policy=None, gate=None, now=NOW)
    assert rule.steps == ["wasmparser", "config-method", "rust-api", "c-api"]
    (step,) = explain(project, "step:c-api", policy=None, gate=None, now=NOW)
    assert step.needed_by == ["other-languages", "rule enable-by-default/c-api"]
    assert step.yaml[0].strip() == "- id: c-api"
    assert step.yaml[-1].strip().startswith("Extensions to the standard C API")


@pytest.mark.parametrize("name", ["tier-2/phase-3", "phase-3"])
def test_v2_rule(tmp_path: Path, name: str) -> None:
    project = open_project(str(tmp_path), None, None)
    found = explain(project, name, policy="wasm-proposal@2", gate="tier-2", now=NOW)
    assert [item.name for item in found] == ["tier-2/phase-3"]
    assert found[0].words == ["proposal.phase ≥ 3"]


def test_negation_is_listed_not_guessed() -> None:
    from gatecheck.errors import Location
    from gatecheck.language.conditions import AllOf, FactRef, FactTest, Not
    from gatecheck.language.operators import OPERATORS

    here = Location("p.yaml", 1, 1)
    phase = FactTest(
        FactRef("proposal.phase", None, ("proposal", "phase")), OPERATORS["gte"], 4, here
    )
    found = example(AllOf((phase, Not(phase, here)), here), NOW, lambda _step: None)
    assert found.facts == {"proposal": {"phase": 4}}
    assert found.missing == [
        "not: proposal.phase ≥ 4: a negation has no single value that makes it pass"
    ]


def test_the_docs_example_is_what_explain_prints() -> None:
    from tests.support.project import CASES, REPO

    printed = (CASES / "explain-step" / "expected.out").read_text()
    assert printed in (REPO / "docs" / "cli.md").read_text()


COMPARISONS = {
    "docs-early": "{fact: docs.built_on, lte: {fact: release.date, minus: 1d}}",
    "after-freeze": "{fact: release.date, gte: {fact: release.freeze, plus: 2w}}",
    "all-passed": "{fact: tests.passed, eq: {fact: tests.total}}",
    "coverage": "{fact: coverage.after, gt: {fact: coverage.before, minus: 0.5}}",
    "same-name": "{fact: release.name, eq: {fact: docs.name}}",
    "in-items": "{every: {fact: builds, where: {fact: $item.passed, eq: {fact: $item.total}}}}",
}


def test_examples_of_fact_comparisons_pass_and_fit_the_schema(tmp_path: Path) -> None:
    import json

    from tests.support.project import POLICY_HEAD, write_project

    date, text = {"type": "string", "format": "date"}, {"type": "string"}
    counts = {"passed": {"type": "integer"}, "total": {"type": "integer", "minimum": 3}}
    number = {"type": "number"}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "docs": {"type": "object", "properties": {"built_on": date, "name": text}},
            "release": {
                "type": "object",
                "properties": {"date": date, "freeze": date, "name": {"type": "string"}},
            },
            "tests": {"type": "object", "properties": counts},
            "coverage": {"type": "object", "properties": {"before": number, "after": number}},
            "builds": {"type": "array", "items": {"type": "object", "properties": counts}},
        },
    }
    rules = "".join(
        f"      - {{id: {name}, title: R, source: s, require: {require}}}\n"
        for name, require in COMPARISONS.items()
    )
    policy = POLICY_HEAD + "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n" + rules
    write_project(tmp_path, policy, {}, json.dumps(schema))
    policies = load_policies(open_project(str(tmp_path)))
    assert not policies.problems
    (loaded,) = policies.all()
    for gate in loaded.gates:
        for rule in gate.rules:
            found = example(rule.require, NOW, lambda _step: None, schema_placeholder(schema))
            assert found.missing == [], rule.id
            data = {"subject": "example", "policy": "t", "facts": found.facts}
            document = Document("example.yaml", data, {}, {})
            outcome = Evaluator(build_evidence(document, loaded), NOW).check(rule.require)
            assert outcome.value is True, (rule.id, found.facts, outcome)
            problems = list(validate_facts(schema, found.facts, document, ("facts",)))
            assert not problems, (rule.id, [p.message for p in problems])
    project = open_project(str(tmp_path))
    (docs_early,) = explain(project, "docs-early", policy=None, gate=None, now=NOW)
    assert docs_early.words == ["docs.built_on ≤ release.date minus 1 day"]
    assert docs_early.example.facts == {
        "release": {"date": NOW},
        "docs": {"built_on": NOW - dt.timedelta(days=1)},
    }
