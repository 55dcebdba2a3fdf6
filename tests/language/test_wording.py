"""language/wording.py: every kind of condition, and every operator, in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gatecheck.language.wording import (
    count_expectation,
    describe,
    duration,
    expectation,
    how_many,
)

WORDS: list[tuple[dict[str, Any], list[str]]] = [
    ({"fact": "$key", "eq": "x"}, ["its key = x"]),
    ({"fact": "a.b", "ne": 3}, ["a.b ≠ 3"]),
    ({"fact": "a.b", "gte": dt.date(2024, 6, 1)}, ["a.b ≥ 2024-06-01"]),
    ({"fact": "a.b", "lt": 1.5}, ["a.b < 1.5"]),
    ({"fact": "a.b", "in": ["rust", "c"]}, ["a.b is one of [rust, c]"]),
    ({"fact": "a.b", "not_in": ["rust"]}, ["a.b is none of [rust]"]),
    ({"fact": "a.b", "contains": "-S x"}, ["a.b contains -S x"]),
    ({"fact": "a.b", "matches": "^v[0-9]+$"}, ["a.b matches /^v[0-9]+$/"]),
    ({"fact": "a.b", "exists": True}, ["a.b is recorded"]),
    ({"fact": "a.b", "exists": False}, ["a.b is not recorded"]),
    ({"fact": "a.b", "newer_than": "1d"}, ["a.b is less than 1 day before the judging date"]),
    ({"fact": "a.b", "older_than": "3d"}, ["a.b is at least 3 days before the judging date"]),
    ({"fact": "a.b", "older_than": "1w"}, ["a.b is at least 1 week before the judging date"]),
    ({"some": {"fact": "a.l"}}, ["at least one item of a.l exists"]),
    (
        {"every": {"fact": "a.l", "where": {"fact": "$item", "eq": "ok"}}},
        ["every item of a.l is ok"],
    ),
    (
        {"none": {"fact": "a.l", "where": {"fact": "$item", "in": ["x"]}}},
        ["no item of a.l is one of [x]"],
    ),
    (
        {"every": {"fact": "a.m", "where": {"fact": "$item.tier", "gt": 2}}},
        ["every item of a.m has the item.tier > 2"],
    ),
    (
        {
            "every": {
                "fact": "a.m",
                "where": {
                    "all": [
                        {"fact": "$key", "not_in": ["rust", "c"]},
                        {"fact": "$item.x", "eq": True},
                        {"fact": "$item.y", "eq": 1},
                    ]
                },
            }
        },
        [
            "every item of a.m (other than rust and c) has:",
            "  all of:",
            "    - the item.x = true",
            "    - the item.y = 1",
        ],
    ),
    (
        {
            "some": {
                "fact": "a.m",
                "where": {
                    "all": [{"fact": "$key", "in": ["go", "py"]}, {"fact": "$item.ok", "eq": True}]
                },
            }
        },
        ["at least one item of a.m (named go or py) has the item.ok = true"],
    ),
    (
        {"some": {"fact": "a.m", "where": {"fact": "$key", "eq": "go"}}},
        ["at least one item of a.m (named go) exists"],
    ),
    (
        {"count": {"fact": "a.l", "where": {"fact": "$item", "eq": "ok"}}, "gte": 2},
        ["at least 2 items of a.l are ok"],
    ),
    (
        {"count": {"fact": "a.l", "where": {"fact": "$item.x", "eq": 1}}, "eq": 1},
        ["exactly 1 item of a.l has the item.x = 1"],
    ),
    (
        {
            "count": {
                "fact": "a.l",
                "where": {"any": [{"fact": "$item.x", "eq": 1}, {"fact": "$item.y", "eq": 1}]},
            },
            "lt": 3,
        },
        [
            "fewer than 3 items of a.l have:",
            "  any of:",
            "    - the item.x = 1",
            "    - the item.y = 1",
        ],
    ),
    ({"not": {"fact": "a", "eq": 1}}, ["not: a = 1"]),
    (
        {"not": {"all": [{"fact": "a", "eq": 1}, {"step": "s"}]}},
        ["not:", "  all of:", "    - a = 1", "    - step s is done"],
    ),
    ({"attested": "review"}, ["at least 1 attestation of 'review'"]),
    (
        {"attested": "review", "by": "core", "at_least": 2, "within": "14d"},
        ["at least 2 attestations of 'review' by core, at most 2 weeks old"],
    ),
    ({"fact": "a", "eq": 1, "hint": "Set a."}, ["a = 1", "  (hint: Set a.)"]),
    # without `where`, a count is of every item: how many the collection has
    ({"count": {"fact": "canary.regions"}, "gte": 2}, ["canary.regions has at least 2 items"]),
    ({"count": {"fact": "a.l"}, "eq": 1}, ["a.l has exactly 1 item"]),
    (
        {"all": [{"fact": "a", "eq": 1, "hint": "Set a."}], "hint": "Both."},
        ["all of:", "  - a = 1", "      (hint: Set a.)", "  (hint: Both.)"],
    ),
]


@pytest.mark.parametrize(("data", "words"), WORDS, ids=[repr(data) for data, _ in WORDS])
def test_condition_in_words(condition_of: Any, data: dict[str, Any], words: list[str]) -> None:
    assert describe(condition_of(data)) == words


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "0 days"), (1, "1 day"), (2, "2 days"), (7, "1 week"), (14, "2 weeks"), (8, "8 days")],
)
def test_duration_in_weeks_when_whole(days: int, words: str) -> None:
    assert duration(days) == words


@pytest.mark.parametrize(
    ("operator", "operand", "words"),
    [
        ("eq", "true", "true"),
        ("ne", "open", "anything but open"),
        ("gte", "4", "at least 4"),
        ("lt", "4", "less than 4"),
        ("in", "[a, b]", "one of [a, b]"),
        ("exists", "true", "recorded"),
        ("exists", "false", "not recorded"),
    ],
)
def test_expectations_in_words(operator: str, operand: str, words: str) -> None:
    assert expectation(operator, operand) == words


def test_counts_in_words() -> None:
    assert count_expectation("gte", 1) == "at least 1"
    assert count_expectation("eq", 0) == "none"
    assert count_expectation("lte", 2) == "at most 2"
    assert [how_many(n, "item") for n in (0, 1, 2)] == ["no item", "1 item", "2 items"]
