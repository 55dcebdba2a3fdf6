"""What `validate` found: the valid policies and evidence files, or every problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from gatecheck.errors import Problem  # noqa: TC001

if TYPE_CHECKING:
    from collections.abc import Callable


class Validation(NamedTuple):
    """What `validate` found: the valid policies and evidence files, or every problem."""

    policies: tuple[str, ...]
    evidence: tuple[str, ...]
    problems: tuple[Problem, ...]
    schemas: tuple[str, ...] = ()  # facts schemas named to `validate FILE...`
    tests: tuple[str, ...] = ()  # policy test files: named, or the project's tests/ (validated)

    def summary(self, shown: Callable[[str], str] = str) -> str:
        """What was found valid, in words every format prints alike: `1 policy (p@1) and ...`.

        `shown` escapes the policies' names for the format.
        """
        policies, files = len(self.policies), len(self.evidence)
        parts = []
        if policies:  # none only for `validate FILE...` of other files: a project has policies
            names = shown(", ".join(self.policies))
            parts.append(f"{policies} polic{'y' if policies == 1 else 'ies'} ({names})")
        if policies or files:
            parts.append(f"{files} evidence file{'s' * (files != 1)}")
        schemas, tests = len(self.schemas), len(self.tests)
        if schemas:
            parts.append(f"{schemas} facts schema{'s' * (schemas != 1)}")
        if tests:
            parts.append(f"{tests} policy test file{'s' * (tests != 1)}")
        listed = f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else parts[0]
        verb = "is" if len(parts) == 1 and listed.startswith("1 ") else "are"
        return f"{listed} {verb} valid"
