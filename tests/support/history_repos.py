"""Small repositories of our own for `gatecheck history`: a Wasmtime through two eras, companions.

Invented content in the layouts the collector table reads. Wasmtime's first-parent line:

1. 2024-05-01  the seed era: tail-call at tier 2, gc at tier 3, tail-call off by default
2. 2024-05-22  tail-call on by default (`features |=`)
3. 2024-06-10  the README only: considered, not replayed
4. 2024-06-20  a comment in config.rs: replayed, nothing changes
5. 2024-07-05  the README only, but wasmtime-py gained `wasm_gc` on 07-01: replayed for that (its
               summary holds markup and a terminal escape)
6. 2024-09-30  wasmparser 0.6.0 pinned: wasm-smith v1.6.0 draws tail calls from the fuzz input;
               WebAssembly/proposals moved tail-call to the finished proposals on 07-10
7. 2024-10-10  the "by default" section replaced by docs/stability-wasm-proposals.md (policy @2)
8. 2024-10-11  the expected-proposals fuzz test; tail-call listed at tier 1
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from tests.support.git import commit_files, git

if TYPE_CHECKING:
    from pathlib import Path

CONFIG_RS = "crates/wasmtime/src/config.rs"
SEED_PAGE = "docs/contributing-implementing-wasm-proposals.md"


def config_rs(*, tail_call_on: bool, comment: str = "") -> str:
    on = "        features |= WasmFeatures::TAIL_CALL;\n" if tail_call_on else ""
    return (
        f"{comment}impl Config {{\n"
        "    pub fn wasm_tail_call(&mut self, enable: bool) -> &mut Self { self }\n"
        "    pub fn wasm_gc(&mut self, enable: bool) -> &mut Self { self }\n"
        "    fn features(&self) -> WasmFeatures {\n"
        "        let mut features = WasmFeatures::WASM2;\n"
        f"{on}"
        "        features\n"
        "    }\n"
        "}\n"
    )


def tiers_md(tail_call: int) -> str:
    tiers = {1: [], 2: [], 3: ["gc"]}
    tiers[tail_call].insert(0, "tail-call")
    parts = ["# Tiers of support\n"]
    for tier, names in tiers.items():
        parts.append(f"\n#### Tier {tier}\n\n| Category | Description |\n|---|---|\n")
        parts += [f"| WebAssembly Proposal | [`{name}`] |\n" for name in names]
    return "".join(parts)


SEED_WITH_DEFAULTS = (
    "# Implementing WebAssembly Proposals\n\n## Adding New Support for a Wasm Proposal\n\n"
    "## Enabling Support for a Proposal by Default\n\nThe standards.\n"
)
SEED_WITHOUT = "# Implementing WebAssembly Proposals\n\n## Adding New Support for a Wasm Proposal\n"
MATRIX = (
    "# WebAssembly Proposals\n\n## On-by-default proposals\n\n"
    "| Proposal | Phase 4 | Tests | Finished | Fuzzed | API | C API |\n"
    "|---|---|---|---|---|---|---|\n"
    "| [`tail-call`] | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ |\n\n"
    "## Off-by-default proposals\n\n"
    "| Proposal | Phase 4 | Tests | Finished | Fuzzed | API | C API |\n"
    "|---|---|---|---|---|---|---|\n"
    "| [`gc`] | ❌ | ✅ | ❌ | ❌ | ✅ | ✅ |\n"
)
ORACLES = (
    "fn module_generation_uses_expected_proposals() {\n"
    "    let expected = WasmFeatures::TAIL_CALL;\n"
    "    let unexpected = WasmFeatures::all() ^ expected;\n}\n"
)

WASMTIME = [
    (
        "2024-05-01T12:00:00+00:00",
        "Initial layout",
        {
            CONFIG_RS: config_rs(tail_call_on=False),
            "Cargo.toml": 'wasmparser = { version = "0.5.0", default-features = false }\n',
            "crates/cli-flags/src/lib.rs": (
                "struct WasmOptions {\n    pub tail_call: Option<bool>,\n}\n"
            ),
            "crates/c-api/include/wasmtime/config.h": (
                "WASMTIME_CONFIG_PROP(void, wasm_tail_call, bool)\n"
            ),
            "tests/wast.rs": 'if dir == "tail-call" { ret.tail_call = Some(true); }\n',
            "crates/fuzzing/src/generators/module.rs": "let _ = config.tail_call_enabled;\n",
            "docs/stability-tiers.md": tiers_md(tail_call=2),
            SEED_PAGE: SEED_WITH_DEFAULTS,
            "README.md": "Wasmtime\n",
        },
    ),
    (
        "2024-05-22T12:00:00+00:00",
        "Enable tail calls by default",
        {CONFIG_RS: config_rs(tail_call_on=True)},
    ),
    ("2024-06-10T12:00:00+00:00", "Update the README", {"README.md": "Wasmtime, a runtime\n"}),
    (
        "2024-06-20T12:00:00+00:00",
        "Comment the configuration",
        {CONFIG_RS: config_rs(tail_call_on=True, comment="// Configuration.\n")},
    ),
    (
        "2024-07-05T12:00:00+00:00",
        "README <script>alert(1)</script> \x1b[31mred",
        {"README.md": "Wasmtime!\n"},
    ),
    (
        "2024-09-30T12:00:00+00:00",
        "Update wasm-tools to 0.6",
        {"Cargo.toml": 'wasmparser = { version = "0.6.0", default-features = false }\n'},
    ),
    (
        "2024-10-10T12:00:00+00:00",
        "Update docs/stabilization of wasm proposals",
        {SEED_PAGE: SEED_WITHOUT, "docs/stability-wasm-proposals.md": MATRIX},
    ),
    (
        "2024-10-11T12:00:00+00:00",
        "Add a test that fuzzers generate wasm proposals",
        {
            "crates/fuzzing/src/oracles.rs": ORACLES,
            "docs/stability-tiers.md": tiers_md(tail_call=1),
        },
    ),
]


def wasm_smith(tail_call: str) -> str:
    return (
        "features.set(WasmFeatures::TAIL_CALL, self.tail_call_enabled);\n"
        f"impl<'a> Arbitrary<'a> for Config {{\n    tail_call_enabled: {tail_call},\n}}\n"
    )


WASM_TOOLS = {
    "crates/wasmparser/src/features.rs": (
        "define! {\n    pub tail_call: TAIL_CALL(1 << 1) = true;\n"
        "    pub gc: GC(1 << 2) = false;\n}\n"
        "pub const WASM1: WasmFeatures = WasmFeatures::FLOATS;\n"
        "pub const WASM2: WasmFeatures = WasmFeatures::WASM1\n    .union(WasmFeatures::SIMD);\n"
    ),
    "crates/wast/src/core/expr.rs": (
        'ReturnCall(Index<\'a>) : [0x12] : "return_call",\n'
        'StructNew(Index<\'a>) : [0xfb, 0x00] : "struct.new",\n'
    ),
    "crates/wasmprinter/src/operator.rs": '(name ReturnCall) => ("return_call");\n',
    "crates/wasm-encoder/src/core/code.rs": "enum Instruction {\n    ReturnCall(u32),\n}\n",
    "crates/wasm-smith/src/config.rs": wasm_smith("false"),
}


def proposals_readme(*, tail_call_finished: bool) -> str:
    phase4 = "" if tail_call_finished else "| [Tail call][tail_call] | Someone |\n"
    return (
        "# Proposals\n\n### Phase 4 - Standardize the Feature (WG)\n\n| Proposal | Champion |\n"
        f"|---|---|\n{phase4}\n### Phase 3 - Implementation Phase (CG + WG)\n\n"
        "| Proposal | Champion |\n|---|---|\n| [Garbage collection][gc] | Someone |\n\n"
        "[tail_call]: https://github.com/WebAssembly/tail-call\n"
        "[gc]: https://github.com/WebAssembly/gc\n"
    )


FINISHED = (
    "# Finished\n\n| Proposal | Champion |\n|---|---|\n| [Tail call][tail_call] | Someone |\n\n"
    "[tail_call]: https://github.com/WebAssembly/tail-call\n"
)


class HistoryRepos(NamedTuple):
    wasmtime: Path
    commits: list[str]  # Wasmtime's, oldest first
    wasm_tools: Path
    proposals: Path
    python: Path


def build_history_repos(root: Path) -> HistoryRepos:
    wasmtime = root / "wasmtime"
    commits = []
    for date, message, files in WASMTIME:
        commits.append(commit_files(wasmtime, files, date))
        git(wasmtime, "commit", "-q", "--amend", "-m", message, date=date)
        commits[-1] = git(wasmtime, "rev-parse", "HEAD").strip()
    wasm_tools = root / "wasm-tools"
    commit_files(wasm_tools, WASM_TOOLS, "2024-04-01T00:00:00+00:00")
    git(wasm_tools, "tag", "v1.5.0")
    files = {"crates/wasm-smith/src/config.rs": wasm_smith("u.arbitrary()?")}
    commit_files(wasm_tools, files, "2024-09-01T00:00:00+00:00")
    git(wasm_tools, "tag", "v1.6.0")
    proposals = root / "proposals"
    readme = proposals_readme(tail_call_finished=False)
    commit_files(
        proposals,
        {"README.md": readme, "finished-proposals.md": "# Finished\n"},
        "2024-03-01T00:00:00+00:00",
    )
    readme = proposals_readme(tail_call_finished=True)
    files = {"README.md": readme, "finished-proposals.md": FINISHED}
    commit_files(proposals, files, "2024-07-10T00:00:00+00:00")
    python = root / "wasmtime-py"
    config = "class Config:\n    def wasm_tail_call(self, enable: bool) -> None:\n"
    commit_files(python, {"wasmtime/_config.py": config}, "2024-04-01T00:00:00+00:00")
    config += "    def wasm_gc(self, enable: bool) -> None:\n"
    commit_files(python, {"wasmtime/_config.py": config}, "2024-07-01T00:00:00+00:00")
    return HistoryRepos(wasmtime, commits, wasm_tools, proposals, python)
