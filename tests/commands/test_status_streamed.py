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

from gatecheck.commands import batch
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


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Chunks of 4 subjects, so 43 make many (and `-j 2` forks); the files each pool was given."""
    monkeypatch.setattr(batch, "CHUNK", 4)
    pools: list[int] = []
    worked_in_parallel = batch.worked_in_parallel

    def counted(run: object, count: int, jobs: int, task):
        pools.append(count)
        return worked_in_parallel(run, count, jobs, task)

    monkeypatch.setattr(batch, "worked_in_parallel", counted)
    return pools


def _status(root: Path, fmt: str, jobs: int, run_cli, *extra: str) -> tuple[int, str, str]:
    result = run_cli(
        "--root", str(root), "status", "--format", fmt, "--now", NOW, "-j", str(jobs), *extra
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_several_jobs_write_what_one_writes(
    fmt: str, tmp_path: Path, run_cli, forked: list[int]
) -> None:
    root = _mixed_project(tmp_path)
    one = _status(root, fmt, 1, run_cli)
    assert forked == []  # one job: no pool
    assert one == (1, _whole(root, fmt, None, NOW), "")
    assert "s03" in one[1]  # a subject of release@3, judged again on `ship`
    for jobs in (2, 3):
        assert _status(root, fmt, jobs, run_cli) == one, jobs
    assert forked == [43, 43]  # a pool a run: the few subjects that waited are judged here


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_several_jobs_with_a_gate(fmt: str, tmp_path: Path, run_cli, forked: list[int]) -> None:
    root = _mixed_project(tmp_path)
    for gate, subjects in (("ship", 43), ("beta", 10)):
        one = _status(root, fmt, 1, run_cli, "--gate", gate)
        assert one == (1, _whole(root, fmt, gate, NOW), "")
        assert _status(root, fmt, 2, run_cli, "--gate", gate) == one
        if fmt == "json":
            assert one[1].count('"subject": ') == subjects
    assert forked == [43, 43]  # none waits for a gate named


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_several_jobs_with_declared_facts(
    fmt: str, tmp_path: Path, run_cli, forked: list[int]
) -> None:
    root = _declared_project(tmp_path)
    for path in sorted((root / "evidence").glob("*.yaml")):  # 4 subjects, and 12 like them
        for copy in range(3):
            text = path.read_text().replace(f"subject: {path.stem}", f"subject: {path.stem}{copy}")
            (root / "evidence" / f"{path.stem}{copy}.yaml").write_text(text)
    args = ["--root", str(root), "--policies", str(REPO / "policies"), "status"]
    args += ["--gate", "docs-agree", "--format", fmt, "--now", "2026-08-21"]
    one = run_cli(*args, "-j", "1")
    assert one.exit_code == 1, one.stderr
    assert one.stdout == _whole(root, fmt, "docs-agree", "2026-08-21", str(REPO / "policies"))
    two = run_cli(*args, "-j", "2")
    assert (two.exit_code, two.stdout, two.stderr) == (1, one.stdout, one.stderr)
    assert forked == [16]
    if fmt == "json":
        import json

        subjects = {s["subject"]: s for s in json.loads(two.stdout)["subjects"]}
        assert len(subjects) == 16
        assert subjects["beta"]["declared"]["declared.tier"] == 1  # sent back by a worker
        assert subjects["beta2"]["declared"] == subjects["beta"]["declared"]


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_several_jobs_with_a_policy(fmt: str, tmp_path: Path, run_cli, forked: list[int]) -> None:
    root = _mixed_project(tmp_path)
    evidence = root / "evidence"
    for path in evidence.glob("*.yaml"):  # release@1's evidence is not valid for @3
        if "release@1" in path.read_text() or path.name == "lib.yaml":
            path.unlink()
    one = _status(root, fmt, 1, run_cli, "--policy", "release@3")
    assert one[0] == 1
    assert "release@3" in one[2]  # the note that --policy judged them
    assert _status(root, fmt, 2, run_cli, "--policy", "release@3") == one
    assert forked == [22]
    if fmt == "json":
        import json

        data = json.loads(one[1])
        assert data["gate"] == "beta"  # release@3's first
        assert data["summary"]["subjects"] == 22  # release@2's and @3's, all by release@3


def test_several_jobs_keep_a_large_pages_plans(
    tmp_path: Path, run_cli, forked: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the page's limit only the first plans are built: workers build at least those."""
    from gatecheck.reporters import markdown_status, status_matrix

    for module in (markdown_status, status_matrix):
        monkeypatch.setattr(module, "LARGE_REPORT", 10)
        monkeypatch.setattr(module, "PASSING_LISTED", 3)
    needs = status_matrix.STATUS_NEEDS["markdown"]._replace(plans_limit=(10, 3))
    monkeypatch.setitem(status_matrix.STATUS_NEEDS, "markdown", needs)
    root = _mixed_project(tmp_path, subjects=80)
    one = _status(root, "markdown", 1, run_cli)
    assert one == (1, _whole(root, "markdown", None, NOW), "")
    assert "The plans of the first 3 of the" in one[1]
    assert one[1].count("<summary>Plan of ") == 3
    for jobs in (2, 3):
        assert _status(root, "markdown", jobs, run_cli) == one


@pytest.mark.parametrize("jobs", [2, 3])
def test_several_jobs_build_only_the_plans_a_large_page_shows(
    tmp_path: Path, forked: list[int], jobs: int
) -> None:
    from gatecheck.commands.status import streamed_status

    root = _mixed_project(tmp_path)
    project = open_project(str(root), None, None)
    day = dt.date.fromisoformat(NOW)
    with streamed_status(
        project, None, day, plans="failing", plans_limit=(5, 2), jobs=jobs
    ) as report:
        failing = [s.subject for s in report.subjects if not s.gates[0].status.passing]
        assert set(failing[:2]) <= set(report.plans)
        assert len(report.plans) < len(failing) - 10
        for subject in report.plans:
            assert report.plans[subject].subject == subject
    assert forked[0] == 43


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_several_jobs_write_nothing_when_the_last_file_is_invalid(
    fmt: str, tmp_path: Path, run_cli, forked: list[int]
) -> None:
    root = _mixed_project(tmp_path)
    (root / "evidence" / "zz.yaml").write_text(
        "subject: zz\npolicy: release@2\nfacts: {signed: 3}\n"
    )
    code, out, err = _status(root, fmt, 2, run_cli)
    assert (code, out) == (2, "")
    assert "evidence/zz.yaml:3" in err
    assert forked == [44]


@pytest.mark.parametrize("fmt", list(STATUS_REPORTERS))
def test_several_jobs_judge_again_once_the_leading_policy_changes(
    fmt: str, tmp_path: Path, run_cli, forked: list[int]
) -> None:
    """20 subjects of release@3 come first (its gate `beta` is the guess), 30 of release@2 after."""
    root = _mixed_project(tmp_path, subjects=0)
    for number in range(50):
        version, name = (3, f"a{number:02d}") if number < 20 else (2, f"b{number:02d}")
        (root / "evidence" / f"{name}.yaml").write_text(
            f"subject: {name}\npolicy: release@{version}\nfacts:\n"
            f"  build: {{ok: true}}\n  tests: {{passed: {number % 4}, failed: 0}}\n"
            f"  signed: {'true' if number % 3 else 'false'}\n"
        )
    one = _status(root, fmt, 1, run_cli)
    assert one == (1, _whole(root, fmt, None, NOW), "")
    assert "a19" in one[1]  # judged on `beta` first, then again on `ship`
    assert _status(root, fmt, 2, run_cli) == one
    first, again = forked
    assert first == 53
    assert again >= 20  # release@3's, on workers too
    if fmt == "json":
        assert '"gate": "ship"' in one[1]


def test_a_paged_html_page_written_in_parts_is_the_whole_page(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the page's limit the island is written a part at a time: the same bytes."""
    from gatecheck.reporters import html, html_island

    monkeypatch.setattr(html, "ALL_ROWS_UP_TO", 10)
    monkeypatch.setattr(html, "PAGE_ROWS", 4)
    monkeypatch.setattr(html_island, "_PART", 50)
    monkeypatch.setattr(html_island, "CACHED", 16)
    root = _mixed_project(tmp_path)
    result = run_cli("--root", str(root), "status", "--format", "html", "--now", NOW)
    assert result.exit_code == 1
    assert result.stdout == _whole(root, "html", None, NOW)
    assert result.stdout.count('class="subject-row"') == 4
    assert '<script type="application/json" id="status-data">{"table":[' in result.stdout
