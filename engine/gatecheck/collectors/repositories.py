"""Open the repositories a collection reads, each at the revision that matches Wasmtime's.

Wasmtime is read at `--rev` (straight from git, bare repositories included) or as its work tree.
wasm-tools is read at the tag of the wasmparser version Wasmtime's Cargo.toml pins; the others at
their newest commit no later than the Wasmtime revision. Each snapshot says which, and why.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from gatecheck.collectors.snapshot import Snapshot
from gatecheck.errors import InvalidInput, Problem
from gatecheck.git import Revision, RevisionReader
from gatecheck.source import Location

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


def open_companion(  # noqa: PLR0913 - keyword-only inputs of one step
    stack: ExitStack,
    table: Table,
    key: str,
    path: str,
    *,
    wasmtime: Snapshot,
    rev: str | None = None,
) -> Snapshot:
    """A companion repository at `rev`, its pinned tag, or its last commit before Wasmtime's."""
    if not os.path.isdir(path):
        fail("bad-directory", f"{path}: no such directory", path)
    reader = stack.enter_context(RevisionReader(path, path))
    spec = table.repositories[key]
    if rev is not None:
        found, how = reader.revision(rev), f"--{key}-rev {rev}"
    else:
        found, how = companion_revision(spec, wasmtime, reader)
    return Snapshot(spec["name"], commit=found.commit, date=found.date, how=how, reader=reader)


class Revisions(Protocol):
    """Where a companion's commits are looked up: a `RevisionReader`, or a replay's index."""

    def revision(self, rev: str) -> Revision: ...

    def latest_before(self, date: str, rev: str = "HEAD") -> Revision | None: ...

    def tags(self) -> Collection[str]: ...


def companion_revision(
    spec: dict[str, Any], wasmtime: Snapshot, revisions: Revisions
) -> tuple[Revision, str]:
    """The companion's commit that matches Wasmtime's revision, and why (a snapshot's `how`).

    Its tag that Wasmtime pins, else its last commit at or before the Wasmtime revision's date,
    else its HEAD. `gatecheck collect` and `gatecheck history` both choose through here.
    """
    pinned = spec.get("pinned_by")
    if pinned:
        tag = _pinned_tag(pinned, wasmtime)
        if tag is not None and tag in revisions.tags():
            how = f"tag {tag}, the version {wasmtime.short} pins in {pinned['file']}"
            return revisions.revision(tag), how
    before = revisions.latest_before(wasmtime.date)
    if before is not None:
        how = f"its last commit at or before the Wasmtime revision's date ({wasmtime.date[:10]})"
        return before, how
    return revisions.revision("HEAD"), "HEAD (nothing older)"


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
