"""Policies as the engine holds them: steps, gates, rules, waiver authority, freshness, columns.

`policy_compiler` builds them from a policy file's data; the validation cache stores them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.language.conditions import Condition

if TYPE_CHECKING:
    from gatecheck.errors import Location
    from gatecheck.language.conditions import Condition


class Step(NamedTuple):
    id: str
    title: str
    source: str
    needs: tuple[str, ...]
    done_when: Condition
    hint: str | None
    location: Location
    refers: tuple[str, ...]  # steps its `done_when` names in `{step: ...}`: judged before it


class Rule(NamedTuple):
    id: str
    title: str
    source: str
    require: Condition
    steps: tuple[str, ...]
    hint: str | None
    location: Location


class Gate(NamedTuple):
    id: str
    title: str
    source: str
    rules: tuple[Rule, ...]
    location: Location
    claimed_when: Condition | None = None  # a change that makes this hold claims the gate


class WaiverAuthority(NamedTuple):
    """Who may approve a waiver (a reviewer group) and how far ahead its expiry may lie."""

    group: str
    approvers: frozenset[str]
    longest: str  # as written, such as `12w`
    longest_days: int
    location: Location


class Freshness(NamedTuple):
    """How old a fact (or every fact of a section) may be when it is judged."""

    fact: tuple[str, ...]
    text: str
    duration: str
    days: int
    location: Location


class DeclaredColumn(NamedTuple):
    """A fact in which the subject's own documents declare something (`status` shows it)."""

    fact: tuple[str, ...]
    text: str
    title: str


class Policy(NamedTuple):
    name: str
    version: int
    default: bool
    title: str
    source_title: str
    source_url: str | None
    facts_schema: str
    judgements: dict[str, str]
    reviewers: dict[str, list[str]]
    steps: tuple[Step, ...]
    steps_by_id: dict[str, Step]
    gates: tuple[Gate, ...]
    path: str
    location: Location
    # Worked out once by `loading.step_order.with_order` when the policy is validated, then cached:
    order: tuple[str, ...] = ()  # every step, each after the steps it depends on
    waivers: WaiverAuthority | None = None  # None: the policy accepts no waiver
    freshness: tuple[Freshness, ...] = ()
    declared: tuple[DeclaredColumn, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def gate(self, gate_id: str) -> Gate | None:
        return next((gate for gate in self.gates if gate.id == gate_id), None)
