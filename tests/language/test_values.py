"""language/values.py: the one value formatter, quoted for messages, bare as a policy writes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gatecheck.language.values import show, show_as_written


@pytest.mark.parametrize(
    ("value", "in_messages", "as_written"),
    [
        (True, "true", "true"),
        (None, "null", "null"),
        (3, "3", "3"),
        (1.5, "1.5", "1.5"),
        (dt.date(2024, 6, 1), "2024-06-01", "2024-06-01"),
        ("c-api", "c-api", "c-api"),
        ("v1.2_x", "v1.2_x", "v1.2_x"),
        ("two words", "'two words'", "two words"),
        ("", "''", ""),
        (["rust", "a b"], "[rust, 'a b']", "[rust, a b]"),
        (("x", 1), "[x, 1]", "[x, 1]"),
        ({"k": [False, None]}, "{k: [false, null]}", "{k: [false, null]}"),
    ],
)
def test_show(value: Any, in_messages: str, as_written: str) -> None:
    assert show(value) == in_messages
    assert show_as_written(value) == as_written
