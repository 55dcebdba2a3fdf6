"""`record-tests`: spec-test results read, tallied per proposal, and written as evidence facts."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from gatecheck.project.layout import Project
    from gatecheck.spectests.facts import SubjectPlan
    from gatecheck.spectests.tally import Tally


class RecordTests(NamedTuple):
    """What to record: the results files, how they are written, and for whom."""

    files: tuple[str, ...]
    results_format: str  # `junit`, `libtest` or `auto`
    subjects: tuple[str, ...]  # empty: every proposal with tests and evidence
    compiler: str
    day: dt.date  # recorded as collected_at
    dry_run: bool


class Recorded(NamedTuple):
    """What a run of `record-tests` has to say: the diffs (with --dry-run), and the summary's data.

    The CLI renders the summary (`reporters.record_tests`): tests found, plans, what changed.
    """

    diffs: str | None  # None: not a dry run
    found: Tally
    plans: Sequence[SubjectPlan]
    changed: dict[str, bool]
    dry_run: bool


def record_spec_tests(project: Project, wanted: RecordTests) -> Recorded:
    """Read each results file, count one compiler's spec tests per proposal, record the counts.

    Raises InvalidInput when a file cannot be read or holds no spec test of the compiler.
    """
    from gatecheck.errors import InvalidInput
    from gatecheck.spectests import facts as spec_tests
    from gatecheck.spectests.mapping import load_map
    from gatecheck.spectests.results import read_results
    from gatecheck.spectests.tally import tally

    results = [read_results(path, wanted.results_format) for path in wanted.files]
    table = load_map()
    found = tally(results, table, wanted.compiler)
    if not found.spec_tests:
        raise InvalidInput([spec_tests.no_spec_tests(found, table)])
    plans = spec_tests.plan_subjects(
        project, table, found=found, subjects=list(wanted.subjects), day=wanted.day
    )
    recorded = spec_tests.record(project, plans, dry_run=wanted.dry_run)
    diffs = "".join(item.diff for item in recorded if item.changed) if wanted.dry_run else None
    changed = {item.plan.subject: item.changed for item in recorded}
    return Recorded(diffs, found, plans, changed, wanted.dry_run)
