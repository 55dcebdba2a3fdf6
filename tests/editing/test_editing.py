"""Safe evidence edits: round trip, validation before writing, atomic writes, concurrent writers."""

from __future__ import annotations

import datetime as dt
import difflib
import multiprocessing
import os
import pickle
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support.project import REPO

from gatecheck import files as writing
from gatecheck.editing import evidence_files as editing
from gatecheck.editing import roundtrip
from gatecheck.editing.evidence_files import (
    REMOVE,
    FactChange,
    describe_fact,
    edit_evidence,
    parse_value,
)
from gatecheck.editing.kept_lines import keep_untouched
from gatecheck.errors import InvalidInput
from gatecheck.project.layout import open_project

EVIDENCE = sorted(p.name for p in (REPO / "evidence").glob("*.yaml"))
SCRIPT = Path(sys.executable).parent / "gatecheck"


@pytest.fixture
def wasm(tmp_path: Path) -> Path:
    """A copy of the repository's policies, schemas and evidence."""
    root = tmp_path / "wasm"
    for name in ("policies", "schemas", "evidence"):
        shutil.copytree(REPO / name, root / name)
    return root


def lib(project: Path) -> Path:
    return project / "evidence" / "lib.yaml"


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines only in `old` and the lines only in `new`, in order."""
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(keepends=True), new.splitlines(keepends=True)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def comments(text: str) -> list[str]:
    """Every comment in the text: whole lines, and what follows ` #` at the end of a line."""
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            found.append(line)
        elif " # " in line:
            found.append(line[line.index(" # ") :].lstrip())
    return found


def edit(root: Path, subject: str = "lib", **changes):
    return edit_evidence(open_project(str(root)), subject, **changes)


def problem_codes(error: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [problem.code for problem in error.value.problems]


# -- round trip -----------------------------------------------------------------------------------


def last_scalar_fact(facts: dict[str, object]) -> tuple[str, object]:
    """The last fact in the file that is a known scalar inside mappings only."""
    found = _last_scalar(facts, "")
    assert found is not None
    return found


def _last_scalar(facts: dict[str, object], prefix: str) -> tuple[str, object] | None:
    found: tuple[str, object] | None = None
    for key, value in facts.items():
        if isinstance(value, dict):
            found = _last_scalar(value, f"{prefix}{key}.") or found
        elif not isinstance(value, list) and value is not None:  # null: not determined
            found = (f"{prefix}{key}", value)
    return found


def other_value(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    return f"{value} (edited)"


@pytest.mark.parametrize("name", EVIDENCE)
def test_changing_one_fact_changes_one_line_of_every_bundled_file(wasm: Path, name: str) -> None:
    path = wasm / "evidence" / name
    before = path.read_text()
    fact, value = last_scalar_fact(roundtrip.plain(roundtrip.load(before)[0])["facts"])
    result = edit(wasm, name.removesuffix(".yaml"), facts=[FactChange(fact, other_value(value))])
    assert result.changed
    removed, added = changed_lines(before, path.read_text())
    assert len(removed) == len(added) == 1
    key = fact.rsplit(".", 1)[-1]
    assert added[0].strip().startswith(f"{key}: ")


@pytest.mark.parametrize("name", EVIDENCE)
def test_setting_a_fact_to_its_value_writes_nothing(wasm: Path, name: str) -> None:
    path = wasm / "evidence" / name
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    facts = roundtrip.plain(roundtrip.load(before.decode())[0])["facts"]
    changes = [FactChange(key, value) for key, value in facts.items()]
    result = edit(wasm, name.removesuffix(".yaml"), facts=changes)
    assert result == (f"evidence/{name}", "", False, ())  # no line comment: no value changed
    assert path.read_bytes() == before
    assert path.stat().st_mtime_ns == mtime


def test_tail_call_edit_keeps_every_other_line_byte_for_byte(wasm: Path) -> None:
    path = wasm / "evidence" / "tail-call.yaml"
    before = path.read_text()
    source = {"url": "https://example.org/fuzzing", "collected_at": dt.date(2026, 11, 1)}
    result = edit(
        wasm,
        "tail-call",
        facts=[
            FactChange("fuzzing.since", dt.date(2024, 10, 1), source),
            FactChange("wasmtime.enabled_by_default", False),
        ],
    )
    after = path.read_text()
    assert result.changed
    removed, added = changed_lines(before, after)
    assert [line.split(":")[0].strip() for line in removed] == [
        "enabled_by_default",
        "since",
        "fuzzing.since",
    ]
    assert added == [
        "    enabled_by_default: false  # with Cranelift; Winch removes it (config.rs:2475)\n",
        "    since: 2024-10-01\n",
        '  fuzzing.since: {url: "https://example.org/fuzzing", collected_at: 2026-11-01}\n',
    ]
    assert comments(before) == comments(after)


def test_new_keys_go_at_the_end_of_their_mapping_before_what_followed_it(wasm: Path) -> None:
    path = wasm / "evidence" / "tail-call.yaml"
    before = path.read_text()
    edit(
        wasm,
        "tail-call",
        facts=[
            FactChange("spec_tests.passed", 120),  # spec_tests is followed by fuzzing:
        ],
    )
    after = path.read_text()
    assert "riscv64gc-unknown-linux-gnu]\n    passed: 120\n  fuzzing:\n" in after
    assert "      tier: 1\n\nsources:\n" in after  # facts still ends in its blank line
    removed, _added = changed_lines(before, after)
    assert removed == []


def test_attestations_and_waivers_are_appended_in_the_style_of_the_list(wasm: Path) -> None:
    path = wasm / "evidence" / "tail-call.yaml"
    attestation = {"judgement": "no-open-concerns", "by": "fitzgen", "date": dt.date(2026, 11, 2)}
    waiver = {
        "rule": "c-api",
        "gate": "enable-by-default",
        "reason": "the .NET binding lags",
        "approver": "fitzgen",
        "expires": dt.date(2026, 12, 31),
    }
    edit(wasm, "tail-call", attestations=[attestation], waivers=[waiver])
    after = path.read_text()
    assert (
        '(de469e2790)"\n  - judgement: no-open-concerns\n    by: fitzgen\n    date: 2026-11-02\n'
        "\nwaivers:\n  - rule: c-api\n    gate: enable-by-default\n"
        "    reason: the .NET binding lags\n    approver: fitzgen\n    expires: 2026-12-31\n"
        "# Wasmtime enables this proposal" in after
    )
    again = edit(wasm, "tail-call", attestations=[attestation], waivers=[waiver])
    assert not again.changed  # an identical entry is not added twice


def test_flow_entries_get_flow_siblings(project: Path) -> None:
    entry = {"judgement": "changelog-reviewed", "by": "ben", "date": dt.date(2026, 3, 2)}
    edit(
        project,
        attestations=[entry],
        facts=[FactChange("docs", True, {"url": "https://ci.example.org/docs", "note": "built"})],
    )
    text = lib(project).read_text()
    assert "  - {judgement: changelog-reviewed, by: ben, date: 2026-03-02}\n" in text
    assert '  docs: {url: "https://ci.example.org/docs", note: built}\n' in text


def test_missing_parents_are_created(project: Path) -> None:
    result = edit(project, facts=[FactChange("build.log", "https://ci.example.org/log")])
    assert '+  build: {ok: true, log: "https://ci.example.org/log"}\n' in result.diff
    schema = project / "schemas" / "release.facts.schema.json"
    schema.write_text('{"type": "object"}')
    edit(project, facts=[FactChange("a.b.c", [1, 2])])
    assert (
        "  platforms: {linux: true, macos: true, windows: false}\n  a:\n    b:\n      c: [1, 2]\n"
        "sources:\n" in lib(project).read_text()
    )


def test_envelope_keys_are_inserted_in_the_documented_order(tmp_path: Path, project: Path) -> None:
    path = lib(project)
    text = path.read_text()
    path.write_text(
        text.replace(
            'sources:\n  tests: {url: "https://ci.example.org/lib/run/41", note: nightly run}\n', ""
        )
    )
    edit(project, facts=[FactChange("docs", True, {"note": "read it"})])
    lines = path.read_text().splitlines()
    assert lines.index("sources:") == lines.index("attestations:") - 2
    assert lines[lines.index("sources:") + 1] == "  docs: {note: read it}"


def test_remove_deletes_the_fact_and_its_sources(project: Path) -> None:
    path = lib(project)
    result = edit(project, facts=[FactChange("tests", REMOVE)])
    assert result.changed
    text = path.read_text()
    assert "tests" not in text
    assert "sources" not in text  # emptied by the removal, so gone too
    assert not edit(project, facts=[FactChange("tests", REMOVE)]).changed
    edit(project, facts=[FactChange("beta.since", REMOVE)])
    assert "  beta: {}\n  platforms:" in path.read_text()


def test_remove_keeps_the_lines_around_the_entry(wasm: Path) -> None:
    path = wasm / "evidence" / "tail-call.yaml"
    before = path.read_text()
    edit(wasm, "tail-call", facts=[FactChange("fuzzing.targets", REMOVE)])
    after = path.read_text()
    removed, added = changed_lines(before, after)
    assert [line.split(":")[0].strip() for line in removed] == ["targets", "fuzzing.targets"]
    assert added == []  # the comment under `targets:` stays, in front of `since:`


def test_a_replaced_mapping_keeps_the_comments_of_keys_it_keeps(wasm: Path) -> None:
    path = wasm / "evidence" / "tail-call.yaml"
    value = {"config_method": True, "cli_flag": False, "enabled_by_default": True}
    edit(wasm, "tail-call", facts=[FactChange("wasmtime", value)])
    assert (
        "  wasmtime:\n    config_method: true\n    cli_flag: false\n    enabled_by_default: true"
        in (path.read_text())
    )
    assert "# with Cranelift; Winch removes it" in path.read_text()
    # the source of `wasmtime.tier`, which the new mapping no longer has, goes with it
    assert "  wasmtime.tier: {" not in path.read_text()
    assert "  wasmtime.config_method: {" in path.read_text()


def test_indentation_of_the_file_is_kept(tmp_path: Path, project: Path) -> None:
    path = lib(project)
    path.write_text(
        "subject: lib\npolicy: release\nfacts:\n    tests:\n        passed: 1\n"
        "attestations:\n- judgement: changelog-reviewed\n  by: ana\n  date: 2026-02-27\n"
    )
    entry = {"judgement": "changelog-reviewed", "by": "ben", "date": dt.date(2026, 3, 1)}
    edit(project, facts=[FactChange("tests.failed", 0)], attestations=[entry])
    assert path.read_text() == (
        "subject: lib\npolicy: release\nfacts:\n    tests:\n        passed: 1\n"
        "        failed: 0\nattestations:\n- judgement: changelog-reviewed\n  by: ana\n"
        "  date: 2026-02-27\n- judgement: changelog-reviewed\n  by: ben\n  date: 2026-03-01\n"
    )


def test_lines_ruamel_would_respell_are_kept_as_written(project: Path) -> None:
    path = lib(project)
    text = path.read_text().replace(
        "platforms: {linux: true, macos: true, windows: false}",
        "platforms: {linux: true,macos:  true, windows: false}   # odd spacing, on purpose",
    )
    path.write_text(text)
    edit(project, facts=[FactChange("tests.failed", 0)])
    removed, added = changed_lines(text, path.read_text())
    assert (removed, added) == (["    failed: 2\n"], ["    failed: 0\n"])


def test_crlf_and_byte_order_mark_are_kept(project: Path) -> None:
    path = lib(project)
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    edit(project, facts=[FactChange("tests.failed", 0)])
    assert path.read_bytes() == original.replace(b"failed: 2", b"failed: 0")


def test_values_are_written_as_yaml_reads_them(project: Path) -> None:
    schema = project / "schemas" / "release.facts.schema.json"
    schema.write_text('{"type": "object"}')
    values = {
        "a": "2024-01-01",  # a string that looks like a date stays a string
        "b": "true",
        "c": None,
        "d": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        "e": 1.5,
        "f": "x: y # z",
        "g": ["http://a.example:80", "b"],
        "h": "line\nbreak",
    }
    edit(project, facts=[FactChange(f"v.{key}", value) for key, value in values.items()])
    text = lib(project).read_text()
    assert "    c: null\n" in text
    assert "    d: 2026-01-02T03:04:05Z\n" in text
    loaded = open_project(str(project))
    from gatecheck.commands.evaluate import evaluate_subjects

    report = evaluate_subjects(loaded, ["lib"], every=False, gate=None, now=dt.date(2026, 3, 5))
    assert report.subjects  # the file is valid evidence
    data = roundtrip.plain(roundtrip.load(text)[0])
    assert data["facts"]["v"] == values


def test_an_unsupported_value_is_a_type_error(project: Path) -> None:
    with pytest.raises(TypeError, match="set cannot be written"):
        edit(project, facts=[FactChange("docs", {1, 2})])


def test_list_items_are_addressed_by_index(wasm: Path) -> None:
    path = wasm / "evidence" / "tail-call.yaml"
    before = path.read_text()
    edit(wasm, "tail-call", facts=[FactChange("concerns.0.status", "open")])
    removed, added = changed_lines(before, path.read_text())
    assert (removed, added) == (["      status: resolved\n"], ["      status: open\n"])
    with pytest.raises(InvalidInput) as error:
        edit(wasm, "tail-call", facts=[FactChange("concerns.1", {"title": "x"})])
    assert problem_codes(error) == ["bad-edit"]
    edit(wasm, "tail-call", facts=[FactChange("concerns.0", REMOVE)])
    text = path.read_text()
    assert "  concerns: []\n  compiler_support:\n" in text
    assert "concerns.0:" not in text


def test_comments_after_a_nested_mapping_stay_in_front_of_the_next_key(project: Path) -> None:
    (project / "schemas" / "release.facts.schema.json").write_text('{"type": "object"}')
    path = lib(project)
    path.write_text(
        path.read_text().replace(
            "    failed: 2\n  docs: false\n",
            "    failed: 2  # flaky\n\n  # the docs\n  docs: false\n",
        )
    )
    edit(project, facts=[FactChange("tests.skipped", 1)])
    assert "    failed: 2  # flaky\n    skipped: 1\n\n  # the docs\n  docs: false\n" in (
        path.read_text()
    )
    edit(project, facts=[FactChange("tests.skipped", REMOVE)])
    assert "    failed: 2  # flaky\n\n  # the docs\n  docs: false\n" in path.read_text()


def test_removing_an_entry_keeps_the_comments_around_it(project: Path) -> None:
    path = lib(project)
    path.write_text(
        path.read_text()
        .replace("facts:\n  build: {ok: true}\n", "facts:\n  docs: false\n  # about the build\n")
        .replace("  docs: false\n  beta:", "  build: {ok: true}\n  beta:")
        .replace("    passed: 120\n", "    passed: 120  # green\n")
    )
    edit(project, facts=[FactChange("docs", REMOVE), FactChange("tests.failed", REMOVE)])
    text = path.read_text()
    assert "facts:\n  # about the build\n  build: {ok: true}\n" not in text  # build moved
    assert "facts:\n  # about the build\n  tests:\n    passed: 120  # green\n  build:" in text


def test_a_null_envelope_list_becomes_a_list(project: Path) -> None:
    path = lib(project)
    path.write_text(path.read_text() + "waivers:\n")
    waiver = {"rule": "soaked", "reason": "r", "approver": "ana", "expires": dt.date(2026, 4, 1)}
    edit(project, waivers=[waiver])
    assert path.read_text().endswith(
        "waivers:\n  - rule: soaked\n    reason: r\n    approver: ana\n    expires: 2026-04-01\n"
    )


def test_an_envelope_entry_of_the_wrong_kind_is_a_bad_edit(project: Path) -> None:
    path = lib(project)
    path.write_text(path.read_text().replace("sources:\n", "sources: [oops]\nx:\n"))
    with pytest.raises(InvalidInput) as error:
        edit(project, facts=[FactChange("docs", True, {"note": "n"})])
    assert problem_codes(error) == ["bad-edit"]


def test_lines_gatecheck_cannot_place_are_written_as_ruamel_writes_them(project: Path) -> None:
    path = lib(project)
    path.write_text(path.read_text() + "...\n")  # a document end marker ruamel drops
    entry = {"judgement": "changelog-reviewed", "by": "ben", "date": dt.date(2026, 3, 2)}
    edit(project, attestations=[entry])
    assert path.read_text().endswith(
        "date: 2026-02-27}\n  - {judgement: changelog-reviewed, by: ben, date: 2026-03-02}\n"
    )


def test_a_file_created_while_waiting_for_the_lock_is_edited_not_replaced(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib

    real_locked = writing.locked
    other = project / "evidence" / "new-lib.yaml"

    @contextlib.contextmanager
    def locked(directory: str, display: str):
        other.write_text("subject: new-lib\npolicy: release\nfacts:\n  docs: false\n")
        with real_locked(directory, display):
            yield

    monkeypatch.setattr(writing, "locked", locked)
    edit(project, "new-lib", facts=[FactChange("published", True)], create={"policy": "release"})
    assert other.read_text() == (
        "subject: new-lib\npolicy: release\nfacts:\n  docs: false\n  published: true\n"
    )


COMMENTED = """\
# A file with comments everywhere an author puts them.
subject: lib
policy: release
facts:
  build: {ok: true}   # flow, with a comment
  tests:
    passed: 120
    failed: 2  # flaky on windows

  # platforms we ship
  platforms:
    linux: true
    # macos is best effort
    macos: true

sources:
  tests: {url: "https://ci.example.org/lib/run/41"}
# the end
"""
NAMES = st.sampled_from(["linux", "macos", "windows", "bsd", "wasi"])
CHANGES = st.lists(
    st.one_of(
        st.tuples(st.just("platforms"), NAMES, st.one_of(st.booleans(), st.just(REMOVE))),
        st.tuples(st.just("tests"), st.sampled_from(["passed", "failed"]), st.integers(0, 999)),
    ),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=CHANGES)
def test_any_edits_keep_every_comment_and_mean_what_they_say(project: Path, changes) -> None:
    path = lib(project)
    path.write_text(COMMENTED)
    expected = roundtrip.plain(roundtrip.load(COMMENTED)[0])["facts"]
    for group, name, value in changes:
        edit(project, facts=[FactChange(f"{group}.{name}", value)])
        if value is REMOVE:
            expected[group].pop(name, None)
        else:
            expected[group][name] = value
    text = path.read_text()
    assert roundtrip.plain(roundtrip.load(text)[0])["facts"] == expected
    assert comments(text) == comments(COMMENTED)  # removing a fact removes no comment
    assert "\n\n  # platforms we ship\n  platforms:" in text
    assert text.endswith(
        '\nsources:\n  tests: {url: "https://ci.example.org/lib/run/41"}\n# the end\n'
    )


# -- checked before writing -----------------------------------------------------------------------


def test_a_value_the_schema_refuses_is_not_written(project: Path) -> None:
    path = lib(project)
    before = path.read_bytes()
    with pytest.raises(InvalidInput) as error:
        edit(project, facts=[FactChange("beta.since", "soon")])
    assert problem_codes(error) == ["schema-violation"]
    (problem,) = error.value.problems
    assert problem.message.startswith("after the edit: ")
    assert (problem.location.path, problem.location.line) == ("evidence/lib.yaml", 11)
    assert path.read_bytes() == before
    assert [name for name in os.listdir(path.parent) if name.endswith(".tmp")] == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {"attestations": [{"judgement": "nope", "by": "ana", "date": dt.date(2026, 1, 1)}]},
            "unknown-judgement",
        ),
        (
            {
                "waivers": [
                    {
                        "rule": "nope",
                        "reason": "r",
                        "approver": "ana",
                        "expires": dt.date(2027, 1, 1),
                    }
                ]
            },
            "unknown-rule",
        ),
        (
            {
                "waivers": [
                    {
                        "rule": "soaked",
                        "gate": "nope",
                        "reason": "r",
                        "approver": "ana",
                        "expires": dt.date(2027, 1, 1),
                    }
                ]
            },
            "unknown-gate",
        ),
        ({"facts": [FactChange("nope", True)]}, "schema-violation"),
        ({"facts": [FactChange("docs", True, {"url": "u", "lines": 3})]}, "unknown-key"),
        ({"facts": [FactChange("docs.x", True)]}, "bad-edit"),
        ({"facts": [FactChange("docs..x", True)]}, "bad-edit"),
        ({"facts": [FactChange("docs", REMOVE, {"url": "u"})]}, "bad-edit"),
        (
            {
                "attestations": [
                    {"judgement": "changelog-reviewed", "by": "Ana", "date": dt.date(2026, 1, 1)}
                ]
            },
            "bad-value",
        ),
    ],
)
def test_invalid_edits_are_refused(project: Path, changes, code: str) -> None:
    before = lib(project).read_bytes()
    with pytest.raises(InvalidInput) as error:
        edit(project, **changes)
    assert problem_codes(error) == [code]
    assert lib(project).read_bytes() == before


def test_problems_on_untouched_lines_point_into_the_file_as_it_is(project: Path) -> None:
    path = lib(project)
    path.write_text(path.read_text().replace("docs: false", "docs: 'no'"))
    with pytest.raises(InvalidInput) as error:
        edit(project, facts=[FactChange("tests.failed", 0), FactChange("tests.new", 1)])
    found = {p.message.startswith("after the edit: "): p for p in error.value.problems}
    assert len(found) == len(error.value.problems) == 2
    assert found[False].location.line == 9  # docs: the line as the file is now
    assert found[False].code == "schema-violation"
    assert found[True].location.line == 9  # tests.new: where the edit would put it


def test_a_file_that_is_not_a_mapping_is_refused(project: Path) -> None:
    lib(project).write_text("- subject: lib\n")
    with pytest.raises(InvalidInput) as error:
        edit(project, facts=[FactChange("docs", True)])
    assert problem_codes(error) == ["wrong-type"]


def test_problems_of_the_policy_are_reported_as_they_are(project: Path) -> None:
    policy = project / "policies" / "release.yaml"
    policy.write_text(policy.read_text().replace("needs: [build]\n", "needs: [biuld]\n", 1))
    with pytest.raises(InvalidInput) as error:
        edit(project, facts=[FactChange("docs", True)])
    (problem,) = error.value.problems
    assert (problem.code, problem.location.path) == ("unknown-step", "policies/release.yaml")
    assert not problem.message.startswith("after the edit")


def test_the_file_must_exist_unless_an_envelope_is_given(project: Path) -> None:
    with pytest.raises(InvalidInput) as error:
        edit(project, "new-lib", facts=[FactChange("docs", True)])
    assert problem_codes(error) == ["unknown-subject"]
    result = edit(
        project,
        "new-lib",
        facts=[FactChange("docs", True)],
        create={"policy": "release", "title": "A new library"},
    )
    assert result.diff == (
        "--- /dev/null\n+++ b/evidence/new-lib.yaml\n@@ -0,0 +1,5 @@\n+subject: new-lib\n"
        "+policy: release\n+title: A new library\n+facts:\n+  docs: true\n"
    )
    assert (project / "evidence" / "new-lib.yaml").read_text() == (
        "subject: new-lib\npolicy: release\ntitle: A new library\nfacts:\n  docs: true\n"
    )


@pytest.mark.parametrize("name", ["../escape", "Upper", ""])
def test_create_refuses_names_that_are_not_subjects(project: Path, name: str) -> None:
    with pytest.raises(InvalidInput) as error:
        edit(project, name, create={"policy": "release"})
    assert problem_codes(error) == ["unknown-subject"]
    assert sorted(os.listdir(project / "evidence")) == ["lib.yaml"]


def test_bundled_evidence_is_not_edited(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as error:
        edit(tmp_path, "foo-bar", facts=[FactChange("docs", True)])
    assert problem_codes(error) == ["unwritable"]


# -- dry run --------------------------------------------------------------------------------------


def test_dry_run_returns_the_diff_and_writes_nothing(project: Path) -> None:
    before = lib(project).read_bytes()
    result = edit(
        project,
        facts=[FactChange("tests.failed", 0), FactChange("published", True)],
        dry_run=True,
    )
    assert result.diff == (
        "--- a/evidence/lib.yaml\n"
        "+++ b/evidence/lib.yaml\n"
        "@@ -5,11 +5,12 @@\n"
        "   build: {ok: true}\n"
        "   tests:\n"
        "     passed: 120\n"
        "-    failed: 2\n"
        "+    failed: 0\n"
        "   docs: false\n"
        "   beta:\n"
        "     since: 2026-02-20\n"
        "   platforms: {linux: true, macos: true, windows: false}\n"
        "+  published: true\n"
        " sources:\n"
        '   tests: {url: "https://ci.example.org/lib/run/41", note: nightly run}\n'
        " attestations:\n"
    )
    assert result.changed
    assert lib(project).read_bytes() == before
    assert os.listdir(project / "evidence") == ["lib.yaml"]  # no lock either


def test_diff_marks_a_missing_final_newline(project: Path) -> None:
    path = lib(project)
    path.write_text(path.read_text().rstrip("\n"))
    entry = {"judgement": "changelog-reviewed", "by": "ben", "date": dt.date(2026, 3, 2)}
    diff = edit(project, attestations=[entry]).diff
    assert diff.endswith(
        "-  - {judgement: changelog-reviewed, by: ana, date: 2026-02-27}\n"
        "\\ No newline at end of file\n"
        "+  - {judgement: changelog-reviewed, by: ana, date: 2026-02-27}\n"
        "+  - {judgement: changelog-reviewed, by: ben, date: 2026-03-02}\n"
    )
    assert path.read_text().endswith("2026-03-02}\n")


# -- atomic and durable ---------------------------------------------------------------------------


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), RuntimeError("crash")])
def test_a_failed_write_leaves_the_file_and_no_temporary_file(
    project: Path, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    path = lib(project)
    before = path.read_bytes()

    real_replace = os.replace

    def fail(source: str, target: str, **dir_fds: int) -> None:
        if not target.endswith("lib.yaml"):  # the validation cache renames its entries too
            real_replace(source, target, **dir_fds)
            return
        raise failure

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(InvalidInput if isinstance(failure, OSError) else RuntimeError) as error:
        edit(project, facts=[FactChange("tests.failed", 0)])
    if isinstance(failure, OSError):
        assert problem_codes(error) == ["unwritable"]  # type: ignore[arg-type]
        assert "No space left on device" in str(error.value)
    assert path.read_bytes() == before
    assert [name for name in os.listdir(path.parent) if name.endswith(".tmp")] == []


def test_a_directory_that_cannot_be_written_is_unwritable(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(writing, "_create_temp", refuse)
    with pytest.raises(InvalidInput) as error:
        edit(project, facts=[FactChange("tests.failed", 0)])
    assert problem_codes(error) == ["unwritable"]
    assert str(error.value.problems[0].location) == "evidence/lib.yaml"
    monkeypatch.setattr("filelock.FileLock.acquire", refuse)
    with pytest.raises(InvalidInput) as error:
        edit(project, facts=[FactChange("tests.failed", 0)])
    assert problem_codes(error) == ["unwritable"]
    assert str(error.value.problems[0].location) == "evidence/.gatecheck.lock"


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="needs root to chown")
def test_the_group_is_kept(project: Path) -> None:
    path = lib(project)
    os.chown(path, -1, 1)
    edit(project, facts=[FactChange("tests.failed", 0)])
    assert path.stat().st_gid == 1


def test_removing_what_is_not_there_changes_nothing(project: Path) -> None:
    assert not edit(project, facts=[FactChange("nothere.deeper", REMOVE)]).changed
    with pytest.raises(InvalidInput) as error:
        edit(project, facts=[FactChange("tests..failed", REMOVE)])
    assert problem_codes(error) == ["bad-edit"]


def test_the_new_file_is_synced_before_the_rename(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATECHECK_NO_CACHE", "1")  # the cache writes files of its own
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append("fsync")
        real_fsync(descriptor)

    def replace(source: str, target: str) -> None:
        events.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    edit(project, facts=[FactChange("tests.failed", 0)])
    assert events == ["fsync", "replace", "fsync"]  # the file, the rename, the directory


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_permissions_are_kept(project: Path) -> None:
    path = lib(project)
    path.chmod(0o640)
    edit(project, facts=[FactChange("tests.failed", 0)])
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    path.chmod(0o604)
    edit(project, facts=[FactChange("tests.failed", 1)])
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX umask")
def test_a_new_file_gets_the_umask_permissions(project: Path) -> None:
    old = os.umask(0o027)
    try:
        edit(project, "new-lib", create={"policy": "release"})
    finally:
        os.umask(old)
    assert stat.S_IMODE((project / "evidence" / "new-lib.yaml").stat().st_mode) == 0o640


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_symlinked_evidence_file_is_written_through_its_link(project: Path) -> None:
    real = project / "shared" / "lib.yaml"  # inside the project: a link out of it is refused
    real.parent.mkdir()
    shutil.move(lib(project), real)
    lib(project).symlink_to(real)
    edit(project, facts=[FactChange("tests.failed", 0)])
    assert lib(project).is_symlink()
    assert "failed: 0" in real.read_text()


def test_lock_and_temporary_files_are_not_evidence(project: Path, run_cli) -> None:
    (project / "evidence" / writing.LOCK_NAME).write_text("")
    (project / "evidence" / ".lib.yaml.0a1b2c3d.tmp").write_text("subject: [unfinished")
    result = run_cli("validate", "--root", str(project))
    assert result.exit_code == 0, result.stderr
    assert "1 evidence file" in result.stdout


# -- concurrent writers ---------------------------------------------------------------------------


def _record_many(root: str, first: int, count: int) -> None:
    project = open_project(root)
    for index in range(first, first + count):
        edit_evidence(project, "lib", facts=[FactChange(f"platforms.p{index}", True)])


def test_two_processes_writing_one_file_lose_no_update(project: Path) -> None:
    context = multiprocessing.get_context("spawn")  # no forked locks or caches
    workers = [
        context.Process(target=_record_many, args=(str(project), first, 50)) for first in (0, 50)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    platforms = roundtrip.plain(roundtrip.load(lib(project).read_text())[0])["facts"]["platforms"]
    assert {f"p{index}" for index in range(100)} <= set(platforms)


def test_threads_writing_one_file_lose_no_update(project: Path) -> None:
    threads = [
        threading.Thread(target=_record_many, args=(str(project), first, 10)) for first in (0, 10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    platforms = roundtrip.plain(roundtrip.load(lib(project).read_text())[0])["facts"]["platforms"]
    assert {f"p{index}" for index in range(20)} <= set(platforms)


def test_a_held_lock_times_out_with_exit_2(
    project: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    monkeypatch.setenv("GATECHECK_LOCK_TIMEOUT", "0.2")
    before = lib(project).read_bytes()
    with FileLock(str(project / "evidence" / writing.LOCK_NAME)):
        result = run_cli("record", "lib", "docs", "true", "--root", str(project))
    assert result.exit_code == 2
    assert result.stderr == (
        "evidence/.gatecheck.lock: error: another gatecheck is editing evidence (waited 0.2 s "
        "for its lock) [lock-timeout]\n  hint: try again when it has finished "
        "(GATECHECK_LOCK_TIMEOUT sets the wait, in seconds)\n"
        "gatecheck: 1 problem; nothing written\n"
    )
    assert lib(project).read_bytes() == before


@pytest.mark.parametrize(("value", "seconds"), [("3", 3.0), ("soon", 10.0), ("-1", 10.0)])
def test_lock_timeout_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, seconds: float
) -> None:
    monkeypatch.setenv("GATECHECK_LOCK_TIMEOUT", value)
    assert writing.lock_timeout() == seconds


# -- values and descriptions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("3", 3),
        ("2024-09-30", dt.date(2024, 9, 30)),
        ("[python, go]", ["python", "go"]),
        ("{ok: true}", {"ok": True}),
        ("null", None),
        ("'3'", "3"),
        ("-W tail-call", "-W tail-call"),
        ("1.5", 1.5),
    ],
)
def test_parse_value_reads_yaml(text: str, value: object) -> None:
    parsed = parse_value(text)
    assert parsed == value
    assert type(parsed) is type(value)


@pytest.mark.parametrize(
    ("text", "code", "column"),
    [
        ("", "bad-value", 1),
        ("a\nb", "bad-value", 1),
        ("[a", "yaml-syntax", 3),  # the end of the value, where `]` is missing
        ("!x 1", "yaml-tag", 1),
    ],
)
def test_parse_value_problems_point_at_value(text: str, code: str, column: int) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_value(text)
    (problem,) = error.value.problems
    assert (problem.code, problem.location.path, problem.location.column) == (code, "VALUE", column)


def test_describe_fact() -> None:
    assert describe_fact(FactChange("fuzzing.since", dt.date(2026, 11, 1))) == (
        "fuzzing.since = 2026-11-01"
    )
    assert describe_fact(FactChange("apis", REMOVE)) == "apis removed"


def test_plain_tuples_are_fact_changes(project: Path) -> None:
    assert edit(project, facts=[("docs", True)], dry_run=True).changed


def test_remove_survives_pickling() -> None:
    assert pickle.loads(pickle.dumps(FactChange("a", REMOVE))).value is REMOVE  # noqa: S301
    assert repr(REMOVE) == "REMOVE"


def test_keep_untouched_gives_up_where_lines_cannot_be_matched() -> None:
    assert keep_untouched("a: 1\n", "a: 1\n", "a: 2\n") == "a: 2\n"
    assert keep_untouched("x\ny\n", "p\nq\nr\n", "p\nq\nr\ns\n") is None


def test_style_defaults_to_the_bundled_evidence_style() -> None:
    assert roundtrip.load("a: 1\n")[1] == roundtrip.Style(2, 4, 2)
    assert roundtrip.load("a:\n   b:\n      - 1\n")[1] == roundtrip.Style(3, 5, 3)
    assert roundtrip.load("a:\n- 1\n")[1] == roundtrip.Style(2, 2, 0)


# -- the command line -----------------------------------------------------------------------------


def test_record_attest_waive(project: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gatecheck.cli.dates.today", lambda: dt.date(2026, 3, 4))
    root = ("--root", str(project))
    result = run_cli(
        "record", "lib", "beta.since", "2026-02-21", "--source-url", "https://x.example/b", *root
    )
    assert (result.exit_code, result.stdout) == (0, "evidence/lib.yaml: beta.since = 2026-02-21\n")
    assert (
        '  beta.since: {url: "https://x.example/b", collected_at: 2026-03-04}\n'
        in lib(project).read_text()
    )
    result = run_cli("record", "lib", "beta.since", "2026-02-21", *root)
    assert result.stdout == "evidence/lib.yaml: beta.since = 2026-02-21 (no change: already so)\n"
    result = run_cli("attest", "lib", "changelog-reviewed", "--by", "ben", "--note", "ok", *root)
    assert (
        result.stdout == "evidence/lib.yaml: attestation changelog-reviewed by ben on 2026-03-04\n"
    )
    assert "  - {judgement: changelog-reviewed, by: ben, date: 2026-03-04, note: ok}\n" in (
        lib(project).read_text()
    )
    result = run_cli(
        "waive",
        "lib",
        "soaked",
        "--reason",
        "hotfix",
        "--approver",
        "ana",
        "--expires",
        "2026-04-01",
        "--gate",
        "ship",
        *root,
    )
    assert result.stdout == (
        "evidence/lib.yaml: waiver of soaked in gate ship, approved by ana until 2026-04-01\n"
    )
    result = run_cli("record", "lib", "beta.since", "--remove", *root)
    assert result.stdout == "evidence/lib.yaml: beta.since removed\n"
    assert run_cli("validate", *root).exit_code == 0


@pytest.mark.parametrize(
    ("approver", "expires", "why"),
    [
        ("ana", "2026-03-03", "it expired on 2026-03-03"),
        ("ana", "2026-06-03", "it expires on 2026-06-03, more than 90d after 2026-03-04"),
        ("zoe", "2026-04-01", "zoe is not in reviewer group maintainers"),
    ],
)
def test_waive_refuses_a_waiver_that_could_not_count(
    project: Path, run_cli, approver: str, expires: str, why: str
) -> None:
    before = lib(project).read_bytes()
    result = run_cli(
        "waive", "lib", "soaked", "--reason", "r", "--approver", approver, "--expires", expires,
        "--now", "2026-03-04", "--root", str(project),
    )  # fmt: skip
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("evidence/lib.yaml: error: the waiver of soaked would not count: ")
    assert why in first
    assert first.endswith("[idle-waiver]")
    assert lib(project).read_bytes() == before


def test_waive_refuses_every_waiver_under_a_policy_without_approvers(
    project: Path, run_cli
) -> None:
    policy = project / "policies" / "release.yaml"
    policy.write_text(
        policy.read_text().replace("waivers: {approvers: maintainers, longest: 90d}\n", "")
    )
    result = run_cli(
        "waive", "lib", "soaked", "--reason", "r", "--approver", "ana", "--expires", "2026-04-01",
        "--now", "2026-03-04", "--root", str(project),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "policy release@1 accepts no waivers" in result.stderr


def test_record_dry_run_prints_the_diff(project: Path, run_cli) -> None:
    before = lib(project).read_bytes()
    result = run_cli("record", "lib", "docs", "true", "--dry-run", "--root", str(project))
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/evidence/lib.yaml\n+++ b/evidence/lib.yaml\n")
    assert "-  docs: false\n+  docs: true\n" in result.stdout
    assert lib(project).read_bytes() == before
    colored = run_cli(
        "record", "lib", "docs", "true", "--dry-run", "--color", "always", "--root", str(project)
    )
    assert "\x1b[32m+  docs: true\n\x1b[0m" in colored.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("record", "lib", "docs"),
        ("record", "lib", "docs", "true", "--remove"),
        ("record", "lib", "docs", "--remove", "--note", "x"),
        ("attest", "lib", "changelog-reviewed"),
        ("waive", "lib", "soaked", "--reason", "r", "--approver", "ana"),
        ("waive", "lib", "soaked", "--reason", "r", "--approver", "ana", "--expires", "soon"),
        ("attest", "lib", "changelog-reviewed", "--by", "ana", "--date", "2999-01-01"),
        ("record", "lib", "docs", "true", "--source-line", "0"),
    ],
)
def test_usage_errors_exit_2(project: Path, run_cli, args: tuple[str, ...]) -> None:
    before = lib(project).read_bytes()
    result = run_cli(*args, "--root", str(project))
    assert result.exit_code == 2
    assert "Usage:" in result.stderr
    assert lib(project).read_bytes() == before


def test_invalid_input_says_nothing_was_written(project: Path, run_cli) -> None:
    result = run_cli("attest", "lib", "changelog-reveiwed", "--by", "ben", "--root", str(project))
    assert result.exit_code == 2
    assert result.stderr.startswith("evidence/lib.yaml:17:17: error: after the edit: judgement")
    assert "did you mean 'changelog-reviewed'?" in result.stderr
    assert result.stderr.endswith("gatecheck: 1 problem; nothing written\n")


@pytest.mark.installed
def test_installed_script_records_concurrently(project: Path) -> None:
    def start(first: int) -> subprocess.Popen[str]:
        commands = " && ".join(
            f"'{SCRIPT}' record lib platforms.q{index} true --root '{project}'"
            for index in range(first, first + 8)
        )
        return subprocess.Popen(
            ["sh", "-c", commands], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    processes = [start(0), start(8)]
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        assert out.count("evidence/lib.yaml: platforms.q") == 8
    platforms = roundtrip.plain(roundtrip.load(lib(project).read_text())[0])["facts"]["platforms"]
    assert {f"q{index}" for index in range(16)} <= set(platforms)


@pytest.mark.installed
def test_installed_script_refuses_a_bad_value_with_exit_2(project: Path) -> None:
    result = subprocess.run(
        [str(SCRIPT), "record", "lib", "tests.failed", "--root", str(project), "--", "-1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("evidence/lib.yaml:8:13: error: after the edit: ")
    assert "[schema-violation]" in result.stderr
    assert "Traceback" not in result.stderr


def test_edit_module_names_its_public_api() -> None:
    public = {name for name in vars(editing) if not name.startswith("_")}
    assert {"REMOVE", "FactChange", "EditResult", "edit_evidence"} <= public
    assert FactChange._fields == ("fact", "value", "source")
    assert editing.EditResult._fields == ("path", "diff", "changed", "line_comments")


def test_one_date_shared_by_many_entries_is_written_out_each_time() -> None:
    # A collector stamps every source with the same `collected_at` object; YAML must not turn it
    # into an anchor and aliases (`&id001 ... *id001`) that nobody wrote.
    today = dt.date(2026, 11, 25)
    data, style = roundtrip.load("collected: {}\n")
    data["collected"]["a"] = today
    data["collected"]["b"] = today
    text = roundtrip.dump(data, style)
    assert "&id" not in text
    assert text == "collected:\n  a: 2026-11-25\n  b: 2026-11-25\n"
