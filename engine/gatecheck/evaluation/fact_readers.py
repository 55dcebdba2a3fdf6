"""Fact paths compiled into readers: a chain of lookups from (facts, scope) to the fact's value.

The compiled judges read facts through these; a reader gives MISSING for an absent or null fact,
exactly as `evidence.read_fact` does for the explaining evaluator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gatecheck.language.conditions import ITEM, KEY
from gatecheck.language.evidence import MISSING, Scope, lookup

if TYPE_CHECKING:
    from gatecheck.language.conditions import FactRef

Reader = Callable[[Any, Scope | None], Any]


def reader(ref: FactRef) -> Reader:
    """A function from (facts, scope) to the fact's value, MISSING when absent or null."""
    parts = ref.parts
    if ref.variable == KEY:
        return lambda _facts, scope: scope.key  # type: ignore[union-attr]  # never None: compiled in a quantifier
    if any(map(str.isdigit, parts)):  # may index a list: the general walk
        if ref.variable == ITEM:
            return lambda _facts, scope: lookup(scope.item, parts)[0]  # type: ignore[union-attr]
        return lambda facts, _scope: lookup(facts, parts)[0]
    walk = _walk(parts)
    if ref.variable == ITEM:
        return lambda _facts, scope: walk(scope.item, None)  # type: ignore[union-attr]
    return walk


def _walk(parts: tuple[str, ...]) -> Reader:
    """Map keys only (no part can be a list index): the common fact path, unrolled when short.

    A walk takes (data, scope) and ignores the scope, so it is itself the reader of a fact path
    from `facts`: one call per fact read.
    """
    if not parts:
        return lambda data, _scope: MISSING if data is None else data
    if len(parts) == 1:
        (first,) = parts

        def walk_one(data: Any, _scope: Scope | None) -> Any:
            value = data.get(first) if isinstance(data, dict) else None
            return MISSING if value is None else value

        return walk_one
    if len(parts) == 2:  # noqa: PLR2004 - `section.fact`, most facts' shape
        first, second = parts

        def walk_two(data: Any, _scope: Scope | None) -> Any:
            value = data.get(first) if isinstance(data, dict) else None
            value = value.get(second) if isinstance(value, dict) else None
            return MISSING if value is None else value

        return walk_two

    def walk(data: Any, _scope: Scope | None) -> Any:
        for part in parts:
            data = data.get(part) if isinstance(data, dict) else None
            if data is None:
                return MISSING
        return data

    return walk


def items(collection: Any) -> list[Scope] | None:
    """A collection's items for a quantifier (paths are the explaining evaluator's business)."""
    if isinstance(collection, dict):
        return [Scope(value, key, ()) for key, value in collection.items()]
    if isinstance(collection, list):
        return [Scope(value, index, ()) for index, value in enumerate(collection)]
    return None
