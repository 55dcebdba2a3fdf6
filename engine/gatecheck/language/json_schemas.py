"""JSON Schemas for editors: the policy language, the evidence envelope, and per-policy evidence.

A policy's *complete* evidence schema is the envelope with `facts` replaced by the policy's facts
schema (kept whole, `$defs` included, with its local `$ref`s re-pointed to where it now sits) and
with `claims`, `waivers[].gate`, `waivers[].rule` and `attestations[].judgement` restricted to the
ids the policy declares. An editor given it completes and checks a whole evidence file.

The language and envelope schemas are the checked-in ones (a test keeps them equal to what the
models generate), read without importing pydantic.
"""

from __future__ import annotations

import copy
import json
import os
from typing import TYPE_CHECKING, Any, Protocol

from gatecheck.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Sequence

    from gatecheck.errors import Problem
    from gatecheck.language.policy import Policy

KINDS = ("policy", "evidence")
SCHEMA_URL = "https://gatecheck.dev/schemas/"
_FACTS = "/properties/facts"


def bundled_schema(kind: str) -> dict[str, Any]:
    """The policy-language (`policy`) or evidence-envelope (`evidence`) schema."""
    from importlib.resources import files

    text = files("gatecheck.schemas").joinpath(f"{kind}.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def evidence_file_name(policy: Policy) -> str:
    return f"evidence.{policy.ref}.schema.json"


def policy_evidence_schema(
    policy: Policy, facts: dict[str, Any], envelope: dict[str, Any], *, is_default: bool
) -> dict[str, Any]:
    """The envelope, with the policy's facts schema and its ids filled in (see the module)."""
    schema = copy.deepcopy(envelope)
    schema["$id"] = SCHEMA_URL + evidence_file_name(policy)
    schema["title"] = f"Evidence judged by {policy.ref}"
    schema["description"] = f"Evidence about one subject, judged by policy {policy.ref}."
    properties = schema["properties"]
    names = [policy.ref, policy.name] if is_default else [policy.ref]
    properties["policy"] = {**properties["policy"], "enum": names}
    embedded = {key: value for key, value in facts.items() if key not in {"$schema", "$id"}}
    properties["facts"] = _repoint(_nullable_values(embedded))
    gates = [gate.id for gate in policy.gates]
    rules = list(dict.fromkeys(rule.id for gate in policy.gates for rule in gate.rules))
    properties["claims"]["items"] = _one_of(properties["claims"]["items"], gates)
    defs = schema["$defs"]
    judgement = defs["Attestation"]["properties"]["judgement"]
    defs["Attestation"]["properties"]["judgement"] = _one_of(judgement, list(policy.judgements))
    waiver = defs["Waiver"]["properties"]
    waiver["rule"] = _one_of(waiver["rule"], rules)
    waiver["gate"]["anyOf"] = [
        _one_of(option, gates) if option.get("type") == "string" else option
        for option in waiver["gate"]["anyOf"]
    ]
    return schema


def _one_of(node: dict[str, Any], names: list[str]) -> dict[str, Any]:
    if not names:  # nothing is allowed: an empty `enum` is not valid JSON Schema
        return {**node, "not": {}}
    return {**node, "enum": names}


# Where a schema gives the schema of a value inside an object or array.
_VALUE_MAPS = ("properties", "patternProperties", "$defs")
_VALUE_LISTS = ("prefixItems", "allOf", "anyOf", "oneOf")


def _nullable_values(node: Any) -> Any:
    """The facts schema with null allowed for every value in it (not for the facts themselves).

    gatecheck records a fact it knows to be unknown as null, and null satisfies any fact's type
    (docs/evidence.md, "Facts"); its key must still be one the schema allows, which the objects'
    own keywords (`additionalProperties`, `required`) go on checking.
    """
    if not isinstance(node, dict):
        return node
    moved = dict(node)
    for keyword in _VALUE_MAPS:
        if isinstance(node.get(keyword), dict):
            moved[keyword] = {
                key: _or_null(value) if keyword != "$defs" else _nullable_values(value)
                for key, value in node[keyword].items()
            }
    for keyword in _VALUE_LISTS:
        if isinstance(node.get(keyword), list):
            wrap = _or_null if keyword == "prefixItems" else _nullable_values
            moved[keyword] = [wrap(item) for item in node[keyword]]
    for keyword in ("items", "additionalProperties"):
        if isinstance(node.get(keyword), dict):
            moved[keyword] = _or_null(node[keyword])
    return moved


def _or_null(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema  # true / false: null is as allowed as anything else
    return {"anyOf": [{"type": "null"}, _nullable_values(schema)]}


def _repoint(node: Any) -> Any:
    """The facts schema's local references, pointed at `#/properties/facts/...`."""
    if isinstance(node, list):
        return [_repoint(item) for item in node]
    if not isinstance(node, dict):
        return node
    moved = {key: _repoint(value) for key, value in node.items()}
    for keyword in ("$ref", "$dynamicRef"):
        ref = moved.get(keyword)
        if isinstance(ref, str) and (ref == "#" or ref.startswith("#/")):
            moved[keyword] = "#" + _FACTS + ref[1:]
    return moved


class PolicySet(Protocol):
    """What exporting schemas reads of the loaded policies (`loading.policy_catalogue.Policies`)."""

    @property
    def problems(self) -> Sequence[Problem]: ...

    def all(self) -> list[Policy]: ...

    def resolve(self, ref: str) -> Policy | str: ...

    def facts_schema(self, policy: Policy) -> dict[str, Any]: ...


def export_schemas(policies: PolicySet, only: Policy | None) -> dict[str, Any]:
    """File name → schema: the language and envelope schemas, then each policy's (or `only`'s)."""
    if policies.problems and only is None:
        raise InvalidInput(policies.problems)
    envelope = bundled_schema("evidence")
    documents = {"policy.schema.json": bundled_schema("policy"), "evidence.schema.json": envelope}
    for policy in [only] if only is not None else policies.all():
        default = policies.resolve(policy.name) is policy
        documents[evidence_file_name(policy)] = policy_evidence_schema(
            policy, policies.facts_schema(policy), envelope, is_default=default
        )
    return documents


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2) + "\n"


def write_schemas(documents: dict[str, Any], directory: str, display: str) -> list[str]:
    """Write each schema atomically into `directory` (created if need be); the paths written."""
    from gatecheck.files import unwritable, write_atomically

    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as error:
        raise InvalidInput([unwritable(display, error)]) from None
    written = []
    for name, schema in documents.items():
        shown = f"{display.rstrip('/')}/{name}"
        write_atomically(os.path.join(directory, name), render(schema).encode(), shown)
        written.append(shown)
    return written
