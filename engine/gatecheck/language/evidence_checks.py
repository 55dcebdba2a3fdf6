"""The references from evidence to its policy that do not hold: subject, sources, names, claims."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import Problem, known_names_hint
from gatecheck.identity_cache import IdentityMemo
from gatecheck.language.evidence import recorded

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.documents import Document
    from gatecheck.language.policy import Policy


def evidence_problems(document: Document, policy: Policy, file_stem: str) -> Iterator[Problem]:
    """References from evidence to its policy: subject, sources, attestations, waivers, claims."""
    data = document.data
    if data["subject"] != file_stem:
        yield Problem(
            "subject-mismatch",
            f"subject '{data['subject']}' does not match the file name '{file_stem}'",
            document.locate(("subject",)),
            f"rename the file to {data['subject']}.yaml or set `subject: {file_stem}`",
        )
    yield from _source_problems(document)
    yield from _attestation_problems(document, policy)
    yield from _waiver_and_claim_problems(document, policy)


def _source_problems(document: Document) -> Iterator[Problem]:
    facts = document.data["facts"]
    for name in document.data.get("sources", {}):
        # a null fact may have a source: the note says why it is not known
        if not recorded(facts, tuple(name.split("."))):
            yield Problem(
                "unknown-fact",
                f"`sources` names fact '{name}', which the evidence does not record",
                document.locate_key(("sources", name)),
                "record the fact under `facts`, or fix the path",
            )


def _attestation_problems(document: Document, policy: Policy) -> Iterator[Problem]:
    for index, attestation in enumerate(document.data.get("attestations", ())):
        judgement = attestation["judgement"]
        if judgement not in policy.judgements:
            yield Problem(
                "unknown-judgement",
                f"judgement '{judgement}' is not declared by policy {policy.ref}",
                document.locate(("attestations", index, "judgement")),
                known_names_hint(judgement, policy.judgements, "judgement"),
            )


def _waiver_and_claim_problems(document: Document, policy: Policy) -> Iterator[Problem]:
    rules, gates = _ids(policy)
    for index, waiver in enumerate(document.data.get("waivers", ())):
        if waiver["rule"] not in rules:
            yield Problem(
                "unknown-rule",
                f"waiver names rule '{waiver['rule']}', which policy {policy.ref} does not have",
                document.locate(("waivers", index, "rule")),
                known_names_hint(waiver["rule"], rules, "rule"),
            )
        gate = waiver.get("gate")
        if gate is not None and gate not in gates:
            yield _unknown_gate(gate, ("waivers", index, "gate"), gates, document, policy)
    for index, claim in enumerate(document.data.get("claims", ())):
        if claim not in gates:
            yield _unknown_gate(claim, ("claims", index), gates, document, policy)


def _rule_and_gate_ids(policy: Policy) -> tuple[frozenset[str], dict[str, None]]:
    """The policy's rule ids and gate ids (in order), the same objects for all its evidence.

    A set each, not a list: every claim and waiver is looked up in them, and hints about them
    prepare the names once (see `suggestions`).
    """
    rules = frozenset(rule.id for gate in policy.gates for rule in gate.rules)
    return rules, dict.fromkeys(gate.id for gate in policy.gates)


# a few policies per run; a long-lived process keeps only the latest
_ids = IdentityMemo(_rule_and_gate_ids, size=64)


def _unknown_gate(
    name: str,
    path: tuple[str | int, ...],
    gates: dict[str, None],
    document: Document,
    policy: Policy,
) -> Problem:
    return Problem(
        "unknown-gate",
        f"gate '{name}' is not in policy {policy.ref}",
        document.locate(path),
        known_names_hint(name, gates, "gate"),
    )
