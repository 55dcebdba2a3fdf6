"""The references inside a compiled policy that do not hold: duplicate ids, undefined steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import Problem, known_names_hint

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from gatecheck.documents import DataPath, Document
    from gatecheck.language.policy import Policy


def reference_problems(policy: Policy, document: Document) -> Iterator[Problem]:
    """Duplicate ids and references to steps that do not exist."""
    yield from _duplicates([step.id for step in policy.steps], ("steps",), "step", document)
    yield from _duplicates([gate.id for gate in policy.gates], ("gates",), "gate", document)
    for g, gate in enumerate(policy.gates):
        ids = [rule.id for rule in gate.rules]
        yield from _duplicates(ids, ("gates", g, "rules"), "rule", document)
    step_ids = policy.steps_by_id
    for s, step in enumerate(policy.steps):
        for n, need in enumerate(step.needs):
            if need not in step_ids:
                yield _unknown_step(need, ("steps", s, "needs", n), step_ids, document)
    for g, gate in enumerate(policy.gates):
        for r, rule in enumerate(gate.rules):
            for n, name in enumerate(rule.steps):
                if name not in step_ids:
                    path = ("gates", g, "rules", r, "steps", n)
                    yield _unknown_step(name, path, step_ids, document)


def _duplicates(ids: list[str], path: DataPath, kind: str, document: Document) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for index, item_id in enumerate(ids):
        if item_id in seen:
            first = document.locate((*path, seen[item_id], "id"))
            yield Problem(
                "duplicate-id",
                f"{kind} id '{item_id}' is used twice (first at line {first.line})",
                document.locate((*path, index, "id")),
                f"give each {kind} its own id",
            )
        else:
            seen[item_id] = index


def _unknown_step(name: str, path: DataPath, known: Iterable[str], document: Document) -> Problem:
    return Problem(
        "unknown-step",
        f"step '{name}' is not defined in this policy",
        document.locate(path),
        known_names_hint(name, known, "step"),
    )
