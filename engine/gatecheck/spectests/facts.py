"""Spec-test counts to `spec_tests` facts: each proposal's fact changes, planned, then recorded.

`tally` counts each proposal's tests for one compiler (`mapping` says which tests are whose); this
module turns the counts into fact changes that `gatecheck.editing.evidence_files` writes with
provenance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem, Problems, known_names_hint
from gatecheck.spectests.mapping import MAP_FILE
from gatecheck.spectests.tally import FACTS

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from gatecheck.project.layout import Project
    from gatecheck.spectests.mapping import SpecTestMap
    from gatecheck.spectests.tally import Counts, Tally


class FactValue(NamedTuple):
    """One fact to record: an `editing.evidence_files.FactChange(path, value, source=source)`."""

    path: str
    value: Any
    source: dict[str, Any]


def fact_changes(counts: Counts, found: Tally, table: SpecTestMap, day: dt.date) -> list[FactValue]:
    """The `spec_tests` facts for one proposal's counts, each with the same provenance."""
    results, compiler = found.results, found.compiler
    files = ", ".join(result.name for result in results)
    read = "; ".join(f"{r.name} ({r.format}) sha256 {r.sha256}" for r in results)
    note = (
        f"gatecheck record-tests: {compiler} ({table.compilers[compiler]}) spec tests, "
        f"{counts.passed} passed, {counts.failed} failed, {counts.ignored} ignored; read {read}"
    )
    source = {"file": files, "collected_at": day, "note": note}
    changes = [FactValue(f"spec_tests.{key}", getattr(counts, key), source) for key in FACTS]
    if counts.ran:
        changes.insert(0, FactValue("spec_tests.enabled", True, source))  # noqa: FBT003
    return changes


class SubjectPlan(NamedTuple):
    """What `record-tests` records for one subject: its counts, evidence file and fact changes."""

    subject: str
    counts: Counts | None  # None: the results have no test of this proposal
    evidence: str | None  # the evidence file shown to users; None: there is none
    changes: tuple[FactValue, ...]


def plan_subjects(
    project: Project,
    table: SpecTestMap,
    *,
    found: Tally,
    subjects: Sequence[str],
    day: dt.date,
) -> list[SubjectPlan]:
    """What to record for each subject: the named ones, or every proposal in the table.

    A named subject must have evidence (`unknown-subject`) and a row in the table
    (`unmapped-subject`); without names, proposals without evidence are listed, not recorded.
    """
    problems = Problems()
    plans: list[SubjectPlan] = []
    for subject in subjects or sorted(table.proposals):
        evidence: str | None = None
        try:
            evidence = project.evidence_file(subject).display
        except InvalidInput as error:
            if subjects:
                problems.extend(error.problems)
                continue
        if subject not in table.proposals:
            problems.append(
                Problem(
                    "unmapped-subject",
                    f"the spec-test mapping has no proposal '{subject}'",
                    Location(f"<bundled>/{MAP_FILE}", 1, 1),
                    known_names_hint(subject, table.proposals, "proposal"),
                )
            )
            continue
        counts = found.per_proposal.get(subject)
        changes = (
            fact_changes(counts, found, table, day)
            if counts is not None and evidence is not None
            else []
        )
        plans.append(SubjectPlan(subject, counts, evidence, tuple(changes)))
    problems.raise_if_any()
    return plans


def no_spec_tests(found: Tally, table: SpecTestMap) -> Problem:
    """The problem of results that hold no spec test of the compiler asked for."""
    first = found.results[0].path
    what = f"{found.other_compilers:,} of other compilers, {found.not_spec:,} not spec tests"
    return Problem(
        "no-spec-tests",
        f"no spec test of compiler {found.compiler} ({table.compilers[found.compiler]}) in the "
        f"results ({what})",
        Location(first, 1, 1),
        f"spec tests have `{table.suite}` in their names; check --compiler "
        f"({', '.join(table.compilers)})",
    )


class Recorded(NamedTuple):
    """A plan as recorded: the diff of its evidence file, and whether the file changed."""

    plan: SubjectPlan
    diff: str
    changed: bool


def record(project: Project, plans: Sequence[SubjectPlan], *, dry_run: bool) -> list[Recorded]:
    """Write every plan's facts through `editing.evidence_files`, or show the diffs (`dry_run`).

    All edits are checked first (a dry run of each), so a problem in one subject's evidence leaves
    every file as it was; each file is then written atomically by `edit_evidence`.
    """
    from gatecheck.editing.evidence_files import (
        FactChange,
        edit_evidence,
    )

    def changes(plan: SubjectPlan) -> list[FactChange]:
        return [FactChange(c.path, c.value, source=c.source) for c in plan.changes]

    pending = [plan for plan in plans if plan.changes]
    problems = Problems()
    previews: dict[str, Any] = {}
    for plan in pending:
        with problems.collecting():
            previews[plan.subject] = edit_evidence(
                project, plan.subject, facts=changes(plan), dry_run=True
            )
    problems.raise_if_any()
    done: list[Recorded] = []
    for plan in pending:
        result = previews[plan.subject]
        if not dry_run and result.changed:
            result = edit_evidence(project, plan.subject, facts=changes(plan), dry_run=False)
        done.append(Recorded(plan, result.diff, result.changed))
    return done
