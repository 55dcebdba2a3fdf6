"""`gatecheck evaluate`: judge the subjects' evidence on every gate (or one) of their policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.commands.subjects import load_subjects, refuse_unknown_gate
from gatecheck.errors import InvalidInput

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from gatecheck.commands.batch import Judged
    from gatecheck.errors import Problem
    from gatecheck.evaluation.results import Report, SubjectResult
    from gatecheck.language.evidence import Evidence
    from gatecheck.progress import Progress
    from gatecheck.project.layout import Project


def evaluate_subjects(  # noqa: PLR0913 - the command's options, keyword-only
    project: Project,
    subjects: list[str],
    *,
    every: bool,
    gate: str | None,
    now: dt.date,
    policy: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Judge the subjects' evidence, by the policy each names or, with `policy`, by that one.

    `policy` (`--policy NAME@VERSION`) judges every subject whose evidence names policy NAME by
    that version instead, so one subject can be compared under two versions; with `every`, the
    subjects of other policies are left out, and naming one of them is an error. `progress`,
    when given, is told how far loading and evaluating have got.
    """
    from gatecheck.evaluation.verdicts import evaluate

    evidence = load_subjects(
        project, subjects, every=every, now=now, policy=policy, progress=progress
    )
    if every and gate is not None:
        # --all --gate G: the subjects whose policy has gate G (an error only if none has it)
        having = [item for item in evidence if item.policy.gate(gate) is not None]
        evidence = having or evidence
    refuse_unknown_gate(evidence, gate)
    if progress is None:
        return evaluate(evidence, now, gate)
    return evaluate(_counted(evidence, "evaluating", progress), now, gate)


def _counted(items: list[Evidence], verb: str, progress: Progress) -> Iterator[Evidence]:
    for done, item in enumerate(items):
        progress(verb, done, len(items))
        yield item


def judged_subjects(  # noqa: PLR0913 - the command's options, keyword-only
    project: Project,
    subjects: list[str],
    *,
    every: bool,
    gate: str | None,
    now: dt.date,
    policy: str | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    explain_passes: bool = True,
) -> Iterator[SubjectResult]:
    """`evaluate_subjects`' results one subject at a time, in order, each dropped once handed on.

    The same subjects, verdicts and problems as `evaluate_subjects`: invalid input is found while
    streaming, so the problems are raised (all of them, as InvalidInput) when the files run out,
    after the results of the files judged before the first one; a caller that writes results must
    hold them back until then. `jobs` above one judges on that many forked processes (`batch`),
    which explain passing rules only if `explain_passes` (the output shows why they pass).
    """
    from gatecheck.commands.batch import Batch, judged_in_parallel, parallel
    from gatecheck.commands.subjects import evidence_files, judging_policy
    from gatecheck.loading.policies import load_policies

    files = evidence_files(project, subjects, every=every)
    policies = load_policies(project)
    judged_by = None if policy is None else judging_policy(project, policies, policy)
    batch = Batch(policies, now, gate, judged_by, every, policy, explain_passes)
    outcome = Outcome(policies.problems, gate=gate, every=every)
    if parallel(files, jobs):
        judged: Iterator[Judged] = judged_in_parallel(batch, files, jobs)
    else:
        judged = (batch.judge(file, judging=outcome.clean) for file in files)
    for done, item in enumerate(judged):
        if progress is not None:
            progress("evaluating", done, len(files))
        outcome.add(item)
        if item.result is not None and outcome.clean:
            yield item.result
    outcome.raise_if_any(project, policy)


class Outcome:
    """The problems found so far, by kind, and what `--all` with `--policy` or `--gate` kept."""

    def __init__(self, problems: list[Problem], *, gate: str | None, every: bool) -> None:
        self.invalid: list[Problem] = list(problems)
        self.mismatched: list[Problem] = []
        self.dated: list[Problem] = []
        self.no_gate: list[Problem] = []
        self.gate, self.every = gate, every
        self.kept = 0  # subjects judged by --policy's policy
        self.having_gate = 0  # subjects whose policy has --gate's gate

    @property
    def clean(self) -> bool:
        """No problem yet: results may still be handed on."""
        # --all --gate G leaves out the subjects whose policy lacks G, an error only if none has it
        refused = self.no_gate and not self.every
        return not (self.invalid or self.mismatched or self.dated or refused)

    def add(self, item: Judged) -> None:
        self.invalid.extend(item.invalid)
        self.mismatched.extend(item.mismatched)
        self.dated.extend(item.dated)
        self.kept += item.kept and not item.invalid
        if item.no_gate is not None:
            if not (self.every and self.having_gate):  # else it is left out, not refused
                self.no_gate.append(item.no_gate)
        elif self.gate is not None and not (item.invalid or item.mismatched or item.dated):
            self.having_gate += item.kept
            if self.every:
                self.no_gate.clear()

    def raise_if_any(self, project: Project, policy: str | None) -> None:
        from gatecheck.commands.subjects import no_evidence_of

        if self.invalid:
            raise InvalidInput(self.invalid)
        if policy is not None and self.every and not self.kept:
            raise InvalidInput([no_evidence_of(project, policy)])
        for problems in (self.mismatched, self.dated):
            if problems:
                raise InvalidInput(problems)
        if self.no_gate and not (self.every and self.having_gate):
            raise InvalidInput(self.no_gate)
