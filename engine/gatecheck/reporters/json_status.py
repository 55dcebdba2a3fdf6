"""`status --format json`: the matrix of one gate, its columns, a row per subject, the counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.findings import rule_location
from gatecheck.reporters.json_values import dump, location_data

if TYPE_CHECKING:
    from gatecheck.evaluation.status_results import StatusReport


def render_status(status: StatusReport) -> str:
    """The matrix: columns (the gate's rules), a row per subject with a cell per column it has."""
    subjects = []
    counts = dict.fromkeys(Verdict, 0)
    for subject in status.subjects:
        gate = subject.gates[0]
        counts[gate.status] += 1
        subjects.append(
            {
                "subject": subject.subject,
                "policy": subject.policy,
                "evidence": subject.evidence,
                "status": str(gate.status),
                "declared": status.stated.get(subject.subject, {}),
                "cells": {
                    rule.rule: {
                        "status": str(rule.status),
                        "message": rule.message,
                        "location": location_data(rule_location(rule)),
                    }
                    for rule in gate.rules
                },
            }
        )
    return dump(
        {
            "now": status.now.isoformat(),
            "gate": status.gate,
            "title": status.gate_title,
            "columns": [
                {"rule": column.rule, "title": column.title, "source": column.source}
                for column in status.columns
            ],
            "declared": [
                {"fact": column.fact, "title": column.title} for column in status.declared
            ],
            "subjects": subjects,
            "summary": {
                "subjects": len(status.subjects),
                "passing": counts[Verdict.PASS] + counts[Verdict.WAIVED],
                **{str(verdict): count for verdict, count in counts.items()},
            },
            "exit_code": status.exit_code(),
        }
    )
