"""`gatecheck waive`'s judgement: refuse a waiver that could not count on the day it is written.

The writing itself is `editing`'s; this is the part that needs the subject judged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.commands.subjects import load_subjects
from gatecheck.errors import InvalidInput, Location, Problem

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.project.layout import Project


def refuse_idle_waiver(
    project: Project, subject: str, waiver: dict[str, Any], now: dt.date
) -> None:
    """Refuse to record a waiver that could not count on `now` (`gatecheck waive`).

    A waiver already expired, lasting longer than the policy allows, approved by someone outside
    the policy's approvers (or by the claim's author), or under a policy that accepts no waivers,
    would sit in the evidence doing nothing but look like an exception someone granted.
    """
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.verdicts import waiver_refusal

    (evidence,) = load_subjects(project, [subject], every=False, now=now, single=True)
    refused = waiver_refusal(Evaluator(evidence, now), waiver)
    if refused is not None:
        raise InvalidInput(
            [
                Problem(
                    "idle-waiver",
                    f"the waiver of {waiver['rule']} would not count: {refused}",
                    Location(evidence.path, 0, 0),
                    "fix --approver or --expires (see the policy's `waivers`), or fix the rule",
                )
            ]
        )
