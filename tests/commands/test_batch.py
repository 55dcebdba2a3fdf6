"""`evaluate` streams: subjects judged one at a time, the same bytes on one process or several."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import TYPE_CHECKING

import pytest
from tests.support.project import SHARED

from gatecheck.commands import batch
from gatecheck.commands.evaluate import evaluate_subjects, judged_subjects
from gatecheck.errors import InvalidInput
from gatecheck.project.layout import open_project
from gatecheck.reporters import REPORTERS
from gatecheck.reporters.streamed import subject_stream

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.support.project import Run

NOW = dt.date(2026, 3, 5)
FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")

_TESTS = {"pass": "{passed: 120, failed: 0}", "fail": "{passed: 120, failed: 2}", "missing": None}
_WAIVER = """\
waivers:
  - {rule: tests-pass, reason: flaky, approver: ben, expires: 2026-04-01}
"""


def _evidence(index: int) -> str:
    """Subject `s{index}`: its tests pass, fail, or are missing; every third fail is waived."""
    kind = list(_TESTS)[index % 3]
    tests = _TESTS[kind]
    lines = [
        f"subject: s{index:03d}",
        "policy: release",
        "as_of: 2026-03-01",
        "facts:",
        "  build: {ok: true}",
        *([f"  tests: {tests}"] if tests else []),
        f"  docs: {'true' if index % 2 else 'false'}",
        "  beta: {since: 2026-02-01}",
        f"  platforms: {{linux: true, macos: {'true' if index % 4 else 'false'}}}",
        "attestations:",
        "  - {judgement: changelog-reviewed, by: ana, date: 2026-02-27}",
    ]
    if kind == "fail" and index % 9 == 1:
        lines.append(_WAIVER.rstrip("\n"))
    if index % 5 == 0:
        lines.append("claims: [ship]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A project of 60 subjects: passes, fails, missing facts, waivers, claims."""
    root = tmp_path / "corpus"
    shutil.copytree(SHARED, root)
    (root / "evidence" / "lib.yaml").unlink()
    for index in range(60):
        (root / "evidence" / f"s{index:03d}.yaml").write_text(_evidence(index))
    return root


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 subjects, so 60 subjects make many chunks (and `-j 2` forks workers)."""
    monkeypatch.setattr(batch, "CHUNK", 4)


def _evaluate(
    run_cli: Callable[..., Run], root: Path, fmt: str, jobs: int, *extra: str
) -> tuple[int, str]:
    result = run_cli(
        "--root",
        str(root),
        "evaluate",
        "--all",
        "--format",
        fmt,
        "--now",
        str(NOW),
        "-j",
        str(jobs),
        *extra,
    )
    return result.exit_code, result.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_streamed_report_is_the_report_rendered_whole(
    run_cli: Callable[..., Run], corpus: Path, fmt: str
) -> None:
    report = evaluate_subjects(open_project(str(corpus)), [], every=True, gate=None, now=NOW)
    assert {gate.status.value for s in report.subjects for gate in s.gates} >= {"fail", "pass"}
    assert any(
        rule.status.value == "waived" for s in report.subjects for g in s.gates for rule in g.rules
    )
    code, out = _evaluate(run_cli, corpus, fmt, 1)
    assert code == 1
    assert out == REPORTERS[fmt].render(report)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("fmt", FORMATS)
def test_two_jobs_write_what_one_writes(
    run_cli: Callable[..., Run], corpus: Path, fmt: str
) -> None:
    one = _evaluate(run_cli, corpus, fmt, 1)
    assert batch.parallel(open_project(str(corpus)).evidence_files(), 2)
    assert _evaluate(run_cli, corpus, fmt, 2) == one


@pytest.mark.usefixtures("small_chunks")
def test_two_jobs_keep_every_option(run_cli: Callable[..., Run], corpus: Path) -> None:
    for extra in (["-q"], ["-v"], ["--gate", "ship"], ["--policy", "release@1"]):
        assert _evaluate(run_cli, corpus, "text", 2, *extra) == _evaluate(
            run_cli, corpus, "text", 1, *extra
        )


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("jobs", [1, 2])
def test_invalid_files_are_all_reported_and_no_report_is_written(
    run_cli: Callable[..., Run], corpus: Path, jobs: int
) -> None:
    evidence = corpus / "evidence"
    (evidence / "s007.yaml").write_text("subject: s007\npolicy: release\nfacts: [not, a, map]\n")
    (evidence / "s041.yaml").write_text(_evidence(41).replace("as_of:", "as_off:"))
    result = run_cli(
        "--root",
        str(corpus),
        "evaluate",
        "--all",
        "--format",
        "json",
        "-j",
        str(jobs),
        "--now",
        str(NOW),
    )
    assert result.exit_code == 2
    assert "s007.yaml" in result.stderr
    assert "s041.yaml" in result.stderr
    assert '"subjects"' not in result.stdout  # the problems, in JSON: no half of a report
    assert '"ok": false' in result.stdout


def test_each_subject_is_judged_before_the_next_file_is_read(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Streaming, structurally: a subject's report is written before the next file is opened."""
    from gatecheck.project.input_file import InputFile

    events: list[str] = []
    read_bytes = InputFile.read_bytes

    def reading(self: InputFile, limit: int | None = None) -> bytes:
        if self.stem.startswith("s"):  # an evidence file, not the policy or its schema
            events.append(f"read {self.stem}")
        return read_bytes(self, limit)

    monkeypatch.setattr(InputFile, "read_bytes", reading)
    stream = subject_stream("text", NOW)
    project = open_project(str(corpus))
    for result in judged_subjects(project, [], every=True, gate=None, now=NOW):
        stream.subject(result)
        events.append(f"wrote {result.subject}")
    assert events[:4] == ["read s000", "wrote s000", "read s001", "wrote s001"]
    assert len(events) == 120


def test_problems_are_raised_once_the_files_run_out(corpus: Path) -> None:
    (corpus / "evidence" / "s003.yaml").write_text("subject: s003\n")
    project = open_project(str(corpus))
    judged: list[str] = []
    with pytest.raises(InvalidInput) as raised:
        judged.extend(
            r.subject for r in judged_subjects(project, [], every=True, gate=None, now=NOW)
        )
    assert judged == ["s000", "s001", "s002"]  # handed on before the problem was found
    assert [p.location.path for p in raised.value.problems] == ["evidence/s003.yaml"] * len(
        raised.value.problems
    )


def test_the_default_is_the_cores_this_process_may_use() -> None:
    assert batch.available_cores() >= 1


def test_a_workers_chunk_is_judged_and_settled_in_order(corpus: Path) -> None:
    """What a forked worker runs, run here: the chunk's results, in file order, explained."""
    from gatecheck.loading.policies import load_policies

    project = open_project(str(corpus))
    files = project.evidence_files()
    run = batch.Batch(load_policies(project), NOW, explain_passes=False)
    batch._RUN = (run, files)
    try:
        chunk = batch._judge_chunk(2, 5)
    finally:
        batch._RUN = None
    assert [item.result.subject for item in chunk if item.result] == ["s002", "s003", "s004"]
    rules = [rule for item in chunk if item.result for g in item.result.gates for rule in g.rules]
    failing = [rule for rule in rules if rule.status.name != "PASS"]
    assert failing  # s002 is missing its tests, s004 fails them
    assert all(rule.message for rule in failing)  # explained before the pipe carries them


def test_the_default_jobs_are_the_cores_this_process_may_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    monkeypatch.setattr(os, "process_cpu_count", lambda: 3, raising=False)
    assert batch.available_cores() == 3
    monkeypatch.delattr(os, "process_cpu_count", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert batch.available_cores() == 2
    monkeypatch.delattr(os, "sched_getaffinity")
    monkeypatch.setattr(os, "cpu_count", lambda: 5)
    assert batch.available_cores() == 5
