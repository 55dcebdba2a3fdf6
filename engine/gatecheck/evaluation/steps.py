"""Step states: each step judged after the steps its `done_when` refers to; done, ready, blocked.

The compiled values and the explained outcomes of steps are both resolved by `settle`, the one
loop that orders the references; `status` is the one rule from a step's own value and its needs'
to its state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from gatecheck.evaluation.rule_results import StepStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from gatecheck.language.policy import Step

Value = TypeVar("Value")


def settle(
    step_id: str,
    known: dict[str, Value],
    steps: Mapping[str, Step],
    judge: Callable[[str], Value],
) -> Value:
    """`known[step_id]`, judging first each step it refers to that `known` lacks (and storing it).

    Iterative, so a long chain of references cannot exhaust the interpreter's stack (the policy
    loader has ruled out cycles): every step is judged after the steps it refers to.
    """
    if step_id in known:
        return known[step_id]
    if not steps[step_id].refers:  # most steps: no order to work out
        value = known[step_id] = judge(step_id)
        return value
    pending: list[tuple[str, bool]] = [(step_id, False)]
    while pending:
        current, expanded = pending.pop()
        if current in known:
            continue
        if expanded:
            known[current] = judge(current)
            continue
        pending.append((current, True))
        pending.extend((ref, False) for ref in steps[current].refers if ref not in known)
    return known[step_id]


def status(done: bool, needs_done: Iterable[bool]) -> StepStatus:  # noqa: FBT001
    """Done when its `done_when` holds; else ready when every step it needs is done."""
    if done:
        return StepStatus.DONE
    return StepStatus.READY if all(needs_done) else StepStatus.BLOCKED


def first_ready(
    step_id: str,
    memo: dict[str, str | None],
    status_of: Callable[[str], StepStatus],
    needs_of: Callable[[str], tuple[str, ...]],
) -> str | None:
    """The first ready step found depth-first through unfinished needs, in policy order.

    A done step has none; a ready one is its own. Each step's answer is worked out once (in
    `memo`): rules that all wait on one long chain of needs walk it once, not once each (8,000
    rules on an 8,000-step chain took 144 s).
    """
    pending: list[tuple[str, bool]] = [(step_id, False)]
    while pending:
        current, expanded = pending.pop()
        if current in memo:
            continue
        state = status_of(current)
        needs = needs_of(current)
        if state is not StepStatus.BLOCKED:
            memo[current] = current if state is StepStatus.READY else None
        elif expanded:
            memo[current] = next((memo[n] for n in needs if memo[n] is not None), None)
        else:
            pending.append((current, True))
            pending.extend((need, False) for need in reversed(needs) if need not in memo)
    return memo[step_id]
