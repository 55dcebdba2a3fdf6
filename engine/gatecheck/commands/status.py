"""`gatecheck status`: every subject whose policy has a gate, judged on it: the status matrix.

The subjects are judged one evidence file at a time and each is let go once its row (and, when
the format shows it, its plan) is in the spool (`commands.spool`): a run over 100,000 files keeps
in memory a small entry per subject (its order, its declared facts, where its row is), not the
subjects' evidence, evaluators and results. With `jobs` above one, forked workers load, judge,
explain and plan the subjects (`batch.worked_in_parallel`) and send back each one's row and plan
already pickled for the spool; this process keeps their order, the spool, the choice of the gate
and the matrix, so the report is the same on one core or several.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from gatecheck.errors import InvalidInput, Problem, known_names_hint

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterator, Sequence

    from gatecheck.commands.batch import Batch, Judged
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
Key = tuple[int, str, int]  # a subject's place in the matrix: (rank, name, file position)


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
    jobs: int = 1,
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
    `jobs` above one judges on that many forked processes: the same report.
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
    work = _Work(batch, files, range(len(files)), explained, plans, plans_limit)
    with tempfile.TemporaryFile() as file:
        matrix = _Matrix(Spool(file), work, gate, jobs)
        for index, loaded in enumerate(matrix.loaded(work, lambda: outcome.clean)):
            outcome.add(loaded.judged)
            if loaded.policy is not None and outcome.clean:
                matrix.add(index, loaded)
        outcome.raise_if_any(project, policy)
        yield matrix.report()


class _Work(NamedTuple):
    """What judging some evidence files needs: inherited by forked workers, never pickled."""

    batch: Batch
    files: Sequence[InputFile]
    at: Sequence[int]  # each file's position among all the evidence files
    explained: bool
    plans: Plans
    plans_limit: tuple[int, int] | None


class _Hint(NamedTuple):
    """What the matrix knows when it sends files to be judged: the gate, the plans so far."""

    gate: str | None  # the gate to judge on (None: no guess yet, each policy's first)
    judging: bool = True  # False once a file was invalid: nothing more is judged
    judged: int = 0  # subjects judged on `gate` so far
    failing: tuple[Key, ...] = ()  # the first of those not passing, in the matrix's order


class _Judgement(NamedTuple):
    """A subject judged on a gate, as a worker sends it: its row and plan pickled for the spool."""

    gate: str
    subject: str
    rank: int
    passing: bool
    row: bytes
    plan: bytes | None  # built if the format may show it, as far as the worker could tell
    stated: dict[str, Any]  # its declared facts


class _Loaded(NamedTuple):
    """One evidence file, loaded and checked, and its subject judged if it was (to be) judged."""

    judged: Judged  # the problems that keep it from being judged, if any
    policy: str | None = None  # the ref of the policy judging it, if it is valid
    subject: str | None = None
    judgement: _Judgement | None = None


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

    def __init__(self, spool: Spool, work: _Work, gate: str | None, jobs: int) -> None:
        self.spool, self.work, self.gate, self.jobs = spool, work, gate, jobs
        self.seen: dict[str, _Seen] = {}
        self.policy_of: list[tuple[int, str]] = []  # (file position, policy ref) of each subject
        self.entries: list[_Entry] = []
        self.leader: str | None = None  # without a gate: the policy judging the most so far
        self.choice = _PlanChoice(work.plans, work.plans_limit)

    def loaded(self, work: _Work, clean: Callable[[], bool]) -> Iterator[_Loaded]:
        """`work`'s files loaded, in order, each subject judged on the gate known or guessed then.

        Without `--gate`, the gate is a guess until every file is read: the first gate of the
        policy judging the most subjects so far (`hint`). Subjects whose policy lacks it wait, and
        those judged on a guess that lost are judged again (`_judge_again`); with one policy none
        is. A forked worker judges on the guess made when its chunk was sent.
        """
        from gatecheck.commands.batch import parallel, worked_in_parallel

        if parallel(work.files, self.jobs):
            return worked_in_parallel(
                work,
                len(work.files),
                self.jobs,
                lambda: functools.partial(_loaded_chunk, hint=self.hint(judging=clean())),
            )
        return (
            _load_and_judge(work, position, hint, _PlanChoice.seeded(work, hint))
            for position in range(len(work.files))
            for hint in [self.hint(judging=clean())]
        )

    def hint(self, *, judging: bool) -> _Hint:
        """The gate to judge on as far as the subjects so far tell, and its plans so far."""
        gate = self.gate
        if gate is None and self.leader is not None:
            gates = self.seen[self.leader].policy.gates
            gate = gates[0].id if gates else None
        return self.choice.hint(gate, judging=judging)

    def add(self, index: int, loaded: _Loaded) -> None:
        """Count one subject's file, and keep its judgement (if it was judged)."""
        ref, subject = loaded.policy, loaded.subject
        assert ref is not None  # noqa: S101 - the caller made sure
        assert subject is not None  # noqa: S101 - loaded with its policy
        seen = self.seen.get(ref)
        if seen is None:
            self.seen[ref] = _Seen(self._policy(ref), subject, index, 1)
        else:
            self.seen[ref] = seen._replace(subjects=seen.subjects + 1)
        self.policy_of.append((index, ref))
        if self.gate is None:
            leader = self.seen.get(self.leader) if self.leader is not None else None
            if leader is None or self.seen[ref].subjects > leader.subjects:
                self.leader = ref
        if loaded.judgement is not None:
            self._keep(index, loaded.judgement)

    def _policy(self, ref: str) -> Policy:
        """The policy `ref` names, this process's own (a worker sends the name, not its copy)."""
        judged_by = self.work.batch.judged_by
        if judged_by is not None and judged_by.ref == ref:
            return judged_by
        policy = self.work.batch.policies.resolve(ref)
        assert not isinstance(policy, str)  # noqa: S101 - a subject loaded by it names it
        return policy

    def _keep(self, index: int, judgement: _Judgement) -> None:
        """Spool a judged subject's row, and its plan if the format may show it."""
        key = (judgement.rank, judgement.subject, index)
        planned = self.choice.planned(judgement.gate, key, passing=judgement.passing)
        plan = None
        if planned:
            # The worker built every plan this process keeps: it knew less, so it built more.
            assert judgement.plan is not None  # noqa: S101 - see `_PlanChoice`
            plan = self.spool.put_pickled(judgement.plan)
        row, stated = self.spool.put_pickled(judgement.row), judgement.stated
        self.entries.append(
            _Entry(judgement.rank, judgement.subject, index, judgement.gate, row, plan, stated)
        )

    def report(self) -> StatusReport:
        """The matrix of the gate: chosen now if none was asked for, its subjects judged on it."""
        from gatecheck.commands.spool import SpooledPlans, SpooledRows
        from gatecheck.evaluation.status_results import StatusColumn, StatusDeclared, StatusReport

        gate = self.gate = self.gate if self.gate is not None else self._most_judged()
        self._judge_again(gate)
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
            self.work.batch.now,
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

    def _judge_again(self, gate: str) -> None:
        """Judge on `gate` the subjects not judged on it before it was chosen (if any).

        With one policy (the usual case) every subject was judged on its first gate already.
        """
        judged = {entry.at for entry in self.entries if entry.gate == gate}
        waiting = [
            index
            for index, ref in self.policy_of
            if index not in judged and self.seen[ref].policy.gate(gate) is not None
        ]
        if not waiting:
            return
        files = self.work.files
        work = self.work._replace(files=[files[index] for index in waiting], at=waiting)
        for index, loaded in zip(waiting, self.loaded(work, lambda: True), strict=True):
            if loaded.judgement is not None:
                self._keep(index, loaded.judgement)

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


class _PlanChoice:
    """Which subjects' plans the format may show, as far as the subjects judged so far tell.

    A worker decides with what the matrix knew when the chunk was sent (`seeded`) and the chunk's
    own subjects: fewer subjects than the matrix knows when it decides in turn, so the worker
    builds every plan the matrix keeps (and perhaps a few it drops).
    """

    def __init__(self, plans: Plans, limit: tuple[int, int] | None) -> None:
        self.plans, self.limit = plans, limit
        self.judged: dict[str, int] = {}  # subjects judged on each gate
        self.first_failing: dict[str, list[Key]] = {}  # by gate: sorted keys

    @classmethod
    def seeded(cls, work: _Work, hint: _Hint) -> _PlanChoice:
        """A worker's choice: what the matrix knew of the hint's gate when it sent the chunk."""
        choice = cls(work.plans, work.plans_limit)
        if hint.gate is not None:
            choice.judged[hint.gate] = hint.judged
            choice.first_failing[hint.gate] = list(hint.failing)
        return choice

    def hint(self, gate: str | None, *, judging: bool) -> _Hint:
        if gate is None:
            return _Hint(None, judging)
        failing = tuple(self.first_failing.get(gate, ()))
        return _Hint(gate, judging, self.judged.get(gate, 0), failing)

    def planned(self, gate: str, key: Key, *, passing: bool) -> bool:
        """Whether the format may show this subject's plan (one more subject judged on `gate`).

        With a limit (ABOVE, FIRST), a plan not passing is shown if the matrix has at most ABOVE
        rows, or if the subject is among the FIRST not passing in the matrix's order: then it is
        among the FIRST of those judged so far, whatever comes after.
        """
        self.judged[gate] = self.judged.get(gate, 0) + 1
        if self.plans != "failing":
            return self.plans == "all"
        if passing:
            return False
        if self.limit is None:
            return True
        above, first = self.limit
        failing = self.first_failing.setdefault(gate, [])
        bisect.insort(failing, key)
        among_first = len(failing) <= first or failing.pop() != key
        return among_first or self.judged[gate] <= above


def _loaded_chunk(start: int, stop: int, *, hint: _Hint) -> list[_Loaded]:
    """In a forked worker: the files `start` to `stop` of its run, loaded and judged."""
    from gatecheck.commands.batch import worker_run

    work: _Work = worker_run()
    choice = _PlanChoice.seeded(work, hint)
    return [_load_and_judge(work, position, hint, choice) for position in range(start, stop)]


def _load_and_judge(work: _Work, position: int, hint: _Hint, choice: _PlanChoice) -> _Loaded:
    """One file loaded and checked; its subject judged on the hint's gate, if its policy has it.

    Without a guess of the gate yet, a subject is judged on its own policy's first gate.
    """
    evidence, judged = work.batch.load(work.files[position])
    if evidence is None:
        return _Loaded(judged)
    policy = evidence.policy
    gate = hint.gate
    if gate is None and policy.gates:
        gate = policy.gates[0].id
    judgement = None
    if hint.judging and gate is not None and policy.gate(gate) is not None:
        judgement = _judged(work, work.at[position], evidence, gate, choice)
    return _Loaded(judged, policy.ref, evidence.subject, judgement)


def _judged(work: _Work, at: int, evidence: Evidence, gate: str, choice: _PlanChoice) -> _Judgement:
    """A subject judged on `gate`, explained if the format shows why, planned if it may show it."""
    from gatecheck.commands.spool import pickled
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.planning import build_plan
    from gatecheck.evaluation.verdicts import judge_subject
    from gatecheck.language.evidence import MISSING, lookup

    policy_gate = evidence.policy.gate(gate)
    assert policy_gate is not None  # noqa: S101 - the caller made sure
    evaluator = Evaluator(evidence, work.batch.now)
    row = judge_subject(evaluator, [policy_gate])
    for rule in row.gates[0].rules:  # the evaluator is let go: explained now, or never
        rule.settle(explained=work.explained)
    verdict = row.gates[0]
    rank = _status_rank(verdict)
    passing = verdict.status.passing
    planned = choice.planned(gate, (rank, row.subject, at), passing=passing)
    plan = pickled(build_plan(evaluator, gate)) if planned else None
    said = {c.text: lookup(evidence.facts, c.fact)[0] for c in evidence.policy.declared}
    stated = {fact: value for fact, value in said.items() if value is not MISSING}
    return _Judgement(gate, row.subject, rank, passing, pickled(row), plan, stated)


def _status_rank(gate: GateResult) -> int:
    """Rows of a status report: claimed and not passing, then not passing, then passing."""
    if gate.status.passing:
        return 2
    return 0 if gate.claimed else 1
