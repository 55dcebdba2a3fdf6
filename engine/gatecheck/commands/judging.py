"""What each command does, as plain functions: the CLI parses arguments and calls these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import InvalidInput, Location, Problem, known_names_hint
from gatecheck.loading.evidence import load_evidence
from gatecheck.loading.policies import load_policies
from gatecheck.loading.policy_catalogue import policy_option
from gatecheck.project.layout import duplicate_subjects

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator

    from gatecheck.cli.progress import Progress
    from gatecheck.evaluation.results import (
        GateResult,
        PlanReport,
        Report,
        StatusReport,
        Validation,
    )
    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Policy
    from gatecheck.project.input_file import InputFile
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

    evidence = _load(project, subjects, every=every, now=now, policy=policy, progress=progress)
    if every and gate is not None:
        # --all --gate G: the subjects whose policy has gate G (an error only if none has it)
        having = [item for item in evidence if item.policy.gate(gate) is not None]
        evidence = having or evidence
    _check_gate(evidence, gate)
    if progress is None:
        return evaluate(evidence, now, gate)
    return evaluate(_counted(evidence, "evaluating", progress), now, gate)


def _counted(items: list[Evidence], verb: str, progress: Progress) -> Iterator[Evidence]:
    for done, item in enumerate(items):
        progress(verb, done, len(items))
        yield item


def plan_subject(
    project: Project, subject: str, gate: str | None, now: dt.date, policy: str | None = None
) -> PlanReport:
    """The next steps for one subject, by its policy or by `policy` (see `evaluate_subjects`)."""
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.planning import build_plan

    (evidence,) = _load(project, [subject], every=False, now=now, policy=policy)
    _check_gate([evidence], gate)
    return build_plan(Evaluator(evidence, now), gate)


def status_report(
    project: Project, gate: str | None, now: dt.date, policy: str | None = None
) -> StatusReport:
    """Every subject whose policy has `gate`, judged on that gate alone: the status matrix.

    `gate` defaults to the first gate of the policy that judges the most subjects (ties: the one
    met first, in evidence file order), e.g. `enable-by-default` for the bundled evidence. The
    columns are the gate's rules in policy order; subjects judged by policies whose gate differs
    add their other rules after, in the order first met. Rows: the subjects that claim the gate
    and do not pass it first, then the others not passing, then those passing, each by name.
    `policy` (`--policy NAME@VERSION`) judges the subjects of policy NAME by that version, and
    leaves the others out, as `evaluate --all --policy` does.
    """
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.planning import build_plan
    from gatecheck.evaluation.results import StatusColumn, StatusDeclared, StatusReport
    from gatecheck.evaluation.verdicts import judge_subject
    from gatecheck.language.evidence import MISSING, lookup

    evidence = _load(project, [], every=True, now=now, policy=policy)
    if gate is None:
        counts: dict[str, int] = {}
        for item in evidence:
            counts[item.policy.ref] = counts.get(item.policy.ref, 0) + 1
        most = max(counts.values())
        judging = next(item.policy for item in evidence if counts[item.policy.ref] == most)
        gate = judging.gates[0].id
    having = [item for item in evidence if item.policy.gate(gate) is not None]
    if not having:
        raise InvalidInput(_unknown_gate(evidence, gate))
    columns: dict[str, StatusColumn] = {}
    declared: dict[str, StatusDeclared] = {}
    stated: dict[str, dict[str, Any]] = {}
    rows = []
    plans = {}
    title = ""
    for item in having:
        policy_gate = item.policy.gate(gate)
        assert policy_gate is not None  # noqa: S101 - kept above
        title = title or policy_gate.title
        for rule in policy_gate.rules:
            columns.setdefault(rule.id, StatusColumn(rule.id, rule.title, rule.source))
        for column in item.policy.declared:
            declared.setdefault(column.text, StatusDeclared(column.text, column.title))
        said = {column.text: lookup(item.facts, column.fact)[0] for column in item.policy.declared}
        stated[item.subject] = {fact: value for fact, value in said.items() if value is not MISSING}
        evaluator = Evaluator(item, now)
        rows.append(judge_subject(evaluator, [policy_gate]))
        plans[item.subject] = build_plan(evaluator, gate)
    rows.sort(key=lambda row: (_status_rank(row.gates[0]), row.subject))
    return StatusReport(
        now,
        gate,
        title,
        tuple(columns.values()),
        tuple(rows),
        plans,
        tuple(declared.values()),
        stated,
    )


def _status_rank(gate: GateResult) -> int:
    """Rows of a status report: claimed and not passing, then not passing, then passing."""
    if gate.status.passing:
        return 2
    return 0 if gate.claimed else 1


def _unknown_gate(evidence: list[Evidence], gate: str) -> list[Problem]:
    """One problem per policy (not per subject): none of them has the gate."""
    by_policy: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_policy.setdefault(item.policy.ref, []).append(item)
    problems = []
    for ref, items in by_policy.items():
        gates = [g.id for g in items[0].policy.gates]
        more = f" and {len(items) - 1} more" if len(items) > 1 else ""
        of = items[0].subject + more
        problems.append(
            Problem(
                "unknown-gate",
                f"--gate {gate}: policy {ref} (of {of}) has no such gate",
                items[0].policy.location,
                known_names_hint(gate, gates, "gate"),
            )
        )
    return problems


def refuse_idle_waiver(
    project: Project, subject: str, waiver: dict[str, Any], now: dt.date
) -> None:
    """Refuse to record a waiver that could not count on `now` (`gatecheck waive`).

    A waiver already expired, lasting longer than the policy allows, approved by someone outside
    the policy's approvers (or by the claim's author), or under a policy that accepts no waivers,
    would sit in the evidence doing nothing but look like an exception someone granted.
    """
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.verdicts import waiver_refusal

    (evidence,) = _load(project, [subject], every=False, now=now)
    refused = waiver_refusal(Evaluator(evidence, now), waiver)
    if refused is not None:
        raise InvalidInput(
            [
                Problem(
                    "idle-waiver",
                    f"the waiver of {waiver['rule']} would not count: {refused}",
                    Location(evidence.path, 0, 0),
                    "fix --approver or --expires (see the policy's `waivers`), or fix the rule",
                )
            ]
        )


def validate_project(project: Project) -> Validation:
    """Check every policy (with its DAG) and every evidence file; the problems are the result."""
    from gatecheck.evaluation.results import Validation

    policies = load_policies(project)
    files = project.evidence.yaml_files()
    problems = duplicate_subjects(files)
    try:
        evidence = load_evidence(files, policies)
    except InvalidInput as error:
        problems += error.problems
    if problems:
        return Validation((), (), InvalidInput(problems).problems)
    return Validation(tuple(p.ref for p in policies.all()), tuple(e.path for e in evidence), ())


def _load(  # noqa: PLR0913 - the command's options, keyword-only
    project: Project,
    subjects: list[str],
    *,
    every: bool,
    now: dt.date,
    policy: str | None = None,
    progress: Progress | None = None,
) -> list[Evidence]:
    """The subjects' evidence, valid and judgeable on `now` (nothing dated after it)."""
    from gatecheck.evaluation.observation import refuse_dated_after

    files = _evidence_files(project, subjects, every=every)
    policies = load_policies(project)
    if policy is None:
        evidence = load_evidence(files, policies, progress=progress)
    else:
        judged_by = policy_option(policies, policy, Location(project.policies.display + "/", 0, 0))
        loaded = load_evidence(files, policies, judged_by, progress)
        evidence = _judged_by(project, loaded, judged_by, every=every, option=policy)
    refuse_dated_after(evidence, now)
    return evidence


def _judged_by(
    project: Project, evidence: list[Evidence], policy: Policy, *, every: bool, option: str
) -> list[Evidence]:
    """The evidence `--policy` judges: all of it, or with --all the evidence of that policy.

    Comparing versions is the point, so evidence of another policy is never judged by this one.
    """
    kept = [item for item in evidence if item.policy is policy]
    if every:
        if kept:
            return kept
        raise InvalidInput(
            [
                Problem(
                    "no-evidence",
                    f"--all --policy {option}: no evidence file names policy {policy.name}",
                    Location(project.evidence.display + "/", 0, 0),
                    "leave out --policy, or name a policy some evidence is judged by",
                )
            ]
        )
    others = [item for item in evidence if item.policy is not policy]
    if others:
        raise InvalidInput(
            Problem(
                "policy-mismatch",
                f"--policy {option}: {item.subject} is judged by policy {item.policy.ref},"
                f" not by a version of {policy.name}",
                item.document.locate(("policy",)),
                "--policy compares versions of the policy a subject names; leave it out for"
                f" {item.subject}",
            )
            for item in others
        )
    return kept


def _evidence_files(project: Project, subjects: list[str], *, every: bool) -> list[InputFile]:
    if every:
        every_file = project.evidence_files()
        if not every_file:  # an empty run must not pass silently
            raise InvalidInput(
                [
                    Problem(
                        "no-evidence",
                        "--all: no evidence files (*.yaml) found",
                        Location(project.evidence.display + "/", 0, 0),
                        "add evidence/<subject>.yaml, or point --evidence at the directory",
                    )
                ]
            )
        return every_file
    files: list[InputFile] = []
    problems: list[Problem] = []
    for subject in dict.fromkeys(subjects):  # keep order, drop repeats
        try:
            files.append(project.evidence_file(subject))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return files


def _check_gate(evidence: list[Evidence], gate: str | None) -> None:
    if gate is None:
        return
    problems: list[Problem] = []
    for item in evidence:
        gates = [g.id for g in item.policy.gates]
        if gate not in gates:
            problems.append(
                Problem(
                    "unknown-gate",
                    f"--gate {gate}: policy {item.policy.ref} (of {item.subject}) has no such gate",
                    item.policy.location,
                    known_names_hint(gate, gates, "gate"),
                )
            )
    if problems:
        raise InvalidInput(problems)
