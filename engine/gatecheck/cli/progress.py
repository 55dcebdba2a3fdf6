"""A progress line for long runs: `evaluating 1234/10000 ...`, redrawn in place on a terminal.

The CLI decides whether to show one (stderr is a terminal, NO_COLOR unset, TERM not dumb) and
passes the commands a `Meter` (a `gatecheck.progress.Progress`), or nothing: commands never look
at the terminal themselves. A meter redraws at most every `interval` seconds and draws nothing in
a run shorter than that, so a quick run never flickers; `close` erases the line (with spaces, no
escape codes).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable


class Stream(Protocol):
    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


INTERVAL = 0.1  # seconds between redraws: at most ten a second


class Meter:
    """One updating line on `stream`; call it with progress, `close` it at the end."""

    def __init__(
        self,
        stream: Stream,
        *,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.interval = interval
        self.clock = clock
        self.last = clock()  # nothing before the first interval has passed
        self.width = 0  # of the line on screen, to erase it

    def __call__(self, verb: str, done: int, total: int) -> None:
        now = self.clock()
        if now - self.last < self.interval:
            return
        self.last = now
        self._draw(f"{verb} {done}/{total} ...")

    def close(self) -> None:
        if self.width:
            self._draw("")

    def _draw(self, line: str) -> None:
        self.stream.write("\r" + line.ljust(self.width) + "\r" * bool(not line))
        self.stream.flush()
        self.width = len(line)


def wanted(*, is_tty: bool, environ: dict[str, str] | None = None) -> bool:
    """Whether to show progress: on a terminal that may animate (not NO_COLOR, not TERM=dumb)."""
    import os

    env = os.environ if environ is None else environ
    return is_tty and not env.get("NO_COLOR") and env.get("TERM", "") != "dumb"
