"""The shape of policy and evidence files, as strict pydantic models.

These models are the source of truth for `schemas/policy.schema.json` and
`schemas/evidence.schema.json` (a test keeps the checked-in schemas equal to what they generate).
They check shape and types only; meaning (operands, references, cycles) is checked when compiling.
Importing this module costs a few hundred milliseconds, so only cold paths import it.
"""

# ruff: noqa: RUF012 - pydantic copies a mutable default for each instance (ruff cannot see that
# `Model` is a pydantic model once it lives in another module)

from __future__ import annotations

import datetime as dt  # noqa: TC003 - pydantic needs the real types at runtime
import re
from typing import Annotated, Any, Literal

from pydantic import Field
from pydantic.json_schema import GenerateJsonSchema

from gatecheck.language.condition_shapes import Condition  # noqa: TC001 - pydantic needs it
from gatecheck.language.shape_parts import Duration, FactPath, Identifier, Model, Text

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
    """The facts about one subject and the policy they are judged by.

    The fields' order is the envelope's: edits write keys in it (`editing.changes.envelope_order`).
    """

    subject: Identifier
    policy: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*(@[0-9]+)?$")]
    title: Text | None = None
    as_of: dt.date | None = None
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
