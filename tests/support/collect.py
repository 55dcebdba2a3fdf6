"""The collectors' fixture repositories (invented content) and what a collector asks to write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from tests.support.git import commit_files, git

if TYPE_CHECKING:
    from pathlib import Path

WASMTIME_V1 = {
    "crates/wasmtime/src/config.rs": (
        "impl Config {\n"
        "    pub fn wasm_tail_call(&mut self, enable: bool) -> &mut Self { self }\n"
        "    pub fn wasm_gc(&mut self, enable: bool) -> &mut Self { self }\n"
        "    fn features(&self) -> WasmFeatures {\n"
        "        let mut features = WasmFeatures::WASM2;\n"
        "        features |= WasmFeatures::TAIL_CALL;\n"
        "        features\n"
        "    }\n"
        "}\n"
    ),
    "Cargo.toml": 'wasmparser = { version = "0.5.0", default-features = false }\n',
    "crates/cli-flags/src/lib.rs": "struct WasmOptions {\n    pub tail_call: Option<bool>,\n}\n",
    "crates/c-api/include/wasmtime/config.h": "WASMTIME_CONFIG_PROP(void, wasm_tail_call, bool)\n",
    "tests/wast.rs": 'if dir == "tail-call" { ret.tail_call = Some(true); }\n',
    "crates/fuzzing/src/generators/module.rs": (
        "let _ = config.tail_call_enabled;\nconfig.gc_enabled = false;\n"
    ),
    "docs/stability-wasm-proposals.md": (
        "# Proposals\n\n## Tier 1 WebAssembly Proposals\n\n| Proposal | Phase 4 |\n|---|---|\n"
        "| [`tail-call`] | ✅ |\n| [`component-model`] | ❌ |\n\n"
        "## Tier 3 WebAssembly Proposals\n\n| Proposal | Phase 4 |\n|---|---|\n| [`gc`] | ✅ |\n"
    ),
}
WASMTIME_V2 = {  # the spec-test runner moved; the fuzz test arrived; gc is generated now
    "tests/wast.rs": None,
    "crates/test-util/src/wast.rs": "ret.tail_call = Some(true);\nret.gc = Some(true);\n",
    "crates/fuzzing/src/generators/module.rs": (
        "let _ = config.tail_call_enabled;\nlet _ = config.gc_enabled;\n"
    ),
    "crates/fuzzing/src/oracles.rs": (
        "fn module_generation_uses_expected_proposals() {\n"
        "    let expected = WasmFeatures::TAIL_CALL;\n"
        "    let unexpected = WasmFeatures::all() ^ expected;\n}\n"
    ),
}
WASM_TOOLS = {
    "crates/wasmparser/src/features.rs": (
        "define! {\n    pub tail_call: TAIL_CALL(1 << 1) = true;\n"
        "    pub gc: GC(1 << 2) = false;\n}\n"
        "pub const WASM1: WasmFeatures = WasmFeatures::FLOATS;\n"
        "pub const WASM2: WasmFeatures = WasmFeatures::WASM1\n    .union(WasmFeatures::SIMD);\n"
    ),
    "crates/wast/src/core/expr.rs": 'ReturnCall(Index<\'a>) : [0x12] : "return_call",\n',
    "crates/wasmprinter/src/operator.rs": '(name ReturnCall) => ("return_call");\n',
    "crates/wasm-encoder/src/core/code.rs": "enum Instruction {\n    ReturnCall(u32),\n}\n",
    "crates/wasm-smith/src/config.rs": (
        "features.set(WasmFeatures::TAIL_CALL, self.tail_call_enabled);\n"
        "impl<'a> Arbitrary<'a> for Config {\n    tail_call_enabled: u.arbitrary()?,\n}\n"
    ),
}
PROPOSALS = {
    "README.md": (
        "# Proposals\n\n### Phase 3 - Implementation\n\n| Proposal | Champion |\n|---|---|\n"
        "| [Tail call][tail_call] | Someone |\n\n[tail_call]: https://github.com/WebAssembly/tail-call\n"
    ),
    "finished-proposals.md": "# Finished\n\n| Proposal |\n|---|\n",
}
PYTHON = {
    "wasmtime/_config.py": "class Config:\n    def wasm_tail_call(self, enable: bool) -> None:\n"
}


class Repos(NamedTuple):
    wasmtime: Path
    old: str
    new: str
    wasm_tools: Path
    proposals: Path
    python: Path


def build_repos(tmp_path: Path) -> Repos:
    """Wasmtime at two revisions, and its companions, as small repositories of our own."""
    wasmtime = tmp_path / "wasmtime"
    old = commit_files(wasmtime, WASMTIME_V1, "2025-01-01T00:00:00+00:00")
    new = commit_files(wasmtime, WASMTIME_V2, "2025-06-01T00:00:00+00:00")
    wasm_tools = tmp_path / "wasm-tools"
    commit_files(wasm_tools, WASM_TOOLS, "2024-12-01T00:00:00+00:00")
    git(wasm_tools, "tag", "v1.5.0")
    commit_files(wasm_tools, {"crates/wast/src/core/expr.rs": ""}, "2025-09-01T00:00:00+00:00")
    proposals = tmp_path / "proposals"
    commit_files(proposals, PROPOSALS, "2025-03-01T00:00:00+00:00")
    python = tmp_path / "py"
    commit_files(python, PYTHON, "2024-06-01T00:00:00+00:00")
    return Repos(wasmtime, old, new, wasm_tools, proposals, python)


class Edit(NamedTuple):
    subject: str
    facts: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    create: dict[str, str] | None
    dry_run: bool


def resources_text() -> str:
    from importlib import resources

    return resources.files("gatecheck.collectors").joinpath("wasmtime.yaml").read_text("utf-8")
