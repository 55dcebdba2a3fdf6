"""Measure gatecheck against the cost of just reading its YAML, side by side, in one run.

    python bench/run.py [--subjects 10000] [--steps 100000] [--runs 20]

Generates a synthetic corpus under bench/corpus/ (git-ignored): 10,000 evidence files judged by
the bundled wasm-proposal policy, and a policy with a 100,000-step DAG. Then prints:

1. cold start of `gatecheck evaluate foo-bar` (warm and empty validation cache) next to
   `python -c pass`, a minimal script that only loads the same YAML with ruamel, and the imports
   alone (click and ruamel.yaml; click; click and the gatecheck modules a cached run imports),
   interleaved round by round;
2. `evaluate --all` over the 10,000 files next to ruamel's safe C loader alone;
3. `gatecheck plan` on the 100,000-step DAG (whole process, and after imports), and a cycle
   check on 10,000 steps (in-process).

Bytecode is compiled first and PYTHONDONTWRITEBYTECODE is cleared for the measured commands: a
pip-installed gatecheck always has its .pyc files, and compiling on every start is not its cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "bench" / "corpus"
PYTHON = sys.executable
GATECHECK = str(Path(PYTHON).parent / "gatecheck")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# The modules of gatecheck a cached `evaluate foo-bar` imports before it reads a file.
EVALUATE_IMPORTS = (
    "gatecheck.cli.group, gatecheck.cli.evaluate, gatecheck.commands.batch,"
    " gatecheck.commands.evaluate, gatecheck.reporters.streamed, gatecheck.evaluation.verdicts"
)

MINIMAL_RUAMEL = (
    "import sys\nfrom ruamel.yaml import YAML\n"
    "loader = YAML(typ='safe')\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as f:\n"
    "        loader.load(f)\n"
)


def evidence_text(index: int, rng: random.Random) -> str:
    flag = lambda: rng.choice(["true", "false"])  # noqa: E731
    since = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
    return f"""\
subject: p{index:05d}
policy: wasm-proposal
as_of: 2026-11-20
facts:
  proposal: {{name: Proposal {index}, phase: {rng.randrange(6)}}}
  wasm_tools: {{wasmparser: {flag()}, wat: {flag()}, wast: {flag()}, wasmprinter: {flag()},
    wasm_encoder: {flag()}, wasm_smith: {flag()}}}
  wasmtime: {{config_method: {flag()}, cli_flag: {flag()}}}
  spec_tests: {{enabled: {flag()}, passed: {rng.randrange(500)}, failed: {rng.randrange(3)},
    ignored: {rng.randrange(3)}}}
  fuzzing: {{targets: {flag()}, since: {since}, corpus: {flag()}, custom: {flag()}}}
  apis: {{rust: {flag()}, c: {flag()}, python: {flag()}, go: {flag()}, dotnet: {flag()}}}
  docs: {flag()}
  concerns:
    - {{title: Issue {index}, kind: bug, severity: minor, status: {rng.choice(["open", "resolved"])}}}
attestations:
  - {{judgement: fuzzers-exercise-proposal, by: maintainer{index % 7}, date: 2026-11-01}}
"""


def make_corpus(subjects: int, steps: int) -> None:
    rng = random.Random(20261125)
    batch = empty_project(CORPUS / "batch")
    for index in range(subjects):
        (batch / "evidence" / f"p{index:05d}.yaml").write_text(evidence_text(index, rng))
    for name, count in (("plan", steps), ("cycle", 10_000)):
        make_dag(CORPUS / name, count, rng)


def empty_project(root: Path) -> Path:
    """`root` made anew: the repository's policies and schemas, and an empty evidence/."""
    if root.exists():
        shutil.rmtree(root)
    (root / "evidence").mkdir(parents=True)
    shutil.copytree(REPO / "policies", root / "policies")
    shutil.copytree(REPO / "schemas", root / "schemas")
    return root


def made(root: Path, subjects: int) -> bool:
    """Whether a corpus of `subjects` evidence files is already at `root` (made by a past run)."""
    evidence = root / "evidence"
    return evidence.is_dir() and len(os.listdir(evidence)) == subjects


def make_dag(root: Path, count: int, rng: random.Random) -> None:
    if root.exists():
        shutil.rmtree(root)
    for sub in ("policies", "evidence", "schemas"):
        (root / sub).mkdir(parents=True)
    (root / "schemas" / "dag.facts.schema.json").write_text(
        '{"type": "object", "properties": {"done": {"type": "object", '
        '"additionalProperties": {"type": "boolean"}}}}'
    )
    lines = [
        "name: dag",
        "version: 1",
        "title: A large DAG",
        "source: {title: bench}",
        "facts_schema: dag.facts.schema.json",
        "steps:",
    ]
    for i in range(count):
        needs = sorted({f"s{rng.randrange(i)}" for _ in range(min(i, 3))}) if i else []
        lines.append(
            f"  - {{id: s{i}, title: S{i}, source: b, needs: [{', '.join(needs)}], "
            f"done_when: {{fact: done.s{i}, eq: true}}}}"
        )
    lines += [
        "gates:",
        "  - id: all",
        "    title: Everything",
        "    source: b",
        "    rules:",
        (
            f"      - {{id: last, title: Last, source: b, require: {{step: s{count - 1}}}, "
            f"steps: [s{count - 1}]}}"
        ),
    ]
    (root / "policies" / "dag.yaml").write_text("\n".join(lines) + "\n")
    done = "\n".join(f"    s{i}: true" for i in range(count // 2))
    (root / "evidence" / "big.yaml").write_text(
        f"subject: big\npolicy: dag\nfacts:\n  done:\n{done}\n"
    )


def timed(command: list[str], runs: int, cwd: Path, env: dict[str, str] | None = None) -> float:
    """Median wall time of `runs` runs, in milliseconds, after one unmeasured warm-up run."""
    samples = []
    for attempt in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, check=False)
        if attempt:
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def cold_start(runs: int) -> None:
    """Each process `runs` times, interleaved round by round, so that drift hits them alike.

    The machine's speed moves by a third within minutes on a shared machine: timed one block
    after another, the ratios would measure the drift.
    """
    script = CORPUS / "minimal_ruamel.py"
    script.write_text(MINIMAL_RUAMEL)
    evidence = str(REPO / "evidence" / "foo-bar.yaml")
    warm_env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp()}
    cold_env = {**ENV, "GATECHECK_NO_CACHE": "1"}
    # The floors under a click command that reads YAML, and under gatecheck's cached run (which
    # reads its files from the cache, parser and all: it imports no ruamel.yaml).
    commands = {
        "bare": ([PYTHON, "-c", "pass"], ENV),
        "ruamel": ([PYTHON, str(script), evidence], ENV),
        "floor": ([PYTHON, "-c", "import click, ruamel.yaml.cyaml"], ENV),
        "click": ([PYTHON, "-c", "import click"], ENV),
        "modules": ([PYTHON, "-c", f"import click, {EVALUATE_IMPORTS}"], ENV),
        "warm": ([GATECHECK, "evaluate", "foo-bar"], warm_env),
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for attempt in range(runs + 1):  # the first round unmeasured: bytecode, the cache
        for name, (command, env) in commands.items():
            start = time.perf_counter()
            subprocess.run(command, cwd=REPO, env=env, capture_output=True, check=False)
            if attempt:
                samples[name].append((time.perf_counter() - start) * 1000)
    found = {name: statistics.median(times) for name, times in samples.items()}
    cold = timed([GATECHECK, "evaluate", "foo-bar"], max(3, runs // 4), REPO, cold_env)
    ruamel = found["ruamel"]
    print(f"1. one subject, cold process (median of {runs} interleaved rounds)")
    print(f"   python -c pass                          {found['bare']:8.1f} ms")
    print(f"   minimal ruamel load of foo-bar.yaml     {ruamel:8.1f} ms")
    rows = (
        ("import click and ruamel.yaml", found["floor"]),
        ("import click", found["click"]),
        ("import click and what a cached evaluate imports", found["modules"]),
        ("gatecheck evaluate foo-bar (cached)", found["warm"]),
        ("gatecheck evaluate foo-bar (no cache)", cold),
    )
    for label, value in rows:
        print(f"   {label:<48}{value:8.1f} ms   {value / ruamel:4.2f}x ruamel")


def batch(subjects: int) -> None:
    root = CORPUS / "batch"
    files = sorted(str(p) for p in (root / "evidence").glob("*.yaml"))
    script = CORPUS / "minimal_ruamel.py"
    start = time.perf_counter()
    subprocess.run([PYTHON, str(script), *files], env=ENV, check=True)
    ruamel = time.perf_counter() - start
    cache = tempfile.mkdtemp()
    env = {**ENV, "GATECHECK_CACHE_DIR": cache}
    command = [GATECHECK, "evaluate", "--all", "--format", "json", "--now", "2026-11-25"]
    results = {}
    for label in ("first run, empty cache", "second run, cached"):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, check=False)
        results[label] = time.perf_counter() - start
        if done.returncode not in {0, 1}:
            sys.exit(f"evaluate --all failed ({done.returncode}): {done.stderr[-2000:]!r}")
    print(f"2. evaluate --all over {subjects:,} evidence files")
    print(
        f"   ruamel safe C loader alone              {ruamel:8.2f} s   {subjects / ruamel:8.0f} files/s"
    )
    for label, seconds in results.items():
        rate = subjects / seconds
        ratio = rate / (subjects / ruamel)
        print(f"   gatecheck, {label:<28} {seconds:8.2f} s   {rate:8.0f} files/s ({ratio:.2f}x)")


def plan(steps: int, runs: int) -> None:
    root = CORPUS / "plan"
    env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp()}
    command = [GATECHECK, "plan", "big", "--format", "json"]
    start = time.perf_counter()
    first = subprocess.run(command, cwd=root, env=env, capture_output=True, check=False)
    cold = time.perf_counter() - start
    if first.returncode != 0:
        sys.exit(f"plan failed ({first.returncode}): {first.stderr[-2000:]!r}")
    warm = timed(command, max(3, runs // 4), root, env) / 1000
    imports = "import gatecheck.cli, gatecheck.commands.plan, gatecheck.evaluation.planning, gatecheck.reporters"
    imported = timed([PYTHON, "-c", imports], runs, root) / 1000
    print(f"3. plan on a {steps:,}-step DAG (`gatecheck plan --format json`, whole process)")
    print(f"   first run: validate, order, cache, plan  {cold:8.2f} s")
    print(
        f"   cached policy                            {warm:8.2f} s   ({warm - imported:.2f} s after imports)"
    )
    sys.path.insert(0, str(REPO / "engine"))
    import gc

    import networkx as nx

    from gatecheck.loading.parsing import load_bytes
    from gatecheck.loading.policies import load_policies
    from gatecheck.loading.step_order import cycle_problems, dependency_graph
    from gatecheck.project.layout import open_project

    project = open_project(str(CORPUS / "cycle"))
    (policy,) = load_policies(project).all()
    document = load_bytes((CORPUS / "cycle" / "policies" / "dag.yaml").read_bytes(), "dag.yaml")
    gc.disable()  # as in the CLI, which runs with the cyclic collector off
    start = time.perf_counter()
    problems = cycle_problems(policy, document)
    elapsed = (time.perf_counter() - start) * 1000
    graph = dependency_graph(policy)
    start = time.perf_counter()
    nx.is_directed_acyclic_graph(graph)
    check = (time.perf_counter() - start) * 1000
    print(
        f"   cycle check, 10,000-step acyclic graph   {elapsed:8.1f} ms   ({len(problems)} cycles;"
        f" {check:.1f} ms of it the acyclicity test, the rest building the graph)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "engine")], env=ENV, check=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; generating corpus ...")
    make_corpus(args.subjects, args.steps)
    cold_start(args.runs)
    batch(args.subjects)
    plan(args.steps, args.runs)


if __name__ == "__main__":
    main()
