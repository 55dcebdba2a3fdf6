"""The `sarif` format: SARIF 2.1.0 for code scanning (GitHub's Security tab, IDE viewers).

One run. Each rule a report names becomes a `reportingDescriptor` (id `gate/rule`), each rule that
does not pass a result: fail and missing are errors; a waived rule is a note with an accepted
external suppression that carries the waiver. Validation problems are errors whose rule is the
problem code; `check` adds a warning (an error with --fail-on-policy-change) for every policy
change and every removed evidence file. Every result has a location (in the repository whenever
the file is), because code scanning drops results without one (DESIGN §6). Dates and values are
written as the report holds them, with no timestamp of the run: the output is deterministic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck import __version__
from gatecheck.errors import Location
from gatecheck.evaluation.results import Verdict
from gatecheck.project.bundled import BUNDLED
from gatecheck.reporters.escape import json_dump
from gatecheck.reporters.findings import (
    REVIEW,
    Finding,
    anchor,
    change_message,
    explain,
    findings,
    line_one,
    removed_message,
)

if TYPE_CHECKING:
    from gatecheck.evaluation.results import CheckReport, Claim, Report, RuleResult, Validation

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://gatecheck.dev/"  # the project's namespace (its schemas' $id)
SRCROOT = "%SRCROOT%"
BUNDLED_ROOT = "GATECHECK_BUNDLED"
POLICY_CHANGE = "policy-change"
EVIDENCE_REMOVED = "evidence-removed"
UNVERIFIED_ENTRY = "unverified-entry"
_BASES = {
    SRCROOT: "The directory gatecheck ran on (--root); every path it reports is relative to it.",
    BUNDLED_ROOT: "The policies, schemas and evidence bundled in the installed gatecheck package.",
}
_LEVELS = {Verdict.FAIL: "error", Verdict.MISSING: "error", Verdict.WAIVED: "note"}


def render(report: Report, *, color: bool = False) -> str:
    del color
    run = _Run()
    _evaluation(run, report)
    return run.dump({"now": report.now.isoformat()})


def render_validation(validation: Validation, *, color: bool = False) -> str:
    del color
    run = _Run()
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
    run = _Run()
    claims = {
        (item.result.subject, claim.gate): claim for item in check.subjects for claim in item.claims
    }
    _evaluation(run, check.report, claims)
    for change in check.policy_changes:
        level = "error" if check.fails_on(change) else "warning"
        index = run.rule(
            (POLICY_CHANGE,),
            _descriptor(
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
            _descriptor(
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
            _descriptor(
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


class _Run:
    """One SARIF run being built: rule descriptors (each once, by key), results, base URIs."""

    def __init__(self) -> None:
        self.rules: list[dict[str, Any]] = []
        self.results: list[dict[str, Any]] = []
        self._indexes: dict[tuple[str, ...], int] = {}
        self._bases: set[str] = set()

    def rule(self, key: tuple[str, ...], descriptor: dict[str, Any]) -> int:
        """The index of the descriptor for `key`, added on first use."""
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = len(self.rules)
            self.rules.append(descriptor)
        return index

    def location(self, location: Location, text: str | None = None) -> dict[str, Any]:
        artifact = self._artifact(location.path)
        region = {"startLine": location.line, "startColumn": location.column}
        found: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": artifact, "region": region}
        }
        if text is not None:
            found["message"] = {"text": text}
        return found

    def _artifact(self, path: str) -> dict[str, Any]:
        if path.startswith(f"{BUNDLED}/"):
            self._bases.add(BUNDLED_ROOT)
            return {"uri": _uri(path.removeprefix(f"{BUNDLED}/")), "uriBaseId": BUNDLED_ROOT}
        if path.startswith("/"):
            return {"uri": "file://" + _uri(path)}
        self._bases.add(SRCROOT)
        return {"uri": _uri(path), "uriBaseId": SRCROOT}

    def dump(self, properties: dict[str, Any]) -> str:
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "gatecheck",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": self.rules,
                }
            },
        }
        if self._bases:
            run["originalUriBaseIds"] = {
                base: {"description": {"text": text}}
                for base, text in _BASES.items()
                if base in self._bases
            }
        run["columnKind"] = "unicodeCodePoints"  # libyaml counts characters, not UTF-16 units
        run["results"] = self.results
        run["properties"] = properties
        log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        import orjson

        return json_dump(log, option=orjson.OPT_NON_STR_KEYS, default=str)


def _uri(path: str) -> str:
    """A path as a URI reference; a byte of a file name that is not UTF-8 as itself (`%FF`)."""
    from urllib.parse import quote

    return quote(path, errors="surrogateescape")


def _descriptor(rule_id: str, short: str, full: str, level: str) -> dict[str, Any]:
    return {
        "id": rule_id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": full},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["gatecheck"]},
    }


def _evaluation(
    run: _Run, report: Report, claims: dict[tuple[str, str], Claim] | None = None
) -> None:
    """A descriptor for every rule judged; a result for every rule that does not pass."""
    indexes: dict[tuple[str, str, str], int] = {}
    for subject in report.subjects:
        for gate in subject.gates:
            for rule in gate.rules:
                key = (subject.policy, gate.gate, rule.rule)
                indexes[key] = run.rule(
                    key, _rule_descriptor(subject.policy, gate.gate, gate.title, rule)
                )
    for finding in findings(report):
        subject, gate, rule = finding
        claim = (claims or {}).get((subject.subject, gate.gate))
        run.results.append(
            _result(run, finding, indexes[subject.policy, gate.gate, rule.rule], claim)
        )


def _rule_descriptor(policy: str, gate: str, gate_title: str, rule: RuleResult) -> dict[str, Any]:
    help_lines = [
        f"{rule.title}.",
        f"A rule of gate {gate} ({gate_title}) in policy {policy}.",
        f"Source: {rule.source}.",
    ]
    if rule.hint:
        help_lines.append(f"Hint: {rule.hint}")
    properties: dict[str, Any] = {
        "policy": policy,
        "gate": gate,
        "gateTitle": gate_title,
        "source": rule.source,
        "tags": ["gatecheck", "policy"],
    }
    if rule.hint:
        properties["hint"] = rule.hint
    if rule.policy_location is not None:
        properties["policyLocation"] = str(rule.policy_location)
    return {
        "id": f"{gate}/{rule.rule}",
        "shortDescription": {"text": rule.title},
        "fullDescription": {
            "text": f"{rule.title} (policy {policy}, gate {gate}; source: {rule.source})"
        },
        "help": {"text": "\n".join(help_lines)},
        "defaultConfiguration": {"level": "error"},
        "properties": properties,
    }


def _result(run: _Run, finding: Finding, index: int, claim: Claim | None) -> dict[str, Any]:
    subject, gate, rule = finding
    location = finding.location
    lines = explain(rule, subject.evidence, where=False)
    result: dict[str, Any] = {
        "ruleId": f"{gate.gate}/{rule.rule}",
        "ruleIndex": index,
        "level": _LEVELS[rule.status],
        "message": {"text": f"{subject.subject}: " + "\n".join(lines)},
        "locations": [run.location(location)],
    }
    related = []
    if rule.policy_location is not None and rule.policy_location != location:
        related.append(
            run.location(line_one(rule.policy_location), f"rule {rule.rule} in {subject.policy}")
        )
    if location.path != subject.evidence:
        related.append(
            run.location(anchor(None, subject.evidence), f"the evidence of {subject.subject}")
        )
    if claim is not None:
        how = {
            "implied": "implied by this change",
            "standing": "claimed here, standing",
            "claimed": "claimed here",
        }[claim.how]
        related.append(run.location(line_one(claim.location), f"gate {gate.gate} {how}"))
    if related:
        result["relatedLocations"] = [{"id": n, **item} for n, item in enumerate(related, 1)]
    if rule.status is Verdict.WAIVED:
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": rule.message}
        ]
    result["properties"] = _properties(finding, claim)
    return result


def _properties(finding: Finding, claim: Claim | None) -> dict[str, Any]:
    subject, gate, rule = finding
    properties: dict[str, Any] = {
        "subject": subject.subject,
        "policy": subject.policy,
        "evidence": subject.evidence,
        "gate": gate.gate,
        "verdict": str(rule.status),
        "claimed": gate.claimed or claim is not None,
    }
    primary = rule.primary
    if primary is not None and primary.fact is not None:
        properties["fact"] = primary.fact
        properties["expected"] = primary.expected
        properties["actual"] = primary.actual
        if primary.passes_on is not None:
            properties["passesOn"] = primary.passes_on.isoformat()
    if rule.next_step is not None:
        properties["nextStep"] = rule.next_step.step
    if rule.waiver is not None:
        properties["waiver"] = rule.waiver
    if claim is not None and claim.authors:
        properties["claimAuthors"] = list(claim.authors)
    if rule.provenance is not None:
        properties["provenance"] = rule.provenance
    return properties
