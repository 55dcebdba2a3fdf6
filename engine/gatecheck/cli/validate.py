"""`gatecheck validate`: every policy, evidence and policy test file checked, problems located."""

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
@click.argument("files", nargs=-1, metavar="[FILE]...", type=click.Path())
@format_option(REPORTERS)
@project_options
def validate(files: tuple[str, ...], options: ProjectOptions) -> None:
    """Check every policy and evidence file, the step DAGs and all references; or only FILEs.

    Without FILE, the policy tests in tests/ beside the policies are checked too (not run).
    A FILE is a policy, evidence, a facts schema (*.json) or a policy test (*.test.yaml), told by
    its directory, suffix or content; each is checked with what it needs (an evidence file's
    policy). Prints ok and what was checked, or every problem as file:line:column on stderr
    (and, with a machine --format, on stdout in its shape). Exit 0 when all is valid, 2 when
    there are problems.
    """
    from gatecheck.commands.validate import validate_project

    project = options.open()
    if files:
        from gatecheck.commands.validate_files import validate_files

        result = validate_files(project, list(files))
    else:
        result = validate_project(project)
    reporter = REPORTERS[options.fmt]
    if result.problems and options.fmt != "text":  # machine formats also get them, in their shape
        emit(reporter.render_validation(result, color=use_color(options.color)))
    if result.problems:
        raise InvalidInput(result.problems)  # problems go to stderr, as for every command
    emit(reporter.render_validation(result, color=use_color(options.color)))
