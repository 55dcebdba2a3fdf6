"""Replay a collection over a range of Wasmtime commits, in memory: `gatecheck history`'s reading.

Only the commits that change a file the collector reads are replayed (the table names every file
of every fact and of the proposal listing; companions are read at the revision each Wasmtime
commit pins or precedes, chosen as `gatecheck collect` chooses them). Every repository is read
through one `HistoryReader` (one `git cat-file --batch` process), every version of a file is read
once by its object id, and a fact is collected again only when a file it reads changed.

Nothing is written: each `Moment` holds the snapshots of one replayed commit, and `Replay.facts`
gives a proposal's facts there, exactly as `collectors.wasmtime.collect` finds them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.apis import api_files, load_api_table
from gatecheck.collectors.declared import MATRIX, TIERS, read_pages
from gatecheck.collectors.phases import collect_phase, phase_facts_unknown
from gatecheck.collectors.repositories import CONFIG_RS, Choice, companion_revision, fail
from gatecheck.collectors.revision import policy_in_force
from gatecheck.collectors.run import OwnWord, own_word_facts
from gatecheck.collectors.snapshot import BlobSnapshot, BlobStore
from gatecheck.collectors.wasmtime import collect, list_proposals
from gatecheck.errors import InvalidInput
from gatecheck.git.history import Dated, HistoryReader
from gatecheck.git.revisions import Revision

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import ExitStack

    from gatecheck.collectors.declared import Pages
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import FactSpec, Table
    from gatecheck.collectors.wasmtime import Collected, Listed, Unknown

EMBEDDINGS = ("python", "go", "dotnet")

# -- what the collector reads ----------------------------------------------------------------------

Input = tuple[str, str]  # (repository key of the table, path)


def fact_inputs(spec: FactSpec) -> tuple[Input, ...]:
    """Every file one fact of the table may read, in any repository."""
    found = [(spec.repository, path) for path in spec.files]
    for rule in spec.rules:
        found += [(rule.repository or spec.repository, path) for path in rule.files or spec.files]
        if rule.member_of is not None:
            found.append((rule.member_of["repository"], rule.member_of["file"]))
    return tuple(dict.fromkeys(found))


def phase_inputs(table: Table) -> tuple[Input, ...]:
    phases = table.phases
    return (
        ("proposals", phases.finished),
        ("proposals", phases.active),
        ("wasmtime", phases.claim_file),
    )


def page_inputs() -> tuple[Input, ...]:
    """Wasmtime's own pages on its proposals, which `declared` facts come from."""
    return (("wasmtime", MATRIX), ("wasmtime", TIERS))


def listing_inputs(table: Table) -> tuple[Input, ...]:
    return tuple((table.listing.repository, path) for path in table.listing.files)


def files_read(table: Table) -> dict[str, tuple[str, ...]]:
    """Per repository key, every path a collection at one revision may read."""
    inputs = [input_ for spec in table.facts for input_ in fact_inputs(spec)]
    inputs += [*phase_inputs(table), *listing_inputs(table)]
    inputs += [("wasmtime", CONFIG_RS), *page_inputs()]
    inputs += [("wasmtime", path) for path in api_files(load_api_table())]
    inputs += [("wasmtime", version.file) for version in table.policies.versions]
    inputs += [
        ("wasmtime", spec["pinned_by"]["file"])
        for spec in table.repositories.values()
        if spec.get("pinned_by")
    ]
    found: dict[str, dict[str, None]] = {}
    for key, path in inputs:
        found.setdefault(key, {})[path] = None
    return {key: tuple(paths) for key, paths in found.items()}


# -- options and moments ---------------------------------------------------------------------------


class ReplayOptions(NamedTuple):
    wasmtime: str
    to: str | None = None  # default HEAD
    start: str | None = None  # --from: the first commit replayed
    since: dt.date | None = None  # or: the first-parent commits of that day and after
    wasm_tools: str | None = None
    proposals: str | None = None
    embeddings: tuple[str, ...] = ()  # LANG=PATH


class Moment(NamedTuple):
    """A replayed Wasmtime commit: its snapshots, and which repositories' files changed."""

    commit: str
    date: str  # committer date, ISO 8601
    summary: str  # the first line of the commit's message
    changed: tuple[str, ...]  # repository keys whose files read changed (all, at the first)
    snapshots: dict[str, BlobSnapshot]
    missing: dict[str, str]  # a companion given that has nothing at the moment: why

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date[:10])


class CompanionIndex:
    """A companion's commits for `companion_revision`, looked up in memory, not one git call each.

    `latest_before` answers as `git log -1 --before=DATE HEAD` does: the first commit of git log's
    order dated at or before DATE (the running minimum of the dates makes that a bisection).
    """

    def __init__(self, reader: HistoryReader) -> None:
        self.reader = reader
        order = reader.reachable("HEAD")
        self._order = order
        self._lowest: list[int] = []  # the running minimum of dates, negated: ascending
        lowest = None
        for item in order:
            lowest = item.seconds if lowest is None else min(lowest, item.seconds)
            self._lowest.append(-lowest)
        self._tags: frozenset[str] | None = None
        self._revisions: dict[str, Revision] = {}

    def tags(self) -> frozenset[str]:
        if self._tags is None:
            self._tags = frozenset(self.reader.tags())
        return self._tags

    def revision(self, rev: str) -> Revision:
        found = self._revisions.get(rev)
        if found is None:
            found = self._revisions[rev] = self.reader.revision(rev)
        return found

    def latest_before(self, date: str, rev: str = "HEAD") -> Revision | None:
        if rev != "HEAD":  # pragma: no cover - companion_revision asks for HEAD only
            return self.reader.latest_before(date, rev)
        index = bisect.bisect_left(self._lowest, -_seconds(date))
        if index == len(self._order):
            return None
        found = self._order[index]
        return Revision(found.commit, found.date)


# -- the replay ------------------------------------------------------------------------------------


class Replay:
    """The readers of one replay and its moments; facts are collected on demand, and reused."""

    def __init__(self, stack: ExitStack, table: Table, options: ReplayOptions) -> None:
        self.table = table._replace(
            repositories={
                **table.repositories,
                "proposals": table.repositories.get("proposals", {"name": "WebAssembly/proposals"}),
            }
        )
        self.paths = files_read(self.table)
        self.missing = {
            "wasm-tools": "no --wasm-tools repository given",
            "proposals": "no --proposals repository given",
        }
        self.readers: dict[str, HistoryReader] = {}
        self.stores: dict[str, BlobStore] = {}
        self.wasmtime = self._open(stack, "wasmtime", options.wasmtime)
        self.to = _resolve(self.wasmtime, options.to or "HEAD", "--to", options.wasmtime)
        if self.wasmtime.show(self.to.commit, CONFIG_RS) is None:
            fail(
                "not-wasmtime",
                f"not a Wasmtime repository at {self.to.commit[:12]}: no {CONFIG_RS}",
                options.wasmtime,
                "pass a clone of bytecodealliance/wasmtime (and --to a commit of it)",
            )
        self.chain = self._chain(options)
        self.companions: dict[str, CompanionIndex] = {}
        for key, path in self._companion_paths(options).items():
            self.companions[key] = CompanionIndex(self._open(stack, key, path))
        for lang in EMBEDDINGS:
            self.missing.setdefault(lang, f"no --embedding {lang}=PATH given")
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

    # -- opening -----------------------------------------------------------------------------------

    def _open(self, stack: ExitStack, key: str, path: str) -> HistoryReader:
        if not os.path.isdir(path):
            fail("bad-directory", f"{path}: no such directory", path)
        reader = self.readers[key] = stack.enter_context(HistoryReader(path, path))
        self.stores[key] = BlobStore(reader)
        return reader

    def _companion_paths(self, options: ReplayOptions) -> dict[str, str]:
        found = {}
        if options.wasm_tools:
            found["wasm-tools"] = options.wasm_tools
        for pair in options.embeddings:
            lang, sep, path = pair.partition("=")
            if not sep or lang not in EMBEDDINGS or not path:
                fail(
                    "bad-embedding",
                    f"--embedding {pair}: expected LANG=PATH with LANG one of "
                    f"{', '.join(EMBEDDINGS)}",
                    pair,
                )
            found[lang] = path
        if options.proposals:
            found["proposals"] = options.proposals
        return found

    def _chain(self, options: ReplayOptions) -> list[Dated]:
        """The Wasmtime commits considered, oldest first, --to included.

        The first-parent line of --to from --from, or from its first commit of the --since day.
        """
        reader, path = self.wasmtime, options.wasmtime
        if options.start is not None:
            start = _resolve(reader, options.start, "--from", path)
            if not reader.is_ancestor(start.commit, self.to.commit):
                fail(
                    "bad-range",
                    f"--from {options.start} ({start.commit[:12]}) is not an ancestor of --to "
                    f"{options.to or 'HEAD'} ({self.to.commit[:12]})",
                    path,
                    "give --from an older commit of the history that leads to --to",
                )
            first = Dated(start.commit, _seconds(start.date), start.date)
            return [first, *reader.first_parents(self.to.commit, after=start.commit)]
        line = reader.first_parents(self.to.commit)
        if options.since is None:
            return line
        since = options.since.isoformat()
        begin = len(line)
        while begin > 0 and line[begin - 1].date[:10] >= since:
            begin -= 1
        if begin == len(line):
            fail(
                "bad-range",
                f"--since {since}: no commit of that day or later leads to --to "
                f"{options.to or 'HEAD'} ({self.to.commit[:12]}, {self.to.date[:10]})",
                path,
                "give an earlier --since, or a later --to",
            )
        return line[begin:]

    # -- moments -----------------------------------------------------------------------------------

    @property
    def considered(self) -> int:
        return len(self.chain)

    def moments(self) -> Iterator[Moment]:
        """The commits of the chain whose files read (or whose companions' files) changed."""
        snapshots = list(self._wasmtime_snapshots())
        chosen = self._companion_commits(snapshots)
        blobs = self._companion_blobs(chosen)
        last: dict[str, tuple[str | None, ...]] = {}
        for index, wasmtime in enumerate(snapshots):
            keys = {"wasmtime": tuple(wasmtime.blobs.values())}
            for key, choices in chosen.items():
                found = choices[index].revision
                keys[key] = () if found is None else tuple(blobs[key][found.commit].values())
            changed = tuple(key for key, value in keys.items() if last.get(key) != value)
            if not changed:
                continue
            last = keys
            moment = {"wasmtime": wasmtime}
            missing = {}
            for key, choices in chosen.items():
                choice = choices[index]
                if choice.revision is None:
                    missing[key] = choice.how
                    continue
                moment[key] = BlobSnapshot(
                    self.table.repositories[key]["name"],
                    commit=choice.revision.commit,
                    date=choice.revision.date,
                    how=choice.how,
                    blobs=blobs[key][choice.revision.commit],
                    store=self.stores[key],
                )
            summary = self.chain[index].summary
            yield Moment(wasmtime.commit, wasmtime.date, summary, changed, moment, missing)

    def _wasmtime_snapshots(self) -> Iterator[BlobSnapshot]:
        """Wasmtime at each commit of the chain, its files' object ids followed through changes."""
        reader, chain, paths = self.wasmtime, self.chain, self.paths["wasmtime"]
        name = self.table.repositories["wasmtime"]["name"]
        # The first two are read whole: --from may lie off the first-parent line of --to, so the
        # second commit's first parent need not be the first.
        head = chain[:2]
        ids = reader.blob_ids([(item.commit, path) for item in head for path in paths])
        full = [
            dict(zip(paths, ids[i * len(paths) : (i + 1) * len(paths)], strict=True))
            for i in range(len(head))
        ]
        changes = reader.changes(chain[-1].commit, chain[1].commit, paths) if len(chain) > 2 else {}  # noqa: PLR2004
        blobs: dict[str, str | None] = {}
        for index, item in enumerate(chain):
            if index < len(full):
                blobs = full[index]
            elif item.commit in changes:
                blobs = {**blobs, **changes[item.commit]}
            yield BlobSnapshot(
                name,
                commit=item.commit,
                date=item.date,
                how=f"commit {item.commit[:12]} of the history replayed",
                blobs=blobs,
                store=self.stores["wasmtime"],
            )

    def _companion_commits(self, snapshots: list[BlobSnapshot]) -> dict[str, list[Choice]]:
        """For each companion, the commit each Wasmtime commit pins or precedes, and why.

        A pinned tag is read again only where the file that pins it changed.
        """
        chosen: dict[str, list[Choice]] = {}
        for key, revisions in self.companions.items():
            spec = self.table.repositories[key]
            pinned = (spec.get("pinned_by") or {}).get("file")
            found: list[Choice] = []
            for index, snapshot in enumerate(snapshots):
                if found and pinned and found[-1].pinned:
                    before = snapshots[index - 1].blobs.get(pinned)
                    if snapshot.blobs.get(pinned) == before:
                        found.append(found[-1])
                        continue
                found.append(companion_revision(spec, snapshot, revisions))
            chosen[key] = found
        return chosen

    def _companion_blobs(
        self, chosen: dict[str, list[Choice]]
    ) -> dict[str, dict[str, dict[str, str | None]]]:
        """The object ids of each companion's files read, at each of its commits chosen."""
        found: dict[str, dict[str, dict[str, str | None]]] = {}
        for key, choices in chosen.items():
            commits = list(
                dict.fromkeys(c.revision.commit for c in choices if c.revision is not None)
            )
            paths = self.paths.get(key, ())
            ids = self.readers[key].blob_ids(
                [(commit, path) for commit in commits for path in paths]
            )
            found[key] = {
                commit: dict(zip(paths, ids[i * len(paths) : (i + 1) * len(paths)], strict=True))
                for i, commit in enumerate(commits)
            }
        return found

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

    def blobs_read(self) -> int:
        return sum(store.read for store in self.stores.values())


def _seconds(date: str) -> int:
    return int(dt.datetime.fromisoformat(date).timestamp())


def _inputs_key(moment: Moment, inputs: tuple[Input, ...]) -> tuple[str | None, ...]:
    """The object ids of the files `inputs` names at the moment ("" for a repository not given)."""
    key: list[str | None] = []
    for repository, path in inputs:
        snapshot = moment.snapshots.get(repository)
        key.append("" if snapshot is None else snapshot.blobs.get(path))
    return tuple(key)


def _resolve(reader: HistoryReader, rev: str, option: str, path: str) -> Revision:
    try:
        return reader.revision(rev)
    except InvalidInput:
        fail(
            "unknown-ref",
            f"{option} {rev}: no such commit in {path}",
            path,
            "name a branch, tag or commit that exists in that repository",
        )
