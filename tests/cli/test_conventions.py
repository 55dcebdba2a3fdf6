"""Command-line habits users bring from other tools (issue 15): options before the command,
-V, -q/-v, colour by --color, NO_COLOR and FORCE_COLOR, and shell completion of the project's
subjects, gates and rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gatecheck import __version__

SCRIPT = Path(sys.executable).parent / "gatecheck"
NOW = ("--now", "2026-03-05")
PASSING = """\
subject: app
policy: release
as_of: 2026-03-01
facts:
  build: {ok: true}
  tests: {passed: 3, failed: 0}
  docs: true
  beta: {since: 2026-01-02}
  platforms: {linux: true, macos: true, windows: false}
attestations:
  - {judgement: changelog-reviewed, by: ana, date: 2026-02-27}
"""


@pytest.fixture
def two(project: Path) -> Path:
    """The shared project with a second subject, `app`, that passes its gate."""
    (project / "evidence" / "app.yaml").write_text(PASSING)
    return project


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(run_cli, flag: str) -> None:
    result = run_cli(flag)
    assert (result.exit_code, result.stdout) == (0, f"gatecheck, version {__version__}\n")


def test_options_before_the_command(run_cli, two: Path) -> None:
    after = run_cli("evaluate", "lib", "--root", str(two), *NOW)
    before = run_cli("--root", str(two), "evaluate", "lib", *NOW)
    assert before == after
    assert before.exit_code == 1
    assert before.stdout.startswith("lib  release@1  evidence/lib.yaml")
    both = run_cli(
        "--root", "/nonexistent", "--color", "never", "evaluate", "lib", "--root", str(two), *NOW
    )
    assert both == after  # after the command wins
    assert run_cli("--root", str(two), "--color", "always", "evaluate", "lib", *NOW).stdout.count(
        "\x1b[31mFAIL"
    )


def test_evaluate_quiet_shows_only_what_does_not_pass(run_cli, two: Path) -> None:
    normal = run_cli("evaluate", "--all", "--root", str(two), *NOW)
    quiet = run_cli("evaluate", "--all", "--root", str(two), *NOW, "-q")
    assert quiet.exit_code == normal.exit_code == 1
    assert "app  release@1" in normal.stdout
    assert "app  release@1" not in quiet.stdout  # its gate passes
    assert "PASS     reviewed" in normal.stdout
    assert "PASS" not in quiet.stdout
    assert "FAIL     tests-pass  All tests pass" in quiet.stdout
    assert "             tests.failed is 2; expected 0" in quiet.stdout
    assert quiet.stdout.splitlines()[-1] == normal.stdout.splitlines()[-1]  # the same summary
    assert run_cli("-q", "evaluate", "--all", "--root", str(two), *NOW) == quiet
    everything_passes = run_cli("evaluate", "app", "--root", str(two), *NOW, "--quiet")
    assert everything_passes.exit_code == 0
    assert everything_passes.stdout == (
        "1 subject, 1 gate: 1 passing, 0 not passing (rules: 4 pass, 0 fail, 0 missing, 0 waived)\n"
    )


def test_evaluate_verbose_explains_passing_rules(run_cli, two: Path) -> None:
    verbose = run_cli("evaluate", "lib", "--root", str(two), *NOW, "-v")
    lines = verbose.stdout.splitlines()
    at = lines.index("    PASS     reviewed    A maintainer reviewed the changelog")
    assert lines[at + 1].startswith("             ")
    assert lines[at + 1] == "             attested by ana"
    assert run_cli("--verbose", "evaluate", "lib", "--root", str(two), *NOW) == verbose


def test_status_quiet_leaves_out_the_subjects_that_pass(run_cli, two: Path) -> None:
    normal = run_cli("status", "--root", str(two), *NOW)
    quiet = run_cli("status", "--root", str(two), *NOW, "-q")
    assert "  app  " in normal.stdout
    assert "passing:" in normal.stdout
    assert "  app  " not in quiet.stdout
    assert "passing:" not in quiet.stdout
    assert "  lib         fail" in quiet.stdout
    assert quiet.stdout.splitlines()[-1] == normal.stdout.splitlines()[-1]
    assert quiet.exit_code == normal.exit_code == 1


def test_status_is_coloured_when_colour_is_on(run_cli, two: Path, monkeypatch) -> None:
    args = ("status", "--root", str(two), *NOW)
    plain = run_cli(*args).stdout
    assert "\x1b[" not in plain
    coloured = run_cli(*args, "--color", "always").stdout
    assert "\x1b[31mfail\x1b[0m" in coloured
    assert "\x1b[32m✓\x1b[0m" in coloured
    assert "\x1b[31m✗\x1b[0m" in coloured
    # with the escapes taken out, the matrix is the same, column for column
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert run_cli(*args).stdout == coloured
    assert run_cli(*args, "--color", "never").stdout == plain


def test_colour_by_environment(monkeypatch) -> None:
    from gatecheck.cli.output import use_color

    monkeypatch.setattr("sys.stdout.isatty", lambda: False, raising=False)
    assert use_color("auto") is False
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_color("auto") is True
    assert use_color(None) is True
    assert use_color("never") is False
    monkeypatch.setenv("NO_COLOR", "1")  # NO_COLOR wins over FORCE_COLOR, as in CPython
    assert use_color("auto") is False
    assert use_color("always") is True
    monkeypatch.setenv("FORCE_COLOR", "")  # empty: not set
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color("auto") is False


def test_policy_tests_quiet_prints_only_failures(run_cli, project: Path) -> None:
    tests = project / "policies" / "tests"
    tests.mkdir()
    (tests / "release.test.yaml").write_text(
        "policy: release@1\nnow: 2026-03-05\nevidence: ../../evidence/lib.yaml\ncases:\n"
        "  - name: tests fail\n    expect: {rules: {tests-pass: fail}}\n"
        "  - name: wrongly thinks it ships\n    expect: {gates: {ship: pass}}\n"
    )
    normal = run_cli("test", "--root", str(project))
    quiet = run_cli("test", "--root", str(project), "-q")
    assert normal.exit_code == quiet.exit_code == 1
    assert "PASSED" in normal.stdout
    assert "coverage release@1" in normal.stdout
    assert "PASSED" not in quiet.stdout
    assert "coverage" not in quiet.stdout
    assert quiet.stdout.startswith("FAILED ")
    assert "\nFAILURES\n" in quiet.stdout
    assert quiet.stdout.endswith("1 passed, 1 failed\n")
    assert run_cli("-q", "test", "--root", str(project)) == quiet
    (tests / "release.test.yaml").write_text(
        "policy: release@1\nnow: 2026-03-05\nevidence: ../../evidence/lib.yaml\ncases:\n"
        "  - name: tests fail\n    expect: {rules: {tests-pass: fail}}\n"
    )
    assert run_cli("test", "--root", str(project), "-q").stdout == "1 passed, 0 failed\n"


def _complete(run_cli, words: str, *, shell: str = "bash") -> list[str]:
    import click.testing

    from gatecheck.cli.group import cli

    env = {
        "_GATECHECK_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = click.testing.CliRunner().invoke(cli, [], prog_name="gatecheck", env=env)
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line]


def test_completion_of_subjects_gates_and_rules(run_cli, two: Path, monkeypatch) -> None:
    root = str(two)
    assert _complete(run_cli, f"gatecheck evaluate --root {root} ") == ["app", "lib"]
    assert _complete(run_cli, f"gatecheck --root {root} plan l") == ["lib"]
    assert _complete(run_cli, f"gatecheck --root {root} evaluate --gate ") == ["ship"]
    assert _complete(run_cli, f"gatecheck waive --root {root} lib s") == ["soaked"]
    explained = _complete(run_cli, f"gatecheck explain --root {root} ")
    assert {"tests-pass", "soaked", "reviewed", "platforms", "test", "publish"} <= set(explained)
    monkeypatch.chdir(two / "evidence")  # found from the current directory up, as a run would
    assert _complete(run_cli, "gatecheck attest ") == ["app", "lib"]
    # a project it cannot read completes nothing, and says nothing
    (two / "gatecheck.toml").write_text("nonsense =\n")
    assert _complete(run_cli, "gatecheck attest ") == []


@pytest.mark.installed
def test_installed_script_completes_and_takes_options_first(two: Path) -> None:
    env = {
        **os.environ,
        "_GATECHECK_COMPLETE": "bash_complete",
        "COMP_WORDS": "gatecheck evaluate ",
        "COMP_CWORD": "2",
    }
    found = subprocess.run(
        [str(SCRIPT)], cwd=two, env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines() == ["plain,app", "plain,lib"]
    script = subprocess.run(
        [str(SCRIPT)],
        env={**os.environ, "_GATECHECK_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert "_gatecheck_completion" in script.stdout
    plain = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "FORCE_COLOR"}}
    run = subprocess.run(
        [str(SCRIPT), "-q", "--root", str(two), "evaluate", "--all", *NOW],
        env={**plain, "FORCE_COLOR": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert "\x1b[31mFAIL" in run.stdout
    assert "app" not in run.stdout
    version = subprocess.run(
        [str(SCRIPT), "-V"], capture_output=True, text=True, check=False, timeout=60
    )
    assert version.stdout == f"gatecheck, version {__version__}\n"
