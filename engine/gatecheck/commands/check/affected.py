"""Which subjects a change concerns, and why: their evidence changed, or the policy judging them."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.commands.check.changes import evidence_changes, evidence_files, evidence_suspects
from gatecheck.errors import InvalidInput
from gatecheck.loading.evidence import each_evidence
from gatecheck.project.layout import duplicate_subjects

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.commands.check.base import Base
    from gatecheck.commands.check.layout import Layout
    from gatecheck.evaluation.check_results import PolicyChange
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.project.input_file import InputFile


class Affected(NamedTuple):
    """The evidence files read now, why each judged one is checked, and the files deleted."""

    files: Sequence[InputFile]  # every evidence file, or those git cannot vouch for and their twins
    reasons: dict[str, str]  # evidence path -> why it is checked: added, modified, policy, all
    removed: tuple[str, ...]  # evidence files the change deletes


def find_affected(
    layout: Layout,
    base: Base,
    current_policies: Policies,
    policy_changes: tuple[PolicyChange, ...],
    *,
    every: bool,
) -> Affected:
    """Validate the evidence the change may touch, and say which subjects are checked and why.

    Evidence the change leaves as it was, under policies and schemas it leaves as they were,
    validates and judges as it did at the base: only the rest is read. A policy the change
    touches concerns every subject that names it, which only reading them all can tell.
    """
    project = layout.project
    changed_policies = changed_policy_names(
        [*current_policies.all(), *base.policies.all()], policy_changes
    )
    whole = every or bool(changed_policies)
    suspects = evidence_suspects(layout, base.evidence)  # None: every file is compared
    if whole or suspects is None:
        files = project.evidence.yaml_files()
        duplicates = duplicate_subjects(files)
    else:
        files = evidence_files(layout, suspects)
        duplicates = duplicate_subjects(files)
    changes, removed = evidence_changes(layout, files, base.evidence, suspects)
    loaded = files if whole else [file for file in files if file.display in changes]
    affected: dict[str, str] = {}  # evidence path -> why it is checked
    try:
        # one file at a time, each let go once its reason is known; every problem raised at the end
        for item in each_evidence(loaded, current_policies):
            change = changes.get(item.path)
            if change is not None:
                affected[item.path] = change
            elif item.policy.name in changed_policies:
                affected[item.path] = "policy"
            elif every:
                affected[item.path] = "all"
    except InvalidInput as error:
        raise InvalidInput([*error.problems, *duplicates]) from None
    if duplicates:
        raise InvalidInput(duplicates)
    return Affected(files, affected, removed)


def changed_policy_names(policies: list[Policy], changes: tuple[PolicyChange, ...]) -> set[str]:
    """Names of the policies a change touches: their file, or the facts schema they use."""
    changed = {change.path for change in changes}
    schema_names = {path.rsplit("/", 1)[-1] for path in changed if path.endswith(".json")}
    return {
        policy.name
        for policy in policies
        if policy.path in changed or policy.facts_schema in schema_names
    }
