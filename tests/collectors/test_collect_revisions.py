"""Revision-exact collection: `gatecheck collect wasmtime --rev REV` describes REV and nothing else.

The repositories are small ones written here (invented content, real layouts): a Wasmtime whose
docs switch from the seed-era standards (wasm-proposal@1) to the requirements matrix
(wasm-proposal@2) between two revisions, and companions with commits before and after both.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from tests.support.git import commit_files, git
from tests.support.project import REPO, Run

from gatecheck.collectors.applying import apply_plan
from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.planning import plan_subject
from gatecheck.collectors.revision import PlanContext, PolicyChoice, WasmtimeRevision
from gatecheck.collectors.run import CollectOptions, collect_wasmtime
from gatecheck.errors import InvalidInput
from gatecheck.loading.parsing import load_bytes
from gatecheck.project.layout import open_project

SEED_DAY, MATRIX_DAY = "2024-03-01", "2024-11-01"

CONTRIBUTING = "docs/contributing-implementing-wasm-proposals.md"
SEED_PAGE = (
    "# Implementing WebAssembly Proposals\n\n## Adding New Support for a Wasm Proposal\n\n"
    "* [ ] wasmparser\n\n## Enabling Support for a Proposal by Default\n\n"
    "* [ ] phase 4\n\n## Adding component functionality to WASI\n"
)
MATRIX_PAGE = (
    "# Implementing WebAssembly Proposals\n\n## Adding New Support for a Wasm Proposal\n\n"
    "* [ ] wasmparser\n\n## Adding component functionality to WASI\n"
)
TIERS = (
    "# Tiers\n\n## Current Tier Status\n\n#### Tier 1\n\n| Category | Description |\n|---|---|\n"
    "| WebAssembly Proposal | [`tail-call`] |\n\n#### Tier 3\n\n"
    "| Category | Description | Missing |\n|---|---|---|\n"
    "| WebAssembly Proposal | [`gc`] | Complete implementation |\n"
)
MATRIX = (
    "# Wasm Proposals\n\n## Tier 1 WebAssembly Proposals\n\n"
    "|  Proposal     | Phase 4 | Tests | Finished | Fuzzed | API | C API |\n"
    "|---------------|---------|-------|----------|--------|-----|-------|\n"
    "| [`tail-call`] | ✅      | ✅    | ✅       | ✅     | ✅  | ✅    |\n\n"
    "## Tier 3 WebAssembly Proposals\n\n"
    "|  Proposal     | Phase 4 | Tests | Finished | Fuzzed | API | C API |\n"
    "|---------------|---------|-------|----------|--------|-----|-------|\n"
    "| [`gc`]        | ✅      | ✅    | ❌       | ❌     | ✅  | ❌    |\n"
)
CONFIG = (
    "impl Config {\n"
    "    pub fn wasm_tail_call(&mut self, enable: bool) -> &mut Self { self }\n"
    "    pub fn wasm_gc(&mut self, enable: bool) -> &mut Self { self }\n"
    "    fn features(&self) -> WasmFeatures {\n"
    "        let mut features = WasmFeatures::empty();\n"
    "        features |= WasmFeatures::WASM3;\n"
    "        features\n"
    "    }\n"
    "}\n"
)
SEED = {
    CONTRIBUTING: SEED_PAGE,
    "docs/stability-tiers.md": TIERS,
    "crates/wasmtime/src/config.rs": CONFIG,
    "Cargo.toml": 'wasmparser = { version = "0.5.0", default-features = false }\n',
    "crates/cli-flags/src/lib.rs": "struct WasmOptions {\n    pub tail_call: Option<bool>,\n}\n",
    "crates/c-api/include/wasmtime/config.h": "WASMTIME_CONFIG_PROP(void, wasm_tail_call, bool)\n",
    "tests/all/wast.rs": 'let tail_call = feature_found(wast, "tail-call");\n',
    "crates/fuzzing/src/generators/module.rs": "let _ = config.tail_call_enabled;\n",
}
MATRIX_REV = {  # the docs of a8998e7c's kind, and the expected-proposals fuzz test
    CONTRIBUTING: MATRIX_PAGE,
    "docs/stability-wasm-proposals.md": MATRIX,
    "crates/fuzzing/src/oracles.rs": (
        "fn module_generation_uses_expected_proposals() {\n"
        "    let expected = WasmFeatures::TAIL_CALL;\n"
        "    let unexpected = WasmFeatures::all() ^ expected;\n}\n"
    ),
}
FEATURES = (
    "define! {\n    pub tail_call: TAIL_CALL(1 << 1) = true;\n    pub gc: GC(1 << 2) = false;\n}\n"
    "pub const WASM2: WasmFeatures = WasmFeatures::FLOATS;\n"
    "pub const WASM3: WasmFeatures = WasmFeatures::WASM2\n    .union(WasmFeatures::TAIL_CALL);\n"
)
WASM_TOOLS = {
    "crates/wasmparser/src/features.rs": FEATURES,
    "crates/wast/src/core/expr.rs": 'ReturnCall(Index<\'a>) : [0x12] : "return_call",\n',
    "crates/wasm-smith/src/config.rs": (
        "features.set(WasmFeatures::TAIL_CALL, self.tail_call_enabled);\n"
        "impl<'a> Arbitrary<'a> for Config {\n    tail_call_enabled: u.arbitrary()?,\n}\n"
    ),
}
README = (
    "# Proposals\n\n### Phase {phase} - Something\n\n| Proposal | Champion |\n|---|---|\n"
    "| [Tail call][tail_call] | Someone |\n\n[tail_call]: https://github.com/WebAssembly/tail-call\n"
)
PYTHON = {"wasmtime/_config.py": "class Config:\n    def wasm_tail_call(self, enable: bool):\n"}


class Repos(NamedTuple):
    wasmtime: Path
    seed: str
    matrix: str
    wasm_tools: Path
    proposals: Path
    python: Path


@pytest.fixture
def repos(tmp_path: Path) -> Repos:
    return build_repos(tmp_path)


def build_repos(tmp_path: Path) -> Repos:
    """Wasmtime at two revisions; every companion has commits before and after both."""
    wasmtime = tmp_path / "wasmtime"
    seed = commit_files(wasmtime, SEED, f"{SEED_DAY}T12:00:00+00:00")
    matrix = commit_files(wasmtime, MATRIX_REV, f"{MATRIX_DAY}T12:00:00+00:00")
    commit_files(wasmtime, {"README.md": "later\n"}, "2025-05-01T00:00:00+00:00")
    wasm_tools = tmp_path / "wasm-tools"
    commit_files(wasm_tools, WASM_TOOLS, "2024-01-01T00:00:00+00:00")
    git(wasm_tools, "tag", "v1.5.0")
    commit_files(wasm_tools, {"README.md": "later\n"}, "2025-05-01T00:00:00+00:00")
    proposals = tmp_path / "proposals"
    finished = {"finished-proposals.md": "# Finished\n\n| Proposal |\n|---|\n"}
    commit_files(
        proposals, {**finished, "README.md": README.format(phase=3)}, "2023-06-01T00:00:00+00:00"
    )
    commit_files(proposals, {"README.md": README.format(phase=4)}, "2024-01-15T00:00:00+00:00")
    commit_files(proposals, {"NOTES.md": "later\n"}, "2025-05-01T00:00:00+00:00")
    python = tmp_path / "py"
    commit_files(python, PYTHON, "2023-01-01T00:00:00+00:00")
    commit_files(python, {"NOTES.md": "later\n"}, "2025-05-01T00:00:00+00:00")
    return Repos(wasmtime, seed, matrix, wasm_tools, proposals, python)


def new_project(directory: Path) -> Path:
    """Policies and schemas of this repository, and an empty evidence directory."""
    for name in ("policies", "schemas"):
        shutil.copytree(REPO / name, directory / name)
    (directory / "evidence").mkdir()
    return directory


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return new_project(tmp_path / "project")


def companions(repos: Repos) -> tuple[str, ...]:
    return (
        *("--wasm-tools", str(repos.wasm_tools), "--proposals", str(repos.proposals)),
        *("--embedding", f"python={repos.python}"),
    )


def collect(run_cli: Any, repos: Repos, root: Path, rev: str, *args: str) -> Run:
    result: Run = run_cli(
        "collect", "wasmtime", str(repos.wasmtime), "--root", str(root), "--rev", rev,
        "--subject", "tail-call", *args,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result


def evidence(root: Path) -> str:
    return (root / "evidence" / "tail-call.yaml").read_text(encoding="utf-8")


def data(root: Path) -> Any:
    return load_bytes((root / "evidence" / "tail-call.yaml").read_bytes(), "t").data


def warnings(result: Run) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]


# -- a collection describes its revision, whatever was there before --------------------------------


def test_an_older_revision_over_newer_evidence_is_that_revision_exactly(
    run_cli: Any, repos: Repos, root: Path, tmp_path: Path
) -> None:
    fresh = new_project(tmp_path / "fresh")
    collect(run_cli, repos, fresh, repos.seed, *companions(repos))
    collect(run_cli, repos, root, repos.matrix, *companions(repos))
    assert data(root)["facts"]["fuzzing"]["expected"] is True
    collect(run_cli, repos, root, repos.seed, *companions(repos))
    # byte for byte what collecting the old revision into an empty project writes
    assert evidence(root) == evidence(fresh)
    written = data(root)
    assert written["as_of"] == dt.date(2024, 3, 1)
    assert written["policy"] == "wasm-proposal@1"
    # the fuzz test did not exist yet: unknown, with the reason and the revision, not `true`
    assert written["facts"]["fuzzing"]["expected"] is None
    source = written["sources"]["fuzzing.expected"]
    assert source["commit"] == repos.seed
    assert source["note"].startswith(
        f"not determined at bytecodealliance/wasmtime@{repos.seed[:8]}: "
        "crates/fuzzing/src/oracles.rs does not exist at"
    )
    # every source is dated by the day the revision describes, whichever repository it is in
    assert {entry["collected_at"] for entry in written["sources"].values()} == {dt.date(2024, 3, 1)}
    wasmtime_commits = {
        entry["commit"]
        for entry in written["sources"].values()
        if entry["repository"] == "bytecodealliance/wasmtime"
    }
    assert wasmtime_commits == {repos.seed}


def test_collecting_again_at_one_revision_changes_no_line(
    run_cli: Any, repos: Repos, root: Path
) -> None:
    collect(run_cli, repos, root, repos.matrix, *companions(repos))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "collected")
    # the same commit named another way: the sources' marks differ, their provenance does not
    again = collect(run_cli, repos, root, "main~1", *companions(repos))
    assert "evidence/tail-call.yaml: unchanged; " in again.stdout
    assert git(root, "diff", "--stat") == ""
    assert f"[gatecheck collect; --rev {repos.matrix}]" in evidence(root)


def test_the_policy_in_force_at_the_revision(run_cli: Any, repos: Repos, root: Path) -> None:
    first = collect(run_cli, repos, root, repos.seed)
    assert (
        'policy wasm-proposal@1 in force: the standards of "Enabling Support for a Proposal by '
        f'Default" ({CONTRIBUTING}:7 at bytecodealliance/wasmtime@{repos.seed[:8]})'
    ) in first.stdout.splitlines()
    assert data(root)["policy"] == "wasm-proposal@1"
    second = collect(run_cli, repos, root, repos.matrix)
    lines = second.stdout.splitlines()
    assert (
        "policy wasm-proposal@2 in force: the requirements matrix of "
        "docs/stability-wasm-proposals.md (docs/stability-wasm-proposals.md:5 at "
        f"bytecodealliance/wasmtime@{repos.matrix[:8]})"
    ) in lines
    assert (
        "  policy switched: wasm-proposal@1 -> wasm-proposal@2 (the version in force at the "
        "revision)"
    ) in lines
    assert "policy: wasm-proposal@2\n" in evidence(root)
    # `wasm-proposal` names the default version, wasm-proposal@1: no switch back and forth
    text = evidence(root).replace("policy: wasm-proposal@2\n", "policy: wasm-proposal\n")
    (root / "evidence" / "tail-call.yaml").write_text(text, encoding="utf-8")
    third = collect(run_cli, repos, root, repos.seed)
    assert "policy switched" not in third.stdout
    assert "policy: wasm-proposal\n" in evidence(root)


def test_a_switch_the_file_cannot_take_says_why(run_cli: Any, repos: Repos, root: Path) -> None:
    collect(run_cli, repos, root, repos.seed)
    waiver = (
        "waivers:\n  - rule: other-language\n    reason: the .NET binding lags\n"
        "    approver: fitzgen\n    expires: 2024-04-01\n"
    )
    (root / "evidence" / "tail-call.yaml").write_text(evidence(root) + waiver, encoding="utf-8")
    before = evidence(root)
    result = run_cli(
        "collect", "wasmtime", str(repos.wasmtime), "--root", str(root), "--rev", repos.matrix
    )
    assert result.exit_code == 2
    first, hint = result.stderr.splitlines()[:2]
    line = before.splitlines().index("  - rule: other-language") + 1
    assert first == (
        f"evidence/tail-call.yaml:{line}:11: error: waiver names rule 'other-language', which "
        "policy wasm-proposal@2 does not have [unknown-rule]"
    )
    assert hint.startswith(
        "  hint: collect switches the policy from wasm-proposal@1 to wasm-proposal@2, the version "
        f"in force at bytecodealliance/wasmtime@{repos.matrix[:8]}; known rules: "
    )
    assert evidence(root) == before  # nothing written


def test_no_policy_page_keeps_the_files_policy(tmp_path: Path, run_cli: Any) -> None:
    wasmtime = tmp_path / "wasmtime"
    rev = commit_files(
        wasmtime, {**SEED, CONTRIBUTING: MATRIX_PAGE}, f"{SEED_DAY}T00:00:00+00:00"
    )  # the section is gone, and there is no matrix: no version says it is in force
    root = new_project(tmp_path / "project")
    args = ("collect", "wasmtime", str(wasmtime), "--root", str(root), "--rev", rev)
    created = run_cli(*args)
    assert "policy wasm-proposal@1 for new files: none of the table's policy pages " in (
        created.stdout
    )
    text = evidence(root).replace("policy: wasm-proposal@1", "policy: wasm-proposal@2")
    (root / "evidence" / "tail-call.yaml").write_text(text, encoding="utf-8")
    again = run_cli(*args)
    assert "policy switched" not in again.stdout
    assert "policy: wasm-proposal@2\n" in evidence(root)


# -- facts recorded by hand ----------------------------------------------------------------------


def test_hand_recorded_facts_are_kept_only_at_revisions_on_or_after_their_date(
    run_cli: Any, repos: Repos, root: Path
) -> None:
    collect(run_cli, repos, root, repos.matrix)  # as_of 2024-11-01
    at = ("--root", str(root))
    record = ("record", "tail-call")
    assert run_cli(*record, "profile.compiler", "cranelift", *at).exit_code == 0  # no source
    assert run_cli(*record, "profile.target", "x86_64-unknown-linux-gnu", *at).exit_code == 0
    since = (*record, "fuzzing.since", "2024-10-01", "--collected-at", "2024-10-02")
    assert run_cli(*since, "--note", "first fuzzed", *at).exit_code == 0
    attest = ("attest", "tail-call", "fuzzers-exercise-proposal", "--by", "alexcrichton")
    assert run_cli(*attest, "--date", "2024-10-10", *at).exit_code == 0

    kept = collect(run_cli, repos, root, repos.matrix)
    assert (
        "  kept, recorded by hand on or before the revision: fuzzing.since (2024-10-02), "
        "profile.compiler (2024-11-01), profile.target (2024-11-01)"
    ) in kept.stdout.splitlines()
    sources = data(root)["sources"]
    mark = "[not collected: gatecheck collect keeps it at revisions dated on or after"
    assert sources["fuzzing.since"] == {
        "collected_at": dt.date(2024, 10, 2),
        "note": f"first fuzzed {mark} 2024-10-02]",
    }
    # a fact recorded without a source keeps the date it had (the as_of it was recorded under)
    assert sources["profile.compiler"] == {
        "collected_at": dt.date(2024, 11, 1),
        "note": f"{mark} 2024-11-01]",
    }
    marked = evidence(root)
    assert "unchanged" in collect(run_cli, repos, root, repos.matrix).stdout
    assert evidence(root) == marked  # marked once

    older = collect(run_cli, repos, root, repos.seed)
    lines = older.stdout.splitlines()
    assert (
        "  removed fuzzing.since: recorded by hand, dated 2024-10-02, after the revision" in lines
    )
    assert "  removed profile.compiler: recorded by hand, dated 2024-11-01, after the revision" in (
        lines
    )
    written = data(root)
    assert "since" not in written["facts"]["fuzzing"]
    assert "profile" not in written["facts"]  # emptied: removed whole, not left as {}
    assert not [name for name in written["sources"] if name.startswith(("profile", "fuzzing.s"))]
    # attestations are people's judgements, dated by themselves: kept, and the run says what
    # judging the revision's day will make of them
    assert written["attestations"][0]["date"] == dt.date(2024, 10, 10)
    (warning,) = warnings(older)
    assert warning == (
        "warning: tail-call: attestation fuzzers-exercise-proposal by alexcrichton (2024-10-10) "
        "is dated after the revision's date (2024-03-01): judged on a day before it, the "
        "evidence is refused (dated-after-judging)"
    )


def test_a_collected_fact_recorded_by_hand(run_cli: Any, repos: Repos, root: Path) -> None:
    collect(run_cli, repos, root, repos.seed)  # no --wasm-tools: the default is not determined
    assert data(root)["facts"]["wasmtime"]["enabled_by_default"] is None
    at = ("--root", str(root))
    by_hand = ("record", "tail-call", "wasmtime.enabled_by_default", "true", "--note", "read it")
    assert run_cli(*by_hand, "--collected-at", "2024-02-01", *at).exit_code == 0
    # where the revision cannot say, a person's record from before it stands
    kept = collect(run_cli, repos, root, repos.seed)
    assert "  kept, recorded by hand on or before the revision: " in kept.stdout
    assert data(root)["facts"]["wasmtime"]["enabled_by_default"] is True
    # where it can, the revision's value replaces it, and the run says so
    replaced = collect(run_cli, repos, root, repos.seed, "--wasm-tools", str(repos.wasm_tools))
    assert "  replaced wasmtime.enabled_by_default" not in replaced.stdout  # the same value
    source = data(root)["sources"]["wasmtime.enabled_by_default"]
    assert source["commit"] == repos.seed
    assert "[gatecheck collect; " in source["note"]
    # a record dated after the revision is not from it: removed, and the fact is unknown
    assert run_cli(*by_hand, "--collected-at", "2024-05-01", *at).exit_code == 0
    later = collect(run_cli, repos, root, repos.seed)
    assert (
        "  removed wasmtime.enabled_by_default: recorded by hand, dated 2024-05-01, after the "
        "revision; now not determined"
    ) in later.stdout.splitlines()
    assert data(root)["facts"]["wasmtime"]["enabled_by_default"] is None


# -- what needs a companion repository is unknown without it ---------------------------------------


def test_a_default_from_wasmparsers_sets_needs_wasm_tools(
    run_cli: Any, repos: Repos, root: Path
) -> None:
    without = collect(run_cli, repos, root, repos.matrix)
    assert data(root)["facts"]["wasmtime"]["enabled_by_default"] is None
    assert (
        "  not determined: wasmtime.enabled_by_default: whether TAIL_CALL is in WASM3 is read from "
        "crates/wasmparser/src/features.rs in wasm-tools (`features |= WasmFeatures::WASM3;`, "
        f"crates/wasmtime/src/config.rs:6 at bytecodealliance/wasmtime@{repos.matrix[:8]}): "
        "no --wasm-tools repository given"
    ) in without.stdout.splitlines()
    collect(run_cli, repos, root, repos.matrix, "--wasm-tools", str(repos.wasm_tools))
    assert data(root)["facts"]["wasmtime"]["enabled_by_default"] is True


def test_a_set_wasm_tools_does_not_define_is_not_read_as_absent(
    run_cli: Any, repos: Repos, root: Path
) -> None:
    no_set = FEATURES.replace("WASM3", "WASM9")
    commit_files(
        repos.wasm_tools, {"crates/wasmparser/src/features.rs": no_set}, "2024-02-01T00:00:00+00:00"
    )
    git(repos.wasm_tools, "tag", "-f", "v1.5.0")
    result = collect(run_cli, repos, root, repos.matrix, "--wasm-tools", str(repos.wasm_tools))
    assert data(root)["facts"]["wasmtime"]["enabled_by_default"] is None
    assert (
        "whether TAIL_CALL is in WASM3 cannot be read: no definition of WASM3 in "
        "crates/wasmparser/src/features.rs at bytecodealliance/wasm-tools@"
    ) in result.stdout


def test_without_a_companion_every_fact_it_gives_is_unknown(
    run_cli: Any, repos: Repos, root: Path
) -> None:
    collect(run_cli, repos, root, repos.matrix, *companions(repos))
    facts = data(root)["facts"]
    assert (facts["proposal"]["phase"], facts["apis"]["python"]) == (4, True)
    assert facts["wasm_tools"]["wast"] is True
    result = collect(run_cli, repos, root, repos.matrix)
    facts = data(root)["facts"]
    assert facts["proposal"] == {"phase": None, "name": None, "repository": None}
    assert facts["apis"]["python"] is None
    assert set(facts["wasm_tools"].values()) == {None}
    assert facts["fuzzing"]["generated"] is None  # Wasmtime leaves it to wasm-smith
    assert "  not determined: proposal.phase: no --proposals repository given" in result.stdout


# -- warnings that mean something ------------------------------------------------------------------


def test_companions_that_show_the_revision_do_not_warn(
    run_cli: Any, repos: Repos, root: Path
) -> None:
    # each companion's last commit before the revision is older than it: that is the repository
    # as it stood then, since each clone has later commits
    result = collect(run_cli, repos, root, repos.seed, *companions(repos))
    assert result.stderr == ""
    assert "(snapshot of 2024-01-15) [gatecheck collect; " in evidence(root)


def test_a_clone_that_ends_before_the_revision_warns(
    run_cli: Any, repos: Repos, root: Path, tmp_path: Path
) -> None:
    short = tmp_path / "short-proposals"
    git(tmp_path, "clone", "-q", str(repos.proposals), str(short))
    git(short, "reset", "-q", "--hard", "HEAD~2")  # ends 2023-06-01: phase 3, Wasmtime says 4
    result = collect(run_cli, repos, root, repos.matrix, "--proposals", str(short))
    (warning, disagreement) = warnings(result)
    assert warning.startswith("warning: WebAssembly/proposals@")
    assert warning.endswith(
        "(2023-06-01): it is the newest commit of this clone, older than the Wasmtime revision "
        "(2024-11-01): what the repository gained since, if anything, is not seen (fetch the "
        "clone)"
    )
    assert disagreement.startswith("warning: tail-call: WebAssembly/proposals says phase 3 ")
    # a vote the clone cannot see may explain it: the phase is not determined
    assert data(root)["facts"]["proposal"]["phase"] is None


def test_a_proposals_revision_that_skips_commits_warns(
    run_cli: Any, repos: Repos, root: Path
) -> None:
    first = git(repos.proposals, "rev-list", "--max-parents=0", "HEAD").strip()
    result = collect(
        run_cli, repos, root, repos.matrix, "--proposals", str(repos.proposals),
        "--proposals-rev", first,
    )  # fmt: skip
    (warning, _) = warnings(result)
    assert warning.endswith(
        "the clone has later commits up to the Wasmtime revision's date "
        f"({git(repos.proposals, 'rev-parse', 'HEAD~1').strip()[:8]}, 2024-01-15) that are not "
        "read"
    )


# -- the plan, pure --------------------------------------------------------------------------------

REV = WasmtimeRevision(
    "bytecodealliance/wasmtime", "a" * 40, dt.date(2024, 5, 1), "w@aaaaaaaa", "--rev a"
)
CONTEXT = PlanContext(
    REV,
    PolicyChoice("wasm-proposal@1", found=True, reason="r"),
    frozenset({"wasm-proposal@1", "wasm-proposal"}),
    {"bytecodealliance/wasmtime": "--rev a"},
    dt.date(2026, 1, 1),
)


def collected(fact: str, value: object, line: int = 1) -> Collected:
    return Collected(fact, value, "bytecodealliance/wasmtime", "a" * 40, "f.rs", line, "found")


def test_plan_of_a_new_file() -> None:
    plan = plan_subject(None, [collected("docs", True), Unknown("apis.c", "why")], CONTEXT)
    assert plan.facts == {
        "docs": (
            True,
            {
                "repository": "bytecodealliance/wasmtime",
                "commit": "a" * 40,
                "file": "f.rs",
                "line": 1,
                "collected_at": dt.date(2024, 5, 1),
                "note": "found [gatecheck collect; --rev a]",
            },
        ),
        "apis.c": (
            None,
            {
                "repository": "bytecodealliance/wasmtime",
                "commit": "a" * 40,
                "collected_at": dt.date(2024, 5, 1),
                "note": "not determined at w@aaaaaaaa: why [gatecheck collect; --rev a]",
            },
        ),
    }
    assert (plan.remove, plan.sources, plan.kept, plan.removed) == ((), {}, (), ())
    assert plan.envelope == {"as_of": dt.date(2024, 5, 1)}


def test_plan_keeps_what_the_revision_confirms_and_replaces_the_rest() -> None:
    first = plan_subject(None, [collected("docs", True), collected("apis.c", True)], CONTEXT)
    create = {"subject": "s", "policy": "wasm-proposal@1", "as_of": dt.date(2024, 5, 1)}
    existing = apply_plan(None, first, create)
    again = plan_subject(
        existing, [collected("docs", True), collected("apis.c", True, line=2)], CONTEXT
    )
    assert list(again.facts) == ["apis.c"]  # moved to another line: a new source
    assert again.facts["apis.c"][1]["line"] == 2
    same = plan_subject(existing, [collected("docs", True), collected("apis.c", True)], CONTEXT)
    assert same.unchanged
    assert same.facts == {}
    # the same finding with the revision named another way: the same provenance
    other_how = CONTEXT._replace(hows={"bytecodealliance/wasmtime": "--rev main"})
    assert plan_subject(existing, [collected("docs", True)], other_how).facts == {}
    # another value from the same place is a change
    assert list(plan_subject(existing, [collected("docs", False)], CONTEXT).facts) == ["docs"]


def test_plan_dates_hand_recorded_facts_by_their_sources_then_as_of() -> None:
    existing = {
        "subject": "s",
        "policy": "wasm-proposal@1",
        "as_of": dt.date(2024, 4, 1),
        "facts": {
            "profile": {"compiler": "cranelift", "target": "x"},
            "concerns": [{"title": "a"}, {"title": "b"}],
            "fuzzing": {"since": dt.date(2024, 1, 1), "custom": True},
        },
        "sources": {
            "profile": {"url": "https://example.org", "collected_at": dt.date(2024, 6, 1)},
            "concerns.0": {"note": "old", "collected_at": dt.date(2024, 2, 1)},
            "concerns.1": {"note": "undated"},
            "fuzzing.since": {"note": "n", "collected_at": dt.date(2024, 3, 1)},
        },
        "attestations": [{"judgement": "j", "by": "x", "date": dt.date(2024, 5, 2)}],
    }
    plan = plan_subject(existing, [collected("fuzzing.generated", True)], CONTEXT)
    assert [(item.fact, item.date) for item in plan.removed] == [
        ("profile.compiler", dt.date(2024, 6, 1)),  # dated by the parent's source
        ("profile.target", dt.date(2024, 6, 1)),
    ]
    assert plan.remove == ("profile",)
    assert [(item.fact, item.date) for item in plan.kept] == [
        ("concerns", dt.date(2024, 4, 1)),  # its newest part: the undated item, by as_of
        ("fuzzing.since", dt.date(2024, 3, 1)),
        ("fuzzing.custom", dt.date(2024, 4, 1)),  # no source: as_of
    ]
    mark = "[not collected: gatecheck collect keeps it at revisions dated on or after"
    assert plan.sources == {
        "concerns.0": {"note": f"old {mark} 2024-04-01]", "collected_at": dt.date(2024, 2, 1)},
        "concerns.1": {"note": f"undated {mark} 2024-04-01]", "collected_at": dt.date(2024, 4, 1)},
        "fuzzing.since": {"note": f"n {mark} 2024-03-01]", "collected_at": dt.date(2024, 3, 1)},
        "fuzzing.custom": {"collected_at": dt.date(2024, 4, 1), "note": f"{mark} 2024-04-01]"},
    }
    assert plan.later_attestations == ("j by x (2024-05-02)",)
    # once marked, nothing more to do
    after = apply_plan(existing, plan, {})
    again = plan_subject(after, [collected("fuzzing.generated", True)], CONTEXT)
    assert (again.facts, again.sources, again.remove) == ({}, {}, ())


def test_plan_switches_only_versions_of_the_policy_in_force() -> None:
    def switch(policy: str) -> tuple[str, str] | None:
        existing = {"subject": "s", "policy": policy, "facts": {}}
        return plan_subject(existing, [], CONTEXT).policy_switch

    assert switch("wasm-proposal@2") == ("wasm-proposal@2", "wasm-proposal@1")
    assert switch("wasm-proposal") is None  # the default version: the one in force
    assert switch("wasm-proposal@1") is None
    assert switch("wasi-component-functionality") is None  # another policy: not ours to change


def test_the_tables_policy_versions_name_a_version() -> None:
    from importlib import resources

    from ruamel.yaml import YAML

    from gatecheck.collectors.table import load_table, parse_table

    policies = load_table().policies
    assert [version.policy for version in policies.versions] == [
        "wasm-proposal@1",
        "wasm-proposal@2",
    ]
    text = resources.files("gatecheck.collectors").joinpath("wasmtime.yaml").read_text("utf-8")
    unversioned = text.replace("- policy: wasm-proposal@1", "- policy: wasm-proposal", 1)
    with pytest.raises(ValueError, match="name the version"):
        parse_table(YAML(typ="safe").load(unversioned))


def test_apply_plan_is_what_the_edit_writes(repos: Repos, root: Path) -> None:
    project = open_project(str(root))
    today = dt.date(2026, 1, 1)
    options = CollectOptions(str(repos.wasmtime), rev=repos.matrix, subjects=("tail-call",))
    collect_wasmtime(project, options, today)
    before = data(root)
    older = options._replace(rev=repos.seed, wasm_tools=str(repos.wasm_tools))
    (result,) = collect_wasmtime(open_project(str(root)), older, today).subjects
    assert apply_plan(before, result.plan, {}) == data(root)


# -- the editing API the collector writes through ----------------------------------------------


def test_decide_sees_the_file_and_sets_envelope_and_sources(root: Path) -> None:
    from gatecheck.editing.evidence_files import Changes, FactChange, edit_evidence

    project = open_project(str(root))
    seen: list[Any] = []

    def decide(current: Any) -> Changes:
        seen.append(current)
        return Changes(
            [FactChange("docs", None, {"note": "unknown"})],
            envelope={"as_of": dt.date(2024, 1, 2), "policy": "wasm-proposal@2"},
        )

    create = {"policy": "wasm-proposal@1", "as_of": dt.date(2024, 1, 1)}
    edit_evidence(project, "tail-call", create=create, decide=decide)
    assert seen == [None]
    assert evidence(root) == (
        "subject: tail-call\npolicy: wasm-proposal@2\nas_of: 2024-01-02\nfacts:\n  docs: null\n"
        "sources:\n  docs: {note: unknown}\n"
    )
    text = evidence(root).replace("facts:\n", "# the facts\nfacts:\n")
    (root / "evidence" / "tail-call.yaml").write_text(text, encoding="utf-8")

    def from_the_file(current: dict[str, Any] | None) -> Changes:
        assert current is not None
        return Changes(
            sources={"docs": {"note": f"was {current['facts']['docs']}"}},
            envelope={"as_of": dt.date(2024, 1, 2)},
        )

    result = edit_evidence(project, "tail-call", decide=from_the_file)
    assert result.diff.count("\n-") == 1  # one line: the source
    assert "# the facts\n" in evidence(root)
    assert "  docs: {note: was None}\n" in evidence(root)
    # a source with other keys is written in the documented order, not merged after the note
    source = {"note": "read", "commit": "abcdef1", "repository": "o/r"}
    edit_evidence(project, "tail-call", decide=lambda _: Changes(sources={"docs": source}))
    assert "  docs: {repository: o/r, commit: abcdef1, note: read}\n" in evidence(root)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"sources": {"apis.c": {"note": "x"}}}, "cannot set the source of apis.c"),
        ({"envelope": {"subject": "other"}}, "`subject` is not an envelope key an edit sets"),
    ],
)
def test_edits_the_api_refuses(root: Path, changes: dict[str, Any], words: str) -> None:
    from gatecheck.editing.evidence_files import Changes, edit_evidence

    (root / "evidence" / "tail-call.yaml").write_text(
        "subject: tail-call\npolicy: wasm-proposal@1\nfacts: {docs: true}\n", encoding="utf-8"
    )
    with pytest.raises(InvalidInput) as raised:
        edit_evidence(open_project(str(root)), "tail-call", decide=lambda _: Changes(**changes))
    (problem,) = raised.value.problems
    assert (problem.code, words in problem.message) == ("bad-edit", True)


def test_null_means_known_to_be_unknown(run_cli: Any, root: Path) -> None:
    (root / "evidence" / "tail-call.yaml").write_text(
        "subject: tail-call\npolicy: wasm-proposal@1\nfacts:\n  proposal: {phase: null}\n"
        "  fuzzing: null\nsources:\n  proposal.phase: {note: no vote recorded}\n",
        encoding="utf-8",
    )
    assert run_cli("validate", "--root", str(root)).exit_code == 0
    misspelt = evidence(root).replace("phase: null", "phse: null")
    (root / "evidence" / "tail-call.yaml").write_text(misspelt, encoding="utf-8")
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 2
    assert "unknown fact 'proposal.phse'" in result.stderr


def test_record_collected_at(run_cli: Any, root: Path) -> None:
    (root / "evidence" / "tail-call.yaml").write_text(
        "subject: tail-call\npolicy: wasm-proposal@1\nfacts: {}\n", encoding="utf-8"
    )
    args = ("record", "tail-call", "docs", "true", "--root", str(root), "--collected-at")
    assert run_cli(*args, "2024-01-02").exit_code == 0
    assert data(root)["sources"]["docs"] == {"collected_at": dt.date(2024, 1, 2)}
    late = run_cli(*args, "2999-01-01")
    assert late.exit_code == 2
    assert "evidence cannot describe a day that has not come" in late.stderr


# -- the real history ------------------------------------------------------------------------------

MIRROR = Path("/work/.mirror")


@pytest.mark.skipif(not (MIRROR / "bytecodealliance+wasmtime").exists(), reason="no mirror here")
def test_tail_call_in_2024_then_2026_then_2024(run_cli: Any, root: Path, tmp_path: Path) -> None:
    def at(rev: str, project: Path) -> Run:
        result: Run = run_cli(
            "collect", "wasmtime", str(MIRROR / "bytecodealliance+wasmtime/repo"),
            "--root", str(project), "--rev", rev, "--subject", "tail-call",
            "--wasm-tools", str(MIRROR / "bytecodealliance+wasm-tools/repo"),
            "--proposals", str(MIRROR / "WebAssembly+proposals/repo"),
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        return result

    fresh = new_project(tmp_path / "fresh")
    may = at("4896b663", fresh)
    assert may.stderr == ""  # the companions' clones go on past 2024: nothing to warn about
    at("e6b33de5", root)
    assert data(root)["facts"]["fuzzing"]["expected"] is True
    assert data(root)["policy"] == "wasm-proposal@2"
    at("4896b663", root)
    assert evidence(root) == evidence(fresh)
    assert data(root)["facts"]["fuzzing"]["expected"] is None
    assert (data(root)["policy"], data(root)["as_of"]) == ("wasm-proposal@1", dt.date(2024, 5, 22))
