r"""Control characters shown, not sent: the one primitive every escaper is built on.

Text from files a change controls may hold C0 and C1 controls, DEL, the Unicode bidirectional
controls, line and paragraph separators, and (in a file name that is not UTF-8) lone surrogates.
`terminal` shows each as a visible escape (`\x1b`, `\u202e`, `\xff`). The located problems of
`errors` print through it; `reporters.escape` builds every output format's escaper on it.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069: bidi controls;
# U+2028/9: line and paragraph separators; U+D800-U+DFFF: lone surrogates.
SHOWN_ESCAPED = (
    "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
)
_ANY = re.compile(f"[{SHOWN_ESCAPED}]")


def visible(char: str) -> str:
    r"""One character as the escape that shows it: `\x1b`, `\n`, `\u202e`, `\xff`.

    A file name's byte that is not UTF-8 (a surrogate that `os` made of it) is shown as that byte.
    """
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # noqa: PLR2004 - surrogateescape's range: bytes 0x80-0xFF
        return f"\\x{code - 0xDC00:02x}"
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


def show(match: re.Match[str]) -> str:
    """The escape that shows the character a pattern matched."""
    return visible(match.group())


def terminal(text: str) -> str:
    r"""A field of text output on one line: every control shown, `\n` and `\t` included."""
    if text.isascii() and text.isprintable():  # most text: no control is ASCII and printable
        return text
    return _ANY.sub(show, text)
