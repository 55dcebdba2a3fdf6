"""Whether a proposal's functionality is exposed in the Rust and C APIs, as `apis.yaml` says. Pure.

Exposed means the API has the proposal's switch (read by the collector table) and every item the
proposal adds (a type, a function); the switch alone is a knob, not the functionality. Each answer
cites where it was decided: the first missing item, or the switch and the items found.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matching import search

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.collectors.snapshot import Snapshot

ON_BY_DEFAULT = "wasmtime.enabled_by_default"


class Item(NamedTuple):
    what: str
    files: tuple[str, ...]
    pattern: str


class Surface(NamedTuple):
    """One proposal: whether it has a switch, and the items each API needs beyond it."""

    switch: bool
    items: dict[str, tuple[Item, ...]]  # api key (rust, c) -> items


class ApiTable(NamedTuple):
    switches: dict[str, str]  # api key -> the fact of its switch
    apis: dict[str, tuple[str, str]]  # api key -> (fact, title)
    proposals: dict[str, Surface]


def load_api_table(name: str = "apis.yaml") -> ApiTable:
    from ruamel.yaml import YAML

    text = resources.files("gatecheck.collectors").joinpath(name).read_text("utf-8")
    return parse_api_table(YAML(typ="safe").load(text))


def api_files(table: ApiTable) -> tuple[str, ...]:
    """Every file an item of `table` may be found in."""
    found = (
        path
        for surface in table.proposals.values()
        for items in surface.items.values()
        for item in items
        for path in item.files
    )
    return tuple(dict.fromkeys(found))


def parse_api_table(data: dict[str, Any]) -> ApiTable:
    groups = {key: tuple(files) for key, files in data["files"].items()}
    apis = {key: (spec["fact"], spec["title"]) for key, spec in data["apis"].items()}
    proposals = {}
    for name, spec in data["proposals"].items():
        spec = spec or {}  # noqa: PLW2901 - an empty entry is an empty mapping
        items = {
            key: tuple(
                Item(item["what"], groups[item["files"]], item["pattern"])
                for item in spec.get(key, ())
            )
            for key in apis
        }
        proposals[name] = Surface(spec.get("switch", True), items)
    return ApiTable(dict(data["switches"]), apis, proposals)


def exposed(
    table: ApiTable, name: str, found: Iterable[Collected | Unknown], wasmtime: Snapshot
) -> list[Collected | Unknown]:
    """`apis.rust` and `apis.c` for proposal `name`, from its switches (in `found`) and items."""
    known = {fact.fact: fact for fact in found}
    surface = table.proposals.get(name)
    answers: list[Collected | Unknown] = []
    for key, (fact, title) in table.apis.items():
        if surface is None:
            why = f"the API table (apis.yaml) does not say what {name} adds to {title}"
            answers.append(Unknown(fact, why))
            continue
        switch = known.get(table.switches[key] if surface.switch else ON_BY_DEFAULT)
        asked = Asked(fact, title, surface.switch, surface.items[key])
        answers.append(answer(asked, switch, wasmtime))
    return answers


class Asked(NamedTuple):
    """One API's question about one proposal: the fact to answer, and what it needs."""

    fact: str
    title: str
    has_switch: bool  # False: the proposal is always on; its default stands for the switch
    items: tuple[Item, ...]


def answer(
    asked: Asked, switch: Collected | Unknown | None, wasmtime: Snapshot
) -> Collected | Unknown:
    """Exposed when the switch is there (or the proposal is always on) and every item is found."""
    fact, title = asked.fact, asked.title
    if not isinstance(switch, Collected):
        why = switch.reason if switch is not None else "not collected"
        what = "its switch" if asked.has_switch else "whether it is always on"
        return Unknown(fact, f"{what} is not determined: {why}")
    if switch.value is not True:
        if not asked.has_switch:
            return Unknown(fact, f"it has no switch and is not on by default ({switch.note})")
        return _at_fact(
            fact, switch, exposed=False, note=f"{title} has no switch for it: {switch.note}"
        )
    where = f"{switch.file}:{switch.line}" if switch.line is not None else switch.file
    why_on = (
        f"switch {switch.note.split(': `')[0]} ({where})"
        if asked.has_switch
        else f"proposal always on, with no switch ({where})"
    )
    found: list[tuple[Item, str, int]] = []
    for item in asked.items:
        located = _locate(item, wasmtime)
        if isinstance(located, Unknown):
            return Unknown(fact, f"{item.what}: {located.reason}")
        paths, line = located
        if line is None:
            note = f"{title} has the {why_on} but not {item.what} (searched {', '.join(paths)})"
            return _at_file(fact, wasmtime, (paths[0], None), exposed=False, note=note)
        found.append((item, paths[0], line))
    if not found:
        note = f"{title}: {why_on}; the proposal adds only instructions, nothing more to expose"
        return _at_fact(fact, switch, exposed=True, note=note)
    shown = ", ".join(f"{item.what} ({path}:{line})" for item, path, line in found)
    _, path, line = found[0]
    return _at_file(
        fact, wasmtime, (path, line), exposed=True, note=f"{title}: {why_on} and {shown}"
    )


def _locate(item: Item, wasmtime: Snapshot) -> tuple[tuple[str, ...], int | None] | Unknown:
    """The file and line of the item; (the files searched, None) when absent; Unknown: no file."""
    existing: list[str] = []
    for path in item.files:
        text = wasmtime.text(path).content
        if text is None:
            continue
        existing.append(path)
        match = search(text, item.pattern)
        if match is not None:
            return (path,), match.line
    if existing:
        return tuple(existing), None
    return Unknown(item.what, f"none of {', '.join(item.files)} exists at {wasmtime.short}")


def _at_fact(fact: str, where: Collected, *, exposed: bool, note: str) -> Collected:
    return Collected(fact, exposed, where.repository, where.commit, where.file, where.line, note)


def _at_file(
    fact: str, wasmtime: Snapshot, place: tuple[str, int | None], *, exposed: bool, note: str
) -> Collected:
    path, line = place
    return Collected(fact, exposed, wasmtime.repository, wasmtime.commit, path, line, note)
