"""Remember what was worked out from an object, by the object's identity, within a bound.

Policies are tuples and schemas are dicts: they can be neither hashed nor weakly referenced, so
`functools.lru_cache` cannot key on them. Each entry holds its object, so its id is not reused
while the entry lives; the least recently used entry goes once the bound is reached, so a
long-lived process does not grow without end.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

Key = TypeVar("Key")
Value = TypeVar("Value")


class IdentityMemo(Generic[Key, Value]):
    """`compute(key)` for the last `size` keys used, each looked up by identity."""

    def __init__(self, compute: Callable[[Key], Value], size: int) -> None:
        self._compute = compute
        self._size = size
        self._entries: OrderedDict[int, tuple[Key, Value]] = OrderedDict()

    def __call__(self, key: Key) -> Value:
        entry = self._entries.get(id(key))
        if entry is not None and entry[0] is key:
            self._entries.move_to_end(id(key))
            return entry[1]
        value = self._compute(key)
        self._entries[id(key)] = (key, value)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return value
