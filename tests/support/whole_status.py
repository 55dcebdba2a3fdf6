"""`status` as it was before it streamed: every subject loaded, judged and planned in memory.

The reference the streamed command is held to (tests/commands/test_status_streamed.py): the
same report, rendered by the same reporters, must give the same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.commands.subjects import load_subjects
from gatecheck.errors import InvalidInput, Problem, known_names_hint

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.evaluation.status_results import StatusReport
    from gatecheck.language.evidence import Evidence
    from gatecheck.project.layout import Project


def whole_status_report(
    project: Project, gate: str | None, now: dt.date, policy: str | None = None
) -> StatusReport:
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.planning import build_plan
    from gatecheck.evaluation.status_results import StatusColumn, StatusDeclared, StatusReport
    from gatecheck.evaluation.verdicts import judge_subject
    from gatecheck.language.evidence import MISSING, lookup

    evidence = load_subjects(project, [], every=True, now=now, policy=policy)
    if gate is None:
        counts: dict[str, int] = {}
        for item in evidence:
            counts[item.policy.ref] = counts.get(item.policy.ref, 0) + 1
        most = max(counts.values())
        judging = next(item.policy for item in evidence if counts[item.policy.ref] == most)
        gate = judging.gates[0].id
    having = [item for item in evidence if item.policy.gate(gate) is not None]
    if not having:
        raise InvalidInput(_unknown_gate(evidence, gate))
    columns: dict[str, StatusColumn] = {}
    declared: dict[str, StatusDeclared] = {}
    stated: dict[str, dict[str, Any]] = {}
    rows = []
    plans = {}
    title = ""
    for item in having:
        policy_gate = item.policy.gate(gate)
        assert policy_gate is not None
        title = title or policy_gate.title
        for rule in policy_gate.rules:
            columns.setdefault(rule.id, StatusColumn(rule.id, rule.title, rule.source))
        for column in item.policy.declared:
            declared.setdefault(column.text, StatusDeclared(column.text, column.title))
        said = {column.text: lookup(item.facts, column.fact)[0] for column in item.policy.declared}
        stated[item.subject] = {fact: value for fact, value in said.items() if value is not MISSING}
        evaluator = Evaluator(item, now)
        rows.append(judge_subject(evaluator, [policy_gate]))
        plans[item.subject] = build_plan(evaluator, gate)
    rows.sort(
        key=lambda row: (
            _status_rank(row.gates[0].status.passing, row.gates[0].claimed),
            row.subject,
        )
    )
    return StatusReport(
        now,
        gate,
        title,
        tuple(columns.values()),
        tuple(rows),
        plans,
        tuple(declared.values()),
        stated,
    )


def _status_rank(passing: bool, claimed: bool) -> int:
    if passing:
        return 2
    return 0 if claimed else 1


def _unknown_gate(evidence: list[Evidence], gate: str) -> list[Problem]:
    by_policy: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_policy.setdefault(item.policy.ref, []).append(item)
    problems = []
    for ref, items in by_policy.items():
        gates = [g.id for g in items[0].policy.gates]
        more = f" and {len(items) - 1} more" if len(items) > 1 else ""
        of = items[0].subject + more
        problems.append(
            Problem(
                "unknown-gate",
                f"--gate {gate}: policy {ref} (of {of}) has no such gate",
                items[0].policy.location,
                known_names_hint(gate, gates, "gate"),
            )
        )
    return problems
