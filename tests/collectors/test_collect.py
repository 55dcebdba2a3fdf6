"""`gatecheck collect wasmtime` on small fixture repositories written here (invented content)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from tests.support.collect import Edit, Repos, resources_text
from tests.support.git import commit_files, git

from gatecheck.collectors.facts import Collected
from gatecheck.collectors.run import CollectOptions, collect_wasmtime
from gatecheck.errors import InvalidInput
from gatecheck.project.layout import open_project

TODAY = dt.date(2026, 1, 2)


def _run(tmp_path: Path, **options: Any) -> Any:
    (tmp_path / "project" / "evidence").mkdir(parents=True, exist_ok=True)
    project = open_project(str(tmp_path / "project"), None, None)
    return collect_wasmtime(project, CollectOptions(**options), TODAY)


# What the fixture's one-column matrix (and its missing tiers page) does not say.
DECLARED_ELSEWHERE = {
    "declared.on_by_default",
    "declared.tests",
    "declared.finished",
    "declared.fuzzed",
    "declared.api",
    "declared.c_api",
}


def test_every_fact_kind_with_provenance(tmp_path: Path, repos: Repos, edits: list[Edit]) -> None:
    report = _run(
        tmp_path,
        wasmtime=str(repos.wasmtime),
        rev="main",
        wasm_tools=str(repos.wasm_tools),
        proposals=str(repos.proposals),
        embeddings=(f"python={repos.python}",),
    )
    tail = next(edit for edit in edits if edit.subject == "tail-call")
    assert tail.facts == {
        "names.wasmparser": "TAIL_CALL",
        "names.config": "wasm_tail_call",
        "names.cli": "-W tail-call",
        "names.c_api": "wasmtime_config_wasm_tail_call_set",
        "wasm_tools.wasmparser": True,
        "wasm_tools.wast": True,
        "wasm_tools.wat": True,
        "wasm_tools.wasmprinter": True,
        "wasm_tools.wasm_encoder": True,
        "wasm_tools.wasm_smith": True,
        "wasmtime.config_method": True,
        "wasmtime.uses_wasm_tools": True,  # config.rs names WasmFeatures::TAIL_CALL
        "wasmtime.implemented": True,
        "apis.rust": True,
        "wasmtime.cli_flag": True,
        "wasmtime.enabled_by_default": True,
        "wasmtime.tier": 1,
        "docs": True,
        "spec_tests.enabled": True,
        # the fixture's runner has no target list, misc test or fuzz target: null, not false
        "spec_tests.cranelift_targets": None,
        **{
            f"compiler_support.{target}.{compiler}": None
            for target in ("x86_64", "aarch64", "s390x", "riscv64", "pulley")
            for compiler in ("cranelift", "winch")
        },
        "fuzzing.generated": True,
        "fuzzing.targets": None,
        "fuzzing.expected": True,
        "misc_tests": None,
        "wasmtime.c_config_setter": True,
        "apis.c": True,
        "apis.python": True,
        "apis.go": None,  # no --embedding go: not determined, recorded as null
        "apis.dotnet": None,
        "proposal.phase": None,
        "proposal.name": "Tail call",
        "proposal.repository": "https://github.com/WebAssembly/tail-call",
        # Wasmtime's own page, as written (tests/collectors/test_declared.py tests it in depth)
        "declared.rows": 1,
        "declared.tier": 1,
        "declared.phase4": "✅",
        "declared.footnotes": {},
        # the fixture's page has no such column or note: not determined, recorded as null
        **dict.fromkeys(DECLARED_ELSEWHERE, None),
    }
    source = tail.sources["wasm_tools.wast"]
    assert source["repository"] == "bytecodealliance/wasm-tools"
    assert len(source["commit"]) == 40
    assert source["file"] == "crates/wast/src/core/expr.rs"
    assert source["line"] == 1
    assert source["collected_at"] == dt.date(2025, 6, 1)  # the day the revision describes
    assert "tag v1.5.0" in source["note"]  # the pinned release, not HEAD (which lost the line)
    assert tail.create == {
        "subject": "tail-call",
        "policy": "wasm-proposal@1",
        "title": "tail-call",
        "as_of": dt.date(2025, 6, 1),  # the day of the Wasmtime revision read
    }
    result = next(item for item in report.subjects if item.subject == "tail-call")
    # the proposals snapshot is older than the revision and disagrees with Wasmtime: no phase
    unknown = {item.fact for item in result.unknown} - DECLARED_ELSEWHERE
    assert {"apis.go", "apis.dotnet", "proposal.phase"} <= unknown
    # this runner and fuzzing crate are too small for the facts read from their layout (those are
    # tested in test_collect_coverage.py)
    assert all(
        fact.startswith(("compiler_support.", "spec_tests.cranelift", "fuzzing.targets", "misc_"))
        for fact in unknown - {"apis.go", "apis.dotnet", "proposal.phase"}
    )
    assert "no --embedding go=PATH given" in {item.reason for item in result.unknown}
    # component-model is listed but is not a core proposal: skipped and said so
    assert [item.split(":")[0] for item in report.skipped] == ["component-model"]
    # gc: tier 3 from the second table; absent facts are false; missing spellings are unknown
    gc = next(edit for edit in edits if edit.subject == "gc")
    assert gc.facts["wasmtime.tier"] == 3
    assert gc.facts["wasmtime.enabled_by_default"] is False
    assert gc.facts["fuzzing.expected"] is False
    assert gc.facts["wasm_tools.wast"] is False  # the fixture's parser has no struct.new


def test_disagreement_and_stale_snapshot_warn(
    tmp_path: Path, repos: Repos, edits: list[Edit]
) -> None:
    report = _run(
        tmp_path, wasmtime=str(repos.wasmtime), rev="main", proposals=str(repos.proposals)
    )
    assert any("older than the Wasmtime revision" in warning for warning in report.warnings)
    assert any(
        "tail-call: WebAssembly/proposals says phase 3" in warning and "Phase 4 ✅" in warning
        for warning in report.warnings
    )
    tail = next(edit for edit in edits if edit.subject == "tail-call")
    # Neither source settles it: the phase is not determined, and the source says why
    assert tail.facts["proposal.phase"] is None
    assert "says phase 3 but Wasmtime's docs mark Phase 4" in tail.sources["proposal.phase"]["note"]
    result = next(item for item in report.subjects if item.subject == "tail-call")
    (unknown,) = [item for item in result.unknown if item.fact == "proposal.phase"]
    assert "says phase 3 but Wasmtime's docs mark Phase 4 ✅" in unknown.reason


def test_old_revision_moved_and_missing_files(
    tmp_path: Path, repos: Repos, edits: list[Edit]
) -> None:
    report = _run(tmp_path, wasmtime=str(repos.wasmtime), rev=repos.old, subjects=("tail-call",))
    (tail,) = edits
    # the spec-test runner was at tests/wast.rs then: the table's second candidate
    assert tail.sources["spec_tests.enabled"]["file"] == "tests/wast.rs"
    assert tail.sources["spec_tests.enabled"]["commit"] == repos.old
    # the fuzz test did not exist yet: unknown with the reason, not false
    unknown = {item.fact: item.reason for item in report.subjects[0].unknown}
    assert tail.facts["fuzzing.expected"] is None
    assert tail.sources["fuzzing.expected"]["commit"] == repos.old
    assert "crates/fuzzing/src/oracles.rs does not exist" in unknown["fuzzing.expected"]
    assert "no --wasm-tools repository given" in unknown["wasm_tools.wast"]


def test_work_tree_and_dry_run(tmp_path: Path, repos: Repos, edits: list[Edit]) -> None:
    report = _run(tmp_path, wasmtime=str(repos.wasmtime), subjects=("tail-call",), dry_run=True)
    assert edits[0].dry_run is True
    assert report.snapshots[0].how == "the work tree (HEAD)"
    assert all(isinstance(fact, Collected) for fact in report.subjects[0].collected)


@pytest.mark.parametrize(
    ("options", "code", "words"),
    [
        ({"rev": "no-such-rev"}, "unknown-ref", "no-such-rev: no such commit"),
        ({"subjects": ("tail-cal",)}, "unknown-proposal", "does not list it"),
        ({"embeddings": ("ruby=/x",)}, "bad-embedding", "expected LANG=PATH"),
    ],
)
def test_bad_input_is_located(  # noqa: PLR0917 - fixtures and parameters
    tmp_path: Path, repos: Repos, edits: list[Edit], options: dict[str, Any], code: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        _run(tmp_path, wasmtime=str(repos.wasmtime), **{"rev": "main", **options})
    (problem,) = raised.value.problems
    assert problem.code == code
    assert words in problem.message
    assert edits == []


def test_not_wasmtime(tmp_path: Path, repos: Repos, run_cli: Any) -> None:
    (tmp_path / "project" / "evidence").mkdir(parents=True)
    for path, code in ((repos.proposals, "not-wasmtime"), (tmp_path, "not-a-repository")):
        result = run_cli("collect", "wasmtime", str(path), "--root", str(tmp_path / "project"))
        assert result.exit_code == 2
        assert f"[{code}]" in result.stderr
        assert "Traceback" not in result.stderr


MIRROR = Path("/work/.mirror")


@pytest.mark.skipif(not (MIRROR / "bytecodealliance+wasmtime").exists(), reason="no mirror here")
def test_real_mirror(tmp_path: Path, edits: list[Edit]) -> None:
    report = _run(
        tmp_path,
        wasmtime=str(MIRROR / "bytecodealliance+wasmtime/repo"),
        rev="e6b33de5139d915a48127fc78b790e2d306cf896",
        wasm_tools=str(MIRROR / "bytecodealliance+wasm-tools/repo"),
        subjects=("tail-call", "threads"),
    )
    facts = {edit.subject: edit.facts for edit in edits}
    assert facts["tail-call"]["wasmtime.enabled_by_default"] is True
    assert facts["tail-call"]["fuzzing.expected"] is True
    assert facts["threads"]["fuzzing.generated"] is False
    assert facts["threads"]["wasmtime.tier"] == 2
    assert "tag v1.254.0" in report.snapshots[1].how


# -- 2024 layouts: the table's rules for mechanisms Wasmtime and wasm-smith have since replaced --

OLD_CONFIG = (  # Config::new starts from the parser's defaults and turns one off
    "impl Config {\n"
    "    pub fn new() -> Self {\n"
    "        let mut ret = Self { features: WasmFeatures::default() };\n"
    '        if !cfg!(feature = "gc") {\n'
    "            ret.features.set(WasmFeatures::GC, false);\n"
    "        }\n"
    "        ret.features.set(WasmFeatures::TAIL_CALL, false);\n"
    "        ret\n"
    "    }\n"
    "    pub fn wasm_tail_call(&mut self, enable: bool) -> &mut Self { self }\n"
    "    pub fn wasm_gc(&mut self, enable: bool) -> &mut Self { self }\n"
    "%s"
    "}\n"
)
DEFAULTS = (  # turned on at run time, by a comparison
    "    pub(crate) fn conditionally_enable_defaults(&mut self) {\n"
    "        if self.tail_callable.is_none() {\n"
    "            let default_tail_calls = self.strategy == %s;\n"
    "            self.wasm_tail_call(default_tail_calls);\n"
    "        }\n"
    "    }\n"
)
WASMTIME_2024 = {
    "crates/wasmtime/src/config.rs": OLD_CONFIG % "",
    "Cargo.toml": 'wasmparser = { version = "0.10.0", default-features = false }\n',
    "docs/stability-tiers.md": (
        "# Tiers\n\n## Current Tier Status\n\n#### Tier 1\n\n"
        "| Category | Description |\n|---|---|\n"
        "| WebAssembly Proposal | [`tail-call`] |\n| WASI Proposal | [`wasi-io`] |\n\n"
        "#### Tier 3\n\n| Category | Description | Missing |\n|---|---|---|\n"
        "| WebAssembly Proposal | [`gc`] | Complete implementation |\n"
    ),
    "tests/all/wast.rs": (
        'let tail_call = feature_found(wast, "tail-call") || feature_found(wast, "x");\n'
    ),
    "crates/fuzzing/src/generators/module.rs": "let config = wasm_smith::Config::arbitrary(u)?;\n",
    "crates/fuzzing/src/generators/config.rs": (
        "impl Arbitrary for Config {\n    fn arbitrary(u) -> Self {\n"
        "        if winch {\n"
        "            config.module_config.config.gc_enabled = false;\n        }\n"
        "        config.module_config.config.tail_call_enabled = false;\n    }\n}\n"
    ),
    "crates/fuzzing/src/oracles.rs": "fn differential() {}\n",
}
SMITH_2024 = (
    "pub struct Config {\n    pub tail_call_enabled: bool = %s,\n"
    "    pub gc_enabled: bool = false,\n}\n"
    "impl<'a> Arbitrary<'a> for Config {\n    fn arbitrary(u: &mut Unstructured<'a>) -> Self {\n"
    "        Ok(Config {\n            gc_enabled: false,\n            tail_call_enabled: %s,\n"
    "        })\n    }\n}\n"
)
WASM_TOOLS_2024 = {
    "crates/wasmparser/src/validator.rs": (
        "define! {\n    pub tail_call: TAIL_CALL(1 << 1) = true;\n"
        "    pub gc: GC(1 << 2) = false;\n}\n"
    ),
    "crates/wasm-smith/src/config.rs": SMITH_2024 % ("false", "false"),
}


class History(NamedTuple):
    wasmtime: Path
    revs: dict[str, str]
    wasm_tools: Path


@pytest.fixture
def history(tmp_path: Path) -> History:
    """A Wasmtime whose defaults and fuzzing change the ways 2024's did, and two wasm-smiths."""
    wasm_tools = tmp_path / "wasm-tools"
    commit_files(wasm_tools, WASM_TOOLS_2024, "2024-04-01T00:00:00+00:00")
    git(wasm_tools, "tag", "v1.10.0")
    smith = {"crates/wasm-smith/src/config.rs": SMITH_2024 % ("true", "u.arbitrary()?")}
    commit_files(wasm_tools, smith, "2024-09-01T00:00:00+00:00")
    git(wasm_tools, "tag", "v1.11.0")
    wasmtime = tmp_path / "wasmtime"
    config = "crates/wasmtime/src/config.rs"
    fuzz_config = "crates/fuzzing/src/generators/config.rs"
    steps = {
        "off": WASMTIME_2024,
        "compared": {config: OLD_CONFIG % (DEFAULTS % "Strategy::Cranelift")},
        "resolved": {
            config: OLD_CONFIG % (DEFAULTS % "Some(Strategy::Cranelift)"),
            fuzz_config: WASMTIME_2024[fuzz_config].replace(
                "        config.module_config.config.tail_call_enabled = false;\n", ""
            ),
        },
        "listed": {
            config: (
                "impl Config {\n    pub fn wasm_tail_call(&mut self, enable: bool) {}\n"
                "    fn features(&self) -> WasmFeatures {\n"
                "        let mut features = WasmFeatures::empty();\n"
                "        features |= WasmFeatures::TAIL_CALL;\n        features\n    }\n}\n"
            )
        },
        "smith": {"Cargo.toml": 'wasmparser = { version = "0.11.0", default-features = false }\n'},
    }
    revs = {}
    for month, (name, files) in enumerate(steps.items(), 5):
        revs[name] = commit_files(wasmtime, files, f"2024-{month:02}-01T00:00:00+00:00")
    return History(wasmtime, revs, wasm_tools)


def _facts_at(tmp_path: Path, history: History, rev: str, **options: Any) -> Any:
    report = _run(
        tmp_path,
        wasmtime=str(history.wasmtime),
        rev=history.revs[rev],
        subjects=("tail-call",),
        **{"wasm_tools": str(history.wasm_tools), **options},
    )
    (result,) = report.subjects
    collected = {fact.fact: fact for fact in result.collected}
    return collected, {fact.fact: fact.reason for fact in result.unknown}


@pytest.mark.usefixtures("edits")
def test_enabled_by_default_under_each_mechanism(tmp_path: Path, history: History) -> None:
    facts, unknown = _facts_at(tmp_path, history, "off")
    # Config::new turning it off, as a statement of its body (gc's is under a condition)
    assert facts["wasmtime.enabled_by_default"].value is False
    assert "Config::new turns it off" in facts["wasmtime.enabled_by_default"].note
    # a run-time comparison with a named strategy: not judged, and the reason says so
    facts, unknown = _facts_at(tmp_path, history, "compared")
    assert "wasmtime.enabled_by_default" not in facts
    reason = unknown["wasmtime.enabled_by_default"]
    assert "cannot be read from the text" in reason
    assert "strategy == Strategy::Cranelift" in reason
    assert "config.rs:14" in reason
    # the comparison with the resolved strategy, and later the list in Config::features
    for rev, line in (("resolved", 14), ("listed", 5)):
        facts, unknown = _facts_at(tmp_path, history, rev)
        assert facts["wasmtime.enabled_by_default"].value is True
        assert facts["wasmtime.enabled_by_default"].line == line


@pytest.mark.usefixtures("edits")
def test_fuzzing_generated_follows_wasmtime_then_the_pinned_wasm_smith(
    tmp_path: Path, history: History
) -> None:
    facts, _ = _facts_at(tmp_path, history, "off")  # Wasmtime's own fuzz config forces it off
    generated = facts["fuzzing.generated"]
    assert (generated.value, generated.repository) == (False, "bytecodealliance/wasmtime")
    assert "forces it off for every compiler" in generated.note
    facts, _ = _facts_at(tmp_path, history, "listed")  # left to wasm-smith 1.10, which forces it
    generated = facts["fuzzing.generated"]
    assert (generated.value, generated.repository) == (False, "bytecodealliance/wasm-tools")
    assert (generated.file, generated.line) == ("crates/wasm-smith/src/config.rs", 9)
    assert "which forces it off" in generated.note
    facts, _ = _facts_at(tmp_path, history, "smith")  # Wasmtime pins 1.11: drawn from the input
    assert facts["fuzzing.generated"].value is True
    assert "draws it from the fuzz input" in facts["fuzzing.generated"].note
    # wasm-smith's say cannot be read without it: not determined rather than a guess
    facts, unknown = _facts_at(tmp_path, history, "smith", wasm_tools=None)
    assert "fuzzing.generated" not in facts
    assert unknown["fuzzing.generated"] == "no --wasm-tools repository given"


@pytest.mark.usefixtures("edits")
def test_older_layouts_of_the_listing_parser_runner_and_generator(
    tmp_path: Path, history: History
) -> None:
    facts, unknown = _facts_at(tmp_path, history, "off")
    values = {fact: item.value for fact, item in facts.items()}
    assert values["wasmtime.tier"] == 1  # listed in stability-tiers.md, before its own page
    assert values["docs"] is True
    assert facts["docs"].file == "docs/stability-tiers.md"
    assert values["wasm_tools.wasmparser"] is True  # features in validator.rs, before features.rs
    assert facts["wasm_tools.wasmparser"].file == "crates/wasmparser/src/validator.rs"
    assert values["wasm_tools.wasm_smith"] is True  # an option, before features.set(...)
    assert "default false" in facts["wasm_tools.wasm_smith"].note
    assert values["spec_tests.enabled"] is True
    assert facts["spec_tests.enabled"].file == "tests/all/wast.rs"
    # the expected-proposals test did not exist yet
    assert "no `fn module_generation_uses_expected_proposals`" in unknown["fuzzing.expected"]


def test_a_rule_that_cannot_judge_must_say_why() -> None:
    from ruamel.yaml import YAML

    from gatecheck.collectors.table import load_table, parse_table

    assert load_table().facts  # the bundled table is well formed
    text = resources_text().replace('note: "conditionally_enable_defaults decides it', 'hint: "')
    with pytest.raises(ValueError, match="must say why"):
        parse_table(YAML(typ="safe").load(text))


def test_a_rule_value_of_no_known_kind_is_a_broken_table() -> None:
    """A value that is none of the kinds is refused when the table loads, not taken as literal."""
    from ruamel.yaml import YAML

    from gatecheck.collectors.table import parse_table

    data = YAML(typ="safe").load(resources_text())
    fact = next(iter(data["facts"]))
    data["facts"][fact]["rules"] = [{"pattern": "x", "value": 3}]
    with pytest.raises(ValueError, match=rf"fact {fact}: a rule's value 3 is none of"):
        parse_table(data)
