"""`gatecheck collect wasmtime` through the CLI, and the collectors' error and edge branches.

The fixture repositories are tests/collectors/test_collect.py's (invented content), built here with
its helpers; evidence is written for real by gatecheck.editing.evidence_files into a temporary
project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from tests.support.collect import (
    PYTHON,
    WASM_TOOLS,
    WASMTIME_V1,
    Repos,
    resources_text,
)
from tests.support.git import commit_files, git

from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matching import heading_above, set_members
from gatecheck.collectors.phases import PHASE_FACTS, collect_phase
from gatecheck.collectors.snapshot import Snapshot
from gatecheck.collectors.spellings import fill
from gatecheck.collectors.table import load_table, parse_table

if TYPE_CHECKING:
    from pathlib import Path

    from tests.support.project import Run

CONFIG_RS = "crates/wasmtime/src/config.rs"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    directory = tmp_path / "project"
    (directory / "evidence").mkdir(parents=True)
    return directory


def _collect(run_cli: Any, repos: Repos, root: Path, *args: str) -> Run:
    result: Run = run_cli("collect", "wasmtime", str(repos.wasmtime), "--root", str(root), *args)
    return result


def _problem(result: Run, code: str) -> str:
    assert result.exit_code == 2, result.stdout
    assert f"[{code}]" in result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


# -- what `collect` prints ----------------------------------------------------------------------


def test_created_then_changed_then_unchanged(run_cli: Any, repos: Repos, root: Path) -> None:
    first = _collect(run_cli, repos, root, "--rev", repos.old, "--subject", "tail-call")
    assert first.exit_code == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0] == (
        f"read bytecodealliance/wasmtime@{repos.old[:8]} (2025-01-01): --rev {repos.old}"
    )
    assert lines[1].startswith("policy wasm-proposal@1 for new files: none of the table's policy")
    assert lines[2] == "evidence/tail-call.yaml: created; 18 facts collected, 34 not determined"
    assert "  not determined: apis.go: no --embedding go=PATH given" in lines
    assert (
        "  not determined: fuzzing.expected: crates/fuzzing/src/oracles.rs does not exist at "
        f"bytecodealliance/wasmtime@{repos.old[:8]}"
    ) in lines
    assert lines[-1].startswith("skipped component-model: the component model is a layer")
    assert not any(line.startswith("  +") for line in lines)  # no diff without --dry-run
    assert "wasm_tail_call" in (root / "evidence" / "tail-call.yaml").read_text()

    second = _collect(run_cli, repos, root, "--rev", "main", "--subject", "tail-call")
    assert "evidence/tail-call.yaml: changed; 19 facts collected, 33 not determined" in (
        second.stdout.splitlines()
    )
    third = _collect(run_cli, repos, root, "--rev", "main", "--subject", "tail-call")
    assert "evidence/tail-call.yaml: unchanged; 19 facts collected, 33 not determined" in (
        third.stdout.splitlines()
    )
    assert third.stderr == ""  # no proposals snapshot: nothing to warn about


def test_dry_run_prints_the_diff_and_writes_nothing(run_cli: Any, repos: Repos, root: Path) -> None:
    created = _collect(
        run_cli, repos, root, "--rev", repos.old, "--subject", "tail-call", "--dry-run"
    )
    lines = created.stdout.splitlines()
    assert "evidence/tail-call.yaml: would create; 18 facts collected, 34 not determined" in lines
    assert "  +++ b/evidence/tail-call.yaml" in lines
    assert "  +subject: tail-call" in lines
    assert "  +as_of: 2025-01-01" in lines
    assert not (root / "evidence" / "tail-call.yaml").exists()

    _collect(run_cli, repos, root, "--rev", repos.old, "--subject", "tail-call")
    written = (root / "evidence" / "tail-call.yaml").read_text()
    changed = _collect(run_cli, repos, root, "--rev", "main", "--subject", "tail-call", "--dry-run")
    lines = changed.stdout.splitlines()
    assert "evidence/tail-call.yaml: would change; 19 facts collected, 33 not determined" in lines
    assert "  --- a/evidence/tail-call.yaml" in lines
    assert "  -    expected: null" in lines  # the fuzz test arrived in the newer revision
    assert "  +    expected: true" in lines
    assert (root / "evidence" / "tail-call.yaml").read_text() == written


def test_proposals_warnings_go_to_stderr(run_cli: Any, repos: Repos, root: Path) -> None:
    args = ("--rev", "main", "--subject", "tail-call", "--proposals", str(repos.proposals))
    result = _collect(run_cli, repos, root, *args)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1].startswith("read WebAssembly/proposals@")
    assert lines[1].endswith(
        "(2025-03-01): its last commit at or before the Wasmtime revision's date (2025-06-01)"
    )
    assert any(
        line.startswith("  not determined: proposal.phase: WebAssembly/proposals@")
        and "says phase 3 but Wasmtime's docs mark Phase 4 ✅" in line
        for line in lines
    )
    warnings = result.stderr.splitlines()
    # the clone ends before the revision: a later vote, if there was one, is not seen
    assert warnings[0].startswith("warning: WebAssembly/proposals@")
    assert (
        "the newest commit of this clone, older than the Wasmtime revision (2025-06-01)"
        in (warnings[0])
    )
    assert warnings[1].startswith("warning: tail-call: WebAssembly/proposals says phase 3")


def test_every_listed_proposal_without_subject(run_cli: Any, repos: Repos, root: Path) -> None:
    result = _collect(
        run_cli, repos, root, "--rev", "main", "--embedding", f"python={repos.python}"
    )
    lines = result.stdout.splitlines()
    assert lines[1].startswith("read bytecodealliance/wasmtime-py@")
    assert "evidence/tail-call.yaml: created; 20 facts collected, 32 not determined" in lines
    # gc's default is whether WASM2 has it: a set defined in wasm-tools, which was not given
    assert "evidence/gc.yaml: created; 15 facts collected, 37 not determined" in lines
    assert any(
        line.startswith("  not determined: wasmtime.enabled_by_default: whether GC is in WASM2 is ")
        and line.endswith(": no --wasm-tools repository given")
        for line in lines
    )
    assert (
        "  not determined: names.cli: no match for '^\\\\s*pub gc: Option<bool>,' in "
        f"crates/cli-flags/src/lib.rs at bytecodealliance/wasmtime@{repos.new[:8]}"
    ) in lines


# -- bad input: every one a located problem (exit 2), never a traceback ---------------------------


def test_bad_embedding_and_missing_companions(
    run_cli: Any, repos: Repos, root: Path, tmp_path: Path
) -> None:
    stderr = _problem(_collect(run_cli, repos, root, "--embedding", "python"), "bad-embedding")
    assert "--embedding python: expected LANG=PATH with LANG one of python, go, dotnet" in stderr
    missing = str(tmp_path / "nowhere")
    stderr = _problem(_collect(run_cli, repos, root, "--wasm-tools", missing), "bad-directory")
    assert f"{missing}: no such directory" in stderr
    result = run_cli("collect", "wasmtime", missing, "--root", str(root))
    assert f"{missing}: no such directory" in _problem(result, "bad-directory")


def test_no_proposal_list(run_cli: Any, tmp_path: Path, root: Path) -> None:
    bare = tmp_path / "bare"
    commit_files(bare, {CONFIG_RS: WASMTIME_V1[CONFIG_RS]}, "2025-01-01T00:00:00+00:00")
    stderr = _problem(
        run_cli("collect", "wasmtime", str(bare), "--root", str(root)), "not-wasmtime"
    )
    assert (
        "no proposal list: none of docs/stability-wasm-proposals.md, docs/stability-tiers.md "
        "exists at bytecodealliance/wasmtime@"
    ) in stderr


# -- companions: --proposals-rev, no pinned tag, nothing older ---------------------------------


def test_companion_revisions(run_cli: Any, repos: Repos, root: Path) -> None:
    proposals_rev = commit_files(
        repos.proposals, {"finished-proposals.md": "# Finished\n"}, "2025-08-01T00:00:00+00:00"
    )
    tools = commit_files(repos.wasm_tools, {"Cargo.toml": "\n"}, "2025-10-01T00:00:00+00:00")
    git(repos.wasm_tools, "tag", "-d", "v1.5.0")  # the pinned tag is gone: the date decides
    late = repos.python.parent / "late-py"  # every commit later than the Wasmtime revision
    python = commit_files(late, PYTHON, "2026-01-01T00:00:00+00:00")
    result = _collect(
        run_cli,
        repos,
        root,
        *("--rev", repos.old, "--subject", "tail-call"),
        *("--proposals", str(repos.proposals), "--proposals-rev", "main"),
        *("--wasm-tools", str(repos.wasm_tools), "--embedding", f"python={late}"),
        "--dry-run",
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"read WebAssembly/proposals@{proposals_rev[:8]} (2025-08-01): --proposals-rev main" in (
        lines
    )
    # wasm-tools' first commit (2024-12-01) is the last before Wasmtime's (2025-01-01)
    read_tools = next(line for line in lines if line.startswith("read bytecodealliance/wasm-t"))
    assert read_tools.endswith(
        "its last commit at or before the Wasmtime revision's date (2025-01-01)"
    )
    assert tools[:8] not in read_tools
    # a repository with nothing at or before the revision says nothing about it
    assert not any(line.startswith("read bytecodealliance/wasmtime-py@") for line in lines)
    assert python[:8] not in result.stdout
    assert (
        "  not determined: apis.python: bytecodealliance/wasmtime-py has no commit at or before "
        "the Wasmtime revision (2025-01-01)"
    ) in lines
    warnings = result.stderr.splitlines()
    assert (
        f"warning: WebAssembly/proposals@{proposals_rev[:8]} (2025-08-01): it is later than the "
        "Wasmtime revision (2025-01-01): it may show what happened after it"
    ) in warnings
    assert any(
        line.startswith("warning: bytecodealliance/wasm-tools@")
        and "tag v1.5.0 (the version bytecodealliance/wasmtime@" in line
        and "is not in this clone: its last commit before the revision is read instead" in line
        for line in warnings
    )


def test_pinned_version_not_found_falls_back_to_the_date(
    run_cli: Any, repos: Repos, root: Path
) -> None:
    commit_files(repos.wasmtime, {"Cargo.toml": "[workspace]\n"}, "2025-07-01T00:00:00+00:00")
    result = _collect(
        run_cli, repos, root, "--rev", "main", "--subject", "tail-call",
        "--wasm-tools", str(repos.wasm_tools), "--dry-run",
    )  # fmt: skip
    read_tools = result.stdout.splitlines()[1]
    assert read_tools.startswith("read bytecodealliance/wasm-tools@")
    assert "(2024-12-01): its last commit at or before" in read_tools


# -- rules that cannot apply: null spellings, a tier outside a tier section, missing files ------

ODD_DOCS = (
    "# Proposals\n\n## On-by-default proposals\n\n| Proposal | Phase 4 |\n|---|---|\n"
    "| [`mutable-globals`] | ✅ |\n| [`gc`] | ✅ |\n"
)


def test_rules_that_cannot_apply_say_why(run_cli: Any, tmp_path: Path, root: Path) -> None:
    wasmtime = tmp_path / "odd"
    commit_files(
        wasmtime,
        {**WASMTIME_V1, "docs/stability-wasm-proposals.md": ODD_DOCS},
        "2025-01-01T00:00:00+00:00",
    )
    tools = {
        path: text
        for path, text in WASM_TOOLS.items()
        if path != "crates/wasmparser/src/features.rs"
    }
    tools["crates/wasm-smith/src/config.rs"] = "pub struct Config {}\n"  # neither layout
    commit_files(tmp_path / "tools", tools, "2024-12-01T00:00:00+00:00")
    result = run_cli(
        "collect", "wasmtime", str(wasmtime), "--root", str(root),
        "--wasm-tools", str(tmp_path / "tools"), "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    # mutable-globals has no Config method, CLI flag or C setter: not a guess but the reason
    assert (
        "not determined: wasmtime.config_method: Wasmtime has no Config method for "
        "mutable-globals: every Config accepts it"
    ) in text
    assert (
        "not determined: names.cli: the wasmtime binary has no flag for mutable-globals: it is "
        "always on"
    ) in text
    # listed, but under no "Tier N" heading: the tier is not determined
    assert "not determined: wasmtime.tier: no match for " in text
    # gc's defaults are WASM2's, and the set's definition is not in that wasm-tools
    assert "gc.yaml: would create" in text
    # wasm-smith's config has neither known layout: absence says nothing
    assert (
        "not determined: wasm_tools.wasm_smith: crates/wasm-smith/src/config.rs at "
        "bytecodealliance/wasm-tools@"
    ) in text
    assert "does not have the layout the table expects" in text


# -- phases, snapshots, the table and matching: the branches the fixtures above do not reach ------


def _tree(directory: Path, files: dict[str, str | bytes], repository: str, date: str) -> Snapshot:
    for path, content in files.items():
        target = directory / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return Snapshot(repository, commit="c" * 40, date=date, how="t", work_tree=str(directory))


def _phase(tmp_path: Path, proposals: dict[str, str | bytes], claim: str | None) -> Any:
    wasmtime_files: dict[str, str | bytes] = {}
    if claim is not None:
        wasmtime_files["docs/stability-wasm-proposals.md"] = f"| [`tail-call`] | {claim} |\n"
    wasmtime = _tree(tmp_path / "w", wasmtime_files, "w", "2025-06-01T00:00:00+00:00")
    snapshot = _tree(tmp_path / "p", proposals, "WebAssembly/proposals", "2025-09-01T00:00:00Z")
    return collect_phase(load_table(), "tail-call", snapshot, wasmtime)


LINK = "[tc]: https://github.com/WebAssembly/tail-call\n"


def test_phase_finished_newer_snapshot_disagreeing(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"finished-proposals.md": f"| [Tail call][tc] |\n\n{LINK}"}
    facts, warnings = _phase(tmp_path, files, "❌")
    phase = facts[0]
    assert isinstance(phase, Collected)  # newer than the revision: the snapshot settles it
    assert phase.value == 5
    assert phase.note.startswith(
        "listed as finished (merged into the spec) (snapshot of 2025-09-01)"
    )
    assert "DISAGREES with Wasmtime's Phase 4 ❌" in phase.note
    (warning,) = warnings
    assert warning.startswith("tail-call: WebAssembly/proposals says phase 5")
    facts, warnings = _phase(tmp_path / "agree", files, "✅")
    assert warnings == []
    assert "DISAGREES" not in facts[0].note
    facts, warnings = _phase(tmp_path / "none", files, None)  # no Wasmtime docs: nothing to compare
    assert (facts[0].value, warnings) == (5, [])


def test_phase_link_without_row_or_heading(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "finished-proposals.md": LINK,  # a link, but no row using it
        "README.md": f"| [Tail call][tc] | Someone |\n\n{LINK}",  # a row under no heading
    }
    facts, warnings = _phase(tmp_path, files, "✅")
    # not one of the facts read from WebAssembly/proposals is determined: each is unknown
    assert [fact.fact for fact in facts] == list(PHASE_FACTS)
    for unknown in facts:
        assert isinstance(unknown, Unknown)
        assert unknown.reason == (
            "no row linking github.com/WebAssembly/tail-call in finished-proposals.md or README.md "
            "at WebAssembly/proposals@cccccccc"
        )
    assert warnings == []


def test_snapshot_unreadable_and_binary_files(tmp_path: Path) -> None:
    snapshot = _tree(tmp_path, {"bin.dat": b"\xff\xfe\x00", "dir/x": ""}, "r", "2025-01-01")
    assert snapshot.text("bin.dat") == (None, "bin.dat at r@cccccccc is not UTF-8 text")
    content, problem = snapshot.text("dir")  # a directory where a file is expected
    assert content is None
    assert problem.startswith("dir cannot be read: ")
    assert snapshot.text("gone") == (None, "gone does not exist at r@cccccccc")


def test_table_rejects_unknown_repositories() -> None:
    from ruamel.yaml import YAML

    text = resources_text()
    fact = text.replace("repository: wasm-tools\n", "repository: nowhere\n", 1)
    with pytest.raises(ValueError, match="unknown repository 'nowhere'"):
        parse_table(YAML(typ="safe").load(fact))
    rule = text.replace(
        'note: "option {smith}, which sets {wasmparser}"', "repository: elsewhere", 1
    )
    with pytest.raises(ValueError, match="a rule reads unknown repository 'elsewhere'"):
        parse_table(YAML(typ="safe").load(rule))


def test_fill_names_the_missing_spelling() -> None:
    assert fill("pub {x|upper}", {"x": "tail-call"}, escape=False) == "pub TAIL_CALL"
    with pytest.raises(KeyError, match="text"):
        fill("{name} {text}", {"name": "gc", "text": None}, escape=False)


def test_matching_edges() -> None:
    assert heading_above("no heading\nat all\n", 2, "^#") is None
    text = "const A = B | A;\nconst B = x;\n"
    pattern = "const {1} = ([^;]*);"
    # a set naming itself is not followed again; an unknown set is None
    assert set_members(text, pattern, "A", r"\b([AB])\b") == "B | A\nx"
    assert set_members(text, pattern, "C", r"\b([AB])\b") is None
