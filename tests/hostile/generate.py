"""The hostile-input corpus: every case a small project, the file it spoils and the command to run.

A case starts from a valid project (tests/cases/_shared plus a policy test file and spec-test
results) and replaces one of the files gatecheck reads with hostile bytes. Generated cases derive
those bytes from the valid files (truncations, duplicated keys, values of the wrong type, other
encodings, deep nesting); hand-written ones are the files in tests/hostile/files/, named
`<target>--<what>.<ext>`, plus a few that need a symlink or a file too big to commit. Each case must
make gatecheck exit 2 with a located message, fast, writing nothing (tests/hostile/test_hostile.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
SHARED = TESTS / "cases" / "_shared"
FILES = HERE / "files"

TEST_FILE = b"""\
policy: release@1
description: hostile-input corpus base
now: 2026-03-10
evidence: ../../evidence/lib.yaml
cases:
  - name: as recorded
    expect:
      gates: {ship: fail}
      rules: {tests-pass: fail, reviewed: pass}
      steps: {build: done, test: ready}
  - name: fixed
    set: {tests.failed: 0}
    now: 2026-03-11
    expect:
      rules: {tests-pass: pass}
"""

# The file each target names, and the command that reads it ({root} is the project's root).
TARGETS: dict[str, tuple[str, list[str]]] = {
    "policy": ("policies/release.yaml", ["validate"]),
    "evidence": ("evidence/lib.yaml", ["validate"]),
    "test": ("policies/tests/release.test.yaml", ["test"]),
    "schema": ("schemas/release.facts.schema.json", ["validate"]),
    "junit": ("results/nextest.xml", ["record-tests", "{root}/results/nextest.xml"]),
    "libtest": ("results/wast.txt", ["record-tests", "{root}/results/wast.txt"]),
}


def base_files() -> dict[str, bytes]:
    """The valid project every case starts from."""
    files = {str(p.relative_to(SHARED)): p.read_bytes() for p in SHARED.rglob("*") if p.is_file()}
    files[TARGETS["test"][0]] = TEST_FILE
    files[TARGETS["junit"][0]] = (TESTS / "spec_results" / "nextest.xml").read_bytes()
    files[TARGETS["libtest"][0]] = (TESTS / "spec_results" / "wast-cranelift.txt").read_bytes()
    return files


@dataclass
class Case:
    id: str
    category: str
    target: str  # a key of TARGETS
    content: bytes | None = None  # the target's new bytes; None leaves it as it is
    args: list[str] | None = None  # instead of the target's command
    setup: Callable[[Path], None] | None = None  # more changes to the project (symlinks)
    xfail: str | None = None
    extra: dict[str, bytes] = field(default_factory=dict)


YAML_TARGETS = ("policy", "evidence", "test")


def _truncations(base: dict[str, bytes]) -> list[Case]:
    """Cut each file inside its flow collections, strings and markup, where no cut can be valid."""
    cases = []
    for target in (*YAML_TARGETS, "schema", "junit"):
        raw = base[TARGETS[target][0]]
        if target in YAML_TARGETS:
            # Just after each opening bracket and halfway to its closing one: the flow is unclosed.
            offsets = []
            for match in re.finditer(rb"[{\[]", raw):
                end = raw.index(b"]" if match.group() == b"[" else b"}", match.start())
                offsets += [match.start() + 1, (match.start() + end) // 2]
        else:
            step = max(1, len(raw) // 24)
            offsets = list(range(1, len(raw) - 16, step))
        cases += [
            Case(f"truncated-{target}-{offset}", "truncated", target, raw[:offset])
            for offset in sorted(set(offsets))
        ]
    return cases


KEY_LINE = re.compile(rb"^( *)(- )?([A-Za-z_][\w.-]*):(.*)$")


def _duplicate_keys(base: dict[str, bytes]) -> list[Case]:
    """Repeat every key of every mapping, block or flow, at every depth."""
    cases = []
    for target in YAML_TARGETS:
        lines = base[TARGETS[target][0]].split(b"\n")
        for number, line in enumerate(lines):
            found = KEY_LINE.match(line)
            if found:
                indent = found.group(1) + (b"  " if found.group(2) else b"")
                copy = indent + found.group(3) + b":" + found.group(4)
                changed = [*lines[: number + 1], copy, *lines[number + 1 :]]
                cases.append(
                    Case(
                        f"duplicate-key-{target}-line{number + 1}",
                        "duplicate-keys",
                        target,
                        b"\n".join(changed),
                    )
                )
            # Keys inside flow mappings: `{a: 1, b: 2}` -> `{a: 1, a: 1, b: 2}`.
            for index, flow in enumerate(re.finditer(rb"\{([\w.$-]+: [^,}]+)", line)):
                pair = flow.group(1)
                changed_line = line[: flow.start(1)] + pair + b", " + line[flow.start(1) :]
                changed = [*lines[:number], changed_line, *lines[number + 1 :]]
                cases.append(
                    Case(
                        f"duplicate-key-{target}-line{number + 1}-flow{index}",
                        "duplicate-keys",
                        target,
                        b"\n".join(changed),
                    )
                )
    return cases


SCALAR_VALUE = re.compile(rb"^( *(?:- )?[A-Za-z_][\w.-]*: )(\S.*)$")


def _wrong_types(base: dict[str, bytes]) -> list[Case]:
    """Give every value another type: a scalar becomes a mapping, a collection a number."""
    cases = []
    for target in YAML_TARGETS:
        lines = base[TARGETS[target][0]].split(b"\n")
        for number, line in enumerate(lines):
            found = SCALAR_VALUE.match(line)
            if not found or found.group(2).startswith(b"#"):
                continue
            value = found.group(2)
            other = b"12345" if value[:1] in b"{[" else b"{wrong: [type]}"
            changed = [*lines[:number], found.group(1) + other, *lines[number + 1 :]]
            cases.append(
                Case(
                    f"wrong-type-{target}-line{number + 1}",
                    "wrong-types",
                    target,
                    b"\n".join(changed),
                )
            )
    return cases


def _encodings(base: dict[str, bytes]) -> list[Case]:
    """BOMs, other encodings, NUL bytes, binary and empty files, for every target."""
    cases = []
    for target, (path, _args) in TARGETS.items():
        raw = base[path]
        text = raw.decode()
        variants = {
            "utf16-le-bom": b"\xff\xfe" + text.encode("utf-16-le"),
            "utf16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
            "utf32-le-bom": b"\xff\xfe\x00\x00" + text.encode("utf-32-le"),
            "utf32-be-bom": b"\x00\x00\xfe\xff" + text.encode("utf-32-be"),
            "utf16-no-bom": text.encode("utf-16-le"),
            "latin1": raw[: len(raw) // 2] + b"caf\xe9" + raw[len(raw) // 2 :],
            "nul-byte": raw[: len(raw) // 3] + b"\x00" + raw[len(raw) // 3 :],
            "binary": bytes(range(256)) * 4,
            "empty": b"",
            "whitespace": b"  \n\n\t\n",
        }
        if target == "libtest":
            # libtest output is a log read leniently (bytes decoded with replacement): a stray byte
            # outside the test lines is no error, so these two variants spoil nothing there.
            del variants["latin1"], variants["nul-byte"]
        if target in YAML_TARGETS:
            variants["comment-only"] = b"# nothing here\n"
            variants["null"] = b"null\n"
            variants["scalar"] = b"just a string\n"
            variants["list"] = b"- a\n- b\n"
            variants["two-documents"] = raw + b"\n---\n" + raw
        for name, content in variants.items():
            cases.append(Case(f"encoding-{target}-{name}", "encodings", target, content))
    return cases


def _nesting() -> list[Case]:
    cases = []
    for depth in (65, 100, 5000, 100_000):
        flow = b"[" * depth + b"]" * depth
        block = (
            b"".join(b"  " * i + b"k:\n" for i in range(min(depth, 2000))) + b"  " * 2000 + b"v\n"
        )
        json_deep = b'{"a":' * depth + b"{}" + b"}" * depth
        cases += [
            Case(
                f"deep-policy-flow-{depth}",
                "deep-nesting",
                "policy",
                b"name: release\nversion: 1\nsteps: " + flow + b"\n",
            ),
            Case(
                f"deep-evidence-flow-{depth}",
                "deep-nesting",
                "evidence",
                b"subject: lib\npolicy: release\nfacts: {x: " + flow + b"}\n",
            ),
            Case(f"deep-test-block-{depth}", "deep-nesting", "test", b"cases:\n" + block),
            Case(f"deep-schema-{depth}", "deep-nesting", "schema", json_deep),
            Case(
                f"deep-junit-{depth}",
                "deep-nesting",
                "junit",
                b"<testsuites>" + b"<a>" * depth + b"</a>" * depth + b"</testsuites>",
            ),
        ]
    return cases


def _handwritten() -> list[Case]:
    cases = []
    for file in sorted(FILES.iterdir()):
        target, _, rest = file.name.partition("--")
        name = rest.rsplit(".", 1)[0]
        category = name.split("-", 1)[0]
        cases.append(Case(f"{target}-{name}", category, target, file.read_bytes()))
    return cases


def _big() -> list[Case]:
    """Long lines and strings, and a file just over the 32 MiB limit (made here, not committed)."""
    over = 32 * 1024 * 1024 + 1
    head = b"subject: lib\npolicy: release\nfacts: {}\n# "
    return [
        Case(
            "big-evidence-over-32mib",
            "big",
            "evidence",
            head + b"x" * (over - len(head) - 1) + b"\n",
        ),
        Case(
            "big-junit-over-32mib", "big", "junit", b"<testsuites>" + b" " * over + b"</testsuites>"
        ),
        Case(
            "big-evidence-5mb-key",
            "big",
            "evidence",
            b"subject: lib\npolicy: release\nfacts: {" + b"k" * 5_000_000 + b": 1}\n",
        ),
        Case(
            "big-policy-2mb-unterminated-string",
            "big",
            "policy",
            b'name: release\ntitle: "' + b"s" * 2_000_000 + b"\n",
        ),
        Case(
            "big-test-3mb-date",
            "big",
            "test",
            TEST_FILE.replace(b"now: 2026-03-10", b"now: 2026-" + b"1" * 3_000_000),
        ),
        Case("big-libtest-1mb-line", "big", "libtest", b"test " + b"x" * 1_000_000 + b" ... ok\n"),
        Case("big-schema-4mb-string", "big", "schema", b'{"type": "' + b"o" * 4_000_000 + b'"}'),
        # 32 MiB of `{},` would parse into 11 million objects: the values are counted first.
        Case("big-schema-10001-values", "big", "schema", b'{"enum": [' + b"{}," * 10_000 + b"{}]}"),
        Case("big-schema-32mib-of-objects", "big", "schema", b"[" + b"{}," * 11_000_000 + b"{}]"),
    ]


def _symlink(link: str, to: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        target = root / link
        target.unlink(missing_ok=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.symlink_to(to if to.startswith("/") else root / to)

    return setup


def _paths() -> list[Case]:
    """Symlinks and paths that lead out of the project."""
    return [
        Case(
            "path-evidence-symlink-etc-passwd",
            "paths",
            "evidence",
            setup=_symlink("evidence/lib.yaml", "/etc/passwd"),
        ),
        Case(
            "path-evidence-symlink-outside",
            "paths",
            "evidence",
            setup=_symlink("evidence/other.yaml", "../outside.yaml"),
            extra={"../outside.yaml": b"subject: other\npolicy: release\nfacts: {docs: 1}\n"},
        ),
        Case(
            "path-policy-symlink-etc-passwd",
            "paths",
            "policy",
            setup=_symlink("policies/release.yaml", "/etc/passwd"),
        ),
        Case(
            "path-schema-symlink-etc-passwd",
            "paths",
            "schema",
            setup=_symlink("schemas/release.facts.schema.json", "/etc/passwd"),
        ),
        Case(
            "path-evidence-dangling-symlink",
            "paths",
            "evidence",
            setup=_symlink("evidence/lib.yaml", "/nonexistent/gatecheck/lib.yaml"),
        ),
        Case(
            "path-evidence-dir-up",
            "paths",
            "evidence",
            args=["evaluate", "--all", "--evidence", "{root}/evidence/../.."],
        ),
        Case(
            "path-evidence-root-fs",
            "paths",
            "evidence",
            args=["evaluate", "lib", "--evidence", "/etc"],
        ),
        Case(
            "path-policies-dir-up",
            "paths",
            "policy",
            args=["validate", "--policies", "{root}/policies/../.."],
        ),
        Case("path-test-outside", "paths", "test", args=["test", "../" * 40 + "etc/passwd"]),
        Case(
            "path-test-evidence-etc-passwd",
            "paths",
            "test",
            TEST_FILE.replace(b"../../evidence/lib.yaml", b"/etc/passwd"),
        ),
        Case(
            "path-test-evidence-dir-up",
            "paths",
            "test",
            TEST_FILE.replace(b"../../evidence/lib.yaml", b"../../../../../../../../etc/passwd"),
        ),
        Case(
            "path-record-tests-etc-passwd", "paths", "libtest", args=["record-tests", "/etc/passwd"]
        ),
    ]


def _self_links(directory: str, count: int) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        for index in range(count):
            (root / directory / f"loop{index}").symlink_to(".")

    return setup


def _many_files() -> list[Case]:
    """A directory tree that never ends: symlinks back to their own directory, walked to depth 16.

    Ten links reach the 100,000-entry limit after 10,000 directories; two links are the costliest
    shape (50,000 directories, about half a second alone), so they are in
    tests/loading/test_limits.py, which allows them more than this corpus's two seconds.
    """
    return [
        Case(
            "files-test-tree-10-self-links",
            "files",
            "test",
            setup=_self_links("policies/tests", 10),
        )
    ]


def _regex(base: dict[str, bytes]) -> list[Case]:
    """A facts-schema `pattern` that backtracks catastrophically in Python's `re`: RE2 is linear."""
    schema = base[TARGETS["schema"][0]].replace(
        b'"version": {"type": "string"}', b'"version": {"type": "string", "pattern": "^(a+)+$"}'
    )
    evidence = base[TARGETS["evidence"][0]].replace(
        b"  docs: false", b"  docs: false\n  version: " + b"a" * 100_000 + b"!"
    )
    nested = schema.replace(b"^(a+)+$", b"^(a|a)*(b|aa)*$")
    # patternProperties: a key (YAML allows 1,024 characters) the pattern cannot match, but that
    # Python's `re` would take exponential time to give up on, in a map that allows no other keys
    # (and at the top level)
    by_pattern = base[TARGETS["schema"][0]].replace(
        b'"platforms": {"type": "object", "additionalProperties": {"type": "boolean"}}',
        b'"platforms": {"type": "object", "patternProperties": {"^(a+)+$": {"type": "boolean"}},'
        b' "additionalProperties": false}',
    )
    long_key = base[TARGETS["evidence"][0]].replace(
        b"platforms: {linux: true,", b"platforms: {" + b"a" * 1000 + b"!: true, linux: true,"
    )
    top_level = base[TARGETS["schema"][0]].replace(
        b'"additionalProperties": false,\n  "properties"',
        b'"additionalProperties": false,\n  "patternProperties": {"^(a|a)*(b|aa)*$": {}},'
        b'\n  "properties"',
        1,
    )
    top_key = base[TARGETS["evidence"][0]].replace(
        b"  docs: false", b"  docs: false\n  " + b"a" * 1000 + b"!: 1"
    )
    assert by_pattern != base[TARGETS["schema"][0]] != top_level
    too_long = base[TARGETS["policy"][0]].replace(
        b"{fact: docs, eq: true}", b"{fact: version, matches: '" + b"a" * 10_001 + b"'}"
    )
    assert too_long != base[TARGETS["policy"][0]]
    return [
        Case(
            "regex-schema-pattern-properties-catastrophic",
            "regex",
            "schema",
            by_pattern,
            extra={TARGETS["evidence"][0]: long_key},
        ),
        Case(
            "regex-schema-pattern-properties-top-level",
            "regex",
            "schema",
            top_level,
            extra={TARGETS["evidence"][0]: top_key},
        ),
        Case("regex-policy-pattern-too-long", "regex", "policy", too_long),
        Case(
            "regex-schema-pattern-catastrophic",
            "regex",
            "schema",
            schema,
            extra={TARGETS["evidence"][0]: evidence},
        ),
        Case(
            "regex-schema-pattern-alternation",
            "regex",
            "schema",
            nested,
            extra={TARGETS["evidence"][0]: evidence},
        ),
    ]


def _costly(base: dict[str, bytes]) -> list[Case]:
    """A facts schema and evidence that are valid alone, but too costly to check together."""
    schema = json.loads(base[TARGETS["schema"][0]])
    schema["properties"]["numbers"] = {"items": {"allOf": [{"type": "integer"}] * 200}}
    numbers = ", ".join(map(str, range(1000)))
    evidence = base[TARGETS["evidence"][0]].replace(
        b"facts:\n", f"facts:\n  numbers: [{numbers}]\n".encode(), 1
    )
    return [
        Case(
            "cost-all-of-on-every-item",
            "cost",
            "schema",
            json.dumps(schema).encode(),
            extra={TARGETS["evidence"][0]: evidence},
        )
    ]


def cases() -> list[Case]:
    base = base_files()
    every = [
        *_truncations(base),
        *_duplicate_keys(base),
        *_wrong_types(base),
        *_encodings(base),
        *_nesting(),
        *_handwritten(),
        *_big(),
        *_paths(),
        *_many_files(),
        *_regex(base),
        *_costly(base),
    ]
    ids = [case.id for case in every]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return every
