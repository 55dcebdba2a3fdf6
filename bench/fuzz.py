"""Run the suite's fuzz properties for longer: the loader, the engine, the CLI and the rest.

    python bench/fuzz.py [--minutes N | --examples N] [--property NAME]... [--list] [--json FILE]

The properties are the ones tests/test_fuzz.py and tests/evaluation/test_properties.py register with
`tests.support.strategies.fuzz` (the suite runs each with a few examples); this runs the same bodies with
the same strategies and hypothesis settings chosen here: no deadline, and a persistent example
database in bench/out/hypothesis (git-ignored), so a failure found once is replayed first next time.
`--minutes` (default 10) is shared evenly between the chosen properties, each run in batches of
fresh random examples until its share is spent; `--examples N` runs N examples of each instead.
Prints, per property, the examples run, the time taken and the failures, each with its falsifying
example. Exit 0 when no property failed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BATCH = 200  # examples per hypothesis run in a timed loop: each run starts from a fresh seed


def _properties() -> dict[str, Any]:
    for path in (str(ROOT), str(ROOT / "engine")):
        if path not in sys.path:
            sys.path.insert(0, path)
    from tests.support.strategies import PROPERTIES

    return PROPERTIES


def _counted(body: Any, counter: list[int]) -> Any:
    @functools.wraps(body)
    def run(*args: Any, **kwargs: Any) -> None:
        counter[0] += 1
        body(*args, **kwargs)

    return run


def _failure_text(error: BaseException) -> str:
    """The error and hypothesis's notes (the falsifying example), for each distinct failure."""
    errors = list(error.exceptions) if isinstance(error, BaseExceptionGroup) else [error]
    parts = []
    for each in errors:
        lines = traceback.format_exception_only(type(each), each)
        parts.append("".join(lines).rstrip())
    return "\n---\n".join(parts)


def run_property(prop: Any, *, seconds: float | None, examples: int | None) -> dict[str, Any]:
    from hypothesis import HealthCheck
    from hypothesis.database import DirectoryBasedExampleDatabase

    database = DirectoryBasedExampleDatabase(str(OUT / "hypothesis"))
    counter = [0]
    counted = prop._replace(body=_counted(prop.body, counter))
    failures: list[str] = []
    start = time.monotonic()
    runs = 0
    while True:
        batch = examples if examples is not None else BATCH
        test = counted.test(
            max_examples=batch,
            database=database,
            suppress_health_check=list(HealthCheck),
            print_blob=True,
        )
        runs += 1
        try:
            test()
        except Exception as error:  # noqa: BLE001 - a failing property is the result to report
            failures.append(_failure_text(error))
            break
        if examples is not None or seconds is None or time.monotonic() - start >= seconds:
            break
    return {
        "property": prop.name,
        "examples": counter[0],
        "runs": runs,
        "seconds": round(time.monotonic() - start, 1),
        "failures": failures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--minutes", type=float, help="total time, shared evenly (default 10)")
    budget.add_argument("--examples", type=int, help="examples of each property")
    parser.add_argument("--property", action="append", help="only this property (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the properties and stop")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args()

    properties = _properties()
    if args.list:
        for name, prop in properties.items():
            print(f"{name} (suite: {prop.examples} examples)")
        return 0
    chosen = args.property or list(properties)
    unknown = [name for name in chosen if name not in properties]
    if unknown:
        parser.error(f"unknown property {', '.join(unknown)}; --list shows them")
    OUT.mkdir(parents=True, exist_ok=True)
    seconds = None
    if args.examples is None:
        seconds = (args.minutes if args.minutes is not None else 10.0) * 60 / len(chosen)

    results = []
    with tempfile.TemporaryDirectory() as cache:
        os.environ["GATECHECK_CACHE_DIR"] = cache  # the user's cache stays untouched
        for name in chosen:
            result = run_property(properties[name], seconds=seconds, examples=args.examples)
            results.append(result)
            status = f"{len(result['failures'])} failure(s)" if result["failures"] else "ok"
            print(
                f"{name:60} {result['examples']:>7} examples {result['seconds']:>7.1f} s  {status}",
                flush=True,
            )
            for failure in result["failures"]:
                print("    " + failure.replace("\n", "\n    "), flush=True)
    total = sum(r["examples"] for r in results)
    failed = sum(1 for r in results if r["failures"])
    print(
        f"{'total':60} {total:>7} examples {sum(r['seconds'] for r in results):>7.1f} s  {failed} failing"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
