"""The shape of a condition in a policy file: one pydantic model per kind, told apart by key.

Each condition is a mapping; its first known key (`fact`, `count`, `all`, ...) says which model
checks it, so an error is reported against the one kind the author meant.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Discriminator, Field, Tag, WithJsonSchema

from gatecheck.language.shape_parts import (
    DURATION_PATTERN,
    Duration,
    FactPath,
    Identifier,
    Model,
    Text,
)

# Checked when the policy compiles, to say in one problem that it must be a duration or a number.
_OFFSET_SCHEMA = {"anyOf": [{"type": "string", "pattern": DURATION_PATTERN}, {"type": "number"}]}
OffsetAmount = Annotated[Any, WithJsonSchema(_OFFSET_SCHEMA)]


class FactReference(Model):
    """Another fact as a comparison's operand: `{fact: release.date, minus: 1d}`.

    `plus` or `minus` (at most one) shifts it: a duration for a date fact, a number for a number.
    """

    fact: FactPath
    plus: OffsetAmount = None
    minus: OffsetAmount = None


def operand_kind(value: Any) -> str:
    """A mapping with a `fact` key is a reference to another fact; anything else, a literal."""
    return "reference" if isinstance(value, dict) and "fact" in value else "literal"


# A literal operand is checked when the policy compiles (`operand_checks`); its JSON Schema says
# only that it is not a reference, so an editor checks a reference's keys.
_LITERAL_SCHEMA = {"not": {"type": "object", "required": ["fact"]}}

Operand = Annotated[
    Annotated[FactReference, Tag("reference")]
    | Annotated[Annotated[Any, WithJsonSchema(_LITERAL_SCHEMA)], Tag("literal")],
    Discriminator(operand_kind),
]


class ConditionModel(Model):
    """What every condition may carry beside its own keys."""

    hint: Text | None = Field(
        default=None,
        description="What to do when this condition decides a rule; shown instead of the rule's",
    )


class FactCondition(ConditionModel):
    """Compare one fact with an operand: `{fact: proposal.phase, gte: 4}`."""

    fact: FactPath
    eq: Operand = None
    ne: Operand = None
    gt: Operand = None
    gte: Operand = None
    lt: Operand = None
    lte: Operand = None
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


class CountCondition(ConditionModel):
    """Count the items of a collection that satisfy `where` and compare the count."""

    count: Quantified
    eq: Any = None
    ne: Any = None
    gt: Any = None
    gte: Any = None
    lt: Any = None
    lte: Any = None


class AllCondition(ConditionModel):
    all: Annotated[list[Condition], Field(min_length=1)]


class AnyCondition(ConditionModel):
    any: Annotated[list[Condition], Field(min_length=1)]


class NotCondition(ConditionModel):
    not_: Condition = Field(alias="not")


class SomeCondition(ConditionModel):
    some: Quantified


class EveryCondition(ConditionModel):
    every: Quantified


class NoneCondition(ConditionModel):
    none: Quantified


class StepCondition(ConditionModel):
    """True when the named step is done."""

    step: Identifier


class AttestedCondition(ConditionModel):
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


def operand_models() -> dict[str, type[Model]]:
    """The operand models by their union tag: a reference to another fact."""
    return {"reference": FactReference}


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
