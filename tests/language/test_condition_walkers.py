"""The walkers over the condition union reach inside `not` and a quantifier's `where`.

They used to walk children with `getattr(node, "item" | "where")` and spread any tuple; a
condition is itself a tuple (a NamedTuple), so the condition under a `not` or a `where` was spread
into its fields and never walked: a step named there escaped the cycle check (evaluating it then
recursed without end), and the facts read there were missing from `history`'s causes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.support.project import POLICY_HEAD, write_project

from gatecheck.commands.history.reads import dated_reads, facts_read
from gatecheck.language.conditions import step_references

if TYPE_CHECKING:
    from pathlib import Path

NESTED = {
    "all": [
        {"not": {"all": [{"fact": "a.b", "eq": 1}, {"step": "s"}]}},
        {"some": {"fact": "l", "where": {"any": [{"fact": "c", "eq": 2}, {"step": "t"}]}}},
        {
            "count": {"fact": "m", "where": {"not": {"fact": "$item.d", "older_than": "1d"}}},
            "gte": 1,
        },
        {"attested": "review"},
    ]
}


def test_step_references_inside_not_and_where(condition_of: Any) -> None:
    assert sorted(ref.step for ref in step_references(condition_of(NESTED))) == ["s", "t"]


def _stand_in(name: str, **fields: Any) -> Any:
    """An object with only the fields a walker reads (a policy, gate, rule or step)."""
    return type(name, (), fields)()


def test_facts_read_inside_not_and_where(condition_of: Any) -> None:
    steps = {
        "s": _stand_in("Step", done_when=condition_of({"fact": "e", "exists": True})),
        "t": _stand_in("Step", done_when=condition_of({"not": {"fact": "f", "eq": 0}})),
    }
    found = facts_read(condition_of(NESTED), _stand_in("Policy", steps_by_id=steps))
    assert found == {"a.b", "l", "c", "m", "e", "f"}


def test_dated_reads_inside_not(condition_of: Any) -> None:
    rule = _stand_in("Rule", require=condition_of(NESTED))
    gate = _stand_in("Gate", rules=(rule,), claimed_when=None)
    assert dated_reads(_stand_in("Policy", gates=(gate,), steps=())) == frozenset({"m"})


def test_a_cycle_through_not_is_a_problem(tmp_path: Path, run_cli: Any) -> None:
    policy = POLICY_HEAD + (
        "steps:\n"
        "  - {id: a, title: A, source: s, done_when: {not: {step: b}}}\n"
        "  - {id: b, title: B, source: s, done_when: {step: a}}\n"
        "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
        "      - {id: r, title: R, source: s, require: {step: a}, steps: [a]}\n"
    )
    root = write_project(tmp_path, policy, {"s": "subject: s\npolicy: t\nfacts:\n  x: 1\n"})
    run = run_cli("validate", "--root", str(root))
    assert run.exit_code == 2, run.stdout
    assert "steps depend on each other in a cycle" in run.stderr
    assert "[dependency-cycle]" in run.stderr
