"""Who wrote a line: `git blame`, with authors read from the commits themselves (no .mailmap)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from gatecheck.git.objects import ObjectReader

_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$")
_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1 or SHA-256
_AUTHOR_LINE = re.compile(rb"^author (.*?) <([^<>]*)> \d+ [+-]\d{4}$", re.MULTILINE)


class Author(NamedTuple):
    name: str
    email: str

    def identities(self) -> frozenset[str]:
        """The names this person may go by in a policy's reviewer list (lower case).

        Git records a name and an email, a policy names GitHub logins: a GitHub no-reply address
        gives the login exactly; otherwise the email's local part and domain label and the name
        without spaces are the likely logins. Matching more names only refuses more attestations.
        """
        found = {self.name.lower().replace(" ", ""), self.name.lower().replace(" ", "-")}
        noreply = _NOREPLY.match(self.email)
        if noreply:
            found.add(noreply.group(1).lower())
        elif "@" in self.email:
            local, _, domain = self.email.lower().partition("@")
            found.add(local)
            found.add(domain.split(".")[0])
        return frozenset(name for name in found if name)


def blame(git: ObjectReader, path: str, lines: list[int]) -> dict[int, Author]:
    """Who wrote each of `lines` of the working-tree file `path` (uncommitted lines: nobody).

    Each author is read from the commit object itself, not from blame's author fields: those
    pass through `.mailmap`, which the change under review may add or edit. An empty
    `--ignore-revs-file=` drops any ignore-revs file the configuration names, which the change
    could edit to hand its lines to an older commit.
    """
    wanted = sorted({line for line in lines if line > 0})
    if not wanted:
        return {}
    ranges = [arg for line in wanted for arg in ("-L", f"{line},{line}")]
    raw = git.run_text(
        "blame", "--porcelain", "--ignore-revs-file=", *ranges, "--", path, check=False
    )
    if raw is None:  # an untracked file: nothing of it is committed yet
        return {}
    commits = _blamed_commits(raw)
    ids = sorted(set(commits.values()))
    authors = dict(zip(ids, map(_commit_author, git.objects(ids)), strict=True))
    return {line: author for line, sha in commits.items() if (author := authors[sha]) is not None}


def _blamed_commits(porcelain: str) -> dict[int, str]:
    """The commit that last changed each final line of `git blame --porcelain`; never all zeros."""
    found: dict[int, str] = {}
    for line in porcelain.splitlines():
        head, _, rest = line.partition(" ")
        # "<id> <original line> <final line> [<lines>]": SHA-1 or SHA-256; all zeros: uncommitted
        if _OBJECT_ID.fullmatch(head) and head.strip("0"):
            found[int(rest.split()[1])] = head
    return found


def _commit_author(commit: bytes) -> Author | None:
    """The `author` of a raw commit object, as recorded (no .mailmap applies)."""
    header = commit.split(b"\n\n", 1)[0]
    found = _AUTHOR_LINE.search(header)
    if found is None:  # pragma: no cover - git writes an author line in every commit
        return None
    name, email = (part.decode("utf-8", "replace") for part in found.groups())
    return Author(name, email)
