"""language/examples.py and example_values.py: evidence that makes a condition pass, or why not."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.language.examples import example, schema_placeholder

if TYPE_CHECKING:
    from gatecheck.language.conditions import Condition

NOW = dt.date(2026, 11, 25)
STEPS: dict[str, Any] = {
    "build": {"fact": "built", "eq": True},
    "test": {"all": [{"step": "build"}, {"fact": "tested", "eq": True}]},
    "sign": {"not": {"fact": "signed", "eq": False}},
}

FACTS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"fact": "a", "eq": "x"}, {"a": "x"}),
    ({"fact": "a", "ne": True}, {"a": False}),
    ({"fact": "a", "ne": 4}, {"a": 5}),
    ({"fact": "a", "ne": dt.date(2024, 1, 1)}, {"a": dt.date(2024, 1, 2)}),
    ({"fact": "a", "ne": "x"}, {"a": "not-x"}),
    ({"fact": "a", "gt": 4}, {"a": 5}),
    ({"fact": "a", "lt": dt.date(2024, 1, 1)}, {"a": dt.date(2023, 12, 31)}),
    ({"fact": "a", "in": ["x", "y"]}, {"a": "x"}),
    ({"fact": "a", "not_in": ["other", "other-2"]}, {"a": "other-3"}),
    # of the list's kind: a date fact is not exemplified by a string
    (
        {"fact": "a", "not_in": [dt.date(2026, 12, 11), dt.date(2026, 12, 4)]},
        {"a": dt.date(2026, 12, 12)},
    ),
    ({"fact": "a", "not_in": [3, 7.5]}, {"a": 8.5}),
    ({"fact": "a", "not_in": [True]}, {"a": False}),
    ({"fact": "a", "contains": "z"}, {"a": ["z"]}),
    ({"fact": "a", "matches": r"^v[0-9]+\.x$"}, {"a": "v0.x"}),
    ({"fact": "a", "exists": False}, {}),
    ({"every": {"fact": "l"}}, {"l": []}),
    ({"some": {"fact": "l"}}, {"l": ["example"]}),
    ({"some": {"fact": "l", "where": {"fact": "$item", "eq": "ok"}}}, {"l": ["ok"]}),
    (
        {
            "some": {
                "fact": "m",
                "where": {
                    "all": [
                        {"fact": "$key", "in": ["go", "py"]},
                        {"fact": "$item.ok", "eq": True},
                        {"fact": "$item.v.w", "gt": 1},
                    ]
                },
            }
        },
        {"m": {"go": {"ok": True, "v": {"w": 2}}}},
    ),
    ({"count": {"fact": "l"}, "gt": 1}, {"l": ["example", "example"]}),
    ({"count": {"fact": "l"}, "ne": 0}, {"l": ["example"]}),
    ({"count": {"fact": "l"}, "ne": 2}, {"l": []}),
    ({"count": {"fact": "l"}, "lte": 3}, {"l": []}),
    (
        {
            "some": {
                "fact": "l",
                "where": {
                    "any": [{"fact": "$item.a", "exists": True}, {"fact": "$item.b", "eq": 1}]
                },
            }
        },
        {"l": [{"a": "example"}]},
    ),
    ({"some": {"fact": "l", "where": {"fact": "$item.a", "exists": False}}}, {"l": [{}]}),
    ({"all": [{"fact": "a", "contains": 1}, {"fact": "a", "contains": 2}]}, {"a": [1, 2]}),
    ({"any": [{"not": {"fact": "a", "eq": 1}}, {"fact": "b", "eq": 2}]}, {"b": 2}),
    (
        {
            "any": [
                {"all": [{"fact": "a", "eq": 1}, {"not": {"fact": "b", "eq": 1}}]},
                {"fact": "c", "eq": 3},
            ]
        },
        {"c": 3},
    ),
    ({"any": [{"step": "sign"}, {"fact": "c", "eq": 3}]}, {"c": 3}),
    ({"any": [{"all": [{"fact": "a", "eq": 1}, {"fact": "b", "eq": 1}]}]}, {"a": 1, "b": 1}),
    ({"all": [{"step": "test"}, {"step": "build"}]}, {"built": True, "tested": True}),
]


def _done_when(condition_of: Any) -> Any:
    def done_when(step: str) -> Condition | None:
        return condition_of(STEPS[step]) if step in STEPS else None

    return done_when


@pytest.mark.parametrize(("data", "facts"), FACTS, ids=[repr(data) for data, _ in FACTS])
def test_example_facts(condition_of: Any, data: dict[str, Any], facts: dict[str, Any]) -> None:
    found = example(condition_of(data), NOW, _done_when(condition_of))
    assert found.facts == facts
    assert found.missing == []
    assert found.attestations == []


MISSING: list[tuple[dict[str, Any], list[str]]] = [
    ({"fact": "a", "matches": "^(a|b)$"}, ["no string matching /^(a|b)$/ could be derived"]),
    ({"fact": "a", "gt": 1e16}, ["no value of a could be derived"]),  # 1e16 + 1 == 1e16
    (
        {
            "count": {
                "fact": "m",
                "where": {
                    "all": [
                        {"fact": "$key", "not_in": ["example-1"]},
                        {"fact": "$key", "ne": "example-2"},
                    ]
                },
            },
            "gte": 2,
        },
        ["too few keys are allowed"],
    ),
    (
        {"count": {"fact": "m", "where": {"fact": "$key", "eq": "go"}}, "gte": 2},
        ["too few keys are allowed"],
    ),
    (
        {"count": {"fact": "m", "where": {"fact": "$key", "matches": "^g"}}, "gte": 1},
        ["a test of the key other than eq, ne, in or not_in"],
    ),
    (
        {"count": {"fact": "m", "where": {"any": [{"fact": "$key", "eq": "g"}]}}, "gte": 1},
        ["a test of the key inside `any` or `not`"],
    ),
    ({"count": {"fact": "l"}, "lt": 0}, ["no number of items can pass"]),
    (
        {
            "some": {
                "fact": "l",
                "where": {"all": [{"fact": "$item", "eq": 1}, {"fact": "$item.x", "eq": 2}]},
            }
        },
        ["the item would need to be a value and a map at once"],
    ),
    (
        {"some": {"fact": "l", "where": {"fact": "top", "eq": 2}}},
        ["a fact outside the item inside a quantifier"],
    ),
    (
        {"some": {"fact": "l", "where": {"fact": "$item.d", "older_than": "1d"}}},
        ["a time test of an item"],
    ),
    (
        {"some": {"fact": "l", "where": {"not": {"fact": "$item", "eq": 1}}}},
        ["a negation, nested quantifier, step or attestation inside a quantifier"],
    ),
    ({"all": [{"fact": "a", "eq": 1}, {"fact": "a", "eq": 2}]}, ["a would need both 1 and 2"]),
    (
        {"all": [{"fact": "a", "eq": 1}, {"fact": "a.b", "eq": 2}]},
        ["a.b needs a map and a value at once"],
    ),
    (
        {"all": [{"fact": "a.b", "eq": 1}, {"fact": "a", "eq": 2}]},
        ["a would need both {b: 1} and 2"],
    ),
    (
        {"any": [{"not": {"fact": "a", "eq": 1}}, {"attested": "r", "by": "solo", "at_least": 2}]},
        [
            (
                "no alternative can be exemplified (a negation has no single value that makes it"
                " pass; group solo has fewer than 2 people)"
            )
        ],
    ),
    (
        {"any": [{"step": "sign"}, {"step": "nope"}]},
        [
            (
                "no alternative can be exemplified (a part of it cannot be exemplified;"
                " step nope is not in the policy)"
            )
        ],
    ),
    ({"step": "nope"}, ["step nope is not in the policy"]),
]


@pytest.mark.parametrize(("data", "reasons"), MISSING, ids=[repr(data) for data, _ in MISSING])
def test_no_example_says_why(condition_of: Any, data: dict[str, Any], reasons: list[str]) -> None:
    found = example(condition_of(data), NOW, _done_when(condition_of))
    assert len(found.missing) == len(reasons)
    for entry, reason in zip(found.missing, reasons, strict=True):
        assert entry.endswith(f": {reason}"), entry


def test_a_part_that_cannot_be_exemplified_leaves_the_rest(condition_of: Any) -> None:
    data = {"all": [{"fact": "a", "eq": 1}, {"not": {"fact": "b", "eq": 1}}]}
    found = example(condition_of(data), NOW, _done_when(condition_of))
    assert found.facts == {"a": 1}
    assert found.missing == ["not: b = 1: a negation has no single value that makes it pass"]


def test_dates_with_notes(condition_of: Any) -> None:
    data = {"all": [{"fact": "a", "newer_than": "2d"}, {"fact": "b", "older_than": "1w"}]}
    found = example(condition_of(data), NOW, _done_when(condition_of))
    assert found.facts == {"a": NOW, "b": dt.date(2026, 11, 17)}
    assert found.notes == {
        "a": "a date less than 2 days before the judging date",
        "b": "a date at least 1 week before the judging date",
    }


def test_attestations_by_group_members_or_placeholder_reviewers(condition_of: Any) -> None:
    data = {"all": [{"attested": "r", "by": "core", "at_least": 2}, {"attested": "r"}]}
    found = example(condition_of(data), NOW, _done_when(condition_of))
    assert [(entry["by"], entry["date"]) for entry in found.attestations] == [
        ("amy", NOW),
        ("bob", NOW),
        ("reviewer-1", NOW),
    ]


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "e": {"enum": ["x", "y"]},
        "k": {"const": 3},
        "n": {"type": "number", "minimum": 5},
        "b": {"type": "boolean"},
        "d": {"type": "string", "format": "date"},
        "l": {"type": "array"},
        "m": {"type": "object", "properties": {"p": {}, "q": {}}},
        "s": {"type": "string"},
    },
}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("e",), "x"),
        (("k",), 3),
        (("n",), 5),
        (("b",), True),
        (("d",), dt.date(2024, 1, 1)),
        (("l",), []),
        (("m",), {"p": None, "q": None}),
        (("s",), "example"),
        (("unknown",), "example"),
        (("s", "deeper"), "example"),
    ],
)
def test_schema_placeholder_has_the_schema_type(path: tuple[str, ...], value: Any) -> None:
    assert schema_placeholder(SCHEMA)(path) == value
    assert schema_placeholder(None)(path) == "example"


def test_exists_uses_the_placeholder(condition_of: Any) -> None:
    placeholder = schema_placeholder(SCHEMA)
    data = {"all": [{"fact": "n", "exists": True}, {"fact": "m", "exists": True}]}
    found = example(condition_of(data), NOW, _done_when(condition_of), placeholder)
    assert found.facts == {"n": 5, "m": {}}
    assert found.notes == {"n": "any value", "m": "any value"}


def test_a_map_from_the_schema_gives_its_keys(condition_of: Any) -> None:
    placeholder = schema_placeholder(SCHEMA)
    data = {"some": {"fact": "m", "where": {"fact": "$key", "in": ["q", "r"]}}}
    found = example(condition_of(data), NOW, _done_when(condition_of), placeholder)
    assert found.facts == {"m": {"q": {}}}
