"""`gatecheck evaluate`: judge the subjects' evidence on every gate (or one) of their policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.commands.subjects import load_subjects, refuse_unknown_gate

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from gatecheck.evaluation.results import Report
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
