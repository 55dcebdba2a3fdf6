"""Draft 2020-12's metaschema with its references linked once, to check facts schemas faster.

`Draft202012Validator.check_schema` follows the metaschema's `$ref`s and `$dynamicRef`s as it
validates, resolving URIs for every schema object it meets: about 0.5 ms a value, so a facts
schema at its 10,000-value cap took 5 s or more to check. Here each reference is replaced once by
the schema it names, as Python objects (`$dynamicRef: "#meta"` by the whole metaschema, so the
structure is cyclic, which validation, driven by the schema being checked, never minds). A `$ref`
becomes an `allOf` in its place, keywords keep their order, and so the first error is jsonschema's
own (tests/test_metaschema.py compares the two on mutated schemas), in about a third of the time.
"""

from __future__ import annotations

from typing import Any

from gatecheck.loading.schema_tree import ONE_SCHEMA, SCHEMA_LIST, SCHEMA_MAP

_BASE = "https://json-schema.org/draft/2020-12/"
_TOP = _BASE + "schema"
# What only names or describes schemas: nothing is resolved through them once all is linked.
_DROPPED = frozenset({"$comment", "$defs", "$dynamicAnchor", "$id", "$schema", "$vocabulary"})

_CHECKER: list[Any] = []


def first_problem(schema: Any) -> str | None:
    """The message of the first error jsonschema's `check_schema` would raise, or None."""
    if not _CHECKER:
        from jsonschema import Draft202012Validator

        _CHECKER.append(
            Draft202012Validator(_linked(), format_checker=Draft202012Validator.FORMAT_CHECKER)
        )
    error = next(_CHECKER[0].iter_errors(schema), None)
    return None if error is None else str(error.message)


def _linked() -> dict[str, Any]:
    linker = _Linker()
    linker.document(_TOP)
    return linker.top


class _Linker:
    def __init__(self) -> None:
        from jsonschema_specifications import REGISTRY  # type: ignore[import-untyped]

        self.registry = REGISTRY
        self.top: dict[str, Any] = {}
        self.documents: dict[str, dict[str, Any]] = {}

    def document(self, uri: str) -> dict[str, Any]:
        """A whole document of the metaschema, linked (once; the top one is `top`)."""
        if uri not in self.documents:
            self.documents[uri] = self.top if uri == _TOP else {}
            contents = self.registry.contents(uri)
            self.documents[uri].update(self.link(contents, contents))
        return self.documents[uri]

    def target(self, ref: str, contents: dict[str, Any]) -> Any:
        """What a reference inside `contents` names, linked."""
        if ref == "#meta":  # the one dynamic anchor: the metaschema being checked against
            return self.top
        uri, _, pointer = ref.partition("#")
        if uri:
            whole = self.document(_BASE + uri)
            if not pointer:
                return whole
            contents = self.registry.contents(_BASE + uri)
        node: Any = contents
        for part in pointer[1:].split("/"):
            node = node[part]
        return self.link(node, contents)

    def link(self, node: Any, contents: dict[str, Any]) -> Any:
        """A schema with its references replaced, keyword by keyword, in their order."""
        if not isinstance(node, dict):
            return node
        linked: dict[str, Any] = {}
        for key, value in node.items():
            if key in {"$ref", "$dynamicRef"}:
                linked["allOf"] = [*linked.get("allOf", ()), self.target(value, contents)]
            elif key in ONE_SCHEMA:
                linked[key] = self.link(value, contents)
            elif key in SCHEMA_LIST:
                linked[key] = [*linked.get(key, ()), *(self.link(i, contents) for i in value)]
            elif key in SCHEMA_MAP:
                linked[key] = {name: self.link(item, contents) for name, item in value.items()}
            elif key not in _DROPPED:
                linked[key] = value
        return linked
