"""The one `ProjectOptions` a command receives: its own options, completed by those before it.

Completion (`completion`) gathers them too, before the command runs; the decorators that declare
the options are in `options`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import click

from gatecheck.cli import dates
from gatecheck.cli.output import say

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.project.discovery import Layout
    from gatecheck.project.layout import Project


class ProjectOptions(NamedTuple):
    """Where the project is and how to report on it, as the command line gave them."""

    now: dt.date  # --now, else today (UTC)
    root: str | None = None
    policies: str | None = None
    evidence: str | None = None
    schemas: str | None = None
    color: str | None = None
    fmt: str = "text"
    gate: str | None = None
    policy: str | None = None  # --policy NAME@VERSION

    def layout(self) -> Layout:
        """The project's directories, as `discovery` finds them from these options."""
        from gatecheck.project.discovery import layout

        return layout(self.root, self.policies, self.evidence, self.schemas)

    def open(self, uses: tuple[str, ...] = ("policies", "evidence")) -> Project:
        """The project of a run (see `discovery`); says on stderr when bundled data stands in.

        `uses` names the directories worth the note: none for the Wasmtime collectors (`collect`,
        `history`), whose policy is the bundled one by design.
        """
        from gatecheck.project.bundled import BUNDLED
        from gatecheck.project.layout import open_project

        found = self.layout()
        project = open_project(
            found.root,
            found.policies,
            found.evidence,
            schemas=found.schemas,
            fallback=found.fallback,
        )
        bundled = [name for name in uses if getattr(project, name).display.startswith(BUNDLED)]
        if bundled and verbosity() >= 0:
            where = "here or above" if self.root is None else f"in {found.root}"
            say(
                f"gatecheck: no project {where} (a gatecheck.toml, [tool.gatecheck] or policies/):"
                f" using the bundled {' and '.join(bundled)}"
            )
        return project


_FIELDS = frozenset(ProjectOptions._fields)
# The options also accepted before the command: the command's own value wins.
_BEFORE_THE_COMMAND = ("root", "policies", "evidence", "schemas", "color")


def _top_params() -> dict[str, Any]:
    """The options given before the command (`gatecheck --root DIR evaluate ...`)."""
    ctx = click.get_current_context(silent=True)
    return ctx.find_root().params if ctx is not None else {}


def gather(params: dict[str, Any]) -> ProjectOptions:
    """The ProjectOptions in a command's parameters, completed by those before the command."""
    given = {name: value for name, value in params.items() if name in _FIELDS}
    top = _top_params()
    for name in _BEFORE_THE_COMMAND:
        if given.get(name) is None:
            given[name] = top.get(name)
    if given.get("now") is None:  # a command without --now (or completion, before it is read)
        given["now"] = dates.today()
    return ProjectOptions(**given)


def verbosity(*, quiet: bool = False, verbose: bool = False) -> int:
    """-1 quiet, 0 normal, 1 verbose: the command's flags, else those before the command."""
    top = _top_params()
    quiet = quiet or bool(top.get("quiet"))
    verbose = verbose or bool(top.get("verbose"))
    return (1 if verbose else 0) - (1 if quiet else 0)
