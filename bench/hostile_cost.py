"""Build each hostile input of issue 12 item 8 ("cost a change can impose"), run gatecheck on it, time it.

    python bench/hostile_cost.py [--only NAME ...] [--timeout 120] [--engine DIR] [--json FILE]

Each case is a small project in a temporary directory (tests/cases/_shared, with the policy, the
facts schema or the evidence replaced) and one command, run as `python -m gatecheck` in a fresh
process with the cache off. The script prints, per case, what the input is, its size, the exit
status, the seconds (wall clock, process start included) and the peak resident memory of that
process. `--engine DIR` puts DIR first on PYTHONPATH, so that another checkout's
`engine/` (for instance main's, to measure "before") runs the same inputs, built from that
checkout's `tests/cases/_shared` (its policy language may differ); a run past
`--timeout` seconds is killed and shown as `>TIMEOUT`. docs/reliability.md#bounded-cost has the
numbers of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO / "tests" / "cases" / "_shared"
SCHEMA = "schemas/release.facts.schema.json"
POLICY = "policies/release.yaml"
EVIDENCE = "evidence/lib.yaml"
HEAD = (
    "name: release\nversion: 1\ntitle: hostile\nsource: {title: x}\n"
    "facts_schema: release.facts.schema.json\njudgements: {changelog-reviewed: read}\n"
)
DOCS = "{fact: docs, eq: true}"


class Case(NamedTuple):
    name: str
    what: str
    files: dict[str, str]  # path in the project -> new text
    args: list[str]


def _schema(**properties: Any) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SHARED / SCHEMA).read_text())
    schema["properties"].update(properties)
    return schema


def _facts(text: str) -> str:
    """The shared evidence with `text` (indented lines) added to its facts."""
    return (SHARED / EVIDENCE).read_text().replace("facts:\n", "facts:\n" + text, 1)


def _gate(rules: list[str]) -> str:
    return "gates:\n  - id: ship\n    title: Ship\n    source: x\n    rules:\n" + "\n".join(rules)


def _chain(length: int, *, refer: bool) -> list[str]:
    steps = [f"  - {{id: s0, title: t, source: x, done_when: {DOCS}}}"]
    for i in range(1, length):
        done = f"{{all: [{{step: s{i - 1}}}, {DOCS}]}}" if refer else DOCS
        steps.append(f"  - {{id: s{i}, title: t, source: x, needs: [s{i - 1}], done_when: {done}}}")
    return steps


def schema_cases() -> list[Case]:
    cycle = {
        "anyOf": [{"items": {"$ref": "#/$defs/n"}, "minItems": 9}, {"items": {"$ref": "#/$defs/n"}}]
    }
    doubling: dict[str, Any] = {"d0": {"type": "boolean"}}
    for level in range(1, 31):
        below = {"$ref": f"#/$defs/d{level - 1}"}
        doubling[f"d{level}"] = {"anyOf": [below, below]}
    nested: dict[str, Any] = {"type": "object"}
    for _ in range(10):
        nested = {"anyOf": [nested, nested], "unevaluatedProperties": False}
    mappings = "".join(f"    - {{name: s{i}, passed: {i}}}\n" for i in range(8000))
    many = "".join(f"    - {{name: s{i}, passed: {i}}}\n" for i in range(20_000))
    numbers = ", ".join(map(str, range(20_000)))
    return [
        Case(
            "schema-ref-cycle",
            "104-byte $defs entry: anyOf of two branches recursing through items; facts nested 30 deep",
            {
                SCHEMA: json.dumps({**_schema(nest={"$ref": "#/$defs/n"}), "$defs": {"n": cycle}}),
                EVIDENCE: _facts("  nest: " + "[" * 30 + "]" * 30 + "\n"),
            },
            ["validate"],
        ),
        Case(
            "schema-defs-doubling",
            "30 $defs, each an anyOf of two $refs to the next (2**30 leaves), 2.3 KB",
            {
                SCHEMA: json.dumps({**_schema(nest={"$ref": "#/$defs/d30"}), "$defs": doubling}),
                EVIDENCE: _facts("  nest: true\n"),
            },
            ["validate"],
        ),
        Case(
            "schema-unevaluated-anyof",
            "anyOf nested 10 deep, unevaluatedProperties at each level (67 KB, 5,157 values)",
            {SCHEMA: json.dumps(_schema(nest=nested)), EVIDENCE: _facts("  nest: {x: 1}\n")},
            ["validate"],
        ),
        Case(
            "schema-allof-items",
            "items: allOf of 200 {type: integer}, over 20,000 numbers",
            {
                SCHEMA: json.dumps(
                    _schema(numbers={"items": {"allOf": [{"type": "integer"}] * 200}})
                ),
                EVIDENCE: _facts(f"  numbers: [{numbers}]\n"),
            },
            ["validate"],
        ),
        Case(
            "unique-items-8000",
            "uniqueItems over 8,000 mappings (no two equal)",
            {
                SCHEMA: json.dumps(_schema(suites={"type": "array", "uniqueItems": True})),
                EVIDENCE: _facts(f"  suites:\n{mappings}"),
            },
            ["validate"],
        ),
        Case(
            "unique-items-20000",
            "uniqueItems over 20,000 mappings (no two equal)",
            {
                SCHEMA: json.dumps(_schema(suites={"type": "array", "uniqueItems": True})),
                EVIDENCE: _facts(f"  suites:\n{many}"),
            },
            ["validate"],
        ),
        Case(
            "enum-5000-x-20000",
            "items: enum of 5,000 numbers, over 20,000 numbers",
            {
                SCHEMA: json.dumps(_schema(numbers={"items": {"enum": list(range(5000))}})),
                EVIDENCE: _facts(
                    "  numbers: [" + ", ".join(str(i % 5000) for i in range(20_000)) + "]\n"
                ),
            },
            ["validate"],
        ),
        Case(
            "schema-at-the-value-cap",
            "a facts schema of 9,990 properties, each `{}`: under the 10,000-value cap",
            {SCHEMA: json.dumps({"properties": {f"p{i}": {} for i in range(9990)}})},
            ["validate"],
        ),
        Case(
            "schema-32mib-of-objects",
            "a facts schema of 11 million `{}` (33 MB)",
            {SCHEMA: "[" + "{}," * 11_000_000 + "{}]"},
            ["validate"],
        ),
    ]


def policy_cases() -> list[Case]:
    refer = _chain(16_000, refer=True)
    named = _chain(8000, refer=False)
    every = ", ".join(f"s{i}" for i in range(8000))
    waiting = [
        f"      - {{id: r{i}, title: t, source: x, require: {DOCS}, steps: [s7999]}}"
        for i in range(8000)
    ]
    long_id = "step-" + "a" * 60
    unknown = [
        f"  - {{id: {long_id}{i:06d}, title: t, source: x, needs: [{long_id}{i:06d}x], done_when: {DOCS}}}"
        for i in range(1000)
    ]
    rule = f"      - {{id: r, title: t, source: x, require: {DOCS}}}"
    some = "{some: {fact: m, where: {fact: $item, eq: true}}}"
    quantifiers = (
        f"      - {{id: r, title: t, source: x, require: {{all: [{', '.join([some] * 20_000)}]}}}}"
    )
    wide = json.dumps(
        _schema(m={"properties": {f"p{i}": {"type": "boolean"} for i in range(4900)}})
    )
    return [
        Case(
            "steps-referring-chain",
            "16,000 steps, each `{step: previous}` in its done_when; one rule on the last",
            {
                POLICY: HEAD
                + "steps:\n"
                + "\n".join(refer)
                + "\n"
                + _gate(["      - {id: r, title: t, source: x, require: {step: s15999}}"])
                + "\n"
            },
            ["evaluate", "lib"],
        ),
        Case(
            "steps-all-named-by-a-rule",
            "8,000 steps, each needing the one before; one rule naming every step",
            {
                POLICY: HEAD
                + "steps:\n"
                + "\n".join(named)
                + "\n"
                + _gate(
                    [f"      - {{id: r, title: t, source: x, require: {DOCS}, steps: [{every}]}}"]
                )
                + "\n"
            },
            ["validate"],
        ),
        Case(
            "rules-waiting-on-a-chain",
            "8,000 failing rules, each naming the last of 8,000 chained steps",
            {POLICY: HEAD + "steps:\n" + "\n".join(named) + "\n" + _gate(waiting) + "\n"},
            ["evaluate", "lib", "--format", "json"],
        ),
        Case(
            "quantifiers-over-a-wide-map",
            "20,000 `some` over a map fact whose schema names 4,900 properties",
            {SCHEMA: wide, POLICY: HEAD + _gate([quantifiers]) + "\n"},
            ["validate"],
        ),
        Case(
            "unknown-step-hints",
            "1,000 steps with 71-character ids, each needing an undefined step (a did-you-mean each)",
            {POLICY: HEAD + "steps:\n" + "\n".join(unknown) + "\n" + _gate([rule]) + "\n"},
            ["validate"],
        ),
    ]


def edit_cases() -> list[Case]:
    same = "  # the same comment\n" * 20_000
    evidence = (SHARED / EVIDENCE).read_text().replace("  docs: false\n", f"  docs: false\n{same}")
    return [
        Case(
            "edit-identical-lines",
            "record an invalid value in a file with 20,000 identical comment lines",
            {EVIDENCE: evidence},
            ["record", "lib", "tests.failed", "oops"],
        )
    ]


CASES = [*schema_cases(), *policy_cases(), *edit_cases()]


def run(case: Case, engine: str | None, timeout: float) -> dict[str, Any]:
    shared = Path(engine).parent / "tests" / "cases" / "_shared" if engine else SHARED
    with tempfile.TemporaryDirectory(prefix="hostile-cost-") as temporary:
        root = Path(temporary) / "project"
        shutil.copytree(shared if shared.is_dir() else SHARED, root)
        for name, text in case.files.items():
            (root / name).write_text(text)
        size = sum((root / name).stat().st_size for name in case.files)
        env = {**os.environ, "GATECHECK_NO_CACHE": "1"}
        if engine:
            env["PYTHONPATH"] = engine + os.pathsep + env.get("PYTHONPATH", "")
        command = [sys.executable, "-m", "gatecheck", *case.args, "--root", str(root)]
        errors = Path(temporary) / "stderr"
        with errors.open("wb") as stderr_file:  # a file, not a pipe: a full pipe would block it
            start = time.monotonic()
            process = subprocess.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=stderr_file
            )
            status, rusage = _wait(process, start + timeout)
            seconds = time.monotonic() - start
        stderr = errors.read_text(errors="replace")
    first = stderr.splitlines()[0] if stderr and status == 2 else ""
    return {
        "case": case.name,
        "input": case.what,
        "bytes": size,
        "exit": status,
        "seconds": round(seconds, 2),
        "peak_mb": round(rusage.ru_maxrss / 1024) if rusage else None,
        "says": first[first.rfind("[") :] if first else "",
    }


def _wait(process: subprocess.Popen[bytes], deadline: float) -> tuple[int | str, Any]:
    """The exit status and resource usage of `process`, killed at `deadline`."""
    while True:
        pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, rusage
        if time.monotonic() > deadline:
            peak = _peak_kb(process.pid)  # read before the kill: wait4 reports none for it
            process.kill()
            os.wait4(process.pid, 0)
            process.returncode = -9
            return "TIMEOUT", _Usage(peak) if peak else None
        time.sleep(0.02)


class _Usage(NamedTuple):
    ru_maxrss: int  # KiB, as resource.struct_rusage gives it on Linux


def _peak_kb(pid: int) -> int:
    """The peak resident memory of a running process (Linux), in KiB; 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=[case.name for case in CASES])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--engine", help="a directory to put first on PYTHONPATH (another engine/)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"engine: {options.engine or 'installed'}; timeout {options.timeout:.0f} s\n")
    print(f"{'case':28} {'bytes':>11} {'exit':>8} {'seconds':>8} {'peak MB':>8}  says")
    results = []
    for case in CASES:
        if options.only and case.name not in options.only:
            continue
        result = run(case, options.engine, options.timeout)
        results.append(result)
        seconds = f">{options.timeout:.0f}" if result["exit"] == "TIMEOUT" else result["seconds"]
        print(
            f"{result['case']:28} {result['bytes']:>11,} {result['exit']!s:>8} {seconds!s:>8}"
            f" {result['peak_mb'] if result['peak_mb'] is not None else '-'!s:>8}  {result['says']}",
            flush=True,
        )
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
