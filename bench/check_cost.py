"""Measure `gatecheck check` with one changed evidence file in repositories of 1k, 10k, 100k files.

    python bench/check_cost.py [--sizes 1000,10000,100000] [--runs 5] [--before main]
                               [--keep DIR]

For each size, a git repository is generated in a temporary directory (never in this checkout):
the bundled policies and schemas, and N evidence files judged by wasm-proposal (bench/run.py's
corpus), committed on `main`; the branch `change` then edits one subject's facts and commits.
Side by side in one run, alternating so that the machine's load falls on both alike:

- `check` with the engine of `--before` (default `main`, extracted with `git archive` and put
  first on PYTHONPATH), and with this checkout's engine (the one installed in this Python);
- `evaluate` of the changed subject, the reference, with a warm validation cache and with none
  (`check` reads no cache at all, by design: its verdict rests only on what it validated);
- `check --all`, once per engine, for scale.

Each number is the median of `--runs` runs of a fresh process, after one warm-up: wall time, and
CPU time (user + system, the process and its git children), which a shared machine's load moves
less. `check` with the engine before is run `--slow-runs` times (default 1, no warm-up) from
10,000 files up, and `check --all` only up to `--all-up-to` files: they take minutes there. The
reports of both engines' `check` must be identical (JSON): the script stops if not. Bytecode is
compiled first, as a pip-installed gatecheck has it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import evidence_text  # bench/run.py's corpus, one subject per file

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NOW = "2026-11-25"
CHANGED = 42  # the index of the subject the change edits
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], env=ENV, check=True, capture_output=True)


def make_repository(root: Path, subjects: int) -> str:
    """The repository, its change committed on `change`; the changed subject's name."""
    rng = random.Random(20261125)
    (root / "evidence").mkdir(parents=True)
    shutil.copytree(REPO / "policies", root / "policies", ignore=shutil.ignore_patterns("tests"))
    shutil.copytree(REPO / "schemas", root / "schemas")
    for index in range(subjects):
        (root / "evidence" / f"p{index:05d}.yaml").write_text(evidence_text(index, rng))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    git(root, "checkout", "-q", "-b", "change")
    changed = root / "evidence" / f"p{CHANGED:05d}.yaml"
    flipped = {"true": "false", "false": "true"}  # the subject's `docs` fact, turned over
    text = re.sub(r"\n  docs: (\w+)", lambda m: f"\n  docs: {flipped[m[1]]}", changed.read_text())
    changed.write_text(text)
    git(root, "commit", "-q", "-am", "one subject's docs are done")
    return f"p{CHANGED:05d}"


def engine_of(ref: str, into: Path) -> Path:
    """This checkout's engine/ at `ref`, extracted under `into`: a directory for PYTHONPATH."""
    archive = into / "engine.tar"
    with archive.open("wb") as out:
        subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", ref, "engine"],
            stdout=out,
            check=True,
        )
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    engine = into / "engine"
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(engine)], env=ENV, check=True)
    return engine


class Sample(NamedTuple):
    wall: float
    cpu: float


def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[Sample, bytes]:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime
    if done.returncode not in {0, 1}:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]!r}")
    return Sample(seconds, cpu), done.stdout


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples), statistics.median(s.cpu for s in samples)
    )


def measure(
    root: Path, before: Path, runs: int, slow_runs: int, *, every: bool
) -> dict[str, Sample]:
    """Median of each command, alternating between them run by run."""
    subject = f"p{CHANGED:05d}"
    nocache = {**ENV, "GATECHECK_NO_CACHE": "1"}
    warm = {**ENV, "GATECHECK_CACHE_DIR": str(before.parent / f"cache-{root.name}")}
    old = {**ENV, "PYTHONPATH": str(before)}
    check = [PYTHON, "-m", "gatecheck", "check", "--base", "main", "--now", NOW]
    commands = {
        "check, before": (check, old),
        "check, after": (check, ENV),
        "evaluate, warm cache": ([PYTHON, "-m", "gatecheck", "evaluate", subject], warm),
        "evaluate, no cache": ([PYTHON, "-m", "gatecheck", "evaluate", subject], nocache),
    }
    reports = {}
    for name in ("check, before", "check, after"):
        command, env = commands[name]
        reports[name] = json.loads(run([*command, "--format", "json"], root, env)[1])
    if reports["check, before"] != reports["check, after"]:
        sys.exit(f"the engines' reports differ in {root}:\n{reports}")
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    slow = "check, before"
    for attempt in range(runs + 1):
        for name, (command, env) in commands.items():
            if name == slow and (attempt == 0 or attempt > slow_runs):
                continue
            sample, _ = run(command, root, env)
            if attempt:
                samples[name].append(sample)
    result = {name: median(values) for name, values in samples.items()}
    if every:
        for name, env in (("check --all, before", old), ("check --all, after", ENV)):
            result[name] = run([*check, "--all"], root, env)[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow-runs", type=int, default=1, help="runs of `check` before, 10k up")
    parser.add_argument("--all-up-to", type=int, default=10_000, help="largest size for --all")
    parser.add_argument("--before", default="main", help="the git ref whose engine is 'before'")
    parser.add_argument("--keep", type=Path, help="generate (or reuse) the repositories here")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "engine")], env=ENV, check=True)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="check-cost-") as temporary:
        place = args.keep or Path(temporary)
        before = engine_of(args.before, Path(temporary))
        rows = []
        for size in sizes:
            root = place / f"repo-{size}"
            if not (root / ".git").exists():
                print(f"generating {size:,} evidence files ...", flush=True)
                make_repository(root, size)
            slow = args.runs if size < 10_000 else args.slow_runs
            result = measure(root, before, args.runs, slow, every=size <= args.all_up_to)
            rows.append((size, result))
            print(
                f"{size:>7,} files: "
                + ", ".join(f"{k} {v.wall:.3f} s ({v.cpu:.3f} CPU s)" for k, v in result.items()),
                flush=True,
            )
    print(f"\nmedians of {args.runs} runs; before = {args.before}'s engine; wall (CPU) seconds\n")
    print(
        "| evidence files | `check`, before | `check`, after | `evaluate` of the subject,"
        " warm cache | `evaluate`, no cache | after / evaluate warm | after / evaluate no cache |"
        " `check --all`, before / after |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size, r in rows:
        after = r["check, after"]
        warm, cold = r["evaluate, warm cache"], r["evaluate, no cache"]
        every = r.get("check --all, before"), r.get("check --all, after")
        whole = f"{every[0].wall:.1f} / {every[1].wall:.1f} s" if every[0] and every[1] else "-"
        print(
            f"| {size:,} | {_cell(r['check, before'])} | {_cell(after)} | {_cell(warm)}"
            f" | {_cell(cold)} | {after.wall / warm.wall:.1f}x ({after.cpu / warm.cpu:.1f}x)"
            f" | {after.wall / cold.wall:.1f}x ({after.cpu / cold.cpu:.1f}x) | {whole} |"
        )


def _cell(sample: Sample) -> str:
    return f"{sample.wall:.2f} s ({sample.cpu:.2f})"


if __name__ == "__main__":
    main()
