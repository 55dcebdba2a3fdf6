"""Shell completion of the project's names: subjects, gates, rules and steps."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    import click

    from gatecheck.commands.completion import NameKind


def completer(
    kind: NameKind, *, paths: bool = False
) -> Callable[[click.Context, click.Parameter, str], list[Any]]:
    """Complete names of `kind` from the project the command would read.

    Completion reads the project the command would (its options, or the search from the current
    directory) and never fails: a project it cannot read completes nothing. With `paths` (a
    SUBJECT that may be an evidence file's path), a word that starts like a path (`./`, `../`,
    `/`, `~`, or has a `/`), or one no subject's name starts with, is left to the shell's own file
    completion.
    """

    def complete(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        if paths and (incomplete.startswith((".", "~")) or "/" in incomplete):
            return [CompletionItem(incomplete, type="file")]

        from gatecheck.cli.project_options import gather
        from gatecheck.commands.completion import project_names

        try:
            with ctx.scope(cleanup=False):
                project = gather(ctx.params).open(uses=())  # completion says nothing
                names = project_names(project, kind)
        except Exception:  # noqa: BLE001 - a half-written project or option: no suggestions
            return []
        found = [CompletionItem(name) for name in names if name.startswith(incomplete)]
        if paths and not found:  # no subject starts so: perhaps a file (`ev` -> `evidence/`)
            return [CompletionItem(incomplete, type="file")]
        return found

    return complete
