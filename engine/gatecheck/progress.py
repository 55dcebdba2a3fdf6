"""What a long run reports its progress to: `progress("evaluating", done, total)`.

The commands and the stages they drive call it; the CLI passes a terminal's `Meter`
(`cli.progress`), or nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What commands call: `progress("evaluating", done, total)`."""

    def __call__(self, verb: str, done: int, total: int) -> None: ...
