"""`gatecheck status`: every subject against one gate, as a matrix."""

from __future__ import annotations

import sys

import click

from gatecheck.cli.options import (
    format_option,
    gate_option,
    jobs_option,
    now_option,
    policy_option,
    project_options,
)
from gatecheck.cli.output import emit, emit_pieces, say_policy_overridden, use_color
from gatecheck.cli.project_options import ProjectOptions, verbosity
from gatecheck.reporters import STATUS_REPORTERS


@click.command()
@jobs_option
@gate_option("The gate to show (default: the first gate of the policy judging the most subjects).")
@policy_option()
@format_option(STATUS_REPORTERS)
@now_option
@click.option("-q", "--quiet", is_flag=True, help="Say less: only the subjects that do not pass.")
@project_options
def status(quiet: bool, jobs: int | None, options: ProjectOptions) -> None:
    """Show every subject against one gate: a matrix of subjects x the gate's rules.

    Exit 0 when every subject passes the gate, 1 otherwise, 2 on invalid input.
    """
    from gatecheck.commands.batch import available_cores
    from gatecheck.commands.status import streamed_status
    from gatecheck.reporters.status_matrix import STATUS_NEEDS

    project = options.open()
    needs = STATUS_NEEDS[options.fmt]
    with streamed_status(
        project,
        options.gate,
        options.now,
        options.policy,
        explained=needs.explained,
        plans=needs.plans,
        plans_limit=needs.plans_limit,
        jobs=jobs or available_cores(),
    ) as report:
        if options.fmt == "text":
            from gatecheck.reporters import text

            level = verbosity(quiet=quiet)
            emit(text.render_status(report, color=use_color(options.color), verbosity=level))
        elif options.fmt == "json":
            from gatecheck.reporters import json_status

            emit_pieces(json_status.status_chunks(report))
        elif options.fmt == "markdown":
            from gatecheck.reporters import markdown_status

            emit_pieces(markdown_status.status_chunks(report))
        elif options.fmt == "html":
            from gatecheck.reporters import html

            emit_pieces(html.status_chunks(report))
        else:
            emit(STATUS_REPORTERS[options.fmt].render_status(report))
        judged_by = report.subjects[0].policy
        code = report.exit_code()
    if options.policy is not None:
        say_policy_overridden(judged_by)
    sys.exit(code)
