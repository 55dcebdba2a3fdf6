"""Locate each of a proposal's facts where the table says it lives, in Wasmtime or companions. Pure.

Each fact's locators are tried in the table's order, in runs that look in the same place; the
first that holds gives the value (`fact_values`), and when none does the fact's `absent` value
may (`absence`). Every fact comes out `Collected` or `Unknown` (`facts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.collectors.absence import absent_value
from gatecheck.collectors.fact_values import (
    Filled,
    ProposalCollection,
    Undetermined,
    collected_at_match,
    locator_note,
)
from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matching import Found, find_region, search, search_all
from gatecheck.collectors.spellings import fill, lacking_reason, spellings_for

if TYPE_CHECKING:
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import FactSpec, Table


def collect(
    table: Table, name: str, snapshots: dict[str, Snapshot | None], missing: dict[str, str]
) -> list[Collected | Unknown]:
    """Every fact of the table for proposal `name`. `missing` says why a snapshot is absent."""
    context = ProposalCollection(table, name, spellings_for(table, name), snapshots, missing, {})
    for spec in table.facts:
        context.done[spec.fact] = _fact(spec, context)
    return list(context.done.values())


def _fact(spec: FactSpec, context: ProposalCollection) -> Collected | Unknown:
    snapshot = context.snapshots.get(spec.repository)
    if snapshot is None:
        return Unknown(spec.fact, _why_absent(context, spec.repository))
    filled, note = _filled(spec, context)
    if isinstance(note, Unknown):
        return note
    undecided: list[Unknown] = []  # locators that could not tell: a later locator may still decide
    for location, run in _by_location(spec, filled):
        where = context.snapshots.get(location[0])
        if where is None:  # a later locator could only guess without it
            return Unknown(spec.fact, _why_absent(context, location[0]))
        try:
            result = _first_match(spec, run, where, location, context, undecided=undecided)
        except Undetermined as undetermined:
            lacking_repository, why = undetermined.args
            given = context.missing.get(lacking_repository, "")
            return Unknown(spec.fact, f"{why}: {given}" if given else why)
        if result is not None:
            return result
    if undecided:  # no locator decided, and absence cannot count where one could not tell
        return undecided[0]
    return absent_value(
        spec, snapshot, patterns=[item.pattern for item in filled], note=note, context=context
    )


def _filled(spec: FactSpec, context: ProposalCollection) -> tuple[list[Filled], str | Unknown]:
    """The fact's locators with the proposal's spellings, and its note; Unknown if none can hold.

    A locator needing a spelling the proposal does not have cannot hold; with none left, no answer.
    """
    filled: list[Filled] = []
    lacking = []
    for locator in spec.locators:
        try:
            files = tuple(_fill_path(path, context) for path in locator.files or spec.files)
            pattern = fill(locator.pattern, context.spellings, escape=True)
            # the spellings its note and its set membership need too
            locator_note(locator.note or "", context.spellings, Found(0, "", ()))
            fill((locator.member_of or {}).get("item", ""), context.spellings, escape=True)
            filled.append(Filled(locator, pattern, files))
        except KeyError as error:
            lacking.append(error.args[0])
    try:
        note = fill(
            spec.note.replace("{value}", "{_value}"),
            {**context.spellings, "_value": "?"},
            escape=False,
        )
    except KeyError as error:
        lacking.insert(0, error.args[0])
        filled = []
    if not filled:
        return [], Unknown(spec.fact, lacking_reason(context.table, context.name, lacking[0]))
    return filled, note


def _why_absent(context: ProposalCollection, repository: str) -> str:
    return context.missing.get(repository, f"no {repository} repository")


def _fill_path(path: str, context: ProposalCollection) -> str:
    return fill(path, context.spellings, escape=False)


Location = tuple[str, tuple[str, ...], "tuple[str, str] | None"]


def _first_match(  # noqa: PLR0913 - the inputs of one step, and where it leaves the undecided
    spec: FactSpec,
    locators: list[Filled],
    where: Snapshot,
    location: Location,
    context: ProposalCollection,
    *,
    undecided: list[Unknown],
) -> Collected | Unknown | None:
    """The first file of `location` with a locator that holds gives the value; None if none does.

    A locator about what is missing holds when none of the files has its pattern (and one exists),
    so it is judged over them all, before the others. A locator that cannot tell (a listed spec test
    the mapping cannot attribute) is added to `undecided`, and the search goes on.
    """
    _, files, within = location
    texts = [
        (path, text)
        for pattern in files
        for path in where.paths(pattern)
        if (text := where.text(path).content) is not None
    ]
    for item in locators:
        if item.locator.missing and texts and _missing_everywhere(item, texts, within):
            nowhere = Found(0, "", ())
            return collected_at_match(
                spec, item, found=nowhere, file=texts[0], where=where, context=context
            )
    for path, text in texts:
        for item in locators:
            if item.locator.missing:
                continue
            found = _holds(item, text, within, context)
            if isinstance(found, str):
                undecided.append(Unknown(spec.fact, f"{found} ({path} at {where.short})"))
                continue
            if found is not None:
                result = collected_at_match(
                    spec, item, found=found, file=(path, text), where=where, context=context
                )
                if result is not None:
                    return result
    return None


def _missing_everywhere(
    item: Filled, texts: list[tuple[str, str]], within: tuple[str, str] | None
) -> bool:
    """No file has the pattern (in its region; a file without the region is another layout)."""
    if within is not None and all(find_region(text, within) is None for _, text in texts):
        return False
    return all(search(text, item.pattern, within) is None for _, text in texts)


def _holds(
    item: Filled, text: str, within: tuple[str, str] | None, context: ProposalCollection
) -> Found | str | None:
    """The match that makes a locator hold in `text`, None if it does not, or why it cannot tell."""
    if not item.locator.spec_test_of:
        return search(text, item.pattern, within)
    from gatecheck.collectors.spec_files import proposal_among

    return proposal_among(search_all(text, item.pattern, within), context.name, text)


def _by_location(spec: FactSpec, locators: list[Filled]) -> list[tuple[Location, list[Filled]]]:
    """The locators in runs of consecutive ones that look in the same place, in the table's order.

    Within a run the first file with a match wins (then the first locator); runs are tried in order,
    so a locator reading another file or repository takes its turn between the others.
    """
    runs: list[tuple[Location, list[Filled]]] = []
    for item in locators:
        locator = item.locator
        location: Location = (
            locator.repository or spec.repository,
            item.files,
            locator.within if locator.within is not None else spec.within,
        )
        if runs and runs[-1][0] == location:
            runs[-1][1].append(item)
        else:
            runs.append((location, [item]))
    return runs
