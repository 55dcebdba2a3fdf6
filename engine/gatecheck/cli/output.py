"""What the command line writes: reports on stdout, notes on stderr, colour and progress."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TYPE_CHECKING

import click

from gatecheck.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import IO

    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.progress import Progress
    from gatecheck.reporters.streamed import SubjectStream

_SPOOL_IN_MEMORY = 1 << 20  # a section's bytes kept in memory before it goes to a temporary file


def emit(text: str, *, err: bool = False) -> None:
    """Write output: the one writer of every command, stdout or (`err`) stderr.

    Whatever the format, a control character its escaping let through is shown, not sent (see
    `escape.output`); colour is the reporters' choice, so click must not strip it.
    """
    from gatecheck.reporters.escape import output

    click.echo(output(text), nl=False, err=err, color=True)


def emit_pieces(pieces: Iterable[str]) -> None:
    """Write a report made piece by piece (a row at a time), each piece as it comes."""
    for piece in pieces:
        emit(piece)


def emit_streamed(results: Iterable[SubjectResult], stream: SubjectStream) -> None:
    """Write a report whose subjects are rendered as they come, once every subject is judged.

    Each section of the report (`reporters.streamed`) is kept in a `_Spool` until the end, so
    memory holds one subject at a time, and nothing reaches stdout before the run is known to
    be valid: on invalid input (raised by `results` when the files run out) nothing of the report
    is written, and the problems are reported as on any run, never after half a report.
    """
    from gatecheck.reporters.escape import output

    with contextlib.ExitStack() as stack:
        sections: dict[int, _Spool] = {}
        for result in results:
            for section, text in stream.subject(result):
                spool = sections.get(section)
                if spool is None:
                    spool = sections[section] = _Spool()
                    stack.callback(spool.close)
                spool.write(output(text))
        head, tail = stream.finish()
        emit(head)
        for section in sorted(sections):
            for chunk in sections[section].chunks():
                click.echo(chunk, nl=False, color=True)
        emit(tail)


class _Spool:
    """Text kept in memory up to `_SPOOL_IN_MEMORY` characters, then in a temporary file.

    `tempfile.SpooledTemporaryFile` does the same, but importing `tempfile` costs a one-subject
    run 4 ms (a tenth of it), for a file that run never needs: it is imported only on rolling over.
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.file: IO[str] | None = None

    def write(self, text: str) -> None:
        if self.file is not None:
            self.file.write(text)
            return
        self.parts.append(text)
        self.size += len(text)
        if self.size > _SPOOL_IN_MEMORY:
            import tempfile

            self.file = tempfile.TemporaryFile(  # noqa: SIM115 - closed by `close`, at the end
                "w+", encoding="utf-8", errors="surrogatepass"
            )
            self.file.writelines(self.parts)
            self.parts = []

    def chunks(self) -> Iterator[str]:
        """What was written, in order, in pieces of at most about `_SPOOL_IN_MEMORY` characters."""
        if self.file is None:
            yield "".join(self.parts)
            return
        self.file.seek(0)
        while chunk := self.file.read(_SPOOL_IN_MEMORY):
            yield chunk

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def say(line: str) -> None:
    """A line for people on stderr: notes, warnings, problems."""
    emit(line + "\n", err=True)


def say_policy_overridden(ref: str) -> None:
    """The note that a subject was judged by the policy --policy named, not its own."""
    say(f"gatecheck: judged by {ref}, as --policy asks")


def use_color(choice: str | None) -> bool:
    """Whether text output is coloured: --color, else NO_COLOR, FORCE_COLOR, a terminal."""
    choice = choice or "auto"
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@contextlib.contextmanager
def progress_meter() -> Iterator[Progress | None]:
    """A progress line on stderr when it is a terminal that may animate, else None."""
    from gatecheck.cli import progress

    if not progress.wanted(is_tty=sys.stderr.isatty()):
        yield None
        return
    meter = progress.Meter(sys.stderr)
    try:
        yield meter
    finally:
        meter.close()


def writable_streams() -> None:
    r"""Make stdout and stderr write any text: what their encoding lacks becomes `\uXXXX`.

    `PYTHONIOENCODING=latin-1` (or a C locale's ASCII) cannot encode `✓`; a file name that is not
    UTF-8 holds surrogates no encoder writes. Either would end a run in a traceback while writing
    its report; escaped, the report is whole, and a JSON report stays valid JSON.
    """
    import codecs

    from gatecheck.reporters.escape import unencodable

    codecs.register_error("gatecheck-escape", unencodable)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # detached or closed: nothing to do
                reconfigure(errors="gatecheck-escape")


@contextlib.contextmanager
def problems_rendered_as(fmt: str) -> Iterator[None]:
    """On invalid input, machine formats also get the problems, in their own shape, on stdout.

    CI reads stdout: annotations, SARIF, JUnit and the job summary then show every located problem
    (as `validate --format FMT` would), while stderr carries the usual text and the exit is 2.
    """
    try:
        yield
    except InvalidInput as error:
        if fmt != "text":
            from gatecheck.evaluation.validation_results import Validation
            from gatecheck.reporters import REPORTERS

            emit(REPORTERS[fmt].render_validation(Validation((), (), error.problems)))
        raise
