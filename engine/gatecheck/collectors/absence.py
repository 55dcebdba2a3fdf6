"""No locator of a fact matched: when that absence is the fact's value, and when it says nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.collectors.fact_values import requirement_unmet
from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matching import find_region, search
from gatecheck.collectors.spellings import fill
from gatecheck.collectors.table import UNKNOWN

if TYPE_CHECKING:
    from gatecheck.collectors.fact_values import ProposalCollection
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import FactSpec


def absent_value(
    spec: FactSpec,
    snapshot: Snapshot,
    *,
    patterns: list[str],
    note: str,
    context: ProposalCollection,
) -> Collected | Unknown:
    """No locator matched: the fact's `absent` value, or why absence says nothing here."""
    existing, problems = [], []
    for pattern in (fill(path, context.spellings, escape=False) for path in spec.files):
        paths = snapshot.paths(pattern)
        if not paths:
            problems.append(f"no file matches {pattern} at {snapshot.short}")
        for path in paths:
            text = snapshot.text(path)
            if text.content is None:
                problems.append(text.problem)
            else:
                existing.append((path, text.content))
    if not existing:
        return Unknown(spec.fact, "; ".join(problems))
    path = existing[0][0]
    if spec.within is not None and all(_region(spec, text) is None for _, text in existing):
        return Unknown(spec.fact, f"no `{spec.within[0]}` in {path} at {snapshot.short}")
    if spec.anchor is not None and all(search(text, spec.anchor) is None for _, text in existing):
        return Unknown(
            spec.fact, f"{path} at {snapshot.short} does not have the layout the table expects"
        )
    if spec.absent == UNKNOWN:
        shown = " or ".join(repr(pattern) for pattern in patterns)
        return Unknown(spec.fact, f"no match for {shown} in {path} at {snapshot.short}")
    required = requirement_unmet(spec, context)
    if required is not None:
        return Unknown(spec.fact, f"nothing in the code refuses it, but {required}")
    files = ", ".join(name for name, _ in existing[:3]) + (
        f" and {len(existing) - 3} more" if len(existing) > 3 else ""  # noqa: PLR2004
    )
    return Collected(
        spec.fact,
        spec.absent,
        snapshot.repository,
        snapshot.commit,
        path,
        None,
        f"not found: {note} (searched {files})",
    )


def _region(spec: FactSpec, text: str) -> object:
    return find_region(text, spec.within) if spec.within else None
