"""What a compiled condition is: a judge, and the context it reads besides its own operands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from gatecheck.language.evidence import Scope

if TYPE_CHECKING:
    from gatecheck.evaluation.observation import Observation
    from gatecheck.language.conditions import Attested


class Context(Protocol):
    """What a compiled condition reads besides its own operands."""

    facts: dict[str, Any]
    today: int  # the day number of the date the subject is judged on
    observation: Observation  # when facts were observed, and which are stale

    def step(self, step_id: str) -> bool | None: ...

    def attested(self, condition: Attested) -> bool | None: ...


Judge = Callable[[Context, Scope | None], bool | None]
