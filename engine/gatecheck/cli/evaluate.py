"""`gatecheck evaluate`: which gates each subject passes, and why the others do not."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from gatecheck.cli.completion import completer
from gatecheck.cli.options import (
    format_option,
    gate_option,
    jobs_option,
    now_option,
    policy_option,
    project_options,
    verbosity_options,
)
from gatecheck.cli.output import (
    emit_streamed,
    problems_rendered_as,
    progress_meter,
    say_policy_overridden,
    use_color,
)
from gatecheck.cli.project_options import ProjectOptions, verbosity
from gatecheck.reporters import REPORTERS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.evaluation.results import SubjectResult


@click.command()
@click.argument(
    "subjects", nargs=-1, metavar="SUBJECT...", shell_complete=completer("subject", paths=True)
)
@click.option(
    "--all", "every", is_flag=True, help="Evaluate every subject in the evidence directory."
)
@jobs_option
@gate_option()
@policy_option()
@format_option(REPORTERS)
@now_option
@verbosity_options
@project_options
def evaluate(
    subjects: tuple[str, ...],
    every: bool,
    jobs: int | None,
    quiet: bool,
    verbose: bool,
    options: ProjectOptions,
) -> None:
    """Say which gates pass for each SUBJECT, and why the others do not.

    SUBJECT is a name, an evidence file's path, a quoted glob of either ('evidence/wasm-*.yaml',
    'tail-*'), or - for one evidence document on standard input.
    Exit 0 when every gate passes (a waived rule counts as passing), 1 when a gate fails or
    lacks evidence, 2 on invalid input.
    """
    from gatecheck.commands.batch import available_cores
    from gatecheck.commands.evaluate import judged_subjects
    from gatecheck.reporters.streamed import subject_stream

    if every == bool(subjects):
        msg = "name one or more subjects, or pass --all (not both)"
        raise click.UsageError(msg)
    level = verbosity(quiet=quiet, verbose=verbose) if options.fmt == "text" else 0
    stream = subject_stream(
        options.fmt, options.now, color=use_color(options.color), verbosity=level
    )
    with problems_rendered_as(options.fmt), progress_meter() as progress:
        project = options.open()
        results = judged_subjects(
            project,
            list(subjects),
            every=every,
            gate=options.gate,
            now=options.now,
            policy=options.policy,
            progress=progress if every else None,
            jobs=jobs or available_cores(),
            explain_passes=stream.explains_passes,
        )
        first: list[str] = []
        emit_streamed(_first_policy(results, first), stream)
    if options.policy is not None and first:
        say_policy_overridden(first[0])
    sys.exit(0 if stream.tally.not_passing == 0 else 1)


def _first_policy(results: Iterator[SubjectResult], first: list[str]) -> Iterator[SubjectResult]:
    """The results, noting the first one's policy (the note --policy adds names it)."""
    for result in results:
        if not first:
            first.append(result.policy)
        yield result
