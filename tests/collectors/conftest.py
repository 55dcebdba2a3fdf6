"""Fixtures of the collectors' tests: the fixture repositories, and the evidence edits recorded."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
from tests.support.collect import Edit, Repos, build_repos


@pytest.fixture
def repos(tmp_path: Path) -> Repos:
    return build_repos(tmp_path)


@pytest.fixture
def edits(monkeypatch: pytest.MonkeyPatch) -> list[Edit]:
    """Record what would be written: evidence is written by editing.evidence_files, tested there.

    The plan is the one for a new file (`decide(None)`): every fact the collector owns, a null
    where it is not determined.
    """
    from gatecheck.editing import evidence_files as editing

    recorded: list[Edit] = []

    class EditResult(NamedTuple):
        path: Path
        diff: str
        changed: bool

    def edit_evidence(project, subject, *, create=None, dry_run=False, decide=None):
        changes = decide(None)
        recorded.append(
            Edit(
                subject,
                {change.fact: change.value for change in changes.facts},
                {change.fact: change.source for change in changes.facts},
                create,
                dry_run,
            )
        )
        return EditResult(Path(project.root) / "evidence" / f"{subject}.yaml", "", True)

    monkeypatch.setattr(editing, "edit_evidence", edit_evidence)
    return recorded
