"""gatecheck.git on small temporary repositories: the failures become located problems."""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.git import commit_files
from tests.support.git import git as run_git

from gatecheck.errors import InvalidInput
from gatecheck.git import process as git
from gatecheck.git.blame import Author
from gatecheck.git.repository import Repository
from gatecheck.git.revisions import RevisionReader

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    directory = tmp_path / "repo"
    commit_files(directory, {"a.txt": "one\n", "d/b.txt": "two\n"}, "2025-01-01T00:00:00+00:00")
    return directory


def _code(raised: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, str]:
    (problem,) = raised.value.problems
    return problem.code, problem.message


def test_git_missing_from_path(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reader = RevisionReader(str(repo), "repo")  # opened while git is there
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(InvalidInput) as raised:
        Repository(str(repo), "repo")
    assert _code(raised) == ("git-failed", "git is not installed")
    with pytest.raises(InvalidInput) as raised:
        reader.read("HEAD", "a.txt")
    assert _code(raised) == ("git-failed", "git is not installed")


def test_a_hung_git_times_out(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*_args: object, **_kwargs: object) -> None:
        raise subprocess.TimeoutExpired(cmd=["git"], timeout=git._TIMEOUT)

    monkeypatch.setattr(subprocess, "run", hang)
    with pytest.raises(InvalidInput) as raised:
        Repository(str(repo), "repo")
    assert _code(raised) == ("git-failed", f"git rev-parse took over {git._TIMEOUT} s")


def test_files_of_a_repository(repo: Path) -> None:
    repository = Repository(str(repo), "repo")
    repository.close()  # nothing to close yet
    assert repository.show("HEAD", "a.txt") == b"one\n"
    assert repository.show("HEAD", "missing.txt") is None
    # A name with a line break would be two requests to `cat-file --batch`, and every later read
    # would get the answer meant for the one before: such a name is never asked for.
    assert repository.show("HEAD", "missing.txt\nHEAD:a.txt") is None
    assert repository.show("HEAD", "missing.txt") is None
    assert repository.show("HEAD", "a.txt") == b"one\n"
    assert repository.objects([]) == []
    (repo / "d" / "link").symlink_to("b.txt")
    (repo / "d" / "out").symlink_to("/etc/hostname")
    (repo / "d" / "dangling").symlink_to("nothing.txt")
    commit_files(repo, {"d/sub/c.txt": "three\n"}, "2025-02-01T00:00:00+00:00")
    # A link inside the tree reads as a checkout would read it; one out of the tree or to
    # nothing is no file, and a subdirectory's files are not the directory's.
    assert repository.tree("HEAD", "d") == {"d/b.txt": b"two\n", "d/link": b"two\n"}
    assert repository.tree("HEAD", "missing") is None
    assert repository.tree("HEAD", "a.txt") is None
    # Each path itself, a link not followed (asking for d/link lists d's other entries too)
    entries = repository.entries("HEAD", ["d", "none"])
    assert entries == {"d": ("040000", run_git(repo, "rev-parse", "HEAD:d").strip())}
    entries = repository.entries("HEAD", ["d/link"])
    assert entries["d/link"] == ("120000", run_git(repo, "rev-parse", "HEAD:d/link").strip())
    with pytest.raises(InvalidInput) as raised:
        repository.entries("no-such-commit", ["d"])
    code, message = _code(raised)
    assert code == "git-failed"
    assert message.startswith("git ls-tree -z failed: fatal: ")
    repository.close()


def test_blame_of_nothing_and_of_an_untracked_file(repo: Path) -> None:
    with Repository(str(repo), "repo") as repository:
        assert repository.blame("a.txt", [0, -1]) == {}
        (repo / "new.txt").write_text("x\n")
        assert repository.blame("new.txt", [1]) == {}
        assert repository.blame("a.txt", [1]) == {1: Author("t", "t@example.com")}


def test_no_common_ancestor_with_the_default_branch(repo: Path) -> None:
    run_git(repo, "checkout", "-q", "--orphan", "other")
    commit_files(repo, {"c.txt": "three\n"}, "2025-03-01T00:00:00+00:00")
    with pytest.raises(InvalidInput) as raised:
        Repository(str(repo), "repo").default_base()
    assert _code(raised) == ("unknown-ref", "HEAD has no common ancestor with main")
    assert raised.value.problems[0].hint == "pass --base REF"


def test_revision_reader_edges(repo: Path) -> None:
    with RevisionReader(str(repo), "repo") as reader:
        with pytest.raises(InvalidInput) as raised:
            reader.revision("--all")  # never read as an option
        assert _code(raised) == ("unknown-ref", "--all: no such commit in repo")
        assert reader.latest_before("2000-01-01") is None
        assert reader.read("HEAD", "d") is None  # a tree, not a file
        assert reader.read("HEAD", "a.txt") == b"one\n"
        # "HEAD:no such missing": a missing name with a space is still missing, not a crash
        assert reader.read("HEAD", "no such") is None
        assert reader.read("HEAD", "a.txt") == b"one\n"  # and the batch process still answers


def test_an_email_without_a_domain() -> None:
    assert Author("Jo Doe", "jodoe").identities() == frozenset({"jodoe", "jo-doe"})


def test_every_git_process_runs_in_the_one_git_environment(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One command or the `cat-file --batch` process: both get `git_environment`'s environment."""
    environments: list[object] = []
    real_popen = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        environments.append(kwargs.get("env"))
        return real_popen(*args, **kwargs)

    monkeypatch.setenv("GIT_DIR", str(repo / "elsewhere"))  # as inside a hook: dropped
    monkeypatch.setattr(subprocess, "Popen", popen)  # `subprocess.run` starts one too
    with Repository(str(repo), "repo") as repository:
        assert repository.show("HEAD", "a.txt") == b"one\n"
        assert repository.unvouched("HEAD", ["."]) == set()
    assert len(environments) >= 5  # rev-parse, cat-file --batch, the three listings
    assert all(env == git.git_environment(os.environ) for env in environments)
