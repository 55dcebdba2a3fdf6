"""Exit codes 2 and 3: bad input as located problems, a bug with its traceback.

Exit codes: 0 every evaluated gate passes; 1 a gate fails or lacks evidence; 2 usage error or
invalid input (every problem printed as file:line:col); 3 a bug in gatecheck (with a traceback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

import click

from gatecheck import __version__
from gatecheck.cli.output import say

if TYPE_CHECKING:
    from gatecheck.errors import InvalidInput

# The commands that write files: on invalid input, nothing was written (not evaluated).
EDIT_COMMANDS = ("record", "attest", "waive", "record-tests", "collect", "init")


class NotUtf8Argument(click.ClickException):
    """A command-line argument with bytes that are not UTF-8: a located problem, exit 2."""

    exit_code = 2

    def __init__(self, number: int, argument: str) -> None:
        from gatecheck.errors import Location, Problem

        self.problem = Problem(
            "not-utf8",
            f"'{argument}' is not UTF-8",
            Location(f"argument {number}", 0, 0),
            "gatecheck reads and writes UTF-8: pass values, names and paths in UTF-8",
        )
        super().__init__(self.problem.message)

    def show(self, file: Any = None) -> None:
        del file
        say(self.problem.render())
        say("gatecheck: 1 problem; nothing done")


def refuse_not_utf8(args: list[str]) -> None:
    """Raise NotUtf8Argument for the first argument that is not UTF-8.

    Python gives bytes that are not UTF-8 as surrogates, which no file, report or cache key can
    hold: refused here, once for every command, before any of them sees them.
    """
    for number, argument in enumerate(args, 1):
        try:
            argument.encode()
        except UnicodeEncodeError:
            raise NotUtf8Argument(number, argument) from None


def exit_invalid(ctx: click.Context, error: InvalidInput) -> NoReturn:
    """Print every located problem and a count on stderr, and exit 2."""
    say(str(error))
    count = len(error.problems)
    undone = "written" if ctx.invoked_subcommand in EDIT_COMMANDS else "evaluated"
    say(f"gatecheck: {count} problem{'s' * (count != 1)}; nothing {undone}")
    ctx.exit(2)


def run(command: click.Command) -> int:
    """Run the command line and return its exit status; an unexpected exception is a bug: 3."""
    try:
        command.main(prog_name="gatecheck")  # standalone mode: always ends in SystemExit
    except SystemExit as leave:
        code = leave.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except Exception:  # noqa: BLE001 - click handles usage errors; anything else is a bug
        import traceback

        traceback.print_exc()
        click.echo(
            f"gatecheck {__version__}: internal error (exit 3); report it with this traceback",
            err=True,
        )
        return 3
