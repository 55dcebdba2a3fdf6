"""A facts schema as validation walks it: every `$ref` replaced by what it points to, once.

jsonschema follows a `$ref` each time it meets one. A schema whose `$ref` leads back to a schema
that contains it validates without end, or in time exponential in the facts' depth when an
`anyOf` offers two branches that both recurse; `$defs` that each refer twice to the next double
the work per level. Here every reference is resolved once, before any evidence is read: a cycle is
refused, and the tree validation would walk (a `$ref`'s target counted each time it is met, as a
YAML alias is) is held to MAX_SCHEMA_NODES values and MAX_DEPTH levels. A shared target stays one
object in memory, so resolving costs the size of the file, not of the tree.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from gatecheck.limits import MAX_DEPTH, MAX_SCHEMA_NODES

# Draft 2020-12 keywords whose value is a schema, a list of schemas, or an object of schemas.
# Every other keyword's value is data (`enum`, `const`, `required`, ...), never walked for `$ref`.
ONE_SCHEMA = frozenset(
    {
        *("additionalProperties", "contains", "else", "if", "items", "not"),
        *("propertyNames", "then", "unevaluatedItems", "unevaluatedProperties"),
    }
)
SCHEMA_LIST = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
SCHEMA_MAP = frozenset({"dependentSchemas", "patternProperties", "properties"})
# Only reached through `$ref`, which is resolved here: validation has no use for them.
DEFINITIONS = frozenset({"$defs", "definitions"})
# Keywords that validate nothing: a `$ref` beside only these is its target alone.
ANNOTATIONS = frozenset(
    {
        *("$anchor", "$comment", "$dynamicAnchor", "$id", "$schema", "default"),
        *("deprecated", "description", "examples", "readOnly", "title", "writeOnly"),
    }
)

Pointer = tuple[str | int, ...]


class SchemaCostError(Exception):
    """A facts schema gatecheck refuses to validate with: `code`, what, where (`path`), and why."""

    def __init__(self, *, code: str, message: str, path: Pointer, hint: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.hint = hint


class _Tree(NamedTuple):
    """A schema with its references resolved, the values it holds, and how deeply it nests."""

    schema: Any
    size: int
    height: int


def resolved(schema: dict[str, Any]) -> Any:
    """`schema` with every `$ref` replaced by its target; raises SchemaCostError.

    The `$ref`s must be local (`#` or `#/...`), as `check_schema` makes sure. A `$ref`
    with keywords beside it becomes those keywords and an `allOf` that holds the target, which
    validates the same (annotations such as `unevaluatedProperties` still see the target's).
    """
    return _Resolver(schema).tree(schema, (), 1).schema


def pointer_text(path: Pointer) -> str:
    """`#/$defs/a~1b` for ("$defs", "a/b"): a JSON pointer, as `$ref` writes one."""
    parts = (str(part).replace("~", "~0").replace("/", "~1") for part in path)
    return "#" + "".join("/" + part for part in parts)


class _Resolver:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.done: dict[int, _Tree] = {}
        self.inside: set[int] = set()  # the schemas being resolved: a `$ref` to one is a cycle

    def tree(self, node: Any, path: Pointer, depth: int, used_at: Pointer | None = None) -> _Tree:
        """`node` (at `path`) resolved; `used_at` is the `$ref` that led to it, if one did."""
        if not isinstance(node, dict):
            return _Tree(node, 1, 1)  # `true`, `false`, or what check_schema refused already
        found = self.done.get(id(node))
        if found is None:
            if depth > MAX_DEPTH:
                raise _too_deep(path)
            self.inside.add(id(node))
            try:
                found = self._resolve(node, path, depth)
            finally:
                self.inside.discard(id(node))
            self.done[id(node)] = found
        if depth + found.height - 1 > MAX_DEPTH:  # resolved before, where it was not as deep
            raise _too_deep(used_at or path)
        return found

    def _resolve(self, node: dict[str, Any], path: Pointer, depth: int) -> _Tree:
        _refuse_moved_references(node, path)
        schema: dict[str, Any] = {}
        size, height = 1, 1
        for key, value in node.items():
            if key == "$ref" or key in DEFINITIONS:
                continue
            child = self._keyword(key, value, (*path, key), depth)
            schema[key] = child.schema
            size += child.size
            height = max(height, child.height)
        ref = node.get("$ref")
        if isinstance(ref, str):
            target = self._target(ref, (*path, "$ref"), depth)
            if not set(schema) - ANNOTATIONS:
                tree = _Tree(target.schema, size + target.size, target.height + 1)
                return self._checked(tree, path)
            schema["allOf"] = [*schema.get("allOf", ()), target.schema]
            size += target.size
            height = max(height, target.height + 1)
        return self._checked(_Tree(schema, size, height), path)

    def _keyword(self, key: str, value: Any, path: Pointer, depth: int) -> _Tree:
        """A keyword's value, with the schemas inside it resolved (one level deeper)."""
        if key in ONE_SCHEMA:
            inner = self.tree(value, path, depth + 1)
            return _Tree(inner.schema, inner.size, inner.height + 1)
        if key in SCHEMA_LIST and isinstance(value, list):
            items = [self.tree(item, (*path, i), depth + 1) for i, item in enumerate(value)]
            return _Tree(
                [item.schema for item in items],
                1 + sum(item.size for item in items),
                1 + max((item.height for item in items), default=0),
            )
        if key in SCHEMA_MAP and isinstance(value, dict):
            named = {
                name: self.tree(item, (*path, name), depth + 1) for name, item in value.items()
            }
            return _Tree(
                {name: item.schema for name, item in named.items()},
                1 + sum(item.size for item in named.values()),
                1 + max((item.height for item in named.values()), default=0),
            )
        return _Tree(value, count_values(value), 1)

    def _target(self, ref: str, path: Pointer, depth: int) -> _Tree:
        found = _pointed(self.root, ref)
        if found is None:
            raise SchemaCostError(
                code="bad-schema",
                message=f"$ref '{ref}' does not point inside this schema (#/...)",
                path=path,
                hint="gatecheck never fetches schemas: put the definition in $defs",
            )
        target, where = found
        if id(target) in self.inside:
            raise SchemaCostError(
                code="schema-cycle",
                message=f"$ref '{ref}' leads back to {pointer_text(where)}, which contains it:"
                " gatecheck does not validate with recursive schemas",
                path=path,
                hint="write the nesting out as deep as the facts need; `{}` accepts anything",
            )
        return self.tree(target, where, depth + 1, used_at=path)

    @staticmethod
    def _checked(tree: _Tree, path: Pointer = ()) -> _Tree:
        if tree.size > MAX_SCHEMA_NODES:
            raise SchemaCostError(
                code="too-many-nodes",
                message=f"the schema expands to more than {MAX_SCHEMA_NODES:,} values"
                " (a $ref counts its target each time)",
                path=path,
                hint="share less through $ref, or split the facts between policies",
            )
        return tree


def _refuse_moved_references(node: dict[str, Any], path: Pointer) -> None:
    """Refuse what would make a `$ref` mean something else than the pointer from the top.

    `$dynamicRef` is resolved as validation runs (so it could recurse), and an `$id` below the
    top makes `#/...` inside it start from there.
    """
    if "$dynamicRef" in node:
        raise SchemaCostError(
            code="bad-schema",
            message="$dynamicRef is not supported in a facts schema",
            path=(*path, "$dynamicRef"),
            hint="use $ref to a definition in $defs",
        )
    if "$id" in node and path:
        raise SchemaCostError(
            code="bad-schema",
            message="$id is allowed only at the top of a facts schema",
            path=(*path, "$id"),
            hint="remove it: $ref '#/...' always points from the top of the file",
        )


def _pointed(root: dict[str, Any], ref: str) -> tuple[Any, Pointer] | None:
    """What a local `$ref` (`#` or `#/...`) points to, and where; None if it points nowhere."""
    if ref != "#" and not ref.startswith("#/"):
        return None
    target: Any = root
    where: Pointer = ()
    for text in ref[2:].split("/") if ref != "#" else ():
        part = text.replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and part in target:
            target, where = target[part], (*where, part)
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target, where = target[int(part)], (*where, int(part))
        else:
            return None
    return target, where


def _too_deep(path: Pointer) -> SchemaCostError:
    return SchemaCostError(
        code="too-deep",
        message=f"the schema nests deeper than {MAX_DEPTH} levels"
        " (a $ref counts as one, and its target's)",
        path=path,
        hint="flatten the schema; a long chain of $ref to $ref nests as deeply as written out",
    )


def count_values(data: Any) -> int:
    """How many JSON values `data` holds (itself included), counted without recursion."""
    count, stack = 0, [data]
    while stack:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count
