"""`status` streams: the same bytes as the whole report rendered at once, and never half a report.

The reference is `tests/support/whole_status.py`, the command as it was when it held every
subject (its evidence, its result, its plan) in memory and rendered them at the end.
"""

from __future__ import annotations

import datetime as dt
import shutil
from typing import TYPE_CHECKING

import pytest
from tests.support.project import CASES, REPO, SHARED
from tests.support.whole_status import whole_status_report

from gatecheck.project.layout import open_project
from gatecheck.reporters import STATUS_REPORTERS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

NOW = "2026-03-05"
MIXED = CASES / "status-mixed-policies" / "project"

# A third version whose first gate is another one: its subjects are judged on it first, and again
# on `ship` once the policy judging the most subjects says that is the gate.
V3_BETA = """\
  - id: beta
    title: Beta
    source: fixture v3, gate
    rules:
      - id: built
        title: It builds
        source: fixture v3, rule 1
        require: {fact: build.ok, eq: true}
"""


def _mixed_project(tmp_path: Path, subjects: int = 40) -> Path:
    """The shared project, release@2 and @3 beside it, and `subjects` generated subjects more."""
    root = tmp_path / "project"
    shutil.copytree(SHARED, root)
    shutil.copytree(MIXED, root, dirs_exist_ok=True)
    v2 = (root / "policies" / "release.v2.yaml").read_text()
    v3 = v2.replace("version: 2", "version: 3").replace("gates:\n", "gates:\n" + V3_BETA)
    (root / "policies" / "release.v3.yaml").write_text(v3)
    for number in range(subjects):
        version = (1, 1, 2, 3)[number % 4]
        facts = [
            f"  build: {{ok: {'true' if number % 5 else 'false'}}}",
            f"  tests: {{passed: {number % 7}, failed: {number % 3 == 0:d}}}",
        ]
        if version == 1:
            macos = "true" if number % 2 else "false"
            facts.append(f"  platforms: {{linux: true, macos: {macos}}}")
            facts.append(f"  beta: {{since: 2026-0{1 + number % 3}-01}}")
        else:
            facts.append(f"  signed: {'true' if number % 3 else 'false'}")
        claims = "claims: [ship]\n" if number % 6 == 0 else ""
        (root / "evidence" / f"s{number:02d}.yaml").write_text(
            f"subject: s{number:02d}\npolicy: release@{version}\n{claims}facts:\n"
            + "\n".join(facts)
            + "\n"
        )
    return root


def _declared_project(tmp_path: Path) -> Path:
    """The golden case with declared facts (the bundled policies, a gate named)."""
    root = tmp_path / "declared"
    shutil.copytree(SHARED, root)
    overlay = CASES / "status-declared-text" / "project"
    shutil.copytree(overlay, root, dirs_exist_ok=True)
    (root / "evidence" / "lib.yaml").unlink()
    (root / "evidence" / "lib.yaml.removed").unlink()
    return root


def _whole(root: Path, fmt: str, gate: str | None, now: str, policies: str | None = None) -> str:
    project = open_project(str(root), policies, None)
    report = whole_status_report(project, gate, dt.date.fromisoformat(now))
    if fmt == "text":
        from gatecheck.reporters import text

        return text.render_status(report, color=False)
    return STATUS_REPORTERS[fmt].render_status(report)


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_streamed_status_writes_the_whole_reports_bytes(fmt: str, tmp_path: Path, run_cli) -> None:
    root = _mixed_project(tmp_path)
    result = run_cli("--root", str(root), "status", "--format", fmt, "--now", NOW)
    assert result.exit_code == 1
    assert result.stdout == _whole(root, fmt, None, NOW)
    assert "s03" in result.stdout  # a subject of release@3, judged again on `ship`
    if fmt == "json":
        import json

        data = json.loads(result.stdout)
        assert data["summary"]["subjects"] == 43  # 40 generated, and lib, cli and app
        assert [column["rule"] for column in data["columns"]] == [
            "tests-pass",
            "signed",
            "soaked",
            "reviewed",
            "platforms",
        ]  # release@2's first (app.yaml comes first), then release@1's others


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_streamed_status_with_declared_facts_and_a_gate(fmt: str, tmp_path: Path, run_cli) -> None:
    root = _declared_project(tmp_path)
    policies = str(REPO / "policies")
    args = ["--root", str(root), "--policies", policies]
    result = run_cli(
        *args, "status", "--gate", "docs-agree", "--format", fmt, "--now", "2026-08-21"
    )
    assert result.exit_code == 1, result.stderr
    assert result.stdout == _whole(root, fmt, "docs-agree", "2026-08-21", policies)
    assert result.stdout


def test_a_gate_of_only_some_policies_leaves_the_others_out(tmp_path: Path, run_cli) -> None:
    root = _mixed_project(tmp_path, subjects=8)
    result = run_cli(
        "--root", str(root), "status", "--gate", "beta", "--format", "json", "--now", NOW
    )
    assert result.stdout == _whole(root, "json", "beta", NOW)
    assert result.stdout.count('"subject": ') == 2  # s03 and s07, of release@3


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_invalid_input_leaves_no_half_report(fmt: str, tmp_path: Path, run_cli) -> None:
    root = _mixed_project(tmp_path)
    # the last file is invalid: every other one is judged before it is read
    (root / "evidence" / "zz.yaml").write_text(
        "subject: zz\npolicy: release@2\nfacts: {signed: 3}\n"
    )
    result = run_cli("--root", str(root), "status", "--format", fmt, "--now", NOW)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "evidence/zz.yaml:3" in result.stderr


def test_an_unknown_gate_is_one_problem_per_policy(tmp_path: Path, run_cli) -> None:
    root = _mixed_project(tmp_path, subjects=8)
    result = run_cli("--root", str(root), "status", "--gate", "nope", "--now", NOW)
    assert result.exit_code == 2
    assert result.stdout == ""
    said = [line for line in result.stderr.splitlines() if "has no such gate" in line]
    assert len(said) == 3, result.stderr
    assert "policy release@2 (of app and 3 more)" in said[0]


def test_spooled_rows_read_back_by_position_and_by_slice(tmp_path: Path) -> None:
    from gatecheck.commands.spool import Spool, SpooledPlans, SpooledRows
    from gatecheck.reporters.status_matrix import Rows

    with (tmp_path / "spool").open("w+b") as file:
        spool = Spool(file)
        offsets = [spool.put(("row", number)) for number in range(5)]
        rows: Sequence[object] = SpooledRows(spool, offsets)
        assert len(rows) == 5
        assert rows[3] == ("row", 3)
        assert list(rows[1:3]) == [("row", 1), ("row", 2)]
        assert list(rows) == [("row", number) for number in range(5)]
        plans: Mapping[str, object] = SpooledPlans(spool, {"b": offsets[1], "a": offsets[4]})
        assert (list(plans), len(plans), plans["a"]) == (["b", "a"], 2, ("row", 4))
        assert plans.get("c") is None
        some: Sequence[object] = Rows(rows, [4, 0, 2])  # type: ignore[arg-type]
        assert (len(some), some[0], list(some[1:])) == (3, ("row", 4), [("row", 0), ("row", 2)])


def test_status_report_holds_the_streamed_report_in_memory(tmp_path: Path) -> None:
    from gatecheck.commands.status import status_report

    root = _mixed_project(tmp_path, subjects=8)
    project = open_project(str(root), None, None)
    day = dt.date.fromisoformat(NOW)
    held = status_report(project, None, day)
    whole = whole_status_report(project, None, day)
    assert isinstance(held.subjects, tuple)
    assert [s.subject for s in held.subjects] == [s.subject for s in whole.subjects]
    assert held.plans.keys() == whole.plans.keys()
    assert held.columns == whole.columns


def test_markdown_pieces_make_the_same_page_wherever_they_are_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    from gatecheck.reporters import markdown_status

    root = _mixed_project(tmp_path)
    whole = _whole(root, "markdown", None, NOW)
    monkeypatch.setattr(markdown_status, "_CHUNK_LINES", 3)
    result = run_cli("--root", str(root), "status", "--format", "markdown", "--now", NOW)
    assert result.stdout == whole
    assert "[^1]:" in whole  # footnotes, numbered across the pieces
    assert "```mermaid" in whole


@pytest.mark.parametrize(("limit", "planned"), [((5, 2), 2), ((100, 2), None), (None, None)])
def test_only_the_plans_a_large_page_shows_are_built(
    tmp_path: Path, limit: tuple[int, int] | None, planned: int | None
) -> None:
    from gatecheck.commands.status import streamed_status

    root = _mixed_project(tmp_path)
    project = open_project(str(root), None, None)
    day = dt.date.fromisoformat(NOW)
    with streamed_status(project, None, day, plans="failing", plans_limit=limit) as report:
        failing = [s.subject for s in report.subjects if not s.gates[0].status.passing]
        assert len(failing) > 2
        if planned is None:
            assert set(report.plans) == set(failing)
        else:  # the first two, those judged while there were at most 5, those first for a while
            assert set(failing[:planned]) <= set(report.plans)
            assert len(report.plans) < len(failing) - 10
        for subject in report.plans:
            assert report.plans[subject].subject == subject


def test_markdowns_plan_limit_is_its_page_limit() -> None:
    from gatecheck.reporters.status_matrix import LARGE_REPORT, PASSING_LISTED, STATUS_NEEDS

    assert STATUS_NEEDS["markdown"].plans_limit == (LARGE_REPORT, PASSING_LISTED)
