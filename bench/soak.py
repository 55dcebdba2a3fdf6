"""Kill `gatecheck record` at random moments and check that no evidence file is ever damaged.

    python bench/soak.py [--iterations 1000] [--pairs 50] [--seed 20261125] [--quick] [--json FILE]

Copies the repository's policies/, schemas/ and evidence/ to a temporary directory, measures the
median run of an uninterrupted `gatecheck record` (the installed script beside sys.executable),
then, `--iterations` times, starts `gatecheck record tail-call fuzzing.since DATE --source-url URL`
(DATE and URL alternate between two pairs, so the fact and its `sources` entry are rewritten
together) and sends it SIGKILL after a delay drawn uniformly from 0 to 1.2x the median run: some
kills land during start-up, some while the lock is held, some during the write, some after the
process has finished. After each kill it checks that

- every evidence file still loads and validates (gatecheck's own loader, in-process), and every file
  but the edited one is byte for byte as it was;
- the edited file is byte for byte the old text, or holds the new value with its new source (never
  a mix, never a truncated file);
- the evidence directory's lock is free (the kernel drops a killed process's flock): a non-blocking
  acquire succeeds at once;
- a temporary file (`.*.tmp`) is left only by a kill during the write; temporary files are counted
  and left in place, so the later checks also show that `validate` ignores them;
- every `--verify-every` iterations (and after the last), the next, uninterrupted `record` succeeds.

Then `--pairs` times, two processes record different facts (`spec_tests.passed` and
`spec_tests.ignored`, both set to the pair's number) in the same file at once: both must land.

The kill delays and values come from `--seed`; only the timing of the processes varies between
runs. `--quick` is 20 iterations and 3 pairs (tests/test_soak.py runs it). Exit 0 when nothing was
damaged, lost or blocked, 1 otherwise. `--json FILE` also writes the counts as JSON.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GATECHECK = str(Path(sys.executable).parent / "gatecheck")
SUBJECT = "tail-call"
FACT = "fuzzing.since"
VALUES = (
    (dt.date(2024, 9, 30), "https://example.org/soak/fuzzing-a"),
    (dt.date(2024, 10, 1), "https://example.org/soak/fuzzing-b"),
)


class Soak:
    def __init__(self, root: Path, seed: int) -> None:
        import random

        self.root = root
        self.evidence = root / "evidence"
        self.target = self.evidence / f"{SUBJECT}.yaml"
        self.rng = random.Random(seed)
        self.env = {**os.environ, "GATECHECK_CACHE_DIR": str(root / ".cache")}
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.counts: collections.Counter[str] = collections.Counter()
        self.by_delay: dict[str, collections.Counter[str]] = collections.defaultdict(
            collections.Counter
        )
        self.failures: list[str] = []
        self.others = self._snapshot_others()

    # -- one `record` run ---------------------------------------------------------------------

    def command(self, index: int) -> list[str]:
        date, url = VALUES[index % 2]
        return [GATECHECK, "record", SUBJECT, FACT, date.isoformat(), "--source-url", url]

    def run(self, index: int) -> float:
        start = time.perf_counter()
        done = subprocess.run(
            self.command(index), cwd=self.root, env=self.env, capture_output=True, check=False
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            self.failures.append(
                f"uninterrupted record {index} exited {done.returncode}: "
                f"{done.stderr.decode(errors='replace')[-500:]}"
            )
        return elapsed

    def measure(self, runs: int) -> float:
        self.run(0)  # unmeasured: compiles bytecode, fills the validation cache
        return statistics.median(self.run(index) for index in range(1, runs + 1))

    def kill_one(self, iteration: int, median: float) -> None:
        before = self.target.read_bytes()
        old = self._value(before)
        index = 1 if old == VALUES[0] else 0
        temps_before = set(self.temps())
        delay = self.rng.uniform(0, 1.2 * median)
        start = time.perf_counter()
        process = subprocess.Popen(
            self.command(index),
            cwd=self.root,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        remaining = delay - (time.perf_counter() - start)
        if remaining > 0:
            time.sleep(remaining)
        finished = process.poll() is not None
        if not finished:
            process.send_signal(signal.SIGKILL)
        _, err = process.communicate()
        bucket = f"{min(int(delay / median * 10), 11) / 10:.1f}"
        if finished:
            outcome = "finished before the kill"
            if process.returncode != 0:
                self.failures.append(
                    f"iteration {iteration}: record exited "
                    f"{process.returncode}: {err.decode(errors='replace')[-500:]}"
                )
        else:
            outcome = self._after_kill(iteration, before, index, temps_before)
        self.counts[outcome] += 1
        self.by_delay[bucket][outcome] += 1
        self.check_all(iteration)
        self._check_lock(iteration)

    def _after_kill(self, iteration: int, before: bytes, index: int, temps_before: set[str]) -> str:
        after = self.target.read_bytes()
        new_temps = set(self.temps()) - temps_before
        if new_temps:
            self.counts["temporary files left"] += len(new_temps)
        try:
            value = self._value(after)
        except Exception as error:  # noqa: BLE001 - any failure to read it is the finding
            self.failures.append(f"iteration {iteration}: edited file unreadable: {error}")
            return "CORRUPT"
        if after == before:
            return "killed during the write: old file" if new_temps else "killed before the write"
        if value == VALUES[index]:
            return "killed after the write: new value"
        self.failures.append(
            f"iteration {iteration}: edited file holds {value!r}, neither the old "
            f"value nor {VALUES[index]!r}"
        )
        return "CORRUPT"

    # -- checks -------------------------------------------------------------------------------

    def _value(self, data: bytes) -> tuple[Any, Any]:
        from gatecheck.loading.parsing import load_bytes

        document = load_bytes(data, f"evidence/{SUBJECT}.yaml").data
        return document["facts"]["fuzzing"]["since"], document["sources"][FACT]["url"]

    def check_all(self, iteration: int) -> None:
        from gatecheck.commands.validate import validate_project
        from gatecheck.project.layout import open_project

        if self._snapshot_others() != self.others:
            self.failures.append(f"iteration {iteration}: a file that was not edited changed")
        validation = validate_project(open_project(str(self.root)))
        if validation.problems or len(validation.evidence) != len(self.others) + 1:
            self.failures.append(f"iteration {iteration}: validate: {validation.problems!r}")
            self.counts["CORRUPT"] += 1

    def _check_lock(self, iteration: int) -> None:
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.evidence / ".gatecheck.lock"), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            self.failures.append(f"iteration {iteration}: the lock is still held after the kill")
            self.counts["lock held after a kill"] += 1
        else:
            lock.release()

    def temps(self) -> list[str]:
        return sorted(p.name for p in self.evidence.glob(".*.tmp"))

    def _snapshot_others(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in self.evidence.glob("*.yaml") if p != self.target}

    # -- two writers --------------------------------------------------------------------------

    def pairs(self, count: int) -> int:
        from gatecheck.loading.parsing import load_bytes

        lost = 0
        for pair in range(1, count + 1):
            processes = [
                subprocess.Popen(
                    [GATECHECK, "record", SUBJECT, f"spec_tests.{fact}", str(pair)],
                    cwd=self.root,
                    env=self.env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
                for fact in ("passed", "ignored")
            ]
            for process in processes:
                _, err = process.communicate()
                if process.returncode != 0:
                    self.failures.append(
                        f"pair {pair}: exited {process.returncode}: "
                        f"{err.decode(errors='replace')[-500:]}"
                    )
            tests = load_bytes(self.target.read_bytes(), SUBJECT).data["facts"]["spec_tests"]
            if tests.get("passed") != pair or tests.get("ignored") != pair:
                lost += 1
                self.failures.append(f"pair {pair}: lost update: spec_tests = {tests!r}")
        self.check_all(-1)
        return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--verify-every", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="20 iterations and 3 pairs")
    parser.add_argument("--json", type=Path, help="also write the counts to this file")
    args = parser.parse_args()
    if args.quick:
        args.iterations, args.pairs = 20, 3
    with tempfile.TemporaryDirectory(prefix="gatecheck-soak-") as temp:
        root = Path(temp)
        for name in ("policies", "schemas", "evidence"):
            shutil.copytree(
                REPO / name, root / name, ignore=shutil.ignore_patterns("__*", ".*.tmp")
            )
        os.environ["GATECHECK_CACHE_DIR"] = str(root / ".cache")  # for the in-process checks
        sys.path.insert(0, str(REPO / "engine"))
        return soak(Soak(root, args.seed), args)


def soak(run: Soak, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    median = run.measure(9)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {platform.platform()}")
    print(
        f"median uninterrupted `gatecheck record`: {median * 1000:.0f} ms; kills uniform over "
        f"0 .. {1.2 * median * 1000:.0f} ms, seed {args.seed}"
    )
    verified = 0
    for iteration in range(1, args.iterations + 1):
        run.kill_one(iteration, median)
        if iteration % args.verify_every == 0 or iteration == args.iterations:
            run.run(iteration)  # the next record must succeed: no stale lock, no stale temp file
            run.check_all(iteration)
            verified += 1
        if iteration % 100 == 0:
            print(f"  {iteration} kills, {time.perf_counter() - started:.0f} s", flush=True)
    kill_seconds = time.perf_counter() - started
    lost = run.pairs(args.pairs)
    total = time.perf_counter() - started
    left = len(run.temps())
    result = {
        "iterations": args.iterations,
        "seed": args.seed,
        "median_run_ms": round(median * 1000, 1),
        "outcomes": dict(sorted(run.counts.items())),
        "by_delay": {k: dict(v) for k, v in sorted(run.by_delay.items())},
        "temporary_files_present_at_end": left,
        "verified_next_runs": verified,
        "corrupt": run.counts["CORRUPT"],
        "lock_held_after_kill": run.counts["lock held after a kill"],
        "pairs": args.pairs,
        "lost_updates": lost,
        "failures": run.failures,
        "kill_phase_seconds": round(kill_seconds, 1),
        "total_seconds": round(total, 1),
    }
    print("outcomes:")
    for outcome, count in sorted(run.counts.items()):
        print(f"  {outcome:<40} {count:5d}")
    print("outcomes by kill delay (fraction of the median run):")
    for bucket, counter in sorted(run.by_delay.items()):
        print(f"  {bucket}: " + ", ".join(f"{k} {v}" for k, v in sorted(counter.items())))
    failed_runs = sum("uninterrupted" in failure for failure in run.failures)
    print(f"uninterrupted runs after a kill that succeeded: {verified - failed_runs} of {verified}")
    print(f"temporary files in evidence/ at the end: {left} (ignored by validate)")
    print(f"two writers: {args.pairs} pairs, {lost} lost updates")
    print(f"time: {kill_seconds:.0f} s for the kills, {total:.0f} s in all")
    for failure in run.failures:
        print("FAILURE:", failure)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
