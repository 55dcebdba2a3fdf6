"""`gatecheck init`: a new project's skeleton, from one of the examples."""

from __future__ import annotations

import click

from gatecheck.cli.output import emit
from gatecheck.commands.init import DEFAULT_EXAMPLE, EXAMPLES, init_project


@click.command()
@click.argument("directory", metavar="[DIR]", required=False, type=click.Path())
@click.option(
    "--example",
    type=click.Choice(EXAMPLES),
    default=DEFAULT_EXAMPLE,
    show_default=True,
    help="release: a library's release process, the one to learn from (steps with needs, "
    "attestations, a gate, tests); wasm-proposal: judge a new WebAssembly proposal in Wasmtime "
    "with copies of the bundled policies; blank: the smallest valid project.",
)
@click.pass_context
def init(ctx: click.Context, directory: str | None, example: str) -> None:
    """Write a working project into DIR (default: the current directory).

    A gatecheck.toml, a policy in policies/ with its facts schema in schemas/, one evidence
    file, a policy test in policies/tests/ and a GitHub Actions workflow (validate, test and the
    pre-merge check). The default example, release, shows every part of the language a new
    policy needs on a process everyone knows; docs/tutorial.md walks through it. Nothing is
    overwritten: if any of the files exists, nothing is written. Exit 0, or 2 when a file is
    in the way or DIR is not a directory. `gatecheck --root DIR init` is `gatecheck init DIR`.
    """
    top = ctx.find_root().params
    placed = [f"--{name}" for name in ("policies", "evidence", "schemas") if top.get(name)]
    if placed:  # init writes the standard layout, and its gatecheck.toml names it
        message = (
            f"{', '.join(placed)} does not apply to init: it writes policies/, evidence/ and"
            " schemas/ into DIR (move them after, and edit gatecheck.toml to match)"
        )
        raise click.UsageError(message)
    root = top.get("root")
    if directory is not None and root is not None and directory != root:
        message = f"--root {root} and DIR {directory} disagree: give one of them"
        raise click.UsageError(message)
    emit(init_project(directory or root or ".", example).render())
