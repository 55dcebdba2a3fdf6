"""The options of the commands that read a project, written once and passed as one `ProjectOptions`.

`--root/--policies/--evidence/--schemas/--color` are added by `project_options`, which also accepts
them before the command (`gatecheck --root DIR evaluate x`); `--format`, `--now`, `--gate` and
`--policy` are placed by their own decorators, where each command's help lists them. Whatever the
command takes arrives in one immutable `ProjectOptions` instead of a parameter each.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, overload

import click

from gatecheck.cli import dates
from gatecheck.cli.completion import completer
from gatecheck.cli.project_options import ProjectOptions, gather

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


_ROOT_HELP = (
    "The project root: holds policies/, evidence/ and schemas/, or a gatecheck.toml naming them"
    " (default: found from the current directory up)."
)
_COLOR_HELP = (
    "Colour text output (default: auto, on a terminal unless NO_COLOR is set, or FORCE_COLOR)."
)


def location_options(*, evidence: bool = True) -> list[Callable[..., Any]]:
    """--root, --policies, --evidence, --schemas and --color, in the order help lists them."""
    options = [
        click.option("--root", type=click.Path(file_okay=False), help=_ROOT_HELP),
        click.option(
            "--policies",
            type=click.Path(),
            help="Policy directory (default: ROOT/policies, or the configuration's).",
        ),
    ]
    if evidence:
        options.append(
            click.option(
                "--evidence",
                type=click.Path(),
                help="Evidence directory (default: ROOT/evidence, or the configuration's).",
            )
        )
    options += [
        click.option(
            "--schemas",
            type=click.Path(),
            help="Facts-schema directory searched first (default: beside the policies).",
        ),
        click.option("--color", type=click.Choice(["auto", "always", "never"]), help=_COLOR_HELP),
    ]
    return options


def apply(func: Callable[..., Any], options: Iterable[Callable[..., Any]]) -> Callable[..., Any]:
    """Decorate `func` with `options`, the first listed first in help."""
    for option in reversed(list(options)):
        func = option(func)
    return func


@overload
def project_options(func: Callable[..., Any]) -> Callable[..., Any]: ...


@overload
def project_options(
    func: None = None, *, evidence: bool = True
) -> Callable[[Callable[..., Any]], Callable[..., Any]]: ...


def project_options(func: Callable[..., Any] | None = None, *, evidence: bool = True) -> Any:
    """Add the location options and call the command with `options=ProjectOptions(...)`.

    Goes below every other option decorator: the format, date, gate and policy options above it
    are gathered into the same object.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def with_options(**params: Any) -> Any:
            options = gather(params)
            rest = {
                name: value for name, value in params.items() if name not in ProjectOptions._fields
            }
            return command(options=options, **rest)

        return apply(with_options, location_options(evidence=evidence))

    return decorate if func is None else decorate(func)


def format_option(formats: Iterable[str]) -> Callable[..., Any]:
    """--format, offering the names of a registry of renderers (its keys, in its order)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(tuple(formats)),
        default="text",
        show_default=True,
        help="Output format.",
    )


def now_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--now: the judging date."""
    return click.option(
        "--now",
        callback=dates.date_or_today,
        metavar="YYYY-MM-DD",
        help="The judging date (default: today, UTC).",
    )(func)


def jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """-j/--jobs: how many processes judge (None: the cores this process may use)."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        metavar="N",
        help="Judge on N processes (default: the cores this process may use); the output is the"
        " same.",
    )(func)


def gate_option(text: str = "Only this gate.") -> Callable[..., Any]:
    """--gate, completed from the project's gates."""
    return click.option("--gate", metavar="GATE", help=text, shell_complete=completer("gate"))


def policy_option(
    metavar: str = "NAME@VERSION",
    text: str = "Judge by this version of the policy the evidence names (NAME alone: its "
    "default), to compare one subject under two versions.",
) -> Callable[..., Any]:
    """--policy: a policy by name and version."""
    return click.option("--policy", "policy", metavar=metavar, help=text)


def verbosity_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """-v and -q, as `evaluate` and the top level take them."""
    func = click.option(
        "-v", "--verbose", is_flag=True, help="Say more: explain the passing rules too."
    )(func)
    return click.option(
        "-q", "--quiet", is_flag=True, help="Say less: only what does not pass, and the summary."
    )(func)


def dry_run_option(
    text: str = "Print the change as a unified diff; write nothing.",
) -> Callable[..., Any]:
    """--dry-run: show the change, write nothing."""
    return click.option("--dry-run", is_flag=True, help=text)
