"""`gatecheck explain`: the paths the golden cases leave out (errors, narrowing, odd examples)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest

from gatecheck.commands.explain import explain
from gatecheck.errors import InvalidInput, Location
from gatecheck.language.examples import Example
from gatecheck.language.explained import Explained
from gatecheck.project.layout import open_project
from gatecheck.reporters.explain import example_yaml, render_json, render_text

if TYPE_CHECKING:
    from pathlib import Path

NOW = dt.date(2026, 11, 25)
NOW_ARGS = ("--now", "2026-11-25")


def _explained(kind: str, found: Example, **extra: Any) -> Explained:
    fields: dict[str, Any] = {
        "kind": kind,
        "name": "g/r" if kind == "rule" else "s",
        "title": "T",
        "policy": "t@1",
        "source": "src",
        "location": Location("policies/t.yaml", 3, 5),
        "words": ["x = 1"],
        "yaml": ["- id: r", "", "  title: T"],
        "hint": None,
        "steps": [],
        "needs": [],
        "needed_by": [],
        "example": found,
    }
    fields.update(extra)
    return Explained(**fields)


def test_step_prefix_lists_needs_and_what_comes_before(project: Path, run_cli: Any) -> None:
    run = run_cli("explain", "step:publish", "--root", str(project), *NOW_ARGS)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("step publish: Publish the release\n")
    assert "needs: test, docs\n  and before those, in plan order: build\n" in run.stdout
    assert "needed by: rule ship/soaked\n" in run.stdout
    assert "  facts:\n    published: true\n" in run.stdout


def test_rule_prefix_does_not_find_a_step(project: Path, run_cli: Any) -> None:
    run = run_cli("explain", "rule:build", "--root", str(project), *NOW_ARGS)
    assert run.exit_code == 2
    assert "error: no rule is named 'build' in release@1 [unknown-rule]" in run.stderr
    # Only rules are suggested when a rule was asked for: no step names.
    hint = next(line for line in run.stderr.splitlines() if "hint:" in line)
    assert "ship/tests-pass" in hint
    assert "publish" not in hint


def test_step_prefix_does_not_find_a_rule(project: Path) -> None:
    with pytest.raises(InvalidInput) as raised:
        explain(open_project(str(project)), "step:tests-pass", policy=None, gate=None, now=NOW)
    (problem,) = raised.value.problems
    assert problem.code == "unknown-rule"
    assert problem.message == "no step is named 'tests-pass' in release@1"


def test_unknown_gate(project: Path, run_cli: Any) -> None:
    run = run_cli("explain", "tests-pass", "--gate", "nope", "--root", str(project))
    assert run.exit_code == 2
    assert "error: policy release@1 has no gate 'nope' [unknown-gate]" in run.stderr
    assert "hint: known gates: ship" in run.stderr


def test_gate_narrows_the_search(project: Path) -> None:
    found = explain(open_project(str(project)), "soaked", policy=None, gate="ship", now=NOW)
    assert [(item.kind, item.name) for item in found] == [("rule", "ship/soaked")]
    assert found[0].steps == ["build", "test", "docs", "publish"]


def test_a_gate_without_the_rule_is_skipped(project: Path) -> None:
    policy = project / "policies" / "release.yaml"
    policy.write_text(
        policy.read_text()
        + "  - id: later\n    title: Later\n    source: fixture, gate 2\n    rules:\n"
        + "      - id: other\n        title: O\n        source: s\n"
        + "        require: {fact: published, eq: true}\n"
    )
    found = explain(open_project(str(project)), "other", policy=None, gate="later", now=NOW)
    assert [item.name for item in found] == ["later/other"]


def test_broken_policies_are_reported_before_searching(project: Path, run_cli: Any) -> None:
    (project / "policies" / "broken.yaml").write_text("name: broken\nversion: one\n")
    run = run_cli("explain", "tests-pass", "--root", str(project))
    assert run.exit_code == 2
    assert "policies/broken.yaml" in run.stderr
    assert "nothing evaluated" in run.stderr
    assert run.stdout == ""


def test_json_output_of_a_step(project: Path, run_cli: Any) -> None:
    run = run_cli("explain", "step:publish", "--format", "json", "--root", str(project), *NOW_ARGS)
    assert run.exit_code == 0, run.stderr
    (item,) = json.loads(run.stdout)["explained"]
    assert item["kind"] == "step"
    assert item["needs"] == ["test", "docs"]
    assert item["needs_all"] == ["build", "test", "docs"]
    assert item["needed_by"] == ["rule ship/soaked"]
    assert "steps" not in item
    assert item["example"]["yaml"] == "facts:\n  published: true\n"


def test_json_output_of_an_attestation_rule(project: Path, run_cli: Any) -> None:
    run = run_cli("explain", "reviewed", "--format", "json", "--root", str(project), *NOW_ARGS)
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["now"] == "2026-11-25"
    (item,) = document["explained"]
    assert item["name"] == "ship/reviewed"
    assert item["steps"] == []
    assert item["example"]["yaml"] == (
        "attestations:\n  - judgement: changelog-reviewed\n    by: ana\n    date: 2026-11-25\n"
    )


def test_example_yaml_nests_maps_lists_of_maps_and_notes() -> None:
    found = Example(
        facts={
            "build": {"ok": True},
            "runs": [{"os": "linux", "n": 2}, {}],
            "tags": ["a", "b: c"],
            "meta": {},
            "flow": [{"k": "v"}, 1],
            "since": "2026-11-01",
        },
        attestations=[],
        notes={"since": "at least 7 days before the judging date", "build": "a map"},
        missing=[],
    )
    assert example_yaml(found) == [
        "facts:",
        "  build:  # a map",
        "    ok: true",
        "  runs:",
        "    - os: linux",
        "      n: 2",
        "    - {}",
        '  tags: [a, "b: c"]',
        "  meta: {}",
        "  flow: [{k: v}, 1]",
        '  since: "2026-11-01"  # at least 7 days before the judging date',
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("plain", "plain"),
        ("yes", '"yes"'),
        ("", '""'),
        ("1.5", '"1.5"'),
        ("-x", '"-x"'),
        (" padded", '" padded"'),
        ("a#b", '"a#b"'),
    ],
)
def test_strings_are_quoted_only_when_yaml_would_misread_them(value: str, shown: str) -> None:
    found = Example(facts={"v": value}, attestations=[], notes={}, missing=[])
    assert example_yaml(found) == ["facts:", f"  v: {shown}"]


def test_text_of_an_entry_without_facts_but_with_a_hint_and_gaps() -> None:
    nothing = Example(facts={}, attestations=[], notes={}, missing=["not: x: no single value"])
    rule = _explained("rule", nothing, hint="Look at x.")
    step = _explained("step", nothing)
    text = render_text([rule, step], NOW)
    assert "  x = 1\n  hint: Look at x.\n" in text
    # An empty line of the policy's YAML stays empty (no trailing indent).
    assert "  - id: r\n\n    title: T\n" in text
    assert "steps that feed it, in plan order:\n  (none listed)\n" in text
    assert "needs: (nothing)\nneeded by: (nothing)\n" in text
    assert "and before those" not in text
    assert text.count("  (no facts needed)\n") == 2
    assert (
        text.count("  not exemplified (write these yourself):\n    - not: x: no single value\n")
        == 2
    )
    # Two entries are separated by one empty line.
    assert "\n\nstep s: T\n" in text


def test_json_of_an_entry_that_cannot_be_exemplified() -> None:
    nothing = Example(facts={}, attestations=[], notes={}, missing=["why"])
    document = json.loads(render_json([_explained("step", nothing, hint="h")], NOW))
    (item,) = document["explained"]
    assert item["hint"] == "h"
    assert item["location"] == {"file": "policies/t.yaml", "line": 3, "column": 5}
    assert item["example"] == {"yaml": "\n", "notes": {}, "not_exemplified": ["why"]}
