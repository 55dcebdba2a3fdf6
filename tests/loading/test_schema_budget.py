"""schema_budget: JSON equality by hashing, and the budget of validating one file's facts."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from hypothesis import given
from hypothesis import strategies as st
from jsonschema import _utils
from tests.support.project import REPO

from gatecheck.limits import SCHEMA_WORK_FLOOR, SCHEMA_WORK_PER_VALUE
from gatecheck.loading import schema_budget
from gatecheck.loading.facts_validation import validate_facts
from gatecheck.loading.parsing import load_bytes
from gatecheck.loading.schema_budget import canonical

if TYPE_CHECKING:
    import pytest

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, -1.0, 2.5, 1e300]),
    st.sampled_from(["", "a", "1", "true"]),
    st.sampled_from([dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, tzinfo=dt.UTC)]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("ab"), inner),
    max_leaves=8,
)


@given(VALUES, VALUES)
def test_canonical_forms_are_equal_exactly_when_jsonschema_says_so(one: Any, two: Any) -> None:
    assert (canonical(one) == canonical(two)) == _utils.equal(one, two)


@given(st.lists(VALUES, max_size=6))
def test_unique_items_agrees_with_jsonschema(items: list[Any]) -> None:
    unique = len({canonical(item) for item in items}) == len(items)
    assert unique == _utils.uniq(items)


def test_json_equality_is_not_python_equality() -> None:
    assert canonical(1) == canonical(1.0)
    assert canonical(True) != canonical(1)
    assert canonical([0]) != canonical([False])
    assert canonical({"a": [1]}) == canonical({"a": [1.0]})
    assert canonical([1, 2]) != canonical({"1": 2})


def problems(schema: dict[str, Any], facts: str) -> list[tuple[str, str, str]]:
    document = load_bytes(f"facts:\n{facts}".encode(), "e.yaml")
    return [
        (p.code, str(p.location), p.message)
        for p in validate_facts(schema, document.data["facts"], document, ("facts",))
    ]


LIST = {"properties": {"x": {"type": "array", "uniqueItems": True}}}


def test_unique_items_names_the_first_repeat() -> None:
    assert problems(LIST, "  x: [{a: 1}, {a: 2}, {a: 1.0}, {a: 2}]\n") == [
        ("schema-violation", "e.yaml:2:6", "x: has non-unique elements: item 2 repeats item 0"),
    ]
    assert problems(LIST, "  x: [1, true, [1], [true], {a: 1}, {a: true}]\n") == []


def test_unique_items_false_and_other_values_are_not_compared() -> None:
    schema = {"properties": {"x": {"uniqueItems": False}, "y": {"uniqueItems": True}}}
    assert problems(schema, "  x: [1, 1]\n  y: {a: 1, b: 1}\n") == []


def test_keywords_whose_value_is_data_pay_for_all_of_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_budget, "SCHEMA_WORK_FLOOR", 100)
    required = {"dependentRequired": {"a": [f"n{i}" for i in range(200)]}}
    assert [code for code, *_ in problems({"properties": {"x": required}}, "  x: {b: 1}\n")] == [
        "too-costly"
    ]


def test_comparing_a_large_value_many_times_runs_out_of_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(schema_budget, "SCHEMA_WORK_FLOOR", 100)
    items = list(range(200))  # each const reads 200 values; the facts allow 16 per value
    schema = {"properties": {"x": {"allOf": [{"const": [items]}] * 20}}}
    assert [code for code, *_ in problems(schema, f"  x: [{items}]\n")] == ["too-costly"]


def test_enum_and_const_compare_as_json() -> None:
    schema = {"properties": {"x": {"enum": [1, [True], {"a": 2}]}, "y": {"const": [1, 2]}}}
    assert problems(schema, "  x: 1.0\n  y: [1.0, 2]\n") == []
    assert problems(schema, "  x: [1]\n  y: [1, true]\n") == [
        ("schema-violation", "e.yaml:2:6", "x: [1] is not one of [1, [True], {'a': 2}]"),
        ("schema-violation", "e.yaml:3:6", "y: [1, 2] was expected"),
    ]


def test_a_long_enum_is_not_printed_whole() -> None:
    schema = {"properties": {"x": {"enum": list(range(1000))}}}
    document = load_bytes(b"facts:\n  x: -1\n", "e.yaml")
    (problem,) = validate_facts(schema, document.data["facts"], document, ("facts",))
    assert problem.message == "x: -1 is not one of the 1,000 allowed"
    assert (
        problem.hint == "allowed values: " + ", ".join(map(str, range(16))) + ", ... (1,000 in all)"
    )


def test_a_message_quoting_a_long_value_is_clipped() -> None:
    schema = {"properties": {"x": {"not": {"type": "array"}}}}
    (problem,) = problems(schema, f"  x: {list(range(5000))}\n")
    assert problem[2].startswith("x: [0, 1, 2, ")
    assert problem[2].endswith(" characters)")
    assert len(problem[2]) < 600


def test_the_bundled_evidence_spends_a_small_part_of_its_budget() -> None:
    from gatecheck.loading import facts_validation

    schema = json.loads((REPO / "schemas" / "wasm-proposal.facts.schema.json").read_text())
    for path in sorted((REPO / "evidence").glob("*.yaml")):
        document = load_bytes(path.read_bytes(), path.name)
        if not str(document.data["policy"]).startswith("wasm-proposal"):
            continue
        assert list(validate_facts(schema, document.data["facts"], document, ("facts",))) == []
        _, budget = facts_validation._validator(schema)
        assert budget.allowance - budget.left < budget.allowance // 8, path.name


def test_keywords_that_read_every_item_many_times_run_out_of_budget() -> None:
    schema = {"properties": {"x": {"items": {"allOf": [{"type": "integer"}] * 100}}}}
    items = "".join(f"    - {i}\n" for i in range(5000))
    allowance = SCHEMA_WORK_PER_VALUE * (5000 + 2)  # the items, the list and the facts
    assert problems(schema, f"  x:\n{items}") == [
        (
            "too-costly",
            "e.yaml:2:3",
            (
                f"checking these facts against the facts schema takes more than {allowance:,}"
                f" steps (the limit: {SCHEMA_WORK_PER_VALUE} per value of the facts, at least"
                f" {SCHEMA_WORK_FLOOR:,})"
            ),
        )
    ]
    fewer = "".join(f"    - {i}\n" for i in range(20))
    assert problems(schema, f"  x:\n{fewer}") == []


def test_past_the_floor_the_budget_grows_with_the_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_budget, "SCHEMA_WORK_FLOOR", 1000)
    schema = {"properties": {"x": {"items": {"type": "integer"}}}}
    items = "".join(f"    - {i}\n" for i in range(2000))  # about 3 units each: 6,000 in all
    assert problems(schema, f"  x:\n{items}") == []
    heavy = {"properties": {"x": {"items": {"allOf": [{"type": "integer"}] * 10}}}}
    assert [code for code, *_ in problems(heavy, f"  x:\n{items}")] == ["too-costly"]


NULLABLE_DATE = {"properties": {"built_on": {"type": ["string", "null"], "format": "date"}}}


def test_a_nullable_date_fact_holds_null_a_date_and_nothing_else() -> None:
    # docs/evidence.md advises recording null for a fact known to be unknown: a fact typed
    # ["string", "null"] with format date must accept it (issue 16), and still refuse a non-date.
    assert problems(NULLABLE_DATE, "  built_on: null\n") == []
    assert problems(NULLABLE_DATE, "  built_on: 2026-11-20\n") == []
    ((code, where, message),) = problems(NULLABLE_DATE, "  built_on: soon\n")
    assert (code, where) == ("schema-violation", "e.yaml:2:13")
    assert "soon" in message
