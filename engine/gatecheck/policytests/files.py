"""Policy test files (`*.test.yaml`): find them, check them, and turn their cases into `Case`s.

A test file names the policy under test and lists cases; each case has evidence (a file or an
inline mapping, optionally changed by `set`), an evaluation date and the expected verdicts. Every
problem in every file is collected and raised together, located at file:line:column, before any
case runs. docs/testing-policies.md describes the format.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - pydantic needs the real types at runtime
import os
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from gatecheck.errors import InvalidInput, Problem, known_names_hint
from gatecheck.language.shapes import Model, Text
from gatecheck.loading.documents import MAX_FILES, Location, too_many_files
from gatecheck.policytests.evidence import CaseFile, EvidenceLoader, read_document
from gatecheck.policytests.run import (
    GATE,
    RULE,
    STEP,
    Case,
    Expectation,
    PolicyTestReport,
    run_cases,
)
from gatecheck.project.directory import Directory
from gatecheck.project.input_file import InputFile
from gatecheck.project.local_path import LocalPath

if TYPE_CHECKING:
    from gatecheck.language.policy import Policy
    from gatecheck.loading.documents import DataPath, Document
    from gatecheck.loading.pipeline import Policies
    from gatecheck.project.layout import Project

SUFFIXES = (".test.yaml", ".test.yml")
_MAX_DEPTH = 16  # directories below PATH: deep enough for any layout, and no symlink loop hangs

# -- the file format ------------------------------------------------------------------------------

VerdictName = Literal["pass", "fail", "missing", "waived"]
StepStateName = Literal["done", "ready", "blocked"]


def _evidence_kind(value: Any) -> str:
    return "inline" if isinstance(value, dict) else "path"


EvidenceSource = Annotated[
    Annotated[Annotated[str, Field(min_length=1, max_length=1000)], Tag("path")]
    | Annotated[dict[str, Any], Tag("inline")],
    Discriminator(_evidence_kind),
]


class Expect(Model):
    """The outcomes a case asserts: gate and rule verdicts, step states."""

    gates: dict[str, VerdictName] = Field(default_factory=dict)
    # `gate/rule`, or `rule` alone when only one gate has a rule of that id
    rules: dict[str, VerdictName] = Field(default_factory=dict)
    steps: dict[str, StepStateName] = Field(default_factory=dict)


class CaseModel(Model):
    """One case: evidence, optional changes to its facts, a date, and the expected outcomes."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    evidence: EvidenceSource | None = None
    set_: dict[Annotated[str, Field(min_length=1, max_length=500)], Any] = Field(
        default={}, alias="set"
    )
    now: dt.date | None = None
    # Replace the evidence's own (checked as evidence is; `as_of: null` removes it):
    as_of: Any = None
    attestations: Any = None
    waivers: Any = None
    claims: Any = None
    claimed_by: Any = None
    expect: Expect


class PolicyTestModel(Model):
    """A policy test file: the policy under test, defaults for its cases, and the cases."""

    policy: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*(@[0-9]+)?$")]
    description: Text | None = None
    now: dt.date | None = None
    evidence: EvidenceSource | None = None
    cases: Annotated[list[CaseModel], Field(min_length=1)]


# -- running --------------------------------------------------------------------------------------


def run_policy_tests(
    project: Project, paths: list[str], keyword: str | None = None
) -> PolicyTestReport:
    """Load the tests in `paths` (default: the policies' tests/ directory) and run them."""
    from gatecheck.loading.pipeline import load_policies

    files = find_test_files(project, paths)
    policies = load_policies(project)
    cases = load_cases(files, policies, project.root)
    selected = [case for case in cases if keyword is None or keyword.lower() in case.id.lower()]
    if not selected:
        where = files[0].file.display if len(files) == 1 else files[0].tree.display
        raise InvalidInput(
            [
                Problem(
                    "no-tests",
                    f"-k {keyword!r} selects none of the {len(cases)} case(s)",
                    Location(where, 0, 0),
                    "-k matches a substring of `file::case name`, ignoring case",
                )
            ]
        )
    return run_cases(selected, deselected=len(cases) - len(selected))


# -- finding test files ---------------------------------------------------------------------------


def find_test_files(project: Project, paths: list[str]) -> list[CaseFile]:
    """The test files under each PATH (relative to the root), or under the policies' tests/."""
    if not paths:
        policies = project.policies
        tests = Directory(f"{policies.display}/tests", policies.handle.joinpath("tests"))
        if not tests.handle.is_dir():
            raise InvalidInput([_no_tests(f"{tests.display}/", "has no tests/ directory")])
        found = _walk(tests, "", 0, [0])
        if not found:
            raise InvalidInput([_no_tests(f"{tests.display}/", "holds no *.test.yaml files")])
        return found
    found = []
    problems = []
    for path in dict.fromkeys(paths):
        full = os.path.normpath(os.path.join(project.root, path))
        display = os.path.relpath(full, project.root).replace(os.sep, "/")
        if os.path.isfile(full):
            parent = os.path.dirname(full)
            tree = Directory(os.path.dirname(display) or ".", LocalPath(parent))
            name = os.path.basename(full)
            found.append(CaseFile(InputFile(display, LocalPath(full)), full, tree, name))
        elif os.path.isdir(full):
            here = _walk(Directory(display, LocalPath(full)), "", 0, [0])
            if not here:
                problems.append(_no_tests(f"{display}/", "holds no *.test.yaml files"))
            found.extend(here)
        else:
            problems.append(_no_tests(display, "does not exist"))
    if problems:
        raise InvalidInput(problems)
    return list({test.file.display: test for test in found}.values())


def _walk(
    tree: Directory, relative: str, depth: int, listed: list[int], handle: Any = None
) -> list[CaseFile]:
    """Every test file below `tree` (at `relative` inside it, whose `handle` it is), by path.

    `listed` counts the entries seen in the whole walk: past MAX_FILES it stops with a problem,
    so neither a huge tree nor symlinks that loop back up it (each seen up to _MAX_DEPTH times,
    multiplying) can make the walk run on.
    """
    if handle is None:
        handle = tree.handle
    local = str(tree.handle) if isinstance(tree.handle, LocalPath) else None
    found: list[CaseFile] = []
    entries = []
    for entry in handle.iterdir():
        listed[0] += 1
        if listed[0] > MAX_FILES:
            raise InvalidInput([too_many_files(tree.display)])
        entries.append(entry)
    for entry in sorted(entries, key=lambda entry: entry.name):
        name = entry.name
        inner = f"{relative}/{name}" if relative else name
        if name.startswith((".", "__")):
            continue
        if entry.is_dir() and depth < _MAX_DEPTH:
            found.extend(_walk(tree, inner, depth + 1, listed, entry))
        elif name.endswith(SUFFIXES) and entry.is_file():
            on_disk = os.path.join(local, *inner.split("/")) if local is not None else None
            found.append(
                CaseFile(InputFile(f"{tree.display}/{inner}", entry), on_disk, tree, inner)
            )
    return sorted(found, key=lambda test: test.file.display)


def _no_tests(where: str, what: str) -> Problem:
    return Problem(
        "no-tests",
        f"no policy tests to run: {where.rstrip('/')} {what}",
        Location(where, 0, 0),
        "write tests in *.test.yaml files (see docs/testing-policies.md), or name a file or"
        " directory of them",
    )


# -- loading cases --------------------------------------------------------------------------------


def load_cases(files: list[CaseFile], policies: Policies, root: str) -> list[Case]:
    """Every case of every file; raise every problem (the policies' too) together."""
    problems: list[Problem] = list(policies.problems)
    cases: list[Case] = []
    loader = EvidenceLoader(policies, root)
    for test in files:
        try:
            cases.extend(_load_file(test, policies, loader))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return cases


def _load_file(test: CaseFile, policies: Policies, loader: EvidenceLoader) -> list[Case]:
    from gatecheck.language.policy import Policy
    from gatecheck.loading.validation import model_problems

    document = read_document(test.file)
    problems = model_problems(PolicyTestModel, document)
    if problems:
        raise InvalidInput(problems)
    data = document.data
    policy = policies.resolve(data["policy"])
    if not isinstance(policy, Policy):
        if policies.problems:
            raise InvalidInput([])  # the policy may be one that failed to load: that is reported
        refs = [p.ref for p in policies.all()] + list(policies.by_name)
        raise InvalidInput(
            [
                Problem(
                    "unknown-policy",
                    f"the test is of policy '{data['policy']}', but {policy}",
                    document.locate(("policy",)),
                    known_names_hint(data["policy"], refs, "policy"),
                )
            ]
        )
    cases: list[Case] = []
    names: dict[str, int] = {}
    for index, case in enumerate(data["cases"]):
        path: DataPath = ("cases", index)
        first = names.setdefault(case["name"], index)
        if first != index:
            line = document.locate(("cases", first, "name")).line
            problems.append(
                Problem(
                    "duplicate-id",
                    f"case name '{case['name']}' is used twice (first at line {line})",
                    document.locate((*path, "name")),
                    "give each case its own name",
                )
            )
        try:
            cases.append(_case(test, document, path, policy, loader))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return cases


def _case(
    test: CaseFile, document: Document, path: DataPath, policy: Policy, loader: EvidenceLoader
) -> Case:
    data = document.data
    case = data["cases"][path[1]]
    problems = list(_expectation_problems(document, path, policy))
    now = case.get("now", data.get("now"))
    if now is None:
        problems.append(
            Problem(
                "missing-key",
                "the case has no judging date",
                document.locate(path),
                "add `now: YYYY-MM-DD` to the case, or once at the top of the file",
            )
        )
    evidence = None
    if "evidence" not in case and "evidence" not in data:
        problems.append(
            Problem(
                "missing-key",
                "the case has no evidence",
                document.locate(path),
                "add `evidence:` (a file path or a mapping) to the case, or once at the top of"
                " the file",
            )
        )
    else:
        try:
            evidence = loader.evidence(test, document, path, policy)
        except InvalidInput as error:
            problems.extend(error.problems)
    if evidence is not None and now is not None:
        from gatecheck.evaluation.observation import dated_after

        problems.extend(dated_after(evidence, now))
    if problems or evidence is None or now is None:
        raise InvalidInput(problems)
    return Case(
        file=document.path,
        name=case["name"],
        location=document.locate(path),
        evidence=evidence,
        now=now,
        expectations=tuple(_expectations(document, path, policy)),
    )


def _expectations(document: Document, path: DataPath, policy: Policy) -> list[Expectation]:
    expect = document.data["cases"][path[1]]["expect"]
    found = []
    for kind, key in ((GATE, "gates"), (RULE, "rules"), (STEP, "steps")):
        for name, expected in expect.get(key, {}).items():
            full = _rule_key(policy, name) if kind == RULE else name
            where = document.locate_key((*path, "expect", key, name))
            found.append(Expectation(kind, full or name, expected, where))
    return sorted(found, key=lambda expectation: expectation.location)  # in the file's order


def _rule_key(policy: Policy, name: str) -> str | None:
    """`gate/rule` for a rule named either way, or None if it names no single rule."""
    gate_id, slash, rule_id = name.rpartition("/")
    if slash:
        gate = policy.gate(gate_id)
        found = gate is not None and any(rule.id == rule_id for rule in gate.rules)
        return name if found else None
    gates = [gate.id for gate in policy.gates if any(rule.id == name for rule in gate.rules)]
    return f"{gates[0]}/{name}" if len(gates) == 1 else None


def _expectation_problems(document: Document, path: DataPath, policy: Policy) -> list[Problem]:
    expect = document.data["cases"][path[1]]["expect"]
    where = (*path, "expect")
    if not any(expect.get(key) for key in ("gates", "rules", "steps")):
        return [
            Problem(
                "missing-key",
                "`expect` names no gate, rule or step",
                document.locate(where),
                "add gates:, rules: or steps: with the outcomes this case should have",
            )
        ]
    gates = [gate.id for gate in policy.gates]
    problems = [
        _unknown("gate", name, gates, document.locate_key((*where, "gates", name)), policy)
        for name in expect.get("gates", {})
        if name not in gates
    ]
    problems.extend(
        _unknown(
            "step", name, policy.steps_by_id, document.locate_key((*where, "steps", name)), policy
        )
        for name in expect.get("steps", {})
        if name not in policy.steps_by_id
    )
    problems.extend(
        _unknown_rule(name, policy, document.locate_key((*where, "rules", name)))
        for name in expect.get("rules", {})
        if _rule_key(policy, name) is None
    )
    return problems


def _unknown(kind: str, name: str, known: Any, location: Location, policy: Policy) -> Problem:
    return Problem(
        f"unknown-{kind}",
        f"{kind} '{name}' is not in policy {policy.ref}",
        location,
        known_names_hint(name, known, kind),
    )


def _unknown_rule(name: str, policy: Policy, location: Location) -> Problem:
    every = [f"{gate.id}/{rule.id}" for gate in policy.gates for rule in gate.rules]
    gate_id, slash, rule_id = name.rpartition("/")
    if slash:
        gate = policy.gate(gate_id)
        if gate is None:
            return _unknown("gate", gate_id, [g.id for g in policy.gates], location, policy)
        known = [rule.id for rule in gate.rules]
        return Problem(
            "unknown-rule",
            f"gate {gate_id} of policy {policy.ref} has no rule '{rule_id}'",
            location,
            known_names_hint(rule_id, known, "rule"),
        )
    holders = [gate.id for gate in policy.gates if any(rule.id == name for rule in gate.rules)]
    if len(holders) > 1:
        return Problem(
            "unknown-rule",
            f"rule '{name}' is in gates {', '.join(holders)} of policy {policy.ref}",
            location,
            f"name one: {', '.join(f'{gate}/{name}' for gate in holders)}",
        )
    bare = [rule.id for gate in policy.gates for rule in gate.rules]
    return Problem(
        "unknown-rule",
        f"rule '{name}' is not in policy {policy.ref}",
        location,
        known_names_hint(name, bare + every, "rule"),
    )
