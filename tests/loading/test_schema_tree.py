"""schema_tree: `$ref`s resolved once; cycles, expansion past MAX_SCHEMA_NODES and depth refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gatecheck.limits import MAX_DEPTH, MAX_SCHEMA_NODES
from gatecheck.loading.json_positions import json_position
from gatecheck.loading.schema_tree import SchemaCostError, pointer_text, resolved
from gatecheck.loading.strict_json import count_values


def refused(schema: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(SchemaCostError) as caught:
        resolved(schema)
    return caught.value.code, pointer_text(caught.value.path)


def test_a_ref_is_replaced_by_its_target_and_annotations_beside_it_are_dropped() -> None:
    schema = {
        "$defs": {"flag": {"type": "boolean"}},
        "properties": {"a": {"$ref": "#/$defs/flag", "description": "shown to editors"}},
    }
    assert resolved(schema) == {"properties": {"a": {"type": "boolean"}}}


def test_a_ref_beside_other_keywords_joins_them_in_an_all_of() -> None:
    schema = {
        "$defs": {"named": {"properties": {"name": {"type": "string"}}}},
        "properties": {
            "a": {"$ref": "#/$defs/named", "unevaluatedProperties": False, "allOf": [{}]},
        },
    }
    assert resolved(schema)["properties"]["a"] == {
        "unevaluatedProperties": False,
        "allOf": [{}, {"properties": {"name": {"type": "string"}}}],
    }


def test_a_target_used_twice_is_resolved_once_and_shared() -> None:
    schema = {
        "$defs": {"flag": {"type": "boolean"}},
        "properties": {"a": {"$ref": "#/$defs/flag"}, "b": {"$ref": "#/$defs/flag"}},
    }
    properties = resolved(schema)["properties"]
    assert properties["a"] is properties["b"]


def test_data_that_looks_like_a_ref_is_left_alone() -> None:
    schema = {"properties": {"a": {"const": {"$ref": "#"}, "enum": [{"$ref": "#"}]}}}
    assert resolved(schema) == schema


@pytest.mark.parametrize(
    ("schema", "where"),
    [
        ({"anyOf": [{"$ref": "#"}, {"type": "null"}]}, "#/anyOf/0/$ref"),
        ({"properties": {"a": {"$ref": "#/properties/a"}}}, "#/properties/a/$ref"),
        (  # through properties, as the old hint advised: still exponential in an anyOf
            {
                "$defs": {
                    "a": {"anyOf": [{"items": {"$ref": "#/$defs/b"}}]},
                    "b": {"$ref": "#/$defs/a"},
                },
                "properties": {"x": {"$ref": "#/$defs/a"}},
            },
            "#/$defs/b/$ref",
        ),
    ],
)
def test_a_ref_that_leads_back_is_a_cycle(schema: dict[str, Any], where: str) -> None:
    assert refused(schema) == ("schema-cycle", where)


def test_defs_that_double_per_level_are_refused_before_they_are_expanded() -> None:
    defs: dict[str, Any] = {"d0": {"type": "boolean"}}
    for level in range(1, 31):  # 2**30 leaves: the old inliner built them all
        below = {"$ref": f"#/$defs/d{level - 1}"}
        defs[f"d{level}"] = {"anyOf": [below, below]}
    code, where = refused({"$defs": defs, "properties": {"x": {"$ref": "#/$defs/d30"}}})
    assert code == "too-many-nodes"
    assert where.startswith("#/$defs/d")


def test_the_expansion_cap_counts_each_use_of_a_target() -> None:
    leaf = {"enum": list(range(MAX_SCHEMA_NODES // 4))}
    refs = {"$ref": "#/$defs/leaf"}
    assert resolved({"$defs": {"leaf": leaf}, "allOf": [refs] * 3})
    assert refused({"$defs": {"leaf": leaf}, "allOf": [refs] * 4})[0] == "too-many-nodes"


def test_a_chain_of_refs_counts_one_level_each() -> None:
    defs = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(MAX_DEPTH)}
    defs[f"d{MAX_DEPTH}"] = {"type": "string"}
    assert refused({"$defs": defs, "$ref": "#/$defs/d0"})[0] == "too-deep"
    short = {f"d{i}": {"$ref": f"#/$defs/d{i + 1}"} for i in range(10)}
    short["d10"] = {"type": "string"}
    assert resolved({"$defs": short, "$ref": "#/$defs/d0"}) == {"type": "string"}


def test_a_shared_target_is_too_deep_where_it_is_used_deepest() -> None:
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(30):
        deep = {"properties": {"x": deep}}
    used_deeper: dict[str, Any] = {"$ref": "#/$defs/deep"}
    for _ in range(40):
        used_deeper = {"items": used_deeper}
    fine = {"$defs": {"deep": deep}, "properties": {"a": {"$ref": "#/$defs/deep"}}}
    assert resolved(fine)["properties"]["a"] is not None
    code, where = refused({**fine, "properties": {"a": fine["properties"]["a"], "b": used_deeper}})
    assert code == "too-deep"
    assert where.startswith("#/properties/b/items/items/")


def test_a_pointer_may_go_through_a_list() -> None:
    schema = {"allOf": [{"type": "string"}], "properties": {"a": {"$ref": "#/allOf/0"}}}
    assert resolved(schema)["properties"]["a"] == {"type": "string"}


@pytest.mark.parametrize(
    ("schema", "where"),
    [
        ({"properties": {"a": {"$ref": "other.json#/x"}}}, "#/properties/a/$ref"),
        ({"properties": {"a": {"$ref": "#/allOf/1"}}, "allOf": [{}]}, "#/properties/a/$ref"),
        ({"properties": {"a": {"$dynamicRef": "#"}}}, "#/properties/a/$dynamicRef"),
        ({"properties": {"a": {"$id": "https://example.org/a"}}}, "#/properties/a/$id"),
        ({"properties": {"a": {"$ref": "#/$defs/none"}}}, "#/properties/a/$ref"),
    ],
)
def test_refs_that_would_mean_something_else_are_refused(
    schema: dict[str, Any], where: str
) -> None:
    assert refused(schema) == ("bad-schema", where)


def test_an_id_at_the_top_and_a_property_named_like_a_keyword_are_fine() -> None:
    schema = {"$id": "https://example.org/s", "properties": {"$id": {"type": "string"}}}
    assert resolved(schema) == schema


def test_an_unused_definition_is_not_walked() -> None:
    schema = {"$defs": {"a": {"anyOf": [{"$ref": "#/$defs/a"}]}}, "properties": {"x": {}}}
    assert resolved(schema) == {"properties": {"x": {}}}


def test_positions_in_the_json_text() -> None:
    schema = {
        "$defs": {"a": {"anyOf": [{"$ref": "#/$defs/a"}]}},
        "properties": {"x": {"$ref": "#/$defs/a"}},
    }
    text = json.dumps(schema, indent=2)
    code, where = refused(schema)
    assert (code, where) == ("schema-cycle", "#/$defs/a/anyOf/0/$ref")
    assert json_position(text, ("$defs", "a", "anyOf", 0, "$ref")) == (6, 11)
    assert json_position(text, ("properties", "x")) == (12, 5)
    assert json_position('{"a": [1, [2, 3], {"b": 4}]}', ("a", 2, "b")) == (1, 20)
    assert json_position(text, ()) == (1, 1)
    assert json_position(text, ("absent",)) == (1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "1",
        "[]",
        "{ }",
        "[1, 2, 3]",
        '{"a": [1, {}], "b": "x,y[{"}',
        '{"a\\"b,": [ [ ] , {"c": 2}]}',
    ],
)
def test_values_are_counted_on_the_text(text: str) -> None:
    def count(value: Any) -> int:
        if isinstance(value, dict | list):
            return 1 + sum(map(count, value.values() if isinstance(value, dict) else value))
        return 1

    assert count_values(text) == count(json.loads(text))


def test_the_item_schema_of_a_map_with_named_properties_is_worked_out_once() -> None:
    from gatecheck.language.facts_schema import ANY_SCHEMA, item_schema

    flags = {"properties": {f"p{i}": {"type": "boolean"} for i in range(3000)}}
    mixed = {"properties": {"a": {"type": "boolean"}, "b": {"type": "string"}}}
    schema = {"properties": {"flags": flags, "mixed": mixed}}
    first = item_schema(schema, flags)
    assert first == {"type": "boolean"}
    assert item_schema(schema, flags) is first
    assert item_schema(schema, mixed) is ANY_SCHEMA
