"""Evidence as the engine holds it, fact lookup, and the checks that tie evidence to its policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import Problem, known_names_hint
from gatecheck.language.conditions import KEY
from gatecheck.language.identity_memo import IdentityMemo

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from gatecheck.language.conditions import FactRef
    from gatecheck.language.policy import Policy
    from gatecheck.loading.documents import Document, Location

MISSING: Any = type("Missing", (), {"__repr__": lambda _self: "<missing>"})()


class Evidence(NamedTuple):
    subject: str
    policy: Policy
    as_of: dt.date | None
    facts: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    attestations: tuple[dict[str, Any], ...]
    waivers: tuple[dict[str, Any], ...]
    claims: tuple[str, ...]
    claimed_by: str | None
    document: Document

    @property
    def path(self) -> str:
        return self.document.path

    def locate_fact(self, parts: tuple[str | int, ...]) -> Location:
        return self.document.locate(("facts", *parts))

    def provenance(self, parts: tuple[str | int, ...]) -> dict[str, Any] | None:
        """The `sources` entry covering a fact: its own, or that of its nearest parent."""
        for end in range(len(parts), 0, -1):
            found = self.sources.get(".".join(map(str, parts[:end])))
            if found is not None:
                return found
        return None


def build_evidence(document: Document, policy: Policy) -> Evidence:
    data = document.data
    return Evidence(
        subject=data["subject"],
        policy=policy,
        as_of=data.get("as_of"),
        facts=data["facts"],
        sources=data.get("sources", {}),
        attestations=tuple(data.get("attestations", ())),
        waivers=tuple(data.get("waivers", ())),
        claims=tuple(data.get("claims", ())),
        claimed_by=data.get("claimed_by"),
        document=document,
    )


def lookup(data: Any, parts: tuple[str, ...]) -> tuple[Any, tuple[str | int, ...]]:
    """Follow a fact path through maps (by key) and lists (by index).

    Returns the value (MISSING if absent or null) and the concrete path, with list indexes as
    integers so it can be located in the evidence file (an absent path is located at its parent).
    """
    walked: list[str | int] = []
    for index, part in enumerate(parts):
        if isinstance(data, dict) and part in data:
            data = data[part]
            walked.append(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
            walked.append(int(part))
        else:
            return MISSING, (*walked, *parts[index:])
    return (MISSING if data is None else data), tuple(walked)


class Scope(NamedTuple):
    """The item a quantifier is looking at, its key (or index), and where it sits in `facts`."""

    item: Any
    key: Any
    path: tuple[str | int, ...]


def read_fact(facts: Any, ref: FactRef, scope: Scope | None) -> tuple[Any, tuple[str | int, ...]]:
    """A fact's value (MISSING if absent or null) and its concrete path in `facts`."""
    if ref.variable is None:
        return lookup(facts, ref.parts)
    if scope is None:  # pragma: no cover - the compiler rejects variables outside quantifiers
        return MISSING, (ref.text,)
    if ref.variable == KEY:
        return scope.key, scope.path
    value, walked = lookup(scope.item, ref.parts) if ref.parts else (scope.item, ())
    return (MISSING if value is None else value), (*scope.path, *walked)


def items_of(collection: Any, path: tuple[str | int, ...]) -> list[Scope] | None:
    """The items of a map (its values, keyed) or a list (indexed); None for anything else."""
    if isinstance(collection, dict):
        return [Scope(value, key, (*path, key)) for key, value in collection.items()]
    if isinstance(collection, list):
        return [Scope(value, index, (*path, index)) for index, value in enumerate(collection)]
    return None


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


def recorded(facts: Any, parts: tuple[str, ...]) -> bool:
    """Whether the fact path is in `facts`, a null (known to be unknown) included."""
    data = facts
    for part in parts:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return False
    return True


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
