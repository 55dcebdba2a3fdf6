"""What compiling checks on the cold path (schema, steps, judgements, reviewers) and what it finds.

`condition_compiler`, `fact_paths` and `policy_compiler` share it; the caller builds it and reads
its `problems` after compiling.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gatecheck.errors import Problem


class Checks:
    """What the cold path checks while compiling, and the problems it finds."""

    def __init__(
        self,
        facts_schema: dict[str, Any] | None,
        step_ids: frozenset[str],
        judgements: frozenset[str],
        reviewer_groups: frozenset[str],
    ) -> None:
        self.facts_schema = facts_schema
        self.step_ids = step_ids
        self.judgements = judgements
        self.reviewer_groups = reviewer_groups
        self.problems: list[Problem] = []
