"""`gatecheck record`, `attest` and `waive`: one change to a subject's evidence, shown or made."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from gatecheck.cli import dates
from gatecheck.cli.completion import completer
from gatecheck.cli.options import dry_run_option, gate_option, now_option, project_options
from gatecheck.cli.output import emit, say, use_color

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.cli.project_options import ProjectOptions
    from gatecheck.editing.evidence_files import EditResult


def _show_edit(result: EditResult, what: str, *, dry_run: bool, color: str | None) -> None:
    """The diff of a --dry-run, else the file changed and what changed in it."""
    from gatecheck.reporters.escape import terminal

    if dry_run and result.changed:
        styles = {"+": "green", "-": "red", "@": "cyan"}
        # Split at LF only: splitlines() would also split at U+2028, NEL, ... inside a line.
        lines = [line + "\n" for line in result.diff.split("\n")[:-1]]
        colored = use_color(color)
        emit(
            "".join(
                click.style(line, fg=styles.get(line[:1])) if colored else line for line in lines
            )
        )
        return
    unchanged = "" if result.changed else " (no change: already so)"
    emit(f"{terminal(result.path)}: {terminal(what)}{unchanged}\n")


@click.command(context_settings={"ignore_unknown_options": True})  # VALUE may be -1 or -W x
@click.argument("subject", shell_complete=completer("subject", paths=True))
@click.argument("fact")
@click.argument("value", required=False)
@click.option("--remove", is_flag=True, help="Delete FACT and its sources entry (give no VALUE).")
@click.option("--source-url", metavar="URL", help="Where the fact can be read (a web page).")
@click.option("--source-repository", metavar="OWNER/NAME", help="The repository it comes from.")
@click.option("--source-commit", metavar="SHA", help="The commit it was read at.")
@click.option("--source-file", metavar="PATH", help="The file in that repository.")
@click.option("--source-line", type=click.IntRange(min=1), metavar="N", help="The line in it.")
@click.option("--note", metavar="TEXT", help="A note kept with the source.")
@click.option(
    "--collected-at",
    callback=dates.past_date_or_none,
    metavar="YYYY-MM-DD",
    help="The day the fact was observed (default: today, UTC).",
)
@click.option(
    "--drop-comment",
    is_flag=True,
    help="Remove the comment at the end of the fact's line (kept by default, with a warning).",
)
@dry_run_option()
@project_options
def record(
    subject: str,
    fact: str,
    value: str | None,
    remove: bool,
    source_url: str | None,
    source_repository: str | None,
    source_commit: str | None,
    source_file: str | None,
    source_line: int | None,
    note: str | None,
    collected_at: dt.date | None,
    drop_comment: bool,
    dry_run: bool,
    options: ProjectOptions,
) -> None:
    """Set FACT (a dotted path such as fuzzing.since) to VALUE in SUBJECT's evidence.

    SUBJECT is a name or the path of its file in the evidence directory (not - nor a glob).

    VALUE is YAML, as in the evidence file: true, -1, 2024-09-30, [python, go], {ok: true}; null
    records a value known to be unknown. A source option (or --note, or --collected-at) replaces
    the fact's sources entry, with collected_at set to --collected-at or today (UTC). The edited
    file is validated before it is written, atomically, keeping comments and layout. A comment at
    the end of the fact's line is kept, with a warning on stderr that the new value may make it
    untrue; --drop-comment removes it. Exit 0 when done, 2 on invalid input.
    """
    from gatecheck.commands.record import comment_warnings
    from gatecheck.commands.subjects import subject_to_edit
    from gatecheck.editing.evidence_files import (
        REMOVE,
        FactChange,
        describe_fact,
        edit_evidence,
        parse_value,
    )

    given = {
        "url": source_url,
        "repository": source_repository,
        "commit": source_commit,
        "file": source_file,
        "line": source_line,
        "note": note,
    }
    has_source = collected_at is not None or any(item is not None for item in given.values())
    if value is not None and value.startswith("--"):
        msg = f"no such option: {value} (a VALUE that starts with -- is quoted: '\"{value}\"')"
        raise click.UsageError(msg)
    if remove == (value is not None) or (remove and has_source):
        msg = "give FACT a VALUE, or --remove it (without VALUE or source options)"
        raise click.UsageError(msg)
    source = {**given, "collected_at": collected_at or dates.today()} if has_source else None
    change = FactChange(fact, REMOVE if remove else parse_value(value or ""), source)
    project = options.open()
    subject = subject_to_edit(project, subject)
    result = edit_evidence(
        project, subject, facts=[change], dry_run=dry_run, drop_comments=drop_comment
    )
    _show_edit(result, describe_fact(change), dry_run=dry_run, color=options.color)
    for line in comment_warnings(result, dropped=drop_comment, dry_run=dry_run):
        say(line)


@click.command()
@click.argument("subject", shell_complete=completer("subject", paths=True))
@click.argument("judgement")
@click.option("--by", "login", required=True, metavar="LOGIN", help="Who vouches.")
@click.option(
    "--date",
    "day",
    callback=dates.past_date,
    metavar="YYYY-MM-DD",
    help="When (default: today, UTC).",
)
@click.option("--note", metavar="TEXT", help="What was looked at.")
@dry_run_option()
@now_option
@project_options
def attest(
    subject: str,
    judgement: str,
    login: str,
    day: dt.date,
    note: str | None,
    dry_run: bool,
    options: ProjectOptions,
) -> None:
    """Add an attestation: LOGIN vouches for JUDGEMENT (one the policy declares) on SUBJECT.

    SUBJECT is a name or the path of its file in the evidence directory (not - nor a glob). An
    identical attestation already there is not added twice. The attestation is then judged as
    the policy would on --now (default: today): when a condition that reads JUDGEMENT would not
    count it (LOGIN outside its reviewer group, a date too old or after --now, the claim's
    author), or no rule reads JUDGEMENT at all, a warning on stderr says why and what would make
    it count. Exit 0 when done (a warning included: the record is true, it only counts for
    nothing yet), 2 on invalid input (such as a judgement the policy does not declare).
    """
    from gatecheck.commands.attest import attestation_warnings
    from gatecheck.commands.subjects import subject_to_edit
    from gatecheck.editing.evidence_files import edit_evidence

    entry = {"judgement": judgement, "by": login, "date": day, "note": note}
    project = options.open()
    subject = subject_to_edit(project, subject)
    result = edit_evidence(project, subject, attestations=[entry], dry_run=dry_run)
    what = f"attestation {judgement} by {login} on {day.isoformat()}"
    _show_edit(result, what, dry_run=dry_run, color=options.color)
    written = {key: value for key, value in entry.items() if value is not None}
    for warning in attestation_warnings(project, subject, written, options.now):
        say(f"warning: {warning}")


@click.command()
@click.argument("subject", shell_complete=completer("subject", paths=True))
@click.argument("rule", shell_complete=completer("rule"))
@click.option("--reason", required=True, metavar="TEXT", help="Why the rule may be waived.")
@click.option("--approver", required=True, metavar="LOGIN", help="Who approved the waiver.")
@click.option(
    "--expires",
    required=True,
    callback=dates.date_or_today,
    metavar="YYYY-MM-DD",
    help="Its last day.",
)
@gate_option("Only in this gate (default: every gate).")
@dry_run_option()
@now_option
@project_options
def waive(
    subject: str,
    rule: str,
    reason: str,
    approver: str,
    expires: dt.date,
    dry_run: bool,
    options: ProjectOptions,
) -> None:
    """Add a waiver: RULE counts as passing for SUBJECT until --expires.

    SUBJECT is a name or the path of its file in the evidence directory (not - nor a glob).
    The waiver must be able to count on --now (default: today): an approver in the policy's
    `waivers` group, not the claim's author, an expiry not past and within the policy's `longest`.
    Exit 0 when done, 2 on invalid input (such as a rule or gate the policy does not have, or a
    waiver that would not count).
    """
    from gatecheck.commands.subjects import subject_to_edit
    from gatecheck.commands.waive import refuse_idle_waiver
    from gatecheck.editing.evidence_files import edit_evidence

    gate = options.gate
    entry = {"rule": rule, "gate": gate, "reason": reason, "approver": approver, "expires": expires}
    project = options.open()
    subject = subject_to_edit(project, subject)
    given = {key: value for key, value in entry.items() if value is not None}
    refuse_idle_waiver(project, subject, given, options.now)
    result = edit_evidence(project, subject, waivers=[entry], dry_run=dry_run)
    scope = f" in gate {gate}" if gate else ""
    what = f"waiver of {rule}{scope}, approved by {approver} until {expires.isoformat()}"
    _show_edit(result, what, dry_run=dry_run, color=options.color)
