"""`history --format json`: every point, every event (rules judged afresh too), every stretch.

Shape: `repository`, `from` and `to` (the first and last commit considered), `considered`,
`replayed`, `files_read`, `policies` (each with the point it came to judge from), `points` (each
replayed commit: `commit`, `date`, `summary`, `changed`: the repositories whose files read changed
there, with the commit read and why), `subjects` (each with its `events` and its `ahead`
stretches), and `exit` (the status the command exits with). An event names its point by `commit`
and `date`; `before` and `after` are verdicts, fact values (null: absent or not determined) or
policy references; `first: true` marks the events of a subject's first judgement (on being listed),
where `before` is null because there was nothing before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import json_dump

if TYPE_CHECKING:
    from gatecheck.evaluation.history_results import Ahead, Event, History, Point


def render_history(history: History, *, color: bool = False) -> str:
    del color
    data = {
        "repository": history.repository,
        "from": _where(history.first),
        "to": _where(history.last),
        "considered": history.considered,
        "replayed": len(history.points),
        "files_read": history.files_read,
        "policies": [
            {"policy": ref, **_where(history.points[index])} for index, ref in history.policies
        ],
        "points": [_point(point) for point in history.points],
        "subjects": [
            {
                "subject": subject,
                "events": [_event(history, event) for event in history.of(subject)],
                "ahead": [_stretch(history, stretch) for stretch in history.stretches(subject)],
            }
            for subject in history.subjects
        ],
        "exit": history.exit_code(),
    }
    return json_dump(data)


def _where(point: Point) -> dict[str, str]:
    return {"commit": point.commit, "date": point.date}


def _point(point: Point) -> dict[str, Any]:
    return {
        **_where(point),
        "summary": point.summary,
        "changed": [source._asdict() for source in point.changed],
    }


def _event(history: History, event: Event) -> dict[str, Any]:
    found: dict[str, Any] = {**_where(history.points[event.point]), "kind": event.kind}
    if event.first:
        found["first"] = True
    if event.name:
        found["name"] = event.name
    found["before"] = _value(event.before)
    found["after"] = _value(event.after)
    if event.because:
        found["because"] = list(event.because)
    if event.detail:
        found["not_passing"] = [{"rule": rule, "status": status} for rule, status in event.detail]
    return found


def _value(value: Any) -> Any:
    return str(value) if isinstance(value, Verdict) else value


def _stretch(history: History, stretch: Ahead) -> dict[str, Any]:
    return {
        "gate": stretch.gate,
        "policy": stretch.policy,
        "from": _where(history.points[stretch.start]),
        "to": _where(history.points[stretch.end]) if stretch.end is not None else None,
        "ended": stretch.ended,
        "claim": list(stretch.claim),
        "statuses": [str(status) for status in stretch.statuses],
        "failing": stretch.failing,
        "not_passing_at_start": [
            {"rule": rule, "status": str(status)} for rule, status in stretch.rules
        ],
        "failed": list(stretch.failed),
    }
