"""Judging many subjects in constant memory: one file at a time, in order, on one core or several.

Each evidence file is loaded, checked, judged and handed on before the next is read (`Batch.judge`),
so a run over 100,000 files holds one subject's objects at a time, not all of them. With `jobs`
above one, forked worker processes judge chunks of the list; the parent receives each chunk's
results in the order of the list (whatever order the workers finish in) and keeps at most a few
chunks in flight, so the output is the same as on one core and memory stays flat.
"""

from __future__ import annotations

import os
from collections import deque
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from gatecheck.errors import InvalidInput, Problem, known_names_hint
from gatecheck.evaluation.observation import dated_after
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.loading.evidence import load_one

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterator, Sequence

    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.project.input_file import InputFile

CHUNK = 64  # subjects a worker judges per task: enough to pay for the round trip
IN_FLIGHT = 2  # chunks per worker submitted ahead of the one being written

T = TypeVar("T")


class Judged(NamedTuple):
    """What one evidence file came to: a result, or the problems that keep it from being judged.

    The problems are kept by kind, as the unstreamed commands raise them in turn: the files'
    own first, then `--policy`'s, then dates after the judging day, then `--gate`'s.
    """

    result: SubjectResult | None = None
    invalid: tuple[Problem, ...] = ()
    mismatched: tuple[Problem, ...] = ()
    dated: tuple[Problem, ...] = ()
    no_gate: Problem | None = None  # its policy has no gate `--gate` names
    kept: bool = True  # judged by `--policy`'s policy (with --all, the others are left out)


class Batch(NamedTuple):
    """Everything judging one file needs besides the file: the same for every file of a run."""

    policies: Policies
    now: dt.date
    gate: str | None = None
    judged_by: Policy | None = None
    every: bool = False
    option: str | None = None  # --policy as written
    explain_passes: bool = True  # whether the format shows why passing rules pass

    def judge(self, file: InputFile, *, judging: bool = True) -> Judged:
        """Load, check and (when `judging`, and it is valid) judge one evidence file."""
        from gatecheck.evaluation.verdicts import evaluate_subject

        evidence, judged = self.load(file)
        if evidence is None:
            return judged
        if self.gate is not None and evidence.policy.gate(self.gate) is None:
            gates = [gate.id for gate in evidence.policy.gates]
            problem = Problem(
                "unknown-gate",
                f"--gate {self.gate}: policy {evidence.policy.ref} (of {evidence.subject}) has no "
                "such gate",
                evidence.policy.location,
                known_names_hint(self.gate, gates, "gate"),
            )
            return Judged(no_gate=problem)
        if not judging:
            return Judged()
        return Judged(result=evaluate_subject(evidence, self.now, self.gate))

    def load(self, file: InputFile) -> tuple[Evidence | None, Judged]:
        """One evidence file loaded and checked: the evidence, or None and why it is not judged."""
        try:
            evidence = load_one(file, self.policies, self.judged_by)
        except InvalidInput as error:
            return None, Judged(invalid=error.problems)
        if self.judged_by is not None and evidence.policy is not self.judged_by:
            if self.every:
                return None, Judged(kept=False)
            return None, Judged(mismatched=(self._mismatch(evidence.subject, evidence),))
        dated = tuple(dated_after(evidence, self.now))
        if dated:
            return None, Judged(dated=dated)
        return evidence, Judged()

    def _mismatch(self, subject: str, evidence: Evidence) -> Problem:
        name = self.judged_by.name if self.judged_by is not None else ""
        return Problem(
            "policy-mismatch",
            f"--policy {self.option}: {subject} is judged by policy {evidence.policy.ref},"
            f" not by a version of {name}",
            evidence.document.locate(("policy",)),
            f"--policy compares versions of the policy a subject names; leave it out for {subject}",
        )


def available_cores() -> int:
    """The cores this process may run on (its affinity), the default number of jobs."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13
    if count is not None:
        return int(count() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def parallel(files: Sequence[InputFile], jobs: int) -> bool:
    """Whether to fork workers: several jobs, enough files for two chunks, none read from stdin."""
    return (
        jobs > 1
        and len(files) >= 2 * CHUNK
        and not any(file.named_by_content for file in files)
        and _can_fork()
    )


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


# The run a forked worker works on: set before the pool starts, inherited by the fork, never
# pickled. `evaluate` sets (Batch, files); `status` its own.
_RUN: Any = None


def judged_in_parallel(batch: Batch, files: Sequence[InputFile], jobs: int) -> Iterator[Judged]:
    """Every file judged by `jobs` forked workers, yielded in the order of `files`."""
    return worked_in_parallel((batch, files), len(files), jobs, lambda: _judge_chunk)


def worked_in_parallel(
    run: object, count: int, jobs: int, task: Callable[[], Callable[[int, int], list[T]]]
) -> Iterator[T]:
    """Items 0 to `count` worked on by `jobs` forked workers, their results yielded in order.

    Each worker inherits `run` (as `_RUN`) and is sent chunks: `task()`, called as each chunk is
    sent, is what it runs on the chunk, `(start, stop)`, a module-level function (or a partial of
    one, which may carry what the parent knows by then) returning a result per item.
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    global _RUN  # noqa: PLW0603 - handed to the forked workers, which read it once
    _RUN = run
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
    try:
        starts = iter(range(0, count, CHUNK))
        pending: deque[Future[list[T]]] = deque()
        for start in starts:
            pending.append(pool.submit(task(), start, min(start + CHUNK, count)))
            if len(pending) >= jobs * IN_FLIGHT:
                break
        while pending:
            chunk = pending.popleft().result()
            following = next(starts, None)
            if following is not None:
                pending.append(pool.submit(task(), following, min(following + CHUNK, count)))
            yield from chunk
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _RUN = None


def worker_run() -> Any:
    """In a forked worker: the run `worked_in_parallel` handed it (None in the parent)."""
    return _RUN


def _judge_chunk(start: int, stop: int) -> list[Judged]:
    """In a worker: judge `files[start:stop]`, each result settled so it can be sent back."""
    if _RUN is None:  # pragma: no cover - only a forked worker runs this
        return []
    batch, files = _RUN
    judged = []
    for file in files[start:stop]:
        item = batch.judge(file)
        if item.result is not None:
            item = item._replace(result=settled(item.result, passes=batch.explain_passes))
        judged.append(item)
    return judged


def settled(result: SubjectResult, *, passes: bool = True) -> SubjectResult:
    """The result as plain data, which a pipe can carry: every explanation built that is shown.

    A passing rule's explanation is built only if `passes`: most formats do not show it, and
    building it costs more than judging.
    """
    for gate in result.gates:
        for rule in gate.rules:
            rule.settle(explained=passes or rule.status is not Verdict.PASS)
    return result
