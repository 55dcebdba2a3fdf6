"""The loaded policies by name and version, and what a reference to one (`name@version`) means.

Evidence names its policy (`policy: NAME` or `NAME@VERSION`), and so may `--policy`: `Policies`
resolves either, to the version marked `default: true` when none is given, and says what is
wrong when it cannot (an unknown name, a missing version, no default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Location, Problem, Problems, known_names_hint
from gatecheck.language.policy import Policy
from gatecheck.loading.facts_schemas import no_schema, read_facts_schema

if TYPE_CHECKING:
    from gatecheck.project.layout import Project


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
