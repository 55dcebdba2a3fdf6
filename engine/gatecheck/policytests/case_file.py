"""A policy test file found on disk or bundled: reading it, and the files it names beside it."""

from __future__ import annotations

import os
import posixpath
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.loading.parsing import load_bytes

if TYPE_CHECKING:
    from gatecheck.documents import Document
    from gatecheck.project.directory import Directory
    from gatecheck.project.input_file import InputFile


class CaseFile(NamedTuple):
    """A policy test file and how to find the files it names."""

    file: InputFile
    local: str | None  # its path on disk, when it has one: references resolve with os.path
    tree: Directory  # the directory it was found in (bundled tests resolve references inside it)
    relative: str  # its path inside `tree`

    def resolve(self, reference: str, root: str) -> InputFile | None:
        """The file a path relative to this test file names, or None if there is none."""
        from gatecheck.project.input_file import InputFile
        from gatecheck.project.local_path import LocalPath

        if self.local is not None:
            path = os.path.normpath(os.path.join(os.path.dirname(self.local), reference))
            display = os.path.relpath(path, root).replace(os.sep, "/")
            return InputFile(display, LocalPath(path)) if os.path.isfile(path) else None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.relative), reference))
        if target == ".." or target.startswith(("../", "/")):
            return None  # bundled tests refer only to files beside them
        handle = self.tree.handle
        for part in target.split("/"):
            handle = handle.joinpath(part)
        return InputFile(f"{self.tree.display}/{target}", handle) if handle.is_file() else None


def read_document(file: InputFile) -> Document:
    """A test or evidence file, parsed; its problems raised, located in it."""
    try:
        raw = file.read_bytes()
    except OSError as error:  # pragma: no cover - a file that is there but cannot be read
        reason = error.strerror or type(error).__name__
        raise InvalidInput(
            [Problem("unreadable", f"cannot read file: {reason}", Location(file.display, 1, 1))]
        ) from None
    return load_bytes(raw, file.display)
