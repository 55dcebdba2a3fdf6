"""The `sarif` format: SARIF 2.1.0 for code scanning (GitHub's Security tab, IDE viewers).

One run. Each rule a report names becomes a `reportingDescriptor` (id `gate/rule`), each rule that
does not pass a result: fail and missing are errors; a waived rule is a note with an accepted
external suppression that carries the waiver. Validation problems are errors whose rule is the
problem code; `check` adds a warning (an error with --fail-on-policy-change) for every policy
change and every removed evidence file. Every result has a location (in the repository whenever
the file is), because code scanning drops results without one (DESIGN §6). Dates and values are
written as the report holds them, with no timestamp of the run: the output is deterministic.
The log is built by `sarif_run`; an evaluation's descriptors and results by `sarif_findings`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.errors import Location
from gatecheck.reporters.findings import (
    REVIEW,
    change_message,
    line_one,
    removed_message,
)
from gatecheck.reporters.sarif_findings import evaluation
from gatecheck.reporters.sarif_run import SCHEMA, Run, descriptor

if TYPE_CHECKING:
    from gatecheck.evaluation.check_results import CheckReport
    from gatecheck.evaluation.results import Report
    from gatecheck.evaluation.validation_results import Validation

POLICY_CHANGE = "policy-change"
EVIDENCE_REMOVED = "evidence-removed"
UNVERIFIED_ENTRY = "unverified-entry"

__all__ = ["SCHEMA", "render", "render_check", "render_validation"]


def render(report: Report, *, color: bool = False) -> str:
    del color
    run = Run()
    evaluation(run, report)
    return run.dump({"now": report.now.isoformat()})


def render_validation(validation: Validation, *, color: bool = False) -> str:
    del color
    run = Run()
    for problem in validation.problems:
        index = run.rule(
            ("problem", problem.code),
            {
                "id": problem.code,
                "shortDescription": {"text": f"Invalid input: {problem.code}"},
                "fullDescription": {
                    "text": f"gatecheck cannot use an input file: problem code {problem.code}. "
                    "Nothing is evaluated until every problem is fixed."
                },
                "help": {
                    "text": "Each problem names its file, line and column and says what to do; "
                    "gatecheck's docs/evidence.md describes every problem code."
                },
                "defaultConfiguration": {"level": "error"},
                "properties": {"tags": ["gatecheck", "invalid-input"]},
            },
        )
        message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
        run.results.append(
            {
                "ruleId": problem.code,
                "ruleIndex": index,
                "level": "error",
                "message": {"text": message},
                "locations": [run.location(line_one(problem.location))],
            }
        )
    return run.dump(
        {
            "ok": not validation.problems,
            "policies": list(validation.policies),
            "evidence": list(validation.evidence),
        }
    )


def render_check(check: CheckReport, *, color: bool = False) -> str:
    del color
    run = Run()
    claims = {
        (item.result.subject, claim.gate): claim for item in check.subjects for claim in item.claims
    }
    evaluation(run, check.report, claims)
    for change in check.policy_changes:
        level = "error" if check.fails_on(change) else "warning"
        index = run.rule(
            (POLICY_CHANGE,),
            descriptor(
                POLICY_CHANGE,
                f"A policy or facts schema changed: it {REVIEW}",
                "check judges claims by the base's policies, so a change cannot weaken a rule and "
                "pass it at once; the change to the policy itself needs a maintainer's review.",
                level,
            ),
        )
        location = Location(change.path, 1, 1)
        run.results.append(
            {
                "ruleId": POLICY_CHANGE,
                "ruleIndex": index,
                "level": level,
                "message": {"text": change_message(change)},
                "locations": [run.location(location)],
                "properties": {"change": change.change},
            }
        )
    for entry in check.unverified:
        index = run.rule(
            (UNVERIFIED_ENTRY,),
            descriptor(
                UNVERIFIED_ENTRY,
                "An attestation or waiver the change adds is not approved by the reviewer it names",
                "Whoever edits the evidence writes its attestations and waivers, so one the change "
                "adds counts only when the reviewer it names approved the change (a pull request "
                "review passed in as --approved-by). Until then it does not count, and the check "
                "fails: merged, it would stand on the base as if that reviewer had signed it.",
                "error",
            ),
        )
        run.results.append(
            {
                "ruleId": UNVERIFIED_ENTRY,
                "ruleIndex": index,
                "level": "error",
                "message": {"text": entry.message()},
                "locations": [run.location(entry.location)],
                "properties": {"kind": entry.kind, "reviewer": entry.who},
            }
        )
    for path in check.removed:
        index = run.rule(
            (EVIDENCE_REMOVED,),
            descriptor(
                EVIDENCE_REMOVED,
                "An evidence file was removed: its claims are no longer checked",
                "Removing a subject's evidence removes its claims from the pre-merge check; "
                "make sure that is intended.",
                "warning",
            ),
        )
        run.results.append(
            {
                "ruleId": EVIDENCE_REMOVED,
                "ruleIndex": index,
                "level": "warning",
                "message": {"text": removed_message(path)},
                "locations": [run.location(Location(path, 1, 1))],
            }
        )
    return run.dump(
        {
            "base": check.base,
            "baseCommit": check.base_commit,
            "now": check.now.isoformat(),
            "failOnPolicyChange": check.fail_on_policy_change,
            "approvedBy": list(check.approved_by),
        }
    )
