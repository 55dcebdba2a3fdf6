"""A subject judged at a replayed commit, or its prior judgement when nothing it rests on moved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gatecheck.commands.history.evidence import evidence_data, in_memory_evidence
from gatecheck.commands.history.reads import dated_reads, touches

if TYPE_CHECKING:
    from gatecheck.collectors.commit_walk import Moment
    from gatecheck.collectors.facts import Collected, Unknown
    from gatecheck.evaluation.rule_results import Verdict
    from gatecheck.language.policy import Policy


class Judge(NamedTuple):
    policy: Policy
    dated: frozenset[str]  # dated_reads(policy)
    touching: dict[frozenset[str], tuple[str, ...]]  # fact names -> those that touch `dated`

    @classmethod
    def of(cls, policy: Policy) -> Judge:
        return cls(policy, dated_reads(policy), {})

    def date_bound(self, facts: dict[str, Any]) -> bool:
        """Whether a verdict on these facts could move with the date alone."""
        names = frozenset(facts)
        touching = self.touching.get(names)
        if touching is None:  # the same names at every point: worked out once
            touching = self.touching[names] = tuple(f for f in names if touches(f, self.dated))
        return any(facts[name] is not None for name in touching)


class Judged(NamedTuple):
    """A subject at one point: its policy, facts (flattened), verdicts and claimed gates."""

    policy: Policy
    facts: dict[str, Any]  # fact path -> value; None: not determined
    gates: dict[str, Verdict]
    rules: dict[str, Verdict]  # GATE/RULE -> verdict
    claimed: frozenset[str]  # the gates whose `claimed_when` holds
    unread: frozenset[str]  # those whose `claimed_when` reads a fact not determined


def judge_at(
    subject: str,
    facts: list[Collected | Unknown],
    moment: Moment,
    judge: Judge,
    prior: Judged | None,
) -> Judged:
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
    return Judged(
        policy=policy,
        facts=flat,
        gates={gate.gate: gate.status for gate in result.gates},
        rules={
            f"{gate.gate}/{rule.rule}": rule.status for gate in result.gates for rule in gate.rules
        },
        claimed=frozenset(gate for gate, holds in claims.items() if holds is True),
        unread=frozenset(gate for gate, holds in claims.items() if holds is None),
    )
