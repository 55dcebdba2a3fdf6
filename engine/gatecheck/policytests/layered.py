"""Data put together from several documents, each value located where it was written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.documents import Document

if TYPE_CHECKING:
    from gatecheck.documents import DataPath
    from gatecheck.errors import Location


class Layer(NamedTuple):
    """Values at `prefix` (and below) were written in `document` at `there`."""

    prefix: DataPath
    document: Document
    there: DataPath


class LayeredDocument(Document):
    """Data put together from several places; each value is located where it was written."""

    __slots__ = ("layers",)

    def __init__(self, path: str, data: Any, layers: list[Layer]) -> None:
        super().__init__(path, data, {}, {})
        self.layers = layers  # the first has prefix (); a later layer covers the earlier ones

    def _source(self, path: DataPath) -> tuple[Document, DataPath]:
        for layer in reversed(self.layers):
            if path[: len(layer.prefix)] == layer.prefix:
                return layer.document, (*layer.there, *path[len(layer.prefix) :])
        return self.layers[0].document, path  # pragma: no cover - the first layer has prefix ()

    def locate(self, path: DataPath) -> Location:
        document, there = self._source(path)
        return document.locate(there)

    def locate_key(self, path: DataPath) -> Location:
        document, there = self._source(path)
        return document.locate_key(there)

    def has(self, path: DataPath) -> bool:
        document, there = self._source(path)
        return document.has(there)
