"""Walk a range of Wasmtime commits: those that change a file the collector reads, with companions.

Companions are read at the revision each Wasmtime commit pins or precedes, chosen as `gatecheck
collect` chooses them. Every repository is read through one `HistoryReader` (one `git cat-file
--batch` process), and every version of a file is read once, by its object id.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.companion_index import CompanionIndex, seconds
from gatecheck.collectors.replay_inputs import files_read
from gatecheck.collectors.repositories import (
    CONFIG_RS,
    Choice,
    companion_revision,
    fail,
    not_given,
    parse_embeddings,
)
from gatecheck.collectors.snapshot import BlobSnapshot, BlobStore
from gatecheck.errors import InvalidInput
from gatecheck.git.history import Dated, HistoryReader

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import ExitStack

    from gatecheck.collectors.table import Table
    from gatecheck.git.revisions import Revision


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


class CommitWalk:
    """The readers of one replay, the commits it considers, and the moments among them."""

    def __init__(self, stack: ExitStack, table: Table, options: ReplayOptions) -> None:
        self.table = table._replace(
            repositories={
                **table.repositories,
                "proposals": table.repositories.get("proposals", {"name": "WebAssembly/proposals"}),
            }
        )
        self.paths = files_read(self.table)
        self.missing = not_given()
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
        found.update(parse_embeddings(options.embeddings))
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
            first = Dated(start.commit, seconds(start.date), start.date)
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

    def blobs_read(self) -> int:
        return sum(store.read for store in self.stores.values())


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
