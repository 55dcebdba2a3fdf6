"""Hostile text in every output format, and inputs that used to end a run in a traceback (exit 3).

Test names, fact keys, titles and file names come from files a pull request controls. No format may
pass their control characters through (a line of their own that CI reads as a workflow command, a
terminal sequence, text turned around by a bidi override), and none of them may crash gatecheck.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from junitparser import JUnitXml
from tests.support.check_repos import NOW, new_repository
from tests.support.git import commit, git
from tests.support.installed import SCRIPT
from tests.support.project import REPO, SHARED, write_project

from gatecheck import controls
from gatecheck.cli.group import cli
from gatecheck.reporters import escape

if TYPE_CHECKING:
    from pathlib import Path

# Every character that must never reach an output raw (LF and TAB only where a format means them).
HOSTILE = "\x1b[2J\x07\x7f\x85\x9b\u202e\u2066\u200f\u2028\u2029"
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def installed(*args: str, cwd: Path, env: dict[str, str] | None = None):
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, capture_output=True, timeout=120, check=False, env=full
    )


def no_raw_controls(text: str) -> None:
    found = RAW.search(text)
    assert found is None, (
        f"raw {found.group()!r} at {found.start()}: {text[found.start() - 40 :]!r}"
    )


# -- the escapers ---------------------------------------------------------------------------------


def test_terminal_shows_every_control_on_one_line() -> None:
    assert escape.terminal("a\nb\tc" + HOSTILE) == (
        r"a\nb\tc\x1b[2J\x07\x7f\x85\x9b\u202e\u2066\u200f\u2028\u2029"
    )
    assert escape.terminal("evidence/\udcff.yaml") == r"evidence/\xff.yaml"  # the byte, as named


def test_output_keeps_line_breaks_tabs_and_own_colours_only() -> None:
    text = "\x1b[32mok\x1b[0m\tx\r\ny\rz\x1b[8mhidden\x1b]0;title\x07\n"
    assert escape.output(text) == (
        "\x1b[32mok\x1b[0m\tx\r\ny\\rz\\x1b[8mhidden\\x1b]0;title\\x07\n"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain\ttext\r\n", "plain\ttext\r\n"),
        ("a\x00b", "a\\x00b"),
        ("a\x7fb", "a\\x7fb"),
        ("a\rb", "a\\rb"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("log ##[error] x\n", "log #\\u0023[error] x\n"),
    ],
)
def test_output_of_ascii_text_shows_each_control_it_holds(text: str, shown: str) -> None:
    # Plain ASCII skips the pattern's scan: one control anywhere must still be shown.
    assert escape.output(text * 1000) == shown * 1000


_ALPHABET = "ax\t\n\r\x00\x1b[31m\x7f\x85\x9b\u061c\u200f\u2028\u202e\u2066\udcff≥é😀#"


@settings(max_examples=300)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_output_and_json_text_skip_only_text_their_patterns_leave_alone(text: str) -> None:
    # Both look at the characters that are not plain ASCII before scanning with their pattern:
    # the shortcut must give what the pattern alone gives, whatever the mix (non-ASCII included).
    own = escape._OUTPUT_UNSAFE.sub(escape._show_unless_own, text).replace("##[", "#\\u0023[")
    assert escape.output(text) == own
    unsafe = escape._JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    assert escape.json_text(text) == unsafe
    dumped = escape.json_dump({"k": text})
    assert escape._JSON_UNSAFE.search(dumped) is None
    if not re.search("[\ud800-\udfff]", text):
        assert json.loads(dumped) == {"k": text}


@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_terminal_skips_only_text_its_pattern_leaves_alone(text: str) -> None:
    # Plain printable ASCII is returned as it is; anything else goes through the pattern.
    assert controls.terminal(text) == controls._ANY.sub(controls.show, text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),
        ("``x```", "```` ``x``` ````"),
        ("`", "`` ` ``"),
        (" both ", "`  both  `"),
        ("x\n# heading", r"`x\n# heading`"),
    ],
)
def test_markdown_code_span_fence_is_longer_than_any_run(text: str, span: str) -> None:
    assert escape.markdown_code(text) == span


def test_xml_holds_only_what_xml_allows() -> None:
    assert escape.xml("a\r\nb\x00c\ufffed\u202e") == r"a" + "\n" + r"b\x00c\ufffed\u202e"


def test_json_escapes_are_the_same_characters() -> None:
    data = {"k\u202e": "v" + HOSTILE, "name": "evidence/\udcff.yaml"}
    text = escape.json_dump(data)
    no_raw_controls(text)
    back = json.loads(text)
    assert back["k\u202e"] == "v" + HOSTILE  # parsed values are unchanged
    assert back["name"] == r"evidence/\xff.yaml"  # orjson cannot write a lone surrogate


# -- record-tests: test names from CI artefacts ----------------------------------------------------

JUNIT = """\
<?xml version="1.0" encoding="UTF-8"?>
<testsuites><testsuite name="w">
<testcase name="CraneliftNative//x/tests/spec_testsuite/zz&#10;::error file=a,line=1::pwned.wast"/>
<testcase name="CraneliftNative//x/tests/spec_testsuite/bidi&#x202E;txt&#x85;.wast"/>
<testcase name="CraneliftNative//x/tests/spec_testsuite/return_call.wast"/>
</testsuite></testsuites>
"""
LIBTEST = (
    "running 2 tests\n"
    "test CraneliftNative//x/tests/spec_testsuite/esc\x1b[31mred\x1b]0;t\x07.wast ... ok\n"
    "test CraneliftNative//x/tests/spec_testsuite/return_call.wast ... ok\n\n"
    "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n"
)


@pytest.fixture
def wasm(tmp_path: Path) -> Path:
    root = tmp_path / "wasm"
    for name in ("policies", "schemas", "evidence"):
        shutil.copytree(REPO / name, root / name)
    return root


def test_record_tests_cannot_print_a_workflow_command(run_cli, wasm: Path) -> None:
    results = wasm / "results.xml"
    results.write_text(JUNIT)
    run = run_cli("record-tests", str(results), "--root", str(wasm), "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert not [line for line in run.stdout.splitlines() if line.lstrip().startswith("::")]
    assert (
        r"2 spec tests of no proposal: bidi\u202etxt\x85.wast, "
        r"zz\n::error file=a,line=1::pwned.wast" + "\n"
    ) in run.stdout
    no_raw_controls(run.stdout)


def test_record_tests_shows_terminal_sequences_in_test_names(wasm: Path, tmp_path: Path) -> None:
    results = tmp_path / "wast.txt"
    results.write_bytes(LIBTEST.encode())
    run = installed("record-tests", str(results), "--root", str(wasm), "--dry-run", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    stdout = run.stdout.decode()
    assert r"1 spec tests of no proposal: esc\x1b[31mred\x1b]0;t\x07.wast" in stdout
    no_raw_controls(stdout)


# -- every format of evaluate, check and status ----------------------------------------------------


def hostile_project(root: Path) -> Path:
    """The shared project with control characters in a gate title and a fact's string value."""
    shutil.copytree(SHARED, root)
    policy = root / "policies" / "release.yaml"
    text = policy.read_text()
    text = text.replace("title: Ship it\n", 'title: "Ship\\e[2J\\u202eit\\N\\nnext\\L"\n', 1)
    text = text.replace(
        "        steps: [test]\n",
        "        steps: [test]\n"
        "      - id: versioned\n"
        '        title: "Has\\N a\\u202e version"\n'
        "        source: fixture\n"
        "        require: {fact: version, eq: '1.0'}\n",
        1,
    )
    policy.write_text(text)
    evidence = root / "evidence" / "lib.yaml"
    fact = '  version: "1\\e]0;x\\a\\u202e\\x85\\n::error::injected"\n'
    evidence.write_text(evidence.read_text().replace("facts:\n", "facts:\n" + fact, 1))
    return root


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return hostile_project(tmp_path / "hostile")


FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")


@pytest.mark.parametrize("fmt", FORMATS)
def test_evaluate_shows_no_control_character_raw(run_cli, hostile: Path, fmt: str) -> None:
    run = run_cli("evaluate", "lib", "--root", str(hostile), "--format", fmt, "--now", NOW)
    assert run.exit_code == 1, run.stderr
    no_raw_controls(run.stdout)
    lines = run.stdout.splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]
    assert all(line.startswith(("::error ", "::notice ")) for line in commands)
    assert not any("::error::injected" in line.partition("::")[2][:20] for line in commands)
    if fmt == "json":
        rules = json.loads(run.stdout)["subjects"][0]["gates"][0]["rules"]
        (versioned,) = [rule for rule in rules if rule["rule"] == "versioned"]
        assert versioned["actual"] == "1\x1b]0;x\x07\u202e\x85\n::error::injected"
    if fmt == "junit":
        JUnitXml.fromstring(run.stdout.encode())  # well-formed XML 1.0, as CI reads it
    if fmt == "text":
        assert r"gate ship: FAIL  Ship\x1b[2J\u202eit\x85\nnext\u2028" in run.stdout
        assert r"version is '1\x1b]0;x\x07\u202e\x85\n::error::injected'" in run.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_explain_shows_no_control_character_raw(run_cli, hostile: Path, fmt: str) -> None:
    run = run_cli("explain", "versioned", "--root", str(hostile), "--format", fmt, "--now", NOW)
    assert run.exit_code == 0, run.stderr
    no_raw_controls(run.stdout)
    if fmt == "json":
        assert json.loads(run.stdout)["explained"][0]["title"] == "Has\x85 a\u202e version"
    else:
        assert run.stdout.startswith("rule ship/versioned: Has\\x85 a\\u202e version\n")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_status_shows_no_control_character_raw(run_cli, hostile: Path, fmt: str) -> None:
    run = run_cli("status", "--root", str(hostile), "--format", fmt, "--now", NOW)
    assert run.exit_code == 1, run.stderr
    no_raw_controls(run.stdout)


def test_a_backtick_in_a_fact_key_cannot_break_out_of_a_markdown_footnote(
    run_cli, tmp_path: Path
) -> None:
    policy = (
        "name: t\nversion: 1\ntitle: T\nsource: {title: tests}\nfacts_schema: t.facts.schema.json\n"
        "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
        "      - id: r\n        title: R\n        source: s\n"
        "        require: {fact: 'a` [x](https://evil.example) `b', eq: true}\n"
    )
    root = write_project(tmp_path / "p", policy, {"s": "subject: s\npolicy: t\nfacts: {}\n"})
    run = run_cli("status", "--root", str(root), "--format", "markdown", "--now", NOW)
    assert run.exit_code == 1, run.stderr
    (note,) = [line for line in run.stdout.splitlines() if line.startswith("[^1]:")]
    assert note == (
        "[^1]: s, r: missing; to do: record ``a` [x](https://evil.example) `b`` in evidence/s.yaml"
    )


def test_github_annotations_escape_every_value(run_cli, hostile: Path) -> None:
    run = run_cli("evaluate", "lib", "--root", str(hostile), "--format", "github", "--now", NOW)
    for line in run.stdout.splitlines()[:-1]:
        assert re.fullmatch(r"::(error|warning|notice) [^:\r\n]*::[^\r\n]*", line), line
    (versioned,) = [line for line in run.stdout.splitlines() if "versioned" in line]
    assert r"%0Aversion is '1\x1b]0;x\x07\u202e\x85\n::error::injected'" in versioned


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_githubs_legacy_command_prefix_never_reaches_the_log(
    run_cli, tmp_path: Path, fmt: str
) -> None:
    """The Actions runner acts on `##[error]` anywhere in a line of its log, not only first."""
    policy = (
        "name: t\nversion: 1\ntitle: T\nsource: {title: tests}\nfacts_schema: t.facts.schema.json\n"
        "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
        "      - id: r\n        title: 'R ##[error]forged'\n        source: s\n"
        "        require: {fact: v, eq: '##[warning]x'}\n"
    )
    root = write_project(tmp_path / "p", policy, {"s": "subject: s\npolicy: t\nfacts: {v: 1}\n"})
    run = run_cli("evaluate", "s", "--root", str(root), "--format", fmt, "--now", NOW)
    assert run.exit_code == 1, run.stderr
    assert "##[" not in run.stdout
    assert "#\\u0023[error]forged" in run.stdout
    if fmt == "json":  # the same text to a JSON reader
        rule = json.loads(run.stdout)["subjects"][0]["gates"][0]["rules"][0]
        assert rule["title"] == "R ##[error]forged"


def test_check_lists_a_hostile_policy_file_name_escaped(run_cli, tmp_path: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    (repo / "policies" / "x\n::error::y\u202e.yaml").write_text("not: [a policy")
    commit(repo, "odd name")
    # invalid now; but the name is what matters: it is shown escaped in every format
    run = run_cli("check", "--root", str(repo), "--now", NOW)
    assert run.exit_code == 2
    assert r"policies/x\n::error::y\u202e.yaml:1:" in run.stderr
    no_raw_controls(run.stderr)
    assert not [line for line in run.stderr.splitlines() if line.lstrip().startswith("::")]


# -- exit 3 where exit 2 is due: file names that are not UTF-8 -------------------------------------


def not_utf8_file(directory: Path) -> None:
    name = os.fsencode(directory) + b"/\xff.yaml"
    with open(name, "wb") as handle:
        handle.write((SHARED / "evidence" / "lib.yaml").read_bytes())


NOT_UTF8_PROBLEM = r"evidence/\xff.yaml:1:1: error: file name is not UTF-8 [not-utf8]"


@pytest.mark.parametrize("command", [("validate",), ("evaluate", "--all")])
def test_a_file_name_that_is_not_utf8_is_a_problem(run_cli, project: Path, command) -> None:
    not_utf8_file(project / "evidence")
    run = run_cli(*command, "--root", str(project))
    assert run.exit_code == 2
    assert run.stderr.startswith(NOT_UTF8_PROBLEM + "\n  hint: rename the file")
    for fmt in ("json", "sarif", "junit", "github", "markdown"):
        shaped = run_cli(*command, "--root", str(project), "--format", fmt)
        assert shaped.exit_code == 2, fmt
        assert "not-utf8" in shaped.stdout, fmt
    assert (
        json.loads(run_cli(*command, "--root", str(project), "--format", "json").stdout)[
            "problems"
        ][0]["location"]["file"]
        == r"evidence/\xff.yaml"
    )


@pytest.mark.parametrize("command", [("validate",), ("evaluate", "--all"), ("check", "--now", NOW)])
def test_a_file_name_that_is_not_utf8_through_the_script(tmp_path: Path, command) -> None:
    repo = new_repository(tmp_path / "repo")
    not_utf8_file(repo / "evidence")
    run = installed(*command, cwd=repo)
    assert run.returncode == 2, run.stderr
    assert NOT_UTF8_PROBLEM.encode() in run.stderr
    assert b"Traceback" not in run.stderr


def test_check_when_the_base_held_a_file_name_that_is_not_utf8(run_cli, tmp_path: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    not_utf8_file(repo / "evidence")
    git(repo, "checkout", "-q", "main")
    commit(repo, "a file name that is not UTF-8")
    git(repo, "checkout", "-q", "-b", "remove-it")
    os.unlink(os.fsencode(repo / "evidence") + b"/\xff.yaml")
    run = run_cli("check", "--root", str(repo), "--now", NOW)
    assert run.exit_code == 0, run.stderr
    assert r"Removed evidence (nothing to check): evidence/\xff.yaml" in run.stdout
    sarif = run_cli("check", "--root", str(repo), "--now", NOW, "--format", "sarif")
    assert '"uri": "evidence/%FF.yaml"' in sarif.stdout


# -- exit 3 where exit 2 is due: record ------------------------------------------------------------

NUMBER_SCHEMA = '{"type": "object", "properties": {"ratio": {"type": "number"}}}'


@pytest.fixture
def editable(tmp_path: Path) -> Path:
    policy = (
        "name: t\nversion: 1\ntitle: T\nsource: {title: tests}\nfacts_schema: t.facts.schema.json\n"
        "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
        "      - {id: r, title: R, source: s, require: {fact: ratio, gte: 0.5}}\n"
    )
    evidence = {"s": "subject: s\npolicy: t\nfacts:\n  ratio: 1\n"}
    return write_project(tmp_path / "p", policy, evidence, NUMBER_SCHEMA)


NOT_FINITE = (
    "evidence/s.yaml:4:10: error: after the edit: `.nan` is not a finite number: record null for"
    " an unknown value [bad-value]\n"
    "  hint: write the number measured, or null when it is not known\n"
    "gatecheck: 1 problem; nothing written\n"
)


def test_record_nan_is_refused(run_cli, editable: Path) -> None:
    """JSON showed it as null (absent), and `not: {gt: 1}` passed on it."""
    before = (editable / "evidence" / "s.yaml").read_text()
    run = run_cli("record", "s", "ratio", ".nan", "--root", str(editable))
    assert (run.exit_code, run.stderr) == (2, NOT_FINITE)
    assert (editable / "evidence" / "s.yaml").read_text() == before


def test_record_nan_where_an_integer_is_due(run_cli, project: Path) -> None:
    run = run_cli("record", "lib", "tests.passed", ".nan", "--root", str(project))
    assert run.exit_code == 2
    assert "tests.passed: expected an integer, found number nan [schema-violation]" in run.stderr


def test_record_nan_through_the_script(editable: Path) -> None:
    run = installed("record", "s", "ratio", ".NaN", "--dry-run", cwd=editable)
    assert (run.returncode, run.stdout, run.stderr.decode()) == (2, b"", NOT_FINITE)


def test_an_argument_that_is_not_utf8(run_cli, project: Path) -> None:
    run = run_cli("record", "lib", "version", "1.\udcff", "--root", str(project))
    assert run.exit_code == 2
    assert run.stderr == (
        r"argument 4: error: '1.\xff' is not UTF-8 [not-utf8]" + "\n"
        "  hint: gatecheck reads and writes UTF-8: pass values, names and paths in UTF-8\n"
        "gatecheck: 1 problem; nothing done\n"
    )


def test_an_argument_that_is_not_utf8_through_the_script(project: Path) -> None:
    for args in (
        [b"record", b"lib", b"version", b"1.\xff"],
        [b"record", b"lib", b"version", b"1", b"--note", b"\xfe"],
        [b"evaluate", b"\xff"],
    ):
        run = subprocess.run(
            [os.fsencode(SCRIPT), *args], cwd=project, capture_output=True, timeout=120, check=False
        )
        assert run.returncode == 2, run.stderr
        assert b"is not UTF-8 [not-utf8]" in run.stderr
    assert b"Traceback" not in run.stderr


LONG_FACT = "x." + ".".join(["a"] * 600)  # 1,201 characters, 601 parts


def test_record_a_fact_path_deeper_than_evidence_may_nest(run_cli, project: Path) -> None:
    for args in ((LONG_FACT, "1"), (LONG_FACT, "--remove")):
        run = run_cli("record", "lib", *args, "--root", str(project))
        assert run.exit_code == 2
        assert run.stderr.startswith(
            "evidence/lib.yaml: error: fact path has 601 parts; evidence nests at most 64 levels "
            "[too-deep]\n"
        )


def test_record_a_long_fact_path_through_the_script(project: Path) -> None:
    run = installed("record", "lib", LONG_FACT, "1", cwd=project)
    assert run.returncode == 2
    assert b"[too-deep]" in run.stderr


# -- exit 3 where exit 2 is due: an output encoding that lacks characters --------------------------


def test_status_on_a_latin1_terminal_through_the_script(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(SHARED, project)
    run = installed("status", "--now", NOW, cwd=project, env={"PYTHONIOENCODING": "latin-1"})
    assert run.returncode == 1, run.stderr
    assert b"  lib         fail     \\u2717 \\u2717 \\u2713 \\u2713\n" in run.stdout


def test_json_on_a_latin1_stream_stays_the_same_json(tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "p")
    evidence = project / "evidence" / "lib.yaml"
    evidence.write_text(evidence.read_text().replace("\\x85", "é😀"))
    args = ("evaluate", "lib", "--format", "json", "--now", NOW)
    utf8 = installed(*args, cwd=project)
    latin1 = installed(*args, cwd=project, env={"PYTHONIOENCODING": "latin-1"})
    assert latin1.returncode == utf8.returncode == 1, latin1.stderr
    assert json.loads(latin1.stdout.decode("latin-1")) == json.loads(utf8.stdout)
    assert "é\\ud83d\\ude00" in latin1.stdout.decode("latin-1")  # a surrogate pair: valid JSON


def test_one_writer_for_every_command_in_click_runner(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(SHARED, project)
    for args in (["status"], ["evaluate", "lib"], ["plan", "lib"], ["explain", "soaked"]):
        result = CliRunner(charset="latin-1").invoke(
            cli, [*args, "--root", str(project), "--now", NOW], catch_exceptions=False
        )
        assert result.exit_code in {0, 1}, (args, result.stderr)
        if args == ["status"]:
            assert "  lib         fail     \\u2717 \\u2717 \\u2713 \\u2713\n" in result.stdout
