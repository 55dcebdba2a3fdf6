"""Replay a collection over a range of Wasmtime commits, in memory: `gatecheck history`'s reading.

`CommitWalk` gives the commits that change a file the collector reads (`replay_inputs`), with
their snapshots; `Replay` says what a collection finds at each of them, collecting a fact again
only when a file it reads changed. Nothing is written: `Replay.facts` gives a proposal's facts
at a moment, exactly as `collectors.locating.collect` finds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.collectors.apis import load_api_table
from gatecheck.collectors.commit_walk import CommitWalk, Moment, ReplayOptions
from gatecheck.collectors.declared_pages import read_pages
from gatecheck.collectors.listing import list_proposals
from gatecheck.collectors.locating import collect
from gatecheck.collectors.phases import collect_phase, phase_facts_unknown
from gatecheck.collectors.proposal_facts import OwnWord, own_word_facts
from gatecheck.collectors.replay_inputs import (
    Input,
    fact_inputs,
    listing_inputs,
    page_inputs,
    phase_inputs,
)
from gatecheck.collectors.revision import policy_in_force

if TYPE_CHECKING:
    from contextlib import ExitStack

    from gatecheck.collectors.declared_pages import Pages
    from gatecheck.collectors.facts import Collected, Unknown
    from gatecheck.collectors.listing import Listed
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import Table

# The commands name a replay's options and moments through this module, where a replay is made


class Replay(CommitWalk):
    """A replay's moments and what a collection finds at each: facts collected on demand, reused."""

    def __init__(self, stack: ExitStack, table: Table, options: ReplayOptions) -> None:
        super().__init__(stack, table, options)
        self._specs = [
            (self.table._replace(facts=(spec,)), fact_inputs(spec)) for spec in table.facts
        ]
        self._facts: list[tuple[tuple[str | None, ...], dict[str, Collected | Unknown]]] = [
            ((), {}) for _ in table.facts
        ]
        self._phases: dict[str, tuple[object, list[Collected | Unknown]]] = {}
        self._listing: tuple[tuple[str | None, ...], list[Listed]] | None = None
        self._apis = load_api_table()
        self._pages: tuple[tuple[str | None, ...], Pages] | None = None
        self._keyed: tuple[Moment, list[tuple[str | None, ...]]] | None = None

    # -- what a moment says ------------------------------------------------------------------------

    def listed(self, moment: Moment) -> list[Listed]:
        """The proposals Wasmtime's docs list at the moment (skipped ones included)."""
        key = _inputs_key(moment, listing_inputs(self.table))
        if self._listing is None or self._listing[0] != key:
            found, _ = list_proposals(self.table, moment.snapshots["wasmtime"])
            self._listing = (key, found)
        return self._listing[1]

    def facts(self, moment: Moment, name: str) -> list[Collected | Unknown]:
        """Proposal `name`'s facts at the moment: each collected again only if its files changed."""
        facts = []
        snapshots: dict[str, Snapshot | None] = dict(moment.snapshots)
        missing = {**self.missing, **moment.missing}
        for index, (one, _) in enumerate(self._specs):
            key = self._keys(moment)[index]
            known, values = self._facts[index]
            if known != key:
                values = {}
                self._facts[index] = (key, values)
            found = values.get(name)
            if found is None:
                found = values[name] = collect(one, name, snapshots, missing)[0]
            facts.append(found)
        proposals = moment.snapshots.get("proposals")
        if proposals is None:
            facts.extend(phase_facts_unknown(missing["proposals"]))
        else:
            facts.extend(self._phase(moment, name, proposals))
        wasmtime = moment.snapshots["wasmtime"]
        own = OwnWord(self._read_pages(moment), self._apis)
        return [*facts, *own_word_facts(own, name, facts, wasmtime)[0]]

    def _read_pages(self, moment: Moment) -> Pages:
        key = _inputs_key(moment, page_inputs())
        if self._pages is None or self._pages[0] != key:
            self._pages = (key, read_pages(moment.snapshots["wasmtime"]))
        return self._pages[1]

    def _keys(self, moment: Moment) -> list[tuple[str | None, ...]]:
        """Each fact's key at the moment: the object ids of the files it reads (once a moment)."""
        if self._keyed is None or self._keyed[0] is not moment:
            self._keyed = (moment, [_inputs_key(moment, inputs) for _, inputs in self._specs])
        return self._keyed[1]

    def _phase(self, moment: Moment, name: str, proposals: Snapshot) -> list[Collected | Unknown]:
        wasmtime = moment.snapshots["wasmtime"]
        # A phase read from a snapshot older than the revision is doubted when Wasmtime disagrees:
        # that comparison of dates is part of what the facts depend on.
        older = proposals.date[:10] < wasmtime.date[:10]
        key = (_inputs_key(moment, phase_inputs(self.table)), older)
        known = self._phases.get(name)
        if known is None or known[0] != key:
            facts, _ = collect_phase(self.table, name, proposals, wasmtime)
            known = self._phases[name] = (key, facts)
        return known[1]

    def policy(self, moment: Moment) -> str:
        """The policy version Wasmtime's docs had in force at the moment (as `collect` decides)."""
        return policy_in_force(self.table, moment.snapshots["wasmtime"]).policy


def _inputs_key(moment: Moment, inputs: tuple[Input, ...]) -> tuple[str | None, ...]:
    """The object ids of the files `inputs` names at the moment ("" for a repository not given)."""
    key: list[str | None] = []
    for repository, path in inputs:
        snapshot = moment.snapshots.get(repository)
        key.append("" if snapshot is None else snapshot.blobs.get(path))
    return tuple(key)
