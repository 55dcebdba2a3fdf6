"""A repository's history in bulk: first-parent lines, the changes along them, object ids.

Each method is one git command over many commits, so a replay of thousands of commits
(`gatecheck history`) costs a handful of processes, not one per commit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.git.revisions import RevisionReader

if TYPE_CHECKING:
    from collections.abc import Iterable

_ZERO_ID = re.compile(r"0+")


class Dated(NamedTuple):
    """A commit with its committer date (seconds since the epoch, and ISO 8601) and summary."""

    commit: str
    seconds: int
    date: str
    summary: str = ""  # the first line of its message


class HistoryReader(RevisionReader):
    """A `RevisionReader` that also lists history: first-parent lines, changes, object ids."""

    def first_parents(self, to: str, *, after: str | None = None) -> list[Dated]:
        """The first-parent line of `to`, oldest first; with `after`, only commits it lacks."""
        args = ["log", "--first-parent", "--format=%H %ct %cI %s", to]
        if after is not None:
            args += ["--not", after]
        return list(reversed(self._dated(self._log(*args))))

    def reachable(self, rev: str = "HEAD") -> list[Dated]:
        """Every commit reachable from `rev`, in `git log`'s order (newest first, by date)."""
        return self._dated(self._log("log", "--format=%H %ct %cI", rev))

    def changes(
        self, to: str, after: str, paths: Iterable[str]
    ) -> dict[str, dict[str, str | None]]:
        """The object id each of `paths` changes to, by commit (None: deleted).

        The commits are those of the first-parent line of `to` that `after` lacks and that change
        one of `paths` against their first parent.
        """
        raw = self._log(
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--format=C %H",
            to,
            "--not",
            after,
            "--",
            *paths,
        )
        found: dict[str, dict[str, str | None]] = {}
        changed: dict[str, str | None] = {}
        for line in raw.split("\n"):
            if line.startswith("C "):
                changed = found[line[2:]] = {}
            elif line.startswith(":"):
                meta, _, path = line.partition("\t")
                _, new_mode, _, new_id, _ = meta[1:].split(" ", 4)
                blob = new_mode not in {"000000", "160000"} and not _ZERO_ID.fullmatch(new_id)
                changed[path] = new_id if blob else None
        return found

    def blob_ids(self, wanted: list[tuple[str, str]]) -> list[str | None]:
        """The object id of each (commit, path); None where there is no file.

        A symbolic link is not followed: its object is the link, as `read` reads it.
        """
        asked = [(commit, path) for commit, path in wanted if "\n" not in path]
        if not asked:
            return [None] * len(wanted)
        request = "".join(f"{commit}:{path}\n" for commit, path in asked)
        raw = self.run(
            ("cat-file", "--batch-check=%(objectname) %(objecttype)"),
            check=True,
            stdin=request.encode("utf-8", "surrogateescape"),
        )
        answers = iter((raw or b"").decode("utf-8", "surrogateescape").split("\n"))
        found: dict[tuple[str, str], str | None] = {}
        for key in asked:
            fields = next(answers).split(" ")
            found[key] = fields[0] if len(fields) == 2 and fields[1] == "blob" else None  # noqa: PLR2004
        return [found.get(key) for key in wanted]

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.run(("merge-base", "--is-ancestor", older, newer), check=False) is not None

    def _log(self, *args: str) -> str:
        return (self.run(args, check=True) or b"").decode("utf-8", "surrogateescape")

    @staticmethod
    def _dated(text: str) -> list[Dated]:
        found = []
        for line in text.split("\n"):
            if line:
                commit, seconds, date, *summary = line.split(" ", 3)
                found.append(Dated(commit, int(seconds), date, "".join(summary)))
        return found
