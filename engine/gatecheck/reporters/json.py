"""The `json` format: DESIGN §5's shapes, stable key order, dates as ISO strings.

The status matrix is written by `json_status`; `json_load` reads a report back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.results import Report, SubjectResult
from gatecheck.evaluation.rule_results import Detail, RuleResult
from gatecheck.reporters.json_values import dump, location_data

if TYPE_CHECKING:
    from gatecheck.evaluation.check_results import CheckReport
    from gatecheck.evaluation.plan_results import PlanReport
    from gatecheck.evaluation.results import Report, SubjectResult
    from gatecheck.evaluation.rule_results import Detail, RuleResult
    from gatecheck.evaluation.status_results import StatusReport
    from gatecheck.evaluation.validation_results import Validation


def render(report: Report, *, color: bool = False) -> str:
    del color
    return dump(
        {
            "now": report.now.isoformat(),
            "subjects": [_subject(subject) for subject in report.subjects],
        }
    )


def _planned_steps(plan: PlanReport) -> list[dict[str, Any]]:
    # orjson writes tuples as arrays and a status (a StrEnum) as its value: a 100,000-step plan
    # spares 300,000 copies. A step's location is written as `location_data` writes it.
    return [
        {
            "step": step,
            "title": title,
            "status": status,
            "needs": needs,
            "blocked_by": blocked_by,
            "reason": reason,
            "source": source,
            "location": None
            if location is None
            else {"file": location.path, "line": location.line, "column": location.column},
        }
        for step, title, status, needs, blocked_by, source, reason, location in plan.steps
    ]


def render_plan(plan: PlanReport, *, color: bool = False) -> str:
    del color
    return dump(
        {
            "subject": plan.subject,
            "policy": plan.policy,
            "evidence": plan.evidence,
            "now": plan.now.isoformat(),
            "gate": plan.gate,
            "steps": _planned_steps(plan),
            "next": list(plan.next),
            "remaining": {gate: list(steps) for gate, steps in plan.remaining.items()},
            "gates": [
                {
                    "gate": gate.gate,
                    "status": str(gate.status),
                    "steps": list(gate.steps),
                    "uncovered": [
                        {
                            "rule": rule.rule,
                            "title": rule.title,
                            "status": str(rule.status),
                            "reason": rule.reason,
                            "steps": list(rule.steps),
                            "missing_fact": rule.missing_fact,
                            "location": location_data(rule.location),
                        }
                        for rule in gate.uncovered
                    ],
                }
                for gate in plan.gates
            ],
        }
    )


def render_validation(validation: Validation, *, color: bool = False) -> str:
    del color
    return dump(
        {
            "ok": not validation.problems,
            "policies": list(validation.policies),
            "evidence": list(validation.evidence),
            "problems": [
                {
                    "code": problem.code,
                    "message": problem.message,
                    "hint": problem.hint,
                    "location": location_data(problem.location),
                }
                for problem in validation.problems
            ],
            # `validate FILE...` of schemas or tests: what else it checked
            **({"schemas": list(validation.schemas)} if validation.schemas else {}),
            **({"tests": list(validation.tests)} if validation.tests else {}),
        }
    )


def render_check(check: CheckReport, *, color: bool = False) -> str:
    del color
    return dump(
        {
            "base": check.base,
            "base_commit": check.base_commit,
            "now": check.now.isoformat(),
            "subjects": [
                {
                    **_subject(item.result),
                    "change": item.change,
                    "claims": [
                        {
                            "gate": claim.gate,
                            "implied": claim.implied,
                            "standing": claim.standing,
                            "location": location_data(claim.location),
                            "authors": list(claim.authors),
                        }
                        for claim in item.claims
                    ],
                    "unverified": [
                        {
                            "kind": entry.kind,
                            "who": entry.who,
                            "about": entry.about,
                            "message": entry.message(),
                            "location": location_data(entry.location),
                        }
                        for entry in item.unverified
                    ],
                }
                for item in check.subjects
            ],
            "approved_by": list(check.approved_by),
            "removed": list(check.removed),
            "policy_changes": [
                {
                    "path": change.path,
                    "change": change.change,
                    "detail": change.detail,
                    "fails": check.fails_on(change),
                }
                for change in check.policy_changes
            ],
            "exit_code": check.exit_code(),
        }
    )


def render_status(status: StatusReport) -> str:
    """The status matrix, written by `json_status` (imported here, when it is asked for)."""
    from gatecheck.reporters.json_status import render_status as status_matrix

    return status_matrix(status)


def _subject(subject: SubjectResult) -> dict[str, Any]:
    return {
        "subject": subject.subject,
        "policy": subject.policy,
        "evidence": subject.evidence,
        "now": subject.now.isoformat(),
        "as_of": subject.as_of.isoformat() if subject.as_of else None,
        "gates": [
            {
                "gate": gate.gate,
                "title": gate.title,
                "status": str(gate.status),
                "claimed": gate.claimed,
                "claim": gate.claim,
                "rules": [_rule(rule) for rule in gate.rules],
            }
            for gate in subject.gates
        ],
    }


def _rule(rule: RuleResult) -> dict[str, Any]:
    primary = rule.primary
    data: dict[str, Any] = {
        "rule": rule.rule,
        "title": rule.title,
        "status": str(rule.status),
        "message": rule.message,
    }
    if primary is not None and primary.fact is not None:
        data["fact"] = primary.fact
        data["expected"] = primary.expected
        data["actual"] = primary.actual
    location = primary.location if primary is not None and primary.location else None
    data["location"] = location_data(location or rule.policy_location)
    data["source"] = rule.source
    if primary is not None and primary.passes_on is not None:
        data["passes_on"] = primary.passes_on.isoformat()
    if rule.next_step is not None:
        data["next"] = {
            "step": rule.next_step.step,
            "title": rule.next_step.title,
            "status": str(rule.next_step.status),
            "for_step": rule.next_step.for_step,
        }
    if rule.hint is not None:
        data["hint"] = rule.hint  # the hint shown: the deciding test's, else the rule's own
    if rule.hint is not rule.rule_hint:  # the same object unless a test's hint is shown instead
        data["rule_hint"] = rule.rule_hint
    if rule.waiver is not None:
        data["waiver"] = rule.waiver
    if rule.provenance is not None:
        data["provenance"] = rule.provenance
    data["details"] = [_detail(detail) for detail in rule.details]
    data["policy_location"] = location_data(rule.policy_location)
    return data


def _detail(detail: Detail) -> dict[str, Any]:
    return {
        "message": detail.message,
        "fact": detail.fact,
        "expected": detail.expected,
        "actual": detail.actual,
        "recorded": detail.recorded,
        "location": location_data(detail.location),
        "passes_on": detail.passes_on.isoformat() if detail.passes_on else None,
        "hint": detail.hint,
        "policy_location": location_data(detail.policy_location),
    }


def load(text: str) -> Report:
    """Read `render`'s output back into a Report: see `json_load`."""
    from gatecheck.reporters.json_load import load as read_back

    return read_back(text)
