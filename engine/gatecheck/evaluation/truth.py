"""The value of a condition alone (True, False or None), without building its explanation.

Plans judge every step of a policy, and verdicts are mostly passes; explaining all of them costs
several times more. `Truth` gives values through the compiled closures of `compiled` (which follow
exactly the semantics of `evaluation.Evaluator.check`: a property test holds the two to the same
answer on random conditions and facts), and the evaluator asks it first, explaining only what it
has to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.compiled import judge_of
from gatecheck.language.evidence import MISSING

if TYPE_CHECKING:
    from collections.abc import Callable

    from gatecheck.evaluation.observation import Observation
    from gatecheck.language.conditions import Attested, Condition
    from gatecheck.language.evidence import Evidence, Scope


class Truth:
    """The compiled conditions' context for one subject at one date (see `compiled.Context`)."""

    def __init__(
        self,
        evidence: Evidence,
        observation: Observation,
        attested: Callable[[Attested], bool | None],
    ) -> None:
        self.facts = evidence.facts
        self.steps = evidence.policy.steps_by_id
        self.observation = observation
        self.now = observation.now
        self.today = observation.today
        self.attested = attested  # attestations are few: the explaining evaluator judges them
        self._values: dict[str, bool | None] = {}

    def step(self, step_id: str) -> bool | None:
        """Whether a step's `done_when` holds; steps it refers to are judged first, iteratively."""
        values = self._values
        found = values.get(step_id, MISSING)
        if found is not MISSING:
            return found  # type: ignore[no-any-return]
        step = self.steps[step_id]
        if not step.refers:
            value = values[step_id] = judge_of(step.done_when)(self, None)
            return value
        pending: list[tuple[str, bool]] = [(step_id, False)]
        while pending:
            current, expanded = pending.pop()
            if current in values:
                continue
            if expanded:
                values[current] = judge_of(self.steps[current].done_when)(self, None)
                continue
            pending.append((current, True))
            pending.extend((ref, False) for ref in self.steps[current].refers if ref not in values)
        return values[step_id]

    def holds(self, condition: Condition, scope: Scope | None = None) -> bool | None:
        return judge_of(condition)(self, scope)
