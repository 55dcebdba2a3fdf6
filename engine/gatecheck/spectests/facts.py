"""Spec-test results to `spec_tests` facts: map each test to proposals, count, record.

The mapping is data (`spec_test_map.yaml`, shipped with the package): which .wast files test which
proposal, and how Wasmtime's test names carry the compiler and configuration. This module reads
it, counts each proposal's tests for one compiler, and turns the counts into fact changes that
`gatecheck.editing.evidence_files` writes with provenance.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.errors import InvalidInput, Location, Problem, known_names_hint

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Sequence

    from gatecheck.project.layout import Project
    from gatecheck.spectests.results import Results, Status

MAP_FILE = "spec_test_map.yaml"
FACTS = ("passed", "failed", "ignored")


class ProposalPatterns(NamedTuple):
    paths: tuple[str, ...]
    exclude: tuple[str, ...]

    def matches(self, relative: str) -> bool:
        return _any_match(self.paths, relative) and not _any_match(self.exclude, relative)


def _any_match(patterns: Iterable[str], relative: str) -> bool:
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relative if "/" in p else name, p) for p in patterns)


class SpecTestMap(NamedTuple):
    """The mapping table: where the suite starts in a name, compilers, configurations, proposals."""

    suite: str
    compilers: dict[str, str]  # --compiler name -> the name's first segment
    configurations: frozenset[str]
    proposals: dict[str, ProposalPatterns]

    def proposals_of(self, relative: str) -> list[str]:
        return [name for name, patterns in self.proposals.items() if patterns.matches(relative)]


def load_map(raw: bytes | None = None, path: str = f"<bundled>/{MAP_FILE}") -> SpecTestMap:
    """Read the mapping table (the bundled one unless `raw` is given)."""
    from gatecheck.loading.documents import load_bytes

    if raw is None:
        from importlib.resources import files

        raw = files("gatecheck.spectests").joinpath(MAP_FILE).read_bytes()
    data: Any = load_bytes(raw, path).data
    proposals = {
        str(name): ProposalPatterns(
            tuple(str(p) for p in entry.get("paths", ())),
            tuple(str(p) for p in entry.get("exclude", ())),
        )
        for name, entry in data["proposals"].items()
    }
    return SpecTestMap(
        str(data["suite"]),
        {str(k): str(v) for k, v in data["compilers"].items()},
        frozenset(str(c) for c in data.get("configurations", ())),
        proposals,
    )


class TestName(NamedTuple):
    compiler: str | None  # the name's compiler segment, if it has one
    relative: str | None  # the path below the spec suite; None: not a spec test


def split_name(name: str, table: SpecTestMap) -> TestName:
    """`CraneliftNative/pooling//r/tests/spec_testsuite/a/b.wast` -> (CraneliftNative, a/b.wast)."""
    normal = name.replace("\\", "/")
    first = normal.split("/", 1)[0]
    compiler = first if first in table.compilers.values() else None
    at = normal.rfind(table.suite)
    if at < 0 or not normal.endswith(".wast"):
        return TestName(compiler, None)
    return TestName(compiler, normal[at + len(table.suite) :])


_RANK: dict[str, int] = {"ignored": 0, "passed": 1, "failed": 2}


class Counts(NamedTuple):
    passed: int = 0
    failed: int = 0
    ignored: int = 0

    @property
    def ran(self) -> int:
        return self.passed + self.failed


class Tally(NamedTuple):
    """What the result files say, per proposal, for one compiler."""

    results: tuple[Results, ...]  # the files read
    compiler: str
    spec_tests: int  # distinct spec test files of this compiler
    per_proposal: dict[str, Counts]
    unmapped: tuple[str, ...]  # spec test files (relative paths) of no proposal
    other_compilers: int  # test outcomes of another compiler
    not_spec: int  # test outcomes that are not spec tests (misc, component model, unit tests)


def tally(results: Sequence[Results], table: SpecTestMap, compiler: str) -> Tally:
    """Count each proposal's spec tests for `compiler`.

    One .wast file counts once however many configurations (pooling, collectors) and files ran it:
    failed if any run failed, else passed if any passed, else ignored. Names without a compiler
    (another harness) count for every compiler.
    """
    wanted = table.compilers[compiler]
    status_of: dict[str, Status] = {}
    other = not_spec = 0
    for result in results:
        for outcome in result.outcomes:
            split = split_name(outcome.name, table)
            if split.relative is None:
                not_spec += 1
            elif split.compiler not in (None, wanted):
                other += 1
            else:
                known = status_of.get(split.relative)
                if known is None or _RANK[outcome.status] > _RANK[known]:
                    status_of[split.relative] = outcome.status
    per: dict[str, dict[str, int]] = {}
    unmapped: list[str] = []
    for relative, status in sorted(status_of.items()):
        names = table.proposals_of(relative)
        if not names:
            unmapped.append(relative)
        for name in names:
            counts = per.setdefault(name, dict.fromkeys(FACTS, 0))
            counts[status] += 1
    per_proposal = {name: Counts(**counts) for name, counts in sorted(per.items())}
    return Tally(
        tuple(results), compiler, len(status_of), per_proposal, tuple(unmapped), other, not_spec
    )


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
    problems: list[Problem] = []
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
    if problems:
        raise InvalidInput(problems)
    return plans


def no_spec_tests(found: Tally, table: SpecTestMap) -> Problem:
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
    problems: list[Problem] = []
    previews: dict[str, Any] = {}
    for plan in pending:
        try:
            previews[plan.subject] = edit_evidence(
                project, plan.subject, facts=changes(plan), dry_run=True
            )
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    done: list[Recorded] = []
    for plan in pending:
        result = previews[plan.subject]
        if not dry_run and result.changed:
            result = edit_evidence(project, plan.subject, facts=changes(plan), dry_run=False)
        done.append(Recorded(plan, result.diff, result.changed))
    return done


UNMAPPED_SHOWN = 10


def render(
    found: Tally,
    plans: Sequence[SubjectPlan],
    changed: dict[str, bool],
    *,
    dry_run: bool,
) -> str:
    r"""The text summary: what was read, each proposal's counts and what became of its evidence.

    File and test names come from CI artefacts: each is shown on its line with its control
    characters escaped, so a test named `x\n::error::...` cannot print a line of its own.
    """
    from gatecheck.reporters.escape import terminal

    lines = [
        f"read {terminal(r.path)} ({r.format}, {len(r.outcomes):,} tests, sha256 {r.sha256[:12]})"
        for r in found.results
    ]
    lines.append(
        f"compiler {found.compiler} ({found.spec_tests:,} spec tests, {len(found.unmapped):,} of "
        f"no proposal); skipped {found.other_compilers:,} tests of other compilers and "
        f"{found.not_spec:,} that are not spec tests"
    )
    width = max([len("proposal"), *(len(plan.subject) for plan in plans)])
    lines += ["", f"{'proposal':<{width}}  passed  failed  ignored"]
    for plan in plans:
        if plan.counts is None:
            numbers = f"{'-':>6}  {'-':>6}  {'-':>7}"
            what = "no tests in the results: left as it was"
        else:
            c = plan.counts
            numbers = f"{c.passed:>6}  {c.failed:>6}  {c.ignored:>7}"
            if plan.evidence is None:
                what = "no evidence file: not recorded"
            elif changed.get(plan.subject):
                what = f"{terminal(plan.evidence)} {'would change' if dry_run else 'updated'}"
            else:
                what = f"{terminal(plan.evidence)} unchanged"
        lines.append(f"{plan.subject:<{width}}  {numbers}  {what}")
    if found.unmapped:
        shown = ", ".join(terminal(name) for name in found.unmapped[:UNMAPPED_SHOWN])
        more = len(found.unmapped) - UNMAPPED_SHOWN
        tail = f" (and {more:,} more)" if more > 0 else ""
        lines += ["", f"{len(found.unmapped):,} spec tests of no proposal: {shown}{tail}"]
    return "\n".join(lines) + "\n"
