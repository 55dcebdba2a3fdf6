"""`gatecheck history`'s result: the points replayed, the events at each, the stretches ahead."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.evaluation.rule_results import Verdict

if TYPE_CHECKING:
    from collections.abc import Iterator

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


def shown(event: Event) -> bool:
    """Whether a timeline for people shows the event (JSON has every event).

    A rule judged afresh, or left behind by another policy, is summed up by its gate's line.
    """
    if event.kind != RULE:
        return True
    return None not in {event.before, event.after} and event.before != event.after
