"""The upstream phase of a proposal, read from a WebAssembly/proposals snapshot. Pure.

A proposal is found by the link to its repository (github.com/WebAssembly/<upstream>): a row in
finished-proposals.md is phase 5 (merged into the spec), a row in README.md has the phase of the
heading above it. Wasmtime's own "Phase 4" column is compared, and a disagreement is a warning;
where the snapshot may miss commits up to the revision (its caveat), it leaves the phase unknown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matching import heading_above, search
from gatecheck.collectors.spellings import spellings_for

if TYPE_CHECKING:
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import Table

_FINISHED = 5


def collect_phase(
    table: Table, name: str, proposals: Snapshot, wasmtime: Snapshot
) -> tuple[list[Collected | Unknown], list[str]]:
    """proposal.phase/name/repository for `name`, and warnings (a disagreement with Wasmtime)."""
    upstream = spellings_for(table, name).get("upstream") or name
    link = re.compile(
        r"^\[([^\]]+)\]:\s*(https?://github\.com/WebAssembly/" + re.escape(upstream) + r")/?\s*$",
        re.MULTILINE | re.IGNORECASE,
    )
    phases = table.phases
    for path in (phases.finished, phases.active):
        text = proposals.text(path).content
        label = link.search(text) if text else None
        if text is None or label is None:
            continue
        row = search(text, r"^\|\s*\[([^\]]+)\]\[" + re.escape(label.group(1)) + r"\]")
        if row is None:
            continue
        if path == phases.finished:
            phase, why = _FINISHED, "listed as finished (merged into the spec)"
        else:
            heading = heading_above(text, row.line, phases.heading)
            if heading is None or not heading.groups:
                continue
            phase, why = int(heading.groups[0]), f"under `{heading.snippet}`"
        where = (path, row.line, row.groups[0])
        return _facts(
            table, name, proposals, wasmtime, where=where, label=label, phase=phase, why=why
        )
    reason = (
        f"no row linking github.com/WebAssembly/{upstream} in {phases.finished} or "
        f"{phases.active} at {proposals.short}"
    )
    return phase_facts_unknown(reason), []


PHASE_FACTS = ("proposal.phase", "proposal.name", "proposal.repository")


def phase_facts_unknown(reason: str) -> list[Collected | Unknown]:
    """The facts read from WebAssembly/proposals, each not determined for `reason`."""
    return [Unknown(fact, reason) for fact in PHASE_FACTS]


def _facts(  # noqa: PLR0913 - keyword-only inputs of one step
    table: Table,
    name: str,
    proposals: Snapshot,
    wasmtime: Snapshot,
    *,
    where: tuple[str, int, str],
    label: re.Match[str],
    phase: int,
    why: str,
) -> tuple[list[Collected | Unknown], list[str]]:
    path, line, title = where
    warnings = []
    dated = f"snapshot of {proposals.date[:10]}"
    if proposals.caveat:
        dated += f"; {proposals.caveat}"
    claim = _wasmtime_claim(table, name, wasmtime)
    if claim is not None and (claim == "✅") != (phase >= 4):  # noqa: PLR2004
        warnings.append(
            f"{name}: WebAssembly/proposals says phase {phase} ({proposals.short}, {dated}) but "
            f"Wasmtime's docs mark Phase 4 {claim} ({wasmtime.short} {table.phases.claim_file})"
        )
    disagreement = f"; DISAGREES with Wasmtime's Phase 4 {claim}" if warnings else ""
    note = f"{why} ({dated}){disagreement}"

    def fact(fact: str, value: object, at: int, text: str) -> Collected:
        return Collected(fact, value, proposals.repository, proposals.commit, path, at, text)

    link_line = label.string.count("\n", 0, label.start()) + 1
    phase_fact: Collected | Unknown = fact("proposal.phase", phase, line, note)
    if warnings and proposals.incomplete:
        # The snapshot may miss commits up to the revision and Wasmtime says otherwise: a vote it
        # cannot see may have moved the proposal. Neither source settles it.
        phase_fact = Unknown(
            "proposal.phase",
            f"{proposals.short} ({dated}) says phase {phase} but Wasmtime's docs mark Phase 4 "
            f"{claim}; fetch a newer WebAssembly/proposals to settle it",
        )
    return [
        phase_fact,
        fact("proposal.name", title, line, f"row title `{title}`"),
        fact("proposal.repository", label.group(2), link_line, f"[{label.group(1)}] link"),
    ], warnings


def _wasmtime_claim(table: Table, name: str, wasmtime: Snapshot) -> str | None:
    text = wasmtime.text(table.phases.claim_file).content
    if text is None:
        return None
    found = search(text, table.phases.claim_pattern.replace("{name}", re.escape(name)))
    return found.groups[0] if found and found.groups else None
