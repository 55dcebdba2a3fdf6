"""A project input file's bytes, or a located problem: a name not in UTF-8, a failed read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput, Location, Problem

if TYPE_CHECKING:
    from gatecheck.project.input_file import InputFile


def read_input(file: InputFile, limit: int | None = None) -> bytes:
    """The bytes of a project file, or InvalidInput: a name that is not UTF-8, a failed read.

    `limit` replaces MAX_FILE_BYTES for a kind of file that may be larger (a policy).
    """
    if not _utf8(file.display):
        raise InvalidInput(
            [
                Problem(
                    "not-utf8",
                    "file name is not UTF-8",
                    Location(file.display, 1, 1),
                    "rename the file: gatecheck reads files whose names are UTF-8",
                )
            ]
        )
    try:
        return file.read_bytes(limit)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InvalidInput(
            [Problem("unreadable", f"cannot read file: {reason}", Location(file.display, 1, 1))]
        ) from None


def _utf8(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (os.listdir gives them as surrogates).

    Such a name cannot be written to a report, a cache key or a git path faithfully.
    """
    try:
        name.encode()
    except UnicodeEncodeError:
        return False
    return True
