"""Project discovery: the root found from the current directory up, its configuration, and the
bundled data only where no project is found (issue 15)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.git import commit, git
from tests.support.project import SHARED

from gatecheck.project.discovery import find_project, layout

SCRIPT = Path(sys.executable).parent / "gatecheck"
NOW = ("--now", "2026-03-05")
NO_PROJECT = "gatecheck: no project here or above"


def _project(root: Path, *, evidence: bool = True) -> Path:
    """The shared `release` project at `root`, with a docs/ directory to run from."""
    shutil.copytree(SHARED / "policies", root / "policies")
    shutil.copytree(SHARED / "schemas", root / "schemas")
    if evidence:
        shutil.copytree(SHARED / "evidence", root / "evidence")
    (root / "docs").mkdir()
    return root


def test_validate_from_a_subdirectory_validates_the_project(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    root = _project(tmp_path / "p")
    monkeypatch.chdir(root / "docs")
    result = run_cli("validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ok: 1 policy (release@1) and 1 evidence file are valid\n"
    assert result.stderr == ""
    # paths in output are relative to the root, wherever the run starts
    evaluated = run_cli("evaluate", "lib", *NOW)
    assert evaluated.stdout.startswith("lib  release@1  evidence/lib.yaml")


def test_a_new_project_without_evidence_gets_no_bundled_evidence(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    root = _project(tmp_path / "p", evidence=False)
    monkeypatch.chdir(root)
    result = run_cli("validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "ok: 1 policy (release@1) and 0 evidence files are valid\n"
    assert "bundled" not in result.stdout + result.stderr
    every = run_cli("evaluate", "--all", *NOW)
    assert every.exit_code == 2
    assert every.stderr.startswith("evidence/: error: --all: no evidence files")
    unknown = run_cli("evaluate", "foo-bar", *NOW)  # the bundled example is not this project's
    assert unknown.exit_code == 2
    assert "no evidence for subject 'foo-bar'" in unknown.stderr


def test_no_project_uses_the_bundled_data_and_says_so_in_one_line(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate")
    assert result.exit_code == 0
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(NO_PROJECT)
    assert result.stderr.endswith("using the bundled policies and evidence\n")
    quiet = run_cli("-q", "validate")
    assert quiet.stderr == ""
    # evidence of one's own, judged by the bundled policies: only those are named
    shutil.copytree(SHARED / "evidence", tmp_path / "evidence")
    (tmp_path / "evidence" / "lib.yaml").unlink()
    assert run_cli("validate").stderr.endswith("using the bundled policies\n")


def test_gatecheck_toml_names_the_directories(run_cli, tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "p"
    shutil.copytree(SHARED / "policies", root / "rules")
    shutil.copytree(SHARED / "schemas", root / "facts-schemas")
    shutil.copytree(SHARED / "evidence", root / "records")
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "gatecheck.toml").write_text(
        '# the process of releasing lib\npolicies = "rules"\nevidence = "records"\n'
        'schemas = "facts-schemas"\n'
    )
    monkeypatch.chdir(root / "sub" / "deeper")
    result = run_cli("evaluate", "lib", *NOW)
    assert result.stdout.startswith("lib  release@1  records/lib.yaml"), result.stderr
    assert result.stderr == ""


def test_pyproject_tool_table_is_a_configuration(run_cli, tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "p"
    shutil.copytree(SHARED / "policies", root / "gates" / "policies")
    shutil.copytree(SHARED / "schemas", root / "gates" / "schemas")
    shutil.copytree(SHARED / "evidence", root / "gates" / "evidence")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "lib"\n\n[tool.gatecheck]\npolicies = "gates/policies"\n'
        'evidence = "gates/evidence"\n'
    )
    monkeypatch.chdir(root)
    result = run_cli("validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: 1 policy (release@1) and 1 evidence file")


def test_a_pyproject_without_the_table_is_not_a_project(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "policies").mkdir()
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    found = find_project(str(tmp_path / "a" / "b"))
    assert found is not None
    assert (found.root, found.marker) == (str(tmp_path), "policies/")


def test_gatecheck_toml_comes_before_pyproject(tmp_path: Path) -> None:
    (tmp_path / "gatecheck.toml").write_text("")
    (tmp_path / "pyproject.toml").write_text('[tool.gatecheck]\nevidence = "nowhere"\n')
    found = find_project(str(tmp_path))
    assert found is not None
    assert found.marker == "gatecheck.toml"


def test_the_search_stops_at_the_top_of_the_repository(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()  # above the repository: someone else's
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "src").mkdir()
    assert find_project(str(tmp_path / "repo" / "src")) is None
    (tmp_path / "repo" / "policies").mkdir()  # the repository's top itself is searched
    found = find_project(str(tmp_path / "repo" / "src"))
    assert found is not None
    assert found.root == str(tmp_path / "repo")


def test_command_line_options_override_the_configuration(
    run_cli, tmp_path: Path, monkeypatch
) -> None:
    root = _project(tmp_path / "p")
    (root / "gatecheck.toml").write_text('evidence = "docs"\n')  # no evidence there
    other = root / "elsewhere"
    shutil.copytree(SHARED / "evidence", other)
    monkeypatch.chdir(root / "docs")
    assert run_cli("validate").stdout.endswith("and 0 evidence files are valid\n")
    # relative to the current directory when --root is not given
    result = run_cli("validate", "--evidence", "../elsewhere")
    assert result.stdout.endswith("and 1 evidence file are valid\n"), result.stderr
    # before the command, too
    before = run_cli("--evidence", "../elsewhere", "validate")
    assert before.stdout.endswith("1 evidence file are valid\n")


def test_root_names_the_project_without_a_search(run_cli, tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path / "p")
    monkeypatch.chdir(tmp_path)
    for args in (("validate", "--root", "p"), ("--root", "p", "validate")):
        result = run_cli(*args)
        assert result.stdout.startswith("ok: 1 policy (release@1)"), result.stderr
    # --root at a directory inside the project: that directory, not the project above it
    inside = run_cli("--root", str(root / "docs"), "validate")
    assert inside.stderr.startswith(f"gatecheck: no project in {root / 'docs'}")
    plan = layout(str(root / "docs"))
    assert plan.fallback


@pytest.mark.parametrize(
    ("config", "expected", "hint"),
    [
        (
            'policies = "policies"\nevidnce = "evidence"\n',
            "gatecheck.toml:2:1: error: unknown key 'evidnce' [bad-config]",
            "did you mean 'evidence'?",
        ),
        (
            "policies = 3\n",
            (
                "gatecheck.toml:1:1: error: 'policies' must be a directory as a non-empty"
                " string, not a number [bad-config]"
            ),
            'policies = "policies"',
        ),
        (
            '\n  evidence = ["a"]\n',
            (
                "gatecheck.toml:2:3: error: 'evidence' must be a directory as a non-empty"
                " string, not an array [bad-config]"
            ),
            "relative to this file",
        ),
        (
            'policies = "rules\n',
            "gatecheck.toml:1:18: error: invalid TOML: illegal character",
            "toml.io",
        ),
        (
            'schemas = "nowhere"\n',
            "gatecheck.toml:1:1: error: schemas = 'nowhere': no such directory [bad-config]",
            "create nowhere/",
        ),
        (
            "policies = 'a'\npolicies = 'b'\n",
            "gatecheck.toml:2:",
            "toml.io",
        ),
        (
            b"policies = '\xff'\n",
            "gatecheck.toml:1:13: error: invalid TOML: the file is not UTF-8 [bad-config]",
            "UTF-8",
        ),
    ],
)
def test_bad_configuration_exits_2_located_with_a_hint(
    run_cli, tmp_path: Path, monkeypatch, config: str | bytes, *, expected: str, hint: str
) -> None:
    root = _project(tmp_path / "p")
    target = root / "gatecheck.toml"
    if isinstance(config, bytes):
        target.write_bytes(config)
    else:
        target.write_text(config)
    monkeypatch.chdir(root / "docs")
    for command in (("validate",), ("evaluate", "lib"), ("check",)):
        result = run_cli(*command)
        assert result.exit_code == 2, (command, result.stderr)
        assert result.stderr.startswith(expected), result.stderr
        assert f"  hint: {hint}" in result.stderr or hint in result.stderr.split("hint:", 1)[1]


def test_bad_pyproject_table_is_located(run_cli, tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path / "p")
    table = '[project]\nname = "x"\n\n[tool.gatecheck]\npolicy = "p"\n'
    (root / "pyproject.toml").write_text(table)
    monkeypatch.chdir(root)
    result = run_cli("validate")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "pyproject.toml:5:1: error: unknown key 'tool.gatecheck.policy' [bad-config]\n"
        "  hint: did you mean 'policies'?"
    )
    (root / "pyproject.toml").write_text("[tool]\ngatecheck = 1\n")
    assert run_cli("validate").stderr.startswith(
        "pyproject.toml:1:1: error: tool.gatecheck is not a table [bad-config]"
    )


def test_check_reads_the_project_found(run_cli, tmp_path: Path, monkeypatch) -> None:
    """`check` from a subdirectory of a repository judges the project, not the bundled data."""
    root = _project(tmp_path / "p", evidence=False)
    git(root, "init", "-q", "-b", "main")
    commit(root, "policies")
    monkeypatch.chdir(root / "docs")
    result = run_cli("check", "--base", "main", *NOW)
    assert result.exit_code == 0, result.stderr
    assert "bundled" not in result.stdout + result.stderr


@pytest.mark.installed
def test_installed_script_finds_the_project_from_a_subdirectory(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", evidence=False)
    (root / "gatecheck.toml").write_text('evidence = "docs"\n')
    result = subprocess.run(
        [str(SCRIPT), "validate"],
        cwd=root / "docs",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok: 1 policy (release@1) and 0 evidence files are valid\n"
    assert result.stderr == ""
    (root / "gatecheck.toml").write_text("evidence = true\n")
    bad = subprocess.run(
        [str(SCRIPT), "validate"],
        cwd=root / "docs",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("gatecheck.toml:1:1: error: 'evidence' must be a directory")
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("config", "kind"),
    [
        ("policies = true\n", "a boolean"),
        ("policies = 2026-03-05\n", "a date or time"),
        ("policies = ''\n", "an empty string"),
        ("[policies]\nname = 'x'\n", "a table"),
    ],
)
def test_every_wrong_type_is_named(run_cli, tmp_path: Path, monkeypatch, config, kind) -> None:
    root = _project(tmp_path / "p")
    (root / "gatecheck.toml").write_text(config)
    monkeypatch.chdir(root)
    result = run_cli("validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("gatecheck.toml:1:"), result.stderr
    assert f"must be a directory as a non-empty string, not {kind} [bad-config]" in result.stderr


def test_a_dotted_key_in_pyproject_is_located(run_cli, tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path / "p")
    (root / "pyproject.toml").write_text('name = "x"\ntool.gatecheck.evidence = 3\n')
    monkeypatch.chdir(root / "docs")
    assert run_cli("validate").stderr.startswith(
        "pyproject.toml:2:16: error: 'tool.gatecheck.evidence' must be a directory"
    )


def test_a_huge_configuration_is_refused(run_cli, tmp_path: Path, monkeypatch) -> None:
    root = _project(tmp_path / "p")
    (root / "gatecheck.toml").write_text("# padding\n" * 200_000)
    monkeypatch.chdir(root)
    result = run_cli("validate")
    assert result.exit_code == 2
    assert result.stderr.startswith("gatecheck.toml:1:1: error: the configuration is larger than")
