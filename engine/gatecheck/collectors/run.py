"""`gatecheck collect wasmtime`: open the repositories, collect every listed proposal, write.

Evidence is written only through `gatecheck.editing.edit_evidence` (validated, atomic, comments
kept). A fact the collector cannot determine is left as it is and reported with the reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from gatecheck.collectors.apis import exposed, load_api_table
from gatecheck.collectors.declared import declare, page_problems, read_pages
from gatecheck.collectors.phases import collect_phase
from gatecheck.collectors.repositories import fail, open_companion, open_wasmtime
from gatecheck.collectors.table import load_table
from gatecheck.collectors.wasmtime import Collected, Unknown, collect, list_proposals

if TYPE_CHECKING:
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.progress import Progress
    from gatecheck.project import Project

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


class SubjectResult(NamedTuple):
    subject: str
    path: str
    created: bool
    changed: bool
    diff: str
    collected: list[Collected]
    unknown: list[Unknown]


class CollectReport(NamedTuple):
    snapshots: list[Snapshot]
    subjects: list[SubjectResult]
    skipped: list[str]  # "name: reason"
    warnings: list[str]


def collect_wasmtime(  # noqa: C901, PLR0912 - the steps of one run, in order
    project: Project,
    options: CollectOptions,
    today: dt.date,
    progress: Progress | None = None,
) -> CollectReport:
    table = load_table()
    embeddings = _embeddings(options.embeddings)
    with contextlib.ExitStack() as stack:
        wasmtime = open_wasmtime(stack, table, options.wasmtime, options.rev)
        snapshots: dict[str, Snapshot | None] = {"wasmtime": wasmtime}
        missing = {"wasm-tools": "no --wasm-tools repository given"}
        if options.wasm_tools:
            snapshots["wasm-tools"] = open_companion(
                stack, table, "wasm-tools", options.wasm_tools, wasmtime=wasmtime
            )
        for lang in EMBEDDINGS:
            missing[lang] = f"no --embedding {lang}=PATH given"
            if lang in embeddings:
                snapshots[lang] = open_companion(
                    stack, table, lang, embeddings[lang], wasmtime=wasmtime
                )
        proposals = None
        if options.proposals:
            table.repositories.setdefault("proposals", {"name": "WebAssembly/proposals"})
            proposals = open_companion(
                stack,
                table,
                "proposals",
                options.proposals,
                wasmtime=wasmtime,
                rev=options.proposals_rev,
            )
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
        warnings = []
        if proposals is not None and proposals.date[:10] < wasmtime.date[:10]:
            warnings.append(
                f"the WebAssembly/proposals snapshot ({proposals.short}, {proposals.date[:10]}) is "
                f"older than the Wasmtime revision ({wasmtime.date[:10]}): phases voted since are "
                "not seen"
            )
        pages, apis = read_pages(wasmtime), load_api_table()  # Wasmtime's own word; its APIs
        warnings.extend(page_problems(pages))
        skipped = [f"{item.name}: {item.skipped}" for item in listed if item.skipped]
        results = []
        chosen = [
            item
            for item in listed
            if not item.skipped and (not options.subjects or item.name in options.subjects)
        ]
        for done, item in enumerate(chosen):
            if progress is not None:
                progress("collecting", done, len(chosen))
            if not item.known:
                warnings.append(
                    f"{item.name}: not in the collector table; spellings derived by rule"
                )
            facts = collect(table, item.name, snapshots, missing)
            facts.extend(exposed(apis, item.name, facts, wasmtime))
            if proposals is not None:
                phase, disagreements = collect_phase(table, item.name, proposals, wasmtime)
                facts.extend(phase)
                warnings.extend(disagreements)
            declared = declare(pages, item.name, facts)
            facts.extend(declared.facts)
            warnings.extend(declared.warnings)
            results.append(
                _write(
                    project,
                    item.name,
                    facts=facts,
                    snapshots=snapshots,
                    today=today,
                    as_of=dt.date.fromisoformat(wasmtime.date[:10]),
                    dry_run=options.dry_run,
                )
            )
        opened = [snapshot for snapshot in snapshots.values() if snapshot is not None]
        if proposals is not None:
            opened.append(proposals)
        return CollectReport(opened, results, skipped, warnings)


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


def _write(  # noqa: PLR0913 - keyword-only inputs of one step
    project: Project,
    subject: str,
    *,
    facts: list[Collected | Unknown],
    snapshots: dict[str, Snapshot | None],
    today: dt.date,
    as_of: dt.date,
    dry_run: bool,
) -> SubjectResult:
    from gatecheck.editing import FactChange, edit_evidence

    collected = [fact for fact in facts if isinstance(fact, Collected)]
    unknown = [fact for fact in facts if isinstance(fact, Unknown)]
    hows = {s.repository: s.how for s in snapshots.values() if s is not None}
    changes = [
        FactChange(fact=fact.fact, value=fact.value, source=_source(fact, today, hows))
        for fact in collected
    ]
    exists = project.evidence.file(f"{subject}.yaml") is not None
    # A new file describes the revision read: its date is the evidence's `as_of`.
    create = (
        None
        if exists
        else {"subject": subject, "policy": "wasm-proposal@1", "title": subject, "as_of": as_of}
    )
    result = edit_evidence(project, subject, facts=changes, create=create, dry_run=dry_run)
    return SubjectResult(
        subject, str(result.path), not exists, result.changed, result.diff, collected, unknown
    )


def _source(fact: Collected, today: dt.date, hows: dict[str, str]) -> dict[str, object]:
    source: dict[str, object] = {
        "repository": fact.repository,
        "commit": fact.commit,
        "file": fact.file,
    }
    if fact.line is not None:
        source["line"] = fact.line
    source["collected_at"] = today
    how = hows.get(fact.repository)
    source["note"] = f"{fact.note} [gatecheck collect; {how}]" if how else fact.note
    return source
