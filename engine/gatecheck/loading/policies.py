"""Loading policy files: read, validate (or trust the cache's earlier validation), compile.

Every policy file is loaded into one `Policies` catalogue, and each one's problems kept in
`Policies.problems` rather than raised: they are reported together with the evidence's, so one
run shows everything to fix.
The heavy validators (pydantic, jsonschema, networkx) run only for a policy whose exact bytes, and
whose facts schema's, have not been validated before; see `cache`.
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

from gatecheck import limits
from gatecheck.errors import InvalidInput, Location, Problem, Problems
from gatecheck.language.policy import Policy
from gatecheck.loading import cache
from gatecheck.loading.facts_schemas import no_schema, read_facts_schema
from gatecheck.loading.input_bytes import read_input
from gatecheck.loading.parsing import load_bytes
from gatecheck.loading.policy_catalogue import Policies

if TYPE_CHECKING:
    from gatecheck.project.input_file import InputFile
    from gatecheck.project.layout import Project


def load_policies(project: Project) -> Policies:
    """Load every policy file; problems are kept in `Policies.problems`, not raised."""
    from gatecheck import suggestions

    suggestions.forget()  # a run's hints do not depend on an earlier run in this process
    policies = Policies(project)
    problems = policies.problems
    files = project.policies.yaml_files()
    for file in files:
        with problems.collecting():
            policy, key, schema = _load_policy(file, project)
            duplicate = policies.add(policy, key)
            if schema is not None and duplicate is None:
                policies.schemas[policy.ref] = schema  # parsed already: spare evidence a re-read
            if duplicate is not None:
                problems.append(duplicate)
    problems.extend(policies.default_problems())
    if not files:
        problems.append(
            Problem(
                "no-policies",
                "no policy files (*.yaml) found",
                Location(project.policies.display + "/", 0, 0),
                "add a policy, or run from a directory without policies/ to use the bundled ones",
            )
        )
    return policies


def policy_file_problems(file: InputFile, project: Project) -> tuple[Policy | None, list[Problem]]:
    """One policy file loaded alone (`validate FILE` of a policy elsewhere): it, or its problems."""
    try:
        policy, _key, _schema = _load_policy(file, project)
    except InvalidInput as error:
        return None, list(error.problems)
    return policy, []


def _policy_globals() -> frozenset[tuple[str, str]]:
    """The classes and functions a cached compiled policy may name, and nothing else."""
    from gatecheck.language import conditions, operators, policy

    classes: list[Any] = [Location, operators.Operator, policy.Step, policy.Rule, policy.Gate]
    classes += [policy.WaiverAuthority, policy.Freshness, policy.DeclaredColumn]
    classes += [Policy, conditions.FactRef, conditions.Offset]
    classes += typing.get_args(conditions.Condition)
    classes += [operator.func for operator in operators.OPERATORS.values()]
    return frozenset((item.__module__, item.__qualname__) for item in classes)


def _load_policy(file: InputFile, project: Project) -> tuple[Policy, str, dict[str, Any] | None]:
    """The compiled policy, its cache key, and its facts schema if it had to be read."""
    raw = read_input(file, limits.MAX_POLICY_BYTES)
    file_key = cache.digest(raw, file.display)  # locations inside name the file
    entry = cache.read("policy", file_key, _policy_globals())
    if isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[2], Policy):  # noqa: PLR2004
        schema_name, schema_key, policy = entry
        schema_file = project.schema_file(schema_name)
        if schema_file is not None and cache.digest(read_input(schema_file)) == schema_key:
            return policy, cache.digest(file_key, schema_key), None
    return _validate_policy(file, raw, file_key, project)


def _validate_policy(
    file: InputFile, raw: bytes, file_key: str, project: Project
) -> tuple[Policy, str, dict[str, Any]]:
    from gatecheck.language.compile_checks import Checks
    from gatecheck.language.shapes import PolicyShape
    from gatecheck.loading import step_order
    from gatecheck.loading.validation import model_problems

    document = load_bytes(raw, file.display, policy=True)
    Problems(model_problems(PolicyShape, document)).raise_if_any()
    data = document.data
    schema_file = project.schema_file(data["facts_schema"])
    if schema_file is None:
        raise InvalidInput([no_schema(data["facts_schema"], document.locate(("facts_schema",)))])
    schema, schema_raw = read_facts_schema(schema_file)
    checks = Checks(
        facts_schema=schema,
        step_ids=frozenset(step["id"] for step in data.get("steps", [])),
        judgements=frozenset(data.get("judgements", {})),
        reviewer_groups=frozenset(data.get("reviewers", {})),
    )
    from gatecheck.language.policy_compiler import compile_policy  # a cached run never compiles

    policy = compile_policy(document, checks)
    Problems([*checks.problems, *step_order.cycle_problems(policy, document)]).raise_if_any()
    policy = step_order.with_order(policy)
    schema_key = cache.digest(schema_raw)
    cache.write("policy", file_key, (data["facts_schema"], schema_key, policy))
    return policy, cache.digest(file_key, schema_key), schema
