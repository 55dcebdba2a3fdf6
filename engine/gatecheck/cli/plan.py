"""`gatecheck plan`: a subject's next steps, as text or drawn as a graph."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gatecheck.cli.completion import completer
from gatecheck.cli.options import (
    format_option,
    gate_option,
    now_option,
    policy_option,
    project_options,
)
from gatecheck.cli.output import emit, say_policy_overridden, use_color
from gatecheck.reporters import PLAN_REPORTERS

if TYPE_CHECKING:
    from gatecheck.cli.project_options import ProjectOptions


@click.command()
@click.argument("subject", shell_complete=completer("subject", paths=True))
@gate_option()
@policy_option()
@format_option(PLAN_REPORTERS)
@now_option
@project_options
def plan(subject: str, options: ProjectOptions) -> None:
    """Print the next steps for SUBJECT: what is ready now, what is blocked and by what.

    Ends with what is left for each gate: its steps, each after what it waits for, and the
    failing or missing rules no remaining step covers. --format mermaid or dot draws the steps.
    SUBJECT is a name, an evidence file's path, a glob matching one, or - (standard input).
    Exit 0 when the plan is printed (whatever it says), 2 on invalid input.
    """
    from gatecheck.commands.plan import plan_subject

    project = options.open()
    report = plan_subject(project, subject, options.gate, options.now, options.policy)
    emit(PLAN_REPORTERS[options.fmt].render_plan(report, color=use_color(options.color)))
    if options.policy is not None:
        say_policy_overridden(report.policy)
