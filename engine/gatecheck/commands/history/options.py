"""What `gatecheck history` is asked: the replay, its subjects, a policy to judge every point by."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from gatecheck.collectors.commit_walk import ReplayOptions


class HistoryOptions(NamedTuple):
    replay: ReplayOptions
    subjects: tuple[str, ...] = ()  # none: every proposal listed at some point
    policy: str | None = None  # --policy NAME@VERSION: judge every point by it
