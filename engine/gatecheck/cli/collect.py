"""`gatecheck collect`: evidence gathered from the repositories that hold it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gatecheck.cli import dates
from gatecheck.cli.options import dry_run_option, project_options
from gatecheck.cli.output import emit, progress_meter, say

if TYPE_CHECKING:
    from gatecheck.cli.project_options import ProjectOptions


@click.group()
def collect() -> None:
    """Collect evidence from the repositories that hold it (see docs/evidence.md)."""


@collect.command("wasmtime")
@click.argument("path", type=click.Path(file_okay=False))
@click.option(
    "--rev", metavar="REV", help="Read this commit straight from git (default: the work tree)."
)
@click.option(
    "--subject", "subjects", multiple=True, metavar="S", help="Only this proposal (repeatable)."
)
@click.option("--wasm-tools", type=click.Path(file_okay=False), help="A wasm-tools clone.")
@click.option(
    "--proposals", type=click.Path(file_okay=False), help="A WebAssembly/proposals clone."
)
@click.option(
    "--proposals-rev", metavar="REV", help="Its revision (default: the last before REV's date)."
)
@click.option(
    "--embedding",
    "embeddings",
    multiple=True,
    metavar="LANG=PATH",
    help="A clone of an embedding: python=, go= or dotnet= (repeatable).",
)
@dry_run_option("Show the changes; write nothing.")
@project_options
def collect_wasmtime(
    path: str,
    rev: str | None,
    subjects: tuple[str, ...],
    wasm_tools: str | None,
    proposals: str | None,
    proposals_rev: str | None,
    embeddings: tuple[str, ...],
    dry_run: bool,
    options: ProjectOptions,
) -> None:
    """Update each proposal's evidence from a Wasmtime repository at PATH (a clone, bare or not).

    Facts are found as the bundled table says; each gets its source (repository, commit, file,
    line). A fact that cannot be determined is left as it is and listed. Exit 0, or 2 on bad input.
    """
    from gatecheck.collectors.run import CollectOptions, collect_wasmtime
    from gatecheck.reporters.collect import render

    wanted = CollectOptions(
        path, rev, subjects, wasm_tools, proposals, proposals_rev, embeddings, dry_run
    )
    with progress_meter() as progress:
        report = collect_wasmtime(options.open(()), wanted, dates.today(), progress)
    for warning in report.warnings:
        say(f"warning: {warning}")
    emit(render(report, dry_run=dry_run))
