"""`gatecheck init`: a new project's skeleton, from one of the examples."""

from __future__ import annotations

import click

from gatecheck.cli.output import emit
from gatecheck.commands.init import DEFAULT_EXAMPLE, EXAMPLES, init_project


@click.command()
@click.argument("directory", metavar="[DIR]", default=".", type=click.Path())
@click.option(
    "--example",
    type=click.Choice(EXAMPLES),
    default=DEFAULT_EXAMPLE,
    show_default=True,
    help="release: a library's release process, the one to learn from (steps with needs, "
    "attestations, a gate, tests); wasm-proposal: judge a new WebAssembly proposal in Wasmtime "
    "with copies of the bundled policies; blank: the smallest valid project.",
)
def init(directory: str, example: str) -> None:
    """Write a working project into DIR (default: the current directory).

    A gatecheck.toml, a policy in policies/ with its facts schema in schemas/, one evidence
    file, a policy test in policies/tests/ and a GitHub Actions workflow (validate, test and the
    pre-merge check). The default example, release, shows every part of the language a new
    policy needs on a process everyone knows; docs/tutorial.md walks through it. Nothing is
    overwritten: if any of the files exists, nothing is written. Exit 0, or 2 when a file is
    in the way or DIR is not a directory.
    """
    emit(init_project(directory, example).render())
