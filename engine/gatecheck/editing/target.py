"""Which file an edit writes: the subject's evidence file where it really is, and its lock's name.

A symbolic link is followed to the file it leads to (the edit is written there, under that
directory's lock), unless it leaves the project: that is the `symlink-escape` problem.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.project.confinement import Escape, escape_problem
from gatecheck.project.local_path import LocalPath

if TYPE_CHECKING:
    from gatecheck.project.layout import Project


class Target(NamedTuple):
    """The evidence file an edit writes, and how messages name it and its lock."""

    display: str
    path: str  # the real file: a symlinked evidence file is written where its link leads
    exists: bool
    lock_display: str  # how messages name the directory whose lock the edit takes


def evidence_directory(project: Project) -> LocalPath:
    """The project's evidence directory on disk; bundled evidence is no one's to edit."""
    handle = project.evidence.handle
    if not isinstance(handle, LocalPath):
        raise InvalidInput(
            [
                Problem(
                    "unwritable",
                    f"{project.evidence.display} is gatecheck's bundled data, not yours to edit",
                    Location(project.evidence.display + "/", 0, 0),
                    "run in the directory that holds your evidence/, or pass --root or --evidence",
                )
            ]
        )
    return handle


def find_target(
    project: Project, subject: str, create: dict[str, Any] | None, directory: LocalPath
) -> Target:
    """The file to edit, where it really is: a symbolic link that leaves the project is refused."""
    here = directory.real_path()
    try:
        file = project.evidence_file(subject)
    except InvalidInput as error:
        wanted = f"{project.evidence.display}/{subject}.yaml"
        if create is None or any(p.location.path != wanted for p in error.problems):
            raise  # no envelope to start from, or not a subject name at all
        path = os.path.join(here, f"{subject}.yaml")
        return Target(wanted, path, exists=False, lock_display=project.evidence.display)
    assert isinstance(file.handle, LocalPath)  # noqa: S101 - found in a local directory
    real = file.handle.real_path()
    reason = directory.confinement.refusal(real) if directory.confinement else None
    if reason is not None:
        raise InvalidInput([escape_problem(file.display, Escape(real, reason))])
    folder = os.path.dirname(real)
    shown = project.evidence.display if folder == here else _shown(folder, project.root)
    return Target(file.display, real, exists=True, lock_display=shown)


def _shown(path: str, root: str) -> str:
    """A directory as messages name it: from the root, as every path is shown."""
    try:
        return os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:  # pragma: no cover - Windows: another drive
        return path
