"""The names a shell completes: the project's subjects, gates, rules and steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gatecheck.project.layout import Project

NameKind = Literal["subject", "gate", "rule", "rule-or-step"]


def project_names(project: Project, kind: NameKind) -> list[str]:
    """The sorted names of `kind` in the project: evidence files, or ids from every policy."""
    if kind == "subject":
        return [file.stem for file in project.evidence_files()]
    from gatecheck.loading.policies import load_policies

    names: dict[str, None] = {}
    for policy in load_policies(project).all():
        if kind == "gate":
            names.update((gate.id, None) for gate in policy.gates)
            continue
        names.update((rule.id, None) for gate in policy.gates for rule in gate.rules)
        if kind == "rule-or-step":
            names.update((step.id, None) for step in policy.steps)
    return sorted(names)
