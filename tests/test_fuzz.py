"""Fuzz properties of the loader, the engine and the CLI (few examples here; bench/fuzz.py: many).

- loader: the bundled YAML files, mutated (truncated, keys duplicated, tabs, anchors, aliases,
  tags, BOM, NUL, indentation, values of another type), load or give located problems;
- engine: schema-valid evidence of the wasm-proposal policy evaluates, plans and renders in every
  format, deterministically, with exit codes that follow the verdicts;
- CLI: the same inputs through click exit 0/1, or 2 with a located first line, never a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from click.testing import CliRunner
from hypothesis import strategies as st
from tests.support.strategies import (
    BUNDLED_FILES,
    DAYS,
    REPO,
    fuzz,
    mutated_files,
    not_before_observations,
    wasm_evidence,
    yaml_lines_of,
)

from gatecheck.cli.group import cli
from gatecheck.commands.evaluate import evaluate_subjects
from gatecheck.commands.plan import plan_subject
from gatecheck.commands.validate import validate_project
from gatecheck.errors import InvalidInput, Problem
from gatecheck.evaluation.rule_results import StepStatus, Verdict
from gatecheck.project.layout import open_project
from gatecheck.reporters import PLAN_REPORTERS, REPORTERS
from gatecheck.reporters import json as json_reporter

FORMATS, PLAN_FORMATS = tuple(REPORTERS), tuple(PLAN_REPORTERS)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from gatecheck.evaluation.results import Report

LOCATED = re.compile(r"^[^:\n]+(:\d+:\d+)?: error: .* \[[a-z0-9-]+\]")
UNACCEPTABLE = re.compile(r"unacceptable character #x([0-9a-f]+)")
CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
VALID_EVIDENCE = "evidence/tail-call.yaml"


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def project_files(kind: str, path: str, raw: bytes) -> dict[str, bytes]:
    """A small project (the bundled policies, one evidence file) with `raw` at `path`'s place."""
    files = {p: (REPO / p).read_bytes() for p in BUNDLED_FILES["policy"]}
    if kind == "test":
        for fixture in sorted((REPO / "policies" / "tests" / "fixtures").glob("*.yaml")):
            files[str(fixture.relative_to(REPO))] = fixture.read_bytes()
    else:
        files[VALID_EVIDENCE] = (REPO / VALID_EVIDENCE).read_bytes()
    if kind == "evidence":
        del files[VALID_EVIDENCE]
    files[path] = raw
    return files


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""
        for p in sorted(root.rglob("*"))
    }


def assert_located(problem: Problem, files: dict[str, bytes]) -> None:
    """The problem has a code, and a line and column inside the file it names."""
    assert CODE.fullmatch(problem.code), problem
    location = problem.location
    assert location.path, problem
    if location.path not in files:  # a directory or a bundled file: no line to check here
        assert location.line >= 0, problem
        assert location.column >= 0, problem
        return
    lines = yaml_lines_of(files[location.path])
    assert 1 <= location.line <= len(lines), (problem, len(lines))
    line = lines[location.line - 1]
    assert 1 <= location.column <= len(line) + 1, (problem, line)
    character = UNACCEPTABLE.match(problem.message)
    if character:  # the location names the very character
        assert line[location.column - 1 : location.column] == chr(int(character[1], 16)), problem


# -- loader ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def mutated_project(case: tuple[str, str, bytes]) -> Iterator[tuple[str, dict[str, bytes], Path]]:
    """A temporary project holding the mutated file: its kind, the project's files, its root.

    On leaving, the project must hold exactly what it held: reading input never writes.
    """
    kind, path, raw = case
    files = project_files(kind, path, raw)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        _write(root, files)
        before = _snapshot(root)
        yield kind, files, root
        assert _snapshot(root) == before, "reading the project changed it"


@fuzz(200, case=mutated_files())
def test_mutated_files_load_or_give_located_problems(case: tuple[str, str, bytes]) -> None:
    with mutated_project(case) as (kind, files, root):
        problems: tuple[Problem, ...] = ()
        try:
            if kind == "test":
                from gatecheck.policytests.files import run_policy_tests

                run_policy_tests(open_project(str(root)), [])
            else:
                problems = validate_project(open_project(str(root))).problems
        except InvalidInput as error:
            problems = error.problems
            assert problems
        for problem in problems:
            assert_located(problem, files)


# -- engine ---------------------------------------------------------------------------------------


def _expected_gate(statuses: set[Verdict]) -> Verdict:
    for verdict in (Verdict.FAIL, Verdict.MISSING, Verdict.WAIVED):
        if verdict in statuses:
            return verdict
    return Verdict.PASS


def _check_verdicts(report: Report) -> None:
    for subject in report.subjects:
        for gate in subject.gates:
            assert gate.status == _expected_gate({rule.status for rule in gate.rules}), gate
            for rule in gate.rules:
                assert (rule.status == Verdict.WAIVED) == bool(
                    rule.waiver and rule.waiver["active"]
                )
                if rule.status.passing:
                    assert rule.next_step is None
    passing = all(gate.status.passing for s in report.subjects for gate in s.gates)
    assert report.exit_code() == (0 if passing else 1)


def _verdicts(report: Report) -> list[Any]:
    return [
        (
            s.subject,
            s.as_of,
            [(g.gate, g.status, [(r.rule, r.status) for r in g.rules]) for g in s.gates],
        )
        for s in report.subjects
    ]


@fuzz(60, case=wasm_evidence(), now=DAYS)
def test_engine_on_schema_valid_evidence(case: tuple[str, str], now: dt.date) -> None:
    subject, text = case
    now = not_before_observations(text, now)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # the bundled policies as the project's own: validating a project that falls back to the
        # bundled data also re-reads its ~140 policy test cases each example (five sixths of the
        # time), the same every time and tested by tests/policytests/
        _write(root, project_files("evidence", f"evidence/{subject}.yaml", text.encode()))
        validation = validate_project(open_project(tmp))
        assert validation.problems == (), (validation.problems, text)
        report = evaluate_subjects(open_project(tmp), [subject], every=False, gate=None, now=now)
        again = evaluate_subjects(open_project(tmp), [subject], every=False, gate=None, now=now)
        assert report == again
        plan = plan_subject(open_project(tmp), subject, None, now)
        assert plan == plan_subject(open_project(tmp), subject, None, now)
    _check_verdicts(report)
    for name in FORMATS:
        for color in (False, True):
            assert isinstance(REPORTERS[name].render(report, color=color), str)
        assert isinstance(REPORTERS[name].render_validation(validation), str)
    rendered = json_reporter.render(report)
    loaded = json_reporter.load(rendered)  # dates inside values stay ISO strings: compare JSON
    assert json_reporter.render(loaded) == rendered
    assert _verdicts(loaded) == _verdicts(report)
    for name in PLAN_FORMATS:
        assert isinstance(PLAN_REPORTERS[name].render_plan(plan, color=True), str)
    done = {step.step for step in plan.steps if step.status is StepStatus.DONE}
    assert list(plan.next) == [s.step for s in plan.steps if s.status is StepStatus.READY]
    for step in plan.steps:
        assert set(step.blocked_by) <= set(step.needs)
        if step.status is StepStatus.READY:
            assert set(step.needs) <= done


# -- CLI ------------------------------------------------------------------------------------------


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), prog_name="gatecheck", catch_exceptions=False)


def _assert_clean_exit(result: Any) -> None:
    first = result.stderr.split("\n", 1)[0]
    assert "Traceback" not in result.stderr
    assert result.exit_code in {0, 1, 2}, (result.exit_code, result.stderr[:500])
    if result.exit_code == 2:
        assert LOCATED.match(first), first[:300]


@fuzz(100, case=mutated_files(), fmt=st.sampled_from(FORMATS), evaluate=st.booleans())
def test_cli_on_mutated_files(case: tuple[str, str, bytes], fmt: str, evaluate: bool) -> None:
    with mutated_project(case) as (kind, _files, root):
        if kind == "test":
            args = ["test"]
        elif evaluate:
            args = ["evaluate", "--all", "--now", "2026-06-01", "--format", fmt]
        else:
            args = ["validate", "--format", fmt]
        result = _invoke(*args, "--root", str(root))
        _assert_clean_exit(result)


@fuzz(30, case=wasm_evidence(), now=DAYS, fmt=st.sampled_from(FORMATS))
def test_cli_evaluate_agrees_with_the_engine(case: tuple[str, str], now: dt.date, fmt: str) -> None:
    subject, text = case
    now = not_before_observations(text, now)
    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp), {f"evidence/{subject}.yaml": text.encode()})
        report = evaluate_subjects(open_project(tmp), [subject], every=False, gate=None, now=now)
        result = _invoke(
            "evaluate", subject, "--now", now.isoformat(), "--format", fmt, "--root", tmp
        )
        _assert_clean_exit(result)
        assert result.exit_code == report.exit_code(), result.stderr[:500]
        plan = _invoke("plan", subject, "--now", now.isoformat(), "--root", tmp)
        assert plan.exit_code == 0, plan.stderr[:500]
