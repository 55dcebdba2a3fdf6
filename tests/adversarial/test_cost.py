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

from tests.support.check_repos import NOW, PASSING
from tests.support.git import MAINTAINER, commit, git, git_env
from tests.support.installed import SCRIPT
from tests.support.project import SHARED

from gatecheck.evaluation.explaining import STEP_REASONS

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
    assert messages[0] == "docs is false; expected true"  # the deepest reason comes first
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


# -- facts schemas ------------------------------------------------------------------------------

SCHEMA = "schemas/release.facts.schema.json"


def with_schema(
    tmp_path: Path, schema: dict[str, Any], facts: str = ""
) -> subprocess.CompletedProcess[str]:
    """`gatecheck check` of a change that replaces the facts schema and adds `facts`."""
    root = repository(tmp_path, {})
    (root / SCHEMA).write_text(json.dumps(schema, indent=1))
    claim_ship(root, PASSING.replace("facts:\n", "facts:\n" + facts))
    return run_check(root)


def shared_schema(**properties: Any) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (SHARED / "schemas" / "release.facts.schema.json").read_text()
    )
    schema["properties"].update(properties)
    return schema


def first_problem(done: subprocess.CompletedProcess[str]) -> tuple[str, str]:
    lines = done.stderr.splitlines()
    return lines[0], lines[1]


def test_a_schema_that_refers_back_to_itself_is_refused(tmp_path: Path) -> None:
    """A 340-byte cycle through `items` in an `anyOf`: each level of nesting in the facts doubled
    the work (depth 16: 3.7 s; depth 40 would take days)."""
    recursive = {
        "anyOf": [{"items": {"$ref": "#/$defs/n"}, "minItems": 9}, {"items": {"$ref": "#/$defs/n"}}]
    }
    schema = {**shared_schema(nest={"$ref": "#/$defs/n"}), "$defs": {"n": recursive}}
    done = with_schema(tmp_path, schema, "  nest: " + "[" * 40 + "]" * 40 + "\n")
    assert done.returncode == 2, done.stderr
    assert first_problem(done) == (
        (
            f"{SCHEMA}:66:7: error: $ref '#/$defs/n' leads back to #/$defs/n, which contains it:"
            " gatecheck does not validate with recursive schemas [schema-cycle]"
        ),
        "  hint: write the nesting out as deep as the facts need; `{}` accepts anything",
    )


def test_a_ref_to_the_whole_schema_is_refused(tmp_path: Path) -> None:
    schema = shared_schema(nest={"anyOf": [{"$ref": "#"}, {"type": "null"}]})
    done = with_schema(tmp_path, schema)
    assert done.returncode == 2, done.stderr
    line, hint = first_problem(done)
    assert line.startswith(f"{SCHEMA}:")
    assert line.endswith(
        "$ref '#' leads back to #, which contains it: gatecheck does not"
        " validate with recursive schemas [schema-cycle]"
    )
    assert hint.startswith("  hint: ")


def test_definitions_that_double_at_each_level_are_refused(tmp_path: Path) -> None:
    """30 definitions, each an `anyOf` of two references to the next: 2**30 leaves."""
    defs: dict[str, Any] = {"d0": {"type": "boolean"}}
    for level in range(1, 31):
        below = {"$ref": f"#/$defs/d{level - 1}"}
        defs[f"d{level}"] = {"anyOf": [below, below]}
    schema = {**shared_schema(nest={"$ref": "#/$defs/d30"}), "$defs": defs}
    done = with_schema(tmp_path, schema, "  nest: 1\n")
    assert done.returncode == 2, done.stderr
    line, _ = first_problem(done)
    assert line.startswith(f"{SCHEMA}:")
    assert line.endswith(
        "error: the schema expands to more than 10,000 values (a $ref counts its target each"
        " time) [too-many-nodes]"
    )


def test_unique_items_of_20000_mappings_is_linear(tmp_path: Path) -> None:
    """jsonschema compared unhashable items pairwise: 8,000 mappings took 56 s."""
    schema = shared_schema(suites={"type": "array", "uniqueItems": True})
    items = "".join(f"    - {{name: s{i}, passed: {i}}}\n" for i in range(20_000))
    done = with_schema(tmp_path, schema, f"  suites:\n{items}    - {{passed: 0.0, name: s0}}\n")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[0] == (
        "evidence/lib.yaml:6:5: error: suites: has non-unique elements: item 20000 repeats"
        " item 0 [schema-violation]"
    )


def test_many_keywords_on_every_item_run_out_of_budget(tmp_path: Path) -> None:
    """An `allOf` of 200 keywords under `items`, 20,000 items: 4 million keywords, 40 s."""
    schema = shared_schema(numbers={"items": {"allOf": [{"type": "integer"}] * 200}})
    items = ", ".join(map(str, range(20_000)))
    done = with_schema(tmp_path, schema, f"  numbers: [{items}]\n")
    assert done.returncode == 2, done.stderr
    line, hint = first_problem(done)
    assert line == (
        "evidence/lib.yaml:5:3: error: checking these facts against the facts schema takes more"
        " than 320,224 steps (the limit: 16 per value of the facts, at least 10,000) [too-costly]"
    )
    assert hint.startswith("  hint: simplify the facts schema")


def test_nested_any_of_under_unevaluated_properties_runs_out_of_budget(tmp_path: Path) -> None:
    """`unevaluatedProperties` evaluates every branch of an `anyOf` again, at each level."""
    node: dict[str, Any] = {"type": "object"}
    for _ in range(10):
        node = {"anyOf": [node, node], "unevaluatedProperties": False}
    done = with_schema(tmp_path, shared_schema(nest=node), "  nest: {x: 1}\n")
    assert done.returncode == 2, done.stderr
    assert first_problem(done)[0].endswith("[too-costly]")


# -- edits --------------------------------------------------------------------------------------


def run_record(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "record", "lib", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_limit_memory,
        env={**git_env(), "GATECHECK_NO_CACHE": "1"},
    )


def test_a_failing_edit_of_20000_identical_lines_is_located_in_linear_time(tmp_path: Path) -> None:
    """difflib without autojunk matched the 20,000 lines pairwise to relocate a problem: 51 s."""
    root = tmp_path / "project"
    shutil.copytree(SHARED, root)
    evidence = root / "evidence" / "lib.yaml"
    text = evidence.read_text()
    same = "  # the same comment\n" * 20_000
    evidence.write_text(text.replace("  docs: false\n", f"  docs: false\n{same}  version: 1\n"))
    done = run_record(root, "tests.failed", "oops")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[:2] == [
        (
            "evidence/lib.yaml:8:13: error: after the edit: tests.failed: expected an integer,"
            " found string 'oops' [schema-violation]"
        ),
        # on a line the edit left alone: located where it is in the file as it stands
        (
            "evidence/lib.yaml:20010:12: error: version: expected a string, found number 1"
            " [schema-violation]"
        ),
    ]
    assert evidence.read_text().count("# the same comment") == 20_000  # nothing written


# -- hints --------------------------------------------------------------------------------------


def test_a_thousand_undefined_steps_get_their_hints_in_linear_time(tmp_path: Path) -> None:
    """Each hint compared its name with every step id, quadratic in their length: 590 s."""
    long_id = "step-" + "a" * 60
    steps = [
        f"  - {{id: {long_id}{i:04d}, title: t, source: x, needs: [{long_id}{i:04d}x],"
        f" done_when: {DOCS}}}"
        for i in range(1000)
    ]
    policy = (
        "name: release\nversion: 1\ntitle: t\nsource: {title: x}\n"
        "facts_schema: release.facts.schema.json\njudgements: {changelog-reviewed: read}\n"
        "steps:\n" + "\n".join(steps) + "\ngates:\n  - id: ship\n    title: Ship\n    source: x\n"
        f"    rules:\n      - {{id: r, title: t, source: x, require: {DOCS}}}\n"
    )
    root = repository(tmp_path, {})
    (root / "policies" / "release.yaml").write_text(policy)
    done = run_check(root)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == (
        f"policies/release.yaml:8:110: error: step '{long_id}0000x' is not defined in this"
        " policy [unknown-step]"
    )
    assert lines[1] == f"  hint: did you mean '{long_id}0000'?"
    assert lines[-1] == "gatecheck: 1000 problems; nothing evaluated"
    hints = [line for line in lines if line.startswith("  hint: ")]
    assert len(hints) == 1000
    # the first 100 of a collection get a did-you-mean; then the known names are listed
    assert sum(hint.startswith("  hint: did you mean") for hint in hints) == 100
