"""A file or directory on disk, as a `Traversable` on os.path, confined to its project."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from gatecheck.errors import InvalidInput
from gatecheck.limits import MAX_FILES
from gatecheck.project.confinement import Escape
from gatecheck.project.input_file import YAML_SUFFIXES, InputFile
from gatecheck.reading import read_regular, too_many_files

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable

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
        return self.read_within(None)

    def read_within(self, limit: int | None) -> bytes:
        """`read_bytes`, with `limit` in place of MAX_FILE_BYTES (a policy's) unless None."""
        real = self.real_path()
        if self.confinement is not None:
            reason = self.confinement.refusal(real)
            if reason is not None:
                raise Escape(real, reason)
        return read_regular(real, limit)


def _display_of(file: InputFile) -> str:
    return file.display
