"""Open the repositories a collection reads, each at the revision that matches Wasmtime's.

Wasmtime is read at `--rev` (straight from git, bare repositories included) or as its work tree.
wasm-tools is read at the tag of the wasmparser version Wasmtime's Cargo.toml pins; the others at
their newest commit no later than the Wasmtime revision. Each snapshot says which, and why, and
carries a caveat when it may not be the repository as it stood at the revision.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, Protocol

from gatecheck.collectors.snapshot import Snapshot
from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.git.revisions import Revision, RevisionReader

if TYPE_CHECKING:
    from collections.abc import Collection
    from contextlib import ExitStack

    from gatecheck.collectors.table import Table

CONFIG_RS = "crates/wasmtime/src/config.rs"


def open_wasmtime(stack: ExitStack, table: Table, path: str, rev: str | None) -> Snapshot:
    """Wasmtime at `rev` (or its work tree, or HEAD of a bare clone); checked to be Wasmtime."""
    if not os.path.isdir(path):
        fail("bad-directory", f"{path}: no such directory", path)
    reader = stack.enter_context(RevisionReader(path, path))
    name = table.repositories["wasmtime"]["name"]
    if rev is None and os.path.isfile(os.path.join(path, CONFIG_RS)):
        head = reader.revision("HEAD")
        snapshot = Snapshot(
            name, commit=head.commit, date=head.date, how="the work tree (HEAD)", work_tree=path
        )
    else:
        found = reader.revision(rev or "HEAD")
        how = f"--rev {rev or 'HEAD'}"
        snapshot = Snapshot(name, commit=found.commit, date=found.date, how=how, reader=reader)
    if snapshot.text(CONFIG_RS).content is None:
        fail(
            "not-wasmtime",
            f"not a Wasmtime repository at {snapshot.commit[:12]}: no {CONFIG_RS}",
            path,
            "pass a clone of bytecodealliance/wasmtime (and --rev a commit of it)",
        )
    return snapshot


class Companion(NamedTuple):
    """A companion repository as a collection reads it, or why it cannot be read."""

    snapshot: Snapshot | None
    why_none: str  # when snapshot is None: why its facts are not determined


def open_companion(  # noqa: PLR0913 - keyword-only inputs of one step
    stack: ExitStack,
    table: Table,
    key: str,
    path: str,
    *,
    wasmtime: Snapshot,
    rev: str | None = None,
) -> Companion:
    """A companion repository at `rev`, its pinned tag, or its last commit before Wasmtime's.

    The snapshot's `caveat` says when it may not be the repository as it stood at the Wasmtime
    revision: a commit later than it, a clone that ends before it, a pinned tag the clone lacks.
    A repository with no commit at or before the revision has nothing to say about it.
    """
    if not os.path.isdir(path):
        fail("bad-directory", f"{path}: no such directory", path)
    reader = stack.enter_context(RevisionReader(path, path))
    spec = table.repositories[key]
    if rev is not None:
        found = reader.revision(rev)
        snapshot = Snapshot(
            spec["name"],
            commit=found.commit,
            date=found.date,
            how=f"--{key}-rev {rev}",
            reader=reader,
        )
        return Companion(_with_caveat(snapshot, reader, wasmtime), "")
    choice = companion_revision(spec, wasmtime, reader)
    if choice.revision is None:
        return Companion(None, choice.how)
    found = choice.revision
    snapshot = Snapshot(
        spec["name"], commit=found.commit, date=found.date, how=choice.how, reader=reader
    )
    if choice.pinned:
        return Companion(snapshot, "")
    snapshot = _with_caveat(snapshot, reader, wasmtime)
    if choice.caveat is not None:
        snapshot.caveat = (
            f"{choice.caveat}; {snapshot.caveat}" if snapshot.caveat else choice.caveat
        )
    return Companion(snapshot, "")


class Revisions(Protocol):
    """Where a companion's commits are looked up: a `RevisionReader`, or a replay's index."""

    def revision(self, rev: str) -> Revision: ...

    def latest_before(self, date: str, rev: str = "HEAD") -> Revision | None: ...

    def tags(self) -> Collection[str]: ...


class Choice(NamedTuple):
    """The companion's commit that matches a Wasmtime revision, or why there is none."""

    revision: Revision | None  # None: the companion has no commit at or before the revision
    how: str  # why this commit (a snapshot's `how`), or why there is none
    pinned: bool  # the tag Wasmtime pins: exactly the companion Wasmtime built with
    caveat: str | None  # the pin the clone lacks or that cannot be read: a commit by date instead


def companion_revision(spec: dict[str, Any], wasmtime: Snapshot, revisions: Revisions) -> Choice:
    """The tag Wasmtime pins, else the companion's last commit at or before Wasmtime's date.

    A companion with no commit by then has nothing to say about the revision: its facts are not
    determined. `gatecheck collect` and `gatecheck history` both choose through here.
    """
    pinned = spec.get("pinned_by")
    caveat = None
    if pinned:
        tag = _pinned_tag(pinned, wasmtime)
        if tag is not None and tag in revisions.tags():
            how = f"tag {tag}, the version {wasmtime.short} pins in {pinned['file']}"
            return Choice(revisions.revision(tag), how, pinned=True, caveat=None)
        caveat = _unpinned(tag, wasmtime, pinned["file"])
    day = wasmtime.date[:10]
    before = revisions.latest_before(wasmtime.date)
    if before is None:
        why = f"{spec['name']} has no commit at or before the Wasmtime revision ({day})"
        return Choice(None, why, pinned=False, caveat=caveat)
    how = f"its last commit at or before the Wasmtime revision's date ({day})"
    return Choice(before, how, pinned=False, caveat=caveat)


def _unpinned(tag: str | None, wasmtime: Snapshot, file: str) -> str:
    pin = (
        f"tag {tag} (the version {wasmtime.short} pins in {file}) is not in this clone"
        if tag is not None
        else f"{wasmtime.short} pins no version in {file} that the table can read"
    )
    return f"{pin}: its last commit before the revision is read instead, which may differ from it"


def _with_caveat(snapshot: Snapshot, reader: RevisionReader, wasmtime: Snapshot) -> Snapshot:
    """`snapshot`, with a caveat when it may not show the repository as of the revision.

    Its last commit at or before the revision shows it exactly, as far as the clone knows: no
    caveat, however old that commit is (a quiet repository). It may not when it is later than
    the revision, when the clone has commits up to the revision that it leaves out, or when it is
    the clone's newest commit: then the clone may simply not have been fetched since.
    """
    if _instant(snapshot.date) > _instant(wasmtime.date):
        snapshot.caveat = (
            f"it is later than the Wasmtime revision ({wasmtime.date[:10]}): it may show what "
            "happened after it"
        )
        return snapshot
    newest = reader.latest_before(wasmtime.date)
    if newest is not None and newest.commit != snapshot.commit:
        snapshot.caveat = (
            f"the clone has later commits up to the Wasmtime revision's date ({newest.commit[:8]}, "
            f"{newest.date[:10]}) that are not read"
        )
        snapshot.incomplete = True
    elif reader.revision("HEAD").commit == snapshot.commit:
        snapshot.caveat = (
            f"it is the newest commit of this clone, older than the Wasmtime revision "
            f"({wasmtime.date[:10]}): what the repository gained since, if anything, is not seen "
            "(fetch the clone)"
        )
        snapshot.incomplete = True
    return snapshot


def _instant(date: str) -> dt.datetime:
    return dt.datetime.fromisoformat(date)


def _pinned_tag(pinned: dict[str, str], wasmtime: Snapshot) -> str | None:
    text = wasmtime.text(pinned["file"]).content or ""
    found = re.search(pinned["pattern"], text, re.MULTILINE)
    if found is None:
        return None
    tag = pinned["tag"]
    for index, group in enumerate(found.groups(), 1):
        tag = tag.replace(f"{{{index}}}", group)
    return tag


def fail(code: str, message: str, path: str, hint: str | None = None) -> NoReturn:
    raise InvalidInput([Problem(code, message, Location(path, 0, 0), hint)])


# The languages whose embedding repositories `--embedding LANG=PATH` gives
EMBEDDINGS = ("python", "go", "dotnet")


def not_given() -> dict[str, str]:
    """Why each companion repository is absent until an option gives it, by the table's key."""
    return {
        "wasm-tools": "no --wasm-tools repository given",
        "proposals": "no --proposals repository given",
        **{lang: f"no --embedding {lang}=PATH given" for lang in EMBEDDINGS},
    }


def parse_embeddings(pairs: tuple[str, ...]) -> dict[str, str]:
    """The embedding repositories given, by language; a malformed pair is an input error."""
    found = {}
    for pair in pairs:
        lang, sep, path = pair.partition("=")
        if not sep or lang not in EMBEDDINGS or not path:
            fail(
                "bad-embedding",
                f"--embedding {pair}: expected LANG=PATH with LANG one of {', '.join(EMBEDDINGS)}",
                pair,
            )
        found[lang] = path
    return found
