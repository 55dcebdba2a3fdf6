"""The policy test file format (`*.test.yaml`) as pydantic shapes: the policy, cases, expectations.

docs/testing-policies.md describes the format; `cases` checks a file against these shapes.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - pydantic needs the real types at runtime
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from gatecheck.language.shape_parts import Model, Text

VerdictName = Literal["pass", "fail", "missing", "waived"]
StepStateName = Literal["done", "ready", "blocked"]


def _evidence_kind(value: Any) -> str:
    return "inline" if isinstance(value, dict) else "path"


EvidenceSource = Annotated[
    Annotated[Annotated[str, Field(min_length=1, max_length=1000)], Tag("path")]
    | Annotated[dict[str, Any], Tag("inline")],
    Discriminator(_evidence_kind),
]


class Expect(Model):
    """The outcomes a case asserts: gate and rule verdicts, step states."""

    gates: dict[str, VerdictName] = Field(default_factory=dict)
    # `gate/rule`, or `rule` alone when only one gate has a rule of that id
    rules: dict[str, VerdictName] = Field(default_factory=dict)
    steps: dict[str, StepStateName] = Field(default_factory=dict)


class CaseModel(Model):
    """One case: evidence, optional changes to its facts, a date, and the expected outcomes."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    evidence: EvidenceSource | None = None
    set_: dict[Annotated[str, Field(min_length=1, max_length=500)], Any] = Field(
        default={}, alias="set"
    )
    now: dt.date | None = None
    # Replace the evidence's own (checked as evidence is; `as_of: null` removes it):
    as_of: Any = None
    attestations: Any = None
    waivers: Any = None
    claims: Any = None
    claimed_by: Any = None
    expect: Expect


class PolicyTestModel(Model):
    """A policy test file: the policy under test, defaults for its cases, and the cases."""

    policy: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*(@[0-9]+)?$")]
    description: Text | None = None
    now: dt.date | None = None
    evidence: EvidenceSource | None = None
    cases: Annotated[list[CaseModel], Field(min_length=1)]
