"""Edits that depend on the file, and facts recorded as known to be unknown (null).

`gatecheck collect` writes through these (see tests further down for what it does with them).
"""

from __future__ import annotations

import datetime as dt
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from tests.conftest import REPO

from gatecheck.errors import InvalidInput
from gatecheck.project import open_project
from gatecheck.source import load_bytes

if TYPE_CHECKING:
    from pathlib import Path


def new_project(directory: Path) -> Path:
    """Policies and schemas of this repository, and an empty evidence directory."""
    for name in ("policies", "schemas"):
        shutil.copytree(REPO / name, directory / name)
    (directory / "evidence").mkdir()
    return directory


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return new_project(tmp_path / "project")


def evidence(root: Path) -> str:
    return (root / "evidence" / "tail-call.yaml").read_text(encoding="utf-8")


def data(root: Path) -> Any:
    return load_bytes((root / "evidence" / "tail-call.yaml").read_bytes(), "t").data


# -- the editing API the collector writes through ----------------------------------------------


def test_decide_sees_the_file_and_sets_envelope_and_sources(root: Path) -> None:
    from gatecheck.editing import Changes, FactChange, edit_evidence

    project = open_project(str(root))
    seen: list[Any] = []

    def decide(current: Any) -> Changes:
        seen.append(current)
        return Changes(
            [FactChange("docs", None, {"note": "unknown"})],
            envelope={"as_of": dt.date(2024, 1, 2), "policy": "wasm-proposal@2"},
        )

    create = {"policy": "wasm-proposal@1", "as_of": dt.date(2024, 1, 1)}
    edit_evidence(project, "tail-call", create=create, decide=decide)
    assert seen == [None]
    assert evidence(root) == (
        "subject: tail-call\npolicy: wasm-proposal@2\nas_of: 2024-01-02\nfacts:\n  docs: null\n"
        "sources:\n  docs: {note: unknown}\n"
    )
    text = evidence(root).replace("facts:\n", "# the facts\nfacts:\n")
    (root / "evidence" / "tail-call.yaml").write_text(text, encoding="utf-8")

    def from_the_file(current: dict[str, Any] | None) -> Changes:
        assert current is not None
        return Changes(
            sources={"docs": {"note": f"was {current['facts']['docs']}"}},
            envelope={"as_of": dt.date(2024, 1, 2)},
        )

    result = edit_evidence(project, "tail-call", decide=from_the_file)
    assert result.diff.count("\n-") == 1  # one line: the source
    assert "# the facts\n" in evidence(root)
    assert "  docs: {note: was None}\n" in evidence(root)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"sources": {"apis.c": {"note": "x"}}}, "cannot set the source of apis.c"),
        ({"envelope": {"subject": "other"}}, "`subject` is not an envelope key an edit sets"),
    ],
)
def test_edits_the_api_refuses(root: Path, changes: dict[str, Any], words: str) -> None:
    from gatecheck.editing import Changes, edit_evidence

    (root / "evidence" / "tail-call.yaml").write_text(
        "subject: tail-call\npolicy: wasm-proposal@1\nfacts: {docs: true}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as raised:
        edit_evidence(open_project(str(root)), "tail-call", decide=lambda _: Changes(**changes))
    (problem,) = raised.value.problems
    assert (problem.code, words in problem.message) == ("bad-edit", True)


def test_null_means_known_to_be_unknown(run_cli: Any, root: Path) -> None:
    (root / "evidence" / "tail-call.yaml").write_text(
        "subject: tail-call\npolicy: wasm-proposal@1\nfacts:\n  proposal: {phase: null}\n"
        "  fuzzing: null\nsources:\n  proposal.phase: {note: no vote recorded}\n",
        encoding="utf-8",
    )
    assert run_cli("validate", "--root", str(root)).exit_code == 0
    misspelt = evidence(root).replace("phase: null", "phse: null")
    (root / "evidence" / "tail-call.yaml").write_text(misspelt, encoding="utf-8")
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 2
    assert "unknown fact 'proposal.phse'" in result.stderr


def test_record_collected_at(run_cli: Any, root: Path) -> None:
    (root / "evidence" / "tail-call.yaml").write_text(
        "subject: tail-call\npolicy: wasm-proposal@1\nfacts: {}\n", encoding="utf-8"
    )
    args = ("record", "tail-call", "docs", "true", "--root", str(root), "--collected-at")
    assert run_cli(*args, "2024-01-02").exit_code == 0
    assert data(root)["sources"]["docs"] == {"collected_at": dt.date(2024, 1, 2)}
    late = run_cli(*args, "2999-01-01")
    assert late.exit_code == 2
    assert "evidence cannot describe a day that has not come" in late.stderr
