"""Unit tests of gatecheck.language.operators: strict comparison, durations and operand checks."""

import datetime as dt
import re

import pytest

from gatecheck.language.kinds import kind_of, same
from gatecheck.language.operand_checks import operand_problem
from gatecheck.language.operators import OPERATORS, NotComparableError, parse_duration
from gatecheck.language.regexes import compile_regex

D1 = dt.date(2024, 1, 1)
D2 = dt.date(2024, 6, 1)
T1 = dt.datetime(2024, 1, 1, 12, 0)  # noqa: DTZ001 - YAML timestamps without an offset are naive
T1_UTC = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.UTC)


def run(name: str, actual: object, operand: object) -> bool:
    return OPERATORS[name].func(actual, operand)


def test_registry_names_and_symbols() -> None:
    assert {name: op.symbol for name, op in OPERATORS.items()} == {
        "eq": "==",
        "ne": "!=",
        "gt": ">",
        "gte": ">=",
        "lt": "<",
        "lte": "<=",
        "in": "in",
        "not_in": "not in",
        "contains": "contains",
        "matches": "matches",
        "exists": "exists",
        "older_than": "older than",
        "newer_than": "newer than",
    }
    assert all(op.name == name for name, op in OPERATORS.items())


@pytest.mark.parametrize("name", sorted(OPERATORS))
def test_every_operator_documents_an_example(name: str) -> None:
    doc = OPERATORS[name].doc
    assert doc.startswith(f"`{name}`:")
    assert re.search(r"\{fact: [^,}]+, " + re.escape(name) + r": [^}]+\}", doc), doc


# -- kinds and strict equality ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (True, "boolean"),
        (False, "boolean"),
        (0, "number"),
        (1.5, "number"),
        ("x", "string"),
        ("", "string"),
        (D1, "date"),
        (T1, "date"),
        ([], "list"),
        ({}, "map"),
        (None, "null"),
    ],
)
def test_kind_of(value: object, kind: str) -> None:
    assert kind_of(value) == kind


EQUALITY = [
    (1, 1, True),
    (1, 1.0, True),
    (1, 2, False),
    (True, True, True),
    (True, 1, False),
    (1, True, False),
    (False, 0, False),
    ("80", 80, False),
    (80, "80", False),
    ("a", "a", True),
    ("a", "A", False),
    ("", None, False),
    (None, None, True),
    (D1, D1, True),
    (D1, dt.date(2024, 1, 1), True),
    (D1, D2, False),
    (D1, dt.datetime(2024, 1, 1), False),  # noqa: DTZ001
    (dt.datetime(2024, 1, 1), D1, False),  # noqa: DTZ001
    (T1, T1, True),
    (T1, T1_UTC, False),
    ("2024-01-01", D1, False),
    ([1, 2], [1, 2], True),
    ([1, 2], [2, 1], False),
    ([1, 2], [1, 2, 3], False),
    ([1], [True], False),
    ([1], [1.0], True),
    ([[1, "a"]], [[1, "a"]], True),
    ([], [], True),
    ([], {}, False),
    ({"a": 1}, {"a": 1.0}, True),
    ({"a": 1}, {"a": True}, False),
    ({"a": 1}, {"b": 1}, False),
    ({"a": [D1]}, {"a": [D1]}, True),
]


@pytest.mark.parametrize(("actual", "operand", "expected"), EQUALITY)
def test_eq(actual: object, operand: object, expected: bool) -> None:
    assert same(actual, operand) is expected
    assert run("eq", actual, operand) is expected


@pytest.mark.parametrize(("actual", "operand", "expected"), EQUALITY)
def test_ne_is_the_negation_of_eq(actual: object, operand: object, expected: bool) -> None:
    assert run("ne", actual, operand) is (not expected)


def test_nan_is_not_equal_to_itself() -> None:
    assert run("eq", float("nan"), float("nan")) is False


# -- ordering --------------------------------------------------------------------------------

NAIVE_DAY_2_AT_9 = dt.datetime(2024, 1, 2, 9)  # noqa: DTZ001
NAIVE_DAY_2_AT_8 = dt.datetime(2024, 1, 2, 8)  # noqa: DTZ001
NAIVE_DAY_1_LATE = dt.datetime(2024, 1, 1, 23, 59)  # noqa: DTZ001
AT_11_UTC = dt.datetime(2024, 1, 1, 13, tzinfo=dt.timezone(dt.timedelta(hours=2)))

# actual, operand, and the results of (gt, gte, lt, lte)
ORDERED = [
    (5, 4, (True, True, False, False)),
    (4, 4, (False, True, False, True)),
    (3, 4, (False, False, True, True)),
    (4.5, 4, (True, True, False, False)),
    (4.0, 4, (False, True, False, True)),
    (-1, 0, (False, False, True, True)),
    (float("inf"), 10**9, (True, True, False, False)),
    (D2, D1, (True, True, False, False)),
    (D1, D1, (False, True, False, True)),
    (D1, D2, (False, False, True, True)),
    (NAIVE_DAY_2_AT_9, NAIVE_DAY_2_AT_8, (True, True, False, False)),
    (T1_UTC, AT_11_UTC, (True, True, False, False)),
    # a timestamp against a date compares the day
    (NAIVE_DAY_1_LATE, D1, (False, True, False, True)),
    (D2, T1, (True, True, False, False)),
    (D1, T1_UTC, (False, True, False, True)),
]


@pytest.mark.parametrize(("actual", "operand", "expected"), ORDERED)
def test_ordering(actual: object, operand: object, expected: tuple[bool, ...]) -> None:
    assert tuple(run(name, actual, operand) for name in ("gt", "gte", "lt", "lte")) == expected


@pytest.mark.parametrize("name", ["gt", "gte", "lt", "lte"])
@pytest.mark.parametrize(
    ("actual", "operand"),
    [
        ("5", 4),
        (5, "4"),
        ("b", "a"),
        (True, 0),
        (1, False),
        (None, 1),
        ([5], 4),
        ({"a": 5}, 4),
        (D1, 20240101),
        (20240101, D1),
        ("2024-06-01", D1),
    ],
)
def test_ordering_refuses_other_kinds(name: str, actual: object, operand: object) -> None:
    with pytest.raises(NotComparableError):
        run(name, actual, operand)


@pytest.mark.parametrize("name", ["gt", "gte", "lt", "lte"])
@pytest.mark.parametrize(("actual", "operand"), [(T1, T1_UTC), (T1_UTC, T1)])
def test_ordering_naive_against_aware_timestamp(name: str, actual: object, operand: object) -> None:
    with pytest.raises(NotComparableError):
        run(name, actual, operand)


def test_not_comparable_is_a_type_error() -> None:
    assert issubclass(NotComparableError, TypeError)


# -- membership ------------------------------------------------------------------------------

MEMBERSHIP = [
    ("go", ["python", "go"], True),
    ("rust", ["python", "go"], False),
    (1, [1, 2], True),
    (1.0, [1, 2], True),
    (True, [1, 2], False),
    (1, [True], False),
    ("1", [1], False),
    (D1, [D2, D1], True),
    (dt.datetime(2024, 1, 1), [D1], False),  # noqa: DTZ001
    (None, [], False),
    ("x", [], False),
    ([1], [[1]], True),
]


@pytest.mark.parametrize(("actual", "operand", "expected"), MEMBERSHIP)
def test_in_and_not_in(actual: object, operand: list[object], expected: bool) -> None:
    assert run("in", actual, operand) is expected
    assert run("not_in", actual, operand) is (not expected)


@pytest.mark.parametrize(
    ("actual", "operand", "expected"),
    [
        (["-S", "preview2=y"], "-S", True),
        (["-S", "preview2=y"], "preview2", False),
        ([1, 2], 2, True),
        ([1, 2], 2.0, True),
        ([1, 2], True, False),
        ([True], 1, False),
        (["80"], 80, False),
        ([D1], D1, True),
        ([], "x", False),
        ({"linux": True, "mac": False}, "mac", True),
        ({"linux": True}, "windows", False),
        ({"1": True}, 1, False),
        ("-S preview2=y -W", "preview2=y", True),
        ("-S preview2=y", "preview3", False),
        ("abc", "", True),
        ("abc", "ABC", False),
    ],
)
def test_contains(actual: object, operand: object, expected: bool) -> None:
    assert run("contains", actual, operand) is expected


@pytest.mark.parametrize(
    ("actual", "operand"),
    [(5, 5), (5, "5"), (1.5, "1"), (True, True), (None, "x"), (D1, "2024"), ("abc", 1)],
)
def test_contains_refuses_what_cannot_contain(actual: object, operand: object) -> None:
    with pytest.raises(NotComparableError):
        run("contains", actual, operand)


# -- regular expressions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "pattern", "expected"),
    [
        ("-W error", "^-W ", True),
        ("x -W error", "^-W ", False),
        ("xabcx", "abc", True),  # unanchored: a match anywhere
        ("xabcx", "^abc$", False),
        ("abc", "^abc$", True),
        ("abc", "", True),
        ("v1.2.3", r"^v\d+\.\d+\.\d+$", True),
        ("v1.2", r"^v\d+\.\d+\.\d+$", False),
        ("line1\nline2", "^line2", False),
        ("line1\nline2", "(?m)^line2", True),
        ("é", "^.$", True),  # one character, not two bytes
        ("ABC", "(?i)abc", True),
    ],
)
def test_matches(actual: str, pattern: str, expected: bool) -> None:
    assert run("matches", actual, pattern) is expected


@pytest.mark.parametrize("actual", [1, 1.5, True, None, D1, ["abc"], {"abc": 1}])
def test_matches_refuses_non_strings(actual: object) -> None:
    with pytest.raises(NotComparableError):
        run("matches", actual, "abc")


def test_matches_pathological_pattern_completes() -> None:
    # Exponential for a backtracking engine; linear for RE2. The test only has to finish.
    assert run("matches", "a" * 50_000 + "b", "(a+)+$") is False
    assert run("matches", "a" * 50_000 + "b", "(a+)+b$") is True


def test_compile_regex_caches() -> None:
    assert compile_regex("^cache-me$") is compile_regex("^cache-me$")
    assert compile_regex("^cache-me$").search("cache-me") is not None


# -- exists and time -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "operand", "expected"),
    [
        ("x", True, True),
        (0, True, True),
        (False, True, True),
        ("", True, True),
        ([], True, True),
        (None, True, False),
        (None, False, True),
        ("x", False, False),
        (False, False, False),
    ],
)
def test_exists(actual: object, operand: bool, expected: bool) -> None:
    assert run("exists", actual, operand) is expected


@pytest.mark.parametrize(
    ("actual", "threshold", "older", "newer"),
    [
        (dt.date(2024, 1, 1), dt.date(2024, 1, 2), True, False),
        (dt.date(2024, 1, 2), dt.date(2024, 1, 2), True, False),  # on the threshold
        (dt.date(2024, 1, 3), dt.date(2024, 1, 2), False, True),
        (dt.date(2023, 12, 31), dt.date(2024, 1, 1), True, False),
    ],
)
def test_older_than_and_newer_than_against_a_threshold(
    actual: dt.date, threshold: dt.date, older: bool, newer: bool
) -> None:
    assert run("older_than", actual, threshold) is older
    assert run("newer_than", actual, threshold) is newer


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("7d", 7),
        ("2w", 14),
        ("0d", 0),
        ("0w", 0),
        ("1d", 1),
        ("26w", 182),
        ("07d", 7),
        ("99999d", 99_999),
    ],
)
def test_parse_duration(text: str, days: int) -> None:
    assert parse_duration(text) == days


@pytest.mark.parametrize(
    "text",
    [
        *("7", "d", "w", "", "7h", "7m", "7y", "7D", "7W", "1.5d", "-1d", "+1d"),
        *(" 7d", "7d ", "7 d", "999999d", "100000w", "7dd", "d7", "1_0d", "0x7d"),
    ],
)
def test_parse_duration_rejects(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize("text", ["²d", "7²w"])
def test_parse_duration_rejects_unicode_digits(text: str) -> None:
    assert parse_duration(text) is None


# -- operand checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "operand"),
    [
        ("eq", 1),
        ("eq", "x"),
        ("eq", True),
        ("eq", D1),
        ("eq", 1.5),
        ("eq", [1, "a", True, D1]),
        ("eq", []),
        ("ne", "ignored"),
        ("gt", 0),
        ("gt", 1.5),
        ("gt", D1),
        ("gte", T1),
        ("lt", -3),
        ("lte", D1),
        ("in", ["python", "go"]),
        ("in", []),
        ("in", [1, True, D1]),
        ("not_in", ["rust"]),
        ("contains", "-S"),
        ("contains", 1),
        ("contains", D1),
        ("matches", "^-W "),
        ("matches", ""),
        ("exists", True),
        ("exists", False),
        ("older_than", "7d"),
        ("older_than", "2w"),
        ("newer_than", "26w"),
    ],
)
def test_good_operands(name: str, operand: object) -> None:
    assert operand_problem(OPERATORS[name], operand) is None


@pytest.mark.parametrize(
    ("name", "operand"),
    [
        ("eq", None),
        ("eq", {"a": 1}),
        ("eq", [[1]]),
        ("eq", [None]),
        ("ne", {"a": 1}),
        ("gt", "4"),
        ("gt", True),
        ("gt", None),
        ("gt", [4]),
        ("gte", "2024-01-01"),
        ("lt", {"a": 1}),
        ("in", "x"),
        ("in", 1),
        ("in", None),
        ("in", [{"a": 1}]),
        ("in", [[1]]),
        ("in", [None]),
        ("not_in", "x"),
        ("contains", [1]),
        ("contains", {"a": 1}),
        ("contains", None),
        ("matches", "("),
        ("matches", "(a)\\1"),  # back-references are not RE2
        ("matches", 1),
        ("matches", ["a"]),
        ("older_than", "2 weeks"),
        ("older_than", "7"),
        ("older_than", 7),
        ("older_than", D1),
        ("newer_than", "-1d"),
        ("exists", "yes"),
        ("exists", 1),
        ("exists", None),
    ],
)
def test_bad_operands(name: str, operand: object) -> None:
    problem = operand_problem(OPERATORS[name], operand)
    assert isinstance(problem, str)
    assert problem
