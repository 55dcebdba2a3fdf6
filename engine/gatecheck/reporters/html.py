r"""The `html` status format: one self-contained page for the status matrix of a gate.

Nothing is fetched: the CSS and a small script are inline, the plan graphs are inline SVG laid out
here (columns by dependency depth), and there are no fonts, images or external links. The page
reads the same with the script off (the verdict filters are then simply not offered):

- the matrix, a row per subject and a column per rule, each cell a mark *and* a word (not colour
  alone) with the rule's message in its `title` and shown when the cell has focus;
- a section per subject (anchor `#s-<subject>`): each rule's message, location, what to record,
  the next step, the hint and the waiver; then its plan (ready, blocked, done, the path to the
  gate) and the plan drawn as a graph with the path to the gate highlighted;
- filters by the subject's gate verdict, a skip link, visible focus, a dark palette for
  `prefers-color-scheme: dark`, and a print style (black on white, no filters, a page per subject).

Every text from a policy or evidence file is escaped (and control characters shown as `\x1b`), so a
title or message cannot add markup. The output depends only on the report: no clock is read.
"""

from __future__ import annotations

import re
from html import escape as _html_escape
from typing import TYPE_CHECKING, Any

from gatecheck.errors import printable
from gatecheck.evaluation.results import LISTED, StepStatus, Verdict
from gatecheck.reporters.findings import VERDICT_LABELS, rule_location, shown
from gatecheck.reporters.plangraph import MARKERS, plan_graph

if TYPE_CHECKING:
    from gatecheck.evaluation.results import (
        PlannedStep,
        PlanReport,
        RuleResult,
        StatusReport,
        SubjectResult,
    )

# A mark and a word for each verdict: the page never tells verdicts apart by colour alone.
MARKS = {
    Verdict.PASS: "✓",
    Verdict.FAIL: "✗",
    Verdict.MISSING: "?",
    Verdict.WAIVED: "~",
}  # as `status --format text`
_ORDER = (Verdict.PASS, Verdict.FAIL, Verdict.MISSING, Verdict.WAIVED)
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")

# The plan graph's geometry (SVG user units).
_BOX_W, _BOX_H, _GAP_X, _GAP_Y, _PAD = 210, 52, 56, 14, 12
_TITLE_CHARS = 30
_DONE, _READY, _BLOCKED = (MARKERS[state] for state in StepStatus)


def esc(value: object) -> str:
    """Any value as HTML text or attribute value: controls shown, `<>&"'` as entities."""
    return _html_escape(printable(str(value)), quote=True)


def render_status(status: StatusReport, *, color: bool = False) -> str:
    del color  # the page has its own palette (light and dark)
    ids = _subject_ids(status)
    gate = esc(status.gate)
    counts = dict.fromkeys(_ORDER, 0)
    for subject in status.subjects:
        counts[_subject_verdict(subject)] += 1
    passing = counts[Verdict.PASS] + counts[Verdict.WAIVED]
    total = len(status.subjects)
    by_verdict = ", ".join(f"{counts[v]} {VERDICT_LABELS[v]}" for v in _ORDER)
    summary = (
        f"{total} subject{'s' * (total != 1)}: {passing} passing, {total - passing} not passing "
        f"({by_verdict}), judged on {status.now}."
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>gatecheck status: {gate}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#matrix">Skip to the status matrix</a>',
        "<header>",
        f"<h1>gatecheck status: gate {gate}</h1>",
        f'<p class="gate-title">{esc(status.gate_title)}</p>',
        f'<p class="summary">{esc(summary)}</p>',
        "</header>",
        "<main>",
        *_matrix(status, ids, counts),
        *(
            line
            for subject in status.subjects
            for line in _subject_section(subject, status, ids[subject.subject])
        ),
        "</main>",
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# -- the matrix -----------------------------------------------------------------------------------


def _matrix(status: StatusReport, ids: dict[str, str], counts: dict[Verdict, int]) -> list[str]:
    lines = [
        '<section id="matrix" class="matrix" aria-labelledby="matrix-heading" tabindex="-1">',
        '<h2 id="matrix-heading">Status matrix</h2>',
        # Offered by the script only: without it, every subject is shown and nothing is filtered.
        '<form id="filters" class="filters" hidden>',
        "<fieldset>",
        "<legend>Show subjects whose gate verdict is</legend>",
    ]
    lines.extend(
        f'<label><input type="checkbox" name="verdict" value="{verdict}" checked> '
        f'<span class="v v-{verdict}">{MARKS[verdict]} {VERDICT_LABELS[verdict]}</span> '
        f"({counts[verdict]})</label>"
        for verdict in _ORDER
    )
    lines.extend(
        [
            '<button type="button" id="show-all">Show all</button>',
            "</fieldset>",
            '<p id="shown" class="shown" role="status" aria-live="polite"></p>',
            "</form>",
            '<div class="table-wrap">',
            "<table>",
            (
                f"<caption>Gate {esc(status.gate)}: a row per subject, a column per rule; "
                "each cell's message shows on hover or focus."
                + (
                    " Before the gate: what the subject's own documents declare (· not declared)."
                    if status.declared
                    else ""
                )
                + "</caption>"
            ),
            "<thead>",
            "<tr>",
            '<th scope="col">Subject</th>',
            *(
                f'<th scope="col" class="declared" title="{esc(column.fact)}">'
                f"{esc(column.title)}</th>"
                for column in status.declared
            ),
            '<th scope="col">Gate</th>',
        ]
    )
    lines.extend(
        f'<th scope="col" title="{esc(column.title)}">{_breakable(column.rule)}</th>'
        for column in status.columns
    )
    lines.extend(["</tr>", "</thead>", "<tbody>"])
    for subject in status.subjects:
        sid = ids[subject.subject]
        verdict = _subject_verdict(subject)
        rules = {rule.rule: rule for gate in subject.gates for rule in gate.rules}
        lines.append(f'<tr id="row-{sid}" class="subject-row" data-verdict="{verdict}">')
        lines.append(f'<th scope="row"><a href="#{sid}">{esc(subject.subject)}</a></th>')
        said = status.stated.get(subject.subject, {})
        lines.extend(
            f'<td class="declared">{esc(shown(said.get(column.fact)))}</td>'
            for column in status.declared
        )
        label = VERDICT_LABELS[verdict]
        lines.append(f'<td class="v v-{verdict}">{MARKS[verdict]} {label}</td>')
        for column in status.columns:
            found = rules.get(column.rule)
            if found is None:
                lines.append('<td class="v v-none" title="not a rule of its policy">— n/a</td>')
                continue
            why = esc(found.message)
            lines.append(
                f'<td class="v v-{found.status}" title="{why}">'
                f'<a href="#{sid}--{_rule_id(found.rule)}">'
                f'<span aria-hidden="true">{MARKS[found.status]}</span> '
                f"{VERDICT_LABELS[found.status]}"
                f'<span class="why">{why}</span></a></td>'
            )
        lines.append("</tr>")
    lines.extend(["</tbody>", "</table>", "</div>", "</section>"])
    return lines


def _breakable(name: str) -> str:
    """A rule id that may wrap after its hyphens, so a narrow column fits a long id."""
    return "-<wbr>".join(esc(part) for part in name.split("-"))


# -- a subject's section --------------------------------------------------------------------------


def _subject_section(subject: SubjectResult, status: StatusReport, sid: str) -> list[str]:
    verdict = _subject_verdict(subject)
    judged = subject.dates
    lines = [
        (
            f'<section id="{sid}" class="subject" data-verdict="{verdict}" '
            f'aria-labelledby="{sid}-heading">'
        ),
        (
            f'<h2 id="{sid}-heading"><span class="v v-{verdict}">{MARKS[verdict]} {verdict}</span> '
            f"{esc(subject.subject)}</h2>"
        ),
        (
            f"<p>Policy <code>{esc(subject.policy)}</code>, evidence "
            f"<code>{esc(subject.evidence)}</code>, {esc(judged)}.</p>"
        ),
    ]
    for gate in subject.gates:
        claimed = ""
        if gate.claim == LISTED:
            claimed = " (claimed)"
        elif gate.claim is not None:
            claimed = f" (standing claim: {esc(gate.claim)})"
        lines.append(
            f'<h3>Gate {esc(gate.gate)}: <span class="v v-{gate.status}">'
            f"{MARKS[gate.status]} {gate.status}</span>{claimed}</h3>"
        )
        lines.append(f"<p>{esc(gate.title)}</p>")
        lines.append('<ol class="rules">')
        for rule in gate.rules:
            lines.extend(_rule(rule, subject.evidence, sid))
        lines.append("</ol>")
    plan = status.plans.get(subject.subject)
    if plan is not None:
        lines.extend(_plan(plan, sid))
    lines.append('<p class="back"><a href="#matrix">Back to the matrix</a></p>')
    lines.append("</section>")
    return lines


def _rule(rule: RuleResult, evidence: str, sid: str) -> list[str]:
    lines = [
        f'<li id="{sid}--{_rule_id(rule.rule)}" class="rule">',
        (
            f'<h4><span class="v v-{rule.status}">{MARKS[rule.status]} {rule.status}</span> '
            f"<code>{esc(rule.rule)}</code>: {esc(rule.title)}</h4>"
        ),
        "<dl>",
        _item("message", rule.message),
    ]
    location = rule_location(rule)
    if location is not None:
        lines.append(_item("location", str(location)))
    if rule.status is not Verdict.PASS:
        lines.extend(
            _item("expected", f"{detail.message}: expected {detail.expected}")
            for detail in rule.details[1:]
            if detail.expected is not None
        )
        primary = rule.primary
        if primary is not None and primary.fact and not primary.recorded:
            lines.append(_item("to do", f"record {primary.fact} in {evidence}"))
        if primary is not None and primary.passes_on is not None:
            lines.append(_item("passes on", str(primary.passes_on)))
        if rule.next_step is not None:
            step = rule.next_step
            then = f" (needed for {step.for_step})" if step.for_step else ""
            lines.append(_item("next step", f"{step.step} ({step.status}): {step.title}{then}"))
        if rule.hint:
            lines.append(_item("hint", rule.hint))
    if rule.waiver:
        lines.append(_item("waiver", _pairs(rule.waiver)))
    if rule.provenance:
        lines.append(_item("evidence from", _pairs(rule.provenance)))
    lines.append(_item("source", rule.source))
    lines.extend(["</dl>", "</li>"])
    return lines


def _item(term: str, text: str) -> str:
    return f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>"


def _pairs(mapping: dict[str, Any]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in mapping.items())


# -- a subject's plan -----------------------------------------------------------------------------


def _plan(plan: PlanReport, sid: str) -> list[str]:
    steps = {step.step: step for step in plan.steps}
    scope = f" for gate {plan.gate}" if plan.gate else ""
    lines = [f"<h3>Plan{esc(scope)}</h3>"]
    ready = [steps[name] for name in plan.next if name in steps]
    blocked = [step for step in plan.steps if step.status is StepStatus.BLOCKED]
    done = [step for step in plan.steps if step.status is StepStatus.DONE]
    lines.append(f'<div class="plan-lists">{_steps("Ready now", ready, StepStatus.READY)}')
    lines.append(_steps("Blocked", blocked, StepStatus.BLOCKED))
    lines.append(_steps("Done", done, StepStatus.DONE) + "</div>")
    if plan.gate is not None:
        path = plan.remaining.get(plan.gate, ())
        text = " → ".join(path) if path else "nothing: every step the gate needs is done"
        lines.append(f"<p><strong>Remaining path to {esc(plan.gate)}:</strong> {esc(text)}</p>")
    if plan.steps:
        lines.extend(_graph(plan, sid))
    return lines


def _steps(heading: str, steps: list[PlannedStep], state: StepStatus) -> str:
    items = []
    for step in steps:
        text = f"{step.step}: {step.title}"
        if step.blocked_by:
            text += f" (blocked by {', '.join(step.blocked_by)})"
        elif step.reason and step.status is not StepStatus.DONE:
            text += f" ({step.reason})"
        items.append(f"<li>{esc(text)}</li>")
    body = f"<ul>{''.join(items)}</ul>" if items else "<p>none</p>"
    return f'<div class="steps st-{state}"><h4>{MARKERS[state]} {heading}</h4>{body}</div>'


def _graph(plan: PlanReport, sid: str) -> list[str]:
    """The plan as inline SVG: a column per dependency depth, a box per step, an arrow per need."""
    graph = plan_graph(plan)
    depth = _depths(plan)
    columns: dict[int, list[PlannedStep]] = {}
    for step in plan.steps:
        columns.setdefault(depth[step.step], []).append(step)
    place: dict[str, tuple[int, int]] = {}
    for column, members in columns.items():
        for row, step in enumerate(members):
            x = _PAD + column * (_BOX_W + _GAP_X)
            place[step.step] = (x, _PAD + row * (_BOX_H + _GAP_Y))
    width = _PAD * 2 + len(columns) * _BOX_W + (len(columns) - 1) * _GAP_X
    height = _PAD * 2 + max(len(m) for m in columns.values()) * (_BOX_H + _GAP_Y) - _GAP_Y
    names = {node: name for name, node in graph.ids.items()}
    title = f"Plan of {plan.subject} as a graph"
    lines = [
        f'<figure class="graph" aria-labelledby="{sid}-graph-caption">',
        f'<div class="graph-wrap" tabindex="0" role="group" aria-label="{esc(title)}">',
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{sid}-graph-title">'
        ),
        (
            f'<title id="{sid}-graph-title">{esc(title)}: {len(plan.steps)} steps, arrows from a '
            "step to the steps that need it</title>"
        ),
        "<defs>",
        (
            f'<marker id="{sid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" '
            'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"/></marker>'
        ),
        "</defs>",
    ]
    for edge in graph.edges:
        x1, y1 = place[names[edge.need]]
        x2, y2 = place[names[edge.step]]
        sx, sy, ex, ey = x1 + _BOX_W, y1 + _BOX_H // 2, x2, y2 + _BOX_H // 2
        bend = (ex - sx) // 2
        css = "edge path" if edge.on_path else "edge"
        lines.append(
            f'<path class="{css}" d="M{sx} {sy}C{sx + bend} {sy} {ex - bend} {ey} {ex} {ey}" '
            f'marker-end="url(#{sid}-arrow)"/>'
        )
    for step in plan.steps:
        x, y = place[step.step]
        css = f"node st-{step.status}" + (" path" if step.step in graph.path else "")
        label = step.title if len(step.title) <= _TITLE_CHARS else step.title[:29] + "…"
        lines.append(
            f'<g class="{css}"><title>{esc(step.step)} ({step.status}): {esc(step.title)}</title>'
            f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="6"/>'
            f'<text x="{x + 10}" y="{y + 21}" class="id">{MARKERS[step.status]} '
            f"{esc(step.step)}</text>"
            f'<text x="{x + 10}" y="{y + 40}">{esc(label)}</text></g>'
        )
    lines.extend(
        [
            "</svg>",
            "</div>",
            (
                f'<figcaption id="{sid}-graph-caption">Columns by dependency depth. '
                f"{_DONE} done (solid), {_READY} ready (bold), {_BLOCKED} blocked (dashed); "
                "thick outlines and arrows: the path to the gate.</figcaption>"
            ),
            "</figure>",
        ]
    )
    return lines


def _depths(plan: PlanReport) -> dict[str, int]:
    """Each step's column: 0 without needs, else one more than its deepest need (a DAG)."""
    needs = {step.step: step.needs for step in plan.steps}
    depth: dict[str, int] = {}

    def visit(name: str) -> int:
        if name not in depth:
            depth[name] = 0  # a guard: a plan is acyclic, but never loop if one were not
            known = [visit(need) for need in needs[name] if need in needs]
            depth[name] = 1 + max(known) if known else 0
        return depth[name]

    for step in plan.steps:
        visit(step.step)
    return depth


# -- ids and verdicts -----------------------------------------------------------------------------


def _subject_verdict(subject: SubjectResult) -> Verdict:
    return subject.gates[0].status if subject.gates else Verdict.MISSING


def _rule_id(rule: str) -> str:
    return _UNSAFE_ID.sub("_", rule) or "_"


def _subject_ids(status: StatusReport) -> dict[str, str]:
    """A unique, markup-safe anchor per subject: `s-<name>` (unsafe characters as `_`)."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for subject in status.subjects:
        base = f"s-{_UNSAFE_ID.sub('_', subject.subject)}"
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        ids[subject.subject] = candidate
    return ids


_CSS = """
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--focus:#0550ae;--link:#0550ae;
--pass-bg:#dafbe1;--pass-fg:#116329;--fail-bg:#ffebe9;--fail-fg:#a40e26;
--missing-bg:#fff8c5;--missing-fg:#6c4400;--waived-bg:#ddf4ff;--waived-fg:#0a3069;
--none-bg:#f6f8fa;--none-fg:#59636e;--done:#1a7f37;--done-bg:#d3f0dc;--ready:#0969da;
--ready-bg:#ddf4ff;--blocked:#9a6700;--blocked-bg:#fff8c5;--node-fg:#1f2328;--edge:#59636e;
--path:#8250df}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;
--line:#3d444d;--focus:#79c0ff;--link:#79c0ff;--pass-bg:#0f2d1a;--pass-fg:#7ee787;
--fail-bg:#3d1214;--fail-fg:#ffa198;--missing-bg:#3a2a00;--missing-fg:#f2cc60;
--waived-bg:#0c2d4d;--waived-fg:#a5d6ff;--none-bg:#161b22;--none-fg:#9198a1;--done:#3fb950;
--done-bg:#0f2d1a;--ready:#58a6ff;--ready-bg:#0c2d4d;--blocked:#d29922;--blocked-bg:#3a2a00;
--node-fg:#e6edf3;--edge:#9198a1;--path:#d2a8ff}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:80rem;padding:1rem 1.5rem;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
a{color:var(--link)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:.5rem;background:var(--bg);padding:.5rem;z-index:2}
.skip:focus{left:.5rem}
h1{font-size:1.6rem;margin:.2rem 0}
.gate-title,.summary{margin:.2rem 0;color:var(--muted)}
.filters fieldset{border:1px solid var(--line);border-radius:6px;display:flex;flex-wrap:wrap;
gap:.4rem 1.2rem;align-items:center}
.filters label{cursor:pointer}
.filters button{font:inherit;padding:.15rem .7rem;border:1px solid var(--line);border-radius:6px;
background:var(--none-bg);color:var(--fg);cursor:pointer}
.shown{margin:.3rem 0;color:var(--muted)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
caption{text-align:left;color:var(--muted);padding:.3rem 0}
th,td{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
thead th{font-size:.85em}
tbody th{white-space:nowrap}
td.v{white-space:nowrap;position:relative}
td.v a{color:inherit;text-decoration:none;display:block}
.why{display:none}
td.v a:focus .why,td.v:hover .why{display:block;position:absolute;z-index:1;left:0;top:100%;
width:22rem;white-space:normal;background:var(--bg);color:var(--fg);border:1px solid var(--line);
border-radius:6px;padding:.4rem;box-shadow:0 2px 8px rgba(0,0,0,.3)}
.v-pass{background:var(--pass-bg);color:var(--pass-fg)}
.v-fail{background:var(--fail-bg);color:var(--fail-fg)}
.v-missing{background:var(--missing-bg);color:var(--missing-fg)}
.v-waived{background:var(--waived-bg);color:var(--waived-fg)}
.v-none{background:var(--none-bg);color:var(--none-fg)}
span.v{padding:0 .35rem;border-radius:4px;font-weight:600}
.subject{border-top:2px solid var(--line);margin-top:2rem}
.rules{padding-left:1.2rem}
.rule h4{margin:.8rem 0 .2rem;font-size:1rem}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem .8rem;margin:0}
dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
.plan-lists{display:flex;flex-wrap:wrap;gap:0 2rem}
.steps h4{margin:.4rem 0}
.steps ul{margin:0;padding-left:1.2rem}
.graph{margin:.5rem 0}
.graph-wrap{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
figcaption{color:var(--muted);font-size:.9em}
svg text{font:12px system-ui,sans-serif;fill:var(--node-fg)}
svg text.id{font-weight:700}
.node rect{stroke-width:1.5}
.st-done rect{fill:var(--done-bg);stroke:var(--done)}
.st-ready rect{fill:var(--ready-bg);stroke:var(--ready);stroke-width:2.5}
.st-blocked rect{fill:var(--blocked-bg);stroke:var(--blocked);stroke-dasharray:6 4}
.node.path rect{stroke:var(--path);stroke-width:4}
.edge{fill:none;stroke:var(--edge);stroke-width:1.3}
.edge.path{stroke:var(--path);stroke-width:3.5}
.arrowhead{fill:var(--edge)}
@media screen{.filtered-out{display:none}}
@media print{
:root{--bg:#fff;--fg:#000;--muted:#000;--line:#000;--link:#000;--node-fg:#000;--edge:#000;
--path:#000;--done:#000;--ready:#000;--blocked:#000}
body{max-width:none;padding:0;font-size:11pt}
.skip,.filters,.back,.why{display:none!important}
.v,.st-done rect,.st-ready rect,.st-blocked rect,.v-none{background:#fff;color:#000;fill:#fff}
.subject{break-before:page;border:0}
.graph-wrap{overflow:visible;border:0}
svg{max-width:100%;height:auto}
a{text-decoration:none}
}
""".strip()

_JS = """
(function () {
  var form = document.getElementById("filters");
  if (!form) { return; }
  var boxes = form.querySelectorAll("input[name=verdict]");
  var items = document.querySelectorAll(".subject-row, section.subject");
  var shown = document.getElementById("shown");
  var rows = document.querySelectorAll(".subject-row").length;
  function apply() {
    var show = {};
    boxes.forEach(function (box) { show[box.value] = box.checked; });
    var count = 0;
    items.forEach(function (item) {
      var visible = show[item.getAttribute("data-verdict")] === true;
      item.classList.toggle("filtered-out", !visible);
      if (visible && item.tagName === "TR") { count += 1; }
    });
    shown.textContent = "Showing " + count + " of " + rows + " subjects.";
  }
  form.addEventListener("change", apply);
  document.getElementById("show-all").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = true; });
    apply();
  });
  form.hidden = false;
  apply();
  document.documentElement.setAttribute("data-filters", "ready");
})();
""".strip()
