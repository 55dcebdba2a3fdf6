"""The picture formats of a plan: Mermaid and Graphviz DOT, escaping and structure."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from tests.support.project import POLICY_HEAD, write_project

from gatecheck.commands.plan import plan_subject
from gatecheck.project.layout import open_project
from gatecheck.reporters import dot, mermaid

if TYPE_CHECKING:
    from pathlib import Path

    from gatecheck.evaluation.plan_results import PlanReport

NOW = dt.date(2026, 1, 1)

# Titles a pull request could write to break out of a label, open a tag or add a statement.
HOSTILE = {
    "a.1": r'Quote " and \"escaped\" quote',
    "b-2": "Brackets ] [ ) ( } { | and ; end",
    "c_3": "Hash #35; #quot; and & <b>bold</b> <script>x</script> `tick`",
    "d.e-f_g": "Back\\slash \\n \\N \\G and a tab\tand\nnewline\x1b[31m",
}

POLICY = (
    POLICY_HEAD
    + "steps:\n"
    + '  - {id: a.1, title: "Quote \\" and \\\\\\"escaped\\\\\\" quote", source: s, needs: [],'
    " done_when: {fact: done, eq: true}}\n"
    + '  - {id: b-2, title: "Brackets ] [ ) ( } { | and ; end", source: s, needs: [a.1],'
    " done_when: {fact: nope, eq: true}}\n"
    + '  - {id: c_3, title: "Hash #35; #quot; and & <b>bold</b> <script>x</script> `tick`",'
    " source: s, needs: [a.1], done_when: {fact: nope, eq: true}}\n"
    + '  - {id: d.e-f_g, title: "Back\\\\slash \\\\n \\\\N \\\\G and a tab\\tand\\nnewline\\e[31m",'
    " source: s, needs: [b-2, c_3], done_when: {fact: nope, eq: true}}\n"
    + "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
    + "      - {id: r, title: R, source: s, require: {fact: x, eq: 1}, steps: [d.e-f_g]}\n"
    + "  - id: h\n    title: H\n    source: s\n    rules:\n"
    + "      - {id: r, title: R, source: s, require: {fact: x, eq: 1}, steps: [c_3]}\n"
)


def hostile_plan(tmp_path: Path, gate: str | None = None) -> PlanReport:
    root = write_project(tmp_path, POLICY, {"s": "subject: s\npolicy: t\nfacts:\n  done: true\n"})
    return plan_subject(open_project(str(root)), "s", gate, NOW)


def test_the_hostile_policy_holds_the_titles_it_means_to(tmp_path: Path) -> None:
    plan = hostile_plan(tmp_path)
    assert {step.step: step.title for step in plan.steps} == HOSTILE
    assert [step.status for step in plan.steps] == ["done", "ready", "ready", "blocked"]


MERMAID_NODE = re.compile(r'^    (s\d+)(\(\["|\[")([^"]*)("\]\)|"\])$')
MERMAID_EDGE = re.compile(r"^    (s\d+) (-->|==>) (s\d+)$")


def mermaid_structure(text: str) -> tuple[dict[str, str], list[tuple[str, str, bool]]]:
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, bool]] = []
    lines = text.splitlines()
    assert lines[0].startswith("%% ")
    assert lines[1] == "flowchart TD"
    for line in lines[2:]:
        if node := MERMAID_NODE.match(line):
            assert node[1] not in nodes
            nodes[node[1]] = node[3]
        elif edge := MERMAID_EDGE.match(line):
            edges.append((edge[1], edge[3], edge[2] == "==>"))
        else:
            assert re.match(r"^    (classDef|class|linkStyle) [\w,]+ [^\n]*$", line), line
    return nodes, edges


@pytest.mark.parametrize("gate", [None, "g"])
def test_mermaid_has_a_node_per_step_and_an_edge_per_need(tmp_path: Path, gate) -> None:
    plan = hostile_plan(tmp_path, gate)
    text = mermaid.render_plan(plan)
    nodes, edges = mermaid_structure(text)
    ids = {step.step: node for step, node in zip(plan.steps, nodes, strict=True)}
    assert len(nodes) == len(plan.steps)
    assert [(a, b) for a, b, _ in edges] == [
        (ids[need], ids[step.step]) for step in plan.steps for need in step.needs
    ]
    for step in plan.steps:
        label = nodes[ids[step.step]]
        assert '"' not in label
        assert "`" not in label
        assert "<" not in label.replace("<br>", "")
        assert "&" not in label
        assert "#" not in re.sub(r"#(\d+);", "", label)
    if gate is None:
        assert not any(thick for *_, thick in edges)
        assert "linkStyle" not in text
    else:
        # the path to g: b-2, c_3 and d.e-f_g remain; a.1 is done, so its edges are not thick
        thick = [index for index, (*_, on_path) in enumerate(edges) if on_path]
        assert thick == [2, 3]
        assert f"    linkStyle {','.join(map(str, thick))} stroke-width:4px" in text
        assert "    class s1,s2,s3 path" in text


def test_mermaid_escapes_each_hostile_title(tmp_path: Path) -> None:
    nodes, _ = mermaid_structure(mermaid.render_plan(hostile_plan(tmp_path)))
    assert nodes["s0"] == "✓ a.1<br>Quote #34; and \\#34;escaped\\#34; quote"
    assert nodes["s1"] == "▶ b-2<br>Brackets ] [ ) ( } { | and ; end"
    assert nodes["s2"] == (
        "▶ c_3<br>Hash #35;35; #35;quot; and #38; #60;b#62;bold#60;/b#62; "
        "#60;script#62;x#60;/script#62; #96;tick#96;"
    )
    assert nodes["s3"] == (
        "⏸ d.e-f_g<br>Back\\slash \\n \\N \\G and a tab\\tand<br>newline\\x1b[31m"
    )


def dot_labels(text: str) -> dict[str, str]:
    """Each node's label, unescaped as Graphviz reads a quoted string."""
    labels = {}
    for node, raw in re.findall(r'^    (s\d+) \[label="((?:[^"\\]|\\.)*)"', text, re.MULTILINE):
        labels[node] = re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], raw)
    return labels


def test_dot_escapes_each_hostile_title(tmp_path: Path) -> None:
    text = dot.render_plan(hostile_plan(tmp_path))
    labels = dot_labels(text)
    assert labels["s0"] == '✓ a.1\nQuote " and \\"escaped\\" quote'
    assert labels["s2"].startswith("▶ c_3\nHash #35; #quot; and & <b>bold</b>")
    assert labels["s3"] == "⏸ d.e-f_g\nBack\\slash \\n \\N \\G and a tab\\tand\nnewline\\x1b[31m"
    # every quoted string is closed on its own line: nothing spills into the next statement
    for line in text.splitlines()[1:-1]:
        assert line.startswith("    "), line
        assert line.endswith(";"), line
        assert len(re.sub(r'"(?:[^"\\]|\\.)*"', "", line).split('"')) == 1, line


@pytest.mark.parametrize("gate", [None, "g"])
def test_dot_has_a_node_per_step_and_an_edge_per_need(tmp_path: Path, gate) -> None:
    plan = hostile_plan(tmp_path, gate)
    text = dot.render_plan(plan)
    assert text.startswith("digraph plan {\n")
    assert text.endswith("}\n")
    assert len(dot_labels(text)) == len(plan.steps)
    edges = re.findall(r"^    (s\d+) -> (s\d+)( \[penwidth=3[^]]*\])?;$", text, re.MULTILINE)
    ids = {step.step: f"s{index}" for index, step in enumerate(plan.steps)}
    assert [(a, b) for a, b, _ in edges] == [
        (ids[need], ids[step.step]) for step in plan.steps for need in step.needs
    ]
    assert [bool(thick) for *_, thick in edges] == [
        False,
        False,
        gate is not None,
        gate is not None,
    ]


@pytest.mark.parametrize("gate", [None, "g"])
def test_graphviz_parses_the_dot_output(tmp_path: Path, gate) -> None:
    binary = shutil.which("dot")
    if binary is None:
        pytest.skip("Graphviz's dot is not installed")
    text = dot.render_plan(hostile_plan(tmp_path, gate))
    result = subprocess.run(
        [binary, "-Tsvg"], input=text.encode(), capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.count(b'class="node"') == 4
    assert result.stdout.count(b'class="edge"') == 4
