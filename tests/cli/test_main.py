"""The command line through click's runner: options, exit codes, JSON shapes, colour."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.support.project import REPO

from gatecheck import cli as cli_module
from gatecheck.cli.group import COMMANDS
from gatecheck.cli.output import use_color
from gatecheck.reporters import REPORTERS


def test_formats_offered_are_the_registered_reporters() -> None:
    from gatecheck.cli.check import check
    from gatecheck.cli.evaluate import evaluate
    from gatecheck.cli.validate import validate

    for command in (evaluate, check, validate):
        choices = next(p for p in command.params if p.name == "fmt").type.choices  # type: ignore[attr-defined]
        assert tuple(choices) == tuple(REPORTERS)


def test_evaluate_json_has_the_contract_shape(run_cli) -> None:
    result = run_cli(
        "evaluate", "foo-bar", "--root", str(REPO), "--now", "2026-11-25", "--format", "json"
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"now", "subjects"}
    assert data["now"] == "2026-11-25"
    (subject,) = data["subjects"]
    assert {"subject", "policy", "gates"} <= set(subject)
    assert subject["policy"] == "wasm-proposal@1"
    assert [gate["gate"] for gate in subject["gates"]] == ["enable-by-default", "docs-agree"]
    gate = subject["gates"][0]
    assert {"gate", "status", "rules"} <= set(gate)
    rules = {rule["rule"]: rule for rule in gate["rules"]}
    for rule in rules.values():
        assert {"rule", "status", "message", "location"} <= set(rule)
        assert set(rule["location"]) == {"file", "line", "column"}
    phase = rules["phase-4"]
    assert (phase["status"], phase["fact"], phase["expected"], phase["actual"]) == (
        "fail",
        "proposal.phase",
        ">= 4",
        3,
    )
    assert phase["location"]["file"] == "evidence/foo-bar.yaml"
    assert rules["fuzzed-a-week"]["passes_on"] == "2026-11-24"
    assert rules["rust-api"]["status"] == "pass"
    assert {rule["status"] for rule in rules.values()} == {"pass", "fail", "missing"}


def test_plan_json_has_the_contract_shape(run_cli) -> None:
    result = run_cli("plan", "foo-bar", "--root", str(REPO), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"subject", "steps", "next"} <= set(data)
    for step in data["steps"]:
        assert {"step", "status", "needs", "blocked_by"} <= set(step)
    statuses = {step["step"]: step["status"] for step in data["steps"]}
    assert data["next"] == [s for s, status in statuses.items() if status == "ready"]
    assert {"done", "ready", "blocked"} == set(statuses.values())


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["evaluate"], 2),  # no subject and no --all
        (["evaluate", "foo-bar", "--all"], 2),
        (["evaluate", "foo-bar", "--format", "xml"], 2),
        (["evaluate", "foo-bar", "--now", "yesterday"], 2),
        (["evaluate", "nope"], 2),
        (["evaluate", "foo-bar", "--gate", "nope"], 2),
        (["plan"], 2),
        (["frobnicate"], 2),
        (["--version"], 0),
        (["--help"], 0),
        (["evaluate", "foo-bar"], 1),
        (["plan", "foo-bar"], 0),
        (["validate"], 0),
    ],
)
def test_exit_codes(run_cli, args, code) -> None:
    result = run_cli(
        *args, *(["--root", str(REPO)] if len(args) > 1 and "--" not in args[0] else [])
    )
    assert result.exit_code == code
    assert "Traceback" not in result.stderr


def test_all_evaluates_every_subject_and_passing_gates_exit_0(run_cli, project: Path) -> None:
    waived = "waivers:\n" + "".join(
        f"  - {{rule: {r}, reason: accepted, approver: ana, expires: 2026-05-01}}\n"
        for r in ("tests-pass", "soaked")
    )
    (project / "evidence" / "lib.yaml").write_text(
        (project / "evidence" / "lib.yaml").read_text() + waived
    )
    (project / "evidence" / "app.yaml").write_text(
        "subject: app\npolicy: release@1\nfacts:\n  tests: {passed: 3, failed: 0}\n"
    )
    both = run_cli(
        "evaluate", "--all", "--root", str(project), "--now", "2026-03-05", "--format", "json"
    )
    assert both.exit_code == 1  # app lacks evidence
    assert [s["subject"] for s in json.loads(both.stdout)["subjects"]] == ["app", "lib"]
    only_lib = run_cli("evaluate", "lib", "--root", str(project), "--now", "2026-03-05")
    assert only_lib.exit_code == 0
    assert "1 passing, 0 not passing" in only_lib.stdout


def test_one_gate_only(run_cli, project: Path) -> None:
    result = run_cli(
        "evaluate", "lib", "--gate", "ship", "--root", str(project), "--format", "json"
    )
    assert [g["gate"] for g in json.loads(result.stdout)["subjects"][0]["gates"]] == ["ship"]


def test_colour_only_when_asked_or_on_a_terminal(run_cli, project: Path, monkeypatch) -> None:
    args = ("evaluate", "lib", "--root", str(project), "--now", "2026-03-05")
    assert "\x1b[" not in run_cli(*args).stdout  # the runner's stdout is not a terminal
    assert "\x1b[31mFAIL" in run_cli(*args, "--color", "always").stdout
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color("auto") is False
    monkeypatch.delenv("NO_COLOR")
    assert use_color("auto") is True
    assert use_color("never") is False


def test_validate_json_reports_problems_with_locations(run_cli, project: Path) -> None:
    (project / "evidence" / "lib.yaml").write_text("subject: lib\npolicy: release\nfacts: []\n")
    result = run_cli("validate", "--root", str(project), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    (problem,) = data["problems"]
    assert problem["code"] == "wrong-type"
    assert problem["location"] == {"file": "evidence/lib.yaml", "line": 3, "column": 8}
    ok = json.loads(run_cli("validate", "--root", str(REPO), "--format", "json").stdout)
    assert ok["ok"] is True
    assert "wasm-proposal@1" in ok["policies"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "markdown"])
def test_validate_in_a_machine_format_also_says_the_problems_on_stderr(
    run_cli, project: Path, fmt: str
) -> None:
    """As evaluate and check do: CI logs show the located problem, not only the report (fuzzing)."""
    (project / "evidence" / "lib.yaml").write_text("subject: lib\npolicy: release\nfacts: []\n")
    result = run_cli("validate", "--root", str(project), "--format", fmt)
    assert result.exit_code == 2
    assert result.stderr.startswith("evidence/lib.yaml:3:8: error: ")
    assert "[wrong-type]" in result.stderr.split("\n", 1)[0]
    assert "evidence/lib.yaml" in result.stdout


def test_a_bug_exits_3_with_a_traceback(monkeypatch, capsys) -> None:
    def broken(*_args, **_kwargs):
        message = "simulated bug"
        raise RuntimeError(message)

    monkeypatch.setattr("gatecheck.commands.evaluate.judged_subjects", broken)
    monkeypatch.setattr("sys.argv", ["gatecheck", "evaluate", "foo-bar", "--root", str(REPO)])
    assert cli_module.run() == 3
    err = capsys.readouterr().err
    assert "RuntimeError: simulated bug" in err
    assert "internal error" in err


def test_run_returns_clicks_exit_status(monkeypatch) -> None:
    monkeypatch.setattr("sys.argv", ["gatecheck", "validate", "--root", str(REPO)])
    assert cli_module.run() == 0


def test_all_with_a_gate_takes_the_subjects_whose_policy_has_it(run_cli) -> None:
    result = run_cli(
        "evaluate", "--all", "--gate", "tested-end-to-end", "--root", str(REPO), "--format", "json"
    )
    subjects = [s["subject"] for s in json.loads(result.stdout)["subjects"]]
    assert subjects == ["foo-bar-wasi"]
    assert run_cli("evaluate", "--all", "--gate", "nope", "--root", str(REPO)).exit_code == 2


def test_all_over_no_evidence_is_an_error_not_a_pass(run_cli, project: Path) -> None:
    (project / "evidence" / "lib.yaml").unlink()
    result = run_cli("evaluate", "--all", "--root", str(project))
    assert result.exit_code == 2
    assert result.stderr.startswith("evidence/: error: --all: no evidence files")


@pytest.mark.parametrize("subject", ["../policies/wasm-proposal", "/etc/passwd", "Foo", ""])
def test_a_subject_is_a_name_or_an_evidence_files_path(run_cli, subject: str) -> None:
    result = run_cli("evaluate", subject, "--root", str(REPO))
    assert result.exit_code == 2
    assert "is not a subject name" in result.stderr
    assert result.stderr.count("[unknown-subject]") == 1


@pytest.mark.parametrize(
    ("args", "loaded"), [(["--version"], set()), (["validate", "--root", str(REPO)], {"validate"})]
)
def test_a_run_loads_only_the_module_of_its_command(args: list[str], loaded: set[str]) -> None:
    code = (
        "import sys; from gatecheck.cli import group; sys.argv = ['gatecheck', *sys.argv[1:]];"
        " group.run(); print(' '.join(sorted(sys.modules)))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    modules = {f"gatecheck.cli.{module}": module for module, _name in COMMANDS.values()}
    imported = {modules[name] for name in run.stdout.split() if name in modules}
    assert imported == loaded, run.stderr
