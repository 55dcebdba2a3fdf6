"""The facts version 2 reads, collected from small Wasmtime-shaped repositories of our own.

Each fixture is invented text in the layout of one era of Wasmtime (the runner in
crates/test-util/src/wast.rs today, crates/wast-util/src/lib.rs in early 2025, build.rs in early
2024), only as much of it as the table's rules read. Every test asserts the values collected.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.git import commit_files

from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matching import Found, glob_regex
from gatecheck.collectors.run import CollectOptions, collect_wasmtime
from gatecheck.collectors.snapshot import Snapshot
from gatecheck.collectors.spec_files import proposal_among
from gatecheck.collectors.spellings import spellings_for
from gatecheck.collectors.table import load_table, parse_table
from gatecheck.git.revisions import RevisionReader
from gatecheck.project.layout import open_project

if TYPE_CHECKING:
    from pathlib import Path

TODAY = dt.date(2026, 9, 1)
NATIVE_TARGETS = [
    "x86_64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "x86_64-pc-windows-gnu",
    "aarch64-unknown-linux-gnu",
    "s390x-unknown-linux-gnu",
    "riscv64gc-unknown-linux-gnu",
]

DOCS = (
    "# Proposals\n\n## Tier 1 WebAssembly Proposals\n\n| Proposal | Phase 4 |\n|---|---|\n"
    "| [`tail-call`] | ✅ |\n| [`extended-const`] | ✅ |\n| [`exception-handling`] | ✅ |\n\n"
    "## Tier 2 WebAssembly Proposals\n\n| Proposal | Phase 4 |\n|---|---|\n| [`threads`] | ✅ |\n\n"
    "## Tier 3 WebAssembly Proposals\n\n| Proposal | Phase 4 |\n|---|---|\n"
    "| [`stack-switching`] | ❌ |\n| [`gc`] | ✅ |\n| [`wide-arithmetic`] | ✅ |\n"
)

# -- today's layout: crates/test-util/src/wast.rs and Config::compiler_panicking_wasm_features --

CONFIG = """\
impl Config {
    pub fn wasm_tail_call(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::TAIL_CALL, enable);
    }
    pub fn wasm_extended_const(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::EXTENDED_CONST, enable);
    }
    pub fn wasm_threads(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::THREADS, enable);
    }
    pub fn wasm_stack_switching(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::STACK_SWITCHING, enable);
    }
    /// Warning: the GC implementation is a work-in-progress.
    #[cfg(feature = "gc")]
    pub fn wasm_gc(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::GC, enable);
    }
    #[doc(hidden)] // until it is implemented
    pub fn wasm_exceptions(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::EXCEPTIONS, enable);
    }

    fn compiler_panicking_wasm_features(&self) -> WasmFeatures {
        let mut unsupported = WasmFeatures::empty();
        match self.strategy {
            None | Some(Strategy::Cranelift) => {
                if self.compiler_target().is_pulley() {
                    unsupported |= WasmFeatures::THREADS;
                }
                match self.compiler_target() {
                    Triple { architecture: X86_64, operating_system: Linux, .. } => {}
                    _ => {
                        unsupported |= WasmFeatures::STACK_SWITCHING;
                    }
                }
            }
            Some(Strategy::Winch) => {
                unsupported |= WasmFeatures::GC | WasmFeatures::TAIL_CALL;
                match self.compiler_target().architecture {
                    Architecture::Aarch64(_) => {
                        unsupported |= WasmFeatures::THREADS;
                    }
                    _ => {}
                }
            }
        }
        unsupported
    }
}
"""

RUNNER = """\
pub fn find_tests(root: &Path) -> Result<Vec<WastTest>> {
    add_tests(&mut tests, &root.join("tests/spec_testsuite"), &FindConfig::Infer(spec_config))?;
    add_tests(&mut tests, &root.join("tests/misc_testsuite"), &FindConfig::InTest)?;
}

fn add_tests(tests: &mut Vec<WastTest>, path: &Path, config: &FindConfig) -> Result<()> {
    if path.ends_with("spec_testsuite/custom/branch_hint.wast") {
        return Ok(());
    }
    let config = parse_test_config(&contents, ";;!")?;
}

fn spec_test_config(test: &Path) -> TestConfig {
    match spec_proposal_from_path(test) {
        Some("threads") => {
            ret.threads = Some(true);
        }
        Some(proposal) => panic!("unsupported proposal {proposal:?}"),
        None => {
            if name.contains("return_") { ret.tail_call = Some(true); }
            if name.contains("global") { ret.extended_const = Some(true); }
            if name.contains("throw") { ret.exceptions = Some(true); }
            if name.contains("struct") { ret.gc = Some(true); }
            if name.contains("switch") { ret.stack_switching = Some(true); }
        }
    }
}

struct TestConfig {
    tail_call
    threads
    gc
    exceptions
    extended_const
    stack_switching
    wide_arithmetic
}

impl Compiler {
    pub fn should_fail(&self, config: &TestConfig) -> bool {
        match self {
            Compiler::CraneliftNative => {
                if config.stack_switching() && !(cfg!(target_arch = "x86_64") && cfg!(unix)) {
                    return true;
                }
                false
            }
            Compiler::Winch => {
                if config.gc() || config.tail_call() {
                    return true;
                }
                if cfg!(target_arch = "aarch64") {
                    return config.threads();
                }
                !cfg!(target_arch = "x86_64")
            }
            Compiler::CraneliftPulley => config.threads(),
        }
    }

    pub fn supports_host(&self) -> bool {
        match self {
            Compiler::CraneliftNative => true,
            Compiler::Winch => cfg!(target_arch = "x86_64") || cfg!(target_arch = "aarch64"),
            Compiler::CraneliftPulley => true,
        }
    }
}

impl WastTest {
    pub fn should_fail(&self, config: &WastConfig) -> bool {
        if config.compiler == Compiler::Winch {
            // Common list for tests that fail in all targets supported by Winch.
            let unsupported = [
                "misc_testsuite/no-panic.wast",
                "spec_testsuite/throw.wast",
            ];
            if unsupported.iter().any(|part| self.path.ends_with(part)) {
                return true;
            }
        }
        false
    }
}
"""

FUZZ_CONFIG = """\
impl Config {
    pub fn to_wasmtime(&self) -> wasmtime::Config {
        cfg.wasm.tail_call = Some(self.module_config.config.tail_call_enabled);
        cfg.wasm.threads = Some(self.module_config.config.threads_enabled);
        cfg.wasm.stack_switching = Some(self.module_config.stack_switching);
        cfg.wasm.extended_const = Some(self.module_config.config.extended_const_enabled);
    }
}
"""

MODULE = """\
impl<'a> Arbitrary<'a> for ModuleConfig {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<ModuleConfig> {
        let mut config = wasm_smith::Config::arbitrary(u)?;
        let _ = config.tail_call_enabled;
        let _ = config.extended_const_enabled;
        config.threads_enabled = false;
        Ok(ModuleConfig {
            stack_switching: false,
            config,
        })
    }
}
"""

WINCH_ISA = """\
pub fn lookup(triple: Triple) -> Result<Builder> {
    match triple.architecture {
        Architecture::X86_64 => x64::isa_builder(triple),
        Architecture::Aarch64 { .. } => aarch64::isa_builder(triple),
        _ => Err(LookupError::Unsupported),
    }
}
"""

WASMTIME = {
    "Cargo.toml": 'wasmparser = { version = "0.5.0", default-features = false }\n',
    "crates/wasmtime/src/config.rs": CONFIG,
    "crates/test-util/src/wast.rs": RUNNER,
    "crates/fuzzing/src/generators/config.rs": FUZZ_CONFIG,
    "crates/fuzzing/src/generators/module.rs": MODULE,
    "winch/codegen/src/isa/mod.rs": WINCH_ISA,
    "docs/stability-wasm-proposals.md": DOCS,
    "tests/misc_testsuite/tail-call/loop.wast": "(module)\n",
    "tests/misc_testsuite/threads-wait.wast": ";;! threads = true\n\n(module)\n",
    "tests/misc_testsuite/plain.wast": ";;! gc = true\n(module)\n",
}

WASM_TOOLS = {
    "crates/wasmparser/src/features.rs": (
        "define! {\n    pub tail_call: TAIL_CALL(1 << 1) = true;\n"
        "    pub extended_const: EXTENDED_CONST(1 << 2) = true;\n"
        "    pub threads: THREADS(1 << 3) = true;\n"
        "    pub wide_arithmetic: WIDE_ARITHMETIC(1 << 4) = false;\n}\n"
    ),
    "crates/wasm-smith/src/config.rs": (
        "define_config! {\n    pub tail_call_enabled: bool = true,\n"
        "    pub extended_const_enabled: bool = true,\n    pub threads_enabled: bool = false,\n}\n"
        "impl<'a> Arbitrary<'a> for Config {\n    fn arbitrary(u) -> Self {\n"
        "        Ok(Config {\n            tail_call_enabled: u.arbitrary()?,\n"
        "            extended_const_enabled: u.arbitrary()?,\n        })\n    }\n}\n"
    ),
}


def _repositories(tmp_path: Path, wasmtime: dict[str, str]) -> tuple[Path, Path]:
    repo = tmp_path / "wasmtime"
    commit_files(repo, wasmtime, "2026-01-01T00:00:00+00:00")
    tools = tmp_path / "wasm-tools"
    commit_files(tools, WASM_TOOLS, "2025-12-01T00:00:00+00:00")
    return repo, tools


def _collect(tmp_path: Path, wasmtime: dict[str, str]) -> dict[str, Any]:
    """Every listed proposal's facts, {proposal: {fact: Collected | Unknown}}; nothing written."""
    import contextlib

    from gatecheck.collectors.listing import list_proposals
    from gatecheck.collectors.locating import collect
    from gatecheck.collectors.repositories import open_companion, open_wasmtime

    repo, tools = _repositories(tmp_path, wasmtime)
    table = load_table()
    with contextlib.ExitStack() as stack:
        read = open_wasmtime(stack, table, str(repo), "main")
        snapshots: dict[str, Snapshot | None] = {
            "wasmtime": read,
            "wasm-tools": open_companion(
                stack, table, "wasm-tools", str(tools), wasmtime=read
            ).snapshot,
        }
        listed, _ = list_proposals(table, read)
        return {
            item.name: {fact.fact: fact for fact in collect(table, item.name, snapshots, {})}
            for item in listed
            if not item.skipped
        }


def _values(facts: dict[str, Collected | Unknown], *names: str) -> list[object]:
    return [fact.value if isinstance(fact := facts[name], Collected) else None for name in names]


@pytest.fixture(scope="module")
def today(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _collect(tmp_path_factory.mktemp("today"), WASMTIME)


ARCHES = ("x86_64", "aarch64", "s390x", "riscv64", "pulley")


def _support(facts: dict[str, Any], compiler: str) -> list[object]:
    return _values(facts, *(f"compiler_support.{arch}.{compiler}" for arch in ARCHES))


def test_compiler_support_from_the_refusals_in_config_and_runner(today: dict[str, Any]) -> None:
    tail, threads, switching = today["tail-call"], today["threads"], today["stack-switching"]
    # Cranelift refuses nothing of tail calls; Winch's Config arm refuses it everywhere, and Winch
    # has no s390x, riscv64 or Pulley backend
    assert _support(tail, "cranelift") == [True, True, True, True, True]
    assert _support(tail, "winch") == [False, False, False, False, False]
    assert "Config refuses it with Winch" in tail["compiler_support.x86_64.winch"].note
    assert "Winch's ISA lookup has no s390x backend" in tail["compiler_support.s390x.winch"].note
    # threads: Pulley refuses it, and Winch on aarch64 (in Config and in the runner)
    assert _support(threads, "cranelift") == [True, True, True, True, False]
    assert _support(threads, "winch")[:2] == [True, False]
    # stack switching: Cranelift only on x86_64 Unix, so not on every x86_64 system either
    assert _support(switching, "cranelift")[:4] == [False, False, False, False]
    note = switching["compiler_support.x86_64.cranelift"].note
    assert "the runner expects its tests to fail on x86_64 Windows" in note


def test_a_listed_spec_test_of_the_proposal_refuses_it(today: dict[str, Any]) -> None:
    # "spec_testsuite/throw.wast" is one of exception-handling's spec tests (spec_test_map.yaml)
    winch = today["exception-handling"]["compiler_support.x86_64.winch"]
    assert (winch.value, winch.line) == (False, 76)
    assert "its spec test spec_testsuite/throw.wast to fail with Winch" in winch.note
    # extended-const has none on the list, and nothing else refuses it
    assert _support(today["extended-const"], "winch")[:2] == [True, True]


def test_cranelift_targets(today: dict[str, Any]) -> None:
    assert today["tail-call"]["spec_tests.cranelift_targets"].value == NATIVE_TARGETS
    assert today["stack-switching"]["spec_tests.cranelift_targets"].value == [
        "x86_64-unknown-linux-gnu",
        "x86_64-apple-darwin",
    ]


def test_support_needs_spec_tests_that_run(today: dict[str, Any]) -> None:
    # wide-arithmetic: nothing refuses it, but the runner never turns it on for a spec test
    wide = today["wide-arithmetic"]
    assert wide["spec_tests.enabled"].value is False
    for fact in ("compiler_support.x86_64.cranelift", "spec_tests.cranelift_targets"):
        assert isinstance(wide[fact], Unknown)
        assert "spec_tests.enabled is false: that says nothing about" in wide[fact].reason
    # ... a refusal still stands on its own: Winch has no s390x backend
    assert wide["compiler_support.s390x.winch"].value is False


def test_implemented_behind_the_config_method(today: dict[str, Any]) -> None:
    assert _values(today["tail-call"], "wasmtime.implemented", "wasmtime.uses_wasm_tools") == [
        True,
        True,
    ]
    gc = today["gc"]["wasmtime.implemented"]
    assert gc.value is False
    assert "documentation of Config::wasm_gc says its implementation is unfinished" in gc.note
    hidden = today["exception-handling"]["wasmtime.implemented"]
    assert hidden.value is False
    assert "hidden from the documentation" in hidden.note
    # no Config method at all: not implemented behind one
    assert today["wide-arithmetic"]["wasmtime.implemented"].value is False
    # the pinned wasmparser has the flag although Wasmtime's code does not name it yet
    wide = today["wide-arithmetic"]["wasmtime.uses_wasm_tools"]
    assert (wide.value, wide.repository) == (True, "bytecodealliance/wasm-tools")
    assert "Wasmtime's code does not name it yet" in wide.note


def test_misc_tests(today: dict[str, Any]) -> None:
    tail, threads, extended = today["tail-call"], today["threads"], today["extended-const"]
    assert (tail["misc_tests"].value, tail["misc_tests"].file) == (
        True,
        "tests/misc_testsuite/tail-call/loop.wast",
    )
    assert (threads["misc_tests"].value, threads["misc_tests"].file) == (
        True,
        "tests/misc_testsuite/threads-wait.wast",
    )
    # every misc test names the options it needs, and none turns extended_const on
    assert extended["misc_tests"].value is False


def test_fuzz_targets_and_what_the_generator_turns_off(today: dict[str, Any]) -> None:
    facts = ("fuzzing.targets", "fuzzing.generated")
    assert _values(today["tail-call"], *facts) == [True, True]
    assert _values(today["threads"], *facts) == [True, False]  # passed through, forced off
    switching = today["stack-switching"]["fuzzing.generated"]
    assert switching.value is False
    assert "Wasmtime's own switch for it, which ModuleConfig::arbitrary keeps off" in switching.note
    assert _values(today["gc"], "fuzzing.targets") == [False]  # to_wasmtime never passes it
    # gc: wasm-smith has no gc_enabled option at all in this wasm-tools
    generated = today["gc"]["fuzzing.generated"]
    assert (generated.value, generated.line) == (False, None)
    assert "wasm-smith has no option gc_enabled" in generated.note


def test_spec_test_skipped_by_the_runner(tmp_path: Path) -> None:
    docs = DOCS + "| [`branch-hinting`] | ✅ |\n"
    facts = _collect(tmp_path, {**WASMTIME, "docs/stability-wasm-proposals.md": docs})
    enabled = facts["branch-hinting"]["spec_tests.enabled"]
    assert (enabled.value, enabled.line) == (False, 7)
    assert "the runner skips its spec test" in enabled.note


def test_the_new_facts_are_written_and_valid(tmp_path: Path) -> None:
    """Through editing.evidence_files, so the facts schema accepts every new fact's shape."""
    repo, tools = _repositories(tmp_path, WASMTIME)
    (tmp_path / "project" / "evidence").mkdir(parents=True)
    project = open_project(str(tmp_path / "project"), None, None)
    options = CollectOptions(
        wasmtime=str(repo), rev="main", wasm_tools=str(tools), subjects=("stack-switching",)
    )
    collect_wasmtime(project, options, TODAY)
    text = (tmp_path / "project" / "evidence" / "stack-switching.yaml").read_text()
    assert "cranelift_targets: [x86_64-unknown-linux-gnu, x86_64-apple-darwin]" in text
    assert "  compiler_support:\n    x86_64:\n      cranelift: false\n" in text


# -- older runner layouts ------------------------------------------------------------------------

WAST_UTIL = """\
fn spec_test_config(test: &Path) -> TestConfig {
    match spec_proposal_from_path(test) {
        Some("tail-call") => {
            ret.tail_call = Some(true);
        }
        Some(proposal) => panic!("unsuported proposal {proposal:?}"),
        None => {}
    }
}
impl WastTest {
    pub fn should_fail(&self, config: &WastConfig) -> bool {
        if config.compiler == Compiler::Winch && !cfg!(target_arch = "x86_64") {
            return true;
        }
        for part in self.path.iter() {
            // Not implemented in Wasmtime yet
            if part == "exception-handling" {
                return !self.path.ends_with("binary.wast");
            }
        }
        false
    }
}
"""

BUILD_RS = """\
fn main() {
    for strategy in &["Cranelift", "Winch"] {
        if *strategy == "Winch" {
            // We only test Winch on x86_64, for now.
        }
        test_directory(out, "tests/misc_testsuite", strategy)?;
        test_directory_module(out, "tests/spec_testsuite/proposals/tail-call", strategy)?;
    }
}

fn ignore(testsuite: &str, testname: &str, strategy: &str) -> bool {
    if strategy == "Winch" {
        if testsuite != "winch" {
            return true;
        }
    }
    match env::var("CARGO_CFG_TARGET_ARCH").unwrap().as_str() {
        "s390x" => {
            testsuite == "function_references" || testsuite == "tail_call"
        }
        _ => false,
    }
}
"""


def test_wast_util_era(tmp_path: Path) -> None:
    """Early 2025: the runner lived in crates/wast-util/src/lib.rs."""
    era = {path: text for path, text in WASMTIME.items() if "test-util" not in path}
    era["crates/wast-util/src/lib.rs"] = WAST_UTIL
    facts = _collect(tmp_path, era)
    tail = facts["tail-call"]
    assert (tail["spec_tests.enabled"].value, tail["spec_tests.enabled"].file) == (
        True,
        "crates/wast-util/src/lib.rs",
    )
    assert tail["spec_tests.cranelift_targets"].value == NATIVE_TARGETS
    assert tail["compiler_support.aarch64.winch"].value is False  # Winch runs on x86_64 only
    # exception handling: its tests run, every compiler expected to fail them
    eh = facts["exception-handling"]
    assert eh["spec_tests.enabled"].value is True
    assert eh["spec_tests.cranelift_targets"].value == []
    assert eh["compiler_support.x86_64.cranelift"].value is False
    assert eh["wasmtime.implemented"].value is False


def test_build_rs_era(tmp_path: Path) -> None:
    """Early 2024: build.rs generated the tests of the proposal directories it listed."""
    era = {path: text for path, text in WASMTIME.items() if "test-util" not in path}
    era["build.rs"] = BUILD_RS
    facts = _collect(tmp_path, era)
    tail = facts["tail-call"]
    assert tail["spec_tests.enabled"].value is True
    assert tail["spec_tests.enabled"].file == "build.rs"
    assert tail["spec_tests.cranelift_targets"].value == [
        target for target in NATIVE_TARGETS if not target.startswith("s390x")
    ]
    assert tail["compiler_support.s390x.cranelift"].value is False
    assert _support(tail, "winch")[:2] == [False, False]
    # misc tests took their proposals from their directory then: only a directory tells
    assert tail["misc_tests"].value is True
    assert isinstance(facts["extended-const"]["misc_tests"], Unknown)
    assert "before 60fc557c" in facts["extended-const"]["misc_tests"].reason


# -- the table's new matching power, on its own --------------------------------------------------


def test_glob_patterns() -> None:
    pattern = glob_regex("tests/misc_testsuite/**/*.wast")
    assert pattern.fullmatch("tests/misc_testsuite/a.wast")
    assert pattern.fullmatch("tests/misc_testsuite/gc/deep/b.wast")
    assert not pattern.fullmatch("tests/misc_testsuite/a.wat")
    assert not glob_regex("tests/*.wast").fullmatch("tests/x/a.wast")


def test_snapshot_lists_files_from_git_and_from_a_work_tree(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    commit_id = commit_files(
        repo, {"t/a.wast": "", "t/sub/b.wast": "", "t/c.txt": ""}, "2025-01-01T00:00:00+00:00"
    )
    with RevisionReader(str(repo), "r") as reader:
        from_git = Snapshot("r", commit=commit_id, date="", how="", reader=reader)
        assert from_git.paths("t/**/*.wast") == ["t/a.wast", "t/sub/b.wast"]
        assert from_git.paths("t/*.wast") == ["t/a.wast"]
        assert from_git.paths("none/*.wast") == []
    tree = Snapshot("r", commit=commit_id, date="", how="", work_tree=str(repo))
    assert tree.paths("t/**/*.wast") == ["t/a.wast", "t/sub/b.wast"]
    assert tree.paths("t/c.txt") == ["t/c.txt"]  # no pattern: the path itself


def _listed(*paths: str) -> list[Found]:
    return [Found(line, f'"{path}",', (path,)) for line, path in enumerate(paths, 10)]


def test_spec_test_attribution() -> None:
    listed = _listed("misc_testsuite/throw.wast", "spec_testsuite/throw.wast")
    assert proposal_among(listed, "exception-handling", "") == listed[1]  # misc tests: not spec
    assert proposal_among(_listed("extended-const/elem.wast"), "extended-const", "") is not None
    assert proposal_among(_listed("spec_testsuite/i32.wast"), "tail-call", "") is None
    # a runner that runs only the proposal directories it configures: a stale entry matches none
    runner = 'Some("threads") => {}\nSome(proposal) => panic!("unsupported proposal")\n'
    assert proposal_among(_listed("extended-const/elem.wast"), "extended-const", runner) is None
    assert proposal_among(_listed("threads/atomic.wast"), "threads", runner) is not None
    # a proposal the mapping does not know: what the list holds may be its
    reason = proposal_among(_listed("spec_testsuite/simd_lane.wast"), "simd", "")
    assert isinstance(reason, str)
    assert "spec_test_map.yaml does not say which of them test simd" in reason
    # a bare name fails in every directory, the proposal's own too
    bare = proposal_among(_listed("br_table.wast"), "memory64", "")
    assert isinstance(bare, str)
    assert "to fail in every directory" in bare


def test_table_shape() -> None:
    from importlib import resources

    from ruamel.yaml import YAML

    table = load_table()
    # every proposal the table knows has a way to be found in the wast parser, the printer and
    # wasm-encoder: an instruction, a token, or the reason it adds no syntax
    for name in table.proposals:
        spelled = spellings_for(table, name)
        for keys in (
            ("text", "wast_token", "syntax_free"),
            ("text", "printer_token", "syntax_free"),
            ("encoder", "encoder_token", "syntax_free"),
        ):
            assert any(spelled[key] for key in keys), (name, keys)
    text = resources.files("gatecheck.collectors").joinpath("wasmtime.yaml").read_text("utf-8")
    wrong = text.replace("requires: spec_tests.enabled", "requires: spec_tests.nothing", 1)
    with pytest.raises(ValueError, match=r"requires 'spec_tests\.nothing'"):
        parse_table(YAML(typ="safe").load(wrong))
    # shared groups of rules are spliced in where a fact names them
    s390x = next(spec for spec in table.facts if spec.fact == "compiler_support.s390x.cranelift")
    assert all(isinstance(locator.pattern, str) for locator in s390x.locators)
    assert (
        len(s390x.locators)
        > len(
            next(
                spec for spec in table.facts if spec.fact == "compiler_support.x86_64.cranelift"
            ).locators
        )
        - 3
    )


# -- the real repositories, where this machine has them -----------------------------------------

MIRROR = "/work/.mirror"


def _real(rev: str, *subjects: str) -> dict[str, Any]:
    import contextlib

    from gatecheck.collectors.locating import collect
    from gatecheck.collectors.repositories import open_companion, open_wasmtime

    table = load_table()
    with contextlib.ExitStack() as stack:
        read = open_wasmtime(stack, table, f"{MIRROR}/bytecodealliance+wasmtime/repo", rev)
        tools = f"{MIRROR}/bytecodealliance+wasm-tools/repo"
        snapshots: dict[str, Snapshot | None] = {
            "wasmtime": read,
            "wasm-tools": open_companion(stack, table, "wasm-tools", tools, wasmtime=read).snapshot,
        }
        return {
            name: {fact.fact: fact for fact in collect(table, name, snapshots, {})}
            for name in subjects
        }


needs_mirror = pytest.mark.skipif(
    not __import__("os").path.isdir(f"{MIRROR}/bytecodealliance+wasmtime/repo"),
    reason="no mirror of the real repositories here",
)


@needs_mirror
def test_real_wasmtime_today() -> None:
    facts = _real(
        "e6b33de5", "tail-call", "exception-handling", "stack-switching", "wide-arithmetic"
    )
    tail, eh = facts["tail-call"], facts["exception-handling"]
    assert _support(tail, "cranelift") == [True, True, True, True, True]
    assert _support(tail, "winch") == [False, False, False, False, False]
    assert tail["spec_tests.cranelift_targets"].value == NATIVE_TARGETS
    assert _values(tail, "wasmtime.implemented", "misc_tests", "fuzzing.targets") == [True] * 3
    # Winch: Config no longer refuses exceptions, but the runner still expects throw.wast to fail
    assert eh["compiler_support.x86_64.winch"].value is False
    assert "spec_testsuite/throw.wast" in eh["compiler_support.x86_64.winch"].note
    switching = facts["stack-switching"]
    assert _values(switching, "spec_tests.enabled", "fuzzing.generated") == [False, False]
    assert _support(switching, "cranelift") == [False] * 5
    # Winch runs wide arithmetic on aarch64 now (its stability-tiers.md row still says it does not)
    assert _support(facts["wide-arithmetic"], "winch")[:2] == [True, True]


@needs_mirror
@pytest.mark.parametrize(
    ("rev", "runner"),
    [
        ("b546a5f2", "build.rs"),  # 2024-01
        ("7081b8fc", "tests/wast.rs"),  # 2024-08
        ("3a4cf0ac", "crates/wast-util/src/lib.rs"),  # 2025-01
        ("926b3660", "crates/test-util/src/wast.rs"),  # 2025-05
    ],
)
def test_real_spec_tests_in_every_runner_layout(rev: str, runner: str) -> None:
    tail = _real(rev, "tail-call")["tail-call"]
    assert (tail["spec_tests.enabled"].value, tail["spec_tests.enabled"].file) == (True, runner)
    assert isinstance(tail["spec_tests.cranelift_targets"], Collected)
