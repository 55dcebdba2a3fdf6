"""`gatecheck collect wasmtime`: open the repositories, collect every listed proposal, write.

A run has three parts. Opening the repositories at the revision (`open_wasmtime`,
`open_companion`) is I/O. Collecting a proposal's facts from those snapshots (`collect_facts`)
and deciding what they make of its evidence (`revision.plan_subject`) are pure, so a replay can
run them in memory. Writing goes only through `editing.evidence_files.edit_evidence` (validated,
atomic, comments kept), which hands the plan the file as it is under the lock.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.collectors.apis import exposed, load_api_table
from gatecheck.collectors.declared import declare, page_problems, read_pages
from gatecheck.collectors.phases import collect_phase, phase_facts_unknown
from gatecheck.collectors.repositories import fail, open_companion, open_wasmtime
from gatecheck.collectors.revision import (
    Context,
    Plan,
    PolicyChoice,
    Revision,
    plan_subject,
    policy_in_force,
)
from gatecheck.collectors.table import load_table
from gatecheck.collectors.wasmtime import Collected, Unknown, collect, list_proposals
from gatecheck.errors import InvalidInput

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.cli.progress import Progress
    from gatecheck.collectors.apis import ApiTable
    from gatecheck.collectors.declared import Pages
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.collectors.table import Table
    from gatecheck.project.layout import Project

EMBEDDINGS = ("python", "go", "dotnet")


class CollectOptions(NamedTuple):
    wasmtime: str
    rev: str | None = None
    subjects: tuple[str, ...] = ()
    wasm_tools: str | None = None
    proposals: str | None = None
    proposals_rev: str | None = None
    embeddings: tuple[str, ...] = ()  # LANG=PATH
    dry_run: bool = False


class CollectedSubject(NamedTuple):
    subject: str
    path: str
    created: bool
    changed: bool
    diff: str
    collected: list[Collected]
    unknown: list[Unknown]
    plan: Plan


class CollectReport(NamedTuple):
    snapshots: list[Snapshot]
    subjects: list[CollectedSubject]
    skipped: list[str]  # "name: reason"
    warnings: list[str]
    policy: PolicyChoice


class Snapshots(NamedTuple):
    """The repositories of one collection, and why those that are absent are."""

    wasmtime: Snapshot
    by_key: dict[str, Snapshot | None]  # the table's repository keys
    missing: dict[str, str]  # key -> why it is absent
    proposals: Snapshot | None  # WebAssembly/proposals, read only for the phase

    def opened(self) -> list[Snapshot]:
        found = [snapshot for snapshot in self.by_key.values() if snapshot is not None]
        return found + ([self.proposals] if self.proposals is not None else [])


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
            result = _write(project, item.name, facts, context, dry_run=options.dry_run)
            warnings.extend(
                f"{item.name}: attestation {attestation} is dated after the revision's date "
                f"({context.revision.date}): judged on a day before it, the evidence is refused "
                "(dated-after-judging)"
                for attestation in result.plan.later_attestations
            )
            results.append(result)
        return CollectReport(snapshots.opened(), results, skipped, warnings, context.policy)


class OwnWord(NamedTuple):
    """What Wasmtime says of itself at the revision: its proposal pages, and what its APIs need."""

    pages: Pages
    apis: ApiTable


def collect_facts(
    table: Table, name: str, snapshots: Snapshots, own: OwnWord
) -> tuple[list[Collected | Unknown], list[str]]:
    """Every fact the collector owns for proposal `name`, and warnings. Pure (reads snapshots)."""
    facts = collect(table, name, snapshots.by_key, snapshots.missing)
    warnings: list[str] = []
    if snapshots.proposals is None:
        facts.extend(phase_facts_unknown(snapshots.missing["proposals"]))
    else:
        phase, disagreements = collect_phase(table, name, snapshots.proposals, snapshots.wasmtime)
        facts.extend(phase)
        warnings.extend(disagreements)
    more, said = own_word_facts(own, name, facts, snapshots.wasmtime)
    return [*facts, *more], [*warnings, *said]


def own_word_facts(
    own: OwnWord, name: str, facts: list[Collected | Unknown], wasmtime: Snapshot
) -> tuple[list[Collected | Unknown], list[str]]:
    """The APIs' facts and what Wasmtime's pages declare, and where those contradict the others.

    They come last: whether an API exposes the proposal reads its switches, and comparing the
    pages with the code reads every other fact.
    """
    found = exposed(own.apis, name, facts, wasmtime)
    declared = declare(own.pages, name, [*facts, *found])
    return [*found, *declared.facts], declared.warnings


def open_snapshots(stack: contextlib.ExitStack, table: Table, options: CollectOptions) -> Snapshots:
    """Wasmtime at the revision and each companion given, at the commit that matches it."""
    embeddings = _embeddings(options.embeddings)
    wasmtime = open_wasmtime(stack, table, options.wasmtime, options.rev)
    by_key: dict[str, Snapshot | None] = {"wasmtime": wasmtime}
    missing = {
        "wasm-tools": "no --wasm-tools repository given",
        "proposals": "no --proposals repository given",
    }
    missing.update({lang: f"no --embedding {lang}=PATH given" for lang in EMBEDDINGS})
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


def context_for(project: Project, table: Table, snapshots: Snapshots, today: dt.date) -> Context:
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
    return Context(Revision.of(snapshots.wasmtime), policy, frozenset(aliases), hows, today)


def _embeddings(pairs: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        lang, sep, path = pair.partition("=")
        if not sep or lang not in EMBEDDINGS or not path:
            fail(
                "bad-embedding",
                f"--embedding {pair}: expected LANG=PATH with LANG one of {', '.join(EMBEDDINGS)}",
                pair,
            )
        found[lang] = path
    return found


def _write(
    project: Project,
    subject: str,
    facts: list[Collected | Unknown],
    context: Context,
    *,
    dry_run: bool,
) -> CollectedSubject:
    """Write the plan for `subject`, decided from its file as it is when the lock is held."""
    from gatecheck.editing.evidence_files import REMOVE, Changes, FactChange, edit_evidence

    planned: list[Plan] = []

    def decide(existing: dict[str, Any] | None) -> Changes:
        plan = plan_subject(existing, facts, context)
        planned.append(plan)
        changes = [FactChange(fact, REMOVE) for fact in plan.remove]
        changes += [FactChange(fact, value, source) for fact, (value, source) in plan.facts.items()]
        return Changes(changes, sources=plan.sources, envelope=plan.envelope)

    exists = project.evidence.file(f"{subject}.yaml") is not None
    # A new file describes the revision read: its date is the evidence's `as_of`.
    create = {
        "subject": subject,
        "policy": context.policy.policy,
        "title": subject,
        "as_of": context.revision.date,
    }
    try:
        result = edit_evidence(project, subject, create=create, dry_run=dry_run, decide=decide)
    except InvalidInput as error:
        switch = planned[-1].policy_switch if planned else None
        if switch is None:
            raise
        # what the other version does not have (a waiver of a rule it dropped): say why it matters
        why = (
            f"collect switches the policy from {switch[0]} to {switch[1]}, the version in force "
            f"at {context.revision.short}"
        )
        raise InvalidInput(
            problem._replace(hint=f"{why}; {problem.hint}" if problem.hint else why)
            for problem in error.problems
        ) from None
    return CollectedSubject(
        subject,
        str(result.path),
        not exists,
        result.changed,
        result.diff,
        [fact for fact in facts if isinstance(fact, Collected)],
        [fact for fact in facts if isinstance(fact, Unknown)],
        planned[-1],
    )
