"""`evaluate`'s formats one subject at a time: the same bytes as `render`, in constant memory.

A `SubjectStream` turns each subject's result into pieces of text as it is judged, and says at the
end what goes before and after them (`finish`): a summary that counts every subject, a SARIF log's
rule descriptors, JUnit's totals and Markdown's outcome are known only then. Each piece belongs to
a numbered section and the sections are written in order, so `github` can put the most important
annotations first without holding the others: the writer (`cli.output.emit_streamed`) keeps each
section in a temporary file. Each format's `render` stays the reference: the tests hold the two to
the same output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from gatecheck.evaluation.results import Report
from gatecheck.evaluation.rule_results import Verdict
from gatecheck.reporters.escape import json_dump
from gatecheck.reporters.findings import Tally, findings
from gatecheck.reporters.json_values import indented

if TYPE_CHECKING:
    import datetime as dt

    from gatecheck.evaluation.results import SubjectResult

Piece = tuple[int, str]  # (section, text)


class SubjectStream(Protocol):
    tally: Tally

    @property
    def explains_passes(self) -> bool:
        """Whether it shows why a passing rule passes (else that explanation need not be built)."""
        ...

    def subject(self, result: SubjectResult) -> list[Piece]: ...

    def finish(self) -> tuple[str, str]: ...


def subject_stream(
    fmt: str, now: dt.date, *, color: bool = False, verbosity: int = 0
) -> SubjectStream:
    """The stream of format `fmt` (one of `REPORTERS`) for a report judged on `now`."""
    streams: dict[str, type[_Stream]] = {
        "text": TextStream,
        "json": JsonStream,
        "sarif": SarifStream,
        "junit": JunitStream,
        "github": GithubStream,
        "markdown": MarkdownStream,
    }
    return streams[fmt](now, color=color, verbosity=verbosity)


class _Stream:
    def __init__(self, now: dt.date, *, color: bool = False, verbosity: int = 0) -> None:
        self.now = now
        self.color = color
        self.verbosity = verbosity
        self.tally = Tally()

    @property
    def explains_passes(self) -> bool:
        return True

    def subject(self, result: SubjectResult) -> list[Piece]:
        self.tally.add(result)
        return self.pieces(result)

    def pieces(self, result: SubjectResult) -> list[Piece]:
        raise NotImplementedError

    def finish(self) -> tuple[str, str]:
        raise NotImplementedError


class TextStream(_Stream):
    @property
    def explains_passes(self) -> bool:
        return self.verbosity > 0

    def pieces(self, result: SubjectResult) -> list[Piece]:
        from gatecheck.reporters.text_gates import gate_lines, heading
        from gatecheck.reporters.text_style import Style

        style = Style(color=self.color)
        gates = result.gates
        if self.verbosity < 0:
            gates = tuple(gate for gate in gates if not gate.status.passing)
            if not gates:
                return []
        lines = [f"{heading(result, style)}  {result.dates}"]
        for gate in gates:
            lines.extend(gate_lines(gate, result.evidence, style, self.verbosity))
        return [(0, "\n".join(lines) + "\n\n")]

    def finish(self) -> tuple[str, str]:
        return "", self.tally.summary() + "\n"


class JsonStream(_Stream):
    """`{"now": ..., "subjects": [...]}`, the shape `render` writes: each subject as it comes."""

    def pieces(self, result: SubjectResult) -> list[Piece]:
        from gatecheck.reporters.json import _subject

        separator = ",\n" if self.tally.subjects > 1 else ""
        return [(0, separator + indented(json_dump(_subject(result)), 4))]

    def finish(self) -> tuple[str, str]:
        now = json_dump(self.now.isoformat()).rstrip("\n")
        if not self.tally.subjects:
            return f'{{\n  "now": {now},\n  "subjects": []\n}}\n', ""
        return f'{{\n  "now": {now},\n  "subjects": [\n', "\n  ]\n}\n"


class SarifStream(_Stream):
    """One run: results written as found; the rule descriptors (one per rule) kept for the end."""

    @property
    def explains_passes(self) -> bool:
        return False

    _MARK = "@@gatecheck-results@@"

    def __init__(self, now: dt.date, *, color: bool = False, verbosity: int = 0) -> None:
        from gatecheck.reporters.sarif_run import Run

        super().__init__(now, color=color, verbosity=verbosity)
        self.run = Run()
        self.results = 0

    def pieces(self, result: SubjectResult) -> list[Piece]:
        import orjson

        from gatecheck.reporters.sarif_findings import evaluation

        evaluation(self.run, Report(self.now, (result,)))
        found, self.run.results = self.run.results, []
        pieces = []
        for item in found:
            text = json_dump(item, option=orjson.OPT_NON_STR_KEYS, default=str)
            pieces.append((0, (",\n" if self.results else "") + indented(text, 8)))
            self.results += 1
        return pieces

    def finish(self) -> tuple[str, str]:
        properties = {"now": self.now.isoformat()}
        if not self.results:
            return self.run.dump(properties), ""
        self.run.results = [{self._MARK: 0}]
        log = self.run.dump(properties)
        mark = f'        {{\n          "{self._MARK}": 0\n        }}\n'
        head, _, tail = log.partition(mark)
        return head, "\n" + tail


class JunitStream(_Stream):
    """`<testsuites>` with its totals, known at the end; one `<testsuite>` per subject before."""

    _COUNTS = ("tests", "failures", "errors", "skipped")

    def __init__(self, now: dt.date, *, color: bool = False, verbosity: int = 0) -> None:
        super().__init__(now, color=color, verbosity=verbosity)
        self.totals = dict.fromkeys(self._COUNTS, 0)

    def pieces(self, result: SubjectResult) -> list[Piece]:
        from xml.etree.ElementTree import indent, tostring

        from gatecheck.reporters.junit import _count, _element, _subject_suite

        root = _element("testsuites")
        _subject_suite(root, result)
        (suite,) = root
        _count(suite)
        for key in self._COUNTS:
            self.totals[key] += int(suite.get(key, "0"))
        indent(root)  # as in the whole document: the suite one level in
        suite.tail = None
        return [(0, "\n  " + tostring(suite, encoding="unicode"))]

    def finish(self) -> tuple[str, str]:
        from xml.etree.ElementTree import tostring

        from gatecheck.reporters.junit import _element

        root = _element("testsuites", name="gatecheck")
        for key in self._COUNTS:
            root.set(key, str(self.totals[key]))
        declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
        if not self.tally.subjects:
            return declaration + tostring(root, encoding="unicode") + "\n", ""
        root.append(_element("x"))  # a child, so the root is written open: its head is wanted
        head, _, _ = tostring(root, encoding="unicode").partition("<x />")
        return declaration + head.rstrip(), "\n</testsuites>\n"


_RANK = {Verdict.FAIL: 0, Verdict.MISSING: 1, Verdict.WAIVED: 2}


class GithubStream(_Stream):
    """`by_importance`'s order: a section per rank of importance, in report order within it."""

    @property
    def explains_passes(self) -> bool:
        return False

    def pieces(self, result: SubjectResult) -> list[Piece]:
        from gatecheck.reporters.github import _finding

        return [
            (
                (found.rule.status is Verdict.WAIVED) * 6
                + (not found.gate.claimed) * 3
                + _RANK[found.rule.status],
                _finding(found) + "\n",
            )
            for found in findings(Report(self.now, (result,)))
        ]

    def finish(self) -> tuple[str, str]:
        return "", f"gatecheck: {self.tally.summary()}\n"


class MarkdownStream(_Stream):
    """The outcome and summary first (written at the end, before the subjects' sections)."""

    def pieces(self, result: SubjectResult) -> list[Piece]:
        from gatecheck.reporters.markdown import _subject

        return [(0, "\n" + "\n".join(_subject(result)))]

    def finish(self) -> tuple[str, str]:
        from gatecheck.reporters.escape import markdown as escape

        tally = self.tally
        gates = tally.gates
        outcome = (
            f"❌ {tally.not_passing} of {gates} gate{'s' * (gates != 1)} not passing"
            if tally.not_passing
            else "✅ every gate passes"
        )
        head = (
            f"## gatecheck evaluate: {outcome}\n\n{escape(tally.summary())}, judged on {self.now}."
        )
        return head, "\n"
