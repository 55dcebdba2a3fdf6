"""Measure `gatecheck status` in every format at 1,000 and 10,000 subjects: bytes and seconds.

    python bench/reports.py [--sizes 1000,10000] [--runs 3] [--formats text,markdown,json,html]
                            [--shape bundled|random] [--keep DIR] [--process]

Generates a corpus per size under bench/corpus/reports-SHAPE-N/ (git-ignored; see `make_corpus`
for the two shapes). For each size, builds the status report in this process once (after one
unmeasured build that fills the validation cache) and says what that took: judging is the same
for every format. Then, for each format, renders the report `--runs` times and prints the output's
size in bytes (UTF-8), the median wall time and the median CPU time of rendering.
`--process` also times one whole `gatecheck status --format F` process per format (the installed
script beside this Python, the same warm cache).

The machine is shared: the load average is printed beside the numbers, and CPU time is the figure
to compare across runs. `--keep DIR` writes each output there (e.g. to open the HTML page).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "bench" / "corpus"
PYTHON = sys.executable
GATECHECK = str(Path(PYTHON).parent / "gatecheck")
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
NOW = "2026-11-25"
FORMATS = ("text", "markdown", "json", "html")

sys.path.insert(0, str(REPO / "bench"))
from run import empty_project, evidence_text, made  # noqa: E402 - bench/run.py's evidence, one corpus shape for both


def make_corpus(subjects: int, shape: str) -> Path:
    """A project of `subjects` evidence files and the bundled policies, made once per size.

    `bundled`: the bundled wasm-proposal@2 evidence (real proposals, a mix of verdicts, declared
    columns) copied round-robin under new names, `p00042-tail-call`; `random`: bench/run.py's
    synthetic evidence for wasm-proposal@1 (random facts: nearly every subject fails, so every row
    has a plan).
    """
    root = CORPUS / f"reports-{shape}-{subjects}"
    if made(root, subjects):
        return root
    evidence = empty_project(root) / "evidence"
    if shape == "random":
        rng = random.Random(20261207)
        for index in range(subjects):
            (evidence / f"p{index:05d}.yaml").write_text(evidence_text(index, rng))
        return root
    originals = [
        (path.stem, path.read_text(encoding="utf-8"))
        for path in sorted((REPO / "evidence").glob("*.yaml"))
        if "policy: wasm-proposal@2" in path.read_text(encoding="utf-8")
    ]
    for index in range(subjects):
        name, text = originals[index % len(originals)]
        renamed = f"p{index:05d}-{name}"
        copy = re.sub(
            f"^subject: {name}$", f"subject: {renamed}", text, count=1, flags=re.MULTILINE
        )
        (evidence / f"{renamed}.yaml").write_text(copy, encoding="utf-8")
    return root


def build_report(root: Path) -> tuple[Any, float, float]:
    """The corpus's status report, built in this process: the report, wall and CPU seconds."""
    sys.path.insert(0, str(REPO / "engine"))
    import datetime as dt
    import gc

    from gatecheck.commands.status import status_report
    from gatecheck.project.layout import open_project

    gc.disable()  # as the CLI runs
    project = open_project(str(root))
    status_report(project, None, dt.date.fromisoformat(NOW))  # fills the validation cache
    wall, cpu = time.perf_counter(), time.process_time()
    report = status_report(project, None, dt.date.fromisoformat(NOW))
    return report, time.perf_counter() - wall, time.process_time() - cpu


def render(report: Any, fmt: str, runs: int) -> tuple[int, float, float]:
    """Bytes of the output (UTF-8), median wall and median CPU seconds of `runs` renderings."""
    from gatecheck.reporters import STATUS_REPORTERS

    reporter = STATUS_REPORTERS[fmt]
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        text = reporter.render_status(report)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return len(text.encode()), statistics.median(walls), statistics.median(cpus)


def whole_process(root: Path, fmt: str) -> tuple[float, float]:
    """Wall and CPU seconds of one `gatecheck status --format fmt` (validation cache warm)."""
    command = [GATECHECK, "status", "--format", fmt, "--now", NOW]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=ENV, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in {0, 1}:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]!r}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def measure(subjects: int, args: argparse.Namespace) -> None:
    root = make_corpus(subjects, args.shape)
    report, wall, cpu = build_report(root)
    print(f"\n{subjects:,} subjects ({root.relative_to(REPO)})")
    print(
        f"   judging (status_report, in process)  {wall:7.2f} s wall {cpu:7.2f} s cpu   load {load()}"
    )
    print(f"   {'format':<9} {'bytes':>12} {'wall s':>8} {'cpu s':>7}   load")
    for fmt in args.formats.split(","):
        size, wall, cpu = render(report, fmt, args.runs)
        print(f"   {fmt:<9} {size:>12,} {wall:8.3f} {cpu:7.3f}   {load()}")
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            suffix = {"text": "txt", "markdown": "md"}.get(fmt, fmt)
            from gatecheck.reporters import STATUS_REPORTERS

            output = STATUS_REPORTERS[fmt].render_status(report)
            (args.keep / f"status-{args.shape}-{subjects}.{suffix}").write_text(output, "utf-8")
        if args.process:
            wall, cpu = whole_process(root, fmt)
            print(f"   {'':<9} {'whole process':>12} {wall:8.3f} {cpu:7.3f}   {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--shape", choices=("bundled", "random"), default="bundled")
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--process", action="store_true", help="also time a whole process")
    args = parser.parse_args()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "engine")], env=ENV, check=True)
    os.environ["GATECHECK_CACHE_DIR"] = ENV["GATECHECK_CACHE_DIR"] = tempfile.mkdtemp()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, `gatecheck status` at {NOW}")
    for size in (int(part) for part in args.sizes.split(",")):
        measure(size, args)


if __name__ == "__main__":
    main()
