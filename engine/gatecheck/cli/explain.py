"""`gatecheck explain`: what a rule or step requires, and evidence that would pass it."""

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
from gatecheck.cli.output import emit
from gatecheck.reporters.explain import render_json, render_text

if TYPE_CHECKING:
    from gatecheck.cli.project_options import ProjectOptions

RENDERERS = {"text": render_text, "json": render_json}


@click.command()
@click.argument("name", metavar="RULE|STEP", shell_complete=completer("rule-or-step"))
@policy_option(
    "NAME[@VERSION]", "The policy to look in (default: the default version of every policy)."
)
@gate_option()
@format_option(RENDERERS)
@now_option
@project_options
def explain(name: str, options: ProjectOptions) -> None:
    """Say what a rule or step requires: in words, as written, where from, what feeds it.

    RULE|STEP is rule-id, gate/rule-id or step-id; prefix rule: or step: when a name is both
    (else both are explained). Ends with evidence that would make it pass on --now. Exit 0, or
    2 on invalid input (such as an unknown name).
    """
    from gatecheck.commands.explain import explain as explain_name

    project = options.open()
    found = explain_name(project, name, policy=options.policy, gate=options.gate, now=options.now)
    emit(RENDERERS[options.fmt](found, options.now))  # the explanation has no colour
