"""Where a batch's time goes per subject, stage by stage, in this process, beside a PyYAML load.

    python bench/batch_stages.py [--subjects 2000] [--rounds 3]

Uses bench/batch.py's corpus (bench/corpus/stream-10000, made by `python bench/batch.py` if
missing), its first `--subjects` files. Warms a validation cache of its own, then times each
stage over every file, `--rounds` times, and prints the least CPU time (`time.process_time`) per
subject, with the cyclic collector off as the CLI runs:

- the PyYAML `CSafeLoader` load of each file's bytes (bench/batch.py's reference loop) and the
  same with ruamel's C parser walking libyaml's events and building nothing;
- gatecheck's parse (`loading.parsing.load_bytes`: data and every value's position);
- `load_one`: read, parse, the validation cache's check (hash and authenticated read), `Evidence`;
- judging (`evaluate_subject`: every gate's verdicts, explanations deferred);
- explaining the rules that do not pass (what text, SARIF and `github` show), and every rule
  (what JSON, JUnit and Markdown show);
- the JSON reporter's dictionaries and their encoding, as `evaluate --format json` writes them.

The sum of the stages a format needs is the floor of `evaluate --all` in one process, before any
streaming or process cost; against the PyYAML load it says how far "0.8x a PyYAML loop" is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import make_corpus

if TYPE_CHECKING:
    from collections.abc import Callable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ["GATECHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="gatecheck-stages-cache-")
    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="gatecheck-stages-state-")
    gc.disable()

    import yaml

    from gatecheck.commands.subjects import evidence_files
    from gatecheck.evaluation.verdicts import evaluate_subject
    from gatecheck.loading.evidence import load_one
    from gatecheck.loading.input_bytes import read_input
    from gatecheck.loading.parsing import load_bytes
    from gatecheck.loading.policies import load_policies
    from gatecheck.project.layout import open_project
    from gatecheck.reporters import escape
    from gatecheck.reporters.json import _subject

    root = make_corpus(10_000)
    project = open_project(str(root), fallback=False)
    files = evidence_files(project, [], every=True)[: args.subjects]
    policies = load_policies(project)
    now = dt.date(2026, 12, 1)
    for file in files:  # fill the validation cache, as the batch benchmark's untimed run does
        load_one(file, policies)
    raws = [read_input(file) for file in files]
    texts = [raw.decode() for raw in raws]
    count = len(files)

    def stage(name: str, work: Callable[[], Any]) -> float:
        best = min(_cpu(work) for _ in range(args.rounds))
        print(f"  {name:58} {best / count * 1e3:7.3f} ms", flush=True)
        return best / count

    print(f"{count} subjects of {root}, least of {args.rounds} rounds, CPU per subject")
    pyyaml = stage("PyYAML CSafeLoader load (the reference)", lambda: _pyyaml(raws, yaml))
    stage("ruamel's C parser: libyaml's events only", lambda: _events(texts))
    stage("gatecheck parse: data and positions", lambda: [load_bytes(r, "x") for r in raws])
    load = stage("load_one: read, parse, cache check, Evidence", lambda: _load(files, policies))
    evidence = [load_one(file, policies) for file in files]
    judge = stage("judge: evaluate_subject", lambda: [evaluate_subject(e, now) for e in evidence])
    failing = (
        stage(
            "judge, then explain the rules that do not pass",
            lambda: _explained([evaluate_subject(e, now) for e in evidence], passing=False),
        )
        - judge
    )
    every = (
        stage(
            "judge, then explain every rule",
            lambda: _explained([evaluate_subject(e, now) for e in evidence], passing=True),
        )
        - judge
    )
    results = [evaluate_subject(e, now) for e in evidence]
    _explained(results, passing=True)
    data = [_subject(result) for result in results]
    dicts = stage(
        "JSON reporter's dictionaries (explained)", lambda: [_subject(r) for r in results]
    )
    encode = stage("JSON encoding and escaping", lambda: [escape.json_dump(d) for d in data])
    print("floors (sums of the stages), and what the loop's rate makes of them:")
    for name, cost in (
        ("text, SARIF, github: load, judge, explain non-passes", load + judge + failing),
        ("json: load, judge, explain all, dicts, encode", load + judge + every + dicts + encode),
    ):
        print(f"  {name:58} {cost * 1e3:7.3f} ms  {pyyaml / cost:.2f}x the loop's rate")


def _events(texts: list[str]) -> None:
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

    for text in texts:
        parser = CParser(text)
        while parser.get_event() is not None and parser.check_event():
            pass


def _explained(results: list[Any], *, passing: bool) -> None:
    for result in results:
        for gate in result.gates:
            for rule in gate.rules:
                if passing or not rule.status.passing:
                    _ = rule.details


def _cpu(work: Callable[[], Any]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def _pyyaml(raws: list[bytes], yaml: Any) -> None:
    for raw in raws:
        yaml.load(raw, Loader=yaml.CSafeLoader)


def _load(files: list[Any], policies: Any) -> None:
    from gatecheck.loading.evidence import load_one

    for file in files:
        load_one(file, policies)


if __name__ == "__main__":
    main()
