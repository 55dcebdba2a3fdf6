"""How a SUBJECT argument's text says which form it is, and how files named elsewhere are shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from gatecheck.errors import InvalidInput
from gatecheck.project.layout import open_project
from gatecheck.project.subject_arguments import edited_subject, form, subject_files

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("-", "stdin"),
        ("foo-bar", "name"),
        ("foo.bar", "name"),  # a dot alone does not make a path
        ("Foo", "name"),  # refused later as no subject name, not read as a file
        ("foo-bar.yaml", "path"),
        ("x.yml", "path"),
        ("evidence/foo-bar", "path"),
        ("/abs/x.yaml", "path"),
        ("tail-*", "glob"),
        ("evidence/wasm-*.yaml", "glob"),
        ("[ab]c", "glob"),
        ("a?", "glob"),
    ],
)
def test_the_form_is_told_by_the_text(argument: str, expected: str) -> None:
    assert form(argument) == expected


def test_files_outside_the_root_are_shown_in_full(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    away = tmp_path / "away"
    away.mkdir()
    (away / "lib.yaml").write_text("subject: lib\n")
    monkeypatch.chdir(away)
    opened = open_project(str(project))
    (file,) = subject_files(opened, ["lib.yaml"])
    assert file.display == str(away / "lib.yaml")
    (file,) = subject_files(opened, [str(project / "evidence" / "lib.yaml"), "lib"])
    assert file.display == "evidence/lib.yaml"


def test_an_edit_names_the_subject_of_a_path_in_the_evidence_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "policies")
    opened = open_project(str(project))
    assert edited_subject(opened, "../evidence/lib.yaml") == "lib"
    assert edited_subject(opened, "lib") == "lib"
    with pytest.raises(InvalidInput) as refused:
        edited_subject(opened, "release.yaml")
    assert [problem.code for problem in refused.value.problems] == ["not-editable"]
    assert refused.value.problems[0].location.path == "policies/release.yaml"
