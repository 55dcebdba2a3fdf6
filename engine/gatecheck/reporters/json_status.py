"""`status --format json`: the matrix of one gate, its columns, a row per subject, the counts.

Written a subject at a time (`status_chunks`): the head, each row as it is read, then the counts,
byte for byte what one dump of the whole object writes (`render_status`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.findings import rule_location
from gatecheck.reporters.json_values import dump, indented, location_data

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gatecheck.evaluation.results import SubjectResult
    from gatecheck.evaluation.status_results import StatusReport

_MARK = "@@gatecheck-subjects@@"  # stands for the rows in the head's dump, cut out there


def render_status(status: StatusReport) -> str:
    """The matrix: columns (the gate's rules), a row per subject with a cell per column it has."""
    return "".join(status_chunks(status))


def status_chunks(status: StatusReport) -> Iterator[str]:
    """`render_status`'s text in pieces: one per subject, between the head and the counts."""
    head = {
        "now": status.now.isoformat(),
        "gate": status.gate,
        "title": status.gate_title,
        "columns": [
            {"rule": column.rule, "title": column.title, "source": column.source}
            for column in status.columns
        ],
        "declared": [{"fact": column.fact, "title": column.title} for column in status.declared],
        "subjects": [{_MARK: 0}],
    }
    before, _, _ = dump(head).partition(f'    {{\n      "{_MARK}": 0\n    }}\n')
    counts = dict.fromkeys(Verdict, 0)
    written = 0
    for subject in status.subjects:
        counts[subject.gates[0].status] += 1
        text = indented(dump(_row(status, subject)), 4)
        yield (",\n" if written else before) + text
        written += 1
    total = sum(counts.values())
    tail = {
        "summary": {
            "subjects": total,
            "passing": counts[Verdict.PASS] + counts[Verdict.WAIVED],
            **{str(verdict): count for verdict, count in counts.items()},
        },
        "exit_code": 0 if total == counts[Verdict.PASS] + counts[Verdict.WAIVED] else 1,
    }
    after = indented(dump(tail), 0).removeprefix("{\n")
    yield ("\n  ],\n" if written else before.removesuffix("[\n") + "[],\n") + after + "\n"


def _row(status: StatusReport, subject: SubjectResult) -> dict[str, Any]:
    gate = subject.gates[0]
    return {
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
