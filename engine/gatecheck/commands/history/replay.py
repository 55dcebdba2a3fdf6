"""Replaying: every commit of the range judged under the policy in force, into a History."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from gatecheck.commands.history.judging import Judge, judge_at
from gatecheck.commands.history.reads import declaration_facts
from gatecheck.commands.history.timeline import Timeline
from gatecheck.errors import InvalidInput, Problem, Problems, known_names_hint
from gatecheck.evaluation.history_results import History, Point, Source

if TYPE_CHECKING:
    from gatecheck.collectors.commit_walk import Moment
    from gatecheck.collectors.replay import Replay
    from gatecheck.commands.history.options import HistoryOptions
    from gatecheck.errors import Location
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.progress import Progress
    from gatecheck.project.layout import Project


def replay_history(
    project: Project, options: HistoryOptions, progress: Progress | None = None
) -> History:
    """Replay the range of `options`, judge every point, and build the timeline."""
    from gatecheck.collectors.replay import Replay
    from gatecheck.collectors.table import load_table
    from gatecheck.errors import Location
    from gatecheck.loading.policies import load_policies
    from gatecheck.loading.policy_catalogue import policy_option

    policies = load_policies(project)
    if policies.problems:
        raise InvalidInput(policies.problems)
    where = Location(project.policies.display + "/", 0, 0)
    override = policy_option(policies, options.policy, where) if options.policy else None
    table = load_table()
    if override is not None:
        refs: tuple[str, ...] = (override.ref,)
    else:  # every version the table may find in force
        versions = (version.policy for version in table.policies.versions)
        refs = tuple(dict.fromkeys((*versions, table.policies.otherwise)))
    judges = {ref: Judge.of(_policy(policies, ref, where)) for ref in refs}
    with contextlib.ExitStack() as stack:
        replay = Replay(stack, table, options.replay)
        moments = list(replay.moments())
        chosen = _chosen(replay, moments, options)
        timeline = Timeline(declaration_facts(judge.policy for judge in judges.values()))
        for index, moment in enumerate(moments):
            if progress is not None:
                progress("replaying", index, len(moments))
            ref = override.ref if override is not None else replay.policy(moment)
            timeline.point(_point(moment, first=index == 0))
            listed = [item.name for item in replay.listed(moment) if not item.skipped]
            for subject in chosen or listed:
                if subject in listed:
                    facts = replay.facts(moment, subject)
                    prior = timeline.last(subject)
                    timeline.judged(subject, judge_at(subject, facts, moment, judges[ref], prior))
            timeline.unlisted(set(listed) & set(chosen) if chosen else set(listed))
        first, last = replay.chain[0], replay.chain[-1]
        return History(
            repository=replay.table.repositories["wasmtime"]["name"],
            first=Point(first.commit, first.date, first.summary, ()),
            last=Point(last.commit, last.date, last.summary, ()),
            considered=replay.considered,
            points=tuple(timeline.points),
            subjects=tuple(timeline.order),
            events=tuple(timeline.events),
            ahead=tuple(timeline.finish()),
            policies=tuple(timeline.policies),
            files_read=replay.blobs_read(),
            override=override is not None,
        )


def _policy(policies: Policies, ref: str, where: Location) -> Policy:
    from gatecheck.language.policy import Policy

    found = policies.resolve(ref)
    if isinstance(found, Policy):
        return found
    raise InvalidInput(
        [
            Problem(
                "unknown-policy",
                f"history judges Wasmtime's revisions by {ref}, but {found}",
                where,
                "run with the bundled policies (no policies/ under --root), or pass --policy",
            )
        ]
    )


def _chosen(replay: Replay, moments: list[Moment], options: HistoryOptions) -> tuple[str, ...]:
    """The subjects asked for, each checked to be listed at some point of the range."""
    from gatecheck.errors import Location

    if not options.subjects:
        return ()
    listed: dict[str, str | None] = {}
    for moment in moments:
        for item in replay.listed(moment):
            listed.setdefault(item.name, item.skipped)
    problems = Problems()
    path = options.replay.wasmtime
    first, last = replay.chain[0], replay.chain[-1]
    span = f"{first.commit[:8]} ({first.date[:10]}) to {last.commit[:8]} ({last.date[:10]})"
    for subject in options.subjects:
        if subject not in listed:
            problems.append(
                Problem(
                    "unknown-proposal",
                    f"--subject {subject}: Wasmtime's docs list it at no commit from {span}",
                    Location(path, 0, 0),
                    known_names_hint(
                        subject, [n for n, why in listed.items() if not why], "proposal"
                    ),
                )
            )
        elif listed[subject]:
            problems.append(
                Problem(
                    "unknown-proposal",
                    f"--subject {subject}: not judged by wasm-proposal: {listed[subject]}",
                    Location(path, 0, 0),
                )
            )
    problems.raise_if_any()
    return tuple(dict.fromkeys(options.subjects))


def _point(moment: Moment, *, first: bool) -> Point:
    changed = tuple(
        Source(snapshot.repository, snapshot.commit, snapshot.how)
        for key, snapshot in moment.snapshots.items()
        if first or key in moment.changed
    )
    return Point(moment.commit, moment.date, moment.summary, changed)
