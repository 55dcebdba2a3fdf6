"""Unit tests of loading.parsing: YAML bytes to plain data, positions and located problems."""

import datetime as dt
import math

import pytest

from gatecheck import limits
from gatecheck.documents import Document
from gatecheck.errors import InvalidInput, Location, Problem
from gatecheck.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from gatecheck.loading.parsing import load_bytes

PATH = "policies/p.yaml"


def load(text: str | bytes) -> Document:
    return load_bytes(text.encode() if isinstance(text, str) else text, PATH)


def problem_of(text: str | bytes) -> Problem:
    """The single problem loading `text` raises."""
    with pytest.raises(InvalidInput) as caught:
        load(text)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    assert problems[0].location.path == PATH
    return problems[0]


def where(text: str | bytes) -> tuple[str, int, int]:
    found = problem_of(text)
    return (found.code, found.location.line, found.location.column)


def value_of(scalar: str) -> object:
    return load(f"k: {scalar}\n").data["k"]


# -- scalar resolution --------------------------------------------------------------------------

UTC = dt.UTC
PLUS_TWO = dt.timezone(dt.timedelta(hours=2))
MINUS_FIVE_THIRTY = dt.timezone(-dt.timedelta(hours=5, minutes=30))


@pytest.mark.parametrize(
    ("scalar", "expected"),
    [
        # booleans: the YAML 1.2 core schema spellings only
        ("true", True),
        ("True", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("FALSE", False),
        ("tRUE", "tRUE"),
        # the YAML 1.1 booleans stay strings
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("Yes", "Yes"),
        ("y", "y"),
        ("n", "n"),
        # null
        ("null", None),
        ("Null", None),
        ("NULL", None),
        ("~", None),
        ("", None),
        ("nULL", "nULL"),
        # integers
        ("0", 0),
        ("42", 42),
        ("-5", -5),
        ("+5", 5),
        ("1_000", 1000),
        ("0x1F", 31),
        ("0xff", 255),
        ("-0x10", -16),
        ("0o17", 15),
        ("0b101", 5),
        ("-0b11", -3),
        ("017", 17),  # YAML 1.2: a leading zero is not octal
        ("0xG", "0xG"),
        ("0o", "0o"),
        ("0b", "0b"),
        ("--1", "--1"),
        # floats
        ("1.5", 1.5),
        ("-2.25", -2.25),
        ("1.", 1.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("-1E3", -1000.0),
        ("1.5e3", 1500.0),
        ("1_000.5", 1000.5),
        (".inf", math.inf),
        ("+.inf", math.inf),
        ("-.inf", -math.inf),
        (".Inf", math.inf),
        ("1e", "1e"),
        # dates and timestamps
        ("2024-01-31", dt.date(2024, 1, 31)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("2024-01-31T10:20:30", dt.datetime(2024, 1, 31, 10, 20, 30)),  # noqa: DTZ001
        ("2024-01-31T10:20:30Z", dt.datetime(2024, 1, 31, 10, 20, 30, tzinfo=UTC)),
        ("2024-01-31 10:20:30+02:00", dt.datetime(2024, 1, 31, 10, 20, 30, tzinfo=PLUS_TWO)),
        ("2024-01-31 10:20:30 +02", dt.datetime(2024, 1, 31, 10, 20, 30, tzinfo=PLUS_TWO)),
        (
            "2024-01-31t10:20:30.5-05:30",
            dt.datetime(2024, 1, 31, 10, 20, 30, 500_000, tzinfo=MINUS_FIVE_THIRTY),
        ),
        ("2024-1-1", "2024-1-1"),
        ("12:30:00", "12:30:00"),  # no sexagesimal numbers in YAML 1.2
        ("1:30", "1:30"),
        # quoted and block scalars are strings, whatever they spell
        ("'true'", "true"),
        ('"12"', "12"),
        ("'null'", "null"),
        ("''", ""),
        ("'2024-01-01'", "2024-01-01"),
        ('"0x1F"', "0x1F"),
        ("'.inf'", ".inf"),
        ("|\n  true\n", "true\n"),
        (">-\n  42\n", "42"),
        # explicit tags
        ("!!str 12", "12"),
        ("!!str true", "true"),
        ("!!str", ""),
        ('!!int "12"', 12),
        ("!!int '0x1F'", 31),
        ("!!float 1", 1.0),
        ("!!float '1_0'", 10.0),
        ("!!bool true", True),
        ("!!bool 'FALSE'", False),
        ("!!null ''", None),
        ("!!timestamp 2024-01-01", dt.date(2024, 1, 1)),
        ("! 12", "12"),
        ("!<tag:yaml.org,2002:str> 5", "5"),
    ],
)
def test_scalar_resolution(scalar: str, expected: object) -> None:
    value = value_of(scalar)
    assert type(value) is type(expected)
    assert value == expected
    if isinstance(expected, dt.datetime):
        assert isinstance(value, dt.datetime)
        assert value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("scalar", [".nan", ".NaN", ".NAN"])
def test_nan(scalar: str) -> None:
    value = value_of(scalar)
    assert isinstance(value, float)
    assert math.isnan(value)


@pytest.mark.parametrize("scalar", ["-.nan", "+.nan"])
def test_signed_nan_is_a_string(scalar: str) -> None:
    assert value_of(scalar) == scalar


def test_timestamp_with_offset_is_aware_and_without_is_naive() -> None:
    data = load("z: 2024-01-31T10:00:00Z\no: 2024-01-31T12:00:00+02:00\nn: 2024-01-31T10:00:00\n")
    assert data.data["z"].tzinfo is not None
    assert data.data["o"].tzinfo is not None
    assert data.data["z"] == data.data["o"]  # the same instant
    assert data.data["n"].tzinfo is None


@pytest.mark.parametrize(
    ("scalar", "code"),
    [
        ("2024-02-30", "bad-date"),
        ("2023-02-29", "bad-date"),
        ("2024-13-01", "bad-date"),
        ("2024-01-01T25:00:00", "bad-date"),
        ("!!timestamp yesterday", "bad-date"),
        ("9" * 5000, "bad-value"),
        ("-" + "1" * 5000, "bad-value"),
        ("!!int 'x'", "bad-value"),
        ("!!int '1.5'", "bad-value"),
        ("!!float abc", "bad-value"),
    ],
)
def test_unconvertible_scalar(scalar: str, code: str) -> None:
    assert where(f"a: 1\nk: {scalar}\n") == (code, 2, 4)


def test_long_hex_integer_is_not_limited() -> None:
    # Only decimal conversion is quadratic (and capped by Python); base 16 is linear.
    assert value_of("0x" + "f" * 5000) == 16**5000 - 1


@pytest.mark.parametrize("scalar", ["!!bool banana", "!!bool 1", "!!bool ''"])
def test_bool_tag_on_a_non_boolean_is_rejected(scalar: str) -> None:
    assert where(f"k: {scalar}\n") == ("bad-value", 1, 4)


# -- data and positions --------------------------------------------------------------------------

NESTED = """\
a:
  b:
    c: 1
    d: [x, {e: 2}]
  f:
    - 1
    -   g: h
"""


def test_nested_data() -> None:
    assert load(NESTED).data == {"a": {"b": {"c": 1, "d": ["x", {"e": 2}]}, "f": [1, {"g": "h"}]}}


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        ((), 1, 1),
        (("a",), 2, 3),  # a block mapping starts at its first key
        (("a", "b"), 3, 5),
        (("a", "b", "c"), 3, 8),
        (("a", "b", "d"), 4, 8),
        (("a", "b", "d", 0), 4, 9),
        (("a", "b", "d", 1), 4, 12),
        (("a", "b", "d", 1, "e"), 4, 16),
        (("a", "f"), 6, 5),
        (("a", "f", 0), 6, 7),
        (("a", "f", 1), 7, 9),
        (("a", "f", 1, "g"), 7, 12),
    ],
)
def test_value_positions(path: tuple[str | int, ...], line: int, column: int) -> None:
    document = load(NESTED)
    assert document.has(path)
    assert document.locate(path) == Location(PATH, line, column)


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        (("a",), 1, 1),
        (("a", "b"), 2, 3),
        (("a", "b", "c"), 3, 5),
        (("a", "b", "d"), 4, 5),
        (("a", "b", "d", 1, "e"), 4, 13),
        (("a", "f"), 5, 3),
        (("a", "f", 1, "g"), 7, 9),
        # a list item has no key: its value's position
        (("a", "f", 0), 6, 7),
        (("a", "b", "d", 1), 4, 12),
    ],
)
def test_key_positions(path: tuple[str | int, ...], line: int, column: int) -> None:
    assert load(NESTED).locate_key(path) == Location(PATH, line, column)


@pytest.mark.parametrize(
    ("path", "line", "column"),
    [
        (("a", "b", "zz"), 3, 5),  # absent key: its mapping
        (("a", "b", "d", 7), 4, 8),  # absent index: its list
        (("a", "b", "c", "deeper", 3), 3, 8),  # below a scalar: the scalar
        (("nope", "x"), 1, 1),  # nothing matches: the root
    ],
)
def test_locate_absent_path_falls_back_to_nearest_parent(
    path: tuple[str | int, ...], line: int, column: int
) -> None:
    document = load(NESTED)
    assert not document.has(path)
    assert document.locate(path) == Location(PATH, line, column)
    assert document.locate_key(path) == Location(PATH, line, column)


def test_positions_count_characters_not_bytes() -> None:
    document = load("é: {ü: 1, k: 2}\n")
    assert document.data == {"é": {"ü": 1, "k": 2}}
    assert document.locate(("é", "k")) == Location(PATH, 1, 14)
    assert document.locate_key(("é", "k")) == Location(PATH, 1, 11)


def test_explicit_document_markers() -> None:
    document = load("---\na: 1\n...\n")
    assert document.data == {"a": 1}
    assert document.locate(("a",)) == Location(PATH, 2, 4)


def test_locate_in_a_document_without_positions() -> None:
    document = Document(PATH, None, {}, {})
    assert document.locate(("a", 1)) == Location(PATH, 1, 1)


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location("a.yaml", 3, 7), "a.yaml:3:7"),
        (Location("a.yaml", 0, 0), "a.yaml"),
    ],
)
def test_location_str(location: Location, text: str) -> None:
    assert str(location) == text


# -- merge keys and aliases ----------------------------------------------------------------------


def test_merge_single_source_explicit_key_wins() -> None:
    document = load("base: &base {x: 1, y: 2}\nd:\n  <<: *base\n  y: 3\n")
    assert document.data["d"] == {"x": 1, "y": 3}
    assert "<<" not in document.data["d"]
    assert document.locate(("d", "y")) == Location(PATH, 4, 6)
    # a merged key is located at the merge
    assert document.locate(("d", "x")) == Location(PATH, 3, 7)
    assert document.data["base"] == {"x": 1, "y": 2}  # the source is not changed


def test_merge_explicit_key_wins_even_when_written_first() -> None:
    assert load("d:\n  y: 3\n  <<: {x: 1, y: 2}\n").data == {"d": {"y": 3, "x": 1}}


def test_merge_list_first_source_wins() -> None:
    text = "a: &a {x: 1, z: a}\nb: &b {x: 2, w: b}\nd:\n  <<: [*a, *b]\n  q: 0\n"
    document = load(text)
    assert document.data["d"] == {"q": 0, "x": 1, "z": "a", "w": "b"}
    assert document.locate(("d", "w")).line == 4


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert load("d:\n  '<<': 1\n").data == {"d": {"<<": 1}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("d:\n  <<: 1\n", ("yaml-merge", 2, 7)),
        ("d:\n  <<: x\n", ("yaml-merge", 2, 7)),
        ("d:\n  <<: [1]\n", ("yaml-merge", 2, 9)),
        ("d:\n  <<: []\n", ("yaml-merge", 2, 8)),
    ],
)
def test_bad_merge_value(text: str, expected: tuple[str, int, int]) -> None:
    assert where(text) == expected


def test_bad_merge_value_in_a_list_of_mappings() -> None:
    code, line, _column = where("d:\n  <<: [{a: 1}, 2]\n")
    assert (code, line) == ("yaml-merge", 2)


def test_alias_reuses_the_anchored_data() -> None:
    document = load("a: &x [1, {c: 2}]\nb: *x\ns: &s text\nt: *s\n")
    assert document.data["b"] == [1, {"c": 2}]
    assert document.data["b"] is document.data["a"]
    assert document.data["t"] == "text"
    assert document.locate(("b",)) == Location(PATH, 2, 4)
    assert document.locate(("t",)) == Location(PATH, 4, 4)


def test_anchored_key_reused_as_a_key() -> None:
    assert load("a: &k name\nm:\n  *k : 1\n").data == {"a": "name", "m": {"name": 1}}


# -- problems ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: [1, 2\n", ("yaml-syntax", 2, 1)),
        ("a: 1\n b: 2\n", ("yaml-syntax", 2, 3)),
        ("a: {b: c: d}\n", ("yaml-syntax", 1, 9)),
        ("a: 'unterminated\n", ("yaml-syntax", 2, 1)),
        (": x\n", ("yaml-syntax", 1, 1)),
        # no final line break: libyaml marks the line after the last; shown at the end instead
        ("a: [1, 2", ("yaml-syntax", 1, 9)),
        ("a: 1\nb: 'unterminated", ("yaml-syntax", 2, 17)),
        ("a: 1\r\nb", ("yaml-syntax", 2, 2)),
    ],
)
def test_yaml_syntax(text: str, expected: tuple[str, int, int]) -> None:
    assert where(text) == expected


@pytest.mark.parametrize(
    ("text", "line", "column", "first_line"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, 1),
        ("x:\n  y:\n    a: 1\n    b: 2\n    a: 3\n", 5, 5, 3),
        ("x:\n  - y:\n      a: 1\n      a: 3\n", 4, 7, 3),
        ("x: {a: 1, a: 2}\n", 1, 11, 1),
    ],
)
def test_duplicate_key(text: str, line: int, column: int, first_line: int) -> None:
    found = problem_of(text)
    assert (found.code, found.location.line, found.location.column) == (
        "duplicate-key",
        line,
        column,
    )
    assert f"line {first_line}" in found.message


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['true']",
        "!!python/object/apply:os.system\n  args: ['true']",
        "!!python/name:os.system ''",
        "!custom x",
        "!custom {a: 1}",
        "!!set {x, y}",
        "!!binary aGk=",
        "!!omap [x: 1]",
        "!!str {a: 1}",
    ],
)
def test_tags_are_rejected(value: str) -> None:
    assert where(f"a: {value}\n") == ("yaml-tag", 1, 4)


def test_tag_through_a_tag_directive_is_rejected() -> None:
    text = "%TAG !e! tag:yaml.org,2002:python/\n---\na: !e!object/apply:os.system ['true']\n"
    assert where(text) == ("yaml-tag", 3, 4)


def test_core_collection_tags_are_allowed() -> None:
    assert load("a: !!map {x: 1}\nb: !!seq [1]\n").data == {"a": {"x": 1}, "b": [1]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1: x\n", ("bad-key", 1, 1)),
        ("true: x\n", ("bad-key", 1, 1)),
        ("null: x\n", ("bad-key", 1, 1)),
        ("~: x\n", ("bad-key", 1, 1)),
        ("1.5: x\n", ("bad-key", 1, 1)),
        ("2024-01-01: x\n", ("bad-key", 1, 1)),
        ("[a]: 1\n", ("bad-key", 1, 1)),
        ("{a: 1}: 1\n", ("bad-key", 1, 1)),
        ("? [a]\n: 1\n", ("bad-key", 1, 3)),
        ("ok:\n  a: 1\n  2: x\n", ("bad-key", 3, 3)),
        ("a: &m {x: 1}\nb:\n  *m : 2\n", ("bad-key", 3, 3)),
    ],
)
def test_non_string_keys(text: str, expected: tuple[str, int, int]) -> None:
    assert where(text) == expected


@pytest.mark.parametrize("text", ["'1': x\n", '"true": x\n', "'null': x\n", "yes: x\n"])
def test_quoted_and_plain_string_keys(text: str) -> None:
    (key,) = load(text).data
    assert isinstance(key, str)


@pytest.mark.parametrize(
    "text", [b"", b" ", b"\n\n", b"  \n\t\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"]
)
def test_empty_file(text: bytes) -> None:
    assert where(text) == ("empty-file", 1, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\n---\nb: 2\n", ("multiple-documents", 2, 1)),
        ("---\na: 1\n---\nb: 2\n", ("multiple-documents", 3, 1)),
        ("a: 1\n...\n---\nb: 2\n", ("multiple-documents", 3, 1)),
    ],
)
def test_multiple_documents(text: str, expected: tuple[str, int, int]) -> None:
    assert where(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a: caf\xe9\n", ("not-utf8", 1, 7)),
        (b"a: 1\nb: x\xe9y\n", ("not-utf8", 2, 5)),
        (b"\xe9: 1\n", ("not-utf8", 1, 1)),
        (b"a: 1\nb: 2\nc: [\xff]\n", ("not-utf8", 3, 5)),
        (b"a: \xc3\n", ("not-utf8", 1, 4)),  # a truncated two-byte sequence
        (b"\xff\xfea\x00:\x00 \x001\x00", ("not-utf8", 1, 1)),  # UTF-16 LE
        (b"\xfe\xff\x00a\x00:\x00 \x001", ("not-utf8", 1, 1)),  # UTF-16 BE
        # lines count as libyaml counts them: CR alone and NEL end a line (found by fuzzing)
        (b"a: 1\rb: \xff\n", ("not-utf8", 2, 4)),
        (b"a: \xc2\x85\xff\n", ("not-utf8", 2, 1)),
    ],
)
def test_not_utf8(raw: bytes, expected: tuple[str, int, int]) -> None:
    assert where(raw) == expected


def test_not_utf8_names_the_bad_byte() -> None:
    assert "0xe9" in problem_of(b"a: caf\xe9\n").message


def test_not_utf8_after_a_bom_locates_the_bad_byte() -> None:
    found = problem_of(b"\xef\xbb\xbfa: 1\n\xff: 2\n")
    assert (found.code, found.location.line, found.location.column) == ("not-utf8", 2, 1)
    assert "0xff" in found.message


def test_utf8_bom_is_accepted() -> None:
    document = load(b"\xef\xbb\xbfa: 1\nb: caf\xc3\xa9\n")
    assert document.data == {"a": 1, "b": "café"}
    assert document.locate(("a",)) == Location(PATH, 1, 4)
    assert document.locate(("b",)) == Location(PATH, 2, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: x\x00y\n", ("yaml-syntax", 2, 5)),
        ("\x00", ("yaml-syntax", 1, 1)),
        ("a: 1\nb: \x07\n", ("yaml-syntax", 2, 4)),
        ("a: \x1b[31m\n", ("yaml-syntax", 1, 4)),
        # libyaml gives a byte offset: columns count characters (found by fuzzing)
        ("a: caf\u00e9\u00e9\x00\n", ("yaml-syntax", 1, 9)),
        ("a: \U0001f600\x07\n", ("yaml-syntax", 1, 5)),
        ("a: 1\rb: \x00\n", ("yaml-syntax", 2, 4)),  # after a CR alone
        ("a: \u2028\x00\n", ("yaml-syntax", 2, 1)),  # LS ends a line in YAML 1.1
    ],
)
def test_control_characters(text: str, expected: tuple[str, int, int]) -> None:
    assert where(text) == expected


# -- limits --------------------------------------------------------------------------------------


def nested_flow_lists(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_flow_maps(depth: int) -> str:
    return "{a: " * (depth - 1) + "{a: 1" + "}" * depth


def nested_block_maps(depth: int) -> str:
    return (
        "".join("  " * level + "k:\n" for level in range(depth - 1)) + "  " * (depth - 1) + "k: 1\n"
    )


def nested_block_lists(depth: int) -> str:
    return "- " * depth + "x\n"


BUILDERS = [nested_flow_lists, nested_flow_maps, nested_block_maps, nested_block_lists]


def depth_of(value: object) -> int:
    depth = 0
    while isinstance(value, dict | list):
        depth += 1
        if not value:
            break
        value = next(iter(value.values())) if isinstance(value, dict) else value[0]
    return depth


@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH])
def test_nesting_within_the_limit(build, depth: int) -> None:
    assert depth_of(load(build(depth)).data) == depth


@pytest.mark.parametrize(
    ("build", "line", "column"),
    [
        (nested_flow_lists, 1, MAX_DEPTH + 1),
        (nested_flow_maps, 1, 4 * MAX_DEPTH + 1),
        (nested_block_maps, MAX_DEPTH + 1, 2 * MAX_DEPTH + 1),
        (nested_block_lists, 1, 2 * MAX_DEPTH + 1),
    ],
)
def test_too_deep(build, line: int, column: int) -> None:
    assert where(build(MAX_DEPTH + 1)) == ("too-deep", line, column)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000, ("too-deep", 1, MAX_DEPTH + 1)),
        ("[" * 100_000 + "]" * 100_000, ("too-deep", 1, MAX_DEPTH + 1)),
        ("{a: " * 100_000, ("too-deep", 1, 4 * MAX_DEPTH + 1)),
        ("- " * 100_000 + "x\n", ("too-deep", 1, 2 * MAX_DEPTH + 1)),
    ],
)
def test_extreme_nesting_is_too_deep_not_a_crash(text: str, expected: tuple[str, int, int]) -> None:
    assert where(text) == expected


LAUGHS_LEVELS = 12  # the last list alone expands to more than 10**12 values


def billion_laughs(levels: int = LAUGHS_LEVELS) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [
        f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]"
        for level in range(1, levels + 1)
    ]
    return "\n".join(lines) + "\n"


def first_alias_over_the_limit(levels: int = LAUGHS_LEVELS) -> tuple[int, int]:
    """The line and column of the alias in billion_laughs() that takes the count past MAX_NODES."""
    nodes = 1 + 1 + 1 + 10  # the root mapping, key a0, its list and ten scalars
    size = 11  # what an alias of a0 adds
    for level in range(1, levels + 1):
        nodes += 2  # the key and the list
        prefix = len(f"a{level}: &a{level} [")
        for index in range(10):
            nodes += size
            if nodes > MAX_NODES:
                return (level + 1, prefix + index * len(f"*a{level - 1}, ") + 1)
        size = 1 + 10 * size
    msg = "billion_laughs() stays under MAX_NODES"
    raise AssertionError(msg)


def test_billion_laughs_is_too_many_nodes() -> None:
    text = billion_laughs()
    assert len(text) < 1024
    assert where(text) == ("too-many-nodes", *first_alias_over_the_limit())


def test_alias_expansion_below_the_node_limit_is_accepted() -> None:
    data = load(billion_laughs(levels=3)).data
    assert len(data["a3"]) == 10
    assert data["a3"][9][9][9] == ["lol"] * 10


def test_node_limit_counts_every_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_NODES", 1000)
    # the root list and 999 items: exactly at the limit
    assert len(load("[" + ",".join(["1"] * 999) + "]").data) == 999
    # one more item: it is the value over the limit
    assert where("[" + ",".join(["1"] * 1000) + "]") == ("too-many-nodes", 1, 2 + 999 * 2)
    # keys count too: the root and 500 pairs are 1001 values
    pairs = ", ".join(f"k{i:03}: 1" for i in range(500))
    code, line, _column = where("{" + pairs + "}")
    assert (code, line) == ("too-many-nodes", 1)
    assert len(load("{" + pairs.rsplit(", ", 1)[0] + "}").data) == 499


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: *nope\n", ("yaml-alias", 1, 4)),
        ("a: [1, *later]\nb: &later 2\n", ("yaml-alias", 1, 8)),
        ("a: &a [*a]\n", ("yaml-alias", 1, 8)),
        ("a: &a {b: *a}\n", ("yaml-alias", 1, 11)),
        ("a: &a\n  b:\n    - c: *a\n", ("yaml-alias", 3, 10)),
    ],
)
def test_bad_alias(text: str, expected: tuple[str, int, int]) -> None:
    assert where(text) == expected


def test_file_too_large() -> None:
    assert where(b"a: " + b"x" * (MAX_FILE_BYTES - 2)) == ("file-too-large", 1, 1)
    # the size is checked before decoding
    assert where(b"\xff" * (MAX_FILE_BYTES + 1)) == ("file-too-large", 1, 1)


def test_file_at_the_size_limit_is_read() -> None:
    raw = b"a: " + b"x" * (MAX_FILE_BYTES - 3)
    assert len(raw) == MAX_FILE_BYTES
    assert len(load(raw).data["a"]) == MAX_FILE_BYTES - 3


@pytest.mark.parametrize("text", ["# only a comment\n", "---\n", "---\n...\n", "~\n", "null\n"])
def test_a_file_without_content_is_empty(text: str) -> None:
    assert where(text) == ("empty-file", 1, 1)


def test_keys_merged_from_an_inline_mapping_are_located_where_it_starts() -> None:
    document = load_bytes(b"d:\n  <<: {a: 1, b: 2}\n  c: 3\n", "f.yaml")
    assert document.data == {"d": {"c": 3, "a": 1, "b": 2}}
    assert tuple(document.locate(("d", "b")))[1:] == (2, 7)
