"""What a pull request can make `gatecheck check` cost (issue 12, item 8): bounded, or refused.

Each test builds a hostile change at a size that used to take tens of seconds or gigabytes, and
runs the installed script on it as CI would: `timeout=60` only guards against a hang, and the
child's address space is capped at MEMORY, so a run that needs gigabytes fails with exit 3 instead
of passing. The assertions are on what the run says. docs/reliability.md#bounded-cost has the
measured numbers (bench/hostile_cost.py).
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

from tests.conftest import SHARED
from tests.gitrepo import MAINTAINER, commit, git, git_env
from tests.test_check import NOW, PASSING
from tests.test_installed import SCRIPT

from gatecheck.evaluation import STEP_REASONS

if TYPE_CHECKING:
    from pathlib import Path

MEMORY = 1 << 30  # bytes of address space for one run; the quadratic runs needed 2-3 GB


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`gatecheck check --now NOW ARGS` in `root`, in a subprocess capped at MEMORY."""
    return subprocess.run(
        [str(SCRIPT), "check", "--now", NOW, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_limit_memory,
        env={**git_env(), "GATECHECK_NO_CACHE": "1"},
    )


def repository(tmp_path: Path, files: dict[str, str]) -> Path:
    """The shared project with `files` replaced, committed on main; HEAD is a new branch."""
    root = tmp_path / "repo"
    shutil.copytree(SHARED, root)
    (root / "evidence" / "lib.yaml").write_text(PASSING)
    for name, text in files.items():
        (root / name).write_text(text)
    git(root, "init", "-q", "-b", "main")
    commit(root, "start", author=MAINTAINER)
    git(root, "checkout", "-q", "-b", "change")
    return root


def claim_ship(root: Path, evidence: str = PASSING) -> None:
    (root / "evidence" / "lib.yaml").write_text(evidence.replace("claims: []", "claims: [ship]"))
    commit(root, "claim")


def only_rule(report: dict[str, Any]) -> dict[str, Any]:
    (subject,) = report["subjects"]
    (gate,) = subject["gates"]
    (rule,) = gate["rules"]
    return rule


# -- a long chain of steps --------------------------------------------------------------------

DOCS = "{fact: docs, eq: true}"


def chain_policy(length: int) -> str:
    """Steps s0..s{length-1}, each needing and referring to the one before; one rule names all."""
    steps = ["  - {id: s0, title: t, source: x, done_when: {fact: docs, eq: true}}"]
    steps += [
        f"  - {{id: s{i}, title: t, source: x, needs: [s{i - 1}],"
        f" done_when: {{all: [{{step: s{i - 1}}}, {{fact: docs, eq: true}}]}}}}"
        for i in range(1, length)
    ]
    every = ", ".join(f"s{i}" for i in range(length))
    return (
        "name: release\nversion: 1\ntitle: chain\nsource: {title: x}\n"
        "facts_schema: release.facts.schema.json\n"
        "judgements: {changelog-reviewed: read}\nsteps:\n" + "\n".join(steps) + "\n"
        "gates:\n  - id: ship\n    title: Ship\n    source: x\n    rules:\n"
        f"      - {{id: last, title: t, source: x, require: {{step: s{length - 1}}},"
        f" steps: [{every}]}}\n"
    )


def test_a_chain_of_16000_steps_is_judged_in_linear_memory(tmp_path: Path) -> None:
    """Each step's explanation copied all the steps' before it: 3 GB; a rule naming every step
    made validation keep every step's ancestors: 2.3 GB at 8,000 steps."""
    root = repository(tmp_path, {"policies/release.yaml": chain_policy(16_000)})
    claim_ship(root, PASSING.replace("docs: true", "docs: false"))
    done = run_check(root, "--format", "json")
    assert done.returncode == 1, done.stderr[-2000:]
    rule = only_rule(json.loads(done.stdout))
    assert rule["status"] == "fail"
    messages = [detail["message"] for detail in rule["details"]]
    assert len(messages) == STEP_REASONS + 1
    assert messages[0] == "docs is false; expected == true"  # the deepest reason comes first
    assert messages[-1].startswith("step s15999 is not done (")
    assert rule["next"]["step"] == "s0"


def test_rules_that_all_wait_on_one_long_chain_walk_it_once(tmp_path: Path) -> None:
    """Each failing rule walked the chain to its first ready step: 4,000 x 4,000 took 36 s."""
    length = 4000
    steps = [f"  - {{id: s0, title: t, source: x, done_when: {DOCS}}}"]
    steps += [
        f"  - {{id: s{i}, title: t, source: x, needs: [s{i - 1}], done_when: {DOCS}}}"
        for i in range(1, length)
    ]
    rules = [
        f"      - {{id: r{i}, title: t, source: x, require: {DOCS}, steps: [s{length - 1}]}}"
        for i in range(length)
    ]
    policy = (
        "name: release\nversion: 1\ntitle: chain\nsource: {title: x}\n"
        "facts_schema: release.facts.schema.json\njudgements: {changelog-reviewed: read}\n"
        "steps:\n" + "\n".join(steps) + "\ngates:\n  - id: ship\n    title: Ship\n    source: x\n"
        "    rules:\n" + "\n".join(rules) + "\n"
    )
    root = repository(tmp_path, {"policies/release.yaml": policy})
    claim_ship(root, PASSING.replace("docs: true", "docs: false"))
    done = run_check(root, "--format", "json")
    assert done.returncode == 1, done.stderr[-2000:]
    (subject,) = json.loads(done.stdout)["subjects"]
    rules_judged = subject["gates"][0]["rules"]
    assert len(rules_judged) == length
    assert {(r["status"], r["next"]["step"], r["next"]["for_step"]) for r in rules_judged} == {
        ("fail", "s0", f"s{length - 1}")
    }
