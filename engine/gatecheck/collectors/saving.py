"""Write one subject's plan through `editing.evidence_files`, decided under the file's lock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.planning import plan_subject
from gatecheck.errors import InvalidInput

if TYPE_CHECKING:
    from gatecheck.collectors.planning import Plan
    from gatecheck.collectors.revision import PlanContext
    from gatecheck.project.layout import Project


class SubjectWritten(NamedTuple):
    """What `collect` did to one subject's evidence file (or would do, on a dry run)."""

    subject: str
    path: str
    created: bool
    changed: bool
    diff: str
    collected: list[Collected]
    unknown: list[Unknown]
    plan: Plan


def save_subject(
    project: Project,
    subject: str,
    facts: list[Collected | Unknown],
    context: PlanContext,
    *,
    dry_run: bool,
) -> SubjectWritten:
    """Write the plan for `subject`, decided from its file as it is when the lock is held."""
    from gatecheck.editing.evidence_files import REMOVE, Changes, FactChange, edit_evidence

    planned: list[Plan] = []

    def decide(existing: dict[str, Any] | None) -> Changes:
        plan = plan_subject(existing, facts, context)
        planned.append(plan)
        changes = [FactChange(fact, REMOVE) for fact in plan.remove]
        changes += [FactChange(fact, value, source) for fact, (value, source) in plan.facts.items()]
        return Changes(changes, sources=plan.sources, envelope=plan.envelope)

    exists = project.evidence.file(f"{subject}.yaml") is not None
    # A new file describes the revision read: its date is the evidence's `as_of`.
    create = {
        "subject": subject,
        "policy": context.policy.policy,
        "title": subject,
        "as_of": context.revision.date,
    }
    try:
        result = edit_evidence(project, subject, create=create, dry_run=dry_run, decide=decide)
    except InvalidInput as error:
        switch = planned[-1].policy_switch if planned else None
        if switch is None:
            raise
        # what the other version does not have (a waiver of a rule it dropped): say why it matters
        why = (
            f"collect switches the policy from {switch[0]} to {switch[1]}, the version in force "
            f"at {context.revision.short}"
        )
        raise InvalidInput(
            problem._replace(hint=f"{why}; {problem.hint}" if problem.hint else why)
            for problem in error.problems
        ) from None
    return SubjectWritten(
        subject,
        str(result.path),
        not exists,
        result.changed,
        result.diff,
        [fact for fact in facts if isinstance(fact, Collected)],
        [fact for fact in facts if isinstance(fact, Unknown)],
        planned[-1],
    )
