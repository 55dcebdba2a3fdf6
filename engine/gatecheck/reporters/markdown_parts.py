"""What the Markdown pages share: a verdict's emoji and a link target that survives Markdown."""

from __future__ import annotations

from gatecheck.evaluation.rule_results import Verdict

EMOJI = {Verdict.PASS: "✅", Verdict.FAIL: "❌", Verdict.MISSING: "❔", Verdict.WAIVED: "⏸️"}


def link(path: str) -> str:
    """A relative link target: spaces and parentheses would end it."""
    return path.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
