"""A file or directory inside a git tree read into memory at one commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.reading import FileTooLarge

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping


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
