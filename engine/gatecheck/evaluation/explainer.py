"""What the explaining of one test reads from the evaluator: the evidence, its reads and truths.

`explained_tests` and `explained_collections` explain one kind of node each for `Evaluator`
(`explaining`); they see it through this protocol, so neither imports the evaluator that calls them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from gatecheck.evaluation.compiled import Truth
    from gatecheck.evaluation.observation import Observation
    from gatecheck.evaluation.outcomes import FactRead, Outcome
    from gatecheck.language.conditions import Condition, FactRef
    from gatecheck.language.evidence import Evidence, Scope


class Explainer(Protocol):
    """The evaluator as a test's explanation sees it."""

    evidence: Evidence
    observation: Observation
    truth: Truth

    def check(self, condition: Condition, scope: Scope | None = None) -> Outcome:
        """The explained outcome of `condition` on the subject (or on the item `scope`)."""
        ...

    def read(self, ref: FactRef, scope: Scope | None) -> FactRead:
        """A fact read for a test, with its staleness."""
        ...
