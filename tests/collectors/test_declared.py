"""Wasmtime's own proposal pages read as `declared` facts, and every disagreement with its code.

Small pages and repositories written here (invented content, in the layouts Wasmtime used: tiers
since 2025-07, on- and off-by-default before); one test reads the real mirror when it is present.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.git import commit_files

from gatecheck.collectors.apis import Asked, Item, answer, exposed, load_api_table
from gatecheck.collectors.declared import declare, declared_facts
from gatecheck.collectors.declared_pages import Pages, page_problems
from gatecheck.collectors.disagreements import disagreements
from gatecheck.collectors.facts import Collected, Unknown
from gatecheck.collectors.matrix_page import read_matrix
from gatecheck.collectors.run import CollectOptions, collect_wasmtime
from gatecheck.collectors.snapshot import Snapshot
from gatecheck.collectors.tiers_page import read_tiers
from gatecheck.project.layout import open_project

if TYPE_CHECKING:
    from tests.support.collect import Edit

REPO = "bytecodealliance/wasmtime"
COMMIT = "c" * 40

MATRIX = textwrap.dedent("""\
    # Wasm Proposals

    ## Tier 1 WebAssembly Proposals

    |  Proposal          | Phase 4 | Tests | Finished | Fuzzed | API | C API |
    |--------------------|---------|-------|----------|--------|-----|-------|
    | [`tail-call`]      | ✅      | ✅    | ✅       | ✅     | ✅  | ✅    |
    | [`extended-const`] | ✅      | ✅    | ✅       | ✅     | ✅  | ✅    |

    ## Tier 2 WebAssembly Proposals

    |  Proposal          | Phase 4 | Tests | Finished | Fuzzed | API | C API  |
    |--------------------|---------|-------|----------|--------|-----|--------|
    | [`threads`]        | ✅      | ✅    | 🚧[^8]   | ❌[^4] | ✅  | ✅     |
    | [`exceptions`]     | ✅      | ✅    | ✅       | ❌     | ✅  | ❌     |
    | [`exceptions`]     | ✅      | ✅    | ✅       | 🚧[^9] | ✅  | 🚧     |

    [^4]: Fuzzing with threads is an open
        implementation question.
    [^8]: There are known issues with shared memories.
    [^9]: Fuzzed by the whole-module fuzzer only.

    ## Tier 3 WebAssembly Proposals

    |  Proposal                 | Phase 4 | Tests | Finished | Fuzzed | API | C API |
    |---------------------------|---------|-------|----------|--------|-----|-------|
    | [`branch-hinting`] [^12]  | ✅      | ✅    | ✅       | ❌     | ✅  | ✅    |
    | [`stack-switching`]       | ❌      | 🚧    | 🚧       | ❌     | ❌  | ❌    |
    | [`odd`]                   | yes     | ✅    | ✅       | ✅     | ✅  | ✅    |

    [^12]: Disabled by default (`Config::wasm_branch_hinting`) pending fuzzing.
    [^13]: A note nobody refers to.

    [`nontrapping-fptoint`]: https://example.org/nontrapping
    [`tail-call`]: https://example.org/tail-call

    ## Feature requirements

    * **Phase 4** - The proposal must be in phase 4.
    * **API** - The functionality is exposed.
    * **Enabled** - Whether or not this feature is on-by-default.
    """)
TIERS = textwrap.dedent("""\
    # Tiers

    #### Tier 1

    | Category             | Description                             |
    |----------------------|-----------------------------------------|
    | Target               | `x86_64-unknown-linux-gnu`              |
    | WebAssembly Proposal | [`tail-call`]                           |
    | WebAssembly Proposal | [`nontrapping-float-to-int-conversion`] |
    | WebAssembly Proposal | [`memory-control`]                      |

    [`nontrapping-float-to-int-conversion`]: https://example.org/nontrapping

    #### Tier 2

    | Category             | Description        | Missing Tier 1 Requirements |
    |----------------------|--------------------|-----------------------------|
    | WebAssembly Proposal | [`extended-const`] | fuzzing                     |
    | WebAssembly Proposal | [`threads`]        | fuzzing, API quality        |
    | WebAssembly Proposal | [`exceptions`]     | fuzzing                     |

    #### Compiler Support

    | Feature       | Cranelift | Winch |
    |---------------|-----------|-------|
    | [`tail-call`] | ✅        | ❌    |
    """)
# The 2024-10 layout: on- and off-by-default, ⚠️ marks, no tiers in the matrix.
MATRIX_2024 = textwrap.dedent("""\
    ## On-by-default proposals

    |  Proposal           | Phase 4 | Tests | Finished | Fuzzed  | API | C API |
    |---------------------|---------|-------|----------|---------|-----|-------|
    | [`component-model`] | ❌[^1]  | ✅    | ✅       | ⚠️[^2]  | ✅  | ❌    |
    | [`memory64`]        | ✅      | ✅    | ✅       | ✅      | ✅  | ✅    |

    [^1]: Not at phase 4 but it is still enabled-by-default in Wasmtime.
    [^2]: Various shapes are fuzzed.

    ## Off-by-default proposals

    |  Proposal  | Phase 4 | Tests | Finished | Fuzzed | API | C API |
    |------------|---------|-------|----------|--------|-----|-------|
    | [`gc`]     | ✅      | ✅    | ❌       | ❌     | ✅  | ❌    |

    ## Unimplemented proposals

    | Proposal       | Tracking Issue |
    |----------------|----------------|
    | [`gc`]         | #5032          |
    """)


def _pages(matrix: str | None = MATRIX, tiers: str | None = TIERS) -> Pages:
    return Pages(
        read_matrix(matrix) if matrix is not None else None,
        read_tiers(tiers) if tiers is not None else None,
        REPO,
        COMMIT,
        f"{REPO}@cccccccc",
    )


def _values(facts: list[Collected | Unknown]) -> dict[str, Any]:
    return {f.fact: f.value for f in facts if isinstance(f, Collected)}


def _unknown(facts: list[Collected | Unknown]) -> dict[str, str]:
    return {f.fact: f.reason for f in facts if isinstance(f, Unknown)}


def _lines(facts: list[Collected | Unknown]) -> dict[str, tuple[str, int | None]]:
    return {f.fact: (f.file, f.line) for f in facts if isinstance(f, Collected)}


# -- reading the pages --------------------------------------------------------------------------


def test_a_row_becomes_its_tier_its_marks_and_its_footnotes_each_with_its_line() -> None:
    found = declared_facts(_pages(), "threads")
    assert _values(found.facts) == {
        "declared.rows": 1,
        "declared.tier": 2,
        "declared.phase4": "✅",
        "declared.tests": "✅",
        "declared.finished": "🚧",
        "declared.fuzzed": "❌",
        "declared.api": "✅",
        "declared.c_api": "✅",
        "declared.footnotes": {
            "finished": "There are known issues with shared memories.",
            "fuzzed": "Fuzzing with threads is an open implementation question.",
        },
        "declared.stability_tiers.rows": 1,
        "declared.stability_tiers.tier": 2,
    }
    lines = _lines(found.facts)
    assert lines["declared.fuzzed"] == ("docs/stability-wasm-proposals.md", 14)
    assert lines["declared.stability_tiers.tier"] == ("docs/stability-tiers.md", 19)
    fuzzed = next(f for f in found.facts if f.fact == "declared.fuzzed")
    assert isinstance(fuzzed, Collected)
    assert fuzzed.note.startswith("Fuzzed ❌[^4]: `| [`threads`] |")
    # the tier layout says nothing of the default; nothing is guessed
    assert "headings nor the footnotes" in _unknown(found.facts)["declared.on_by_default"]
    assert found.warnings == []


def test_a_footnote_on_the_name_says_the_default() -> None:
    found = declared_facts(_pages(), "branch-hinting")
    values = _values(found.facts)
    assert values["declared.on_by_default"] is False
    assert values["declared.footnotes"] == {
        "proposal": "Disabled by default (`Config::wasm_branch_hinting`) pending fuzzing."
    }
    assert _lines(found.facts)["declared.on_by_default"] == ("docs/stability-wasm-proposals.md", 31)


def test_two_rows_are_counted_and_a_column_they_disagree_on_is_not_recorded() -> None:
    found = declared_facts(_pages(), "exceptions")
    values = _values(found.facts)
    assert values["declared.rows"] == 2
    assert values["declared.finished"] == "✅"  # both rows say so
    unknown = _unknown(found.facts)
    assert unknown["declared.fuzzed"] == "its rows disagree on Fuzzed: ❌ at line 15, 🚧 at line 16"
    assert unknown["declared.c_api"] == "its rows disagree on C API: ❌ at line 15, 🚧 at line 16"
    assert found.warnings == [
        (
            "exceptions: 2 rows in docs/stability-wasm-proposals.md (lines 15, 16); they disagree "
            "on Fuzzed (❌ at 15, 🚧[^9] at 16), C API (❌ at 15, 🚧 at 16), so gatecheck records "
            "neither [one-row]"
        )
    ]


def test_a_cell_that_is_no_mark_is_not_recorded_and_is_reported() -> None:
    found = declared_facts(_pages(), "odd")
    reason = _unknown(found.facts)["declared.phase4"]
    assert reason == (
        "`yes` in the Phase 4 column (docs/stability-wasm-proposals.md:29) is not a mark of the "
        "legend (✅ 🚧 ❌, or ⚠️)"
    )
    assert f"odd: {reason} [phase4-column]" in found.warnings


def test_a_tier_in_one_page_and_absent_from_or_another_in_the_other() -> None:
    pages = _pages()
    absent = declared_facts(pages, "stack-switching")
    assert _values(absent.facts)["declared.stability_tiers.rows"] == 0
    assert absent.warnings == [
        (
            "stack-switching: tier 3 in docs/stability-wasm-proposals.md:28, absent from "
            "docs/stability-tiers.md (no row names it) [same-tier]"
        )
    ]
    other = declared_facts(pages, "extended-const")
    assert other.warnings == [
        (
            "extended-const: tier 1 in docs/stability-wasm-proposals.md:8 but tier 2 in "
            "docs/stability-tiers.md:18 [same-tier]"
        )
    ]


def test_a_proposal_spelled_differently_is_found_by_its_link() -> None:
    matrix = MATRIX.replace(
        "| [`extended-const`] |", "| [`nontrapping-fptoint`] |"
    )  # same width does not matter to the parser
    found = declared_facts(_pages(matrix=matrix), "nontrapping-fptoint")
    rows = next(f for f in found.facts if f.fact == "declared.stability_tiers.rows")
    assert isinstance(rows, Collected)
    assert rows.value == 0
    assert rows.note == (
        "no row names it; docs/stability-tiers.md:9 names `nontrapping-float-to-int-conversion`, "
        "linking the same page: the two pages spell the proposal differently"
    )
    assert found.warnings == [
        (
            f"nontrapping-fptoint: tier 1 in docs/stability-wasm-proposals.md:8, absent from "
            f"docs/stability-tiers.md ({rows.note}) [same-tier]"
        )
    ]


def test_the_pages_as_a_whole() -> None:
    assert page_problems(_pages()) == [
        (
            "docs/stability-wasm-proposals.md:41: explains a column `Enabled` that none of its "
            "tables "
            f"has ({REPO}@cccccccc)"
        ),
        (
            f"docs/stability-wasm-proposals.md:32: footnote [^13] is defined but not referred to "
            f"({REPO}@cccccccc)"
        ),
        (
            f"docs/stability-tiers.md:9 lists `nontrapping-float-to-int-conversion` at tier 1; "
            f"docs/stability-wasm-proposals.md has no row for it ({REPO}@cccccccc)"
        ),
        (
            f"docs/stability-tiers.md:10 lists `memory-control` at tier 1; "
            f"docs/stability-wasm-proposals.md has no row for it ({REPO}@cccccccc)"
        ),
    ]


def test_the_2024_layout_on_and_off_by_default_without_tiers() -> None:
    pages = _pages(matrix=MATRIX_2024, tiers=None)
    memory64 = declared_facts(pages, "memory64")
    assert _values(memory64.facts)["declared.on_by_default"] is True
    assert "does not group proposals by tier" in _unknown(memory64.facts)["declared.tier"]
    component = _values(declared_facts(pages, "component-model").facts)
    assert component["declared.fuzzed"] == "⚠️"
    assert component["declared.on_by_default"] is True  # the heading and [^1] agree
    gc = declared_facts(pages, "gc")
    # a row in the matrix and one in the list of unimplemented proposals: two rows
    assert _values(gc.facts)["declared.rows"] == 2
    assert _values(gc.facts)["declared.on_by_default"] is False
    assert gc.warnings == [
        "gc: 2 rows in docs/stability-wasm-proposals.md (lines 15, 21) [one-row]"
    ]


def test_a_page_that_does_not_exist_records_nothing() -> None:
    found = declared_facts(_pages(matrix=None), "tail-call")
    assert _values(found.facts) == {
        "declared.stability_tiers.rows": 1,
        "declared.stability_tiers.tier": 1,
    }


# -- disagreements with the code ------------------------------------------------------------------


def _code(fact: str, value: object, file: str, line: int | None, note: str = "") -> Collected:
    return Collected(fact, value, REPO, COMMIT, file, line, note or fact)


CONFIG_H = "crates/c-api/include/wasmtime/config.h"


@pytest.mark.parametrize(
    ("subject", "code", "expected"),
    [
        (
            "extended-const",
            [_code("apis.c", False, CONFIG_H, None, "the C API has no switch for it")],
            (
                "extended-const: C API ✅ in docs/stability-wasm-proposals.md:8, but the C API has "
                "no "
                f"switch for it ({CONFIG_H}) [c-api-column]"
            ),
        ),
        (
            "stack-switching",
            [_code("wasmtime.c_config_setter", True, CONFIG_H, 343, "C setter x_set: `...`")],
            (
                "stack-switching: C API ❌ in docs/stability-wasm-proposals.md:28, but the switch "
                f"C setter x_set exists ({CONFIG_H}:343) [c-api-column]"
            ),
        ),
        (
            "stack-switching",
            [_code("wasmtime.config_method", True, "config.rs", 9, "Config::wasm_x: `pub fn`")],
            (
                "stack-switching: API ❌ in docs/stability-wasm-proposals.md:28, but the switch "
                "Config::wasm_x exists (config.rs:9) [api-column]"
            ),
        ),
        (
            "tail-call",
            [_code("fuzzing.expected", False, "oracles.rs", None)],
            (
                "tail-call: Fuzzed ✅ in docs/stability-wasm-proposals.md:7, but "
                "module_generation_uses_expected_proposals does not list it (oracles.rs) "
                "[fuzzed-column]"
            ),
        ),
        (
            "threads",
            [_code("fuzzing.expected", True, "oracles.rs", 1339)],
            (
                "threads: Fuzzed ❌ in docs/stability-wasm-proposals.md:14, but "
                "module_generation_uses_expected_proposals lists it (oracles.rs:1339) "
                "[fuzzed-column]"
            ),
        ),
        (
            "tail-call",
            [Collected("proposal.phase", 3, "WebAssembly/proposals", COMMIT, "README.md", 31, "")],
            (
                "tail-call: tier 1 in docs/stability-wasm-proposals.md:7 needs an upstream phase "
                "of 4 "
                "or more, but the proposal is at phase 3 (WebAssembly/proposals README.md:31) "
                "[tier-phase]"
            ),
        ),
        (
            "tail-call",
            [_code("spec_tests.enabled", False, "wast.rs", None)],
            (
                "tail-call: Tests ✅ in docs/stability-wasm-proposals.md:7, but the spec-test "
                "runner "
                "does not run its tests (wast.rs) [tests-column]"
            ),
        ),
        (
            "branch-hinting",
            [_code("wasmtime.enabled_by_default", True, "config.rs", 2533)],
            (
                "branch-hinting: off by default in docs/stability-wasm-proposals.md:31, but the "
                "code's default is on (config.rs:2533) [on-by-default]"
            ),
        ),
    ],
)
def test_each_disagreement_names_both_places(
    subject: str, code: list[Collected], expected: str
) -> None:
    found = declare(_pages(), subject, code)
    assert expected in found.warnings


def test_the_phase_column_and_a_tier_1_row_with_an_open_box() -> None:
    phase = Collected("proposal.phase", 3, "WebAssembly/proposals", COMMIT, "README.md", 31, "")
    matrix = MATRIX.replace(
        "| [`tail-call`]      | ✅      | ✅    | ✅       | ✅  ",
        "| [`tail-call`]      | ✅      | ✅    | ✅       | 🚧  ",
    )
    found = declare(_pages(matrix=matrix), "tail-call", [phase])
    rules = sorted(warning.rsplit(" [", 1)[1] for warning in found.warnings)
    assert rules == ["phase-4-column]", "tier-1-boxes]", "tier-phase]"]
    assert (
        "tail-call: tier 1 in docs/stability-wasm-proposals.md:7 asks every box of the matrix "
        "(docs/stability-wasm-proposals.md:8-9), but its row has Fuzzed 🚧 [tier-1-boxes]"
    ) in found.warnings


def test_nothing_is_reported_where_the_code_is_not_known() -> None:
    unknown = [Unknown("apis.c", "not collected"), Unknown("proposal.phase", "no snapshot")]
    assert (
        disagreements("extended-const", [*declared_facts(_pages(), "tail-call").facts, *unknown])
        == []
    )


# -- what API and C API mean -------------------------------------------------------------------

HEADERS = {
    "crates/c-api/include/wasmtime/anyref.h": "void wasmtime_anyref_clone(a, b);\n",
    "crates/c-api/include/wasmtime/structref.h": "\n\nwasmtime_structref_new(\n",
    "crates/c-api/include/wasmtime/val.h": "#define WASMTIME_V128 4\n",
}


def _snapshot(tmp_path: Path, files: dict[str, str]) -> Snapshot:
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    return Snapshot(REPO, commit=COMMIT, date="2026-01-01", how="test", work_tree=str(tmp_path))


def test_the_switch_alone_is_not_the_functionality(tmp_path: Path) -> None:
    setter = _code("wasmtime.c_config_setter", True, CONFIG_H, 232, "C setter wasm_gc_set: `x`")
    table = load_api_table()
    (c_api,) = [
        f
        for f in exposed(table, "gc", [setter], _snapshot(tmp_path, HEADERS))
        if f.fact == "apis.c"
    ]
    assert isinstance(c_api, Collected)
    # arrayref.h is not there yet; the older place, val.h, is, without it
    assert (c_api.value, c_api.file, c_api.line) == (
        False,
        "crates/c-api/include/wasmtime/val.h",
        None,
    )
    assert c_api.note == (
        f"the C API has the switch C setter wasm_gc_set ({CONFIG_H}:232) but not "
        "wasmtime_arrayref_new (searched crates/c-api/include/wasmtime/val.h)"
    )


def test_the_switch_and_every_item_is_the_functionality(tmp_path: Path) -> None:
    files = {**HEADERS, "crates/c-api/include/wasmtime/arrayref.h": "wasmtime_arrayref_new(\n"}
    setter = _code("wasmtime.c_config_setter", True, CONFIG_H, 232, "C setter wasm_gc_set: `x`")
    (_, c_api) = exposed(load_api_table(), "gc", [setter], _snapshot(tmp_path, files))
    assert isinstance(c_api, Collected)
    assert (c_api.value, c_api.file, c_api.line) == (
        True,
        "crates/c-api/include/wasmtime/anyref.h",
        1,
    )
    assert c_api.note.endswith(
        "wasmtime_structref_new (crates/c-api/include/wasmtime/structref.h:3), "
        "wasmtime_arrayref_new (crates/c-api/include/wasmtime/arrayref.h:1)"
    )


def test_no_switch_no_functionality_and_an_instructions_only_proposal(tmp_path: Path) -> None:
    snapshot = _snapshot(tmp_path, {})
    asked = Asked("apis.c", "the C API", has_switch=True, items=())
    missing = _code("wasmtime.c_config_setter", False, CONFIG_H, None, "not found: x_set")
    found = answer(asked, missing, snapshot)
    assert isinstance(found, Collected)
    assert (found.value, found.file) == (False, CONFIG_H)
    present = _code("wasmtime.c_config_setter", True, CONFIG_H, 207, "C setter y_set: `z`")
    found = answer(asked, present, snapshot)
    assert isinstance(found, Collected)
    assert (found.value, found.line) == (True, 207)
    assert found.note.endswith("the proposal adds only instructions, nothing more to expose")


def test_what_cannot_be_told_is_not_guessed(tmp_path: Path) -> None:
    snapshot = _snapshot(tmp_path, {})
    item = Item("X", ("a.h", "b.h"), "x")
    asked = Asked("apis.c", "the C API", has_switch=True, items=(item,))
    switch = _code("wasmtime.c_config_setter", True, CONFIG_H, 1, "s: `t`")
    gone = answer(asked, switch, snapshot)
    assert gone == Unknown(
        "apis.c", "X: none of a.h, b.h exists at bytecodealliance/wasmtime@cccccccc"
    )
    assert answer(asked, Unknown("wasmtime.c_config_setter", "why"), snapshot) == Unknown(
        "apis.c", "its switch is not determined: why"
    )
    assert exposed(load_api_table(), "not-a-proposal", [], snapshot) == [
        Unknown(
            "apis.rust",
            "the API table (apis.yaml) does not say what not-a-proposal adds to the wasmtime "
            "crate's API",
        ),
        Unknown(
            "apis.c", "the API table (apis.yaml) does not say what not-a-proposal adds to the C API"
        ),
    ]


def test_an_always_on_proposal_stands_on_its_default(tmp_path: Path) -> None:
    snapshot = _snapshot(
        tmp_path, {"crates/c-api/include/wasmtime/global.h": "\nwasmtime_global_set(\n"}
    )
    on = _code("wasmtime.enabled_by_default", True, "config.rs", 2533, "default")
    found = {f.fact: f for f in exposed(load_api_table(), "mutable-globals", [on], snapshot)}
    c_api = found["apis.c"]
    assert isinstance(c_api, Collected)
    assert (c_api.value, c_api.line) == (True, 2)
    assert "proposal always on, with no switch (config.rs:2533)" in c_api.note
    assert isinstance(found["apis.rust"], Unknown)  # no wasmtime crate in this snapshot


# -- collect: declared facts written beside the code's, every disagreement warned ---------------

WASMTIME = {
    "crates/wasmtime/src/config.rs": (
        "impl Config {\n"
        "    pub fn wasm_tail_call(&mut self, enable: bool) -> &mut Self { self }\n"
        "    pub fn wasm_stack_switching(&mut self, enable: bool) -> &mut Self { self }\n"
        "    pub fn wasm_extended_const(&mut self, enable: bool) -> &mut Self { self }\n"
        "    fn features(&self) -> WasmFeatures {\n"
        "        let mut features = WasmFeatures::WASM2;\n"
        "        features |= WasmFeatures::TAIL_CALL;\n"
        "        features\n"
        "    }\n"
        "}\n"
    ),
    "crates/c-api/include/wasmtime/config.h": (
        "WASMTIME_CONFIG_PROP(void, wasm_tail_call, bool)\n"
        "WASMTIME_CONFIG_PROP(void, wasm_stack_switching, bool)\n"
    ),
    "docs/stability-wasm-proposals.md": textwrap.dedent("""\
        # Proposals

        ## Tier 1 WebAssembly Proposals

        | Proposal           | Phase 4 | Tests | Finished | Fuzzed | API | C API |
        |--------------------|---------|-------|----------|--------|-----|-------|
        | [`tail-call`]      | ✅      | ✅    | ✅       | ✅     | ✅  | ✅    |
        | [`extended-const`] | ✅      | ✅    | ✅       | ✅     | ✅  | ✅    |

        ## Tier 3 WebAssembly Proposals

        | Proposal            | Phase 4 | Tests | Finished | Fuzzed | API | C API |
        |---------------------|---------|-------|----------|--------|-----|-------|
        | [`stack-switching`] | ❌      | 🚧    | 🚧       | ❌     | ❌  | ❌    |
        """),
    "docs/stability-tiers.md": textwrap.dedent("""\
        # Tiers

        #### Tier 1

        | Category             | Description        |
        |----------------------|--------------------|
        | WebAssembly Proposal | [`tail-call`]      |
        | WebAssembly Proposal | [`extended-const`] |
        """),
}
EXPECTED_WARNINGS = [
    (
        "extended-const: C API ✅ in docs/stability-wasm-proposals.md:8, but the C API has no "
        "switch "
        "for it: not found: C setter wasmtime_config_wasm_extended_const_set (searched "
        "crates/c-api/include/wasmtime/config.h) (crates/c-api/include/wasmtime/config.h) "
        "[c-api-column]"
    ),
    (
        "stack-switching: tier 3 in docs/stability-wasm-proposals.md:14, absent from "
        "docs/stability-tiers.md (no row names it) [same-tier]"
    ),
    (
        "stack-switching: API ❌ in docs/stability-wasm-proposals.md:14, but the switch "
        "Config::wasm_stack_switching exists (crates/wasmtime/src/config.rs:3) [api-column]"
    ),
    (
        "stack-switching: C API ❌ in docs/stability-wasm-proposals.md:14, but the switch C setter "
        "wasmtime_config_wasm_stack_switching_set exists "
        "(crates/c-api/include/wasmtime/config.h:2) "
        "[c-api-column]"
    ),
]


def _collect_into(tmp_path: Path) -> Any:
    wasmtime = tmp_path / "wasmtime"
    commit_files(wasmtime, WASMTIME, "2026-08-01T00:00:00+00:00")
    (tmp_path / "project" / "evidence").mkdir(parents=True)
    project = open_project(str(tmp_path / "project"), None, None)
    options = CollectOptions(str(wasmtime), rev="main")
    return collect_wasmtime(project, options, dt.date(2026, 8, 2))


def test_collect_records_the_declared_row_and_warns_of_each_disagreement(
    tmp_path: Path,
    edits: list[Edit],
) -> None:
    report = _collect_into(tmp_path)
    assert report.warnings == EXPECTED_WARNINGS
    tail = next(edit for edit in edits if edit.subject == "tail-call")
    declared = {k: v for k, v in tail.facts.items() if k.startswith("declared.")}
    assert declared == {
        "declared.rows": 1,
        "declared.tier": 1,
        "declared.phase4": "✅",
        "declared.tests": "✅",
        "declared.finished": "✅",
        "declared.fuzzed": "✅",
        "declared.api": "✅",
        "declared.c_api": "✅",
        "declared.footnotes": {},
        "declared.stability_tiers.rows": 1,
        "declared.stability_tiers.tier": 1,
        "declared.on_by_default": None,  # no heading, column or note says: not determined
    }
    source = tail.sources["declared.c_api"]
    assert (source["repository"], source["file"], source["line"]) == (
        "bytecodealliance/wasmtime",
        "docs/stability-wasm-proposals.md",
        7,
    )
    assert source["note"].startswith("C API ✅: `| [`tail-call`] | ✅ |")
    # the knob and the functionality, side by side
    assert (tail.facts["wasmtime.c_config_setter"], tail.facts["apis.c"]) == (True, True)
    extended = next(edit for edit in edits if edit.subject == "extended-const")
    assert (extended.facts["wasmtime.c_config_setter"], extended.facts["apis.c"]) == (False, False)


def test_the_policies_find_what_collect_warns_of(tmp_path: Path, run_cli: Any) -> None:
    """One comparison, two places: collect's warnings are the docs-agree rules that fail."""
    report = _collect_into(tmp_path)
    root = tmp_path / "project"
    warned = sorted(
        (line.split(":")[0], line.rsplit("[", 1)[1].rstrip("]")) for line in report.warnings
    )
    for version in ("wasm-proposal@1", "wasm-proposal@2"):
        result = run_cli(
            "evaluate", "--all", "--gate", "docs-agree", "--policy", version,
            "--format", "json", "--now", "2026-08-02", "--root", str(root),
        )  # fmt: skip
        assert result.exit_code == 1, result.stderr
        failing = sorted(
            (subject["subject"], rule["rule"])
            for subject in json.loads(result.stdout)["subjects"]
            for rule in subject["gates"][0]["rules"]
            if rule["status"] == "fail"
        )
        assert failing == warned, version
    result = run_cli(
        "evaluate", "stack-switching", "--gate", "docs-agree", "--now", "2026-08-02",
        "--root", str(root),
    )  # fmt: skip
    # both places, the table's line and the code's, in the verdict itself
    assert (
        "declared.c_api is '❌', which is not allowed (docs/stability-wasm-proposals.md:14); "
        "wasmtime.c_config_setter is true, which is not allowed "
        "(crates/c-api/include/wasmtime/config.h:2)"
    ) in result.stdout


MIRROR = Path("/work/.mirror")
E6B33DE5 = "e6b33de5139d915a48127fc78b790e2d306cf896"


@pytest.mark.skipif(not (MIRROR / "bytecodealliance+wasmtime").exists(), reason="no mirror here")
def test_what_gatecheck_finds_in_wasmtimes_table_at_e6b33de5(
    tmp_path: Path,
    edits: list[Edit],
) -> None:
    (tmp_path / "project" / "evidence").mkdir(parents=True)
    project = open_project(str(tmp_path / "project"), None, None)
    options = CollectOptions(
        str(MIRROR / "bytecodealliance+wasmtime/repo"),
        rev=E6B33DE5,
        wasm_tools=str(MIRROR / "bytecodealliance+wasm-tools/repo"),
    )
    report = collect_wasmtime(project, options, dt.date(2026, 8, 21))
    assert report.warnings == [
        (
            "docs/stability-wasm-proposals.md:154: explains a column `Enabled` that none of its "
            "tables has (bytecodealliance/wasmtime@e6b33de5)"
        ),
        (
            "nontrapping-fptoint: tier 1 in docs/stability-wasm-proposals.md:24, absent from "
            "docs/stability-tiers.md (no row names it; docs/stability-tiers.md:32 names "
            "`nontrapping-float-to-int-conversion`, linking the same page: the two pages spell the "
            "proposal differently) [same-tier]"
        ),
        (
            "extended-const: C API ✅ in docs/stability-wasm-proposals.md:33, but the C API has no "
            "switch for it: not found: C setter wasmtime_config_wasm_extended_const_set (searched "
            "crates/c-api/include/wasmtime/config.h) (crates/c-api/include/wasmtime/config.h) "
            "[c-api-column]"
        ),
        (
            "branch-hinting: tier 3 in docs/stability-wasm-proposals.md:70, absent from "
            "docs/stability-tiers.md (no row names it) [same-tier]"
        ),
        (
            "branch-hinting: Tests ✅ in docs/stability-wasm-proposals.md:70, but the spec-test "
            "runner does not run its tests (crates/test-util/src/wast.rs:102) [tests-column]"
        ),
        (
            "stack-switching: tier 3 in docs/stability-wasm-proposals.md:71, absent from "
            "docs/stability-tiers.md (no row names it) [same-tier]"
        ),
        (
            "stack-switching: API ❌ in docs/stability-wasm-proposals.md:71, but the switch "
            "Config::wasm_stack_switching exists (crates/wasmtime/src/config.rs:1252) [api-column]"
        ),
        (
            "stack-switching: C API ❌ in docs/stability-wasm-proposals.md:71, but the switch C "
            "setter wasmtime_config_wasm_stack_switching_set exists "
            "(crates/c-api/include/wasmtime/config.h:343) [c-api-column]"
        ),
    ]
    facts = {edit.subject: edit.facts for edit in edits}
    assert facts["threads"]["declared.fuzzed"] == "❌"
    assert facts["branch-hinting"]["declared.on_by_default"] is False
    # functionality, not the knob: gc's C API has its types; stack-switching's has only a setter
    assert facts["gc"]["apis.c"] is True
    assert (facts["stack-switching"]["apis.rust"], facts["stack-switching"]["apis.c"]) == (
        True,
        False,
    )


@pytest.mark.skipif(not (MIRROR / "bytecodealliance+wasmtime").exists(), reason="no mirror here")
def test_the_duplicate_row_wasmtime_had_until_3e101ff4(
    tmp_path: Path,
    edits: list[Edit],
) -> None:
    (tmp_path / "project" / "evidence").mkdir(parents=True)
    project = open_project(str(tmp_path / "project"), None, None)
    options = CollectOptions(
        str(MIRROR / "bytecodealliance+wasmtime/repo"),
        rev="3e101ff44f^",
        subjects=("exception-handling",),
    )
    report = collect_wasmtime(project, options, dt.date(2026, 1, 30))
    assert (
        "exception-handling: 2 rows in docs/stability-wasm-proposals.md (lines 50, 51); they "
        "disagree on Fuzzed (❌ at 50, 🚧[^9] at 51), C API (❌ at 50, 🚧[^10] at 51), so "
        "gatecheck records neither [one-row]"
    ) in report.warnings
    (edit,) = edits
    assert edit.facts["declared.rows"] == 2
    # the rows disagree: not determined (null, the reason in its source), never the first row's
    assert edit.facts["declared.fuzzed"] is None
    assert (
        "its rows disagree on Fuzzed: ❌ at line 50, 🚧 at line 51"
        in (edit.sources["declared.fuzzed"]["note"])
    )
    assert edit.facts["declared.api"] == "✅"  # they agree


# -- policies name the declared facts `status` shows --------------------------------------------


def test_a_declared_column_must_be_a_fact_of_the_schema(tmp_path: Path, run_cli: Any) -> None:
    from tests.support.project import POLICY_HEAD, write_project

    policy = POLICY_HEAD + (
        "declared:\n  - {fact: declared.tier, title: Tier}\n  - {fact: declared.teir, title: T}\n"
        "gates:\n  - {id: g, title: G, source: s, rules: [{id: r, title: R, source: s, "
        "require: {fact: declared.tier, gte: 1}}]}\n"
    )
    tier = {"type": "object", "additionalProperties": False, "properties": {"tier": {}}}
    schema = json.dumps(
        {"type": "object", "additionalProperties": False, "properties": {"declared": tier}}
    )
    root = write_project(tmp_path / "p", policy, {}, schema)
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        (
            "policies/t.yaml:8:12: error: fact 'declared.teir' is not in the policy's facts schema "
            "('declared' has no 'teir') [unknown-fact]"
        ),
        "  hint: did you mean 'tier'?",
    ]
