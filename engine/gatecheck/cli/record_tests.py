"""`gatecheck record-tests`: spec-test results recorded as each proposal's `spec_tests` facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gatecheck.cli import dates
from gatecheck.cli.options import dry_run_option, project_options
from gatecheck.cli.output import emit
from gatecheck.spectests.results import FORMATS

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.cli.project_options import ProjectOptions


@click.command("record-tests")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="FILE..."
)
@click.option(
    "--format",
    "results_format",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="How the files are written: JUnit XML, or `cargo test` output (auto: XML if it starts "
    "with <).",
)
@click.option(
    "--subject",
    "subjects",
    multiple=True,
    metavar="SUBJECT",
    help="Only this subject (repeatable; default: every proposal with tests and evidence).",
)
@click.option(
    "--compiler",
    type=click.Choice(("cranelift", "winch", "pulley")),  # spec_test_map.yaml's compilers (tested)
    default="cranelift",
    show_default=True,
    help="Count the tests Wasmtime ran with this compiler.",
)
@dry_run_option("Show the changes as diffs; write nothing.")
@click.option(
    "--collected-at",
    "day",
    callback=dates.past_date,
    metavar="YYYY-MM-DD",
    help="The date recorded as collected_at (default: today, UTC).",
)
@project_options
def record_tests(
    files: tuple[str, ...],
    results_format: str,
    subjects: tuple[str, ...],
    compiler: str,
    dry_run: bool,
    day: dt.date,
    options: ProjectOptions,
) -> None:
    """Record spec-test results as each proposal's `spec_tests` facts.

    Reads each FILE (JUnit XML, or the output of `cargo test --test wast -- --format pretty`),
    maps every spec test to proposals, counts passed, failed and ignored per proposal for one
    compiler, and writes the counts with their provenance into the evidence. Proposals without
    tests in the files are left as they were. Exit 0 when recorded, 2 on invalid input.
    """
    from gatecheck.commands.record_tests import RecordTests, record_spec_tests
    from gatecheck.reporters.record_tests import render

    wanted = RecordTests(files, results_format, subjects, compiler, day, dry_run)
    recorded = record_spec_tests(options.open(), wanted)  # the summary has no colour
    if recorded.diffs is not None:
        emit(recorded.diffs)
    emit(render(recorded.found, recorded.plans, recorded.changed, dry_run=recorded.dry_run))
