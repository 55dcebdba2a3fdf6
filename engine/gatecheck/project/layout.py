"""Where a run's files are: the root, its policies, evidence and schemas, or the bundled ones.

Paths only; nothing here parses a file. Bundled data is read through `importlib.resources`, and
only when the root has no directory of its own, so a run inside a repository never pays for it.

Every directory is resolved once, when the project is opened, and must lie inside the repository
(or, outside git, the project root); a file is read only if its real path does too, and only if it
is a regular file (`source.read_regular`). A change under review controls the repository's
symbolic links: one that leads elsewhere would read, and print, a file of the machine that runs
the check.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem, known_names_hint
from gatecheck.loading.limits import MAX_FILES
from gatecheck.loading.reading import (
    FileTooLarge,
    NotRegularFile,
    not_a_file,
    read_regular,
    too_large,
    too_many_files,
)

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator, Mapping
    from importlib.resources.abc import Traversable

BUNDLED = "<bundled>"
_SUBJECT = re.compile(r"[a-z0-9][a-z0-9_.-]*")
YAML_SUFFIXES = (".yaml", ".yml")


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
    return Problem(
        "symlink-escape",
        f"a symbolic link leads {error.reason} (to {error.real}): gatecheck reads only files"
        " inside it",
        Location(display, *((0, 0) if display.endswith("/") else (1, 1))),
        "replace the link with the file or directory itself, or point it inside",
    )


class LocalPath:
    """The part of `Traversable` gatecheck uses, on os.path: pathlib would cost ~5 ms a run.

    A path listed by `iterdir` keeps its directory entry: its name and kind cost no system call
    (a symlink's kind costs one stat, once), which keeps listing 100,000 entries well under a
    second. Its real path is its directory's (resolved once) joined with its name, unless it is
    a symbolic link: then it is resolved when the file is read.
    """

    __slots__ = ("_entry", "_real", "confinement", "path")

    def __init__(
        self,
        path: str,
        entry: os.DirEntry[str] | None = None,
        real: str | None = None,
        confinement: Confinement | None = None,
    ) -> None:
        self.path = path
        self._entry = entry
        self._real = real
        self.confinement = confinement  # None: read wherever it leads (a path the user named)

    def __str__(self) -> str:
        return self.path

    @property
    def name(self) -> str:
        return self._entry.name if self._entry is not None else os.path.basename(self.path)

    def real_path(self) -> str:
        if self._real is None:
            self._real = os.path.realpath(self.path)
        return self._real

    def joinpath(self, name: str) -> LocalPath:
        return LocalPath(os.path.join(self.path, name), confinement=self.confinement)

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

    def is_symlink(self) -> bool:
        if self._entry is None:
            return os.path.islink(self.path)
        try:
            return self._entry.is_symlink()
        except OSError:  # pragma: no cover - as in is_file
            return True  # unknown: resolve it, as a link would be

    def iterdir(self) -> Generator[LocalPath, None, None]:
        known = self._real
        with os.scandir(self.path) as entries:  # closed even when the caller stops early
            for entry in entries:
                item = LocalPath(entry.path, entry, None, self.confinement)
                if known is not None and not item.is_symlink():
                    item._real = os.path.join(known, entry.name)
                yield item

    def yaml_files(self, display: str) -> list[InputFile]:
        """`Directory.yaml_files` of this directory, shown as `display`.

        What `iterdir` would give, filtered by name before any object is made: a repository may
        hold 100,000 of them.
        """
        files = []
        known = self._real
        inside = None if known is None else known.rstrip(os.sep) + os.sep
        shown = display + "/"
        with os.scandir(self.path) as entries:
            for count, entry in enumerate(entries, 1):
                if count > MAX_FILES:
                    raise InvalidInput([too_many_files(display)])
                name = entry.name
                if not name.endswith(YAML_SUFFIXES):
                    continue
                try:
                    link = entry.is_symlink()
                    regular = link or entry.is_file()
                except OSError:  # pragma: no cover - as in is_file: listed, so reading it says why
                    link = regular = True
                if regular:
                    real = None if link or inside is None else inside + name
                    item = LocalPath(entry.path, entry, real, self.confinement)
                    files.append(InputFile(shown + name, item))
        files.sort(key=_display_of)
        return files

    def named_yaml_files(self, display: str, names: Iterable[str]) -> list[InputFile]:
        """`yaml_files` of this directory, only among `names` (sorted; those absent are not)."""
        files = []
        for name in sorted(names):
            if name.endswith(YAML_SUFFIXES):
                item = self.joinpath(name)
                if item.is_symlink() or item.is_file():
                    files.append(InputFile(f"{display}/{name}", item))
        return files

    def read_bytes(self) -> bytes:
        """The file's bytes: a regular file whose real path its Confinement allows."""
        real = self.real_path()
        if self.confinement is not None:
            reason = self.confinement.refusal(real)
            if reason is not None:
                raise Escape(real, reason)
        return read_regular(real)


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
        except NotRegularFile as error:
            raise InvalidInput([not_a_file(self.display, error.kind)]) from None
        except Escape as error:
            raise InvalidInput([escape_problem(self.display, error)]) from None


class Directory(NamedTuple):
    display: str
    handle: Traversable | LocalPath | TreePath

    def yaml_files(self) -> list[InputFile]:
        """The directory's YAML files, sorted by name so every run sees them in one order.

        A directory listing more than MAX_FILES entries (of any kind) is a problem: it is found
        after MAX_FILES + 1 entries, however many there are.
        """
        if not self.handle.is_dir():  # a project's directory it does not have yet: empty
            return []
        if isinstance(self.handle, LocalPath):
            return self.handle.yaml_files(self.display)
        files = []
        entries: Iterator[Traversable | LocalPath | TreePath] = self.handle.iterdir()
        for count, entry in enumerate(entries, 1):
            if count > MAX_FILES:
                raise InvalidInput([too_many_files(self.display)])
            # Every symlink is listed, so that reading it is an error rather than a silence: one
            # to nothing, to a directory or a FIFO, or out of the repository.
            if entry.name.endswith(YAML_SUFFIXES) and (
                entry.is_file() or (isinstance(entry, LocalPath) and entry.is_symlink())
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
        found = [file for suffix in YAML_SUFFIXES if (file := self.evidence.file(subject + suffix))]
        if len(found) > 1:
            raise InvalidInput(duplicate_subjects(found))
        if found:
            return found[0]
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

    def evidence_files(self) -> list[InputFile]:
        """Every evidence file; `duplicate-subject` if two files are one subject's."""
        files = self.evidence.yaml_files()
        problems = duplicate_subjects(files)
        if problems:
            raise InvalidInput(problems)
        return files

    def schema_file(self, name: str) -> InputFile | None:
        for directory in self.schemas:
            found = directory.file(name)
            if found is not None:
                return found
        return bundled("schemas").file(name)


def duplicate_subjects(files: list[InputFile]) -> list[Problem]:
    """One subject is one file: `x.yaml` beside `x.yml` is a problem that names both.

    `files` are of one directory: when their paths without suffix all differ, so do their names.
    """
    if len({file.display.rpartition(".")[0] for file in files}) == len(files):
        return []
    by_subject: dict[str, list[str]] = {}
    for file in files:
        by_subject.setdefault(file.stem, []).append(file.display)
    return [
        Problem(
            "duplicate-subject",
            f"{' and '.join(sorted(paths))} are both evidence for subject '{subject}'",
            Location(max(paths), 1, 1),
            f"keep one file per subject: merge them into {subject}.yaml and delete the other",
        )
        for subject, paths in by_subject.items()
        if len(paths) > 1
    ]


def _display_of(file: InputFile) -> str:
    return file.display


def open_project(  # noqa: PLR0913 - where the directories are, keyword-only but three
    root: str,
    policies: str | None = None,
    evidence: str | None = None,
    *,
    schemas: str | None = None,
    shown_from: str | None = None,
    top: str | None = None,
    fallback: bool = True,
) -> Project:
    """Find the directories of a run: explicit options, then `root/<name>`, then bundled data.

    Bundled data fills a missing directory only with `fallback`, where no project was found (see
    `discovery`); in a project a directory it lacks is empty. `schemas`, when given, is searched
    first for facts schemas.

    Paths are shown relative to the root, or to `shown_from` (`check` shows them from the top of
    the repository, where CI tools look for them). Every directory must really be inside the
    repository: `top`, its real path (`check` has it from git), or else the nearest directory
    above the root that holds a `.git`; outside git, inside the root. A directory given as an
    option that lies outside it altogether is the caller's choice, and is allowed too.
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
    real_root = os.path.realpath(root)
    top = top if top is not None else _repository_top(real_root)
    confinement = (
        Confinement((top,), "the repository")
        if top is not None
        else Confinement((real_root,), "the project root")
    )
    place = _Place(root, shown, confinement, fallback)
    policy_dir = place.directory(policies, "policies")
    evidence_dir = place.directory(evidence, "evidence")
    schema_candidates = [(os.path.join(root, "schemas"), False)]
    if policy_dir.display != f"{BUNDLED}/policies":
        sibling = os.path.join(os.path.dirname(str(policy_dir.handle)), "schemas")
        schema_candidates.insert(0, (sibling, policies is not None))
    found = [
        place.local(path, given=given) for path, given in schema_candidates if os.path.isdir(path)
    ]
    if schemas is not None:
        found.insert(0, place.directory(schemas, "schemas"))
    unique = list({str(d.handle): d for d in found}.values())
    if policy_dir.display == f"{BUNDLED}/policies":
        unique = []  # bundled policies name bundled schemas, found last by schema_file()
    return Project(root, policy_dir, evidence_dir, tuple(unique))


def _repository_top(path: str) -> str | None:
    """The nearest directory at or above `path` (a real path) that holds a `.git`, as git finds."""
    directory = path
    while not os.path.lexists(os.path.join(directory, ".git")):
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
    return directory


class _Place(NamedTuple):
    """Where a project is: its root, where paths are shown from, where its files may be."""

    root: str
    shown: str
    confinement: Confinement
    fallback: bool = True

    def directory(self, option: str | None, name: str) -> Directory:
        if option is not None:
            path = os.path.join(self.root, option)
            if not os.path.isdir(path):
                raise InvalidInput(
                    [
                        Problem(
                            "bad-directory",
                            f"--{name} {option} is not a directory",
                            Location(_display(self.shown, path), 0, 0),
                            f"point --{name} at a directory of YAML files",
                        )
                    ]
                )
            return self.local(path, given=True)
        path = os.path.join(self.root, name)
        if os.path.isdir(path) or not self.fallback:
            return self.local(path, given=False)
        return bundled(name)

    def local(self, path: str, *, given: bool) -> Directory:
        """A directory of the project, resolved once; refused if it really lies elsewhere.

        A directory named on the command line (`given`) whose path does not pass through the
        repository at all is the caller's choice: its files may be read wherever it is.
        """
        display = _display(self.shown, path)
        real = os.path.realpath(path)
        confinement = self.confinement
        reason = confinement.refusal(real)
        if reason is not None:
            if not (given and not self._passes_through(path)):
                raise InvalidInput([escape_problem(display + "/", Escape(real, reason))])
            confinement = confinement._replace(areas=(*confinement.areas, real))
        return Directory(display, LocalPath(path, real=real, confinement=confinement))

    def _passes_through(self, path: str) -> bool:
        """Whether a directory above `path` really is inside the confinement (a change's link)."""
        directory = os.path.dirname(os.path.abspath(path))
        while True:
            if self.confinement.refusal(os.path.realpath(directory)) is None:
                return True
            parent = os.path.dirname(directory)
            if parent == directory:
                return False
            directory = parent


def _display(root: str, path: str) -> str:
    relative = os.path.relpath(path, root)
    return relative.replace(os.sep, "/")


_BUNDLED_PACKAGES = {
    "policies": "gatecheck.policies",
    "schemas": "gatecheck.schemas",
    "evidence": "gatecheck.bundled_evidence",  # not language.evidence, the engine module
}


def bundled(name: str) -> Directory:
    """The data bundled in the package: policies, schemas or evidence."""
    from importlib.resources import files

    return Directory(f"{BUNDLED}/{name}", files(_BUNDLED_PACKAGES[name]))
