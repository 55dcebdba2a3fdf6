"""The evidence a command judges: the subjects named (or all), loaded and checked against options.

Shared by `evaluate`, `plan`, `status` and `waive`: `--all`, `--policy NAME@VERSION` and `--gate`
mean the same in each. A SUBJECT is a name, a path, a glob or `-` (`project.subject_arguments`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput, Location, Problem, Problems, known_names_hint
from gatecheck.loading.evidence import load_evidence
from gatecheck.loading.policies import load_policies
from gatecheck.loading.policy_catalogue import policy_option
from gatecheck.project.subject_arguments import edited_subject, subject_files

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.progress import Progress
    from gatecheck.project.input_file import InputFile
    from gatecheck.project.layout import Project


def load_subjects(  # noqa: PLR0913 - the command's options, keyword-only
    project: Project,
    subjects: list[str],
    *,
    every: bool,
    now: dt.date,
    policy: str | None = None,
    progress: Progress | None = None,
    single: bool = False,
) -> list[Evidence]:
    """The subjects' evidence, valid and judgeable on `now` (nothing dated after it).

    With `single` the one SUBJECT must name one file (`plan`): a glob may match more.
    """
    from gatecheck.evaluation.observation import refuse_dated_after

    files = evidence_files(project, subjects, every=every)
    if single and len(files) > 1:
        raise InvalidInput([_many_subjects(subjects[0], files)])
    policies = load_policies(project)
    if policy is None:
        evidence = load_evidence(files, policies, progress=progress)
    else:
        judged_by = judging_policy(project, policies, policy)
        loaded = load_evidence(files, policies, judged_by, progress)
        evidence = _judged_by(project, loaded, judged_by, every=every, option=policy)
    refuse_dated_after(evidence, now)
    return evidence


def _judged_by(
    project: Project, evidence: list[Evidence], policy: Policy, *, every: bool, option: str
) -> list[Evidence]:
    """The evidence `--policy` judges: all of it, or with --all the evidence of that policy.

    Comparing versions is the point, so evidence of another policy is never judged by this one.
    """
    kept = [item for item in evidence if item.policy is policy]
    if every:
        if kept:
            return kept
        raise InvalidInput([no_evidence_of(project, option)])
    others = [item for item in evidence if item.policy is not policy]
    if others:
        raise InvalidInput(
            Problem(
                "policy-mismatch",
                f"--policy {option}: {item.subject} is judged by policy {item.policy.ref},"
                f" not by a version of {policy.name}",
                item.document.locate(("policy",)),
                "--policy compares versions of the policy a subject names; leave it out for"
                f" {item.subject}",
            )
            for item in others
        )
    return kept


def judging_policy(project: Project, policies: Policies, option: str) -> Policy:
    """The policy `--policy NAME@VERSION` names, which judges the evidence of policy NAME."""
    return policy_option(policies, option, Location(project.policies.display + "/", 0, 0))


def no_evidence_of(project: Project, option: str) -> Problem:
    """`--all --policy NAME@VERSION` when no evidence file names policy NAME."""
    return Problem(
        "no-evidence",
        f"--all --policy {option}: no evidence file names policy {option.partition('@')[0]}",
        Location(project.evidence.display + "/", 0, 0),
        "leave out --policy, or name a policy some evidence is judged by",
    )


def evidence_files(project: Project, subjects: list[str], *, every: bool) -> Sequence[InputFile]:
    """The files of the subjects named (each once, in order), or with `every` all of them."""
    if every:
        every_file = project.evidence_files()
        if not every_file:  # an empty run must not pass silently
            raise InvalidInput(
                [
                    Problem(
                        "no-evidence",
                        "--all: no evidence files (*.yaml) found",
                        Location(project.evidence.display + "/", 0, 0),
                        "add evidence/<subject>.yaml, or point --evidence at the directory",
                    )
                ]
            )
        return every_file
    return subject_files(project, subjects)


def _many_subjects(argument: str, files: Sequence[InputFile]) -> Problem:
    shown = ", ".join(file.display for file in files[:3]) + (", ..." if len(files) > 3 else "")  # noqa: PLR2004
    return Problem(
        "many-subjects",
        f"'{argument}' matches {len(files)} evidence files ({shown}): this command takes one",
        Location(files[0].display, 0, 0),
        "name one subject, or a glob that matches one",
    )


def subject_to_edit(project: Project, argument: str) -> str:
    """The subject an edit (`record`, `attest`, `waive`) names: never `-` nor a glob."""
    return edited_subject(project, argument)


def refuse_unknown_gate(evidence: list[Evidence], gate: str | None) -> None:
    """Refuse `--gate` when the policy of some subject has no such gate: one problem each."""
    if gate is None:
        return
    problems = Problems()
    for item in evidence:
        gates = [g.id for g in item.policy.gates]
        if gate not in gates:
            problems.append(
                Problem(
                    "unknown-gate",
                    f"--gate {gate}: policy {item.policy.ref} (of {item.subject}) has no such gate",
                    item.policy.location,
                    known_names_hint(gate, gates, "gate"),
                )
            )
    problems.raise_if_any()
