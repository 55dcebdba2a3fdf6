"""Properties that must hold for any input, checked with hypothesis."""

import datetime as dt
import json
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatecheck import conditions as c
from gatecheck.conditions import AllOf
from gatecheck.errors import InvalidInput
from gatecheck.evaluation import Evaluator
from gatecheck.evidence import Evidence
from gatecheck.operators import OPERATORS
from gatecheck.planning import build_plan, with_order
from gatecheck.policy import Policy, Step
from gatecheck.reporters import json as json_reporter
from gatecheck.source import Location, load_bytes
from gatecheck.verdicts import evaluate

HERE = Location("p.yaml", 1, 1)


# -- plans ----------------------------------------------------------------------------------------


@st.composite
def dags(draw):
    """A random DAG as (step ids, needs), listed in a random order, and a set of done steps."""
    size = draw(st.integers(min_value=1, max_value=25))
    ids = [f"s{i}" for i in range(size)]  # topological by index: needs point to lower indexes
    needs = {
        step: sorted(draw(st.sets(st.sampled_from(ids[:i]), max_size=4)) if i else [])
        for i, step in enumerate(ids)
    }
    order = draw(st.permutations(ids))
    done = draw(st.sets(st.sampled_from(ids)))
    return order, needs, done


def _policy(order, needs) -> Policy:
    steps = tuple(
        Step(s, s, "src", tuple(needs[s]), AllOf((), HERE), None, HERE, ()) for s in order
    )
    policy = Policy(
        name="p",
        version=1,
        default=False,
        title="P",
        source_title="src",
        source_url=None,
        facts_schema="s.json",
        judgements={},
        reviewers={},
        steps=steps,
        steps_by_id={s.id: s for s in steps},
        gates=(),
        path="p.yaml",
        location=HERE,
    )
    return with_order(policy)


class _DoneSteps(Evaluator):
    """Steps are done when listed in `done` (their done_when is ignored in this property)."""

    def __init__(self, evidence, done) -> None:
        super().__init__(evidence, dt.date(2026, 1, 1))
        self.done = done
        self.truth.step = lambda step_id: step_id in done  # type: ignore[method-assign]

    def step_outcome(self, step_id):
        from gatecheck.evaluation import Outcome

        return Outcome(step_id in self.done, ())


def _evidence(policy: Policy) -> Evidence:
    document = load_bytes(b"subject: s\n", "e.yaml")
    return Evidence("s", policy, None, {}, {}, (), (), (), None, document)


@given(dags())
@settings(max_examples=150, deadline=None)
def test_plan_respects_every_edge_whatever_the_input_order(dag) -> None:
    order, needs, done = dag
    plan = build_plan(_DoneSteps(_evidence(_policy(order, needs)), done), None)
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


@given(dags(), st.randoms(use_true_random=False))
@settings(max_examples=60, deadline=None)
def test_plan_depends_only_on_policy_order_not_on_dict_order(dag, rng: random.Random) -> None:
    order, needs, done = dag
    shuffled = {k: needs[k] for k in rng.sample(list(needs), len(needs))}
    first = build_plan(_DoneSteps(_evidence(_policy(order, needs)), done), None)
    second = build_plan(_DoneSteps(_evidence(_policy(order, shuffled)), done), None)
    assert first == second


# -- evaluation -----------------------------------------------------------------------------------

facts_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.text("abc", max_size=3)
    | st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text("xyz", min_size=1, max_size=2), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def release_evidence(draw) -> str:
    """Evidence for the fixture `release` policy, with facts of every shape, valid or not."""
    tests = draw(
        st.fixed_dictionaries(
            {}, optional={"passed": st.integers(0, 9), "failed": st.integers(0, 3)}
        )
    )
    platforms = draw(st.dictionaries(st.sampled_from(["linux", "macos", "win"]), st.booleans()))
    since = draw(st.dates(dt.date(2026, 1, 1), dt.date(2026, 4, 1)))
    lines = ["subject: lib", "policy: release", "facts:"]
    if tests:
        lines.append(f"  tests: {json.dumps(tests)}")
    lines.append(f"  platforms: {json.dumps(platforms)}")
    lines.append(f"  beta: {{since: {since.isoformat()}}}")
    if draw(st.booleans()):
        lines.append(
            "attestations:\n  - {judgement: changelog-reviewed, by: ana, date: 2026-02-01}"
        )
    return "\n".join(lines) + "\n"


@given(release_evidence(), st.dates(dt.date(2026, 1, 1), dt.date(2026, 6, 1)))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_evaluation_is_deterministic_and_json_round_trips(project, text, now) -> None:
    from gatecheck.commands import evaluate_subjects
    from gatecheck.project import open_project

    (project / "evidence" / "lib.yaml").write_text(text)
    first = evaluate_subjects(open_project(str(project)), ["lib"], every=False, gate=None, now=now)
    second = evaluate_subjects(open_project(str(project)), ["lib"], every=False, gate=None, now=now)
    assert first == second
    rendered = json_reporter.render(first)
    assert json_reporter.render(json_reporter.load(rendered)) == rendered
    assert evaluate([], now).exit_code() == 0


# -- locations ------------------------------------------------------------------------------------

yaml_keys = st.text("abcdefgh_-", min_size=1, max_size=6)
yaml_scalars = st.one_of(
    st.integers(-1000, 1000), st.booleans(), st.none(), st.text("abc xyz:#-'\"", max_size=8)
)
yaml_data = st.recursive(
    yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(yaml_keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=20,
)


def _dump(value, indent: int = 0) -> list[str]:
    """Block-style YAML written by hand, so the test does not trust another YAML writer."""
    pad = " " * indent
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{key}:")
                out.extend(_dump(item, indent + 2))
            else:
                out.append(f"{pad}{key}: {json.dumps(item) if item != [] else '[]'}")
        return out
    out = []
    for item in value:
        if isinstance(item, dict | list) and item:
            out.append(f"{pad}-")
            out.extend(_dump(item, indent + 2))
        else:
            out.append(f"{pad}- {json.dumps(item) if item != [] else '[]'}")
    return out


@given(st.dictionaries(yaml_keys, yaml_data, min_size=1, max_size=5))
@settings(max_examples=150, deadline=None)
def test_every_position_is_inside_the_file_and_data_survives(data) -> None:
    text = "\n".join(_dump(data)) + "\n"
    document = load_bytes(text.encode(), "f.yaml")
    assert document.data == data
    lines = text.split("\n")
    for path, (line, column) in document._positions.items():
        assert 1 <= line <= len(lines), path
        assert 1 <= column <= len(lines[line - 1]) + 1, path


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_bytes_load_or_give_located_problems(raw: bytes) -> None:
    try:
        load_bytes(raw, "f.yaml")
    except InvalidInput as error:
        line_count = len(re.split(rb"\r\n|\r|\n", raw))  # YAML's line breaks, as libyaml counts

        for problem in error.problems:
            assert 1 <= problem.location.line <= line_count + 1
            assert problem.location.column >= 1
            assert problem.code


# -- the fast path agrees with the explaining evaluator -----------------------------------------


FACT_NAMES = ["a", "b", "m", "l"]
fact_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from(["x", "y", ""]),
    st.dates(dt.date(2025, 12, 1), dt.date(2026, 2, 1)),
)
facts_strategy = st.dictionaries(
    st.sampled_from(FACT_NAMES),
    st.one_of(
        fact_value,
        st.lists(fact_value, max_size=3),
        st.dictionaries(st.sampled_from(["x", "y", "z"]), fact_value, max_size=3),
    ),
)


def _ref(inside: bool):
    plain = st.sampled_from(FACT_NAMES).map(lambda n: c.FactRef(n, None, (n,)))
    if not inside:
        return plain
    variables = st.sampled_from(
        [
            c.FactRef("$item", "$item", ()),
            c.FactRef("$key", "$key", ()),
            c.FactRef("$item.x", "$item", ("x",)),
        ]
    )
    return plain | variables


def conditions_strategy(inside: bool = False):
    operand = st.one_of(st.integers(-1, 3), st.booleans(), st.sampled_from(["x", "y"]))
    leaf = st.one_of(
        st.builds(
            c.FactTest,
            _ref(inside),
            st.sampled_from([OPERATORS[n] for n in ("eq", "ne", "gt", "gte", "lt", "lte")]),
            operand,
            st.just(HERE),
        ),
        st.builds(
            c.FactTest, _ref(inside), st.just(OPERATORS["exists"]), st.booleans(), st.just(HERE)
        ),
        st.builds(
            c.FactTest,
            _ref(inside),
            st.sampled_from([OPERATORS["in"], OPERATORS["not_in"]]),
            st.lists(operand, max_size=3),
            st.just(HERE),
        ),
        st.builds(
            c.TimeTest,
            _ref(inside),
            st.sampled_from([OPERATORS["older_than"], OPERATORS["newer_than"]]),
            st.integers(0, 40),
            st.just("Nd"),
            st.just(HERE),
        ),
    )

    def extend(inner):
        return st.one_of(
            st.builds(c.AllOf, st.lists(inner, min_size=1, max_size=3).map(tuple), st.just(HERE)),
            st.builds(c.AnyOf, st.lists(inner, min_size=1, max_size=3).map(tuple), st.just(HERE)),
            st.builds(c.Not, inner, st.just(HERE)),
        )

    tree = st.recursive(leaf, extend, max_leaves=6)
    if inside:
        return tree
    where = st.none() | conditions_strategy(inside=True)
    collection = _ref(False)
    return (
        tree
        | st.builds(
            c.Quantifier,
            st.sampled_from(["some", "every", "none"]),
            collection,
            where,
            st.just(HERE),
        )
        | st.builds(
            c.CountTest,
            collection,
            where,
            st.sampled_from([OPERATORS[n] for n in ("eq", "gte", "lt")]),
            st.integers(0, 3),
            st.just(HERE),
        )
    )


@given(conditions_strategy(), facts_strategy)
@settings(max_examples=400, deadline=None)
def test_truth_agrees_with_the_explaining_evaluator(condition, facts) -> None:
    document = load_bytes(b"subject: s\n", "e.yaml")
    evidence = Evidence("s", _policy([], {}), None, facts, {}, (), (), (), None, document)
    evaluator = Evaluator(evidence, dt.date(2026, 1, 15))
    assert evaluator.truth.holds(condition) == evaluator.check(condition).value
