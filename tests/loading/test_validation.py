"""Pydantic's error kinds, each mapped to a problem with its code, message and line:col."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import pytest
from tests.support.project import POLICY_HEAD, write_project

from gatecheck.errors import known_names_hint
from gatecheck.language.shapes import (
    EvidenceShape,
    GateShape,
    PolicyShape,
    RuleShape,
    SourceDocumentShape,
)
from gatecheck.loading.parsing import load_bytes
from gatecheck.loading.validation import _model_at, _unwrap, model_problems

if TYPE_CHECKING:
    from pathlib import Path

KEYS = "fact, count, all, any, not, some, every, none, step or attested"
NOT_A_CONDITION = f"not a condition: it has none of the keys {KEYS}"
EVIDENCE = "subject: s\npolicy: t\nfacts: {a: 1}\n"


def _problems(model: Any, text: str) -> list[tuple[str, str, str, str | None]]:
    found = model_problems(model, load_bytes(text.encode(), "x.yaml"))
    return [(p.code, p.message, f"{p.location.line}:{p.location.column}", p.hint) for p in found]


def _policy_with(require: str) -> str:
    return POLICY_HEAD + (
        "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
        "      - id: r\n        title: R\n        source: s\n"
        f"        require: {require}\n"
    )


def _validate(tmp_path: Path, run_cli: Any, policy: str) -> Any:
    root = write_project(tmp_path / "p", policy, {"s": EVIDENCE})
    return run_cli("validate", "--root", str(root))


def test_unknown_operator_of_a_count(tmp_path: Path, run_cli: Any) -> None:
    run = _validate(tmp_path, run_cli, _policy_with("{count: {fact: xs}, gte: 1, most: 2}"))
    assert run.exit_code == 2
    assert (
        "policies/t.yaml:14:46: error: unknown operator 'most' for a count [unknown-operator]\n"
        "  hint: known operators: eq, gt, gte, lt, lte, ne\n"
    ) in run.stderr


@pytest.mark.parametrize(
    ("require", "message", "hint"),
    [
        (
            "{eq: 3, gt: 1}",
            NOT_A_CONDITION,
            "a comparison names the fact it reads: add `fact: some.fact`",
        ),
        (
            "{foo: {a: 1}}",
            NOT_A_CONDITION,
            f"a condition is a mapping with one of: {KEYS}",
        ),
        (
            "{phase: 3}",
            NOT_A_CONDITION,
            "to test a fact, write {fact: phase, eq: 3}",
        ),
        (
            "5",
            "expected a condition (a mapping), found a number (5)",
            f"write a mapping with one of: {KEYS}",
        ),
    ],
)
def test_not_a_condition(
    tmp_path: Path, run_cli: Any, require: str, message: str, hint: str
) -> None:
    run = _validate(tmp_path, run_cli, _policy_with(require))
    assert run.exit_code == 2
    assert f"policies/t.yaml:14:18: error: {message} [not-a-condition]\n" in run.stderr
    assert f"  hint: {hint}\n" in run.stderr


def test_a_condition_hint_is_checked_like_any_text(tmp_path: Path, run_cli: Any) -> None:
    run = _validate(tmp_path, run_cli, _policy_with("{all: [{fact: a, eq: 1, hint: 3}]}"))
    assert run.exit_code == 2
    assert (
        "policies/t.yaml:14:48: error: 'hint': expected a string, found a number (3) [wrong-type]"
    ) in run.stderr


def test_a_condition_hint_is_no_operator(tmp_path: Path, run_cli: Any) -> None:
    run = _validate(tmp_path, run_cli, _policy_with("{fact: a, hint: Record a.}"))
    assert run.exit_code == 2
    assert "error: condition has no operator [missing-operator]" in run.stderr
    valid = _validate(tmp_path / "ok", run_cli, _policy_with("{fact: a, eq: 1, hint: Record a.}"))
    assert valid.exit_code == 0, valid.stderr


def test_null_where_a_string_is_expected(tmp_path: Path, run_cli: Any) -> None:
    policy = _policy_with("{fact: a, eq: 1}").replace("title: R", "title: null")
    run = _validate(tmp_path, run_cli, policy)
    assert run.exit_code == 2
    assert (
        "policies/t.yaml:12:16: error: 'title': expected a string, found nothing (null) "
        "[wrong-type]\n  hint: quote a value to make it a string\n"
    ) in run.stderr


def test_unknown_key_lists_the_known_keys(tmp_path: Path) -> None:
    text = EVIDENCE + "sources:\n  a: {url: u, bogus: 1}\n"
    assert _problems(EvidenceShape, text) == [
        (
            "unknown-key",
            "unknown key 'bogus'",
            "5:15",
            "known keys: collected_at, commit, file, line, note, repository, url",
        )
    ]


def test_a_list_where_a_date_is_expected(tmp_path: Path) -> None:
    text = EVIDENCE + "sources:\n  a:\n    collected_at: [1]\n"
    assert _problems(EvidenceShape, text) == [
        ("wrong-type", "'collected_at': expected a date and time, found a list", "6:19", None),
        (
            "wrong-type",
            "'collected_at': expected a date (YYYY-MM-DD, unquoted), found a list",
            "6:19",
            None,
        ),
    ]


def test_a_file_that_is_not_a_mapping() -> None:
    assert _problems(EvidenceShape, "- 1\n") == [
        ("wrong-type", "the file: expected a mapping, found a list", "1:1", None)
    ]


@pytest.mark.parametrize(
    ("kind", "hint"),
    [
        ("key", "known keys: a, b"),
        ("policy", "known policies: a, b"),
        ("gate", "known gates: a, b"),
        ("y", "known ys: a, b"),
    ],
)
def test_known_names_are_pluralised(kind: str, hint: str) -> None:
    assert known_names_hint("zzzzzz", ["b", "a"], kind) == hint


def test_model_at_follows_fields_lists_and_stops_at_what_is_not_a_model() -> None:
    assert _model_at(PolicyShape, ("gates", 0, "rules", 0)) is RuleShape
    assert _model_at(PolicyShape, ("gates", 0)) is GateShape
    assert _model_at(PolicyShape, ("source",)) is SourceDocumentShape
    assert _model_at(PolicyShape, ("no-such-field",)) is None
    assert _model_at(PolicyShape, ("version", "x")) is None
    assert _model_at(PolicyShape, ("version",)) is None


def test_unwrap_strips_annotated_and_optional_but_not_a_real_union() -> None:
    assert _unwrap(Annotated[int, "meta"]) is int
    assert _unwrap(Annotated[RuleShape, "meta"] | None) is RuleShape
    assert _unwrap(int | str | None) == int | str | None


@pytest.mark.parametrize(
    ("require", "message", "hint"),
    [
        (
            "{attested: ok, at_least: 0}",
            "'at_least' must be at least 1, not 0",
            "at_least is how many attestations the rule needs (1 to 100); leave it out for 1",
        ),
        (
            "{attested: ok, at_least: 101}",
            "'at_least' must be at most 100, not 101",
            "at_least is how many attestations the rule needs (1 to 100); leave it out for 1",
        ),
        (
            "{all: []}",
            "'all' is an empty list: it needs at least one item",
            "list at least one condition, or write the one condition without `all:`",
        ),
        (
            "{count: {fact: canary.regions, gte: 2}}",
            "unknown key 'gte' in what is counted",
            (
                "the comparison goes beside `count:`, not inside it:"
                " {count: {fact: canary.regions}, gte: 2}"
            ),
        ),
    ],
)
def test_limits_and_misplaced_keys_in_plain_words(require: str, message: str, hint: str) -> None:
    text = _policy_with(require) + "judgements:\n  ok: OK\n"
    found = _problems(PolicyShape, text)
    assert [(code, said, tip) for code, said, _, tip in found] == [
        ("unknown-key" if "gte" in require else "bad-value", message, hint)
    ]
    assert "Input should" not in message


def test_an_empty_title_is_said_plainly() -> None:
    text = _policy_with("{fact: a, eq: 1}").replace("title: R", "title: ''")
    assert _problems(PolicyShape, text) == [
        ("bad-value", "'title' is empty: write some text", "12:16", None)
    ]


@pytest.mark.parametrize(("login", "hint"), [("Pat", "did you mean 'pat'? ids are lower case")])
def test_an_id_in_capitals_is_suggested_in_lower_case(login: str, hint: str) -> None:
    text = EVIDENCE + f"attestations:\n  - {{judgement: ok, by: {login}, date: 2026-01-01}}\n"
    found = _problems(EvidenceShape, text)
    assert [(code, tip) for code, _, _, tip in found] == [("bad-value", hint)]


def test_an_id_that_is_not_one_in_lower_case_either_gets_no_suggestion() -> None:
    text = EVIDENCE + "attestations:\n  - {judgement: ok, by: Pat Smith, date: 2026-01-01}\n"
    assert [tip for *_, tip in _problems(EvidenceShape, text)] == [None]
