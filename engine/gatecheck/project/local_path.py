"""A file or directory on disk, as a `Traversable` on os.path, confined to its project."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, overload

from gatecheck.errors import InvalidInput
from gatecheck.limits import MAX_FILES
from gatecheck.project.confinement import Escape
from gatecheck.project.input_file import YAML_SUFFIXES, InputFile
from gatecheck.reading import read_regular, too_many_files

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator

    from gatecheck.project.confinement import Confinement


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

    def yaml_files(self, display: str) -> ListedFiles:
        """`Directory.yaml_files` of this directory, shown as `display`.

        What `iterdir` would give, filtered by name before any object is made: a repository may
        hold 100,000 of them, so the listing keeps their names only (`ListedFiles`).
        """
        names = []
        links = []
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
                    names.append(name)
                    if link:
                        links.append(name)
        names.sort()
        return ListedFiles(self, display, names, frozenset(links))

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
        return self.read_within(None)

    def read_within(self, limit: int | None) -> bytes:
        """`read_bytes`, with `limit` in place of MAX_FILE_BYTES (a policy's) unless None."""
        real = self.real_path()
        if self.confinement is not None:
            reason = self.confinement.refusal(real)
            if reason is not None:
                raise Escape(real, reason)
        return read_regular(real, limit)


class ListedFiles(Sequence[InputFile]):
    """A directory's YAML files in name order, each made when it is asked for.

    A listing of 100,000 files holds 100,000 names (about 70 bytes each), not 100,000 paths,
    real paths, directory entries and file objects (about 550 bytes each): a batch run over
    them keeps the listing all along. A file's real path is the directory's joined with its name,
    unless it is a symbolic link: then it is resolved when the file is read.
    """

    __slots__ = ("_directory", "_inside", "_links", "_names", "_shown")

    def __init__(
        self, directory: LocalPath, display: str, names: list[str], links: frozenset[str]
    ) -> None:
        known = directory._real  # noqa: SLF001 - the directory's own resolved path, if known
        self._directory = directory
        self._inside = None if known is None else known.rstrip(os.sep) + os.sep
        self._shown = display + "/"
        self._names = names
        self._links = links

    def __len__(self) -> int:
        return len(self._names)

    @overload
    def __getitem__(self, index: int) -> InputFile: ...

    @overload
    def __getitem__(self, index: slice) -> list[InputFile]: ...

    def __getitem__(self, index: int | slice) -> InputFile | list[InputFile]:
        if isinstance(index, slice):
            return [self._file(name) for name in self._names[index]]
        return self._file(self._names[index])

    def __iter__(self) -> Iterator[InputFile]:
        return map(self._file, self._names)

    def _file(self, name: str) -> InputFile:
        directory = self._directory
        inside = self._inside
        real = None if inside is None or name in self._links else inside + name
        path = LocalPath(os.path.join(directory.path, name), None, real, directory.confinement)
        return InputFile(self._shown + name, path)
