"""`gatecheck validate FILE...`: exactly the files named, each checked with what it needs.

What a file is, is decided in this order (docs/cli.md#gatecheck-validate):

1. a name ending in `.test.yaml` or `.test.yml` is a policy test;
2. a `.json` file is a facts schema if a policy names it (`facts_schema:`) or its name ends in
   `.facts.schema.json` (another, such as gatecheck's own `policy.schema.json`, is not one);
3. a `.yaml` or `.yml` file in the policies directory is a policy, one in the evidence directory
   is evidence (the directory's real path decides, as for SUBJECT);
4. another YAML file is told by its content: a mapping with `subject` is evidence, one with
   `gates` or `steps` a policy;
5. anything else is a `not-validatable` problem that says what validate accepts.

The project's policies are loaded once, however many files are named (`validate evidence/*.yaml`
from a shell). A file's problems are those located in it; when it is invalid only because of
what it needs (the policy an evidence file or a test names failed to load), those are reported.
"""

from __future__ import annotations

import os
from functools import partial
from typing import TYPE_CHECKING, Literal

from gatecheck.errors import InvalidInput, Location, Problem, Problems
from gatecheck.loading.evidence import load_evidence
from gatecheck.loading.input_bytes import read_input
from gatecheck.loading.parsing import load_bytes
from gatecheck.loading.policies import load_policies, policy_file_problems
from gatecheck.project.input_file import YAML_SUFFIXES
from gatecheck.project.subject_arguments import named_file

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.evaluation.validation_results import Validation
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.project.directory import Directory
    from gatecheck.project.input_file import InputFile
    from gatecheck.project.layout import Project

Kind = Literal["policy", "evidence", "schema", "test"]
TEST_SUFFIXES = (".test.yaml", ".test.yml")
ACCEPTED = (
    "validate takes policies (*.yaml in the policies directory, or with `gates:` or `steps:`),"
    " evidence (*.yaml in the evidence directory, or with `subject:`), facts schemas (*.json"
    " a policy names, or *.facts.schema.json)"
    " and policy tests (*.test.yaml)"
)


def validate_files(project: Project, paths: list[str]) -> Validation:
    """Check exactly the files at `paths` (from the current directory); problems are the result."""
    from gatecheck.evaluation.validation_results import Validation

    problems = Problems()
    kinds: dict[Kind, list[InputFile]] = {"policy": [], "evidence": [], "schema": [], "test": []}
    seen: set[str] = set()
    policies = load_policies(project)  # once, however many files
    facts_schemas = frozenset(policy.facts_schema for policy in policies.all())
    for path in paths:
        with problems.collecting():
            file = named_file(project, path)
            if file.display not in seen:
                seen.add(file.display)
                kinds[_kind(project, file, facts_schemas)].append(file)
    valid_policies: list[str] = []
    for file in kinds["policy"]:
        found, refs = _policy_problems(project, policies, file)
        problems.extend(found)
        valid_policies.extend(refs)
    for file in kinds["schema"]:
        problems.extend(_schema_problems(file))
    for file in kinds["evidence"]:
        problems.extend(_needing_policies(policies, partial(load_evidence, [file], policies)))
    if kinds["test"]:
        problems.extend(_test_problems(project, policies, kinds["test"]))
    if problems:
        return Validation((), (), InvalidInput(problems).problems)
    return Validation(
        tuple(valid_policies),
        tuple(file.display for file in kinds["evidence"]),
        (),
        schemas=tuple(file.display for file in kinds["schema"]),
        tests=tuple(file.display for file in kinds["test"]),
    )


def _kind(project: Project, file: InputFile, facts_schemas: frozenset[str]) -> Kind:
    name = file.handle.name
    if name.endswith(TEST_SUFFIXES):
        return "test"
    if name.endswith(".json"):
        if name in facts_schemas or name.endswith(".facts.schema.json"):
            return "schema"
        raise InvalidInput(
            [
                _not_validatable(
                    file, "no policy names it as facts_schema (nor is it *.facts.schema.json)"
                )
            ]
        )
    if not name.endswith(YAML_SUFFIXES):
        raise InvalidInput(
            [_not_validatable(file, "its name ends in neither .yaml, .yml nor .json")]
        )
    if _in(project.policies, file):
        return "policy"
    if _in(project.evidence, file):
        return "evidence"
    data = load_bytes(read_input(file), file.display).data
    if isinstance(data, dict):
        if "subject" in data:
            return "evidence"
        if "gates" in data or "steps" in data:
            return "policy"
    raise InvalidInput(
        [_not_validatable(file, "it is in neither directory and has no subject, gates nor steps")]
    )


def _in(directory: Directory, file: InputFile) -> bool:
    """Whether `file` is one of `directory`'s own (not in a folder below it, such as tests/)."""
    return file.display.rpartition("/")[0] == directory.display


def _not_validatable(file: InputFile, why: str) -> Problem:
    return Problem(
        "not-validatable",
        f"not a file validate checks: {why}",
        Location(file.display, 0, 0),
        ACCEPTED,
    )


def _policy_problems(
    project: Project, policies: Policies, file: InputFile
) -> tuple[list[Problem], list[str]]:
    """A policy's problems (with its facts schema's) and, when valid, its refs."""
    loaded = [policy for policy in policies.all() if policy.location.path == file.display]
    if not _in(project.policies, file):
        policy, problems = policy_file_problems(file, project)
        return problems, [policy.ref] if policy is not None else []
    where = {file.display, *_schema_display(project, file)}
    problems = [problem for problem in policies.problems if problem.location.path in where]
    return problems, [] if problems else [policy.ref for policy in loaded]


def _schema_display(project: Project, file: InputFile) -> list[str]:
    """How the facts schema a policy file names is shown, if it names one that is there."""
    try:
        data = load_bytes(read_input(file), file.display).data
    except InvalidInput:  # the policy's own problem, reported with the catalogue's
        return []
    name = data.get("facts_schema") if isinstance(data, dict) else None
    found = project.schema_file(name) if isinstance(name, str) else None
    return [found.display] if found is not None else []


def _schema_problems(file: InputFile) -> list[Problem]:
    from gatecheck.loading.facts_schemas import read_facts_schema

    try:
        read_facts_schema(file)
    except InvalidInput as error:
        return list(error.problems)
    return []


def _needing_policies(policies: Policies, load: Callable[[], object]) -> list[Problem]:
    """The problems of a load that raises the policies' problems with its own (load_evidence)."""
    try:
        load()
    except InvalidInput as error:
        theirs = set(policies.problems)
        own = [problem for problem in error.problems if problem not in theirs]
        return own or list(error.problems)  # no problem of its own: its policy's explain it
    return []


def _test_problems(project: Project, policies: Policies, files: list[InputFile]) -> list[Problem]:
    from gatecheck.policytests.cases import load_cases
    from gatecheck.policytests.files import find_test_files

    problems: list[Problem] = []
    for file in files:
        relative = os.path.relpath(str(file.handle), project.root)
        tests = find_test_files(project, [relative])
        problems.extend(
            _needing_policies(policies, partial(load_cases, tests, policies, project.root))
        )
    return problems
