"""What a parsed file is: its plain data, and the position of every node in a side table.

The data stays plain dicts, lists and scalars; `locate` says where the value at a path is written,
for located problems. `loading.parsing` builds a `Document` from a YAML file's bytes; every stage
reads it.
"""

from __future__ import annotations

from typing import Any

from gatecheck.errors import Location

DataPath = tuple[str | int, ...]


class Document:
    """The data of one YAML file and the position of each of its nodes."""

    __slots__ = ("_key_positions", "_positions", "data", "path")

    def __init__(
        self,
        path: str,
        data: Any,
        positions: dict[DataPath, tuple[int, int]],
        key_positions: dict[DataPath, tuple[int, int]],
    ) -> None:
        self.path = path
        self.data = data
        self._positions = positions
        self._key_positions = key_positions

    def locate(self, path: DataPath) -> Location:
        """Where the value at `path` starts; for an absent path, where its nearest parent starts."""
        positions = self._positions
        for end in range(len(path), -1, -1):
            found = positions.get(path[:end])
            if found is not None:
                return Location(self.path, *found)
        return Location(self.path, 1, 1)

    def locate_key(self, path: DataPath) -> Location:
        """Where the key that leads to `path` is written (the value's position for list items)."""
        found = self._key_positions.get(path)
        return Location(self.path, *found) if found is not None else self.locate(path)

    def has(self, path: DataPath) -> bool:
        return path in self._positions

    def parse(
        self,
    ) -> tuple[Any, dict[DataPath, tuple[int, int]], dict[DataPath, tuple[int, int]]]:
        """The data and both position tables: what the cache keeps of a parse (not the path)."""
        return self.data, self._positions, self._key_positions
