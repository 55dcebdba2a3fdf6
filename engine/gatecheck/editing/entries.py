"""Adding, replacing and removing entries of a round-trip document, with the comments around them.

ruamel files the blank lines and comments that follow a block collection under that collection's
deepest last entry. Appended, inserted and removed entries move those lines along, so they stay in
front of whatever followed them.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from gatecheck.editing.roundtrip import Collection, node, same


def _last(collection: Collection) -> Any:
    return (
        next(reversed(collection)) if isinstance(collection, CommentedMap) else len(collection) - 1
    )


def _tail_slot(collection: Collection, key: Any) -> tuple[Collection, Any, int]:
    """Where ruamel files the lines after entry `key`: its deepest last entry's comment slot."""
    value = collection[key]
    while isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
        collection, key = value, _last(value)
        value = collection[key]
    return collection, key, (2 if isinstance(collection, CommentedMap) else 0)


def take_tail(collection: Collection, key: Any) -> str:
    """Detach the whole lines (blank, comments) after entry `key`; its end-of-line comment stays."""
    owner, last, index = _tail_slot(collection, key)
    slots = owner.ca.items.get(last)
    token = slots[index] if slots else None
    if token is None:
        return ""
    head, newline, tail = token.value.partition("\n")
    if not tail:
        return ""
    if head.strip():
        token.value = head + newline
    else:
        slots[index] = None
    return str(tail)


def give_tail(collection: Collection, key: Any, tail: str) -> None:
    """Print `tail` (whole lines) after entry `key`."""
    if not tail:
        return
    owner, last, index = _tail_slot(collection, key)
    slots = owner.ca.items.setdefault(last, [None, None, None, None])
    token = slots[index]
    if token is None:
        slots[index] = CommentToken("\n" + tail, CommentMark(0), None)
    else:
        token.value += ("" if token.value.endswith("\n") else "\n") + tail


def _take_leading(mapping: CommentedMap, key: str) -> str:
    """Detach comment lines that ruamel filed in front of `key` (after a flow collection)."""
    slots = mapping.ca.items.get(key)
    if not slots or not slots[1]:
        return ""
    tokens, slots[1] = slots[1], None
    return "".join(
        " " * (t.column or 0) + t.value if t.value[:1] == "#" else t.value for t in tokens
    )


def append(collection: Collection, key: Any, value: Any) -> None:
    """Add an entry at the end of a mapping (`key`) or a sequence (`key` is None)."""
    tail = take_tail(collection, _last(collection)) if collection else ""
    if not collection:
        collection.fa.set_block_style()  # `waivers: []` or `facts: {}` grows into a block
    if isinstance(collection, CommentedSeq):
        collection.append(value)
        key = len(collection) - 1
    else:
        collection[key] = value
    give_tail(collection, key, tail)


def insert_before(mapping: CommentedMap, before: str, key: str, value: Any) -> None:
    """Add `key` just before the existing key `before`, keeping what is written in front of it."""
    keys = list(mapping)
    position = keys.index(before)
    tail = take_tail(mapping, keys[position - 1]) if position else ""
    blank = tail[: len(tail) - len(tail.lstrip("\n"))]
    mapping.insert(position, key, value)
    if position:
        give_tail(mapping, keys[position - 1], blank)
    give_tail(mapping, key, tail)


def replace(collection: Collection, key: Any, value: Any) -> None:
    """Set an existing entry; a mapping that replaces a mapping is updated key by key."""
    old = collection[key]
    if isinstance(old, CommentedMap) and isinstance(value, dict):
        for name, item in value.items():  # first add, then remove: never empty in between
            if name in old:
                replace(old, name, item)
            else:
                append(old, name, node(item))
        for name in [name for name in old if name not in value]:
            remove(old, name)
        return
    if same(old, value):
        return
    tail = take_tail(collection, key)
    collection[key] = node(value, like=old)
    give_tail(collection, key, tail)


def remove(collection: Collection, key: Any) -> str:
    """Delete an entry; the lines around it move to its neighbour. Returns lines left homeless."""
    text = take_tail(collection, key)
    if isinstance(collection, CommentedMap):
        text = _take_leading(collection, key) + text
        keys = list(collection)
        position = keys.index(key)
        del collection[key]
        collection.ca.items.pop(key, None)
        neighbour = keys[position - 1] if position else None
        following = keys[position + 1] if position + 1 < len(keys) else None
    else:
        del collection[key]
        neighbour = key - 1 if key else None
        following = None
    if not collection:  # written `{}` or `[]`, with whatever followed it after that
        collection.fa.set_flow_style()
    if text and neighbour is not None:
        give_tail(collection, neighbour, text)
        return ""
    if text and following is not None:
        token = CommentToken(text, CommentMark(0), None)
        collection.ca.items.setdefault(following, [None, None, None, None])[1] = [token]
        return ""
    return text
