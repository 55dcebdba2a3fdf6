"""The seam with `gatecheck collect`: a subject's evidence at a revision, as collect writes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.collectors.facts import Collected, Unknown
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Policy


def evidence_data(
    subject: str,
    facts: Iterable[Collected | Unknown],
    *,
    policy: str,
    wasmtime: Snapshot,
    hows: dict[str, str],
) -> dict[str, Any]:
    """What a subject's evidence becomes at one revision: the data `collect` would write there.

    A new evidence file described by the collector's own plan (`collectors.revision`): the
    collected facts with their sources, a fact not determined recorded as null with the reason,
    `as_of` the revision's date.
    """
    from gatecheck.collectors.applying import apply_plan
    from gatecheck.collectors.planning import plan_subject
    from gatecheck.collectors.revision import (
        PlanContext,
        PolicyChoice,
        WasmtimeRevision,
    )

    revision = WasmtimeRevision.of(wasmtime)
    choice = PolicyChoice(policy, found=True, reason="")
    context = PlanContext(revision, choice, frozenset({policy}), hows, revision.date)
    plan = plan_subject(None, list(facts), context)
    create = {"subject": subject, "policy": policy, "title": subject, "as_of": revision.date}
    data: dict[str, Any] = apply_plan(None, plan, create)
    return data


def in_memory_evidence(data: dict[str, Any], policy: Policy, path: str) -> Evidence:
    """Evidence from data, as the engine holds it, without a file (`path` names it in output)."""
    from gatecheck.documents import Document
    from gatecheck.language.evidence import build_evidence

    return build_evidence(Document(path, data, {}, {}), policy)
