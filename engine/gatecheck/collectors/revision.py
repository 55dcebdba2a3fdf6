"""The Wasmtime revision a collection reads, the policy version in force there, a plan's context."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import Table


class WasmtimeRevision(NamedTuple):
    """The Wasmtime revision a collection reads."""

    repository: str
    commit: str
    date: dt.date  # its commit date: the day the collected facts describe
    short: str  # repository@abbreviated commit
    how: str  # how it was named: "--rev 4896b663", "the work tree (HEAD)"

    @classmethod
    def of(cls, snapshot: Snapshot) -> WasmtimeRevision:
        date = dt.date.fromisoformat(snapshot.date[:10])
        return cls(snapshot.repository, snapshot.commit, date, snapshot.short, snapshot.how)


class PolicyChoice(NamedTuple):
    """The policy version Wasmtime's docs had in force at a revision, and where that is read."""

    policy: str  # name@version
    found: bool  # False: no entry of the table holds, `policy` is the table's `otherwise`
    reason: str


def policy_in_force(table: Table, wasmtime: Snapshot) -> PolicyChoice:
    """The first of the table's policy versions whose file has a matching line at the revision."""
    from gatecheck.collectors.matching import search

    for version in table.policies.versions:
        text = wasmtime.text(version.file).content
        found = search(text, version.pattern) if text is not None else None
        if found is not None:
            where = f"{version.file}:{found.line} at {wasmtime.short}"
            return PolicyChoice(version.policy, found=True, reason=f"{version.note} ({where})")
    files = ", ".join(sorted({version.file for version in table.policies.versions}))
    reason = f"none of the table's policy pages ({files}) says which at {wasmtime.short}"
    return PolicyChoice(table.policies.otherwise, found=False, reason=reason)


class PlanContext(NamedTuple):
    """What a plan needs besides the evidence and the facts: the revision and the policy."""

    revision: WasmtimeRevision
    policy: PolicyChoice
    policy_aliases: frozenset[str]  # references that mean `policy` (its bare name if default)
    hows: Mapping[str, str]  # repository -> how its snapshot was chosen (the source's mark)
    today: dt.date  # the date of undated hand-recorded facts in a file without `as_of`
