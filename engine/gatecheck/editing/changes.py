"""What an edit does to an evidence document: facts set or removed, sources, appended entries.

These work on ruamel's round-trip document through `roundtrip` and `entries`, so comments and
layout stay; `evidence_files` reads and writes the file around them.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from gatecheck.editing import entries, roundtrip
from gatecheck.errors import Location, Problem

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pydantic import BaseModel


@functools.cache
def envelope_order() -> tuple[str, ...]:
    """The top-level keys of an evidence file in the order edits write them: the shape's."""
    from gatecheck.language.shapes import EvidenceShape

    shape: type[BaseModel] = EvidenceShape
    return tuple(shape.model_fields)


@functools.cache
def entry_keys(section: str) -> tuple[str, ...]:
    """The keys of a `sources`, `attestations` or `waivers` entry, in the shape's order."""
    from gatecheck.language.shapes import AttestationShape, ProvenanceShape, WaiverShape

    shapes: dict[str, type[BaseModel]] = {
        "sources": ProvenanceShape,
        "attestations": AttestationShape,
        "waivers": WaiverShape,
    }
    return tuple(shapes[section].model_fields)


def new_document(subject: str, create: dict[str, Any]) -> Any:
    """A document to start a file from: the envelope given, with `subject` and `facts: {}`."""
    envelope = {"subject": subject, **create}
    envelope.setdefault("facts", {})
    rank = {key: index for index, key in enumerate(envelope_order())}
    ordered = sorted(envelope, key=lambda key: rank.get(key, len(rank)))
    return roundtrip.node({key: envelope[key] for key in ordered})


def set_fact(
    document: Any, fact: str, value: Any, source: dict[str, Any] | None, display: str
) -> list[Problem]:
    """Set `fact` (a dotted path in `facts`) to `value`, creating missing parents; and its source.

    `source`, if not None, replaces the fact's `sources` entry. Problems are `bad-edit`s located
    in the file shown as `display`.
    """
    parts = fact.split(".")
    if not all(parts):
        return [_bad_edit(display, f"fact path '{fact}' has an empty part", "e.g. fuzzing.since")]
    facts, problem = _envelope_entry(document, "facts", CommentedMap, display)
    if problem is not None:
        return [problem]
    node = facts
    for index, part in enumerate(parts[:-1]):
        found = _child(node, part)
        if found is None or found[1] is None:  # create the missing parents with the fact
            _set(node, part if found is None else found[0], _nested(parts[index + 1 :], value))
            break
        if not isinstance(found[1], CommentedMap | CommentedSeq):
            from gatecheck.language.values import show

            above = f"{'.'.join(parts[: index + 1])} is {show(roundtrip.plain(found[1]))}"
            return [_bad_edit(display, f"cannot record {fact}: {above}, not a mapping")]
        node = found[1]
    else:
        found = _child(node, parts[-1])
        if found is None and not isinstance(node, CommentedMap):
            return [_bad_edit(display, f"cannot record {fact}: the list has no such item")]
        _set(node, parts[-1] if found is None else found[0], value)
    _prune_sources(document, fact)
    return _set_source(document, fact, source, display)


def _prune_sources(document: Any, fact: str) -> None:
    """Drop the sources of facts below `fact` that its new value no longer has.

    Replacing `wasmtime` with a mapping without `tier` leaves `sources: wasmtime.tier` citing a
    fact that is gone, which validation rightly refuses.
    """
    sources = document.get("sources")
    if not isinstance(sources, CommentedMap):
        return
    facts = document.get("facts")
    for name in [name for name in sources if name.startswith(fact + ".")]:
        node: Any = facts
        for part in name.split("."):
            found = _child(node, part)
            if found is None:
                _remove_sources(document, name)
                break
            node = found[1]


def remove_fact(document: Any, fact: str, display: str) -> list[Problem]:
    """Delete `fact` if it is there, and the `sources` entries of it and of the facts below it."""
    parts = fact.split(".")
    if not all(parts):
        return [_bad_edit(display, f"fact path '{fact}' has an empty part", "e.g. fuzzing.since")]
    _remove_fact(document, parts)
    _remove_sources(document, fact)
    return []


def _remove_fact(document: Any, parts: list[str]) -> None:
    parent, key, node = document, "facts", document.get("facts")
    for part in parts[:-1]:
        found = _child(node, part)
        if found is None:
            return
        parent, key, node = node, found[0], found[1]
    found = _child(node, parts[-1])
    if found is not None:  # lines that belonged to the last entry go after the emptied parent
        entries.give_tail(parent, key, entries.remove(node, found[0]))


def _child(node: Any, part: str) -> tuple[Any, Any] | None:
    """The key and value of `part` in a mapping (a key) or a list (an index), if present."""
    if isinstance(node, dict):
        return (part, node[part]) if part in node else None
    if isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return int(part), node[int(part)]
    return None


def _nested(parts: list[str], value: Any) -> Any:
    for part in reversed(parts):
        value = {part: value}
    return value


def _set(node: Any, key: Any, value: Any) -> None:
    if isinstance(node, CommentedMap) and key not in node:
        entries.append(node, key, roundtrip.node(value))
    else:
        entries.replace(node, key, value)


def set_source(document: Any, fact: str, source: dict[str, Any], display: str) -> list[Problem]:
    """Replace the `sources` entry of `fact`, a fact (or parent of facts) the document records."""
    node: Any = document.get("facts")
    for part in fact.split("."):
        found = _child(node, part)
        if found is None:
            return [_bad_edit(display, f"cannot set the source of {fact}: it is not recorded")]
        node = found[1]
    return _set_source(document, fact, source, display)


def set_envelope(document: Any, key: str, value: Any) -> None:
    """Set a scalar envelope key (`as_of`, `policy`, ...), in the documented order if new."""
    if key in document:
        entries.replace(document, key, value)
        return
    envelope = envelope_order()
    later = [name for name in envelope[envelope.index(key) + 1 :] if name in document]
    if later:
        entries.insert_before(document, later[0], key, roundtrip.node(value))
    else:
        entries.append(document, key, roundtrip.node(value))


def _set_source(
    document: Any, fact: str, source: dict[str, Any] | None, display: str
) -> list[Problem]:
    if source is None:
        return []
    sources, problem = _envelope_entry(document, "sources", CommentedMap, display)
    if problem is not None:
        return [problem]
    entry = _entry("sources", source)
    if fact in sources:
        old = sources[fact]
        if isinstance(old, CommentedMap) and not roundtrip.same(old, entry):
            # a new provenance, written as a new entry would be: merged key by key, new keys
            # would follow the note and a new note would keep the old one's quotes
            tail = entries.take_tail(sources, fact)
            sources[fact] = roundtrip.node(entry, like=old)
            entries.give_tail(sources, fact, tail)
        else:
            entries.replace(sources, fact, entry)
        return []
    new = roundtrip.node(entry)
    last = sources[next(reversed(sources))] if sources else None
    if last is None or (isinstance(last, CommentedMap) and last.fa.flow_style()):
        new.fa.set_flow_style()  # one line per fact, as the bundled evidence writes them
    entries.append(sources, fact, new)
    return []


def _remove_sources(document: Any, fact: str) -> None:
    sources = document.get("sources")
    if not isinstance(sources, CommentedMap):
        return
    names = [name for name in sources if name == fact or name.startswith(fact + ".")]
    for name in names:
        entries.give_tail(document, "sources", entries.remove(sources, name))
    if names and not sources:  # emptied by this edit: `sources: {}` would only be noise
        entries.remove(document, "sources")


def append_entries(
    document: Any, name: str, additions: Sequence[dict[str, Any]], display: str
) -> list[Problem]:
    """Append attestations or waivers (`name`) that are not there yet; None values are dropped."""
    if not additions:
        return []
    items, problem = _envelope_entry(document, name, CommentedSeq, display)
    if problem is not None:
        return [problem]
    for given in additions:
        entry = _entry(name, given)
        if any(roundtrip.same(item, entry) for item in items):
            continue
        new = roundtrip.node(entry)
        if items and isinstance(items[-1], CommentedMap) and items[-1].fa.flow_style():
            new.fa.set_flow_style()  # `- {judgement: ..., by: ...}` like the entries before it
        entries.append(items, None, new)
    return []


def _entry(name: str, given: dict[str, Any]) -> dict[str, Any]:
    order = {key: index for index, key in enumerate(entry_keys(name))}
    keys = sorted((k for k, v in given.items() if v is not None), key=lambda k: order.get(k, 99))
    return {key: given[key] for key in keys}


def _envelope_entry(
    document: Any, name: str, kind: type, display: str
) -> tuple[Any, Problem | None]:
    """The envelope's `name` collection, created (empty, in envelope order) if absent or null."""
    value = document.get(name)
    if value is None:
        value = roundtrip.node(kind())
        if name in document:
            document[name] = value
        else:
            envelope = envelope_order()
            later = [key for key in envelope[envelope.index(name) + 1 :] if key in document]
            if later:
                entries.insert_before(document, later[0], name, value)
            else:
                entries.append(document, name, value)
    if not isinstance(value, kind):
        wanted = "a mapping" if kind is CommentedMap else "a list"
        return value, _bad_edit(display, f"cannot edit `{name}`: it is not {wanted}")
    return value, None


def _bad_edit(display: str, message: str, hint: str | None = None) -> Problem:
    return Problem("bad-edit", message, Location(display, 0, 0), hint)
