"""`gatecheck status`: every subject whose policy has a gate, judged on it: the status matrix.

The subjects are judged one evidence file at a time and each is let go once its row (and, when
the format shows it, its plan) is in the spool (`commands.spool`): a run over 100,000 files keeps
in memory a small entry per subject (its order, its declared facts, where its row is), not the
subjects' evidence, evaluators and results.
"""

from __future__ import annotations

import bisect
import contextlib
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from gatecheck.errors import InvalidInput, Problem, known_names_hint

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Sequence

    from gatecheck.commands.batch import Batch
    from gatecheck.commands.spool import Spool
    from gatecheck.evaluation.results import GateResult
    from gatecheck.evaluation.status_results import StatusReport
    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Policy
    from gatecheck.project.input_file import InputFile
    from gatecheck.project.layout import Project

# Which plans a format shows: every subject's (html), those of the subjects not passing
# (markdown), or none (text, json): plans are built only for those.
Plans = Literal["all", "failing", "none"]


def status_report(
    project: Project, gate: str | None, now: dt.date, policy: str | None = None
) -> StatusReport:
    """`streamed_status`'s report held in memory: every row and plan (for tests and benches)."""
    with streamed_status(project, gate, now, policy) as report:
        return report._replace(subjects=tuple(report.subjects), plans=dict(report.plans))


@contextlib.contextmanager
def streamed_status(  # noqa: PLR0913 - the command's options, and what the format needs
    project: Project,
    gate: str | None,
    now: dt.date,
    policy: str | None = None,
    *,
    explained: bool = True,
    plans: Plans = "all",
    plans_limit: tuple[int, int] | None = None,
) -> Iterator[StatusReport]:
    """Every subject whose policy has `gate`, judged on that gate alone: the status matrix.

    `gate` defaults to the first gate of the policy that judges the most subjects (ties: the one
    met first, in evidence file order), e.g. `enable-by-default` for the bundled evidence. The
    columns are the gate's rules in policy order; subjects judged by policies whose gate differs
    add their other rules after, in the order first met. Rows: the subjects that claim the gate
    and do not pass it first, then the others not passing, then those passing, each by name.
    `policy` (`--policy NAME@VERSION`) judges the subjects of policy NAME by that version, and
    leaves the others out, as `evaluate --all --policy` does.

    The report's rows and plans are read from a temporary file while the context lasts; a
    verdict is explained only if `explained` (the format shows why), and `plans` says whose plans
    are built; `plans_limit` (ABOVE, FIRST), for a format that shows above ABOVE subjects only the
    plans of the FIRST subjects not passing, builds no others once there are more than ABOVE.
    Invalid input is raised (every problem, as InvalidInput) before the report is handed over.
    """
    import tempfile

    from gatecheck.commands.batch import Batch
    from gatecheck.commands.evaluate import Outcome
    from gatecheck.commands.spool import Spool
    from gatecheck.commands.subjects import evidence_files, judging_policy
    from gatecheck.loading.policies import load_policies

    files = evidence_files(project, [], every=True)
    policies = load_policies(project)
    judged_by = None if policy is None else judging_policy(project, policies, policy)
    batch = Batch(policies, now, None, judged_by, every=True, option=policy)
    outcome = Outcome(policies.problems, gate=None, every=True)
    with tempfile.TemporaryFile() as file:
        matrix = _Matrix(Spool(file), batch, gate, explained=explained, plans=plans)
        matrix.plans_limit = plans_limit
        for index, each in enumerate(files):
            evidence, judged = batch.load(each)
            outcome.add(judged)
            if evidence is not None and outcome.clean:
                matrix.add(index, evidence)
        outcome.raise_if_any(project, policy)
        yield matrix.report(files)


class _Seen(NamedTuple):
    """A policy some evidence is judged by: the first such subject, and how many there are."""

    policy: Policy
    first: str  # the first subject it judges, in file order
    at: int  # that subject's file's position
    subjects: int


class _Entry(NamedTuple):
    """What memory keeps of a judged subject: its place in the matrix and where its row is."""

    rank: int
    subject: str
    at: int  # its file's position, the order of ties
    gate: str  # the gate it was judged on
    row: int  # its row's offset in the spool
    plan: int | None  # its plan's, if planned
    stated: dict[str, Any]  # its declared facts


class _Matrix:
    """The subjects judged so far, each on the gate asked for (or its own policy's first)."""

    def __init__(
        self, spool: Spool, batch: Batch, gate: str | None, *, explained: bool, plans: Plans
    ) -> None:
        self.spool, self.batch, self.gate = spool, batch, gate
        self.explained, self.plans = explained, plans
        self.seen: dict[str, _Seen] = {}
        self.policy_of: list[tuple[int, str]] = []  # (file position, policy ref) of each subject
        self.entries: list[_Entry] = []
        self.leader: str | None = None  # without a gate: the policy judging the most so far
        self.plans_limit: tuple[int, int] | None = None
        self.judged: dict[str, int] = {}  # subjects judged on each gate
        self.first_failing: dict[str, list[tuple[int, str, int]]] = {}  # by gate: sorted keys

    def add(self, index: int, evidence: Evidence) -> None:
        """Judge one subject's evidence on the gate (while it is unknown: its policy's first)."""
        policy = evidence.policy
        seen = self.seen.get(policy.ref)
        if seen is None:
            self.seen[policy.ref] = _Seen(policy, evidence.subject, index, 1)
        else:
            self.seen[policy.ref] = seen._replace(subjects=seen.subjects + 1)
        self.policy_of.append((index, policy.ref))
        if self.gate is not None:
            gate: str | None = self.gate
        else:
            # Until every file is read, the gate is a guess: the first gate of the policy judging
            # the most subjects so far. Subjects of other policies wait (`_judge_again`), so that
            # they are judged once, on the gate chosen; with one policy none waits.
            leader = self.seen.get(self.leader) if self.leader is not None else None
            if leader is None or self.seen[policy.ref].subjects > leader.subjects:
                self.leader = policy.ref
            gate = policy.gates[0].id if self.leader == policy.ref and policy.gates else None
        if gate is not None and policy.gate(gate) is not None:
            self._judge(index, evidence, gate)

    def _judge(self, index: int, evidence: Evidence, gate: str) -> None:
        from gatecheck.evaluation.explaining import Evaluator
        from gatecheck.evaluation.planning import build_plan
        from gatecheck.evaluation.verdicts import judge_subject
        from gatecheck.language.evidence import MISSING, lookup

        policy_gate = evidence.policy.gate(gate)
        assert policy_gate is not None  # noqa: S101 - the caller made sure
        evaluator = Evaluator(evidence, self.batch.now)
        row = judge_subject(evaluator, [policy_gate])
        for rule in row.gates[0].rules:  # the evaluator is let go: explained now, or never
            rule.settle(explained=self.explained)
        verdict = row.gates[0]
        rank = _status_rank(verdict)
        self.judged[gate] = self.judged.get(gate, 0) + 1
        planned = self._planned(gate, (rank, row.subject, index), passing=verdict.status.passing)
        plan = self.spool.put(build_plan(evaluator, gate)) if planned else None
        said = {c.text: lookup(evidence.facts, c.fact)[0] for c in evidence.policy.declared}
        stated = {fact: value for fact, value in said.items() if value is not MISSING}
        self.entries.append(
            _Entry(rank, row.subject, index, gate, self.spool.put(row), plan, stated)
        )

    def _planned(self, gate: str, key: tuple[int, str, int], *, passing: bool) -> bool:
        """Whether the format may show this subject's plan, as far as the subjects so far tell.

        With a limit (ABOVE, FIRST), a plan not passing is shown if the matrix has at most ABOVE
        rows, or if the subject is among the FIRST not passing in the matrix's order: then it is
        among the FIRST of those judged so far, whatever comes after.
        """
        if self.plans != "failing":
            return self.plans == "all"
        if passing:
            return False
        if self.plans_limit is None:
            return True
        above, first = self.plans_limit
        failing = self.first_failing.setdefault(gate, [])
        bisect.insort(failing, key)
        among_first = len(failing) <= first or failing.pop() != key
        return among_first or self.judged[gate] <= above

    def report(self, files: Sequence[InputFile]) -> StatusReport:
        """The matrix of the gate: chosen now if none was asked for, its subjects judged on it."""
        from gatecheck.commands.spool import SpooledPlans, SpooledRows
        from gatecheck.evaluation.status_results import StatusColumn, StatusDeclared, StatusReport

        gate = self.gate if self.gate is not None else self._most_judged()
        self._judge_again(files, gate)
        having = sorted(
            (seen for seen in self.seen.values() if seen.policy.gate(gate) is not None),
            key=lambda seen: seen.at,
        )
        if not having:
            raise InvalidInput(self._unknown_gate(gate))
        columns: dict[str, StatusColumn] = {}
        declared: dict[str, StatusDeclared] = {}
        for seen in having:
            policy_gate = seen.policy.gate(gate)
            assert policy_gate is not None  # noqa: S101 - kept above
            for rule in policy_gate.rules:
                columns.setdefault(rule.id, StatusColumn(rule.id, rule.title, rule.source))
            for column in seen.policy.declared:
                declared.setdefault(column.text, StatusDeclared(column.text, column.title))
        title = having[0].policy.gate(gate).title  # type: ignore[union-attr]
        entries = sorted(
            (entry for entry in self.entries if entry.gate == gate), key=lambda e: e.at
        )
        stated = {entry.subject: entry.stated for entry in entries}
        plans = {entry.subject: entry.plan for entry in entries if entry.plan is not None}
        entries.sort(key=lambda entry: (entry.rank, entry.subject))  # stable: ties in file order
        return StatusReport(
            self.batch.now,
            gate,
            title,
            tuple(columns.values()),
            SpooledRows(self.spool, [entry.row for entry in entries]),
            SpooledPlans(self.spool, plans),
            tuple(declared.values()),
            stated,
        )

    def _most_judged(self) -> str:
        """The first gate of the policy judging the most subjects (ties: the one met first)."""
        most = max(seen.subjects for seen in self.seen.values())
        judging = min(
            (seen for seen in self.seen.values() if seen.subjects == most), key=lambda s: s.at
        )
        return judging.policy.gates[0].id

    def _judge_again(self, files: Sequence[InputFile], gate: str) -> None:
        """Judge on `gate` the subjects not judged on it before it was chosen (if any).

        With one policy (the usual case) every subject was judged on its first gate already.
        """
        judged = {entry.at for entry in self.entries if entry.gate == gate}
        for index, ref in self.policy_of:
            if index in judged or self.seen[ref].policy.gate(gate) is None:
                continue
            evidence, _ = self.batch.load(files[index])
            if evidence is not None:
                self._judge(index, evidence, gate)

    def _unknown_gate(self, gate: str) -> list[Problem]:
        """One problem per policy (not per subject): none of them has the gate."""
        problems = []
        for ref, seen in sorted(self.seen.items(), key=lambda item: item[1].at):
            gates = [g.id for g in seen.policy.gates]
            more = f" and {seen.subjects - 1} more" if seen.subjects > 1 else ""
            problems.append(
                Problem(
                    "unknown-gate",
                    f"--gate {gate}: policy {ref} (of {seen.first}{more}) has no such gate",
                    seen.policy.location,
                    known_names_hint(gate, gates, "gate"),
                )
            )
        return problems


def _status_rank(gate: GateResult) -> int:
    """Rows of a status report: claimed and not passing, then not passing, then passing."""
    if gate.status.passing:
        return 2
    return 0 if gate.claimed else 1
