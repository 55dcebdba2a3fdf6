"""`gatecheck schema`: JSON Schemas for editors, printed or written into a directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gatecheck.cli.options import policy_option, project_options
from gatecheck.cli.output import emit
from gatecheck.language.json_schemas import KINDS

if TYPE_CHECKING:
    from gatecheck.cli.project_options import ProjectOptions


@click.command()
@policy_option(
    "NAME[@VERSION]",
    "The complete evidence schema of this policy (NAME alone: its default version).",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="The policy-language schema, or the evidence envelope (facts unchecked).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Write every schema (or --policy's with the two general ones) into DIR; list them.",
)
@project_options
def schema(kind: str | None, out: str | None, options: ProjectOptions) -> None:
    """Print a JSON Schema for editors, or with --out write them all (see docs/editors.md).

    Without --out, name one: --policy P prints the schema of a whole evidence file judged by P
    (facts, claims, waivers and judgements checked), --kind policy|evidence a general one.
    Exit 0, or 2 on invalid input (such as an unknown policy).
    """
    from gatecheck.commands.schema import general_schema, policy_schema, write_all_schemas

    ref = options.policy
    if out is None and (ref is None) == (kind is None):
        msg = "name one schema: --policy NAME[@VERSION] or --kind policy|evidence (or use --out)"
        raise click.UsageError(msg)
    if ref is not None and kind is not None:
        msg = "--policy and --kind name different schemas: give one"
        raise click.UsageError(msg)
    if out is None and kind is not None:
        emit(general_schema(kind))
        return
    if out is None:
        assert ref is not None  # noqa: S101 - checked above: no --out and no --kind
        emit(policy_schema(options.open(), ref))
        return
    for path in write_all_schemas(options.open(), ref, out):
        emit(f"wrote {path}\n")
