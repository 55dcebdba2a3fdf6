"""Every fact the collector owns for one proposal, from the repositories opened. Pure.

The table's facts first, then the phase (from WebAssembly/proposals), then what Wasmtime says of
itself: whether its APIs expose the proposal, and what its pages declare.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.apis import exposed
from gatecheck.collectors.declared import declare
from gatecheck.collectors.locating import collect
from gatecheck.collectors.phases import collect_phase, phase_facts_unknown

if TYPE_CHECKING:
    from gatecheck.collectors.apis import ApiTable
    from gatecheck.collectors.declared_pages import Pages
    from gatecheck.collectors.facts import Collected, Unknown
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import Table


class Snapshots(NamedTuple):
    """The repositories of one collection, and why those that are absent are."""

    wasmtime: Snapshot
    by_key: dict[str, Snapshot | None]  # the table's repository keys
    missing: dict[str, str]  # key -> why it is absent
    proposals: Snapshot | None  # WebAssembly/proposals, read only for the phase

    def opened(self) -> list[Snapshot]:
        found = [snapshot for snapshot in self.by_key.values() if snapshot is not None]
        return found + ([self.proposals] if self.proposals is not None else [])


class OwnWord(NamedTuple):
    """What Wasmtime says of itself at the revision: its proposal pages, and what its APIs need."""

    pages: Pages
    apis: ApiTable


def collect_facts(
    table: Table, name: str, snapshots: Snapshots, own: OwnWord
) -> tuple[list[Collected | Unknown], list[str]]:
    """Every fact the collector owns for proposal `name`, and warnings. Pure (reads snapshots)."""
    facts = collect(table, name, snapshots.by_key, snapshots.missing)
    warnings: list[str] = []
    if snapshots.proposals is None:
        facts.extend(phase_facts_unknown(snapshots.missing["proposals"]))
    else:
        phase, disagreements = collect_phase(table, name, snapshots.proposals, snapshots.wasmtime)
        facts.extend(phase)
        warnings.extend(disagreements)
    more, said = own_word_facts(own, name, facts, snapshots.wasmtime)
    return [*facts, *more], [*warnings, *said]


def own_word_facts(
    own: OwnWord, name: str, facts: list[Collected | Unknown], wasmtime: Snapshot
) -> tuple[list[Collected | Unknown], list[str]]:
    """The APIs' facts and what Wasmtime's pages declare, and where those contradict the others.

    They come last: whether an API exposes the proposal reads its switches, and comparing the
    pages with the code reads every other fact.
    """
    found = exposed(own.apis, name, facts, wasmtime)
    declared = declare(own.pages, name, [*facts, *found])
    return [*found, *declared.facts], declared.warnings
