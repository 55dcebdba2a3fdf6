"""Malformed conditions: each reported with its code, message, line:col and hint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from tests.support.project import POLICY_HEAD, write_project

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA = (
    '{"type": "object", "properties": {'
    '"xs": {"type": "array", "items": {"type": "object",'
    ' "properties": {"ok": {"type": "boolean"}}}},'
    '"m": {"type": "object", "additionalProperties": {"type": "integer"}},'
    '"a": {"type": "integer"}}}'
)
NOT_HERE = "$item and $key exist only inside the `where` of some/every/none/count"


def _validate(tmp_path: Path, run_cli: Any, require: str) -> Any:
    policy = POLICY_HEAD + (
        "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
        "      - id: r\n        title: R\n        source: s\n"
        f"        require: {require}\n"
    )
    evidence = "subject: s\npolicy: t\nfacts: {a: 1, xs: [], m: {}}\n"
    root = write_project(tmp_path / "p", policy, {"s": evidence}, SCHEMA)
    return run_cli("validate", "--root", str(root))


@pytest.mark.parametrize(
    ("require", "where", "message", "hint"),
    [
        (
            "{count: {fact: xs}}",
            "14:18",
            "condition has no operator [missing-operator]",
            "add one operator, such as `eq: true` or `gte: 4`",
        ),
        (
            "{count: {fact: xs}, gte: 1, lte: 3}",
            "14:46",
            "condition has 2 operators (gte, lte); it takes one [too-many-operators]",
            "combine several tests with `all:`",
        ),
        (
            "{count: {fact: xs}, gte: -1}",
            "14:43",
            "'gte' of a count takes a whole number, not -1 [bad-operand]",
            "write a count such as 1",
        ),
        (
            "{count: {fact: xs}, gte: true}",
            "14:43",
            "'gte' of a count takes a whole number, not True [bad-operand]",
            "write a count such as 1",
        ),
        (
            "{count: {fact: a}, gte: 1}",
            "14:33",
            "'a' is a number, not a list or map [bad-operand]",
            None,
        ),
        ("{fact: $foo, eq: 1}", "14:25", "'$foo' is not defined here [unknown-variable]", NOT_HERE),
        (
            "{fact: $item, eq: 1}",
            "14:25",
            "'$item' is not defined here [unknown-variable]",
            NOT_HERE,
        ),
        (
            "{some: {fact: m, where: {fact: $key.x, eq: a}}}",
            "14:49",
            "$key has no fields [unknown-variable]",
            "write just $key",
        ),
        ("{fact: a..b, eq: 1}", "14:25", "fact path 'a..b' has an empty part [bad-fact]", None),
        (
            "{fact: xs.ok.zz, eq: 1}",
            "14:25",
            "fact 'xs.ok.zz' is not in the policy's facts schema ('xs' has no 'ok') [unknown-fact]",
            "no fact is defined",
        ),
    ],
)
def test_malformed_condition(  # noqa: PLR0917 - pytest passes the parameters by name
    tmp_path: Path, run_cli: Any, require: str, where: str, message: str, hint: str | None
) -> None:
    run = _validate(tmp_path, run_cli, require)
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert lines[0] == f"policies/t.yaml:{where}: error: {message}"
    if hint is None:
        assert lines[1] == "gatecheck: 1 problem; nothing evaluated"
    else:
        assert lines[1:] == [f"  hint: {hint}", "gatecheck: 1 problem; nothing evaluated"]


def test_key_of_a_map_is_any_value(tmp_path: Path, run_cli: Any) -> None:
    run = _validate(tmp_path, run_cli, "{some: {fact: m, where: {fact: $key, eq: a}}}")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "ok: 1 policy (t@1) and 1 evidence file are valid\n"
