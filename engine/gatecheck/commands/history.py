"""`gatecheck history`: proposals' evidence replayed over Wasmtime's history, and what changed.

Each commit that changes a file the collector reads (`collectors.replay`) is judged as of its own
date, under the version of the policy in force at it, from the facts collected there; in memory,
nothing is written. The result is a timeline per subject: when each rule and gate flipped, when the
subject was declared (the facts a gate's `claimed_when` reads: listed at a tier, on by default),
and every stretch in which a declaration ran ahead of the evidence, its claimed gate not passing.

The seams with `gatecheck collect` are the collector's own rules: `collectors.revision.plan_subject`
(what a subject's evidence becomes at a revision, through `evidence_data`) and
`collectors.revision.policy_in_force` (which version judges it).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, NamedTuple, assert_never

from gatecheck.errors import InvalidInput, Location, Problem, known_names_hint
from gatecheck.evaluation.results import Verdict

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from gatecheck.cli.progress import Progress
    from gatecheck.collectors.commit_walk import Moment, ReplayOptions
    from gatecheck.collectors.facts import Collected, Unknown
    from gatecheck.collectors.replay import Replay
    from gatecheck.collectors.snapshot import Snapshot
    from gatecheck.language.conditions import Condition
    from gatecheck.language.evidence import Evidence
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.project.layout import Project

# What happened to a subject at a point of its history (`Event.kind`).
LISTED = "listed"  # Wasmtime's docs list it (again): its first judgement follows
UNLISTED = "unlisted"  # they no longer do
POLICY = "policy"  # judged by another version of the policy from here
DECLARED = "declared"  # a fact some gate's `claimed_when` reads changed: a tier, a default
FACT = "fact"  # any other collected fact changed
RULE = "rule"  # a rule's verdict flipped (`name` is GATE/RULE)
GATE = "gate"  # a gate's verdict flipped
AHEAD = "ahead"  # a declaration began to run ahead of the evidence: its gate does not pass
CAUGHT_UP = "caught-up"  # that stretch ended (`after` says how: one of the reasons below)
KINDS = (LISTED, UNLISTED, POLICY, DECLARED, FACT, RULE, GATE, AHEAD, CAUGHT_UP)

# How a stretch ahead of the evidence ended.
PASSES = "the gate passes"
WITHDRAWN = "the declaration was withdrawn"
UNREAD = "the declaration is not determined here (a fact its claim reads is not)"
REPLACED = "another version of the policy judges from here"
DROPPED = "Wasmtime's docs no longer list it"


class HistoryOptions(NamedTuple):
    replay: ReplayOptions
    subjects: tuple[str, ...] = ()  # none: every proposal listed at some point
    policy: str | None = None  # --policy NAME@VERSION: judge every point by it


class Source(NamedTuple):
    """A repository read at a point, and why that commit of it."""

    repository: str
    commit: str
    how: str


class Point(NamedTuple):
    """A replayed Wasmtime commit, and the repositories whose files read changed there.

    At the first point, `changed` holds every repository read.
    """

    commit: str
    date: str  # committer date, ISO 8601: the judging date is its day
    summary: str
    changed: tuple[Source, ...]

    @property
    def day(self) -> str:
        return self.date[:10]


class Event(NamedTuple):
    point: int  # index into History.points
    subject: str
    kind: str  # one of KINDS
    name: str = ""  # the fact, gate, GATE/RULE or policy concerned
    before: Any = None  # a verdict, a fact's value (None: absent or not determined), a policy
    after: Any = None
    because: tuple[str, ...] = ()  # rules, gates: the facts they read that changed here
    detail: tuple[tuple[str, str], ...] = ()  # gates, ahead: the rules not passing, with verdicts
    first: bool = False  # part of the subject's first judgement (or on being listed again)


class Ahead(NamedTuple):
    """A declaration ahead of the evidence: points where a claimed gate did not pass.

    The subject claims a gate while the gate's `claimed_when` holds (on by default, listed at a
    tier), whether or not its evidence lists the claim, as `check` reads it.
    """

    subject: str
    gate: str
    policy: str
    start: int  # the first point
    end: int | None  # the point where it ended; None: it still runs at the last commit
    ended: str | None  # how: PASSES, WITHDRAWN, UNREAD, REPLACED or DROPPED
    claim: tuple[str, ...]  # the declaration: the facts the gate's `claimed_when` reads, as read
    statuses: tuple[Verdict, ...]  # the gate's verdicts during the stretch, worst first
    rules: tuple[tuple[str, Verdict], ...]  # the rules that did not pass at the start
    failed: tuple[str, ...]  # rules that failed at some point of the stretch

    @property
    def failing(self) -> bool:
        """Whether the evidence contradicted the declaration at some point (not just lacked)."""
        return Verdict.FAIL in self.statuses


class History(NamedTuple):
    repository: str  # bytecodealliance/wasmtime
    first: Point  # the first commit considered (always replayed)
    last: Point  # --to
    considered: int  # first-parent commits in the range
    points: tuple[Point, ...]  # the commits replayed
    subjects: tuple[str, ...]  # in the order of their first listing
    events: tuple[Event, ...]
    ahead: tuple[Ahead, ...]
    policies: tuple[tuple[int, str], ...]  # (point, policy ref) where each came to judge
    files_read: int  # versions of files read from git, over every repository
    override: bool = False  # --policy: one version judged every point

    def exit_code(self) -> int:
        """1 when a declaration ran ahead of evidence that contradicted it (a failing gate)."""
        return 1 if any(stretch.failing for stretch in self.ahead) else 0

    def of(self, subject: str) -> Iterator[Event]:
        return (event for event in self.events if event.subject == subject)

    def timeline(self, subject: str) -> list[tuple[Point, list[Event]]]:
        """The subject's points with the events people are shown (see `shown`), in order."""
        grouped: dict[int, list[Event]] = {}
        for event in self.of(subject):
            if shown(event):
                grouped.setdefault(event.point, []).append(event)
        return [(self.points[index], events) for index, events in grouped.items()]

    def stretches(self, subject: str) -> list[Ahead]:
        return [stretch for stretch in self.ahead if stretch.subject == subject]

    def counts(self) -> str:
        """How much was replayed, in words (every format's header says it)."""
        return (
            f"{self.considered} commits considered, {len(self.points)} replayed (the others "
            "change no file the collector reads), each judged on its own date; "
            f"{self.files_read} file versions read"
        )

    def conclusion(self) -> str:
        """The closing line: the declarations ahead of the evidence, and which failed."""
        subjects = len(self.subjects)
        ahead = len(self.ahead)
        contradicted = [stretch for stretch in self.ahead if stretch.failing]
        line = (
            f"{subjects} subject{'s' * (subjects != 1)}, {ahead} "
            f"declaration{'s' * (ahead != 1)} ahead of the evidence, {len(contradicted)} of "
            "them while a claimed gate failed"
        )
        if contradicted:
            named = (f"{s.subject} {s.gate} from {self.points[s.start].day}" for s in contradicted)
            line += f" ({', '.join(named)})"
        return line

    def judged_by(self) -> str:
        """Which policy judged from where: `wasm-proposal@1 from 2024-08-21 (c0c3a68c), ...`."""
        if self.override and self.policies:
            return f"{self.policies[0][1]} at every commit (--policy)"
        return ", ".join(
            f"{ref} from {self.points[index].day} ({self.points[index].commit[:8]})"
            for index, ref in self.policies
        )


# -- the seam with `gatecheck collect` -------------------------------------------------------------


def evidence_data(
    subject: str,
    facts: Iterable[Collected | Unknown],
    *,
    policy: str,
    wasmtime: Snapshot,
    hows: dict[str, str],
) -> dict[str, Any]:
    """What a subject's evidence becomes at one revision: the data `collect` would write there.

    A new evidence file described by the collector's own plan (`collectors.revision`): the
    collected facts with their sources, a fact not determined recorded as null with the reason,
    `as_of` the revision's date.
    """
    from gatecheck.collectors.applying import apply_plan
    from gatecheck.collectors.planning import plan_subject
    from gatecheck.collectors.revision import PlanContext, PolicyChoice, WasmtimeRevision

    revision = WasmtimeRevision.of(wasmtime)
    choice = PolicyChoice(policy, found=True, reason="")
    context = PlanContext(revision, choice, frozenset({policy}), hows, revision.date)
    plan = plan_subject(None, list(facts), context)
    create = {"subject": subject, "policy": policy, "title": subject, "as_of": revision.date}
    data: dict[str, Any] = apply_plan(None, plan, create)
    return data


def in_memory_evidence(data: dict[str, Any], policy: Policy, path: str) -> Evidence:
    """Evidence from data, as the engine holds it, without a file (`path` names it in output)."""
    from gatecheck.language.evidence import build_evidence
    from gatecheck.loading.documents import Document

    return build_evidence(Document(path, data, {}, {}), policy)


# -- replaying ------------------------------------------------------------------------------------


def replay_history(
    project: Project, options: HistoryOptions, progress: Progress | None = None
) -> History:
    """Replay the range of `options`, judge every point, and build the timeline."""
    from gatecheck.collectors.replay import Replay
    from gatecheck.collectors.table import load_table
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
    judges = {ref: _Judge.of(_policy(policies, ref, where)) for ref in refs}
    with contextlib.ExitStack() as stack:
        replay = Replay(stack, table, options.replay)
        moments = list(replay.moments())
        chosen = _chosen(replay, moments, options)
        timeline = _Timeline(_declaration_facts(judge.policy for judge in judges.values()))
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
                    timeline.judged(subject, _judge(subject, facts, moment, judges[ref], prior))
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
    if not options.subjects:
        return ()
    listed: dict[str, str | None] = {}
    for moment in moments:
        for item in replay.listed(moment):
            listed.setdefault(item.name, item.skipped)
    problems = []
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
    if problems:
        raise InvalidInput(problems)
    return tuple(dict.fromkeys(options.subjects))


def _point(moment: Moment, *, first: bool) -> Point:
    changed = tuple(
        Source(snapshot.repository, snapshot.commit, snapshot.how)
        for key, snapshot in moment.snapshots.items()
        if first or key in moment.changed
    )
    return Point(moment.commit, moment.date, moment.summary, changed)


class _Judge(NamedTuple):
    policy: Policy
    dated: frozenset[str]  # dated_reads(policy)
    touching: dict[frozenset[str], tuple[str, ...]]  # fact names -> those that touch `dated`

    @classmethod
    def of(cls, policy: Policy) -> _Judge:
        return cls(policy, dated_reads(policy), {})

    def date_bound(self, facts: dict[str, Any]) -> bool:
        """Whether a verdict on these facts could move with the date alone."""
        names = frozenset(facts)
        touching = self.touching.get(names)
        if touching is None:  # the same names at every point: worked out once
            touching = self.touching[names] = tuple(f for f in names if _touches(f, self.dated))
        return any(facts[name] is not None for name in touching)


class _Judged(NamedTuple):
    """A subject at one point: its policy, facts (flattened), verdicts and claimed gates."""

    policy: Policy
    facts: dict[str, Any]  # fact path -> value; None: not determined
    gates: dict[str, Verdict]
    rules: dict[str, Verdict]  # GATE/RULE -> verdict
    claimed: frozenset[str]  # the gates whose `claimed_when` holds
    unread: frozenset[str]  # those whose `claimed_when` reads a fact not determined


def _judge(
    subject: str,
    facts: list[Collected | Unknown],
    moment: Moment,
    judge: _Judge,
    prior: _Judged | None,
) -> _Judged:
    """The subject judged at the moment; the prior judgement again when nothing it rests on moved.

    Most replayed commits change a file that does not change this subject's facts. With the same
    policy and facts, verdicts can differ only through the date, and only where a time test reads
    a fact that is there (the evidence built here has no attestations or waivers, and its facts
    are observed on the judging date, so never stale).
    """
    from gatecheck.collectors.facts import Collected
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.verdicts import judge_subject

    policy = judge.policy
    flat = {f.fact: f.value if isinstance(f, Collected) else None for f in facts}
    if prior is not None and prior.policy is policy and prior.facts == flat:  # noqa: SIM102
        if not judge.date_bound(flat):  # the date alone can move no verdict
            return prior
    day = moment.day
    hows = {snapshot.repository: snapshot.how for snapshot in moment.snapshots.values()}
    wasmtime = moment.snapshots["wasmtime"]
    data = evidence_data(subject, facts, policy=policy.ref, wasmtime=wasmtime, hows=hows)
    evidence = in_memory_evidence(data, policy, f"{subject}@{moment.commit[:12]}")
    evaluator = Evaluator(evidence, day)
    result = judge_subject(evaluator, policy.gates)
    claims = {
        gate.id: evaluator.truth.holds(gate.claimed_when)
        for gate in policy.gates
        if gate.claimed_when is not None
    }
    return _Judged(
        policy=policy,
        facts=flat,
        gates={gate.gate: gate.status for gate in result.gates},
        rules={
            f"{gate.gate}/{rule.rule}": rule.status for gate in result.gates for rule in gate.rules
        },
        claimed=frozenset(gate for gate, holds in claims.items() if holds is True),
        unread=frozenset(gate for gate, holds in claims.items() if holds is None),
    )


# -- the timeline ---------------------------------------------------------------------------------


def facts_read(condition: Condition, policy: Policy) -> set[str]:  # noqa: C901 - one case per kind
    """The fact paths a condition reads from the evidence's facts, through the steps it names."""
    from gatecheck.language import conditions as c

    found: set[str] = set()
    stack: list[Condition] = [condition]
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        match node:
            case c.FactTest() | c.TimeTest():
                if node.fact.variable is None:
                    found.add(".".join(node.fact.parts))
            case c.CountTest() | c.Quantifier():  # a `where` may read plain facts too
                if node.over.variable is None:
                    found.add(".".join(node.over.parts))
                stack.extend(() if node.where is None else (node.where,))
            case c.StepDone():
                if node.step not in seen:
                    seen.add(node.step)
                    stack.append(policy.steps_by_id[node.step].done_when)
            case c.AllOf() | c.AnyOf():
                stack.extend(node.items)
            case c.Not():
                stack.append(node.item)
            case c.Attested():
                pass
            case _:
                assert_never(node)
    return found


def dated_reads(policy: Policy) -> frozenset[str]:
    """The facts whose verdicts move with the judging date.

    Those a time test reads, and the collections a quantifier with a time test inside looks
    through.
    """
    found: set[str] = set()
    conditions = [rule.require for gate in policy.gates for rule in gate.rules]
    conditions += [gate.claimed_when for gate in policy.gates if gate.claimed_when is not None]
    conditions += [step.done_when for step in policy.steps]
    for condition in conditions:
        _time_reads(condition, found)
    return frozenset(found)


def _time_reads(node: Condition, found: set[str]) -> bool:
    """Add the facts whose age `node` tests to `found`; whether it tests any age at all."""
    from gatecheck.language import conditions as c

    match node:
        case c.TimeTest():
            if node.fact.variable is None:
                found.add(".".join(node.fact.parts))
            return True
        case c.CountTest() | c.Quantifier():
            timed = node.where is not None and _time_reads(node.where, found)
            if timed and node.over.variable is None:
                found.add(".".join(node.over.parts))
            return timed
        case c.AllOf() | c.AnyOf():
            timed = False
            for item in node.items:  # every part: each adds the facts it dates
                timed = _time_reads(item, found) or timed
            return timed
        case c.Not():
            return _time_reads(node.item, found)
        case c.FactTest() | c.StepDone() | c.Attested():
            return False
        case _:
            assert_never(node)


def _declaration_facts(policies: Iterable[Policy]) -> frozenset[str]:
    """The facts that declare something about a subject: those a gate's `claimed_when` reads."""
    return frozenset(
        fact
        for policy in policies
        for gate in policy.gates
        if gate.claimed_when is not None
        for fact in facts_read(gate.claimed_when, policy)
    )


def describe(event: Event) -> str:
    """One event in words, the same in every format (each escapes it its own way)."""
    name, before, after = event.name, event.before, event.after
    text = {
        LISTED: "listed in Wasmtime's docs",
        UNLISTED: "no longer listed in Wasmtime's docs",
        POLICY: f"judged by {after}" + (f" (was {before})" if before else ""),
        AHEAD: f"ahead of the evidence: {name} claimed while {_verdict(after)}",
        CAUGHT_UP: f"no longer ahead on {name}: {after}",
    }.get(event.kind)
    if text is None and event.kind in {DECLARED, FACT}:
        change = f"{value_text(before)} → {value_text(after)}"
        if event.first:
            change = value_text(after)
        text = f"{'declared ' if event.kind == DECLARED else ''}{name}: {change}"
    if text is None:  # RULE, GATE
        old = "" if before is None else f"{_verdict(before)} → "
        new = _verdict(after) if after is not None else "not in this policy"
        text = f"{event.kind} {name}: {old}{new}"
    if event.because:
        text += f" ({', '.join(event.because)})"
    return text


def not_passing(event: Event) -> str:
    """A gate's rules that do not pass, grouped by verdict: `fail: a, b; missing: c`."""
    groups: dict[str, list[str]] = {}
    for rule, status in event.detail:
        groups.setdefault(status, []).append(rule)
    return "; ".join(f"{status}: {', '.join(rules)}" for status, rules in groups.items())


def shown(event: Event) -> bool:
    """Whether a timeline for people shows the event (JSON has every event).

    A rule judged afresh, or left behind by another policy, is summed up by its gate's line.
    """
    if event.kind != RULE:
        return True
    return None not in {event.before, event.after} and event.before != event.after


def _verdict(value: Any) -> str:
    return str(value).upper() if isinstance(value, Verdict) else str(value)


def _named(rules: Iterable[tuple[str, Verdict]]) -> tuple[tuple[str, str], ...]:
    return tuple((rule, status.value) for rule, status in rules)


def value_text(value: Any) -> str:
    """A fact's value as output shows it: `true`, `3`, `-W tail-call`; None: not determined."""
    if value is None:
        return "not determined"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _touches(fact: str, reads: Iterable[str]) -> bool:
    return any(
        fact == read or fact.startswith(read + ".") or read.startswith(fact + ".") for read in reads
    )


class _Open(NamedTuple):
    start: int
    policy: str
    claim: tuple[str, ...]
    rules: tuple[tuple[str, Verdict], ...]


class _Timeline:
    """Builds the events point by point, from each subject's judgement and the one before."""

    def __init__(self, declarations: frozenset[str]) -> None:
        self.declarations = declarations
        self.points: list[Point] = []
        self.events: list[Event] = []
        self.order: list[str] = []
        self.policies: list[tuple[int, str]] = []
        self._last: dict[str, _Judged] = {}
        self._open: dict[tuple[str, str], _Open] = {}
        self._statuses: dict[tuple[str, str], set[Verdict]] = {}
        self._failed: dict[tuple[str, str], set[str]] = {}
        self._done: list[Ahead] = []
        self._reads: dict[tuple[str, str], set[str]] = {}
        self._first: set[str] = set()  # the subject being judged for the first time, if it is

    def point(self, point: Point) -> None:
        self.points.append(point)

    def last(self, subject: str) -> _Judged | None:
        return self._last.get(subject)

    @property
    def _now(self) -> int:
        return len(self.points) - 1

    def _event(  # noqa: PLR0913, PLR0917 - the fields of one Event
        self,
        subject: str,
        kind: str,
        name: str = "",
        before: Any = None,
        after: Any = None,
        because: tuple[str, ...] = (),
        detail: tuple[tuple[str, str], ...] = (),
    ) -> None:
        first = subject in self._first
        event = Event(self._now, subject, kind, name, before, after, because, detail, first)
        self.events.append(event)

    def judged(self, subject: str, now: _Judged) -> None:
        """Add what changed for `subject` since its last judgement (all of it, if none)."""
        before = self._last.get(subject)
        if now is before:  # judged again from the same facts: nothing changed
            return
        ref = now.policy.ref
        if not self.policies or self.policies[-1][1] != ref:
            self.policies.append((self._now, ref))
        if subject not in self.order:
            self.order.append(subject)
        self._first = {subject} if before is None else set()
        if before is None:
            self._event(subject, LISTED)
        old_ref = before.policy.ref if before is not None else None
        if old_ref != ref:
            self._event(subject, POLICY, ref, old_ref, ref)
        changed = self._facts(subject, before, now)
        self._verdicts(subject, before, now, changed)
        self._ahead(subject, now)
        self._last[subject] = now

    def _facts(self, subject: str, before: _Judged | None, now: _Judged) -> set[str]:
        """Fact events; at a first judgement, the declarations only. The facts that changed."""
        if before is None:
            for fact in sorted(self.declarations & now.facts.keys()):
                self._event(subject, DECLARED, fact, None, now.facts[fact])
            return set()
        changed = {
            fact
            for fact in before.facts.keys() | now.facts.keys()
            if before.facts.get(fact) != now.facts.get(fact)
        }
        for fact in sorted(changed):
            kind = DECLARED if fact in self.declarations else FACT
            self._event(subject, kind, fact, before.facts.get(fact), now.facts.get(fact))
        return changed

    def _verdicts(
        self, subject: str, before: _Judged | None, now: _Judged, changed: set[str]
    ) -> None:
        """Rule and gate events: the flips, or every verdict when the subject is judged afresh.

        Afresh is its first judgement, or under another policy (`before`: the old one's verdict).
        """
        afresh = before is None or before.policy.ref != now.policy.ref
        old_rules = before.rules if before is not None else {}
        old_gates = before.gates if before is not None else {}
        policy = ("policy",) if afresh and before is not None else ()
        causes: dict[str, tuple[str, ...]] = {}
        for rule in [*now.rules, *(rule for rule in old_rules if rule not in now.rules)]:
            old, new = old_rules.get(rule), now.rules.get(rule)
            if old == new and not afresh:
                continue
            reads = self._rule_reads(now, rule) if new is not None else set()
            causes[rule] = (*policy, *sorted(f for f in changed if _touches(f, reads)))
            self._event(subject, RULE, rule, old, new, causes[rule] if old != new else ())
        for gate in [*now.gates, *(gate for gate in old_gates if gate not in now.gates)]:
            old, new = old_gates.get(gate), now.gates.get(gate)
            if old == new and not afresh:
                continue
            why = {
                f for rule, facts in causes.items() if rule.startswith(gate + "/") for f in facts
            }
            open_rules = tuple(
                (rule.partition("/")[2], status.value)
                for rule, status in now.rules.items()
                if rule.startswith(gate + "/") and not status.passing
            )
            self._event(subject, GATE, gate, old, new, tuple(sorted(why)), open_rules)

    def _rule_reads(self, judged: _Judged, rule: str) -> set[str]:
        key = (judged.policy.ref, rule)
        reads = self._reads.get(key)
        if reads is None:
            gate_id, _, rule_id = rule.partition("/")
            gate = judged.policy.gate(gate_id)
            found = next(r for r in gate.rules if r.id == rule_id) if gate is not None else None
            reads = self._reads[key] = (
                facts_read(found.require, judged.policy) if found is not None else set()
            )
        return reads

    # -- declarations ahead of the evidence -------------------------------------------------------

    def _ahead(self, subject: str, now: _Judged) -> None:
        """Close, open or extend the stretches where a claimed gate of `subject` does not pass."""
        ref = now.policy.ref
        for (owner, gate_id), running in list(self._open.items()):
            if owner != subject:
                continue
            if running.policy != ref:
                self._close(subject, gate_id, REPLACED)
            elif gate_id not in now.claimed:
                self._close(subject, gate_id, UNREAD if gate_id in now.unread else WITHDRAWN)
            elif now.gates[gate_id].passing:
                self._close(subject, gate_id, PASSES)
        for gate in now.policy.gates:
            key = (subject, gate.id)
            status = now.gates[gate.id]
            if gate.id not in now.claimed or status.passing:
                continue
            if key not in self._open:
                reads = facts_read(gate.claimed_when, now.policy) if gate.claimed_when else set()
                claim = tuple(
                    f"{fact}: {value_text(now.facts.get(fact))}" for fact in sorted(reads)
                )
                rules = tuple(
                    (rule.id, now.rules[f"{gate.id}/{rule.id}"])
                    for rule in gate.rules
                    if not now.rules[f"{gate.id}/{rule.id}"].passing
                )
                self._open[key] = _Open(self._now, ref, claim, rules)
                self._statuses[key] = set()
                self._failed[key] = set()
                self._event(subject, AHEAD, gate.id, None, status, (), _named(rules))
            self._statuses[key].add(status)
            self._failed[key].update(
                rule.id for rule in gate.rules if now.rules[f"{gate.id}/{rule.id}"] is Verdict.FAIL
            )

    def unlisted(self, listed: set[str]) -> None:
        """Subjects judged before and not listed at this point: their stretches end here."""
        for subject in [s for s in self._last if s not in listed]:
            del self._last[subject]
            self._event(subject, UNLISTED)
            for owner, gate in [key for key in self._open if key[0] == subject]:
                self._close(owner, gate, DROPPED)

    def _close(self, subject: str, gate: str, how: str) -> None:
        key = (subject, gate)
        running = self._open.pop(key)
        self._event(subject, CAUGHT_UP, gate, None, how)
        self._done.append(self._stretch(key, running, self._now, how))

    def _stretch(
        self, key: tuple[str, str], running: _Open, end: int | None, how: str | None
    ) -> Ahead:
        order = (Verdict.FAIL, Verdict.MISSING, Verdict.WAIVED, Verdict.PASS)
        statuses = self._statuses.pop(key)
        return Ahead(
            subject=key[0],
            gate=key[1],
            policy=running.policy,
            start=running.start,
            end=end,
            ended=how,
            claim=running.claim,
            statuses=tuple(status for status in order if status in statuses),
            rules=running.rules,
            failed=tuple(sorted(self._failed.pop(key))),
        )

    def finish(self) -> list[Ahead]:
        """Every stretch, in the order they began; those still running end at None."""
        for key, running in list(self._open.items()):
            self._done.append(self._stretch(key, running, None, None))
        self._open.clear()
        return sorted(
            self._done, key=lambda stretch: (stretch.start, stretch.subject, stretch.gate)
        )
