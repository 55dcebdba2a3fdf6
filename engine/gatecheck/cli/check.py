"""`gatecheck check`: the pre-merge job, refusing claims a change does not earn."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from gatecheck.cli.options import format_option, now_option, project_options
from gatecheck.cli.output import emit, problems_rendered_as, use_color
from gatecheck.reporters import REPORTERS

if TYPE_CHECKING:
    from gatecheck.cli.project_options import ProjectOptions


def _is_login(text: str) -> bool:
    """A GitHub login or a policy identifier: ASCII letters and digits, `-`, `_` and `.`."""
    return text[:1].isalnum() and text.isascii() and all(c.isalnum() or c in "-_." for c in text)


def _logins(approved_by: tuple[str, ...]) -> tuple[str, ...]:
    """The logins of every --approved-by, each repeated or separated by commas or spaces."""
    logins = tuple(login for given in approved_by for login in given.replace(",", " ").split())
    for login in logins:
        if not _is_login(login):
            msg = f"--approved-by: {login!r} is not a login (letters, digits, '-', '_', '.')"
            raise click.BadParameter(msg)
    return logins


@click.command()
@click.option(
    "--base",
    metavar="REF",
    help="Compare with this branch, tag or commit (default: merge base with the default branch).",
)
@click.option(
    "--all", "every", is_flag=True, help="Check the claims of every subject, not only changed ones."
)
@click.option(
    "--author",
    metavar="LOGIN",
    help="Who made the change (e.g. the pull request's author): their attestations do not count.",
)
@click.option(
    "--approved-by",
    "approved_by",
    metavar="LOGIN",
    multiple=True,
    help="A reviewer who approved the change outside it (e.g. an approving pull request review); "
    "repeat it, or separate logins with commas. Attestations and waivers the change adds count "
    "only when they name one of these (or the author).",
)
@click.option(
    "--fail-on-policy-change",
    is_flag=True,
    help="Exit 1 when the change touches a policy or facts schema, or moves a subject to another "
    "policy (else these are listed for review).",
)
@format_option(REPORTERS)
@now_option
@project_options
def check(
    base: str | None,
    every: bool,
    author: str | None,
    approved_by: tuple[str, ...],
    fail_on_policy_change: bool,
    options: ProjectOptions,
) -> None:
    """Refuse a change whose evidence claims gates it does not pass (the pre-merge job).

    Run in a git work tree. Finds the subjects whose evidence (or policy) changed since the base,
    validates every file, and judges each claimed gate by the policies as they are at the base.
    Exit 0 when every claim holds, 1 when one does not, 2 on invalid input or a git problem.
    """
    from gatecheck.commands.check import check_change
    from gatecheck.commands.check.options import CheckOptions

    logins = _logins(approved_by)
    change = CheckOptions(base, every, author, options.now, fail_on_policy_change, logins)
    with problems_rendered_as(options.fmt):
        found = options.layout()
        result = check_change(
            found.root,
            found.policies,
            found.evidence,
            change,
            schemas=found.schemas,
            fallback=found.fallback,
        )
    emit(REPORTERS[options.fmt].render_check(result, color=use_color(options.color)))
    sys.exit(result.exit_code())
