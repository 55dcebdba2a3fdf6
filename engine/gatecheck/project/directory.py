"""A directory of YAML files (on disk, in a git tree or bundled), listed in one order, capped."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import InvalidInput
from gatecheck.limits import MAX_FILES
from gatecheck.project.input_file import YAML_SUFFIXES, InputFile
from gatecheck.project.local_path import LocalPath
from gatecheck.reading import too_many_files

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from importlib.resources.abc import Traversable

    from gatecheck.project.tree_path import TreePath


class Directory(NamedTuple):
    """A directory shown to users as `display`; a missing one is empty."""

    display: str
    handle: Traversable | LocalPath | TreePath

    def yaml_files(self) -> Sequence[InputFile]:
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
