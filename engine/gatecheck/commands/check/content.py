"""What changed, decided by content: the bytes read now against the base's blob at the same path."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from gatecheck.project.input_file import InputFile
from gatecheck.project.local_path import LocalPath

if TYPE_CHECKING:
    from gatecheck.git.objects import Blob
    from gatecheck.git.repository import Repository
    from gatecheck.project.directory import Directory


def of_kind(files: dict[str, Blob], suffixes: tuple[str, ...]) -> dict[str, Blob]:
    return {path: blob for path, blob in files.items() if path.endswith(suffixes)}


def files_in(directory: Directory, suffixes: tuple[str, ...]) -> dict[str, InputFile]:
    """The files of one kind directly in a directory, links too (reading them checks them)."""
    found = {}
    for entry in directory.handle.iterdir():
        if not entry.name.endswith(suffixes):
            continue
        if entry.is_file() or (isinstance(entry, LocalPath) and entry.is_symlink()):
            path = f"{directory.display}/{entry.name}"
            found[path] = InputFile(path, entry)
    return found


def changed_by_content(
    now: dict[str, InputFile], base: dict[str, Blob], repo: Repository, commit: str
) -> dict[str, str]:
    """Added or modified, by path: the bytes read now against the base's blob there.

    The object ids decide first (git's own hash of the bytes); where they differ, line ends do
    not count (a checkout with core.autocrlf writes CRLF where the blob has LF, and YAML and JSON
    read both alike).
    """
    algorithm = "sha256" if len(commit) == 64 else "sha1"  # noqa: PLR2004 - a SHA-256 object id
    status: dict[str, str] = {}
    differing: list[tuple[str, bytes, Blob]] = []
    for path, file in now.items():
        blob = base.get(path)
        if blob is None:
            status[path] = "added"
            continue
        raw = file.read_bytes()
        if _object_id(raw, algorithm) != blob.sha:
            differing.append((path, raw, blob))
    old = repo.read_blobs([blob for _, _, blob in differing])
    for (path, raw, _), before in zip(differing, old, strict=True):
        if isinstance(before, int) or _lines(before) != _lines(raw):
            status[path] = "modified"
    return status


def _object_id(raw: bytes, algorithm: str) -> str:
    """The id git gives a blob of these bytes."""
    return hashlib.new(algorithm, b"blob %d\0%b" % (len(raw), raw)).hexdigest()


def _lines(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n")
