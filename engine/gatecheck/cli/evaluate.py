"""`gatecheck evaluate`: which gates each subject passes, and why the others do not."""

from __future__ import annotations

import sys

import click

from gatecheck.cli.completion import completer
from gatecheck.cli.options import (
    format_option,
    gate_option,
    now_option,
    policy_option,
    project_options,
    verbosity_options,
)
from gatecheck.cli.output import (
    emit,
    problems_rendered_as,
    progress_meter,
    say_policy_overridden,
    use_color,
)
from gatecheck.cli.project_options import ProjectOptions, verbosity
from gatecheck.reporters import REPORTERS


@click.command()
@click.argument(
    "subjects", nargs=-1, metavar="SUBJECT...", shell_complete=completer("subject", paths=True)
)
@click.option(
    "--all", "every", is_flag=True, help="Evaluate every subject in the evidence directory."
)
@gate_option()
@policy_option()
@format_option(REPORTERS)
@now_option
@verbosity_options
@project_options
def evaluate(
    subjects: tuple[str, ...], every: bool, quiet: bool, verbose: bool, options: ProjectOptions
) -> None:
    """Say which gates pass for each SUBJECT, and why the others do not.

    SUBJECT is a name, an evidence file's path, a quoted glob of either ('evidence/wasm-*.yaml',
    'tail-*'), or - for one evidence document on standard input.
    Exit 0 when every gate passes (a waived rule counts as passing), 1 when a gate fails or
    lacks evidence, 2 on invalid input.
    """
    from gatecheck.commands.evaluate import evaluate_subjects

    if every == bool(subjects):
        msg = "name one or more subjects, or pass --all (not both)"
        raise click.UsageError(msg)
    with problems_rendered_as(options.fmt), progress_meter() as progress:
        project = options.open()
        report = evaluate_subjects(
            project,
            list(subjects),
            every=every,
            gate=options.gate,
            now=options.now,
            policy=options.policy,
            progress=progress if every else None,
        )
    color = use_color(options.color)
    if options.fmt == "text":
        from gatecheck.reporters import text

        level = verbosity(quiet=quiet, verbose=verbose)
        emit(text.render(report, color=color, verbosity=level))
    else:
        emit(REPORTERS[options.fmt].render(report, color=color))
    if options.policy is not None:
        say_policy_overridden(report.subjects[0].policy)
    sys.exit(report.exit_code())
