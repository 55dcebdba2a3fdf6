"""Properties that must hold for any input, checked with hypothesis."""

import datetime as dt
import random
import shutil
import tempfile
from pathlib import Path

from hypothesis import strategies as st
from tests.support.project import SHARED
from tests.support.strategies import (
    conditions_strategy,
    dags,
    facts_strategy,
    fuzz,
    not_before_observations,
    release_evidence,
    steps_policy,
    yaml_data,
    yaml_keys,
    yaml_lines_of,
    yaml_text,
)

from gatecheck.errors import InvalidInput
from gatecheck.evaluation.explaining import Evaluator
from gatecheck.evaluation.planning import build_plan
from gatecheck.evaluation.verdicts import evaluate
from gatecheck.language.evidence import Evidence
from gatecheck.language.policy import Policy
from gatecheck.loading.parsing import load_bytes
from gatecheck.reporters import json as json_reporter

# -- plans ----------------------------------------------------------------------------------------


class _DoneSteps(Evaluator):
    """Steps are done when listed in `done` (their done_when is ignored in this property)."""

    def __init__(self, evidence, done) -> None:
        super().__init__(evidence, dt.date(2026, 1, 1))
        self.done = done
        self.truth.step = lambda step_id: step_id in done  # type: ignore[method-assign]

    def step_outcome(self, step_id):
        from gatecheck.evaluation.outcomes import Outcome

        return Outcome(step_id in self.done, ())


def _evidence(policy: Policy) -> Evidence:
    document = load_bytes(b"subject: s\n", "e.yaml")
    return Evidence("s", policy, None, {}, {}, (), (), (), None, document)


@fuzz(150, dag=dags())
def test_plan_respects_every_edge_whatever_the_input_order(dag) -> None:
    order, needs, done = dag
    plan = build_plan(_DoneSteps(_evidence(steps_policy(order, needs)), done), None)
    position = {step.step: index for index, step in enumerate(plan.steps)}
    assert sorted(position) == sorted(order)
    for step, required in needs.items():
        for need in required:
            assert position[need] < position[step]
    for planned in plan.steps:
        if planned.step in done:
            assert planned.status == "done"
        elif all(n in done for n in needs[planned.step]):
            assert planned.status == "ready"
        else:
            assert planned.status == "blocked"
            assert planned.blocked_by == tuple(n for n in needs[planned.step] if n not in done)
    assert list(plan.next) == [s.step for s in plan.steps if s.status == "ready"]


@fuzz(60, dag=dags(), rng=st.randoms(use_true_random=False))
def test_plan_depends_only_on_policy_order_not_on_dict_order(dag, rng: random.Random) -> None:
    order, needs, done = dag
    shuffled = {k: needs[k] for k in rng.sample(list(needs), len(needs))}
    first = build_plan(_DoneSteps(_evidence(steps_policy(order, needs)), done), None)
    second = build_plan(_DoneSteps(_evidence(steps_policy(order, shuffled)), done), None)
    assert first == second


# -- evaluation -----------------------------------------------------------------------------------


@fuzz(60, text=release_evidence(), now=st.dates(dt.date(2026, 1, 1), dt.date(2026, 6, 1)))
def test_evaluation_is_deterministic_and_json_round_trips(text, now) -> None:
    from gatecheck.commands.evaluate import evaluate_subjects
    from gatecheck.project.layout import open_project

    now = not_before_observations(text, now)

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(SHARED, project)
        (project / "evidence" / "lib.yaml").write_text(text)
        first = evaluate_subjects(
            open_project(str(project)), ["lib"], every=False, gate=None, now=now
        )
        second = evaluate_subjects(
            open_project(str(project)), ["lib"], every=False, gate=None, now=now
        )
    assert first == second
    rendered = json_reporter.render(first)
    assert json_reporter.render(json_reporter.load(rendered)) == rendered
    assert evaluate([], now).exit_code() == 0


# -- locations ------------------------------------------------------------------------------------


@fuzz(150, data=st.dictionaries(yaml_keys, yaml_data, min_size=1, max_size=5))
def test_every_position_is_inside_the_file_and_data_survives(data) -> None:
    text = yaml_text(data)
    document = load_bytes(text.encode(), "f.yaml")
    assert document.data == data
    lines = text.split("\n")
    for path, (line, column) in document._positions.items():
        assert 1 <= line <= len(lines), path
        assert 1 <= column <= len(lines[line - 1]) + 1, path


@fuzz(300, raw=st.binary(max_size=300))
def test_any_bytes_load_or_give_located_problems(raw: bytes) -> None:
    try:
        load_bytes(raw, "f.yaml")
    except InvalidInput as error:
        lines = yaml_lines_of(raw)  # YAML 1.1's line breaks, as libyaml counts them
        for problem in error.problems:
            assert 1 <= problem.location.line <= len(lines), problem
            assert 1 <= problem.location.column <= len(lines[problem.location.line - 1]) + 1
            assert problem.code


# -- the fast path agrees with the explaining evaluator -----------------------------------------


@fuzz(400, condition=conditions_strategy(), facts=facts_strategy)
def test_truth_agrees_with_the_explaining_evaluator(condition, facts) -> None:
    document = load_bytes(b"subject: s\n", "e.yaml")
    evidence = Evidence("s", steps_policy([], {}), None, facts, {}, (), (), (), None, document)
    evaluator = Evaluator(evidence, dt.date(2026, 1, 15))
    assert evaluator.truth.holds(condition) == evaluator.check(condition).value
