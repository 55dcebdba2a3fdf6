"""SUBJECT as a name, a path, a glob or `-`: through click's runner and the installed script."""

from __future__ import annotations

import json
import os
import subprocess
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from tests.support.installed import SCRIPT
from tests.support.project import Run

from gatecheck import limits
from gatecheck.cli.group import cli

if TYPE_CHECKING:
    from pathlib import Path

NOW = ("--now", "2026-03-05")


@pytest.fixture
def here(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared project with a second subject, `app`, as the current directory."""
    lib = (project / "evidence" / "lib.yaml").read_text()
    (project / "evidence" / "app.yaml").write_text(lib.replace("subject: lib", "subject: app"))
    monkeypatch.chdir(project)
    return project


def invoke(*args: str, stdin: bytes | str | None = None) -> Run:
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def judged(*args: str, stdin: bytes | str | None = None) -> list[tuple[str, str]]:
    """(subject, file) of each subject `evaluate --format json` judged."""
    result = invoke("evaluate", *args, *NOW, "--format", "json", stdin=stdin)
    assert result.exit_code == 1, result.stderr  # the shared project's gate fails
    report = json.loads(result.stdout)
    return [
        (item["subject"], item["gates"][0]["rules"][0]["location"]["file"])
        for item in report["subjects"]
    ]


def test_a_name_as_before(here: Path) -> None:
    assert judged("lib") == [("lib", "evidence/lib.yaml")]


@pytest.mark.parametrize("path", ["evidence/lib.yaml", "./evidence/lib.yaml", "ABSOLUTE"])
def test_a_path_in_the_evidence_directory_is_that_subject(here: Path, path: str) -> None:
    path = str(here / "evidence" / "lib.yaml") if path == "ABSOLUTE" else path
    assert judged(path) == [("lib", "evidence/lib.yaml")]


def test_a_path_from_another_directory_is_relative_to_it(here: Path) -> None:
    os.chdir(here / "policies")
    assert judged("../evidence/app.yaml", "--root", "..") == [("app", "evidence/app.yaml")]


def test_a_name_and_its_path_are_judged_once(here: Path) -> None:
    assert judged("lib", "evidence/lib.yaml", "./evidence/lib.yaml", "lib") == [
        ("lib", "evidence/lib.yaml")
    ]


def test_a_file_outside_the_evidence_directory_is_read_where_it_is(here: Path) -> None:
    (here / "drafts").mkdir()
    lib = (here / "evidence" / "lib.yaml").read_text()
    (here / "drafts" / "new.yaml").write_text(lib.replace("subject: lib", "subject: new"))
    assert judged("drafts/new.yaml", "lib") == [
        ("new", "drafts/new.yaml"),
        ("lib", "evidence/lib.yaml"),
    ]


def test_a_file_outside_the_project_is_the_callers_choice(here: Path, tmp_path: Path) -> None:
    lib = (here / "evidence" / "lib.yaml").read_text()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "lib.yaml").write_text(lib)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "peek.yaml").write_text(lib.replace("subject: lib", "subject: peek"))
    (elsewhere / "peek.yaml").symlink_to(secret / "peek.yaml")
    assert judged(str(elsewhere / "lib.yaml")) == [("lib", str(elsewhere / "lib.yaml"))]
    # but a link out of its own directory is not followed
    result = invoke("evaluate", str(elsewhere / "peek.yaml"), *NOW)
    assert result.exit_code == 2
    assert "a symbolic link leads outside its directory" in result.stderr
    assert "[symlink-escape]" in result.stderr


def test_a_files_name_must_be_its_subject(here: Path) -> None:
    (here / "drafts").mkdir()
    (here / "drafts" / "other.yaml").write_text((here / "evidence" / "lib.yaml").read_text())
    result = invoke("evaluate", "drafts/other.yaml", *NOW)
    assert result.exit_code == 2
    assert result.stderr.startswith("drafts/other.yaml:1:10: error: subject 'lib' does not match")


def test_a_missing_path_and_a_path_that_is_not_yaml(here: Path) -> None:
    result = invoke("evaluate", "evidence/nope.yaml", "drafts/x.yaml", "policies/", *NOW)
    assert result.exit_code == 2
    assert "drafts/x.yaml: error: no such file: drafts/x.yaml [no-such-file]" in result.stderr
    assert "evidence/nope.yaml: error: no such file" in result.stderr
    assert "'policies/' is not a subject name nor an evidence file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("evidence/*.yaml", ["app", "lib"]),
        ("./evidence/l*.yaml", ["lib"]),
        ("*", ["app", "lib"]),
        ("[al]*", ["app", "lib"]),
        ("l?b", ["lib"]),
    ],
)
def test_globs_expand_in_sorted_order(here: Path, pattern: str, expected: list[str]) -> None:
    assert [subject for subject, _ in judged(pattern)] == expected


@pytest.mark.parametrize("pattern", ["evidence/z*.yaml", "z*"])
def test_a_glob_that_matches_nothing_is_an_error_naming_it(here: Path, pattern: str) -> None:
    result = invoke("evaluate", pattern, "lib", *NOW)
    assert result.exit_code == 2
    assert f"'{pattern}' matches no evidence file [no-match]" in result.stderr


def test_a_path_glob_skips_files_that_are_not_yaml(here: Path) -> None:
    (here / "evidence" / "README.md").write_text("# not evidence\n")
    assert [subject for subject, _ in judged("evidence/*")] == ["app", "lib"]


def test_a_link_out_of_the_project_is_refused_by_path_and_by_glob(
    here: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text((here / "evidence" / "lib.yaml").read_text().replace("lib", "sneak"))
    (here / "evidence" / "sneak.yaml").symlink_to(outside)
    (here / "drafts").mkdir()
    (here / "drafts" / "sneak.yaml").symlink_to(outside)
    for argument in ("evidence/sneak.yaml", "drafts/sneak.yaml", "drafts/*.yaml", "s*"):
        result = invoke("evaluate", argument, *NOW)
        assert result.exit_code == 2, argument
        assert "a symbolic link leads outside the project root" in result.stderr, argument
        assert "sneak" not in result.stdout


def test_a_linked_directory_out_of_the_project_is_refused(here: Path, tmp_path: Path) -> None:
    away = tmp_path / "away"
    away.mkdir()
    (away / "lib.yaml").write_text((here / "evidence" / "lib.yaml").read_text())
    (here / "linked").symlink_to(away)
    for argument in ("linked/lib.yaml", "linked/*.yaml"):
        result = invoke("evaluate", argument, *NOW)
        assert result.exit_code == 2, argument
        assert "[symlink-escape]" in result.stderr


def test_a_fifo_is_refused_not_waited_for(here: Path) -> None:
    os.mkfifo(here / "evidence" / "pipe.yaml")
    result = invoke("evaluate", "evidence/pipe.yaml", *NOW)
    assert result.exit_code == 2
    assert "a FIFO (named pipe), not a regular file" in result.stderr


def test_stdin_is_one_evidence_document(here: Path) -> None:
    lib = (here / "evidence" / "lib.yaml").read_text()
    new = lib.replace("subject: lib", "subject: piped")
    assert judged("-", "lib", stdin=new) == [("piped", "<stdin>"), ("lib", "evidence/lib.yaml")]


def test_stdin_problems_are_located_at_stdin(here: Path) -> None:
    result = invoke("evaluate", "-", *NOW, stdin="subject: x\npolicy: [\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>:3:1: error:")
    assert "[yaml-syntax]" in result.stderr
    result = invoke("plan", "-", *NOW, stdin="subject: x\npolicy: release\nfacts: {}\nbogus: 1\n")
    assert result.exit_code == 2
    assert "<stdin>:4:1: error:" in result.stderr


def test_huge_stdin_stops_at_the_limit(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    result = invoke("evaluate", "-", *NOW, stdin=b"#" * 5000)
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>:1:1: error: file is 1,001 bytes; the limit is 1,000")


def test_plan_takes_one_subject_in_any_form(here: Path) -> None:
    assert invoke("plan", "evidence/lib.yaml", *NOW).exit_code == 0
    assert invoke("plan", "l*", *NOW).exit_code == 0
    result = invoke("plan", "*", *NOW)
    assert result.exit_code == 2
    assert "'*' matches 2 evidence files (evidence/app.yaml, evidence/lib.yaml)" in result.stderr


@pytest.mark.parametrize(
    ("argument", "why"),
    [
        ("-", "standard input (-) cannot be edited"),
        ("l*", "'l*' is a glob"),
        ("evidence/*.yaml", "is a glob"),
        ("drafts/lib.yaml", "drafts/lib.yaml is not in the evidence directory"),
    ],
)
@pytest.mark.parametrize(
    "command",
    [
        ("record", "{}", "docs", "true"),
        ("attest", "{}", "changelog-reviewed", "--by", "ana"),
        ("waive", "{}", "docs", "--reason", "r", "--approver", "ana", "--expires", "2026-03-10"),
    ],
)
def test_edits_refuse_stdin_globs_and_files_elsewhere(
    here: Path, argument: str, why: str, command: tuple[str, ...]
) -> None:
    (here / "drafts").mkdir()
    (here / "drafts" / "lib.yaml").write_text((here / "evidence" / "lib.yaml").read_text())
    before = (here / "evidence" / "lib.yaml").read_bytes()
    args = [part.replace("{}", argument) for part in command]
    result = invoke(*args, stdin="")
    assert result.exit_code == 2, result.stderr
    assert why in result.stderr
    assert "[not-editable]" in result.stderr
    assert (here / "evidence" / "lib.yaml").read_bytes() == before


def test_an_edit_takes_the_path_of_a_file_in_the_evidence_directory(here: Path) -> None:
    result = invoke("record", "./evidence/lib.yaml", "docs", "true")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "evidence/lib.yaml: docs = true\n"
    assert "docs: true" in (here / "evidence" / "lib.yaml").read_text()


def run_script(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.installed
def test_the_installed_script_takes_each_form(project: Path) -> None:
    lib = (project / "evidence" / "lib.yaml").read_text()
    piped = lib.replace("subject: lib", "subject: piped")
    args = ("evaluate", "lib", "./evidence/lib.yaml", "evidence/*.yaml", "l*", "-", *NOW)
    result = run_script(*args, "--format", "json", cwd=project, stdin=piped)
    assert result.returncode == 1, result.stderr
    assert [item["subject"] for item in json.loads(result.stdout)["subjects"]] == ["lib", "piped"]
    result = run_script("evaluate", "-", *NOW, cwd=project, stdin="facts: [\n")
    assert result.returncode == 2
    assert result.stderr.startswith("<stdin>:2:1: error:")
    assert "Traceback" not in result.stderr
    result = run_script("record", "-", "docs", "true", cwd=project)
    assert result.returncode == 2
    assert "[not-editable]" in result.stderr


def _completions(words: str) -> list[str]:
    env = {
        "_GATECHECK_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(cli, [], prog_name="gatecheck", env=env)
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line]


def test_a_word_like_a_path_is_completed_as_a_file(here: Path) -> None:
    assert _completions("gatecheck evaluate l") == ["plain,lib"]
    assert _completions("gatecheck evaluate lib ev") == ["file,ev"]  # no subject starts so
    assert _completions("gatecheck evaluate lib evidence/l") == ["file,evidence/l"]
    assert _completions("gatecheck plan ./e") == ["file,./e"]
    assert _completions("gatecheck record ../x") == ["file,../x"]
    assert _completions("gatecheck waive lib ./") == []  # RULE is no path


@pytest.mark.installed
def test_the_installed_script_bounds_and_names_stdin(project: Path) -> None:
    huge = "#" * (limits.MAX_FILE_BYTES + 10)
    result = run_script("evaluate", "-", *NOW, cwd=project, stdin=huge)
    assert result.returncode == 2
    assert result.stderr.startswith("<stdin>:1:1: error: file is ")
    assert "[file-too-large]" in result.stderr
    result = run_script("plan", "-", *NOW, cwd=project)
    assert result.returncode == 2
    assert "<stdin>:1:1: error: file is empty" in result.stderr
    closed = subprocess.run(
        ["sh", "-c", f"{SCRIPT} evaluate - <&-"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert closed.returncode == 2
    assert "<stdin>:1:1: error: cannot read file: standard input is closed" in closed.stderr
