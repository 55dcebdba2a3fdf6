"""`gatecheck plan`: the next steps for one subject, towards one gate or all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.commands.subjects import load_subjects, refuse_unknown_gate

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.evaluation.plan_results import PlanReport
    from gatecheck.project.layout import Project


def plan_subject(
    project: Project, subject: str, gate: str | None, now: dt.date, policy: str | None = None
) -> PlanReport:
    """The next steps for one subject, by its policy or by `policy` (see `evaluate_subjects`)."""
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.planning import build_plan

    (evidence,) = load_subjects(
        project, [subject], every=False, now=now, policy=policy, single=True
    )
    refuse_unknown_gate([evidence], gate)
    return build_plan(Evaluator(evidence, now), gate)
