"""What `validate` found: the valid policies and evidence files, or every problem."""

from __future__ import annotations

from typing import NamedTuple

from gatecheck.errors import Problem  # noqa: TC001


class Validation(NamedTuple):
    """What `validate` found: the valid policies and evidence files, or every problem."""

    policies: tuple[str, ...]
    evidence: tuple[str, ...]
    problems: tuple[Problem, ...]
    schemas: tuple[str, ...] = ()  # facts schemas named to `validate FILE...`
    tests: tuple[str, ...] = ()  # policy test files named to `validate FILE...`
