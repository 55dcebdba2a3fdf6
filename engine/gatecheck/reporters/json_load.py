"""Reading a `json` report back: `render`'s output as a Report again (round-trip tests use it)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from gatecheck.errors import Location
from gatecheck.evaluation.results import GateResult, Report, SubjectResult
from gatecheck.evaluation.rule_results import Detail, NextStep, RuleResult, StepStatus, Verdict


def load(text: str) -> Report:
    """Read `render`'s output back into a Report (dates stay ISO strings inside `actual`)."""
    data = json.loads(text)
    return Report(
        now=dt.date.fromisoformat(data["now"]),
        subjects=tuple(_load_subject(subject) for subject in data["subjects"]),
    )


def _load_location(data: dict[str, Any] | None) -> Location | None:
    return None if data is None else Location(data["file"], data["line"], data["column"])


def _load_subject(data: dict[str, Any]) -> SubjectResult:
    return SubjectResult(
        subject=data["subject"],
        policy=data["policy"],
        evidence=data["evidence"],
        now=dt.date.fromisoformat(data["now"]),
        as_of=dt.date.fromisoformat(data["as_of"]) if data["as_of"] else None,
        gates=tuple(
            GateResult(
                gate=gate["gate"],
                title=gate["title"],
                status=Verdict(gate["status"]),
                claim=gate.get("claim"),
                rules=tuple(_load_rule(rule) for rule in gate["rules"]),
            )
            for gate in data["gates"]
        ),
    )


def _load_rule(data: dict[str, Any]) -> RuleResult:
    step = data.get("next")
    return RuleResult(
        rule=data["rule"],
        title=data["title"],
        source=data["source"],
        status=Verdict(data["status"]),
        message=data["message"],
        details=tuple(
            Detail(
                message=d["message"],
                fact=d["fact"],
                expected=d["expected"],
                actual=d["actual"],
                recorded=d["recorded"],
                location=_load_location(d["location"]),
                passes_on=dt.date.fromisoformat(d["passes_on"]) if d["passes_on"] else None,
                hint=d.get("hint"),
                policy_location=_load_location(d.get("policy_location")),
            )
            for d in data["details"]
        ),
        next_step=NextStep(
            step["step"], step["title"], StepStatus(step["status"]), step["for_step"]
        )
        if step
        else None,
        hint=data["rule_hint"] if "rule_hint" in data else data.get("hint"),
        waiver=data.get("waiver"),
        provenance=data.get("provenance"),
        policy_location=_load_location(data["policy_location"]),
    )
