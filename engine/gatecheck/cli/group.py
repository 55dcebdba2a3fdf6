"""The `gatecheck` command group: options before the command, each command loaded when named."""

from __future__ import annotations

import gc
import os
import sys
from importlib import import_module
from typing import Any, NoReturn

import click

from gatecheck import __version__
from gatecheck.cli import exits
from gatecheck.cli.options import apply, location_options, verbosity_options
from gatecheck.cli.output import writable_streams
from gatecheck.errors import InvalidInput

# Command name -> the module of gatecheck.cli that defines it, and its name there. A run imports
# only the module of its command (and the format list its options offer); --help imports all.
COMMANDS = {
    "attest": ("edit", "attest"),
    "check": ("check", "check"),
    "collect": ("collect", "collect"),
    "evaluate": ("evaluate", "evaluate"),
    "explain": ("explain", "explain"),
    "history": ("history", "history"),
    "init": ("init", "init"),
    "plan": ("plan", "plan"),
    "record": ("edit", "record"),
    "record-tests": ("record_tests", "record_tests"),
    "schema": ("schema", "schema"),
    "status": ("status", "status"),
    "test": ("policy_tests", "policy_tests"),
    "validate": ("validate", "validate"),
    "waive": ("edit", "waive"),
}


class Gatecheck(click.Group):
    """The commands, each loaded when named; InvalidInput from any is located problems, exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, name = COMMANDS[cmd_name]
        command: click.Command = getattr(import_module(f"gatecheck.cli.{module}"), name)
        return command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        exits.refuse_not_utf8(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        writable_streams()
        try:
            return super().invoke(ctx)
        except InvalidInput as error:
            exits.exit_invalid(ctx, error)


def _top_options(func: Any) -> Any:
    func = apply(func, location_options())
    func = verbosity_options(func)
    return click.version_option(__version__, "-V", "--version", prog_name="gatecheck")(func)


@click.group(
    cls=Gatecheck,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@_top_options
def cli(**_options: Any) -> None:
    """Check evidence against policies: which gates pass, and what to do next.

    The project is found from the current directory up, as ruff and pytest find theirs: the
    first directory with a gatecheck.toml, a pyproject.toml with [tool.gatecheck], or policies/.
    Options before the command apply to it (gatecheck --root DIR evaluate x).
    Shell completion: see docs/cli.md (eval "$(_GATECHECK_COMPLETE=bash_source gatecheck)").
    """


def run() -> int:
    """Run the command line and return its exit status (3 for a bug)."""
    return exits.run(cli)


def main() -> NoReturn:  # pragma: no cover - the console script, run in subprocesses
    """Entry point of the `gatecheck` script."""
    # A run is short and builds acyclic data: the cyclic collector would only slow it down (by
    # half again on large policies). For the same reason the process leaves without tearing its
    # objects down one by one (0.6 s after a 100,000-step plan): output is flushed, the cache
    # written atomically already, and the memory goes back to the system at once.
    gc.disable()
    code = run()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`gatecheck ... | head`): nothing more can be said
        code = code or 1
    os._exit(code)
