"""`gatecheck test`: run the policy tests (`*.test.yaml`) and report each case."""

from __future__ import annotations

import sys

import click

from gatecheck.cli.options import format_option, project_options
from gatecheck.cli.output import emit, use_color
from gatecheck.cli.project_options import ProjectOptions, verbosity
from gatecheck.reporters.policytests import RENDERERS


@click.command("test")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "-k", "keyword", metavar="SUBSTRING", help="Only the cases whose FILE::NAME contains it."
)
@format_option(RENDERERS)
@click.option(
    "-q", "--quiet", is_flag=True, help="Only the failing cases, explained, and the summary."
)
@project_options
def policy_tests(
    paths: tuple[str, ...], keyword: str | None, quiet: bool, options: ProjectOptions
) -> None:
    """Run the policy tests in each PATH: *.test.yaml files, or directories searched for them.

    PATH is relative to the current directory (to ROOT when --root is given), like --policies;
    the default is the tests/ directory beside the policies. Exit 0 when every case passes, 1
    when one fails, 2 on invalid input.
    """
    import os

    from gatecheck.policytests.files import run_policy_tests

    project = options.open()
    start = None if options.root is not None else os.getcwd()
    report = run_policy_tests(project, list(paths), keyword, start)
    render = RENDERERS[options.fmt]
    emit(render(report, color=use_color(options.color), verbosity=verbosity(quiet=quiet)))
    sys.exit(report.exit_code())
