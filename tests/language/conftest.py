"""Fixtures for the language's unit tests: conditions compiled from plain policy data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.documents import Document
from gatecheck.language.condition_compiler import ConditionCompiler

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.language.conditions import Condition

REVIEWERS = {"core": ["amy", "bob"], "solo": ["sam"]}


@pytest.fixture
def condition_of() -> Callable[[Any], Condition]:
    """Compile a condition as a policy's `require` is compiled, with the groups of `REVIEWERS`.

    Unchecked: the tests pass valid data.
    """

    def compile_condition(data: Any) -> Condition:
        document = Document("policies/p.yaml", data, {}, {})
        return ConditionCompiler(document, REVIEWERS, None).compile(data, ())

    return compile_condition
