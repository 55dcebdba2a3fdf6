"""`gatecheck validate`: every policy and evidence file checked, problems located."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gatecheck.cli.options import format_option, project_options
from gatecheck.cli.output import emit, use_color
from gatecheck.errors import InvalidInput
from gatecheck.reporters import REPORTERS

if TYPE_CHECKING:
    from gatecheck.cli.project_options import ProjectOptions


@click.command()
@format_option(REPORTERS)
@project_options
def validate(options: ProjectOptions) -> None:
    """Check every policy and evidence file, the step DAGs and all references.

    Prints ok and what was checked, or every problem as file:line:column on stderr (and, with a
    machine --format, on stdout in its shape). Exit 0 when all is valid, 2 when there are problems.
    """
    from gatecheck.commands.validate import validate_project

    project = options.open()
    result = validate_project(project)
    reporter = REPORTERS[options.fmt]
    if result.problems and options.fmt != "text":  # machine formats also get them, in their shape
        emit(reporter.render_validation(result, color=use_color(options.color)))
    if result.problems:
        raise InvalidInput(result.problems)  # problems go to stderr, as for every command
    emit(reporter.render_validation(result, color=use_color(options.color)))
