"""The bundled policies, schemas and evidence: complete, consistent and true to their sources."""

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.support.project import REPO

from gatecheck.commands.evaluate import evaluate_subjects
from gatecheck.commands.plan import plan_subject
from gatecheck.commands.validate import validate_project
from gatecheck.evaluation.rule_results import StepStatus, Verdict
from gatecheck.language.shapes import json_schemas
from gatecheck.loading.facts_schema_checks import check_schema
from gatecheck.loading.parsing import load_bytes
from gatecheck.project.layout import open_project

NOW = dt.date(2026, 11, 25)
EVIDENCE = sorted((REPO / "evidence").glob("*.yaml"))
REAL = [path for path in EVIDENCE if not path.stem.startswith("foo-bar")]  # foo-bar*: examples


def _load(path: Path):
    return load_bytes(path.read_bytes(), str(path.relative_to(REPO))).data


def test_checked_in_schemas_equal_what_the_models_generate(update_goldens: bool) -> None:
    for name, schema in json_schemas().items():
        target = REPO / "schemas" / name
        text = json.dumps(schema, indent=2) + "\n"
        if update_goldens:
            target.write_text(text)
        assert target.read_text() == text, f"schemas/{name} is stale: run pytest --update-goldens"


@pytest.mark.parametrize("path", sorted((REPO / "schemas").glob("*.json")), ids=lambda p: p.name)
def test_every_schema_is_a_valid_json_schema(path: Path) -> None:
    assert check_schema(json.loads(path.read_text())) is None


def test_generated_schemas_accept_the_bundled_files() -> None:
    import jsonschema

    policy_schema = json.loads((REPO / "schemas" / "policy.schema.json").read_text())
    evidence_schema = json.loads((REPO / "schemas" / "evidence.schema.json").read_text())
    as_json = lambda data: json.loads(json.dumps(data, default=str))  # noqa: E731 - dates as text
    for path in sorted((REPO / "policies").glob("*.yaml")):
        jsonschema.validate(as_json(_load(path)), policy_schema)
    for path in EVIDENCE:
        jsonschema.validate(as_json(_load(path)), evidence_schema)


def test_everything_bundled_validates() -> None:
    result = validate_project(open_project(str(REPO)))
    assert result.problems == ()
    assert result.policies == (
        "wasi-component-functionality@1",
        "wasm-proposal@1",
        "wasm-proposal@2",
    )
    assert len(result.evidence) == len(EVIDENCE)


# The seed document's checklist, by section: every item must be a step or rule citing it.
SEED_STEPS = [f"Adding New Support for a Wasm Proposal, item {n}" for n in range(1, 15)] + [
    "Adding New Support for a Wasm Proposal, item 10, sub-item 1",
    "Adding New Support for a Wasm Proposal, item 10, sub-item 2",
]
SEED_STANDARDS = [f"Enabling Support for a Proposal by Default, standard {n}" for n in range(1, 9)]
SEED_WASI = [f"Adding component functionality to WASI, step {n}" for n in range(1, 6)]


def test_wasm_policy_represents_every_seed_item() -> None:
    policy = _load(REPO / "policies" / "wasm-proposal.yaml")
    assert sorted(step["source"] for step in policy["steps"]) == sorted(SEED_STEPS)
    # The seed's one gate, and docs-agree: not a standard of the seed but a check of Wasmtime's
    # own tables against its code, which evidence judged by either version should show.
    gate, docs_agree = policy["gates"]
    assert (gate["id"], docs_agree["id"]) == ("enable-by-default", "docs-agree")
    assert [rule["source"] for rule in gate["rules"]] == SEED_STANDARDS
    needs = {step["id"]: set(step.get("needs", [])) for step in policy["steps"]}
    assert {"wasm-smith", "config-method"} <= needs["fuzz-targets"]
    assert needs["c-api"] == {"rust-api"}
    assert needs["other-languages"] == {"c-api"}


# Today's "Adding New Support" checklist (docs/contributing-implementing-wasm-proposals.md at
# wasmtime e6b33de5), by the line each item starts on; and the columns of the proposals matrix
# (docs/stability-wasm-proposals.md), by the line each column's requirement starts on.
TODAY_CHECKLIST = [11, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 24, 25, 35, 40, 46]
TODAY_COLUMNS = {"Phase 4": 118, "Tests": 121, "Finished": 126, "Fuzzed": 131, "API": 148}


def test_wasm_policy_v2_represents_todays_criteria() -> None:
    policy = _load(REPO / "policies" / "wasm-proposal.v2.yaml")
    assert (policy["name"], policy["version"], policy.get("default", False)) == (
        "wasm-proposal",
        2,
        False,
    )
    checklist = "contributing-implementing-wasm-proposals.md:"
    lines = {
        int(step["source"].removeprefix(checklist).split("-")[0].split(" ")[0])
        for step in policy["steps"]
        if step["source"].startswith(checklist)
    }
    assert lines == set(TODAY_CHECKLIST)
    gates = {gate["id"]: gate for gate in policy["gates"]}
    assert list(gates) == ["tier-2", "tier-1", "enable-by-default", "docs-agree"]
    tier_1 = [rule["id"] for rule in gates["tier-1"]["rules"]]
    assert [rule["id"] for rule in gates["enable-by-default"]["rules"]] == tier_1
    assert "other-language" not in tier_1  # the matrix has no column for other languages
    sources = " ".join(rule["source"] for rule in gates["tier-1"]["rules"])
    for column, line in TODAY_COLUMNS.items():
        assert f"stability-wasm-proposals.md:{line}" in sources, column
    assert "column C API" in sources
    entries = policy["steps"] + [rule for gate in gates.values() for rule in gate["rules"]]
    assert all("@ e6b33de5" in entry["source"] for entry in entries)


def test_wasi_policy_represents_the_five_step_workflow() -> None:
    policy = _load(REPO / "policies" / "wasi-component-functionality.yaml")
    sources = {step["source"] for step in policy["steps"]}
    assert set(SEED_WASI) <= sources
    assert [gate["id"] for gate in policy["gates"]] == ["tested-end-to-end"]


def test_foo_bar_shows_every_verdict_and_step_state() -> None:
    project = open_project(str(REPO))
    report = evaluate_subjects(project, ["foo-bar"], every=False, gate=None, now=NOW)
    verdicts = {rule.rule: rule.status for rule in report.subjects[0].gates[0].rules}
    assert verdicts == {
        "phase-4": Verdict.FAIL,
        "spec-tests-pass": Verdict.FAIL,
        "no-open-concerns": Verdict.FAIL,
        "fuzzed-a-week": Verdict.FAIL,
        "fuzzers-exercise-proposal": Verdict.MISSING,
        "rust-api": Verdict.PASS,
        "c-api": Verdict.FAIL,
        "other-language": Verdict.FAIL,
    }
    plan = plan_subject(project, "foo-bar", None, NOW)
    assert {step.status for step in plan.steps} == set(StepStatus)
    assert plan.next[0] == "wasmprinter"


def _leaves(value, prefix=()):
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*prefix, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, (*prefix, str(index)))
    else:
        yield prefix


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_every_real_fact_cites_a_source(path: Path) -> None:
    data = _load(path)
    sources = set(data.get("sources", {}))
    # `profile` says which build the facts were judged for; it is context, not a finding.
    for leaf in _leaves({k: v for k, v in data["facts"].items() if k != "profile"}):
        prefixes = {".".join(leaf[:n]) for n in range(1, len(leaf) + 1)}
        assert prefixes & sources, f"{path.name}: fact {'.'.join(leaf)} has no source"
    for source in data.get("sources", {}).values():
        # A URL, or a repository with the file (and line) or the commit (its message) to read;
        # or the date collect kept a hand-recorded fact that had no source to give (profile.target)
        kept = source.get("note", "").startswith("[not collected: gatecheck collect keeps it")
        assert (
            kept
            or source.get("url")
            or (source.get("repository") and (source.get("file") or source.get("commit")))
        )


# The real proposals, collected at wasmtime@e6b33de5 and judged by wasm-proposal@2 (in force
# there), claim the gates of their tier and, on by default, `enable-by-default` (standing claims).
# Where they do not pass them, the evidence says why: the spec-test results of the proposals
# merged into the core spec are not recorded (the testsuite submodule is not in the mirror), the
# bundled attestations of the human judgements (no open concerns, the fuzzers exercise it) are
# from 2024-10-10, older than the 26 weeks tier 1 allows, and threads is on by default at tier 2.
# Findings about the evidence, listed so that a change in them is seen; foo-bar claims nothing.
TIERS_AND_DEFAULT = ["tier-2", "tier-1", "enable-by-default"]
TIER_1_AND_DEFAULT = ["tier-1", "enable-by-default"]
CLAIMED_AND_FAILING = {
    **dict.fromkeys(
        [
            "bulk-memory",
            "multi-value",
            "mutable-globals",
            "nontrapping-fptoint",
            "reference-types",
            "sign-extension-ops",
            "simd",
        ],
        TIERS_AND_DEFAULT,
    ),
    **dict.fromkeys(
        [
            "exception-handling",
            "extended-const",
            "function-references",
            "gc",
            "memory64",
            "multi-memory",
            "relaxed-simd",
            "tail-call",
        ],
        TIER_1_AND_DEFAULT,
    ),
    "threads": ["enable-by-default"],
}


@pytest.mark.parametrize("path", EVIDENCE, ids=lambda p: p.stem)
def test_every_bundled_subject_evaluates(path: Path) -> None:
    report = evaluate_subjects(
        open_project(str(REPO)), [path.stem], every=False, gate=None, now=NOW
    )
    (subject,) = report.subjects
    assert subject.gates
    claimed_and_failing = [g.gate for g in subject.gates if g.claimed_and_failing]
    assert claimed_and_failing == CLAIMED_AND_FAILING.get(path.stem, [])


def test_operators_in_the_policy_schema_are_the_engine_operators() -> None:
    from gatecheck.language.operators import COUNT_OPERATORS, OPERATORS

    schema = json.loads((REPO / "schemas" / "policy.schema.json").read_text())
    fact_keys = set(schema["$defs"]["FactCondition"]["properties"]) - {"fact", "hint"}
    count_keys = set(schema["$defs"]["CountCondition"]["properties"]) - {"count", "hint"}
    assert fact_keys == set(OPERATORS)
    assert count_keys == set(COUNT_OPERATORS)
