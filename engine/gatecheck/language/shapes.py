"""The shape of policy and evidence files, as strict pydantic models.

These models are the source of truth for `schemas/policy.schema.json` and
`schemas/evidence.schema.json` (a test keeps the checked-in schemas equal to what they generate).
They check shape and types only; meaning (operands, references, cycles) is checked by `compiling`.
Importing this module costs a few hundred milliseconds, so only cold paths import it.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 - pydantic needs the real types at runtime
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag
from pydantic.json_schema import GenerateJsonSchema

IDENTIFIER = r"^[a-z0-9][a-z0-9_.-]*$"
Identifier = Annotated[str, Field(pattern=IDENTIFIER, max_length=100)]
FactPath = Annotated[str, Field(min_length=1, max_length=500)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]
Duration = Annotated[str, Field(pattern=r"^[0-9]{1,5}[dw]$")]


class Model(BaseModel):
    """A strict, frozen shape; its JSON Schema title drops the `Shape` that marks it in code."""

    model_config = ConfigDict(
        strict=True,
        frozen=True,
        extra="forbid",
        model_title_generator=lambda model: model.__name__.removesuffix("Shape"),
    )


# -- conditions ---------------------------------------------------------------------------------


class FactCondition(Model):
    """Compare one fact with an operand: `{fact: proposal.phase, gte: 4}`."""

    fact: FactPath
    eq: Any = None
    ne: Any = None
    gt: Any = None
    gte: Any = None
    lt: Any = None
    lte: Any = None
    in_: Any = Field(default=None, alias="in")
    not_in: Any = None
    contains: Any = None
    matches: Any = None
    exists: Any = None
    older_than: Any = None
    newer_than: Any = None


class Quantified(Model):
    """The collection a quantifier ranges over and the condition each item is tested with."""

    fact: FactPath
    where: Condition | None = None


class CountCondition(Model):
    """Count the items of a collection that satisfy `where` and compare the count."""

    count: Quantified
    eq: Any = None
    ne: Any = None
    gt: Any = None
    gte: Any = None
    lt: Any = None
    lte: Any = None


class AllCondition(Model):
    all: Annotated[list[Condition], Field(min_length=1)]


class AnyCondition(Model):
    any: Annotated[list[Condition], Field(min_length=1)]


class NotCondition(Model):
    not_: Condition = Field(alias="not")


class SomeCondition(Model):
    some: Quantified


class EveryCondition(Model):
    every: Quantified


class NoneCondition(Model):
    none: Quantified


class StepCondition(Model):
    """True when the named step is done."""

    step: Identifier


class AttestedCondition(Model):
    """True when reviewers vouched for a judgement in the evidence's `attestations`."""

    attested: Identifier
    by: Identifier | None = None
    at_least: Annotated[int, Field(ge=1, le=100)] = 1
    within: Duration | None = None


CONDITION_KINDS: dict[str, str] = {
    # first key found in a condition mapping -> the union tag; order matters for mixed mappings
    "fact": "fact-condition",
    "count": "count-condition",
    "all": "all-condition",
    "any": "any-condition",
    "not": "not-condition",
    "some": "some-condition",
    "every": "every-condition",
    "none": "none-condition",
    "step": "step-condition",
    "attested": "attested-condition",
}


def condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key, tag in CONDITION_KINDS.items():
            if key in value:
                return tag
        return None
    if isinstance(value, BaseModel):  # pragma: no cover - only reached when serialising models
        return next(t for k, t in CONDITION_KINDS.items() if hasattr(value, k.rstrip("_")))
    return None


Condition = Annotated[
    Annotated[FactCondition, Tag("fact-condition")]
    | Annotated[CountCondition, Tag("count-condition")]
    | Annotated[AllCondition, Tag("all-condition")]
    | Annotated[AnyCondition, Tag("any-condition")]
    | Annotated[NotCondition, Tag("not-condition")]
    | Annotated[SomeCondition, Tag("some-condition")]
    | Annotated[EveryCondition, Tag("every-condition")]
    | Annotated[NoneCondition, Tag("none-condition")]
    | Annotated[StepCondition, Tag("step-condition")]
    | Annotated[AttestedCondition, Tag("attested-condition")],
    Discriminator(
        condition_kind,
        custom_error_type="not-a-condition",
        custom_error_message="not a condition",
    ),
]

for _model in (Quantified, CountCondition, AllCondition, AnyCondition, NotCondition):
    _model.model_rebuild()


def condition_models() -> dict[str, type[Model]]:
    """Each condition model by its union tag, as pydantic reports it in error locations."""
    return {
        "fact-condition": FactCondition,
        "count-condition": CountCondition,
        "all-condition": AllCondition,
        "any-condition": AnyCondition,
        "not-condition": NotCondition,
        "some-condition": SomeCondition,
        "every-condition": EveryCondition,
        "none-condition": NoneCondition,
        "step-condition": StepCondition,
        "attested-condition": AttestedCondition,
    }


# -- policies -----------------------------------------------------------------------------------


class StepShape(Model):
    """A unit of work; it is done when `done_when` holds and can start when its `needs` are done."""

    id: Identifier
    title: Text
    source: Text
    needs: list[Identifier] = []
    done_when: Condition
    hint: Text | None = None


class RuleShape(Model):
    """One standard a gate requires; `steps` names the work that makes it pass."""

    id: Identifier
    title: Text
    source: Text
    require: Condition
    steps: list[Identifier] = []
    hint: Text | None = None


class GateShape(Model):
    """A decision (such as enabling a proposal by default) that needs every one of its rules."""

    id: Identifier
    title: Text
    source: Text
    rules: Annotated[list[RuleShape], Field(min_length=1)]
    claimed_when: Condition | None = None


class SourceDocumentShape(Model):
    title: Text
    url: Text | None = None


class WaiverRulesShape(Model):
    """Who may approve a waiver, and how far ahead of the judging date its expiry may lie."""

    approvers: Identifier
    longest: Duration


class DeclaredColumnShape(Model):
    """A fact that records what the subject's own documents say of it, shown by `status`."""

    fact: FactPath
    title: Text


class PolicyShape(Model):
    """A versioned process: steps with dependencies, gates made of rules."""

    name: Identifier
    version: Annotated[int, Field(ge=1)]
    default: bool = False
    title: Text
    description: Text | None = None
    source: SourceDocumentShape
    facts_schema: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.json$")]
    reviewers: dict[Identifier, list[Identifier]] = {}
    judgements: dict[Identifier, Text] = {}
    waivers: WaiverRulesShape | None = None
    freshness: dict[FactPath, Duration] = {}
    declared: list[DeclaredColumnShape] = []
    steps: list[StepShape] = []
    gates: list[GateShape] = []


# -- evidence -----------------------------------------------------------------------------------


class ProvenanceShape(Model):
    """Where a fact came from, so a verdict can cite it."""

    url: Text | None = None
    repository: Text | None = None
    # a commit id, abbreviated or whole: 40 hex digits (SHA-1) or 64 (SHA-256)
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{7,64}$")] | None = None
    file: Text | None = None
    line: Annotated[int, Field(ge=1)] | None = None
    collected_at: dt.datetime | dt.date | None = None
    note: Text | None = None


class AttestationShape(Model):
    """A person vouching for a judgement the policy declares (such as "no open concerns")."""

    judgement: Identifier
    by: Identifier
    date: dt.date
    note: Text | None = None


class WaiverShape(Model):
    """An approved, expiring exception to one rule."""

    rule: Identifier
    gate: Identifier | None = None
    reason: Text
    approver: Identifier
    expires: dt.date


class EvidenceShape(Model):
    """The facts about one subject and the policy they are judged by."""

    subject: Identifier
    policy: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*(@[0-9]+)?$")]
    as_of: dt.date | None = None
    title: Text | None = None
    facts: dict[str, Any]
    sources: dict[FactPath, ProvenanceShape] = {}
    attestations: list[AttestationShape] = []
    waivers: list[WaiverShape] = []
    claims: list[Identifier] = []
    claimed_by: Identifier | None = None


MODELS: dict[Literal["policy", "evidence"], type[Model]] = {
    "policy": PolicyShape,
    "evidence": EvidenceShape,
}


class _SchemaNames(GenerateJsonSchema):
    """Names each `$defs` entry as the files' vocabulary does: `Gate`, not `GateShape`."""

    def normalize_name(self, name: str) -> str:
        return re.sub(r"Shape\b", "", super().normalize_name(name))


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas checked in under schemas/, generated from these models."""
    documents = {}
    for name, model in MODELS.items():
        schema = model.model_json_schema(by_alias=True, schema_generator=_SchemaNames)
        documents[f"{name}.schema.json"] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://gatecheck.dev/schemas/{name}.schema.json",
            **schema,
        }
    return documents
