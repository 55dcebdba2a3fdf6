"""A directory's listing keeps names only, and makes each file as it is asked for."""

import os
from pathlib import Path

import pytest

from gatecheck.errors import InvalidInput
from gatecheck.project.confinement import Confinement
from gatecheck.project.directory import Directory
from gatecheck.project.local_path import ListedFiles, LocalPath


@pytest.fixture
def listing(tmp_path: Path) -> ListedFiles:
    inside = tmp_path / "repo" / "evidence"
    inside.mkdir(parents=True)
    for name in ("b.yaml", "a.yml", "c.yaml", "notes.txt"):
        (inside / name).write_text(f"subject: {name}\n")
    (inside / "dir.yaml").mkdir()  # a directory is not a file
    (tmp_path / "outside.yaml").write_text("secret: 1\n")
    (inside / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    confinement = Confinement((str(tmp_path / "repo"),), "the repository")
    handle = LocalPath(str(inside), real=os.path.realpath(inside), confinement=confinement)
    files = Directory("evidence", handle).yaml_files()
    assert isinstance(files, ListedFiles)
    return files


def test_the_listing_is_every_yaml_file_in_name_order(listing: ListedFiles) -> None:
    shown = ["evidence/a.yml", "evidence/b.yaml", "evidence/c.yaml", "evidence/link.yaml"]
    assert [file.display for file in listing] == shown
    assert len(listing) == 4
    assert [file.display for file in listing[1:3]] == shown[1:3]
    assert listing[-1].display == "evidence/link.yaml"
    assert [file.stem for file in listing] == ["a", "b", "c", "link"]


def test_each_file_made_from_the_listing_reads_as_a_listed_file_did(listing: ListedFiles) -> None:
    assert listing[1].read_bytes() == b"subject: b.yaml\n"
    assert isinstance(listing[1].handle, LocalPath)
    real = listing[1].handle.real_path()
    assert real.endswith(os.path.join("repo", "evidence", "b.yaml"))
    # A symbolic link is resolved when read: out of the repository, it is refused, located.
    with pytest.raises(InvalidInput) as refused:
        listing[3].read_bytes()
    (problem,) = refused.value.problems
    assert problem.location.path == "evidence/link.yaml"
