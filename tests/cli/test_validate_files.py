"""`gatecheck validate FILE...`: exactly the files named, each told apart, with what it needs."""

from __future__ import annotations

import json
import subprocess
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from tests.support.installed import SCRIPT
from tests.support.project import Run

from gatecheck.cli.group import cli

if TYPE_CHECKING:
    from pathlib import Path

TEST = (
    "policy: release@1\nnow: 2026-03-05\nevidence: ../../evidence/lib.yaml\ncases:\n"
    "  - name: tests fail\n    expect: {rules: {tests-pass: fail}}\n"
)


@pytest.fixture
def here(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared project, with a policy test and a second subject, as the current directory."""
    lib = (project / "evidence" / "lib.yaml").read_text()
    (project / "evidence" / "app.yaml").write_text(lib.replace("subject: lib", "subject: app"))
    (project / "policies" / "tests").mkdir()
    (project / "policies" / "tests" / "release.test.yaml").write_text(TEST)
    monkeypatch.chdir(project)
    return project


def validate(*files: str, fmt: str = "text") -> Run:
    result = CliRunner().invoke(cli, ["validate", *files, "--format", fmt], catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def test_each_kind_and_a_mix(here: Path) -> None:
    assert validate("evidence/lib.yaml").stdout == "ok: 1 evidence file is valid\n"
    assert validate("policies/release.yaml").stdout == (
        "ok: 1 policy (release@1) and 0 evidence files are valid\n"
    )
    assert validate("schemas/release.facts.schema.json").stdout == "ok: 1 facts schema is valid\n"
    assert validate("policies/tests/release.test.yaml").stdout == (
        "ok: 1 policy test file is valid\n"
    )
    mixed = validate(
        "evidence/app.yaml",
        "./evidence/lib.yaml",
        str(here / "evidence" / "lib.yaml"),  # the same file: checked once
        "policies/release.yaml",
        "schemas/release.facts.schema.json",
        "policies/tests/release.test.yaml",
    )
    assert mixed.exit_code == 0, mixed.stderr
    assert mixed.stdout == (
        "ok: 1 policy (release@1), 2 evidence files, 1 facts schema and 1 policy test file"
        " are valid\n"
    )


def test_json_lists_what_was_checked(here: Path) -> None:
    result = validate("evidence/lib.yaml", "schemas/release.facts.schema.json", fmt="json")
    assert json.loads(result.stdout) == {
        "ok": True,
        "policies": [],
        "evidence": ["evidence/lib.yaml"],
        "problems": [],
        "schemas": ["schemas/release.facts.schema.json"],
    }


def test_only_the_named_files_problems(here: Path) -> None:
    app = here / "evidence" / "app.yaml"
    app.write_text(app.read_text().replace("docs: false", "docs: false\n  bogus: [1"))
    assert validate("evidence/lib.yaml").exit_code == 0
    assert validate().exit_code == 2  # the whole project has the problem
    result = validate("evidence/lib.yaml", "evidence/app.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("evidence/app.yaml:")
    assert "evidence/lib.yaml" not in result.stderr


def test_evidence_whose_policy_is_broken_says_why(here: Path) -> None:
    policy = here / "policies" / "release.yaml"
    policy.write_text(policy.read_text() + "bogus: 1\n")
    result = validate("evidence/lib.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("policies/release.yaml:")
    assert "unknown key 'bogus' [unknown-key]" in result.stderr
    assert validate("policies/release.yaml").exit_code == 2


def test_a_policy_whose_facts_schema_is_broken(here: Path) -> None:
    (here / "schemas" / "release.facts.schema.json").write_text('{"type": ')
    result = validate("policies/release.yaml")
    assert result.exit_code == 2
    assert "schemas/release.facts.schema.json:1:" in result.stderr
    assert "[bad-schema]" in result.stderr
    assert "[bad-schema]" in validate("schemas/release.facts.schema.json").stderr


def test_files_elsewhere_are_told_by_content(here: Path) -> None:
    (here / "drafts").mkdir()
    lib = (here / "evidence" / "lib.yaml").read_text()
    (here / "drafts" / "new.yaml").write_text(lib.replace("subject: lib", "subject: new"))
    release = (here / "policies" / "release.yaml").read_text()
    (here / "drafts" / "release-next.yaml").write_text(release.replace("version: 1", "version: 9"))
    (here / "drafts" / "notes.yaml").write_text("todo: [write the policy]\n")
    result = validate("drafts/new.yaml", "drafts/release-next.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ok: 1 policy (release@9) and 1 evidence file are valid\n"
    result = validate("drafts/notes.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "drafts/notes.yaml: error: not a file validate checks: it is in neither directory"
    )
    assert "[not-validatable]" in result.stderr


def test_a_test_fixture_below_policies_is_told_by_content(here: Path) -> None:
    fixtures = here / "policies" / "tests" / "fixtures"
    fixtures.mkdir()
    (fixtures / "lib.yaml").write_text((here / "evidence" / "lib.yaml").read_text())
    result = validate("policies/tests/fixtures/lib.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ok: 1 evidence file is valid\n"


def test_a_file_that_is_none_of_them(here: Path) -> None:
    (here / "README.md").write_text("# hi\n")
    result = validate("README.md", "schemas/other.json", "evidence/none.yaml")
    assert result.exit_code == 2
    assert "README.md: error: not a file validate checks: its name ends in neither" in result.stderr
    assert "hint: validate takes policies" in result.stderr
    assert "evidence/none.yaml: error: no such file: evidence/none.yaml [no-such-file]" in (
        result.stderr
    )
    (here / "schemas" / "other.json").write_text("{}")
    result = validate("schemas/other.json")
    assert result.exit_code == 2
    assert "no policy names it as facts_schema" in result.stderr


def test_a_broken_policy_test(here: Path) -> None:
    test = here / "policies" / "tests" / "release.test.yaml"
    test.write_text(TEST.replace("tests-pass", "no-such-rule"))
    result = validate("policies/tests/release.test.yaml", "evidence/lib.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("policies/tests/release.test.yaml:")
    assert "no-such-rule" in result.stderr


def test_a_link_out_of_the_project_is_refused(here: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text((here / "evidence" / "lib.yaml").read_text())
    (here / "evidence" / "out.yaml").symlink_to(outside)
    result = validate("evidence/out.yaml")
    assert result.exit_code == 2
    assert "[symlink-escape]" in result.stderr


@pytest.mark.installed
def test_the_installed_script_validates_a_shell_expanded_list(here: Path) -> None:
    found = subprocess.run(
        ["sh", "-c", f"{SCRIPT} validate evidence/*.yaml policies/*.yaml"],
        cwd=here,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout == "ok: 1 policy (release@1) and 2 evidence files are valid\n"
    found = subprocess.run(
        [str(SCRIPT), "validate", "gatecheck.toml"],
        cwd=here,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert found.returncode == 2
    assert "[no-such-file]" in found.stderr
    assert "Traceback" not in found.stderr


# -- every format says what was checked, alike --------------------------------------------------


def test_every_format_says_what_was_checked_as_text_does(here: Path) -> None:
    named = (
        "evidence/app.yaml",
        "schemas/release.facts.schema.json",
        "policies/tests/release.test.yaml",
    )
    text = validate(*named).stdout
    assert text == ("ok: 1 evidence file, 1 facts schema and 1 policy test file are valid\n")
    assert validate(*named, fmt="github").stdout == f"gatecheck: {text}"
    assert validate(*named, fmt="markdown").stdout.endswith(f"\n\n{text[4:-1]}.\n")


# -- validate without FILE: the project's policy tests too --------------------------------------


def test_the_projects_policy_tests_are_validated_and_counted(here: Path) -> None:
    result = validate()
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "ok: 1 policy (release@1), 2 evidence files and 1 policy test file are valid\n"
    )
    assert json.loads(validate(fmt="json").stdout)["tests"] == ["policies/tests/release.test.yaml"]


def test_a_misspelt_rule_in_a_policy_test_fails_validate(here: Path) -> None:
    test = here / "policies" / "tests" / "release.test.yaml"
    test.write_text(TEST.replace("tests-pass: fail", "tests-pas: fail"))
    result = validate()
    assert result.exit_code == 2
    assert "policies/tests/release.test.yaml:6:" in result.stderr
    assert "[unknown-rule]" in result.stderr
    github = validate(fmt="github")
    assert github.exit_code == 2
    assert github.stdout.startswith("::error file=policies/tests/release.test.yaml,line=6,")


def test_a_policy_test_is_validated_not_run(here: Path) -> None:
    # a wrong expectation (tests-pass fails for lib): only `gatecheck test` finds it
    test = here / "policies" / "tests" / "release.test.yaml"
    test.write_text(TEST.replace("tests-pass: fail", "tests-pass: pass"))
    assert validate().exit_code == 0


def test_a_project_without_policy_tests_is_valid(here: Path) -> None:
    (here / "policies" / "tests" / "release.test.yaml").unlink()
    (here / "policies" / "tests").rmdir()
    result = validate()
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ok: 1 policy (release@1) and 2 evidence files are valid\n"
