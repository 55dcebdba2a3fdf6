"""Loading policy files: read, validate (or trust the cache's earlier validation), compile.

Every policy file is loaded, and each one's problems kept in `Policies.problems` rather than
raised: they are reported together with the evidence's, so one run shows everything to fix.
The heavy validators (pydantic, jsonschema, networkx) run only for a policy whose exact bytes, and
whose facts schema's, have not been validated before; see `cache`.
"""

from __future__ import annotations

import typing
from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Location, Problem, Problems, known_names_hint
from gatecheck.language.policy import Policy, compile_policy
from gatecheck.loading import cache
from gatecheck.loading.documents import load_bytes
from gatecheck.loading.facts_schemas import no_schema, read_facts_schema
from gatecheck.loading.reading import read_input

if TYPE_CHECKING:
    from gatecheck.project.layout import InputFile, Project


class Policies:
    """Every loaded policy, by name and version, with the cache key of each.

    `problems` holds what was wrong with the policy files; they are reported together with the
    evidence's problems, so one run shows everything that needs fixing.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.problems = Problems()
        self.by_name: dict[str, dict[int, Policy]] = {}
        self.keys: dict[str, str] = {}
        self.schemas: dict[str, dict[str, Any]] = {}  # facts schemas by policy ref, once read
        self._names: list[str] | None = None

    def add(self, policy: Policy, key: str) -> Problem | None:
        self._names = None
        versions = self.by_name.setdefault(policy.name, {})
        if policy.version in versions:
            first = versions[policy.version]
            return Problem(
                "duplicate-policy",
                f"policy {policy.ref} is also defined in {first.path}",
                policy.location,
                "give the new one another version number",
            )
        versions[policy.version] = policy
        self.keys[policy.ref] = key
        return None

    def all(self) -> list[Policy]:
        return [p for name in sorted(self.by_name) for _, p in sorted(self.by_name[name].items())]

    def names(self) -> list[str]:
        """Every `name@version` and `name`: one list for all hints about unknown policies."""
        if self._names is None:
            self._names = [p.ref for p in self.all()] + list(self.by_name)
        return self._names

    def resolve(self, ref: str) -> Policy | str:
        """The policy a subject names (`name` for its default version, or `name@version`)."""
        name, _, version = ref.partition("@")
        versions = self.by_name.get(name)
        if versions is None:
            return f"no policy is named '{name}'"
        if version:
            found = versions.get(int(version))
            if found is None:
                listed = ", ".join(f"{name}@{v}" for v in sorted(versions))
                return f"policy {name} has no version {version} (there is {listed})"
            return found
        defaults = [p for p in versions.values() if p.default]
        if len(defaults) == 1:
            return defaults[0]
        if len(versions) == 1:
            return next(iter(versions.values()))
        return f"policy {name} has several versions and none is marked `default: true`"

    def default_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        for versions in self.by_name.values():
            defaults = sorted((p for p in versions.values() if p.default), key=lambda p: p.version)
            problems.extend(
                Problem(
                    "duplicate-default",
                    f"{p.ref} and {defaults[0].ref} are both marked `default: true`",
                    p.location,
                    "mark one version of a policy as the default",
                )
                for p in defaults[1:]
            )
        return problems

    def facts_schema(self, policy: Policy) -> dict[str, Any]:
        schema = self.schemas.get(policy.ref)
        if schema is None:
            found = self.project.schema_file(policy.facts_schema)
            if found is None:  # pragma: no cover - checked when the policy was validated
                raise InvalidInput([no_schema(policy.facts_schema, policy.location)])
            schema = self.schemas[policy.ref] = read_facts_schema(found)[0]
        return schema


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


def _policy_globals() -> frozenset[tuple[str, str]]:
    """The classes and functions a cached compiled policy may name, and nothing else."""
    from gatecheck.errors import Location
    from gatecheck.language import conditions, operators, policy

    classes: list[Any] = [Location, operators.Operator, policy.Step, policy.Rule, policy.Gate]
    classes += [policy.WaiverAuthority, policy.Freshness, policy.DeclaredColumn]
    classes += [Policy, conditions.FactRef, *typing.get_args(conditions.Condition)]
    classes += [operator.func for operator in operators.OPERATORS.values()]
    return frozenset((item.__module__, item.__qualname__) for item in classes)


def _load_policy(file: InputFile, project: Project) -> tuple[Policy, str, dict[str, Any] | None]:
    """The compiled policy, its cache key, and its facts schema if it had to be read."""
    raw = read_input(file)
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
    from gatecheck.evaluation import planning
    from gatecheck.language.conditions import Checks
    from gatecheck.language.shapes import Policy as PolicyModel
    from gatecheck.loading.validation import model_problems

    document = load_bytes(raw, file.display)
    Problems(model_problems(PolicyModel, document)).raise_if_any()
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
    policy = compile_policy(document, checks)
    Problems([*checks.problems, *planning.cycle_problems(policy, document)]).raise_if_any()
    policy = planning.with_order(policy)
    schema_key = cache.digest(schema_raw)
    cache.write("policy", file_key, (data["facts_schema"], schema_key, policy))
    return policy, cache.digest(file_key, schema_key), schema


def policy_option(policies: Policies, ref: str, where: Location) -> Policy:
    """The policy `--policy REF` names (`name@version`, or `name` for its default version).

    Raises an `unknown-policy` problem at `where` (with the versions there are, or a did-you-mean
    hint), or the policy files' own problems when one of them failed to load.
    """
    found = policies.resolve(ref) if is_ref(ref) else f"'{ref}' is not NAME or NAME@VERSION"
    if isinstance(found, Policy):
        return found
    if policies.problems:  # the policy may be one that failed to load: that is what to fix
        raise InvalidInput(policies.problems)
    refs = [p.ref for p in policies.all()]
    raise InvalidInput(
        [
            Problem(
                "unknown-policy",
                f"--policy {ref}: {found}",
                where,
                known_names_hint(ref, refs, "policy"),
            )
        ]
    )


def is_ref(text: str) -> bool:
    """Whether `text` is `name` or `name@version`, as a subject names its policy."""
    name, _, version = text.partition("@")
    return bool(name) and (not version or version.isdigit())
