"""One SARIF log being built: its rule descriptors (each once), results, locations and base URIs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck import __version__
from gatecheck.project.bundled import BUNDLED
from gatecheck.reporters.escape import json_dump

if TYPE_CHECKING:
    from gatecheck.errors import Location

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://gatecheck.dev/"  # the project's namespace (its schemas' $id)
SRCROOT = "%SRCROOT%"
BUNDLED_ROOT = "GATECHECK_BUNDLED"
_BASES = {
    SRCROOT: "The directory gatecheck ran on (--root); every path it reports is relative to it.",
    BUNDLED_ROOT: "The policies, schemas and evidence bundled in the installed gatecheck package.",
}


class Run:
    """One SARIF run being built: rule descriptors (each once, by key), results, base URIs."""

    def __init__(self) -> None:
        self.rules: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self._indexes: dict[tuple[str, ...], int] = {}
        self._bases: set[str] = set()

    def rule(self, key: tuple[str, ...], descriptor: dict[str, Any]) -> int:
        """The index of the descriptor for `key`, added on first use."""
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = len(self.rules)
            self.rules.append(descriptor)
        return index

    def location(self, location: Location, text: str | None = None) -> dict[str, Any]:
        artifact = self._artifact(location.path)
        region = {"startLine": location.line, "startColumn": location.column}
        found: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": artifact, "region": region}
        }
        if text is not None:
            found["message"] = {"text": text}
        return found

    def _artifact(self, path: str) -> dict[str, Any]:
        if path.startswith(f"{BUNDLED}/"):
            self._bases.add(BUNDLED_ROOT)
            return {"uri": _uri(path.removeprefix(f"{BUNDLED}/")), "uriBaseId": BUNDLED_ROOT}
        if path.startswith("/"):
            return {"uri": "file://" + _uri(path)}
        self._bases.add(SRCROOT)
        return {"uri": _uri(path), "uriBaseId": SRCROOT}

    def dump(self, properties: dict[str, Any]) -> str:
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "gatecheck",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": self.rules,
                }
            },
        }
        if self._bases:
            run["originalUriBaseIds"] = {
                base: {"description": {"text": text}}
                for base, text in _BASES.items()
                if base in self._bases
            }
        run["columnKind"] = "unicodeCodePoints"  # libyaml counts characters, not UTF-16 units
        run["results"] = self.results
        run["properties"] = properties
        log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        import orjson

        return json_dump(log, option=orjson.OPT_NON_STR_KEYS, default=str)


def _uri(path: str) -> str:
    """A path as a URI reference; a byte of a file name that is not UTF-8 as itself (`%FF`)."""
    from urllib.parse import quote

    return quote(path, errors="surrogateescape")


def descriptor(rule_id: str, short: str, full: str, level: str) -> dict[str, Any]:
    """A rule of gatecheck's own (not a policy's): its id, what it means, its default level."""
    return {
        "id": rule_id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["gatecheck"]},
    }
