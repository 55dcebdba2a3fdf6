"""`gatecheck schema`: the JSON Schemas editors use, general and per policy."""

import json
from pathlib import Path
from typing import Any

import pytest
from tests.support.project import REPO

from gatecheck.language.shapes import json_schemas
from gatecheck.loading.facts_schema_checks import check_schema
from gatecheck.loading.parsing import load_bytes

EVIDENCE = sorted((REPO / "evidence").glob("*.yaml"))
POLICIES = ["wasm-proposal@1", "wasm-proposal@2", "wasi-component-functionality@1"]


def _as_json(path: Path) -> Any:
    data = load_bytes(path.read_bytes(), path.name).data
    return json.loads(json.dumps(data, default=str))  # dates as text, as an editor sees them


def _schema(run_cli: Any, *args: str) -> dict[str, Any]:
    run = run_cli("schema", "--root", str(REPO), *args)
    assert run.exit_code == 0, run.stderr
    return json.loads(run.stdout)


def _name(data: Any) -> str:
    policy = data["policy"]
    return (
        policy if "@" in policy else {"wasm-proposal": "wasm-proposal@1"}.get(policy, policy + "@1")
    )


@pytest.mark.parametrize("ref", POLICIES)
def test_policy_schema_accepts_its_evidence_and_rejects_unknown_ids(run_cli: Any, ref: str) -> None:
    import jsonschema

    schema = _schema(run_cli, "--policy", ref)
    assert check_schema(schema) is None
    validator = jsonschema.Draft202012Validator(schema)
    judged = [data for data in map(_as_json, EVIDENCE) if _name(data) == ref]
    for data in judged:
        assert not list(validator.iter_errors(data)), data["subject"]
    if not judged:  # wasm-proposal@2 has no evidence yet: judge v1's facts by it, ids aside
        return
    sample = judged[0]
    gate = schema["properties"]["claims"]["items"]["enum"][0]
    assert validator.is_valid({**sample, "claims": [gate]})
    assert not validator.is_valid({**sample, "claims": ["no-such-gate"]})
    assert not validator.is_valid({**sample, "facts": {**sample["facts"], "no_such_fact": 1}})
    waiver = {"rule": "no-such-rule", "reason": "r", "approver": "a", "expires": "2030-01-01"}
    assert not validator.is_valid({**sample, "waivers": [waiver]})
    attestation = {"judgement": "no-such-judgement", "by": "a", "date": "2030-01-01"}
    assert not validator.is_valid({**sample, "attestations": [attestation]})


def test_general_schemas_are_the_checked_in_ones(run_cli: Any) -> None:
    for kind in ("policy", "evidence"):
        expected = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text())
        assert _schema(run_cli, "--kind", kind) == expected
        assert expected == json_schemas()[f"{kind}.schema.json"]


def test_out_writes_every_schema(run_cli: Any, tmp_path: Path) -> None:
    out = tmp_path / "editor" / "schemas"
    run = run_cli("schema", "--root", str(REPO), "--out", str(out))
    assert run.exit_code == 0, run.stderr
    names = ["policy", "evidence", *(f"evidence.{ref}" for ref in sorted(POLICIES))]
    assert run.stdout.splitlines() == [f"wrote {out}/{name}.schema.json" for name in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.schema.json" for n in names)
    assert (out / "policy.schema.json").read_text() == (
        REPO / "schemas/policy.schema.json"
    ).read_text()
    printed = run_cli("schema", "--root", str(REPO), "--policy", "wasm-proposal@1").stdout
    assert (out / "evidence.wasm-proposal@1.schema.json").read_text() == printed


def test_out_with_policy_writes_that_one(run_cli: Any, tmp_path: Path) -> None:
    run = run_cli(
        "schema", "--root", str(REPO), "--policy", "wasm-proposal", "--out", str(tmp_path)
    )
    assert run.exit_code == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "evidence.schema.json",
        "evidence.wasm-proposal@1.schema.json",
        "policy.schema.json",
    ]


def test_unknown_policy_is_a_located_problem(run_cli: Any) -> None:
    run = run_cli("schema", "--root", str(REPO), "--policy", "wasm-proposl")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "policies/: error: --policy wasm-proposl: no policy is named" in run.stderr
    assert "[unknown-policy]" in run.stderr


@pytest.mark.parametrize(
    "args", [(), ("--kind", "policy", "--policy", "wasm-proposal"), ("--kind", "facts")]
)
def test_usage_errors(run_cli: Any, args: tuple[str, ...]) -> None:
    assert run_cli("schema", *args).exit_code == 2
