"""Files to engine objects: read, parse, validate (or trust a cached validation), compile.

Every problem in every file is collected before anything is evaluated, and raised together as one
InvalidInput. The heavy validators (pydantic, jsonschema, networkx) run only for files whose exact
bytes have not been validated before; see `cache`.
"""

from __future__ import annotations

import json
import re
import typing
from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Problem, known_names_hint
from gatecheck.language.evidence import Evidence, build_evidence
from gatecheck.language.policy import Policy, compile_policy
from gatecheck.loading import cache
from gatecheck.loading.documents import MAX_DEPTH, MAX_SCHEMA_NODES, Location, load_bytes

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.cli.progress import Progress
    from gatecheck.loading.documents import Document
    from gatecheck.project.input_file import InputFile
    from gatecheck.project.layout import Project


class Policies:
    """Every loaded policy, by name and version, with the cache key of each.

    `problems` holds what was wrong with the policy files; they are reported together with the
    evidence's problems, so one run shows everything that needs fixing.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.problems: list[Problem] = []
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
                raise InvalidInput([_no_schema(policy.facts_schema, policy.location)])
            schema = self.schemas[policy.ref] = _read_schema(found)[0]
        return schema


def load_policies(project: Project) -> Policies:
    """Load every policy file; problems are kept in `Policies.problems`, not raised."""
    from gatecheck import suggestions

    suggestions.forget()  # a run's hints do not depend on an earlier run in this process
    policies = Policies(project)
    problems = policies.problems
    files = project.policies.yaml_files()
    for file in files:
        try:
            policy, key, schema = _load_policy(file, project)
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        duplicate = policies.add(policy, key)
        if schema is not None and duplicate is None:
            policies.schemas[policy.ref] = schema  # parsed already: spare evidence checks a re-read
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


def _read(file: InputFile) -> bytes:
    if not _utf8(file.display):
        raise InvalidInput(
            [
                Problem(
                    "not-utf8",
                    "file name is not UTF-8",
                    Location(file.display, 1, 1),
                    "rename the file: gatecheck reads files whose names are UTF-8",
                )
            ]
        )
    try:
        return file.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInput(
            [Problem("unreadable", f"cannot read file: {reason}", Location(file.display, 1, 1))]
        ) from None


def _utf8(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (os.listdir gives them as surrogates).

    Such a name cannot be written to a report, a cache key or a git path faithfully.
    """
    try:
        name.encode()
    except UnicodeEncodeError:
        return False
    return True


def _policy_globals() -> frozenset[tuple[str, str]]:
    """The classes and functions a cached compiled policy may name, and nothing else."""
    from gatecheck.language import conditions, operators, policy
    from gatecheck.loading.documents import Location

    classes: list[Any] = [Location, operators.Operator, policy.Step, policy.Rule, policy.Gate]
    classes += [policy.WaiverAuthority, policy.Freshness, policy.DeclaredColumn]
    classes += [Policy, conditions.FactRef, *typing.get_args(conditions.Condition)]
    classes += [operator.func for operator in operators.OPERATORS.values()]
    return frozenset((item.__module__, item.__qualname__) for item in classes)


def _load_policy(file: InputFile, project: Project) -> tuple[Policy, str, dict[str, Any] | None]:
    """The compiled policy, its cache key, and its facts schema if it had to be read."""
    raw = _read(file)
    file_key = cache.digest(raw, file.display)  # locations inside name the file
    entry = cache.read("policy", file_key, _policy_globals())
    if isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[2], Policy):  # noqa: PLR2004
        schema_name, schema_key, policy = entry
        schema_file = project.schema_file(schema_name)
        if schema_file is not None and cache.digest(_read(schema_file)) == schema_key:
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
    problems = model_problems(PolicyModel, document)
    if problems:
        raise InvalidInput(problems)
    data = document.data
    schema_file = project.schema_file(data["facts_schema"])
    if schema_file is None:
        raise InvalidInput([_no_schema(data["facts_schema"], document.locate(("facts_schema",)))])
    schema, schema_raw = _read_schema(schema_file)
    checks = Checks(
        facts_schema=schema,
        step_ids=frozenset(step["id"] for step in data.get("steps", [])),
        judgements=frozenset(data.get("judgements", {})),
        reviewer_groups=frozenset(data.get("reviewers", {})),
    )
    policy = compile_policy(document, checks)
    problems = [*checks.problems, *planning.cycle_problems(policy, document)]
    if problems:
        raise InvalidInput(problems)
    policy = planning.with_order(policy)
    schema_key = cache.digest(schema_raw)
    cache.write("policy", file_key, (data["facts_schema"], schema_key, policy))
    return policy, cache.digest(file_key, schema_key), schema


def _no_schema(name: str, location: Location) -> Problem:
    return Problem(
        "unknown-schema",
        f"facts schema '{name}' was not found",
        location,
        "put it in schemas/ beside policies/, or name a bundled schema",
    )


class _DuplicateKeyError(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's members; a key given twice is an error, as in YAML, not a silent override."""
    result = dict(pairs)
    if len(result) < len(pairs):
        keys = [key for key, _ in pairs]
        raise _DuplicateKeyError(next(key for key in keys if keys.count(key) > 1))
    return result


def _no_constant(name: str) -> Any:
    message = f"{name} is not JSON (Python's json module would accept it)"
    raise ValueError(message)


def _json_depth(value: Any) -> int:
    """How deeply `value` nests lists and objects, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            stack += [
                (child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)
            ]
    return deepest


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: no alternation per character
_JSON_SPACE = str.maketrans("", "", " \t\r\n")


def _json_values(text: str) -> int:
    """How many values a JSON text holds, counted on the text before it is parsed.

    Each value is the first in its list or object, or follows a comma: so many values as commas,
    plus one for each list or object that is not empty, plus the whole. Parsed, 32 MiB of `{},`
    would be 11 million objects.
    """
    bare = _JSON_STRING.sub('""', text).translate(_JSON_SPACE)
    opened = bare.count("{") + bare.count("[") - bare.count("{}") - bare.count("[]")
    return bare.count(",") + opened + 1


def _read_schema(file: InputFile) -> tuple[dict[str, Any], bytes]:
    from gatecheck.language.facts_schema import check_schema

    raw = _read(file)
    try:
        text = raw.decode("utf-8-sig")  # UTF-8 only
        if _json_values(text) > MAX_SCHEMA_NODES:
            raise InvalidInput([_too_many_values(file.display)])
        schema = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except _DuplicateKeyError as error:
        raise InvalidInput(
            [
                Problem(
                    "duplicate-key",
                    f"key '{error.args[0]}' appears twice in one object",
                    Location(file.display, 1, 1),
                    "keep one of them",
                )
            ]
        ) from None
    except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError, an int too long, NaN
        line, column = getattr(error, "lineno", 1), getattr(error, "colno", 1)
        raise InvalidInput(
            [
                Problem(
                    "bad-schema", f"not valid JSON: {error}", Location(file.display, line, column)
                )
            ]
        ) from None
    except RecursionError:  # nested far deeper than MAX_DEPTH: the same problem as below
        too_deep = True
    else:
        too_deep = _json_depth(schema) > MAX_DEPTH
    if too_deep:
        raise InvalidInput(
            [
                Problem(
                    "too-deep",
                    f"JSON nested deeper than {MAX_DEPTH} levels",
                    Location(file.display, 1, 1),
                    "flatten the schema; use $defs and $ref for shared parts",
                )
            ]
        )
    reason = check_schema(schema) if isinstance(schema, dict) else "a schema must be a JSON object"
    if reason is not None:
        raise InvalidInput(
            [
                Problem(
                    "bad-schema", f"not a valid JSON Schema: {reason}", Location(file.display, 1, 1)
                )
            ]
        )
    _check_cost(schema, text, file.display)
    return schema, raw


def _too_many_values(display: str) -> Problem:
    # Counted before the schema is parsed and checked against the metaschema (~0.2 ms a value).
    return Problem(
        "too-many-nodes",
        f"the schema holds more than {MAX_SCHEMA_NODES:,} values",
        Location(display, 1, 1),
        "a facts schema describes facts; split them between policies",
    )


def _check_cost(schema: dict[str, Any], text: str, display: str) -> None:
    """Refuse a `$ref` cycle, and a schema that expands past MAX_SCHEMA_NODES or MAX_DEPTH."""
    from gatecheck.loading.json_positions import json_position
    from gatecheck.loading.schema_tree import SchemaCostError, resolved

    try:
        resolved(schema)
    except SchemaCostError as error:
        where = Location(display, *json_position(text, error.path))
        raise InvalidInput([Problem(error.code, error.message, where, error.hint)]) from None


# -- evidence -------------------------------------------------------------------------------------


def load_evidence(
    files: Iterable[InputFile],
    policies: Policies,
    judged_by: Policy | None = None,
    progress: Progress | None = None,
) -> list[Evidence]:
    """Load and check evidence files; raise every problem, the policies' too, together.

    With `judged_by`, evidence that names any version of that policy is checked against, and
    judged by, `judged_by` instead (`--policy`); other evidence keeps the policy it names.
    """
    loaded: list[Evidence] = []
    problems: list[Problem] = list(policies.problems)
    listed = list(files)
    for done, file in enumerate(listed):
        if progress is not None:
            progress("loading", done, len(listed))
        try:
            loaded.append(_load_one(file, policies, judged_by))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return loaded


def policy_option(policies: Policies, ref: str, where: Location) -> Policy:
    """The policy `--policy REF` names (`name@version`, or `name` for its default version).

    Raises an `unknown-policy` problem at `where` (with the versions there are, or a did-you-mean
    hint), or the policy files' own problems when one of them failed to load.
    """
    found = policies.resolve(ref) if _is_ref(ref) else f"'{ref}' is not NAME or NAME@VERSION"
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


def _load_one(file: InputFile, policies: Policies, judged_by: Policy | None = None) -> Evidence:
    raw = _read(file)
    document = load_bytes(raw, file.display)
    data = document.data
    ref = data.get("policy") if isinstance(data, dict) else None
    policy: Policy | str | None = None
    if judged_by is not None and isinstance(ref, str) and ref.partition("@")[0] == judged_by.name:
        policy = judged_by  # a version of the policy it names, perhaps another one: --policy
    elif isinstance(ref, str) and _is_ref(ref):
        policy = policies.resolve(ref)
    if isinstance(policy, Policy):
        key = cache.digest(raw, file.stem, policies.keys[policy.ref])
        if cache.read("evidence", key) is True:
            return build_evidence(document, policy)
    else:
        key = None
    problems = _evidence_problems(document, policy, file, policies)
    if problems or not isinstance(policy, Policy):
        raise InvalidInput(problems)  # no problems here: its policy's own problems explain it
    if key is not None:
        cache.write("evidence", key, True)  # noqa: FBT003
    return build_evidence(document, policy)


def _is_ref(text: str) -> bool:
    name, _, version = text.partition("@")
    return bool(name) and (not version or version.isdigit())


def _evidence_problems(
    document: Document, policy: Policy | str | None, file: InputFile, policies: Policies
) -> list[Problem]:
    from gatecheck.language.evidence import evidence_problems
    from gatecheck.language.facts_schema import validate_facts
    from gatecheck.language.shapes import Evidence as EvidenceModel
    from gatecheck.loading.validation import model_problems

    problems = model_problems(EvidenceModel, document)
    if problems:
        return problems
    if not isinstance(policy, Policy):
        if policies.problems:  # the policy may be one that failed to load: that is reported
            return []
        refs = policies.names()
        ref = document.data["policy"]
        return [
            Problem(
                "unknown-policy",
                f"evidence is judged by '{ref}', but {policy}",
                document.locate(("policy",)),
                known_names_hint(ref, refs, "policy"),
            )
        ]
    schema = policies.facts_schema(policy)
    problems.extend(validate_facts(schema, document.data["facts"], document, ("facts",)))
    problems.extend(evidence_problems(document, policy, file.stem))
    return problems
