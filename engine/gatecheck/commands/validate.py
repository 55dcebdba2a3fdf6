"""`gatecheck validate`: every policy (with its DAG) and every evidence file, checked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput
from gatecheck.loading.evidence import load_evidence
from gatecheck.loading.policies import load_policies
from gatecheck.project.layout import duplicate_subjects

if TYPE_CHECKING:
    from gatecheck.evaluation.validation_results import Validation
    from gatecheck.project.layout import Project


def validate_project(project: Project) -> Validation:
    """Check every policy (with its DAG) and every evidence file; the problems are the result."""
    from gatecheck.evaluation.validation_results import Validation

    policies = load_policies(project)
    files = project.evidence.yaml_files()
    problems = duplicate_subjects(files)
    try:
        evidence = load_evidence(files, policies)
    except InvalidInput as error:
        problems += error.problems
    if problems:
        return Validation((), (), InvalidInput(problems).problems)
    return Validation(tuple(p.ref for p in policies.all()), tuple(e.path for e in evidence), ())
