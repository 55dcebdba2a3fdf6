"""Measure `evaluate --all` in every format, on one process and two, beside a PyYAML C-loader loop.

    python bench/batch.py [--subjects 10000] [--runs 3] [--formats text,json,...] [--jobs 1,2]
                          [--commands evaluate,status,check]

`--commands` picks what is measured (default: evaluate): `status` in each of its formats, and
`check --all --base HEAD` (text and JSON) in a throwaway git repository holding a copy of the
corpus, one commit; `--formats` applies to `evaluate` only, `--jobs` to `evaluate` and `status`.

Generates N evidence files with `bench/run.py`'s generator (the bundled wasm-proposal policy)
under bench/corpus/stream-N/ (git-ignored; kept, so a second run skips generating), warms a
validation cache of its own with one untimed run, then measures each command in a subprocess of
its own: wall time, CPU time (user + system, the workers' included) and peak RSS
(`getrusage(RUSAGE_CHILDREN).ru_maxrss` of a process that runs only that command: with -j N it is
the largest single process, the parent or one worker). Prints medians of `--runs` runs and the
ratios to the PyYAML loop (`yaml.load(f, CSafeLoader)` over the same files, one process), with
the load average before and after: on a shared machine, read the ratios and the CPU times.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import CORPUS, ENV, GATECHECK, PYTHON, empty_project, evidence_text, made

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")
STATUS_FORMATS = ("text", "json", "markdown", "html")
CHECK_FORMATS = ("text", "json")
NOW = "2026-12-01"

PYYAML_LOOP = (
    "import sys, yaml\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, 'rb') as f:\n"
    "        yaml.load(f, Loader=yaml.CSafeLoader)\n"
)

# Run one command, wait for it, and report what it cost: it and every process it waited for.
MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "with open(sys.argv[1], 'wb') as out:\n"
    "    code = subprocess.call(sys.argv[2:], stdout=out)\n"
    "wall = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'code': code, 'wall': wall, 'cpu': usage.ru_utime + usage.ru_stime,\n"
    "                  'rss_mb': usage.ru_maxrss / 1024}))\n"
)


def make_corpus(subjects: int) -> Path:
    root = CORPUS / f"stream-{subjects}"
    if made(root, subjects):
        return root
    evidence = empty_project(root) / "evidence"
    rng = random.Random(20261125)
    for index in range(subjects):
        (evidence / f"p{index:05d}.yaml").write_text(evidence_text(index, rng))
    return root


def measure(command: list[str], env: dict[str, str], output: Path) -> dict[str, float]:
    done = subprocess.run(
        [PYTHON, "-c", MEASURE, str(output), *command],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def medians(command: list[str], env: dict[str, str], runs: int, output: Path) -> dict[str, float]:
    samples = [measure(command, env, output) for _ in range(runs)]
    return {
        key: statistics.median(sample[key] for sample in samples)
        for key in ("wall", "cpu", "rss_mb", "code")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--commands", default="evaluate")
    args = parser.parse_args()
    commands = args.commands.split(",")
    root = make_corpus(args.subjects)
    files = sorted(str(path) for path in (root / "evidence").glob("*.yaml"))
    cache = Path(tempfile.mkdtemp(prefix="gatecheck-bench-cache-"))
    state = Path(tempfile.mkdtemp(prefix="gatecheck-bench-state-"))
    env = {**ENV, "GATECHECK_CACHE_DIR": str(cache), "XDG_STATE_HOME": str(state)}
    env.pop("GATECHECK_NO_CACHE", None)
    output = Path(tempfile.mkdtemp(prefix="gatecheck-bench-out-")) / "report"
    evaluate = [GATECHECK, "--root", str(root), "evaluate", "--all", "--now", NOW]
    subprocess.run([*evaluate, "--format", "json"], env=env, capture_output=True, check=False)

    print(f"{args.subjects} subjects, median of {args.runs} runs; load average {_load()}")
    loop = medians([PYTHON, "-c", PYYAML_LOOP, *files], env, args.runs, output)
    print(_row("PyYAML CSafeLoader loop", loop, loop))
    if "evaluate" in commands:
        for fmt in args.formats.split(","):
            for jobs in args.jobs.split(","):
                found = medians([*evaluate, "--format", fmt, "-j", jobs], env, args.runs, output)
                print(_row(f"evaluate --all --format {fmt} -j {jobs}", found, loop))
    if "status" in commands:
        status = [GATECHECK, "--root", str(root), "status", "--now", NOW]
        for fmt in STATUS_FORMATS:
            for jobs in args.jobs.split(","):
                found = medians([*status, "--format", fmt, "-j", jobs], env, args.runs, output)
                print(_row(f"status --format {fmt} -j {jobs}", found, loop))
    if "check" in commands:
        repo = _repository(root, env)
        check = [GATECHECK, "--root", str(repo), "check", "--all", "--base", "HEAD", "--now", NOW]
        for fmt in CHECK_FORMATS:
            found = medians([*check, "--format", fmt], env, args.runs, output)
            print(_row(f"check --all --base HEAD --format {fmt}", found, loop))
        shutil.rmtree(repo.parent, ignore_errors=True)
    print(f"load average after: {_load()}")
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)
    shutil.rmtree(output.parent, ignore_errors=True)


def _repository(root: Path, env: dict[str, str]) -> Path:
    """A throwaway git repository holding a copy of the corpus in one commit, for `check`."""
    repo = Path(tempfile.mkdtemp(prefix="gatecheck-bench-repo-")) / "project"
    shutil.copytree(root, repo)
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    for command in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-q", "-m", "corpus"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True)
    return repo


def _row(name: str, found: dict[str, float], loop: dict[str, float]) -> str:
    return (
        f"  {name:40} wall {found['wall']:7.2f} s  cpu {found['cpu']:7.2f} s  "
        f"peak {found['rss_mb']:6.0f} MB  throughput x{loop['wall'] / found['wall']:.2f} "
        f"(cpu x{loop['cpu'] / found['cpu']:.2f})"
    )


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
