"""Loading policies and evidence: versions, schemas, meaning checks, directories, bundled data."""

import datetime as dt
from pathlib import Path

import pytest
from tests.support.project import POLICY_HEAD, write_project

from gatecheck.commands.evaluate import evaluate_subjects
from gatecheck.commands.validate import validate_project
from gatecheck.errors import InvalidInput
from gatecheck.project.bundled import BUNDLED
from gatecheck.project.layout import open_project

GATE = "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
RULE = "      - {id: r, title: R, source: s, require: %s}\n"
EVIDENCE = "subject: s\npolicy: %s\nfacts:\n  a: 1\n"


def problems(root: Path) -> list[tuple[str, str, int, int]]:
    found = validate_project(open_project(str(root))).problems
    assert found, "expected problems"
    return [(p.code, p.location.path, p.location.line, p.location.column) for p in found]


def policy(require: str = "{fact: a, eq: 1}", head: str = POLICY_HEAD) -> str:
    return head + GATE + RULE % require


def test_a_valid_project_validates(tmp_path: Path) -> None:
    root = write_project(tmp_path, policy(), {"s": EVIDENCE % "t"})
    result = validate_project(open_project(str(root)))
    assert result == (("t@1",), ("evidence/s.yaml",), (), (), ())


def _versions(root: Path, *versions: tuple[int, bool]) -> None:
    for version, default in versions:
        head = POLICY_HEAD.replace(
            "version: 1", f"version: {version}\ndefault: {str(default).lower()}"
        )
        (root / "policies" / f"t{version}.yaml").write_text(policy(head=head))


@pytest.mark.parametrize(
    ("versions", "ref", "chosen"),
    [
        (((2, True), (3, False)), "t", "t@2"),
        (((2, False), (3, False)), "t@3", "t@3"),
        (((2, False),), "t", "t@1"),  # with t.yaml itself: versions 1 and 2, neither default
    ],
)
def test_policy_versions(tmp_path: Path, versions, ref: str, chosen: str) -> None:
    root = write_project(tmp_path, policy(), {"s": EVIDENCE % ref})
    _versions(root, *versions)
    if chosen == "t@1" and ref == "t":
        assert [code for code, *_ in problems(root)] == ["unknown-policy"]
        return
    report = evaluate_subjects(
        open_project(str(root)), ["s"], every=False, gate=None, now=dt.date(2026, 1, 1)
    )
    assert report.subjects[0].policy == chosen


def test_two_defaults_and_a_repeated_version_are_problems(tmp_path: Path) -> None:
    root = write_project(tmp_path, policy(), {"s": EVIDENCE % "t@1"})
    _versions(root, (1, True), (2, True), (3, True))  # t.yaml is version 1 already
    found = sorted(problems(root))
    assert found == [
        ("duplicate-default", "policies/t3.yaml", 1, 1),
        ("duplicate-policy", "policies/t1.yaml", 1, 1),
    ]


@pytest.mark.parametrize(
    ("require", "schema", "code", "column"),
    [
        # The facts schema says what each fact is, so a misspelt path or a mismatched operand is
        # an error in the policy, not a silent `missing` in every evaluation.
        (
            "{fact: b, eq: 1}",
            (
                '{"type": "object", "properties": {"a": {"type": "integer"}}, '
                '"additionalProperties": false}'
            ),
            "unknown-fact",
            54,
        ),
        (
            "{fact: a, gte: 2024-01-01}",
            '{"properties": {"a": {"type": "integer"}}}',
            "bad-operand",
            62,
        ),
        (
            "{fact: a, older_than: 7d}",
            '{"properties": {"a": {"type": "integer"}}}',
            "bad-operand",
            69,
        ),
        ("{some: {fact: a}}", '{"properties": {"a": {"type": "integer"}}}', "bad-operand", 61),
        (
            "{fact: a, eq: 1}",
            '{"type": "object", "properties": {"a": {"type": "integr"}}}',
            "bad-schema",
            1,
        ),
    ],
)
def test_policy_checked_against_its_facts_schema(tmp_path, require, schema, code, column) -> None:
    root = write_project(tmp_path, policy(require), {}, schema)
    found = problems(root)
    assert [p[0] for p in found] == [code]
    assert found[0][3] == column


@pytest.mark.parametrize(
    ("schema", "known"),
    [
        # JSON Schema accepts any other key unless told not to; a policy reading one is a typo
        ('{"properties": {"a": {"type": "integer"}}}', False),
        ('{"properties": {"a": {}}, "additionalProperties": false}', False),
        ('{"patternProperties": {"^a": {}}}', False),
        # the author says other keys are allowed, or names none: a free-form map
        ('{"properties": {"a": {}}, "additionalProperties": true}', True),
        ('{"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}', True),
        ('{"patternProperties": {"^b": {}}}', True),
        ('{"type": "object"}', True),
    ],
)
def test_a_fact_path_the_schema_does_not_name_is_unknown(
    tmp_path: Path, schema: str, known: bool
) -> None:
    """Issue 15 item 2: a typo passed when the schema lacked additionalProperties: false."""
    root = write_project(tmp_path, policy("{fact: b, eq: 1}"), {}, schema)
    found = validate_project(open_project(str(root))).problems
    assert [p.code for p in found] == ([] if known else ["unknown-fact"])


def test_facts_schema_that_is_not_json_is_located(tmp_path: Path) -> None:
    root = write_project(tmp_path, policy(), {}, '{"type": "object",\n  oops}')
    assert problems(root) == [("bad-schema", "schemas/t.facts.schema.json", 2, 3)]


def test_no_policy_files(tmp_path: Path) -> None:
    root = write_project(tmp_path, policy(), {})
    (root / "policies" / "t.yaml").unlink()
    assert problems(root) == [("no-policies", "policies/", 0, 0)]


def test_a_root_without_data_uses_the_bundled_policies_and_evidence(tmp_path: Path) -> None:
    project = open_project(str(tmp_path))
    assert project.policies.display == f"{BUNDLED}/policies"
    assert project.evidence.display == f"{BUNDLED}/evidence"
    report = evaluate_subjects(
        project, ["foo-bar"], every=False, gate=None, now=dt.date(2026, 11, 25)
    )
    assert report.subjects[0].evidence == f"{BUNDLED}/evidence/foo-bar.yaml"
    assert report.subjects[0].gates[0].gate == "enable-by-default"


def test_explicit_directories(tmp_path: Path) -> None:
    root = write_project(tmp_path / "elsewhere", policy(), {"s": EVIDENCE % "t"})
    project = open_project(
        str(tmp_path), policies="elsewhere/policies", evidence="elsewhere/evidence"
    )
    assert validate_project(project).evidence == ("elsewhere/evidence/s.yaml",)
    assert root.is_dir()
    with pytest.raises(InvalidInput) as caught:
        open_project(str(tmp_path), policies="nowhere")
    assert caught.value.problems[0].code == "bad-directory"


def test_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    root = write_project(tmp_path, policy(), {"s": EVIDENCE % "t"})
    (root / "evidence" / "s.yaml").unlink()
    (root / "evidence" / "s.yaml").mkdir()  # a directory where a file should be: skipped
    assert validate_project(open_project(str(root))).evidence == ()
    (root / "evidence" / "s.yaml").rmdir()
    (root / "evidence" / "s.yaml").symlink_to(root / "missing.yaml")
    assert validate_project(open_project(str(root))).evidence == ()


def test_evidence_that_is_not_a_mapping(tmp_path: Path) -> None:
    root = write_project(tmp_path, policy(), {"s": "- just\n- a list\n"})
    assert problems(root) == [("wrong-type", "evidence/s.yaml", 1, 1)]


@pytest.mark.parametrize(
    "reference",
    ["#/$defs/missing", "http://example.com/x.json", "other.json#/a", "#/properties/a/items/5"],
)
def test_a_facts_schema_reference_must_point_inside_it(tmp_path: Path, reference: str) -> None:
    schema = '{"type": "object", "properties": {"a": {"$ref": "%s"}}}' % reference  # noqa: UP031
    root = write_project(tmp_path, policy(), {}, schema)
    assert problems(root) == [("bad-schema", "schemas/t.facts.schema.json", 1, 1)]
