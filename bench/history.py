"""Measure `gatecheck history wasmtime` over two years of every proposal: commits, seconds, memory.

    python bench/history.py [--mirrors /work/.mirror] [--since 2024-08-21] [--to HEAD]
                            [--runs 3] [--json FILE]

Needs bare clones named as under /work/.mirror: bytecodealliance+wasmtime/repo, and the companions
bytecodealliance+wasm-tools, WebAssembly+proposals, bytecodealliance+wasmtime-{py,go,dotnet}.

1. `--runs` times, the installed `gatecheck history wasmtime` (the script beside sys.executable)
   with every companion, `--format json`, in a fresh process with a warm validation cache (one run
   before fills it): wall seconds and the peak resident memory of the process and of its git
   children (getrusage of the children, which also counts the git processes they waited for);
2. in this process, once: where the time goes. Reading history (the first-parent line, the
   changes, each companion's commits chosen), collecting facts (`Replay.facts` at every point),
   and the whole replay with judging and the timeline (`replay_history`); judging is the
   difference.

Prints commits considered, commits replayed, file versions read, and the numbers above. The target
(issue 13) is under a minute on this machine class (2 shared cores).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

PYTHON = sys.executable
GATECHECK = str(Path(PYTHON).parent / "gatecheck")
COMPANIONS = {
    "--wasm-tools": "bytecodealliance+wasm-tools",
    "--proposals": "WebAssembly+proposals",
}
EMBEDDINGS = {"python": "wasmtime-py", "go": "wasmtime-go", "dotnet": "wasmtime-dotnet"}


def arguments(mirrors: Path, since: str, to: str) -> list[str]:
    args = [str(mirrors / "bytecodealliance+wasmtime" / "repo"), "--since", since, "--to", to]
    for option, name in COMPANIONS.items():
        args += [option, str(mirrors / name / "repo")]
    for lang, name in EMBEDDINGS.items():
        args += ["--embedding", f"{lang}={mirrors / f'bytecodealliance+{name}' / 'repo'}"]
    return args


class Run(NamedTuple):
    seconds: float  # wall
    cpu: float  # user + system, of gatecheck and its git processes
    peak: float  # MiB, the largest of them
    data: dict[str, Any]  # the JSON output


def run_cli(args: list[str], root: Path, env: dict[str, str]) -> Run:
    """One run of the command in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [GATECHECK, "history", "wasmtime", *args, "--format", "json", "--root", str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in {0, 1}:
        sys.exit(f"gatecheck history failed ({done.returncode}):\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(seconds, cpu, after.ru_maxrss / 1024, json.loads(done.stdout))


def breakdown(args: list[str], root: Path) -> dict[str, float]:
    """Seconds spent reading history, collecting facts, and in the whole replay (in-process)."""
    from gatecheck.collectors.commit_walk import ReplayOptions
    from gatecheck.collectors.replay import Replay
    from gatecheck.collectors.table import load_table
    from gatecheck.commands.history.options import HistoryOptions
    from gatecheck.commands.history.replay import replay_history
    from gatecheck.project.layout import open_project

    path, _, since, _, to, *rest = args
    companions = dict(zip(rest[0::2], rest[1::2], strict=True))
    options = ReplayOptions(
        path,
        to=to,
        since=dt.date.fromisoformat(since),
        wasm_tools=companions["--wasm-tools"],
        proposals=companions["--proposals"],
        embeddings=tuple(
            value for key, value in zip(rest[0::2], rest[1::2], strict=True) if key == "--embedding"
        ),
    )
    found: dict[str, float] = {}
    start = time.perf_counter()
    with contextlib.ExitStack() as stack:
        replay = Replay(stack, load_table(), options)
        moments = list(replay.moments())
        found["reading history"] = time.perf_counter() - start
        for moment in moments:
            for item in replay.listed(moment):
                if not item.skipped:
                    replay.facts(moment, item.name)
        found["reading history + collecting"] = time.perf_counter() - start
    start = time.perf_counter()
    replay_history(open_project(str(root), None, None), HistoryOptions(options))
    found["the whole replay (+ judging, timeline)"] = time.perf_counter() - start
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--since", default="2024-08-21")
    parser.add_argument("--to", default="HEAD")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    options = parser.parse_args()
    args = arguments(options.mirrors, options.since, options.to)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"  # no policies/: the bundled ones judge
        root.mkdir()
        env = {**os.environ, "GATECHECK_CACHE_DIR": str(Path(scratch) / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        run_cli(args, root, env)  # fills the validation cache, as a user's second run finds it
        runs = [run_cli(args, root, env) for _ in range(options.runs)]
        os.environ["GATECHECK_CACHE_DIR"] = env["GATECHECK_CACHE_DIR"]
        phases = breakdown(args, root)
    seconds = [run.seconds for run in runs]
    data = runs[-1].data
    result = {
        "since": options.since,
        "to": data["to"],
        "commits considered": data["considered"],
        "commits replayed": data["replayed"],
        "file versions read": data["files_read"],
        "subjects": len(data["subjects"]),
        "seconds (fastest)": round(min(seconds), 2),
        "seconds (median)": round(statistics.median(seconds), 2),
        "CPU seconds (median, with git)": round(statistics.median(run.cpu for run in runs), 2),
        "peak MiB (gatecheck or a git)": round(max(run.peak for run in runs), 1),
        "in-process seconds": {name: round(value, 2) for name, value in phases.items()},
        "machine": f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
    }
    width = max(len(name) for name in result)
    for name, value in result.items():
        print(f"{name.ljust(width)}  {value}")
    if options.json:
        options.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
