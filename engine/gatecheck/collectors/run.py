"""`gatecheck collect wasmtime`: open the repositories, collect every listed proposal, write.

A run has three parts. Opening the repositories at the revision (`open_wasmtime`,
`open_companion`) is I/O. Collecting a proposal's facts from those snapshots
(`proposal_facts.collect_facts`) and deciding what they make of its evidence
(`planning.plan_subject`) are pure, so a replay can run them in memory. Writing (`saving`) goes
only through `editing.evidence_files.edit_evidence` (validated, atomic, comments kept), which
hands the plan the file as it is under the lock.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.apis import load_api_table
from gatecheck.collectors.declared_pages import page_problems, read_pages
from gatecheck.collectors.listing import list_proposals
from gatecheck.collectors.proposal_facts import OwnWord, Snapshots, collect_facts
from gatecheck.collectors.repositories import (
    fail,
    not_given,
    open_companion,
    open_wasmtime,
    parse_embeddings,
)
from gatecheck.collectors.revision import (
    PlanContext,
    PolicyChoice,
    WasmtimeRevision,
    policy_in_force,
)
from gatecheck.collectors.saving import SubjectWritten, save_subject
from gatecheck.collectors.table import load_table

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import Table
    from gatecheck.progress import Progress
    from gatecheck.project.layout import Project


class CollectOptions(NamedTuple):
    wasmtime: str
    rev: str | None = None
    subjects: tuple[str, ...] = ()
    wasm_tools: str | None = None
    proposals: str | None = None
    proposals_rev: str | None = None
    embeddings: tuple[str, ...] = ()  # LANG=PATH
    dry_run: bool = False


class CollectReport(NamedTuple):
    snapshots: list[Snapshot]
    subjects: list[SubjectWritten]
    skipped: list[str]  # "name: reason"
    warnings: list[str]
    policy: PolicyChoice


def collect_wasmtime(
    project: Project,
    options: CollectOptions,
    today: dt.date,
    progress: Progress | None = None,
) -> CollectReport:
    table = load_table()
    with contextlib.ExitStack() as stack:
        snapshots = open_snapshots(stack, table, options)
        wasmtime = snapshots.wasmtime
        listed, why_none = list_proposals(table, wasmtime)
        if why_none:
            fail("not-wasmtime", f"no proposal list: {why_none}", options.wasmtime)
        names = [item.name for item in listed]
        for subject in options.subjects:
            if subject not in names:
                from gatecheck.errors import known_names_hint

                fail(
                    "unknown-proposal",
                    f"--subject {subject}: Wasmtime does not list it at {wasmtime.short}",
                    options.wasmtime,
                    known_names_hint(subject, names, "proposal"),
                )
        warnings = [
            f"{snapshot.short} ({snapshot.date[:10]}): {snapshot.caveat}"
            for snapshot in snapshots.opened()
            if snapshot.caveat
        ]
        context = context_for(project, table, snapshots, today)
        own = OwnWord(read_pages(snapshots.wasmtime), load_api_table())
        warnings.extend(page_problems(own.pages))
        skipped = [f"{item.name}: {item.skipped}" for item in listed if item.skipped]
        chosen = [
            item
            for item in listed
            if not item.skipped and (not options.subjects or item.name in options.subjects)
        ]
        results = []
        for done, item in enumerate(chosen):
            if progress is not None:
                progress("collecting", done, len(chosen))
            if not item.known:
                warnings.append(
                    f"{item.name}: not in the collector table; spellings derived by rule"
                )
            facts, disagreements = collect_facts(table, item.name, snapshots, own)
            warnings.extend(disagreements)
            result = save_subject(project, item.name, facts, context, dry_run=options.dry_run)
            warnings.extend(
                f"{item.name}: attestation {attestation} is dated after the revision's date "
                f"({context.revision.date}): judged on a day before it, the evidence is refused "
                "(dated-after-judging)"
                for attestation in result.plan.later_attestations
            )
            results.append(result)
        return CollectReport(snapshots.opened(), results, skipped, warnings, context.policy)


def open_snapshots(stack: contextlib.ExitStack, table: Table, options: CollectOptions) -> Snapshots:
    """Wasmtime at the revision and each companion given, at the commit that matches it."""
    embeddings = parse_embeddings(options.embeddings)
    wasmtime = open_wasmtime(stack, table, options.wasmtime, options.rev)
    by_key: dict[str, Snapshot | None] = {"wasmtime": wasmtime}
    missing = not_given()
    given = {"wasm-tools": options.wasm_tools, **embeddings}
    for key, path in given.items():
        if path:
            opened = open_companion(stack, table, key, path, wasmtime=wasmtime)
            by_key[key] = opened.snapshot
            missing[key] = opened.why_none
    proposals = None
    if options.proposals:
        table.repositories.setdefault("proposals", {"name": "WebAssembly/proposals"})
        opened = open_companion(
            stack,
            table,
            "proposals",
            options.proposals,
            wasmtime=wasmtime,
            rev=options.proposals_rev,
        )
        proposals, missing["proposals"] = opened.snapshot, opened.why_none
    return Snapshots(wasmtime, by_key, missing, proposals)


def context_for(
    project: Project, table: Table, snapshots: Snapshots, today: dt.date
) -> PlanContext:
    """The revision, the policy in force and how each snapshot was chosen, for `plan_subject`."""
    from gatecheck.loading.policies import load_policies

    policy = policy_in_force(table, snapshots.wasmtime)
    # `policy: wasm-proposal` means the default version: the same policy when that is the one
    name = policy.policy.partition("@")[0]
    resolved = load_policies(project).resolve(name)
    aliases = {policy.policy}
    if not isinstance(resolved, str) and resolved.ref == policy.policy:
        aliases.add(name)
    hows = {snapshot.repository: snapshot.how for snapshot in snapshots.opened()}
    return PlanContext(
        WasmtimeRevision.of(snapshots.wasmtime), policy, frozenset(aliases), hows, today
    )
