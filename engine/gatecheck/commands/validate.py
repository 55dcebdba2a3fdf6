"""`gatecheck validate`: every policy (with its DAG), evidence file and policy test file, checked.

The policy test files are those `gatecheck test` runs by default (tests/ beside the policies):
loaded and validated as `test` loads them (their evidence, the rules and gates they name), not
run. A project without tests/ has none to check.
"""

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
    """Check every policy (with its DAG), evidence file and policy test; problems are the result."""
    from gatecheck.evaluation.validation_results import Validation
    from gatecheck.policytests.cases import load_cases
    from gatecheck.policytests.files import project_test_files

    policies = load_policies(project)
    files = project.evidence.yaml_files()
    problems = duplicate_subjects(files)
    try:
        evidence = load_evidence(files, policies)
    except InvalidInput as error:
        problems += error.problems
    tests = []
    try:
        tests = project_test_files(project)
        load_cases(tests, policies, project.root)  # raises the policies' problems too
    except InvalidInput as error:
        problems += [problem for problem in error.problems if problem not in problems]
    if problems:
        return Validation((), (), InvalidInput(problems).problems)
    return Validation(
        tuple(p.ref for p in policies.all()),
        tuple(e.path for e in evidence),
        (),
        tests=tuple(test.file.display for test in tests),
    )
