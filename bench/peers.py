"""Gate `enable-by-default` of wasm-proposal@1 with gatecheck and with peer engines, in one run.

    python bench/peers.py [--subjects 10000] [--runs 10] [--batch-runs 3] [--engines a,b]
                          [--gatecheck PATH ...]

Run it with the dev virtualenv's Python (it holds gatecheck). The peers live only in the
benchmark's own virtualenv, bench/.venv-peers (git-ignored), created once with:

    python3 -m venv bench/.venv-peers
    bench/.venv-peers/bin/pip install 'ruamel.yaml[oldlibyaml]' datalogic-py gordon-to-regorus \
        cedarpy panzi-json-logic rule-engine common-expression-language cel-expr-python \
        cel-python regopy
    # OPA's Go engine: its wheel declares Python >= 3.14 but is a stdlib-only ctypes wrapper of
    # a Go c-shared library, and runs on 3.11:
    bench/.venv-peers/bin/pip install --ignore-requires-python opa-golib-python-bindings

Engines whose module is not installed are reported as not measured, not silently dropped.

The peers' part runs in that virtualenv (`--worker`). Each peer's one-shot is a generated script
(bench/corpus/peers/one-shot/ENGINE.py) holding only that engine's source: it imports the
engine and ruamel.yaml, reads the evidence file with ruamel's safe loader, compiles the rules,
judges them and prints the verdicts, with none of this harness's imports.

The corpus (bench/corpus/peers/, git-ignored) has varied facts so every rule passes for some
subjects and fails for others. Every engine gets the same rules, translated by hand below; the
run checks they all give the same verdict per subject and rule (gatecheck's `missing` counts as
a fail: the peers have two values) and fails, reporting no timing, on any difference. Results: a
table, and bench/out/peers.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

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

MINIMAL_RUAMEL = (
    "import sys\nfrom ruamel.yaml import YAML\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    YAML(typ='safe').load(f)\n"
)
MINIMAL_PYYAML = (
    "import sys\nimport yaml\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    yaml.load(f, Loader=yaml.CSafeLoader)\n"
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
        (
            f"  fuzzing: {{targets: {flag(0.9)}, generated: {flag(0.9)}, since: {since},"
            f" corpus: {flag()}, custom: {flag()}}}"
        ),
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
        "f.fuzzing.targets == true && f.fuzzing.generated == true"
        " && f.fuzzing.custom == true && f.fuzzing.corpus == true"
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
        "f['fuzzing']['targets'] == true and f['fuzzing']['generated'] == true"
        " and f['fuzzing']['custom'] == true and f['fuzzing']['corpus'] == true"
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
                    {"<=": [{"var": "date"}, {"var": "now_day"}]},
                    {">=": [{"var": "date"}, {"-": [{"var": "now_day"}, WITHIN_DAYS]}]},
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
    "fuzzed-a-week": {"<=": [{"var": "f.fuzzing.since"}, {"-": [{"var": "observed_day"}, 7]}]},
    "fuzzers-exercise-proposal": {
        "and": [
            _jl_true("f.fuzzing.targets"),
            _jl_true("f.fuzzing.generated"),
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
  input.facts.fuzzing.targets == true
  input.facts.fuzzing.generated == true
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

# Cedar has no quantifier over a set's or a record's members with a per-member condition (by
# design: its policies must stay analysable), so it cannot express the attestation rules
# (no-open-concerns, fuzzers-exercise-proposal) or "at least one other language" over the `apis`
# map. It judges the other five; gatecheck is timed on the same five for its ratio.
CEDAR_RULES = ("phase-4", "spec-tests-pass", "fuzzed-a-week", "rust-api", "c-api")
CEDAR = """\
@id("phase-4")
permit(principal, action, resource) when { context.f.proposal.phase >= 4 };
@id("spec-tests-pass")
permit(principal, action, resource) when {
  context.f.spec_tests.enabled == true && context.f.spec_tests.failed == 0
  && context.f.spec_tests.ignored == 0
};
@id("fuzzed-a-week")
permit(principal, action, resource) when {
  context.f.fuzzing.since <= context.observed.offset(duration("-7d"))
};
@id("rust-api")
permit(principal, action, resource) when { context.f.apis.rust == true };
@id("c-api")
permit(principal, action, resource) when { context.f.apis.c == true };
"""


# -- peers (run with bench/.venv-peers) -----------------------------------------------------------
#
# Each engine is Python source: PRELUDE, its constants, then its snippet, which defines `make()`
# (import the engine, compile the rules; return `judge(doc)`, one boolean per rule). The worker
# executes that source in-process; a one-shot is a file of the same source that imports nothing
# else but ruamel.yaml, so a one-shot process pays for the engine and the YAML loader, not for
# this harness (argparse, subprocess, statistics, ... were about 29 ms of every one-shot before).

PRELUDE = '''\
import datetime as dt


def observed(doc):
    """The day elapsed time counts to: the earlier of NOW and `as_of` (windows use NOW)."""
    as_of = doc.get("as_of")
    return min(NOW, as_of) if as_of else NOW


def strings(value, suffix="T00:00:00Z"):
    """Dates as strings: RFC 3339 timestamps for CEL (no dates there), plain dates for Rego."""
    if isinstance(value, dt.date):
        return value.isoformat() + suffix
    if isinstance(value, dict):
        return {k: strings(v, suffix) for k, v in value.items()}
    if isinstance(value, list):
        return [strings(v, suffix) for v in value]
    return value


def days(value):
    """Dates as day numbers, for JsonLogic, which has no dates."""
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, dict):
        return {k: days(v) for k, v in value.items()}
    if isinstance(value, list):
        return [days(v) for v in value]
    return value


def jsonlogic_data(doc):
    """JsonLogic's `some` sees only the item: each attestation carries now_day and claimed_by.

    JsonLogic iterates arrays only: `apis` also comes as [key, value] pairs.
    """
    now_day = NOW.toordinal()
    claimed_by = doc.get("claimed_by") or ""
    facts = days(doc["facts"])
    return {
        "f": facts,
        "now_day": now_day,
        "observed_day": observed(doc).toordinal(),
        "apis": [[k, v] for k, v in facts["apis"].items()],
        "atts": [
            {**a, "date": a["date"].toordinal(), "now_day": now_day, "claimed_by": claimed_by}
            for a in doc.get("attestations", [])
        ],
    }


def rego_input(doc):
    return {
        "facts": strings(doc["facts"], ""),
        "attestations": strings(doc.get("attestations", []), ""),
        "claimed_by": doc.get("claimed_by") or "",
        "now": NOW.isoformat(),
        "observed": observed(doc).isoformat(),
    }


def cel_input(doc):
    return {
        "f": strings(doc["facts"]),
        "atts": strings(doc.get("attestations", [])),
        "claimed_by": doc.get("claimed_by") or "",
        "now": strings(NOW),
        "observed": strings(observed(doc)),
    }
'''

SNIPPETS = {
    "datalogic": """
def make():
    from datalogic_py import DataHandle, Engine

    engine = Engine()
    rules = [engine.compile(JSONLOGIC[rule]) for rule in RULES]
    session = engine.session()
    evaluate = session.evaluate_bool

    def judge(doc):
        data = DataHandle(jsonlogic_data(doc))
        return [evaluate(rule, data) for rule in rules]

    return judge
""",
    "regorus": """
def make():
    import regorus

    engine = regorus.Engine()
    engine.add_policy("gate.rego", REGO)

    def judge(doc):
        engine.set_input(rego_input(doc))
        return engine.eval_rule("data.gate.verdicts")

    return judge
""",
    "opa": """
def make():
    from opa_bindings import OpaEngine

    engine = OpaEngine()
    engine.add_policy("gate.rego", REGO)

    def judge(doc):
        return engine.eval_document("gate.verdicts", rego_input(doc))

    return judge
""",
    "cedar": '''
def make():
    import cedarpy

    policies = cedarpy.PolicySet.from_str(CEDAR)
    request = {"principal": 'Subject::"s"', "action": 'Action::"judge"', "resource": 'Gate::"g"'}

    def extension(value):
        """Dates as Cedar datetimes (its JSON form of an extension value)."""
        if isinstance(value, dt.date):
            return {"__extn": {"fn": "datetime", "arg": value.isoformat()}}
        if isinstance(value, dict):
            return {k: extension(v) for k, v in value.items()}
        if isinstance(value, list):
            return [extension(v) for v in value]
        return value

    def judge(doc):
        context = {"f": extension(doc["facts"]), "observed": extension(observed(doc))}
        result = cedarpy.is_authorized({**request, "context": context}, policies, [])
        if result.diagnostics.errors:
            raise RuntimeError(result.diagnostics.errors)
        allowed = set(result.diagnostics.id_annotations_by_reason.values())
        return [rule in allowed for rule in RULES]

    return judge
''',
    "jsonlogic": """
def make():
    from json_logic import jsonLogic

    logic = [JSONLOGIC[rule] for rule in RULES]

    def judge(doc):
        data = jsonlogic_data(doc)
        return [bool(jsonLogic(rule, data)) for rule in logic]

    return judge
""",
    "rule-engine": """
def make():
    import rule_engine

    context = rule_engine.Context(default_value=None)
    compiled = [rule_engine.Rule(RULE_ENGINE[rule], context=context) for rule in RULES]

    def judge(doc):
        thing = {
            "f": doc["facts"],
            "atts": doc.get("attestations", []),
            "claimed_by": doc.get("claimed_by") or "",
            "now": NOW,
            "observed": observed(doc),
        }
        return [rule.matches(thing) for rule in compiled]

    return judge
""",
    "cel-rust": """
def make():
    import cel

    programs = [cel.compile(CEL[rule]) for rule in RULES]

    def judge(doc):
        context = cel.Context(variables=cel_input(doc))
        return [program.execute(context) is True for program in programs]

    return judge
""",
    "cel-cpp": """
def make():
    from cel_expr_python import cel

    names = ("f", "atts", "claimed_by", "now", "observed")
    env = cel.NewEnv(variables=dict.fromkeys(names, cel.Type.DYN))
    expressions = [env.compile(CEL[rule]) for rule in RULES]

    def judge(doc):
        activation = env.Activation(cel_input(doc))
        return [expression.eval(activation).value() is True for expression in expressions]

    return judge
""",
    "cel-python": """
def make():
    import celpy

    env = celpy.Environment()
    programs = [env.program(env.compile(CEL[rule])) for rule in RULES]

    def judge(doc):
        activation = celpy.json_to_cel(cel_input(doc))
        return [bool(program.evaluate(activation)) for program in programs]

    return judge
""",
    "regopy": """
def make():
    import json

    from regopy import Interpreter

    rego = Interpreter()
    rego.add_module("gate", REGO)

    def judge(doc):
        rego.set_input_term(json.dumps(rego_input(doc)))
        # str() of the whole output: a binding's node outlives a discarded output and crashes.
        output = rego.query("x := data.gate.verdicts")
        return json.loads(str(output))["bindings"]["x"]

    return judge
""",
}


class Engine(NamedTuple):
    label: str
    module: str  # imported to tell whether the engine is installed
    dists: tuple[str, ...]  # distributions whose versions the report names
    constants: tuple[str, ...]  # names of this module's constants its snippet reads
    rules: tuple[str, ...] = RULES


_JL = ("JSONLOGIC",)
ENGINES = {
    "datalogic": Engine("JsonLogic, datalogic-py (Rust)", "datalogic_py", ("datalogic-py",), _JL),
    "regorus": Engine("Rego, regorus (Rust)", "regorus", ("gordon-to-regorus",), ("REGO",)),
    "opa": Engine(
        "Rego, OPA's Go engine (opa-golib-python-bindings)",
        "opa_bindings",
        ("opa-golib-python-bindings",),
        ("REGO",),
    ),
    "cedar": Engine("Cedar, cedarpy (Rust)", "cedarpy", ("cedarpy",), ("CEDAR",), CEDAR_RULES),
    "jsonlogic": Engine("JsonLogic, panzi-json-logic", "json_logic", ("panzi-json-logic",), _JL),
    "rule-engine": Engine("rule-engine", "rule_engine", ("rule-engine",), ("RULE_ENGINE",)),
    "cel-rust": Engine(
        "CEL, common-expression-language (Rust)", "cel", ("common-expression-language",), ("CEL",)
    ),
    "cel-cpp": Engine(
        "CEL, cel-expr-python (C++)", "cel_expr_python", ("cel-expr-python",), ("CEL",)
    ),
    "cel-python": Engine("CEL, cel-python (pure Python)", "celpy", ("cel-python",), ("CEL",)),
    "regopy": Engine("Rego, regopy (rego-cpp, C++)", "regopy", ("regopy",), ("REGO",)),
}


def engine_source(name: str) -> str:
    """The whole source of one engine: prelude, constants, `make()`. Nothing else is imported."""
    engine = ENGINES[name]
    lines = [PRELUDE, f"NOW = dt.date.fromisoformat({NOW.isoformat()!r})"]
    lines.append(f"RULES = {engine.rules!r}")
    lines += [f"{constant} = {globals()[constant]!r}" for constant in engine.constants]
    return "\n".join(lines) + "\n" + SNIPPETS[name]


ONE_SHOT_MAIN = """
import sys

from ruamel.yaml import YAML

with open(sys.argv[1], "rb") as f:
    doc = YAML(typ="safe").load(f)
print(make()(doc))
"""


def one_shot_script(name: str) -> str:
    """A one-shot: read one evidence file with ruamel's safe loader, compile, judge, print."""
    return engine_source(name) + ONE_SHOT_MAIN


def make_judge(name: str) -> Callable[[dict[str, Any]], list[bool]]:
    """Compile one engine's rules in this process; return its judge."""
    namespace: dict[str, Any] = {"__name__": f"peer_{name.replace('-', '_')}"}
    exec(compile(engine_source(name), f"<peer {name}>", "exec"), namespace)  # noqa: S102 - our source
    return namespace["make"]()  # type: ignore[no-any-return]


def installed(names: Iterable[str]) -> tuple[list[str], dict[str, str]]:
    """The engines whose module imports here, and why each of the others does not."""
    import importlib.util

    found, missing = [], {}
    for name in names:
        module = ENGINES[name].module
        if importlib.util.find_spec(module) is None:
            missing[name] = f"module {module!r} not installed"
        else:
            found.append(name)
    return found, missing


def versions(names: Iterable[str]) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": sys.version.split()[0]}
    for dist in (
        *(d for name in names for d in ENGINES[name].dists),
        "ruamel.yaml",
        "ruamel.yaml.clib",
        "PyYAML",
    ):
        try:
            found[dist] = version(dist)
        except PackageNotFoundError:
            found[dist] = "not installed"
    if "regopy" in names:
        import regopy

        found["rego-cpp (regopy.rego_version)"] = str(regopy.rego_version())
    return found


def as_bits(values: Iterable[Any]) -> str:
    return "".join("1" if v is True else "0" for v in values)


def worker(files: list[str], names: list[str]) -> dict[str, Any]:
    """In the peers' virtualenv: every installed peer over every file; timings and verdicts.

    Batch time is what one process spends on the whole corpus: loading every file (once, shared
    by the engines run in it), compiling the rules, and judging every subject.
    """
    from ruamel.yaml import YAML

    start = time.perf_counter()
    loader = YAML(typ="safe")
    docs = []
    for name in files:
        with open(name, "rb") as f:
            docs.append(loader.load(f))
    load_s = time.perf_counter() - start
    load_pyyaml_s = None
    try:
        import yaml

        start = time.perf_counter()
        for name in files:
            with open(name, "rb") as f:
                yaml.load(f, Loader=yaml.CSafeLoader)
        load_pyyaml_s = time.perf_counter() - start
    except (ImportError, AttributeError):
        pass
    found, missing = installed(names)
    results: dict[str, Any] = {
        "versions": versions(found),
        "load_s": load_s,
        "load_pyyaml_c_s": load_pyyaml_s,
        "engines": {},
        "missing": missing,
    }
    for name in found:
        start = time.perf_counter()
        judge = make_judge(name)
        compile_s = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        verdicts = [as_bits(judge(doc)) for doc in docs]
        seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
        results["engines"][name] = {
            "compile_s": compile_s,
            "batch_s": seconds,
            "batch_cpu_s": cpu_s,
            "total_s": load_s + compile_s + seconds,
            "verdicts": verdicts,
        }
    return results


# -- gatecheck (run with the dev virtualenv) ------------------------------------------------------


def gatecheck_in_process(files: list[str]) -> dict[str, Any]:  # noqa: C901 - one run's paths
    sys.path.insert(0, str(REPO / "engine"))
    import gc

    from gatecheck.evaluation.explaining import Evaluator
    from gatecheck.evaluation.verdicts import evaluate_subject
    from gatecheck.loading.evidence import load_evidence
    from gatecheck.loading.policies import load_policies
    from gatecheck.project.layout import open_project

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
    # Cedar's five rules as a gate of their own, so they get a generated function of their own.
    cedar_gate = gate._replace(rules=tuple(gate.rules[RULES.index(rule)] for rule in CEDAR_RULES))

    def values_of(chosen: Any) -> dict[str, Any]:
        """Each subject's rule values through the gate's generated function (evaluation/generated.py)."""
        start, cpu = time.perf_counter(), time.process_time()
        values = []
        for item in evidence:
            found = Evaluator(item, NOW).truth.gate(chosen)
            values.append("".join("1" if value is True else "0" for value in found))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        return {"batch_s": wall, "batch_cpu_s": cpu, "verdicts": values}

    def closures_of(chosen: list[Any]) -> dict[str, Any]:
        """The same through each rule's compiled closure (evaluation/compiled.py), as before."""
        start, cpu = time.perf_counter(), time.process_time()
        values = []
        for item in evidence:
            holds = Evaluator(item, NOW).truth.holds
            values.append("".join("1" if holds(c) is True else "0" for c in chosen))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        return {"batch_s": wall, "batch_cpu_s": cpu, "verdicts": values}

    def evaluated(*, reasons: bool) -> dict[str, Any]:
        start, cpu = time.perf_counter(), time.process_time()
        judged, details = [], 0
        for item in evidence:
            (result,) = evaluate_subject(item, NOW, GATE).gates
            judged.append("".join("1" if r.status.value == "pass" else "0" for r in result.rules))
            if reasons:
                details += sum(len(r.details) for r in result.rules if r.status.value != "pass")
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        return {"batch_s": wall, "batch_cpu_s": cpu, "verdicts": judged, "reasons": details}

    gc.disable()  # as in the CLI
    found = {
        "load_10k_s (load_evidence, cached validation; not in the rate)": load_s,
        "values": values_of(gate),
        "values_closures": closures_of(conditions),
        "values_cedar_rules": values_of(cedar_gate),
        "evaluate": evaluated(reasons=False),
        "evaluate_with_reasons": evaluated(reasons=True),
    }
    gc.enable()
    if found["values"]["verdicts"] != found["values_closures"]["verdicts"]:
        sys.exit("gatecheck's generated gate and its closures disagree")
    if found["values"]["verdicts"] != found["evaluate"]["verdicts"]:
        sys.exit("gatecheck's compiled values and its verdicts disagree")
    return found


class Timing(NamedTuple):
    wall: float  # median wall time
    cpu: float  # median CPU time (user + system) of the process and its children


def sample(command: list[str], env: dict[str, str] | None = None) -> Timing:
    """One run's wall time and CPU time (user and system, with its children), in milliseconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env or ENV, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in {0, 1}:
        sys.exit(f"{command} failed: {done.stderr[-2000:]!r}")
    used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Timing(wall * 1000, used * 1000)


def medians(samples: list[Timing]) -> Timing:
    return Timing(
        statistics.median(t.wall for t in samples), statistics.median(t.cpu for t in samples)
    )


def timed(
    command: list[str], runs: int, env: dict[str, str] | None = None, *, warm_up: bool = True
) -> Timing:
    """Median times of `runs` runs, in milliseconds, after one unmeasured warm-up run.

    CPU time is the run's user and system time: on a machine shared with other jobs it varies
    less than wall time, which also counts the time spent waiting for a core.
    """
    if warm_up:
        sample(command, env)
    return medians([sample(command, env) for _ in range(runs)])


def one_shots(
    files: list[str], runs: int, names: list[str], gatecheck: list[str]
) -> dict[str, Timing]:
    """Each engine in fresh processes of the peers' virtualenv, each running only its own script.

    Every command runs once to warm up, then `runs` rounds run each command once in turn. The
    scripts are written to bench/corpus/peers/one-shot/ and compiled to bytecode first, like
    gatecheck's modules; each imports its engine and ruamel.yaml and nothing of this harness.
    """
    evidence = files[0]
    scripts = ROOT / "one-shot"
    scripts.mkdir(exist_ok=True)
    ruamel = scripts / "bare_ruamel.py"
    ruamel.write_text(MINIMAL_RUAMEL)
    pyyaml = scripts / "bare_pyyaml.py"
    pyyaml.write_text(MINIMAL_PYYAML)
    cache_env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp()}
    subject = Path(evidence).stem
    evaluate = ["evaluate", subject, "--gate", GATE, "--now", NOW.isoformat()]
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "python -c pass": ([PYTHON, "-c", "pass"], None),
        "bare ruamel load (dev venv)": ([PYTHON, str(ruamel), evidence], None),
        "bare ruamel load (peers venv)": ([str(PEERS_PYTHON), str(ruamel), evidence], None),
        "bare PyYAML C load (peers venv)": ([str(PEERS_PYTHON), str(pyyaml), evidence], None),
    }
    for path in gatecheck:
        label = "gatecheck" if path == gatecheck[0] else f"gatecheck ({path})"
        commands[label] = ([path, *evaluate], cache_env)
    for name in names:
        script = scripts / f"{name}.py"
        script.write_text(one_shot_script(name))
        commands[name] = ([str(PEERS_PYTHON), str(script), evidence], None)
    subprocess.run([str(PEERS_PYTHON), "-m", "compileall", "-q", str(scripts)], env=ENV, check=True)
    for command, env in commands.values():  # warm-up: bytecode, page cache, gatecheck's cache
        sample(command, env)
    samples: dict[str, list[Timing]] = {label: [] for label in commands}
    for _ in range(runs):  # round robin: a change of the machine's load touches every command
        for label, (command, env) in commands.items():
            samples[label].append(sample(command, env))
    return {label: medians(found) for label, found in samples.items()}


BATCH_WARM = "gatecheck evaluate --all (validation cached)"
BATCH_COLD = "gatecheck evaluate --all (empty cache: validates every file)"


def gatecheck_batches(runs: int, gatecheck: str) -> dict[str, Timing]:
    """Seconds of the CLI judging the whole corpus: medians of `runs`, the warm after a warm-up."""
    command = [gatecheck, "evaluate", "--all", "--gate", GATE, "--now", NOW.isoformat()]
    warm_env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp()}
    cold = []
    for _ in range(runs):
        cold_env = {**ENV, "GATECHECK_CACHE_DIR": tempfile.mkdtemp()}
        cold.append(timed(command, 1, cold_env, warm_up=False))
    warm = timed(command, runs, warm_env)
    return {
        BATCH_WARM: Timing(warm.wall / 1000, warm.cpu / 1000),
        BATCH_COLD: Timing(
            statistics.median(t.wall for t in cold) / 1000,
            statistics.median(t.cpu for t in cold) / 1000,
        ),
    }


def disagreements(reference: list[str], got: list[str], rules: tuple[str, ...]) -> list[str]:
    """Every subject x rule where `got` (over `rules`) differs from `reference` (over RULES)."""
    positions = [RULES.index(rule) for rule in rules]
    found = []
    for index, (mine, theirs) in enumerate(zip(reference, got, strict=True)):
        for rule, position, value in zip(rules, positions, theirs, strict=True):
            if mine[position] != value:
                found.append(f"p{index:05d} {rule}: gatecheck {mine[position]}, peer {value}")
    return found


def compare(reference: list[str], peers: dict[str, Any]) -> dict[str, int]:
    """Disagreements with gatecheck per engine, as subject x rule counts (the run fails on any)."""
    counts = {}
    for name, engine in peers["engines"].items():
        found = disagreements(reference, engine["verdicts"], ENGINES[name].rules)
        counts[name] = len(found)
        if found:
            print(f"!! {name} disagrees on {len(found)} verdicts; first: {found[0]}")
    return counts


def run_workers(listing: Path, names: list[str]) -> dict[str, Any]:
    """Each engine in its own worker process, which loads the corpus again.

    One process per engine: no engine runs in another's heap, and two of them cannot share one
    (cel-expr-python's and regopy's native libraries abort the process, `free(): invalid size`).
    """
    merged: dict[str, Any] = {"versions": {}, "engines": {}, "missing": {}, "load_s": {}}
    pyyaml = []
    for name in names:
        done = subprocess.run(
            [str(PEERS_PYTHON), __file__, "--worker", str(listing), name],
            capture_output=True,
            check=False,
            text=True,
        )
        if done.returncode:
            sys.exit(f"the {name} worker failed: {done.stderr[-3000:]}")
        result = json.loads(done.stdout)
        merged["versions"].update(result["versions"])
        merged["engines"].update(result["engines"])
        merged["missing"].update(result["missing"])
        if name in result["engines"]:
            merged["load_s"][name] = result["load_s"]
        if result["load_pyyaml_c_s"] is not None:
            pyyaml.append(result["load_pyyaml_c_s"])
    merged["load_pyyaml_c_s"] = statistics.median(pyyaml) if pyyaml else None
    return merged


def only_one_shots(names: list[str], runs: int, gatecheck: list[str]) -> None:
    listing = ROOT / "files.txt"
    if not listing.exists():
        sys.exit("no corpus: run the whole benchmark first")
    files = listing.read_text().split("\n")
    load_before = os.getloadavg()
    shots = one_shots(files, runs, names, gatecheck)
    load = {"before": load_before, "after": os.getloadavg()}
    for label, timing in shots.items():
        print(f"{label:<52} {timing.wall:8.1f}ms {timing.cpu:8.1f}ms CPU")
    print(f"load average before {load['before']}, after {load['after']}")
    out = OUT.with_name("peers-one-shot.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "runs": runs,
                "load_average": load,
                "one_shot_ms": {k: t._asdict() for k, t in shots.items()},
            },
            indent=2,
        )
    )
    print(f"wrote {out.relative_to(REPO)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma-separated, of: " + ", ".join(ENGINES)
    )
    parser.add_argument(
        "--gatecheck",
        action="append",
        help="a gatecheck executable to time one-shot (repeatable; the first also runs the"
        " batches); default: the one beside this Python",
    )
    parser.add_argument(
        "--one-shots-only",
        action="store_true",
        help="time only the one-shots, on the corpus of the last full run (whose verdicts agreed),"
        " writing bench/out/peers-one-shot.json",
    )
    parser.add_argument("--worker", nargs=2, metavar=("FILE_LIST", "ENGINES"))
    args = parser.parse_args()
    if args.worker:
        files = Path(args.worker[0]).read_text().split("\n")
        print(json.dumps(worker(files, args.worker[1].split(","))))
        return
    if not PEERS_PYTHON.exists():
        sys.exit(f"no {PEERS_PYTHON}: create it as the docstring says")
    names = [name for name in args.engines.split(",") if name]
    if unknown := set(names) - set(ENGINES):
        sys.exit(f"unknown engines: {sorted(unknown)}")
    gatecheck = args.gatecheck or [str(Path(PYTHON).parent / "gatecheck")]
    if args.one_shots_only:
        only_one_shots(names, args.runs, gatecheck)
        return
    load_before = os.getloadavg()
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "engine")], env=ENV, check=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; generating corpus ...")
    files = make_corpus(args.subjects)
    n = len(files)
    listing = ROOT / "files.txt"
    listing.write_text("\n".join(files))
    gate = gatecheck_in_process(files)
    peers = run_workers(listing, names)
    for name, why in peers["missing"].items():
        print(f"-- {name}: not measured ({why})")
    counts = compare(gate["values"]["verdicts"], peers)
    if any(counts.values()):
        sys.exit("verdicts differ from gatecheck's: no timing is reported")
    shots = one_shots(files, args.runs, list(peers["engines"]), gatecheck)
    batches = gatecheck_batches(args.batch_runs, gatecheck[0])
    load = {"before": load_before, "after": os.getloadavg()}
    summarize(n, gate=gate, peers=peers, counts=counts, shots=shots, batches=batches, load=load)


def summarize(  # noqa: PLR0913, C901 - the measurements of one run, in one place
    n: int,
    *,
    gate: dict[str, Any],
    peers: dict[str, Any],
    counts: dict[str, int],
    shots: dict[str, Timing],
    batches: dict[str, Timing],
    load: dict[str, tuple[float, float, float]],
) -> None:
    """Print the table and the ratios, and write bench/out/peers.json."""
    engines = peers["engines"]
    full = [name for name in engines if ENGINES[name].rules == RULES]
    rates = {name: n / engines[name]["batch_s"] for name in engines}
    cpu_rates = {name: n / engines[name]["batch_cpu_s"] for name in engines}
    fastest = max(full, key=lambda k: rates[k])
    fastest_cpu = max(full, key=lambda k: cpu_rates[k])
    fastest_shot = min(engines, key=lambda k: shots[k].wall)
    fastest_shot_cpu = min(engines, key=lambda k: shots[k].cpu)
    fastest_batch = min(full, key=lambda k: engines[k]["total_s"])
    verdicts = gate["values"]["verdicts"]
    per_rule = {rule: sum(v[i] == "1" for v in verdicts) for i, rule in enumerate(RULES)}
    print(f"\n{n:,} subjects x {len(RULES)} rules; passes per rule (of {n:,}): {per_rule}")
    print(
        f"{'engine':<52} {'subj/s':>8} {'(CPU)':>8} {'compile':>9} {'one-shot':>9} {'(CPU)':>8}"
        f" {'batch':>7}  agree"
    )
    paths = {
        "values": "gatecheck verdicts (generated gate function)",
        "values_closures": "gatecheck verdicts (closures, one call per rule)",
        "values_cedar_rules": "gatecheck verdicts, Cedar's 5 rules",
        "evaluate": "gatecheck evaluate_subject",
        "evaluate_with_reasons": "gatecheck + reasons of non-passes",
    }
    for key, label in paths.items():
        g = gate[key]
        print(f"{label:<52} {n / g['batch_s']:8,.0f} {n / g['batch_cpu_s']:8,.0f}")
    for name, e in engines.items():
        rules = ENGINES[name].rules
        label = ENGINES[name].label + ("" if rules == RULES else f" ({len(rules)} rules)")
        print(
            f"{label:<52} {rates[name]:8,.0f} {cpu_rates[name]:8,.0f}"
            f" {e['compile_s'] * 1000:7.1f}ms {shots[name].wall:7.1f}ms {shots[name].cpu:6.1f}ms"
            f" {e['total_s']:6.2f}s  {counts[name] == 0}"
        )
    for key, value in shots.items():
        if key not in engines:
            print(f"{key:<52} {'':>8} {'':>8} {'':>9} {value.wall:7.1f}ms {value.cpu:6.1f}ms")
    print(f"\nbatch: the whole {n:,}-file corpus in one process (load, compile, judge)")
    for key, timing in batches.items():
        print(f"  {key:<62} {timing.wall:6.2f}s (CPU {timing.cpu:.2f}s)")
    loads = peers["load_s"].values()
    print(
        f"  the peers' load, ruamel safe loader, one process per engine:"
        f" {min(loads):.2f}-{max(loads):.2f}s",
        end="",
    )
    if peers["load_pyyaml_c_s"] is not None:
        print(f"; PyYAML CSafeLoader {peers['load_pyyaml_c_s']:.2f}s", end="")
    print()

    def rate(path: str, *, cpu: bool = False) -> float:
        return n / gate[path]["batch_cpu_s" if cpu else "batch_s"]

    ruamel = shots["bare ruamel load (dev venv)"]
    ratios = {
        "in_process_values_over_fastest_peer": rate("values") / rates[fastest],
        "in_process_values_over_fastest_peer_cpu": rate("values", cpu=True)
        / cpu_rates[fastest_cpu],
        "in_process_evaluate_over_fastest_peer": rate("evaluate") / rates[fastest],
        "in_process_evaluate_over_fastest_peer_cpu": rate("evaluate", cpu=True)
        / cpu_rates[fastest_cpu],
        "in_process_reasons_over_fastest_peer": rate("evaluate_with_reasons") / rates[fastest],
        "one_shot_over_fastest_peer": shots["gatecheck"].wall / shots[fastest_shot].wall,
        "one_shot_over_fastest_peer_cpu": shots["gatecheck"].cpu / shots[fastest_shot_cpu].cpu,
        "one_shot_over_bare_ruamel": shots["gatecheck"].wall / ruamel.wall,
        "one_shot_over_bare_ruamel_cpu": shots["gatecheck"].cpu / ruamel.cpu,
        "batch_warm_over_fastest_peer": batches[BATCH_WARM].wall
        / engines[fastest_batch]["total_s"],
        "batch_cold_over_fastest_peer": batches[BATCH_COLD].wall
        / engines[fastest_batch]["total_s"],
    }
    if "cedar" in engines:
        ratios["in_process_values_over_cedar_on_its_5_rules"] = (
            rate("values_cedar_rules") / rates["cedar"]
        )
    print(
        f"\nfastest peer in-process: {fastest} (CPU: {fastest_cpu}); one-shot: {fastest_shot}"
        f" (CPU: {fastest_shot_cpu}); batch: {fastest_batch}"
    )
    print("ratios, gatecheck / peer (rates: above 1 is faster; times: above 1 is slower)")
    for key, value in ratios.items():
        print(f"  {key}: {value:.2f}x")
    print(f"load average before {load['before']}, after {load['after']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    gate_out: dict[str, Any] = {k: v for k, v in gate.items() if not isinstance(v, dict)}
    for path in paths:
        gate_out[path] = {
            "batch_s": gate[path]["batch_s"],
            "batch_cpu_s": gate[path]["batch_cpu_s"],
            "evals_per_s": rate(path),
            "evals_per_cpu_s": rate(path, cpu=True),
        }
    OUT.write_text(
        json.dumps(
            {
                "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "machine": {
                    "platform": platform.platform(),
                    "machine": platform.machine(),
                    "cores": os.cpu_count(),
                    "load_average": load,
                },
                "subjects": n,
                "rules": RULES,
                "evaluation_date": NOW.isoformat(),
                "passes_per_rule": per_rule,
                "gatecheck": gate_out,
                "peers": {
                    name: {
                        "rules": ENGINES[name].rules,
                        "compile_s": engines[name]["compile_s"],
                        "batch_s": engines[name]["batch_s"],
                        "batch_cpu_s": engines[name]["batch_cpu_s"],
                        "evals_per_s": rates[name],
                        "evals_per_cpu_s": cpu_rates[name],
                        "batch_total_s": engines[name]["total_s"],
                    }
                    for name in engines
                },
                "not_measured": peers["missing"],
                "peers_load_s": peers["load_s"],
                "peers_load_pyyaml_c_s": peers["load_pyyaml_c_s"],
                "batch": {k: t._asdict() for k, t in batches.items()},
                "one_shot_ms": {k: t._asdict() for k, t in shots.items()},
                "disagreements": counts,
                "ratios": ratios,
                "peer_versions": peers["versions"],
            },
            indent=2,
        )
    )
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
