"""A rule that fails on two facts says both, each with the file and line its source names.

Wasmtime's table says ✅ in one file and the code lacks the function in another: a verdict on
that contradiction has to show both places in every output format, so it says them in its message.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tests.support.project import POLICY_HEAD, write_project

if TYPE_CHECKING:
    from pathlib import Path

POLICY = (
    POLICY_HEAD
    + """\
gates:
  - id: agree
    title: The table agrees with the code
    source: tests
    rules:
      - id: c-api
        title: A C API mark of ✅ has its functionality
        source: tests
        require:
          not: {all: [{fact: declared.c_api, eq: ✅}, {fact: apis.c, eq: false}]}
      - id: one
        title: One fact, as before
        source: tests
        require: {fact: apis.c, eq: true}
"""
)
EVIDENCE = """\
subject: s
policy: t
facts:
  declared: {c_api: ✅}
  apis: {c: false}
sources:
  declared.c_api: {repository: o/w, commit: abcdef1, file: docs/table.md, line: 33}
  apis: {url: "https://example.org/c-api"}
"""


def test_both_facts_and_both_places_are_in_the_message(tmp_path: Path, run_cli: Any) -> None:
    root = write_project(tmp_path / "p", POLICY, {"s": EVIDENCE})
    result = run_cli(
        "evaluate", "s", "--format", "json", "--now", "2026-01-01", "--root", str(root)
    )
    rules = {
        rule["rule"]: rule for rule in json.loads(result.stdout)["subjects"][0]["gates"][0]["rules"]
    }
    assert rules["c-api"]["message"] == (
        "declared.c_api is '✅', which is not allowed (docs/table.md:33); "
        "apis.c is false, which is not allowed (https://example.org/c-api)"
    )
    # a rule deciding on one fact keeps its message as it was
    assert rules["one"]["message"] == "apis.c is false; expected true"
