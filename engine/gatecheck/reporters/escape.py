r"""One escaper per kind of output, for text that comes from files a change controls.

Policies, evidence, file names, test names and git authors reach every output format. Sent raw,
some characters change how the rest is shown instead of being shown: C0 controls (ESC starts a
terminal sequence, CR overwrites a line, LF starts a line that CI may read as a workflow command),
DEL, C1 controls (U+0085 is a line break to some readers; U+009B is a one-byte CSI), the Unicode
bidirectional controls (U+202E turns the rest of a line around) and the line and paragraph
separators. A file name that is not UTF-8 arrives as lone surrogates (Python's surrogateescape),
which no encoder writes. Every format shows all of them as visible escapes (`\x1b`, `\u202e`, the
byte `\xff` of a file name), in the way its own syntax allows:

- `terminal` for a field of text output (one line: `\n` and `\t` are shown too), `terminal_lines`
  for text whose line breaks are meant (a diff);
- `markdown` for Markdown text, `markdown_code` for a Markdown code span;
- `workflow_data` and `workflow_property` for GitHub Actions workflow commands;
- `xml` for XML text and attribute values (what XML 1.0 cannot hold is escaped too);
- `json_dump` for JSON (escaped as `\uXXXX`, so parsed values are unchanged), `script_json` for
  JSON inside an HTML `<script type="application/json">` element.

Reporters call these and never keep a copy of their own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gatecheck import controls
from gatecheck.controls import show as _show

if TYPE_CHECKING:
    from collections.abc import Callable


# A field of text output on one line, every control shown: the foundation's, for every reporter.
terminal = controls.terminal

_LINE_BREAKS_KEPT = re.compile(
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def terminal_lines(text: str) -> str:
    r"""Text of several lines (a diff): line breaks (LF, CRLF) and tabs kept, the rest shown."""
    return _LINE_BREAKS_KEPT.sub(_show, text)


# The colours and weights gatecheck's text formats use (click.style's too): nothing that moves the
# cursor, hides text or talks to the terminal.
_OWN_STYLE = r"\x1b\[(?:0|1|2|22|3[1-6]|39)m"
_OUTPUT_UNSAFE = re.compile(f"(?P<own>{_OWN_STYLE})|{_LINE_BREAKS_KEPT.pattern}")


def _show_unless_own(match: re.Match[str]) -> str:
    return match.group() if match.group("own") else _show(match)


def output(text: str) -> str:
    r"""The last pass over everything a command writes, whatever its format.

    Every format escapes its fields already; this shows whatever control character a format let
    through, keeping line breaks, tabs and the colour codes of gatecheck's own text styles. It
    also breaks GitHub's legacy command prefix `##[`, which the Actions runner looks for anywhere
    in a line of the log (`##[error]...` would be an annotation): written `##[`, which a
    JSON reader takes for the same text.
    """
    if _LINE_BREAKS_KEPT.search(_unusual(text)) is not None:
        text = _OUTPUT_UNSAFE.sub(_show_unless_own, text)
    return text.replace("##[", "#\\u0023[")


# Printable ASCII, line feeds and tabs: what nearly all output is, and nothing `output` changes.
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n\t"


def _unusual(text: str) -> str:
    """The characters of `text` that are not printable ASCII, line feeds or tabs, in order.

    Patterns scan a character at a time: a second per 30 MB (a 100,000-step JSON plan), and 1.5
    ms for each subject's JSON that holds one `≥`. Deleting the plain bytes of the UTF-8 is one C
    pass, and leaves a valid UTF-8 string (no byte of a multi-byte character is ASCII), usually
    empty or a few characters, for the pattern to scan.
    """
    if text.isascii():
        return text.encode("ascii").translate(None, _PLAIN_ASCII).decode("ascii")
    encoded = text.encode("utf-8", "surrogatepass")
    return encoded.translate(None, _PLAIN_ASCII).decode("utf-8", "surrogatepass")


def unencodable(error: UnicodeError) -> tuple[str, int]:
    r"""A codec error handler: characters the output's encoding lacks as `\uXXXX` escapes.

    Astral characters become a UTF-16 surrogate pair (`\ud83d\ude00`), so in JSON output the
    escape stands for the same character, and in text it shows which one it was.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:  # noqa: PLR2004 - beyond the Basic Multilingual Plane
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


# -- Markdown -------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>~&])")
_BLOCK_START = re.compile(r"^(?:([#+-])|(\d+)([.)]))")  # a heading, list item or numbered item
_LINE_BREAK = re.compile("\r\n|\r|\n")


def markdown(text: str) -> str:
    r"""Text as itself in Markdown: markup escaped, controls as `\x1b`, line breaks as `<br>`."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    lines = _LINE_BREAK.split(text)
    text = "\n".join(terminal_lines(line) for line in lines)  # no \n left inside a line
    text = _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    return text.replace("\n", "<br>")


_BACKTICKS = re.compile("`+")


def markdown_code(text: str) -> str:
    r"""`text` as a Markdown code span, shown exactly (CommonMark 6.1).

    Nothing is escaped inside a code span, so the fence is a run of backticks longer than any in
    the text, and a space pads text that starts or ends with a backtick (or with a space at both
    ends, which a reader strips once). Line breaks and other controls are shown as escapes: a
    line break would let the next line start a block before the span is read.
    """
    text = terminal(text)
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    both_spaces = text.startswith(" ") and text.endswith(" ") and text.strip(" ")
    if text.startswith("`") or text.endswith("`") or both_spaces:
        text = f" {text} "
    return f"{fence}{text}{fence}"


# -- GitHub Actions workflow commands --------------------------------------------------------------


def workflow_data(text: str) -> str:
    r"""The message of a workflow command: `%`, CR and LF encoded (the toolkit's escapeData).

    Other controls are shown as escapes (`\x1b`), not sent: the log shows them raw.
    """
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal(text)


def workflow_property(text: str) -> str:
    """A property value of a workflow command: as data, and `:` and `,` (escapeProperty)."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


# -- XML ------------------------------------------------------------------------------------------

# U+FFFE and U+FFFF are not characters XML 1.0 can hold, even as references.
_NOT_XML = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)


def xml(text: str) -> str:
    r"""Text or an attribute value for ElementTree, which escapes `<&>"` itself.

    CR becomes LF, as an XML parser would read it; other controls, and what XML 1.0 cannot hold
    at all, are shown as escapes.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub(_show, text)


# -- JSON -----------------------------------------------------------------------------------------

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_dump(data: Any, *, option: int = 0, default: Callable[[Any], Any] | None = None) -> str:
    r"""`data` as indented JSON text (orjson), ending in a line break.

    orjson escapes C0 controls itself; DEL, C1, bidi controls and the separators are escaped here
    as `\uXXXX`. Outside strings JSON text is ASCII, so each of them is inside a string, where the
    escape stands for the same character: parsed values are unchanged. orjson refuses lone
    surrogates (from file names that are not UTF-8, which loading refuses): if it does, they are
    shown as escapes (`\xff`) and the data written again.
    """
    import orjson

    options = orjson.OPT_INDENT_2 | option
    try:
        encoded = orjson.dumps(data, default=default, option=options)
    except orjson.JSONEncodeError:
        encoded = orjson.dumps(_without_surrogates(data), default=default, option=options)
    text = encoded.decode()
    # The unusual characters straight from orjson's UTF-8: no encoding back to find them.
    if _JSON_UNSAFE.search(encoded.translate(None, _PLAIN_ASCII).decode()) is not None:
        text = _json_escaped(text)
    return text + "\n"


def json_text(text: str) -> str:
    r"""JSON text (from any encoder) with DEL, C1, bidi controls and separators as `\uXXXX`."""
    if _JSON_UNSAFE.search(_unusual(text)) is None:  # the usual case: no copy
        return text
    return _json_escaped(text)


def _json_escaped(text: str) -> str:
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# Inside a <script> element the HTML parser looks for `</script` and `<!--` (which would make a
# later `<script` start a nested one), whatever JSON thinks of its strings: no `<` may be left.
# `>` and `&` go too, so the text reads the same to any HTML tool that does not know the rules.
_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(data: Any) -> str:
    r"""`data` as compact JSON inside `<script type="application/json">`, the same when parsed.

    Outside strings JSON text has no `<`, `>` or `&`, so each is inside a string, where the
    `\u003c` escape stands for the same character; so do the escapes `json_text` adds (DEL, C1,
    bidi controls, U+2028 and U+2029, which older JavaScript parsers took for line ends).
    """
    import orjson

    try:
        text = orjson.dumps(data).decode()
    except orjson.JSONEncodeError:
        text = orjson.dumps(_without_surrogates(data)).decode()
    return json_text(text).translate(_SCRIPT_UNSAFE)


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub(_show, value)
    if isinstance(value, dict):
        return {_without_surrogates(key): _without_surrogates(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_surrogates(item) for item in value]
    return value
