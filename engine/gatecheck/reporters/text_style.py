"""The text format's palette: a colour per verdict and step state, bold and dim, or plain text."""

from __future__ import annotations

from gatecheck.evaluation.rule_results import StepStatus, Verdict

COLORS = {
    Verdict.PASS: "32",
    Verdict.FAIL: "31",
    Verdict.MISSING: "33",
    Verdict.WAIVED: "36",
    StepStatus.DONE: "32",
    StepStatus.READY: "36",
    StepStatus.BLOCKED: "33",
}


class Style:
    """Colour and weight for a terminal, or none (`color=False`): the same text either way."""

    def __init__(self, *, color: bool) -> None:
        self.color = color

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def status(self, status: Verdict | StepStatus, width: int = 0) -> str:
        return self.paint(str(status).upper().ljust(width), COLORS[status])

    def bold(self, text: str) -> str:
        return self.paint(text, "1")

    def dim(self, text: str) -> str:
        return self.paint(text, "2")
