"""`check --all` streams: the subjects are judged a file at a time and read back from a spool.

What is written must be what the same report gives when every subject is held in memory, in
every format, and invalid input must leave no half report.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.check_repos import NOW, PASSING, new_repository
from tests.support.git import MAINTAINER, commit, git

from gatecheck.reporters import REPORTERS

if TYPE_CHECKING:
    from pathlib import Path


def _subject(number: int) -> str:
    text = PASSING.replace("subject: lib", f"subject: s{number:02d}")
    if number % 3 == 0:
        text = text.replace("failed: 0", f"failed: {number % 4}")
    if number % 5 == 0:
        text = text.replace("windows: false", "windows: true")
        text = text.replace("macos: true", "macos: false")
    if number % 2 == 0:
        text = text.replace("claims: []", "claims: [ship]")
    return text


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Thirty subjects more on main; the change edits two, adds one, and deletes one."""
    root = new_repository(tmp_path / "repo")
    git(root, "checkout", "-q", "main")
    for number in range(30):
        (root / "evidence" / f"s{number:02d}.yaml").write_text(_subject(number))
    commit(root, "thirty subjects", author=MAINTAINER)
    git(root, "checkout", "-q", "-b", "streamed")
    (root / "evidence" / "s01.yaml").write_text(_subject(1).replace("claims: []", "claims: [ship]"))
    (root / "evidence" / "s03.yaml").write_text(_subject(3).replace("failed: 3", "failed: 0"))
    (root / "evidence" / "s30.yaml").write_text(_subject(30))
    (root / "evidence" / "s29.yaml").unlink()
    commit(root, "the change")
    return root


@pytest.mark.parametrize("fmt", list(REPORTERS))
def test_check_all_writes_what_the_report_held_in_memory_gives(
    fmt: str, repo: Path, run_cli
) -> None:
    from gatecheck.commands.check import CheckOptions, check_change
    from gatecheck.commands.spool import SpooledRows

    result = run_cli(
        "check", "--all", "--base", "main", "--root", str(repo), "--now", NOW, "--format", fmt
    )
    assert result.exit_code == 1
    options = CheckOptions("main", True, None, dt.date.fromisoformat(NOW))
    streamed = check_change(str(repo), None, None, options, fallback=False)
    assert isinstance(streamed.subjects, SpooledRows)
    held = streamed._replace(subjects=tuple(streamed.subjects))
    assert len(held.subjects) == 31  # lib, s00..s28, s30
    results = streamed.report.subjects
    assert len(results) == 31
    assert results[0] == held.subjects[0].result
    assert list(results[1:3]) == [item.result for item in held.subjects[1:3]]
    assert result.stdout == REPORTERS[fmt].render_check(held)
    assert REPORTERS[fmt].render_check(streamed) == result.stdout
    if fmt == "json":
        changes = {s["subject"]: s["change"] for s in json.loads(result.stdout)["subjects"]}
        assert (changes["s01"], changes["s03"], changes["s30"], changes["s05"]) == (
            "modified",
            "modified",
            "added",
            "all",
        )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_invalid_evidence_leaves_no_half_report(fmt: str, repo: Path, run_cli) -> None:
    (repo / "evidence" / "zz.yaml").write_text("subject: zz\npolicy: release\nfacts: {docs: 3}\n")
    commit(repo, "an invalid file, read last")
    result = run_cli(
        "check", "--all", "--base", "main", "--root", str(repo), "--now", NOW, "--format", fmt
    )
    assert result.exit_code == 2
    assert "evidence/zz.yaml:3" in result.stderr
    if fmt == "text":
        assert result.stdout == ""
    else:  # the problems, as `validate --format json` writes them: no subject's verdicts
        assert "subjects" not in json.loads(result.stdout)


def test_evidence_dated_after_the_judging_day_is_refused_after_every_file(
    repo: Path, run_cli
) -> None:
    late = _subject(7).replace("as_of: 2026-03-01", "as_of: 2026-03-09")
    (repo / "evidence" / "s07.yaml").write_text(late)
    (repo / "evidence" / "s08.yaml").write_text(late.replace("subject: s07", "subject: s08"))
    commit(repo, "two files from the future")
    result = run_cli("check", "--all", "--base", "main", "--root", str(repo), "--now", NOW)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "evidence/s07.yaml" in result.stderr
    assert "evidence/s08.yaml" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_all_lists_the_base_directory_instead_of_looking_up_each_file(
    fmt: str, repo: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # git reads a directory's tree again for every path it looks up: looking up each of 100,000
    # files is quadratic, so above a few dozen the directory is listed once. Same report.
    from gatecheck.commands.check import base_evidence
    from gatecheck.git.objects import ObjectReader

    asked: list[int] = []
    real = ObjectReader.lookup

    def spy(self: ObjectReader, commit: str, paths: list[str]) -> list[Any]:
        asked.append(len(paths))
        return real(self, commit, paths)

    monkeypatch.setattr(ObjectReader, "lookup", spy)
    args = ("check", "--all", "--base", "main", "--root", str(repo), "--now", NOW, "--format", fmt)
    monkeypatch.setattr(base_evidence, "LIST_ABOVE", 10_000)
    looked_up = run_cli(*args)
    assert max(asked) == 28  # the evidence files not looked up yet, in one lookup
    asked.clear()
    monkeypatch.setattr(base_evidence, "LIST_ABOVE", 4)
    listed = run_cli(*args)
    assert max(asked) <= 4  # the change's few files, the directory itself, its links (none)
    assert (listed.exit_code, listed.stdout) == (looked_up.exit_code, looked_up.stdout)
    assert listed.exit_code == 1
