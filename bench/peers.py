"""Gate `enable-by-default` of wasm-proposal@1 with gatecheck and with peer engines, in one run.

    python bench/peers.py [--subjects 10000] [--runs 10] [--batch-runs 3]

Run it with the dev virtualenv's Python (it holds gatecheck). The peers live only in the
benchmark's own virtualenv, bench/.venv-peers (git-ignored), created once with:

    python3 -m venv bench/.venv-peers
    bench/.venv-peers/bin/pip install cel-python rule-engine panzi-json-logic regopy 'ruamel.yaml[oldlibyaml]'

This script re-runs itself with that virtualenv's Python (`--worker`) for the peers' part, and for
their one-shot processes (`--one-shot ENGINE FILE`).

The corpus (bench/corpus/peers/, git-ignored) has varied facts so every rule passes for some
subjects and fails for others. Every engine gets the same rules, translated by hand below; the
run checks they all give the same verdict per subject and rule (gatecheck's `missing` counts as
a fail: the peers have two values). Results: a table, and bench/out/peers.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
ROOT = REPO / "bench" / "corpus" / "peers"
OUT = REPO / "bench" / "out" / "peers.json"
PEERS_PYTHON = REPO / "bench" / ".venv-peers" / "bin" / "python"
PYTHON = sys.executable
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
NOW = dt.date(2026, 11, 25)
GATE = "enable-by-default"
RULES = (
    "phase-4",
    "spec-tests-pass",
    "no-open-concerns",
    "fuzzed-a-week",
    "fuzzers-exercise-proposal",
    "rust-api",
    "c-api",
    "other-language",
)
REVIEWERS = ("alexcrichton", "fitzgen", "cfallin", "abrown", "dicej", "saulecabrera", "pchickey")
OUTSIDERS = ("mallory", "newcomer")
WITHIN_DAYS = 26 * 7  # `within: 26w`
PEERS = ("cel", "rule-engine", "jsonlogic", "rego")

MINIMAL_RUAMEL = (
    "import sys\nfrom ruamel.yaml import YAML\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    YAML(typ='safe').load(f)\n"
)

# -- corpus ---------------------------------------------------------------------------------------


def evidence_text(index: int, rng: random.Random) -> str:
    def flag(p: float = 0.75) -> str:
        return "true" if rng.random() < p else "false"

    as_of = NOW - dt.timedelta(days=rng.randrange(0, 7))  # elapsed time counts to as_of
    since = NOW - dt.timedelta(days=rng.randrange(0, 20))
    apis = {"rust": flag(), "c": flag()}
    for name in rng.sample(["python", "go", "dotnet", "ruby"], rng.randrange(0, 4)):
        apis[name] = flag(0.5)
    concerns = []
    for n in range(rng.randrange(0, 3)):
        kind = rng.choice(["bug", "open-question", "design-concern"])
        severity = rng.choice(["minor", "minor", "serious"])
        status = rng.choice(["open", "resolved", "resolved"])
        concerns.append(
            f"    - {{title: C{n}, kind: {kind}, severity: {severity}, status: {status}}}"
        )
    claimed_by = rng.choice([None, None, None, *REVIEWERS[:3]])
    attestations = []
    for _ in range(rng.randrange(0, 4)):
        judgement = rng.choice(["no-open-concerns", "fuzzers-exercise-proposal"])
        who = rng.choice([*REVIEWERS, *OUTSIDERS])
        # some stale; none after NOW, which gatecheck refuses (dated-after-judging)
        date = NOW - dt.timedelta(days=rng.randrange(0, 260))
        attestations.append(f"  - {{judgement: {judgement}, by: {who}, date: {date}}}")
    lines = [
        f"subject: p{index:05d}",
        "policy: wasm-proposal@1",
        f"as_of: {as_of}",
        *([f"claimed_by: {claimed_by}"] if claimed_by else []),
        "facts:",
        f"  proposal: {{name: Proposal {index}, phase: {rng.choice([2, 3, 4, 4, 5])}}}",
        f"  wasm_tools: {{wasmparser: {flag()}, wat: {flag()}, wast: {flag()}}}",
        f"  wasmtime: {{config_method: {flag()}, cli_flag: {flag()}}}",
        (
            f"  spec_tests: {{enabled: {flag()}, passed: {rng.randrange(500)},"
            f" failed: {rng.choice([0, 0, 0, 1])}, ignored: {rng.choice([0, 0, 0, 2])}}}"
        ),
        f"  fuzzing: {{targets: {flag()}, since: {since}, corpus: {flag()}, custom: {flag()}}}",
        "  apis: {" + ", ".join(f"{k}: {v}" for k, v in apis.items()) + "}",
        "  concerns:" + ("" if concerns else " []"),
        *concerns,
        "attestations:" + ("" if attestations else " []"),
        *attestations,
    ]
    return "\n".join(lines) + "\n"


def make_corpus(subjects: int) -> list[str]:
    rng = random.Random(20261125)
    if ROOT.exists():
        shutil.rmtree(ROOT)
    (ROOT / "evidence").mkdir(parents=True)
    (ROOT / "policies").mkdir()
    shutil.copy(REPO / "policies" / "wasm-proposal.yaml", ROOT / "policies")
    shutil.copytree(REPO / "schemas", ROOT / "schemas")
    files = []
    for index in range(subjects):
        path = ROOT / "evidence" / f"p{index:05d}.yaml"
        path.write_text(evidence_text(index, rng))
        files.append(str(path))
    return files


# -- the rules, per peer --------------------------------------------------------------------------

_REV = "[" + ", ".join(f"'{r}'" for r in REVIEWERS) + "]"


def _cel_attested(judgement: str) -> str:
    return (
        f"atts.exists(a, a.judgement == '{judgement}' && a.by in {_REV} && a.by != claimed_by"
        " && timestamp(a.date) <= timestamp(now)"
        f" && timestamp(a.date) >= timestamp(now) - duration('{WITHIN_DAYS * 24}h'))"
    )


CEL = {
    "phase-4": "f.proposal.phase >= 4",
    "spec-tests-pass": (
        "f.spec_tests.enabled == true && f.spec_tests.failed == 0 && f.spec_tests.ignored == 0"
    ),
    "no-open-concerns": (
        "!f.concerns.exists(c, c.status == 'open'"
        " && (c.kind in ['open-question', 'design-concern'] || c.severity == 'serious'))"
        f" && {_cel_attested('no-open-concerns')}"
    ),
    "fuzzed-a-week": "timestamp(f.fuzzing.since) <= timestamp(observed) - duration('168h')",
    "fuzzers-exercise-proposal": (
        "f.fuzzing.custom == true && f.fuzzing.corpus == true"
        f" && {_cel_attested('fuzzers-exercise-proposal')}"
    ),
    "rust-api": "f.apis.rust == true",
    "c-api": "f.apis.c == true",
    "other-language": "f.apis.filter(k, !(k in ['rust', 'c']) && f.apis[k] == true).size() >= 1",
}


def _re_attested(judgement: str) -> str:
    return (
        f"[a for a in atts if a['judgement'] == '{judgement}' and a['by'] in {_REV}"
        " and a['by'] != claimed_by and a['date'] <= now"
        f" and a['date'] >= now - t'P{WITHIN_DAYS}D'].length >= 1"
    )


RULE_ENGINE = {
    "phase-4": "f['proposal']['phase'] >= 4",
    "spec-tests-pass": (
        "f['spec_tests']['enabled'] == true and f['spec_tests']['failed'] == 0"
        " and f['spec_tests']['ignored'] == 0"
    ),
    "no-open-concerns": (
        "[c for c in f['concerns'] if c['status'] == 'open' and"
        " (c['kind'] in ['open-question', 'design-concern'] or c['severity'] == 'serious')]"
        f".length == 0 and {_re_attested('no-open-concerns')}"
    ),
    "fuzzed-a-week": "f['fuzzing']['since'] <= observed - t'P7D'",
    "fuzzers-exercise-proposal": (
        "f['fuzzing']['custom'] == true and f['fuzzing']['corpus'] == true"
        f" and {_re_attested('fuzzers-exercise-proposal')}"
    ),
    "rust-api": "f['apis']['rust'] == true",
    "c-api": "f['apis']['c'] == true",
    "other-language": (
        "[k for k in f['apis'].keys if k not in ['rust', 'c'] and f['apis'][k] == true].length >= 1"
    ),
}


def _jl_attested(judgement: str) -> dict[str, Any]:
    # JsonLogic's `some` sees only the item: each attestation carries now_day and claimed_by.
    return {
        "some": [
            {"var": "atts"},
            {
                "and": [
                    {"==": [{"var": "judgement"}, judgement]},
                    {"in": [{"var": "by"}, list(REVIEWERS)]},
                    {"!=": [{"var": "by"}, {"var": "claimed_by"}]},
                    {"<=": [{"var": "day"}, {"var": "now_day"}]},
                    {">=": [{"var": "day"}, {"-": [{"var": "now_day"}, WITHIN_DAYS]}]},
                ]
            },
        ]
    }


def _jl_true(path: str) -> dict[str, Any]:
    return {"===": [{"var": path}, True]}


JSONLOGIC: dict[str, Any] = {
    "phase-4": {">=": [{"var": "f.proposal.phase"}, 4]},
    "spec-tests-pass": {
        "and": [
            _jl_true("f.spec_tests.enabled"),
            {"===": [{"var": "f.spec_tests.failed"}, 0]},
            {"===": [{"var": "f.spec_tests.ignored"}, 0]},
        ]
    },
    "no-open-concerns": {
        "and": [
            {
                "none": [
                    {"var": "f.concerns"},
                    {
                        "and": [
                            {"==": [{"var": "status"}, "open"]},
                            {
                                "or": [
                                    {"in": [{"var": "kind"}, ["open-question", "design-concern"]]},
                                    {"==": [{"var": "severity"}, "serious"]},
                                ]
                            },
                        ]
                    },
                ]
            },
            _jl_attested("no-open-concerns"),
        ]
    },
    "fuzzed-a-week": {"<=": [{"var": "since_day"}, {"-": [{"var": "observed_day"}, 7]}]},
    "fuzzers-exercise-proposal": {
        "and": [
            _jl_true("f.fuzzing.custom"),
            _jl_true("f.fuzzing.corpus"),
            _jl_attested("fuzzers-exercise-proposal"),
        ]
    },
    "rust-api": _jl_true("f.apis.rust"),
    "c-api": _jl_true("f.apis.c"),
    # count >= 1 is `some`; JsonLogic iterates arrays only: apis comes as [key, value] pairs.
    "other-language": {
        "some": [
            {"var": "apis"},
            {"and": [{"!": {"in": [{"var": "0"}, ["rust", "c"]]}}, {"===": [{"var": "1"}, True]}]},
        ]
    },
}

REGO = """package gate

reviewers := {REVIEWER_NAMES}
day := 86400000000000
now_ns := time.parse_ns("2006-01-02", input.now)
observed_ns := time.parse_ns("2006-01-02", input.observed)

attested contains j if {
  some a in input.attestations
  j := a.judgement
  a.by in reviewers
  a.by != input.claimed_by
  t := time.parse_ns("2006-01-02", a.date)
  t <= now_ns
  t >= now_ns - WITHIN_DAYS * day
}

open_concern if {
  some c in input.facts.concerns
  c.status == "open"
  c.kind in {"open-question", "design-concern"}
}

open_concern if {
  some c in input.facts.concerns
  c.status == "open"
  c.severity == "serious"
}

other_languages contains k if {
  some k, v in input.facts.apis
  not k in {"rust", "c"}
  v == true
}

default phase_4 := false
phase_4 if input.facts.proposal.phase >= 4

default spec_tests_pass := false
spec_tests_pass if {
  input.facts.spec_tests.enabled == true
  input.facts.spec_tests.failed == 0
  input.facts.spec_tests.ignored == 0
}

default no_open_concerns := false
no_open_concerns if {
  not open_concern
  "no-open-concerns" in attested
}

default fuzzed_a_week := false
fuzzed_a_week if time.parse_ns("2006-01-02", input.facts.fuzzing.since) <= observed_ns - 7 * day

default fuzzers_exercise := false
fuzzers_exercise if {
  input.facts.fuzzing.custom == true
  input.facts.fuzzing.corpus == true
  "fuzzers-exercise-proposal" in attested
}

default rust_api := false
rust_api if input.facts.apis.rust == true

default c_api := false
c_api if input.facts.apis.c == true

default other_language := false
other_language if count(other_languages) >= 1

verdicts := [phase_4, spec_tests_pass, no_open_concerns, fuzzed_a_week, fuzzers_exercise,
  rust_api, c_api, other_language]
""".replace("REVIEWER_NAMES", ", ".join(f'"{r}"' for r in REVIEWERS)).replace(
    "WITHIN_DAYS", str(WITHIN_DAYS)
)


# -- peers (run with bench/.venv-peers) -----------------------------------------------------------


def _timestamp(value: Any, suffix: str = "T00:00:00Z") -> Any:
    """Dates as strings: RFC 3339 timestamps for CEL (timestamps, no dates), plain for Rego."""
    if isinstance(value, dt.date):
        return value.isoformat() + suffix
    if isinstance(value, dict):
        return {k: _timestamp(v, suffix) for k, v in value.items()}
    if isinstance(value, list):
        return [_timestamp(v, suffix) for v in value]
    return value


def _observed(doc: dict[str, Any]) -> dt.date:
    """The day elapsed time counts to: the earlier of NOW and `as_of` (windows use NOW)."""
    as_of = doc.get("as_of")
    return min(NOW, as_of) if as_of else NOW


class Peer:
    """One engine: compile the 8 rules once, then `judge(doc)` gives 8 booleans."""

    def __init__(self, name: str) -> None:
        self.name = name
        getattr(self, f"_compile_{name.replace('-', '_')}")()

    def _compile_cel(self) -> None:
        import celpy

        env = celpy.Environment()
        programs = [env.program(env.compile(CEL[rule])) for rule in RULES]

        def judge(doc: dict[str, Any]) -> list[bool]:
            activation = celpy.json_to_cel(
                {
                    "f": _timestamp(doc["facts"]),
                    "atts": _timestamp(doc.get("attestations", [])),
                    "claimed_by": doc.get("claimed_by") or "",
                    "now": _timestamp(NOW),
                    "observed": _timestamp(_observed(doc)),
                }
            )
            return [bool(program.evaluate(activation)) for program in programs]

        self.judge = judge

    def _compile_rule_engine(self) -> None:
        import rule_engine

        context = rule_engine.Context(default_value=None)
        compiled = [rule_engine.Rule(RULE_ENGINE[rule], context=context) for rule in RULES]

        def judge(doc: dict[str, Any]) -> list[bool]:
            thing = {
                "f": doc["facts"],
                "atts": doc.get("attestations", []),
                "claimed_by": doc.get("claimed_by") or "",
                "now": NOW,
                "observed": _observed(doc),
            }
            return [rule.matches(thing) for rule in compiled]

        self.judge = judge

    def _compile_jsonlogic(self) -> None:
        from json_logic import jsonLogic

        logic = [JSONLOGIC[rule] for rule in RULES]

        def judge(doc: dict[str, Any]) -> list[bool]:
            # No dates in JsonLogic: days since 0001-01-01, computed here, and compared there.
            now_day = NOW.toordinal()
            claimed_by = doc.get("claimed_by") or ""
            facts = doc["facts"]
            data = {
                "f": facts,
                "now_day": now_day,
                "observed_day": _observed(doc).toordinal(),
                "since_day": facts["fuzzing"]["since"].toordinal(),
                "apis": list(map(list, facts["apis"].items())),
                "atts": [
                    {
                        **a,
                        "day": a["date"].toordinal(),
                        "now_day": now_day,
                        "claimed_by": claimed_by,
                    }
                    for a in doc.get("attestations", [])
                ],
            }
            return [bool(jsonLogic(rule, data)) for rule in logic]

        self.judge = judge

    def _compile_rego(self) -> None:
        from regopy import Interpreter

        rego = Interpreter()
        rego.add_module("gate", REGO)

        def judge(doc: dict[str, Any]) -> list[bool]:
            data = {
                "facts": _timestamp(doc["facts"], ""),
                "attestations": _timestamp(doc.get("attestations", []), ""),
                "claimed_by": doc.get("claimed_by") or "",
                "now": NOW.isoformat(),
                "observed": _observed(doc).isoformat(),
            }
            rego.set_input_term(json.dumps(data))
            # str() of the whole output: a binding's node outlives a discarded output and crashes.
            output = rego.query("x := data.gate.verdicts")
            return json.loads(str(output))["bindings"]["x"]  # type: ignore[no-any-return]

        self.judge = judge


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {"python": sys.version.split()[0]}
    for dist in (
        "cel-python",
        "rule-engine",
        "panzi-json-logic",
        "regopy",
        "ruamel.yaml",
        "ruamel.yaml.clib",
    ):
        found[dist] = version(dist)
    import regopy

    found["rego-cpp (regopy.rego_version)"] = str(regopy.rego_version())
    return found


def worker(files: list[str]) -> dict[str, Any]:
    """In the peers' virtualenv: every peer over every file; timings and verdicts.

    Batch time is what one process spends on the whole corpus: loading every file (once, shared
    by the peers), compiling the rules, and judging every subject.
    """
    from ruamel.yaml import YAML

    start = time.perf_counter()
    loader = YAML(typ="safe")
    docs = []
    for name in files:
        with open(name, "rb") as f:
            docs.append(loader.load(f))
    load_s = time.perf_counter() - start
    results: dict[str, Any] = {"versions": versions(), "load_s": load_s, "engines": {}}
    for name in PEERS:
        start = time.perf_counter()
        peer = Peer(name)
        compile_s = time.perf_counter() - start
        judge = peer.judge
        start = time.perf_counter()
        verdicts = ["".join("1" if v else "0" for v in judge(doc)) for doc in docs]
        seconds = time.perf_counter() - start
        results["engines"][name] = {
            "compile_s": compile_s,
            "batch_s": seconds,
            "total_s": load_s + compile_s + seconds,
            "verdicts": verdicts,
        }
    return results


def one_shot(engine: str, name: str) -> None:
    """A fresh process: load one evidence file, compile the rules, judge it, print the verdicts."""
    from ruamel.yaml import YAML

    with open(name, "rb") as f:
        doc = YAML(typ="safe").load(f)
    print(Peer(engine).judge(doc))


# -- gatecheck (run with the dev virtualenv) ------------------------------------------------------


def gatecheck_in_process(files: list[str]) -> dict[str, Any]:
    sys.path.insert(0, str(REPO / "engine"))
    import gc

    from gatecheck.evaluation import Evaluator
    from gatecheck.loading import load_evidence, load_policies
    from gatecheck.project import open_project
    from gatecheck.verdicts import evaluate_subject

    project = open_project(str(ROOT))
    policies = load_policies(project)
    start = time.perf_counter()
    evidence = load_evidence(project.evidence.yaml_files(), policies)
    load_s = time.perf_counter() - start
    evidence.sort(key=lambda e: e.subject)
    if [os.path.basename(e.path) for e in evidence] != [os.path.basename(f) for f in files]:
        sys.exit("gatecheck loaded other files than the peers")
    (gate,) = [g for g in evidence[0].policy.gates if g.id == GATE]
    conditions = [rule.require for rule in gate.rules]
    if tuple(rule.id for rule in gate.rules) != RULES:
        sys.exit(f"the gate's rules are not {RULES}: translate the new ones for every peer")
    gc.disable()  # as in the CLI
    start = time.perf_counter()
    values = []
    for item in evidence:
        holds = Evaluator(item, NOW).truth.holds
        values.append("".join("1" if holds(c) is True else "0" for c in conditions))
    values_s = time.perf_counter() - start
    start = time.perf_counter()
    judged = []
    for item in evidence:
        (result,) = evaluate_subject(item, NOW, GATE).gates
        judged.append("".join("1" if r.status.value == "pass" else "0" for r in result.rules))
    judged_s = time.perf_counter() - start
    start = time.perf_counter()
    reasons = 0
    for item in evidence:
        (result,) = evaluate_subject(item, NOW, GATE).gates
        reasons += sum(len(r.details) for r in result.rules if r.status.value != "pass")
    reasons_s = time.perf_counter() - start
    gc.enable()
    if values != judged:
        sys.exit("gatecheck's compiled values and its verdicts disagree")
    return {
        "load_10k_s (load_evidence, cached validation; not in the rate)": load_s,
        "values": {"batch_s": values_s, "verdicts": values},
        "evaluate": {"batch_s": judged_s, "verdicts": judged},
        "evaluate_with_reasons": {"batch_s": reasons_s, "reasons": reasons},
    }


def timed(
    command: list[str], runs: int, env: dict[str, str] | None = None, *, warm_up: bool = True
) -> float:
    """Median wall time of `runs` runs, in milliseconds, after one unmeasured warm-up run."""
    samples = []
    for attempt in range(runs + 1 if warm_up else runs):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env or ENV, capture_output=True, check=False)
        if done.returncode not in {0, 1}:
            sys.exit(f"{command} failed: {done.stderr[-2000:]!r}")
        if attempt or not warm_up:
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def one_shots(files: list[str], runs: int) -> dict[str, float]:
    evidence = files[0]
    script = ROOT / "minimal_ruamel.py"
    script.write_text(MINIMAL_RUAMEL)
    gatecheck = str(Path(PYTHON).parent / "gatecheck")
    cache_env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp()}
    subject = Path(evidence).stem
    found = {
        "python -c pass": timed([PYTHON, "-c", "pass"], runs),
        "bare ruamel load (dev venv)": timed([PYTHON, str(script), evidence], runs),
        "bare ruamel load (peers venv)": timed([str(PEERS_PYTHON), str(script), evidence], runs),
        "gatecheck": timed(
            [gatecheck, "evaluate", subject, "--gate", GATE, "--now", NOW.isoformat()],
            runs,
            cache_env,
        ),
    }
    for name in PEERS:
        command = [str(PEERS_PYTHON), __file__, "--one-shot", name, evidence]
        found[name] = timed(command, runs)
    return found


BATCH_WARM = "gatecheck evaluate --all (validation cached)"
BATCH_COLD = "gatecheck evaluate --all (empty cache: validates every file)"


def gatecheck_batches(runs: int) -> dict[str, float]:
    """Wall seconds of the CLI judging the whole corpus: median of `runs`, after a warm-up."""
    command = [
        str(Path(PYTHON).parent / "gatecheck"),
        "evaluate",
        "--all",
        "--gate",
        GATE,
        "--now",
        NOW.isoformat(),
    ]
    warm_env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp()}
    cold = []
    for _ in range(runs):
        cold_env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp()}
        cold.append(timed(command, 1, cold_env, warm_up=False) / 1000)
    return {
        BATCH_WARM: timed(command, runs, warm_env) / 1000,
        BATCH_COLD: statistics.median(cold),
    }


def compare(verdicts: dict[str, list[str]]) -> dict[str, int]:
    """Disagreements with gatecheck per engine, as subject x rule counts (the run stops on any)."""
    reference = verdicts["gatecheck"]
    counts = {}
    for name, got in verdicts.items():
        counts[name] = sum(
            a != b
            for mine, theirs in zip(reference, got, strict=True)
            for a, b in zip(mine, theirs, strict=True)
        )
        if counts[name]:
            bad = next(i for i, (m, t) in enumerate(zip(reference, got, strict=True)) if m != t)
            print(
                f"!! {name} disagrees on {counts[name]} verdicts; first p{bad:05d}: {reference[bad]} vs {got[bad]}"
            )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--worker", metavar="FILE_LIST")
    parser.add_argument("--one-shot", nargs=2, metavar=("ENGINE", "FILE"))
    args = parser.parse_args()
    if args.one_shot:
        one_shot(*args.one_shot)
        return
    if args.worker:
        files = Path(args.worker).read_text().split("\n")
        print(json.dumps(worker(files)))
        return
    if not PEERS_PYTHON.exists():
        sys.exit(f"no {PEERS_PYTHON}: create it as the docstring says")
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "engine")], env=ENV, check=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; generating corpus ...")
    files = make_corpus(args.subjects)
    n = len(files)
    listing = ROOT / "files.txt"
    listing.write_text("\n".join(files))
    gate = gatecheck_in_process(files)
    done = subprocess.run(
        [str(PEERS_PYTHON), __file__, "--worker", str(listing)],
        capture_output=True,
        check=True,
        text=True,
    )
    peers = json.loads(done.stdout)
    verdicts = {
        "gatecheck": gate["values"]["verdicts"],
        **{name: peers["engines"][name]["verdicts"] for name in PEERS},
    }
    disagreements = compare(verdicts)
    shots = one_shots(files, args.runs)
    batches = gatecheck_batches(args.batch_runs)
    summarize(n, gate=gate, peers=peers, disagreements=disagreements, shots=shots, batches=batches)
    if any(disagreements.values()):
        sys.exit(1)


def summarize(  # noqa: PLR0913 - the measurements of one run
    n: int,
    *,
    gate: dict[str, Any],
    peers: dict[str, Any],
    disagreements: dict[str, int],
    shots: dict[str, float],
    batches: dict[str, float],
) -> None:
    """Print the table and the ratios, and write bench/out/peers.json."""
    verdicts = gate["values"]["verdicts"]
    rates = {name: n / peers["engines"][name]["batch_s"] for name in PEERS}
    fastest = max(rates, key=lambda k: rates[k])
    fastest_shot = min(PEERS, key=lambda k: shots[k])
    fastest_batch = min(PEERS, key=lambda k: peers["engines"][k]["total_s"])
    per_rule = {rule: sum(v[i] == "1" for v in verdicts) for i, rule in enumerate(RULES)}
    print(f"\n{n:,} subjects x {len(RULES)} rules; passes per rule (of {n:,}): {per_rule}")
    print(
        f"{'in-process':<34} {'subjects/s':>10} {'10k':>8} {'compile':>9} {'one-shot':>9}  disagree"
    )
    paths = {
        "values": "gatecheck verdicts (closures)",
        "evaluate": "gatecheck evaluate_subject",
        "evaluate_with_reasons": "gatecheck + reasons of non-passes",
    }
    rows: list[tuple[str, float, float, float | None, float | None, int]] = [
        (label, n / gate[key]["batch_s"], gate[key]["batch_s"], None, None, 0)
        for key, label in paths.items()
    ]
    for name in PEERS:
        e = peers["engines"][name]
        rows.append(
            (name, rates[name], e["batch_s"], e["compile_s"], shots[name], disagreements[name])
        )
    for label, rate, batch, comp, shot, bad in rows:
        comp_s = f"{comp * 1000:7.1f}ms" if comp is not None else "  (cache)"
        shot_s = f"{shot:7.1f}ms" if shot is not None else ""
        print(f"{label:<34} {rate:10,.0f} {batch:7.2f}s {comp_s:>9} {shot_s:>9}  {bad}")
    print(
        f"{'gatecheck evaluate (CLI, one file)':<34} {'':>10} {'':>8} {'':>9} {shots['gatecheck']:7.1f}ms"
    )
    for key in ("python -c pass", "bare ruamel load (dev venv)", "bare ruamel load (peers venv)"):
        print(f"{key:<34} {'':>10} {'':>8} {'':>9} {shots[key]:7.1f}ms")
    print(f"\nbatch: the whole {n:,}-file corpus in one process (load, compile, judge)")
    for key, seconds in batches.items():
        print(f"  {key:<58} {seconds:7.2f}s")
    for name in PEERS:
        e = peers["engines"][name]
        print(
            f"  {name + ' (ruamel safe load ' + format(peers['load_s'], '.2f') + 's + compile + judge)':<58}"
            f" {e['total_s']:7.2f}s"
        )
    values_rate = n / gate["values"]["batch_s"]
    ratios = {
        "in_process_gatecheck_values_over_fastest_peer": values_rate / rates[fastest],
        "in_process_gatecheck_evaluate_over_fastest_peer": (n / gate["evaluate"]["batch_s"])
        / rates[fastest],
        "in_process_gatecheck_evaluate_with_reasons_over_fastest_peer": (
            n / gate["evaluate_with_reasons"]["batch_s"]
        )
        / rates[fastest],
        "one_shot_gatecheck_over_fastest_peer": shots["gatecheck"] / shots[fastest_shot],
        "one_shot_gatecheck_over_bare_ruamel": shots["gatecheck"]
        / shots["bare ruamel load (dev venv)"],
        "batch_gatecheck_warm_over_fastest_peer": batches[BATCH_WARM]
        / peers["engines"][fastest_batch]["total_s"],
        "batch_gatecheck_cold_over_fastest_peer": batches[BATCH_COLD]
        / peers["engines"][fastest_batch]["total_s"],
    }
    print(f"\nfastest peer in-process: {fastest}; one-shot: {fastest_shot}; batch: {fastest_batch}")
    for key, value in ratios.items():
        print(f"{key}: {value:.2f}x")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    gate_out: dict[str, Any] = {k: v for k, v in gate.items() if not isinstance(v, dict)}
    for path in paths:
        gate_out[path] = {
            "batch_s": gate[path]["batch_s"],
            "evals_per_s": n / gate[path]["batch_s"],
        }
    OUT.write_text(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "subjects": n,
                "rules": RULES,
                "evaluation_date": NOW.isoformat(),
                "passes_per_rule": per_rule,
                "gatecheck": gate_out,
                "peers": {
                    name: {
                        "compile_s": peers["engines"][name]["compile_s"],
                        "batch_s": peers["engines"][name]["batch_s"],
                        "evals_per_s": rates[name],
                        "batch_total_s": peers["engines"][name]["total_s"],
                    }
                    for name in PEERS
                },
                "peers_load_s": peers["load_s"],
                "batch_s": batches,
                "one_shot_ms": shots,
                "disagreements": disagreements,
                "ratios": ratios,
                "peer_versions": peers["versions"],
            },
            indent=2,
        )
    )
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
