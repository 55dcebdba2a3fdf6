"""In-process verdicts only, gatecheck against peers, in interleaved rounds: medians of each.

    python bench/in_process.py [--rounds 7] [--engines datalogic] [--subjects N]

Run it with the dev virtualenv's Python after a full `bench/peers.py` run (it reuses that run's
corpus, bench/corpus/peers/, whose verdicts agreed). bench/peers.py times each path once; on a
machine shared with other jobs one loop can be slowed by half, so this script times every path
`--rounds` times, round after round: in each round gatecheck's paths in this process, then each
peer's judging loop in its own worker process (the peers' virtualenv), which loads the corpus
once and times one loop per line it reads. A change of the machine's load then touches every
path alike. It prints the median wall and CPU rates, each path's spread, the ratios and the load
average, and checks every round's verdicts against gatecheck's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers  # the harness beside this script: corpus, rules and peers' sources


def timed(loop: Any) -> tuple[float, float, list[str]]:
    start, cpu = time.perf_counter(), time.process_time()
    verdicts = loop()
    return time.perf_counter() - start, time.process_time() - cpu, verdicts


def worker(listing: str, name: str) -> None:
    """In the peers' virtualenv: load the corpus, compile, then one timed loop per input line."""
    from ruamel.yaml import YAML

    loader = YAML(typ="safe")
    docs = []
    for path in Path(listing).read_text().split("\n"):
        with open(path, "rb") as f:
            docs.append(loader.load(f))
    judge = peers.make_judge(name)
    print(json.dumps({"ready": True}), flush=True)
    for _ in sys.stdin:
        wall, cpu, verdicts = timed(lambda: [peers.as_bits(judge(doc)) for doc in docs])
        print(json.dumps({"wall": wall, "cpu": cpu, "verdicts": verdicts}), flush=True)


def gatecheck_paths(files: list[str]) -> dict[str, Any]:
    """The loops of gatecheck over its loaded evidence: generated gate, closures, evaluate."""
    sys.path.insert(0, str(peers.REPO / "engine"))
    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.verdicts import evaluate_subject
    from gatecheck.loading.evidence import load_evidence
    from gatecheck.loading.policies import load_policies
    from gatecheck.project.layout import open_project

    project = open_project(str(peers.ROOT))
    wanted = {os.path.basename(f) for f in files}
    chosen = [f for f in project.evidence.yaml_files() if os.path.basename(f.display) in wanted]
    evidence = sorted(load_evidence(chosen, load_policies(project)), key=lambda e: e.subject)
    (gate,) = [g for g in evidence[0].policy.gates if g.id == peers.GATE]
    conditions = [rule.require for rule in gate.rules]
    now = peers.NOW

    def bits(values: Any) -> str:
        return "".join("1" if value is True else "0" for value in values)

    def generated() -> list[str]:
        return [bits(Evaluator(item, now).truth.gate(gate)) for item in evidence]

    def closures() -> list[str]:
        out = []
        for item in evidence:
            holds = Evaluator(item, now).truth.holds
            out.append(bits(holds(c) for c in conditions))
        return out

    def evaluate() -> list[str]:
        out = []
        for item in evidence:
            (result,) = evaluate_subject(item, now, peers.GATE).gates
            out.append("".join("1" if r.status.value == "pass" else "0" for r in result.rules))
        return out

    return {
        "gatecheck verdicts (generated gate function)": generated,
        "gatecheck verdicts (closures, one call per rule)": closures,
        "gatecheck evaluate_subject": evaluate,
    }


Samples = dict[str, list[tuple[float, float]]]


def rounds(paths: dict[str, Any], workers: dict[str, Any], count: int) -> Samples:
    """Every path once per round, gatecheck's then each peer's; verdicts checked every time."""
    import gc

    samples: Samples = {label: [] for label in [*paths, *workers]}
    reference: list[str] = []
    for _ in range(count + 1):  # the first round warms up, and is not counted
        for label, loop in paths.items():
            gc.disable()  # as in the CLI
            wall, cpu, verdicts = timed(loop)
            gc.enable()
            reference = reference or verdicts
            if verdicts != reference:
                sys.exit(f"{label} disagrees with the generated gate")
            samples[label].append((wall, cpu))
        for name, process in workers.items():
            process.stdin.write("go\n")
            process.stdin.flush()
            found = json.loads(process.stdout.readline())
            if peers.disagreements(reference, found["verdicts"], peers.ENGINES[name].rules):
                sys.exit(f"{name} disagrees with gatecheck")
            samples[name].append((found["wall"], found["cpu"]))
    return {label: found[1:] for label, found in samples.items()}


def summarize(n: int, samples: Samples, paths: list[str], names: list[str]) -> None:
    print(f"{n:,} subjects; subjects/s, median (min-max) of the rounds")
    rates = {}
    for label, found in samples.items():
        walls = [n / wall for wall, _ in found]
        cpus = [n / cpu for _, cpu in found]
        rates[label] = (statistics.median(walls), statistics.median(cpus))
        print(
            f"  {label:<50} wall {rates[label][0]:8,.0f} ({min(walls):,.0f}-{max(walls):,.0f})"
            f"  CPU {rates[label][1]:8,.0f} ({min(cpus):,.0f}-{max(cpus):,.0f})"
        )
    for name in names:
        for label in paths:
            wall = rates[label][0] / rates[name][0]
            cpu = rates[label][1] / rates[name][1]
            print(f"  {label} / {name}: {wall:.2f}x wall, {cpu:.2f}x CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--engines", default="datalogic")
    parser.add_argument("--subjects", type=int, default=0, help="the first N files (0: all)")
    parser.add_argument("--worker", nargs=2, metavar=("FILE_LIST", "ENGINE"))
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    listing = peers.ROOT / "files.txt"
    if not listing.exists():
        sys.exit("no corpus: run bench/peers.py first")
    files = listing.read_text().split("\n")[: args.subjects or None]
    chosen = peers.ROOT / "in-process-files.txt"
    chosen.write_text("\n".join(files))
    names = [name for name in args.engines.split(",") if name]
    command = [str(peers.PEERS_PYTHON), __file__, "--worker", str(chosen)]
    workers = {
        name: subprocess.Popen(
            [*command, name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for name in names
    }
    paths = gatecheck_paths(files)
    for process in workers.values():
        json.loads(process.stdout.readline())  # loaded and compiled: ready
    load_before = os.getloadavg()
    print(f"{args.rounds} rounds after a warm-up round")
    samples = rounds(paths, workers, args.rounds)
    for process in workers.values():
        process.stdin.close()
        process.wait()
    summarize(len(files), samples, list(paths), names)
    print(f"load average before {load_before}, after {os.getloadavg()}")


if __name__ == "__main__":
    main()
