"""What differs in the work tree from a commit, as git's index sees it, without reading a file."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.git.process import GitProcess

# What `differing` compares, whatever the repository's configuration says: every stat field
# (core.checkStat=minimal would leave a same-size edit unseen), ctime included (an edit can set
# the mtime back, not the ctime), no file system monitor (a hook that could say nothing changed).
_STAT_CONFIG = (
    "-c",
    "core.checkStat=default",
    "-c",
    "core.trustctime=true",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.ignoreStat=false",
)
# A plain index entry: tag H (cached, no assume-unchanged or skip-worktree bit), a regular file's
# mode, stage 0; anything else is unusual. `ls-files -s -v`: "<tag> <mode> <id> <stage>\t<path>".
_UNUSUAL_ENTRY = re.compile(rb"\0(?!H 100(?:644|755) [0-9a-f]+ 0\t)[^\0\t]*\t([^\0]*)")


def unvouched(git: GitProcess, commit: str, paths: list[str]) -> set[str]:
    """Paths under `paths` whose file in the work tree git cannot vouch is the one at `commit`.

    It reads no file, and lists a file touched but unchanged all the same (the caller reads
    what is listed). Three listings, run at once:

    - `git diff-index` against the commit, through the index: an entry whose blob differs
      from the commit's, that is missing on either side, or whose file's stat data (size,
      times, inode; ctime too, whatever the configuration says) differ from the index's;
    - index entries that diff-index takes the index's word for, or compares as something
      else than a file: marked assume-unchanged or skip-worktree, unmerged, symbolic links
      (their target may change, not the link), gitlinks;
    - files the index does not hold at all, ignored ones included.
    """
    from concurrent.futures import ThreadPoolExecutor

    commands = [
        (*_STAT_CONFIG, "diff-index", "-z", "--name-only", "--no-renames", commit, "--"),
        ("ls-files", "-z", "-s", "-v", "--"),
        ("ls-files", "-z", "--others", "--"),
    ]

    def listing(args: tuple[str, ...]) -> bytes | None:
        return git.run((*args, *paths), check=True)

    with ThreadPoolExecutor(len(commands)) as pool:
        outputs = list(pool.map(listing, commands))
    differing, entries, others = (raw or b"" for raw in outputs)
    found = _names(differing) | _names(others)
    listed = b"\0" + entries  # each entry starts with a NUL: the pattern's first character
    found.update(
        match[1].decode("utf-8", "surrogateescape") for match in _UNUSUAL_ENTRY.finditer(listed)
    )
    return found


def _names(raw: bytes | None) -> set[str]:
    """The paths of a `-z` listing of names."""
    return {name for name in (raw or b"").decode("utf-8", "surrogateescape").split("\0") if name}
