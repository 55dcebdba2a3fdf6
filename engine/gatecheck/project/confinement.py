"""Where a project's files may really be: inside the repository (or project root), not in a .git.

A change under review controls the repository's symbolic links: one that leads elsewhere would
read, and print, a file of the machine that runs the check. Every file is read only if its real
path passes its project's Confinement.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from gatecheck.errors import Location, Problem


class Confinement(NamedTuple):
    """Where a project's files may really be: inside one of `areas` (real paths), not in a .git."""

    areas: tuple[str, ...]
    name: str  # how messages name the first area: "the repository" or "the project root"

    def refusal(self, real: str) -> str | None:
        """Why a file whose real path is `real` may not be read; None when it may."""
        for area in self.areas:
            inner = _below(real, area)
            if inner is None:
                continue
            # A repository's .git holds its configuration (and, after actions/checkout, a token)
            if any(part.casefold() == ".git" for part in inner.split(os.sep)):
                return f"into the .git directory of {self.name}"
            return None
        return f"outside {self.name}"

    def passes_through(self, path: str) -> bool:
        """Whether a directory above `path` really is inside the confinement.

        A path named on the command line that does not pass through the repository at all is the
        caller's choice; one that does, but leads out through a link, is a change's link.
        """
        directory = os.path.dirname(os.path.abspath(path))
        while True:
            if self.refusal(os.path.realpath(directory)) is None:
                return True
            parent = os.path.dirname(directory)
            if parent == directory:
                return False
            directory = parent


def _below(path: str, directory: str) -> str | None:
    """`path` relative to `directory` if it is that directory or inside it, else None."""
    if path == directory:
        return ""
    prefix = directory if directory.endswith(os.sep) else directory + os.sep
    return path[len(prefix) :] if path.startswith(prefix) else None


class Escape(Exception):  # noqa: N818 - like FileTooLarge: named for what the input does
    """A path whose real location is refused by its project's Confinement."""

    def __init__(self, real: str, reason: str) -> None:
        super().__init__(real, reason)
        self.real = real
        self.reason = reason


def escape_problem(display: str, error: Escape) -> Problem:
    """The `symlink-escape` problem of a file or directory (`display`) that leads elsewhere."""
    return Problem(
        "symlink-escape",
        f"a symbolic link leads {error.reason} (to {error.real}): gatecheck reads only files"
        " inside it",
        Location(display, *((0, 0) if display.endswith("/") else (1, 1))),
        "replace the link with the file or directory itself, or point it inside",
    )
