"""Problems found in the user's input, where they are, and the one exception that carries them."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator


class Location(NamedTuple):
    """A place in an input file; line and column count from 1."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        # Line 0 names a file that does not exist (an unknown subject): there is no line to show.
        return f"{self.path}:{self.line}:{self.column}" if self.line > 0 else self.path


class Problem(NamedTuple):
    """One thing wrong with an input file: where, what, and what to do about it.

    `code` is stable kebab-case (`yaml-syntax`, `unknown-step`, ...): tests and tools rely on it,
    and `gatecheck.problem_codes` registers each one with its meaning.
    """

    code: str
    message: str
    location: Location
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (
            self.location.path,
            self.location.line,
            self.location.column,
            self.code,
            self.message,
        )

    def render(self) -> str:
        line = printable(f"{self.location}: error: {self.message} [{self.code}]")
        return f"{line}\n  hint: {printable(self.hint)}" if self.hint else line


def printable(text: str) -> str:
    r"""Text from an input file with control characters shown (`\x1b`, `\n`, `\u202e`), not sent.

    Messages quote keys and values from files a pull request controls: raw, they could move a
    terminal's cursor, recolour it, turn a line around, or break a line that a CI tool parses.
    The one text escaper is the foundation's (`gatecheck.controls.terminal`), which the reporters'
    escapers build on.
    """
    from gatecheck.controls import terminal

    return terminal(text)


class GatecheckError(Exception):
    """Root of the exceptions gatecheck raises on purpose."""


class InvalidInput(GatecheckError):  # noqa: N818 - the name says what the user did, not "Error"
    """The input cannot be evaluated; carries every problem found, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(set(problems), key=Problem.sort_key))
        if __debug__:
            _check_registered(self.problems)
        super().__init__("\n".join(problem.render() for problem in self.problems))


def _check_registered(problems: Iterable[Problem]) -> None:
    """Refuse a code missing from `problem_codes`: a bug in gatecheck, which the tests would catch.

    Only where problems are raised, so it costs nothing on a run without them.
    """
    from gatecheck.problem_codes import PROBLEM_CODES

    unknown = sorted({p.code for p in problems} - PROBLEM_CODES.keys())
    if unknown:
        msg = f"problem codes not in gatecheck.problem_codes: {', '.join(unknown)}"
        raise AssertionError(msg)


class Problems(list[Problem]):
    """Problems collected across files (or fields), raised together once every one is found.

    The way gatecheck reports: never the first problem alone, but all of a run's at once.
    """

    @contextlib.contextmanager
    def collecting(self) -> Iterator[None]:
        """Run the block; if it raises InvalidInput, keep its problems and go on after the block."""
        try:
            yield
        except InvalidInput as error:
            self.extend(error.problems)

    def raise_if_any(self) -> None:
        """Raise every problem collected as one InvalidInput; do nothing if there is none."""
        if self:
            raise InvalidInput(self)


def known_names_hint(name: str, candidates: Iterable[str], kind: str) -> str:
    """Return a did-you-mean hint, or else the list of valid names.

    Pass the same collection for every problem of a file (a policy's steps, a schema's
    properties): its names are prepared once (see `suggestions`).
    """
    from gatecheck.suggestions import known_names

    known = known_names(candidates)
    names = known.sorted
    suggestion = known.closest(name)
    if suggestion:
        return f"did you mean '{suggestion}'?"
    if not names:
        return f"no {kind} is defined"
    shown = ", ".join(names[:16]) + (", ..." if len(names) > 16 else "")  # noqa: PLR2004
    consonant_y = kind.endswith("y") and kind[-2:-1] not in "aeiou"  # policy, but not key
    plural = kind[:-1] + "ies" if consonant_y else kind + "s"
    return f"known {plural}: {shown}"
