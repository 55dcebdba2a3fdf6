"""Measure `gatecheck plan --format json` on policies of 100,000 and 1,000,000 steps.

    python bench/plan_scale.py [--steps 100000,1000000] [--runs 5]

For each size, writes bench/run.py's DAG corpus (`make_dag`: each step needs up to three
earlier ones; the evidence marks half the steps done) under bench/corpus/plan-N/ (git-ignored),
then runs, each as its own process:

1. the first run, cache cold: parse, validate, order and cache the policy, then plan;
2. the cached run, `--runs` times (median): the compiled policy read from the cache;
3. `python -c "import ..."` of what the command imports (median), to give the cost after imports.

Each line gives wall time, CPU time (user + system) and peak RSS of the process, and the load
average when it ran: the machine may be shared, so read CPU time beside wall time.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CORPUS, ENV, GATECHECK, PYTHON, REPO, make_dag

IMPORTS = (
    "import gatecheck.cli, gatecheck.commands.plan, gatecheck.evaluation.planning,"
    " gatecheck.reporters"
)


class Sample(NamedTuple):
    wall: float  # seconds
    cpu: float  # seconds, user + system
    peak_mib: float  # peak resident set size


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> Sample:
    """One run of `command`, its output discarded; exits on failure."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: nothing waits on a reader
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"{' '.join(command)} failed: {errors.read().decode()[-2000:]}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def median(samples: list[Sample]) -> Sample:
    return Sample(*(statistics.median(values) for values in zip(*samples, strict=True)))


def line(label: str, sample: Sample, note: str = "") -> None:
    load = os.getloadavg()[0]
    print(
        f"   {label:<34} {sample.wall:7.2f} s wall {sample.cpu:7.2f} s cpu"
        f" {sample.peak_mib:7.0f} MiB peak   load {load:4.1f}{note}",
        flush=True,
    )


def plan_at(steps: int, runs: int) -> None:
    root = CORPUS / f"plan-{steps}"
    make_dag(root, steps, random.Random(20261125))
    size = (root / "policies" / "dag.yaml").stat().st_size
    env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp(prefix="gatecheck-plan-scale-")}
    command = [GATECHECK, "plan", "big", "--format", "json"]
    print(f"plan on a {steps:,}-step DAG ({size / 1e6:.0f} MB policy)", flush=True)
    line("first run (cache cold)", measure(command, root, env))
    cached = median([measure(command, root, env) for _ in range(runs)])
    imported = median([measure([PYTHON, "-c", IMPORTS], root, env) for _ in range(runs)])
    line(f"cached policy (median of {runs})", cached)
    line(f"imports only (median of {runs})", imported)
    print(
        f"   after imports: {cached.wall - imported.wall:.2f} s wall,"
        f" {cached.cpu - imported.cpu:.2f} s cpu",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "engine")], env=ENV, check=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores", flush=True)
    for steps in (int(each) for each in args.steps.split(",")):
        plan_at(steps, args.runs)


if __name__ == "__main__":
    main()
