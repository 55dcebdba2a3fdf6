"""`gatecheck history`: evidence replayed over a repository's history, gate flips and why."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from gatecheck.cli import dates
from gatecheck.cli.options import format_option, policy_option, project_options
from gatecheck.cli.output import emit, progress_meter, use_color
from gatecheck.reporters import HISTORY_REPORTERS

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.cli.project_options import ProjectOptions


@click.group()
def history() -> None:
    """Replay evidence over a repository's history: when each gate flipped, and why."""


@history.command("wasmtime")
@click.argument("path", type=click.Path(file_okay=False))
@click.option(
    "--subject", "subjects", multiple=True, metavar="S", help="Only this proposal (repeatable)."
)
@click.option(
    "--since",
    callback=dates.date_or_none,
    metavar="YYYY-MM-DD",
    help="Start at the first commit of this day (default: the whole history of --to).",
)
@click.option("--from", "start", metavar="REV", help="Start at this commit (not with --since).")
@click.option("--to", metavar="REV", help="End at this commit (default: HEAD).")
@click.option("--wasm-tools", type=click.Path(file_okay=False), help="A wasm-tools clone.")
@click.option(
    "--proposals", type=click.Path(file_okay=False), help="A WebAssembly/proposals clone."
)
@click.option(
    "--embedding",
    "embeddings",
    multiple=True,
    metavar="LANG=PATH",
    help="A clone of an embedding: python=, go= or dotnet= (repeatable).",
)
@policy_option()
@format_option(HISTORY_REPORTERS)
@project_options(evidence=False)
def history_wasmtime(
    path: str,
    subjects: tuple[str, ...],
    since: dt.date | None,
    start: str | None,
    to: str | None,
    wasm_tools: str | None,
    proposals: str | None,
    embeddings: tuple[str, ...],
    options: ProjectOptions,
) -> None:
    """Replay every proposal's facts over the commits of a Wasmtime clone at PATH, in memory.

    Each commit that changes a file the collector reads is judged on its own date by the policy
    version in force there (or --policy). Prints when each rule and gate flipped, when a proposal
    was declared (a tier, on by default), and each stretch where a declaration ran ahead of the
    evidence. Exit 0; 1 when a declaration ran ahead while its gate failed; 2 on bad input.
    """
    from gatecheck.collectors.commit_walk import ReplayOptions
    from gatecheck.commands.history.options import HistoryOptions
    from gatecheck.commands.history.replay import replay_history

    if since is not None and start is not None:
        msg = "give --since or --from, not both"
        raise click.UsageError(msg)
    replay = ReplayOptions(path, to, start, since, wasm_tools, proposals, embeddings)
    with progress_meter() as progress:
        found = replay_history(
            options.open(()), HistoryOptions(replay, subjects, options.policy), progress
        )
    emit(HISTORY_REPORTERS[options.fmt].render_history(found, color=use_color(options.color)))
    sys.exit(found.exit_code())
