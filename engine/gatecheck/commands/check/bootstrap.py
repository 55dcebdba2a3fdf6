"""A change that adopts gatecheck: the base had no project, so no policy of the base judges it.

The pull request that adds what `gatecheck init` writes has nothing at the base to be judged by:
no configuration, no policies/. A change cannot judge itself, so its own policies only validate
its files (as `validate` does); they are listed as policy changes, subjects that claim nothing
pass, and a claim of a gate whose policy the change adds is refused: it is judged once the
project has landed. A subject whose policy the base already used (the bundled policies stand in
for a base with no project) is judged by it as ever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.check_results import CheckedSubject, PolicyChange
from gatecheck.evaluation.explaining import Evaluator
from gatecheck.evaluation.verdicts import judge_subject

if TYPE_CHECKING:
    from gatecheck.commands.check.judging import Judge
    from gatecheck.language.evidence import Evidence
    from gatecheck.loading.policy_catalogue import Policies


def new_policy(evidence: Evidence, base_policies: Policies) -> bool:
    """Whether the subject's policy is one the base did not have (the change adds it)."""
    return evidence.policy.name not in base_policies.by_name


def unjudged(judge: Judge, evidence: Evidence, change: str) -> CheckedSubject:
    """A subject whose policy is new in the change: its claims found, none of its gates judged."""
    claims = tuple(judge.claims(evidence))
    result = judge_subject(Evaluator(evidence, judge.options.now), [])
    return CheckedSubject(result, change, claims, unjudged=True)


def refusals(
    edits: tuple[PolicyChange, ...], subjects: dict[str, Evidence]
) -> tuple[PolicyChange, ...]:
    """The policy changes, those whose new policy a subject claims a gate of marked as refusing.

    `subjects` holds the claiming subjects whose policy is new, by evidence path.
    """
    claimed: dict[str, list[Evidence]] = {}
    for evidence in subjects.values():
        claimed.setdefault(evidence.policy.path, []).append(evidence)
    changes = list(edits)
    for path, claiming in sorted(claimed.items()):
        names = ", ".join(sorted({evidence.subject for evidence in claiming}))
        policy = claiming[0].policy.name
        detail = (
            f"policy {policy} is new in this change: a claim is judged by the base's policies;"
            f" land the project first, then claim (claimed by {names})"
        )
        refused = PolicyChange(path, "added", detail, with_claims=True)
        at = next((i for i, change in enumerate(changes) if change.path == path), None)
        if at is None:
            changes.append(refused)
        else:
            changes[at] = refused._replace(change=changes[at].change)
    return tuple(changes)
