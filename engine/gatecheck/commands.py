"""What each command does, as plain functions: the CLI parses arguments and calls these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput, Problem, known_names_hint
from gatecheck.loading import load_evidence, load_policies
from gatecheck.source import Location

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.evidence import Evidence
    from gatecheck.project import InputFile, Project
    from gatecheck.report import PlanReport, Report, Validation


def evaluate_subjects(
    project: Project, subjects: list[str], *, every: bool, gate: str | None, now: dt.date
) -> Report:
    from gatecheck.verdicts import evaluate

    evidence = _load(project, subjects, every=every)
    if every and gate is not None:
        # --all --gate G: the subjects whose policy has gate G (an error only if none has it)
        having = [item for item in evidence if item.policy.gate(gate) is not None]
        evidence = having or evidence
    _check_gate(evidence, gate)
    return evaluate(evidence, now, gate)


def plan_subject(project: Project, subject: str, gate: str | None, now: dt.date) -> PlanReport:
    from gatecheck.evaluation import Evaluator
    from gatecheck.planning import build_plan

    (evidence,) = _load(project, [subject], every=False)
    _check_gate([evidence], gate)
    return build_plan(Evaluator(evidence, now), gate)


def validate_project(project: Project) -> Validation:
    """Check every policy (with its DAG) and every evidence file; the problems are the result."""
    from gatecheck.report import Validation

    policies = load_policies(project)
    try:
        evidence = load_evidence(project.evidence.yaml_files(), policies)
    except InvalidInput as error:
        return Validation((), (), error.problems)
    return Validation(tuple(p.ref for p in policies.all()), tuple(e.path for e in evidence), ())


def _load(project: Project, subjects: list[str], *, every: bool) -> list[Evidence]:
    files = _evidence_files(project, subjects, every=every)
    policies = load_policies(project)
    return load_evidence(files, policies)


def _evidence_files(project: Project, subjects: list[str], *, every: bool) -> list[InputFile]:
    if every:
        every_file = project.evidence.yaml_files()
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
    files: list[InputFile] = []
    problems: list[Problem] = []
    for subject in dict.fromkeys(subjects):  # keep order, drop repeats
        try:
            files.append(project.evidence_file(subject))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return files


def _check_gate(evidence: list[Evidence], gate: str | None) -> None:
    if gate is None:
        return
    problems: list[Problem] = []
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
    if problems:
        raise InvalidInput(problems)
