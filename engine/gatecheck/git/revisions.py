"""Any commit of a repository, bare or with a work tree: which commit a name means, its files."""

from __future__ import annotations

from typing import NamedTuple

from gatecheck.errors import InvalidInput
from gatecheck.git.objects import ObjectReader
from gatecheck.git.process import fail
from gatecheck.limits import MAX_FILES
from gatecheck.reading import too_many_files


class Revision(NamedTuple):
    """A commit and its committer date (ISO 8601), as read from git."""

    commit: str
    date: str


class RevisionReader(ObjectReader):
    """Files of any commit of a repository (bare or with a work tree), read with no checkout.

    `read` answers every `COMMIT:PATH` from one `git cat-file --batch` process. Close it with
    `close()` (or use `with`).
    """

    def __init__(self, directory: str, display: str) -> None:
        super().__init__(directory, display)
        # no work-tree check: a bare repository is fine here
        if self.run(("rev-parse", "--git-dir"), check=False) is None:
            fail(
                "not-a-repository",
                f"{display} is not a git repository",
                display,
                "pass the path of a clone (a work tree or a bare repository)",
            )

    def revision(self, rev: str) -> Revision:
        """The commit `rev` names and its date; an unknown revision is a located problem."""
        found = None
        if not rev.startswith("-"):  # never let a revision be read as an option
            found = self.run(
                ("log", "-1", "--format=%H %cI", f"{rev}^{{commit}}", "--"), check=False
            )
        if not found:
            fail(
                "unknown-ref",
                f"{rev}: no such commit in {self.display}",
                self.display,
                "name a branch, tag or commit that exists in that repository",
            )
        commit, _, date = found.decode().strip().partition(" ")
        return Revision(commit, date)

    def latest_before(self, date: str, rev: str = "HEAD") -> Revision | None:
        """The newest commit reachable from `rev` committed at or before `date`, if any."""
        found = self.run(
            ("log", "-1", f"--before={date}", "--format=%H %cI", rev, "--"), check=False
        )
        if not found or not found.strip():
            return None
        commit, _, when = found.decode().strip().partition(" ")
        return Revision(commit, when)

    def files_under(self, commit: str, directory: str) -> list[str]:
        """Every regular file below `directory` at `commit`, at any depth.

        Links and submodules are not files; more than MAX_FILES is `too-many-files`.
        """
        listed = self.run(("ls-tree", "-r", "-z", commit, "--", directory), check=False) or b""
        found = []
        for entry in listed.decode("utf-8", "surrogateescape").split("\0"):
            meta, _, path = entry.partition("\t")
            if meta.split(" ")[0] in {"100644", "100755"}:
                found.append(path)
        if len(found) > MAX_FILES:
            raise InvalidInput([too_many_files(directory)])
        return found

    def tags(self) -> list[str]:
        listed = self.run(("tag", "--list"), check=False) or b""
        return listed.decode("utf-8", "replace").split()
