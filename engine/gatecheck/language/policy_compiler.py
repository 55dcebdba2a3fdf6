"""Compiling a policy file's data into the engine's policy, checking its meaning on the way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gatecheck.errors import Problem, known_names_hint
from gatecheck.language import operators
from gatecheck.language.condition_compiler import ConditionCompiler
from gatecheck.language.conditions import step_references
from gatecheck.language.policy import (
    DeclaredColumn,
    Freshness,
    Gate,
    Policy,
    Rule,
    Step,
    WaiverAuthority,
)
from gatecheck.language.policy_references import reference_problems

if TYPE_CHECKING:
    from gatecheck.documents import Document
    from gatecheck.language.compile_checks import Checks
    from gatecheck.language.conditions import Condition


def compile_policy(document: Document, checks: Checks | None = None) -> Policy:
    """Build the engine's policy from validated data; with `checks`, also check its meaning."""
    data = document.data
    reviewers = data.get("reviewers", {})
    fresh = tuple(tuple(text.split(".")) for text in data.get("freshness", {}))
    compiler = ConditionCompiler(document, reviewers, checks, fresh)
    steps = tuple(
        _step(
            step,
            compiler.compile(step["done_when"], ("steps", index, "done_when")),
            index,
            document,
        )
        for index, step in enumerate(data.get("steps", []))
    )
    gates = tuple(
        Gate(
            gate["id"],
            gate["title"],
            gate["source"],
            tuple(
                Rule(
                    rule["id"],
                    rule["title"],
                    rule["source"],
                    compiler.compile(rule["require"], ("gates", g, "rules", r, "require")),
                    tuple(rule.get("steps", ())),
                    rule.get("hint"),
                    document.locate(("gates", g, "rules", r)),
                )
                for r, rule in enumerate(gate["rules"])
            ),
            document.locate(("gates", g)),
            _claimed_when(compiler, gate, g),
        )
        for g, gate in enumerate(data.get("gates", []))
    )
    policy = Policy(
        name=data["name"],
        version=data["version"],
        default=data.get("default", False),
        title=data["title"],
        source_title=data["source"]["title"],
        source_url=data["source"].get("url"),
        facts_schema=data["facts_schema"],
        judgements=dict(data.get("judgements", {})),
        reviewers={group: list(names) for group, names in reviewers.items()},
        steps=steps,
        steps_by_id={step.id: step for step in steps},
        gates=gates,
        path=document.path,
        location=document.locate(()),
        waivers=_waiver_authority(data.get("waivers"), reviewers, document, checks),
        freshness=tuple(
            Freshness(
                compiler.fact_path(text, ("freshness", text)).parts,
                text,
                duration,
                operators.parse_duration(duration) or 0,
                document.locate(("freshness", text)),
            )
            for text, duration in data.get("freshness", {}).items()
        ),
        declared=tuple(
            DeclaredColumn(
                compiler.fact_path(column["fact"], ("declared", index, "fact")).parts,
                column["fact"],
                column["title"],
            )
            for index, column in enumerate(data.get("declared", []))
        ),
    )
    if checks is not None:
        checks.problems.extend(reference_problems(policy, document))
    return policy


def _waiver_authority(
    data: dict[str, str] | None,
    reviewers: dict[str, list[str]],
    document: Document,
    checks: Checks | None,
) -> WaiverAuthority | None:
    if data is None:
        return None
    group = data["approvers"]
    if checks is not None and group not in reviewers:
        checks.problems.append(
            Problem(
                "unknown-reviewers",
                f"reviewer group '{group}' is not declared in the policy's `reviewers`",
                document.locate(("waivers", "approvers")),
                known_names_hint(group, reviewers, "reviewer group"),
            )
        )
    return WaiverAuthority(
        group,
        frozenset(reviewers.get(group, ())),
        data["longest"],
        operators.parse_duration(data["longest"]) or 0,
        document.locate(("waivers",)),
    )


def _claimed_when(
    compiler: ConditionCompiler, gate: dict[str, Any], index: int
) -> Condition | None:
    condition = gate.get("claimed_when")
    if condition is None:
        return None
    return compiler.compile(condition, ("gates", index, "claimed_when"))


def _step(data: dict[str, Any], done_when: Condition, index: int, document: Document) -> Step:
    return Step(
        id=data["id"],
        title=data["title"],
        source=data["source"],
        needs=tuple(data.get("needs", ())),
        done_when=done_when,
        hint=data.get("hint"),
        location=document.locate(("steps", index)),
        refers=tuple(dict.fromkeys(ref.step for ref in step_references(done_when))),
    )
