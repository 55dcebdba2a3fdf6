"""Where a run's files are: the root, its policies, evidence and schemas, or the bundled ones.

Paths only; nothing here parses a file. Bundled data is read through `importlib.resources`, and
only when the root has no directory of its own, so a run inside a repository never pays for it.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput, Problem, known_names_hint
from gatecheck.source import (
    MAX_FILES,
    FileTooLarge,
    Location,
    read_limited,
    too_large,
    too_many_files,
)

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Mapping
    from importlib.resources.abc import Traversable

BUNDLED = "<bundled>"
_SUBJECT = re.compile(r"[a-z0-9][a-z0-9_.-]*")
YAML_SUFFIXES = (".yaml", ".yml")


class LocalPath:
    """The part of `Traversable` gatecheck uses, on os.path: pathlib would cost ~5 ms a run.

    A path listed by `iterdir` keeps its directory entry: its name and kind cost no system call
    (a symlink's kind costs one stat, once), which keeps listing 100,000 entries well under a
    second.
    """

    __slots__ = ("_entry", "path")

    def __init__(self, path: str, entry: os.DirEntry[str] | None = None) -> None:
        self.path = path
        self._entry = entry

    def __str__(self) -> str:
        return self.path

    @property
    def name(self) -> str:
        return self._entry.name if self._entry is not None else os.path.basename(self.path)

    def joinpath(self, name: str) -> LocalPath:
        return LocalPath(os.path.join(self.path, name))

    def is_file(self) -> bool:
        if self._entry is None:
            return os.path.isfile(self.path)
        try:
            return self._entry.is_file()  # follows a symlink, as os.path.isfile does
        except OSError:  # pragma: no cover - a listed entry that cannot be stat'ed (os.path: False)
            return False

    def is_dir(self) -> bool:
        if self._entry is None:
            return os.path.isdir(self.path)
        try:
            return self._entry.is_dir()
        except OSError:  # pragma: no cover - as in is_file
            return False

    def iterdir(self) -> Generator[LocalPath, None, None]:
        with os.scandir(self.path) as entries:  # closed even when the caller stops early
            for entry in entries:
                yield LocalPath(entry.path, entry)

    def read_bytes(self) -> bytes:
        return read_limited(self.path)


class TreePath:
    """A directory or file inside files held in memory (a git tree read at one commit).

    A file over MAX_FILE_BYTES is held as its size, not its content: reading it is the error.
    """

    __slots__ = ("files", "path")

    def __init__(self, files: Mapping[str, bytes | int], path: str) -> None:
        self.files = files
        self.path = path

    def __str__(self) -> str:
        return self.path

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def joinpath(self, name: str) -> TreePath:
        return TreePath(self.files, f"{self.path}/{name}")

    def is_file(self) -> bool:
        return self.path in self.files

    def is_dir(self) -> bool:
        prefix = self.path + "/"
        return any(path.startswith(prefix) for path in self.files)

    def iterdir(self) -> Iterator[TreePath]:
        prefix = self.path + "/"
        names = {p[len(prefix) :].split("/", 1)[0] for p in self.files if p.startswith(prefix)}
        return (self.joinpath(name) for name in sorted(names))

    def read_bytes(self) -> bytes:
        content = self.files[self.path]
        if isinstance(content, int):
            raise FileTooLarge(content)
        return content


class InputFile(NamedTuple):
    """A file to read: `display` is the path shown to users (relative to the root)."""

    display: str
    handle: Traversable | LocalPath | TreePath

    @property
    def stem(self) -> str:
        name = self.handle.name
        return name.rsplit(".", 1)[0]

    def read_bytes(self) -> bytes:
        try:
            return self.handle.read_bytes()
        except FileTooLarge as error:
            raise InvalidInput([too_large(self.display, error.size)]) from None


class Directory(NamedTuple):
    display: str
    handle: Traversable | LocalPath | TreePath

    def yaml_files(self) -> list[InputFile]:
        """The directory's YAML files, sorted by name so every run sees them in one order.

        A directory listing more than MAX_FILES entries (of any kind) is a problem: it is found
        after MAX_FILES + 1 entries, however many there are.
        """
        files = []
        entries: Iterator[Traversable | LocalPath | TreePath] = self.handle.iterdir()
        for count, entry in enumerate(entries, 1):
            if count > MAX_FILES:
                raise InvalidInput([too_many_files(self.display)])
            # A dangling symlink is listed too, so reading it is an error rather than a silence.
            if entry.name.endswith(YAML_SUFFIXES) and (
                entry.is_file() or (isinstance(entry, LocalPath) and os.path.islink(entry.path))
            ):
                files.append(InputFile(f"{self.display}/{entry.name}", entry))
        return sorted(files, key=lambda file: file.display)

    def file(self, name: str) -> InputFile | None:
        entry = self.handle.joinpath(name)
        return InputFile(f"{self.display}/{name}", entry) if entry.is_file() else None


class Project(NamedTuple):
    root: str
    policies: Directory
    evidence: Directory
    schemas: tuple[Directory, ...]  # searched in order for a policy's facts schema, then bundled

    def evidence_file(self, subject: str) -> InputFile:
        """The evidence file of `subject`; an `unknown-subject` problem if there is none."""
        if not _SUBJECT.fullmatch(subject):  # a name, never a path out of the evidence directory
            raise InvalidInput(
                [
                    Problem(
                        "unknown-subject",
                        f"'{subject}' is not a subject name",
                        Location(self.evidence.display + "/", 0, 0),
                        "name a subject by its evidence file's name, without .yaml",
                    )
                ]
            )
        for suffix in YAML_SUFFIXES:
            found = self.evidence.file(subject + suffix)
            if found is not None:
                return found
        known = [file.stem for file in self.evidence.yaml_files()]
        raise InvalidInput(
            [
                Problem(
                    "unknown-subject",
                    f"no evidence for subject '{subject}' (looked for {subject}.yaml)",
                    Location(f"{self.evidence.display}/{subject}.yaml", 0, 0),
                    known_names_hint(subject, known, "subject"),
                )
            ]
        )

    def schema_file(self, name: str) -> InputFile | None:
        for directory in self.schemas:
            found = directory.file(name)
            if found is not None:
                return found
        return _bundled("schemas").file(name)


def open_project(
    root: str,
    policies: str | None = None,
    evidence: str | None = None,
    *,
    shown_from: str | None = None,
) -> Project:
    """Find the directories of a run: explicit options, then `root/<name>`, then bundled data.

    Paths are shown relative to the root, or to `shown_from` (`check` shows them from the top of
    the repository, where CI tools look for them).
    """
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise InvalidInput(
            [
                Problem(
                    "bad-root",
                    "--root is not a directory",
                    Location(root, 0, 0),
                    "run from the directory that holds policies/ and evidence/, or fix --root",
                )
            ]
        )
    shown = os.path.abspath(shown_from) if shown_from is not None else root
    policy_dir = _directory(root, policies, "policies", shown)
    evidence_dir = _directory(root, evidence, "evidence", shown)
    schema_dirs = [_real(shown, os.path.join(root, "schemas"))]
    if policy_dir.display != f"{BUNDLED}/policies":
        sibling = os.path.join(os.path.dirname(str(policy_dir.handle)), "schemas")
        schema_dirs.insert(0, _real(shown, sibling))
    found = [d for d in schema_dirs if d.handle.is_dir()]
    unique = list({str(d.handle): d for d in found}.values())
    if policy_dir.display == f"{BUNDLED}/policies":
        unique = []  # bundled policies name bundled schemas, found last by schema_file()
    return Project(root, policy_dir, evidence_dir, tuple(unique))


def _directory(root: str, option: str | None, name: str, shown: str) -> Directory:
    if option is not None:
        path = os.path.join(root, option)
        if not os.path.isdir(path):
            raise InvalidInput(
                [
                    Problem(
                        "bad-directory",
                        f"--{name} {option} is not a directory",
                        Location(_display(shown, path), 0, 0),
                        f"point --{name} at a directory of YAML files",
                    )
                ]
            )
        return _real(shown, path)
    path = os.path.join(root, name)
    return _real(shown, path) if os.path.isdir(path) else _bundled(name)


def _real(root: str, path: str) -> Directory:
    return Directory(_display(root, path), LocalPath(path))


def _display(root: str, path: str) -> str:
    relative = os.path.relpath(path, root)
    return relative.replace(os.sep, "/")


_BUNDLED_PACKAGES = {
    "policies": "gatecheck.policies",
    "schemas": "gatecheck.schemas",
    "evidence": "gatecheck.bundled_evidence",  # not gatecheck.evidence: that is the engine module
}


def _bundled(name: str) -> Directory:
    from importlib.resources import files

    return Directory(f"{BUNDLED}/{name}", files(_BUNDLED_PACKAGES[name]))
