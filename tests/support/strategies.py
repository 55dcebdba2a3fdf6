"""Hypothesis strategies shared by the property tests and the long fuzz run (bench/fuzz.py).

Also the registry of fuzz properties: a property registered with `fuzz(...)` runs in the suite
with a few examples and, from bench/fuzz.py, with as many as asked. One body, two budgets.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatecheck.errors import Location
from gatecheck.language import conditions as c
from gatecheck.language.conditions import AllOf
from gatecheck.language.operators import OPERATORS
from gatecheck.language.policy import Policy, Step
from gatecheck.loading.step_order import with_order

if TYPE_CHECKING:
    from collections.abc import Callable

REPO = Path(__file__).resolve().parent.parent.parent
HERE = Location("p.yaml", 1, 1)

# -- the registry of fuzz properties --------------------------------------------------------------


class Property(NamedTuple):
    """A property body and the strategies of its arguments, by name."""

    name: str
    body: Callable[..., None]
    strategies: dict[str, st.SearchStrategy[Any]]
    examples: int  # in the suite

    def test(self, **options: Any) -> Callable[..., None]:
        """The body as a hypothesis test with these settings (deadline off unless given)."""
        options.setdefault("deadline", None)
        options.setdefault("suppress_health_check", [HealthCheck.too_slow])
        return settings(**options)(given(**self.strategies)(self.body))


PROPERTIES: dict[str, Property] = {}


def fuzz(examples: int, **strategies: st.SearchStrategy[Any]) -> Callable[..., Any]:
    """Register the decorated property and return it as a suite test of `examples` examples."""

    def register(body: Callable[..., None]) -> Callable[..., None]:
        name = body.__name__.removeprefix("test_")
        PROPERTIES[name] = Property(name, body, strategies, examples)
        return PROPERTIES[name].test(max_examples=examples)

    return register


# -- plans ----------------------------------------------------------------------------------------


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]], set[str]]:
    """A random DAG as (step ids, needs), listed in a random order, and a set of done steps."""
    size = draw(st.integers(min_value=1, max_value=25))
    ids = [f"s{i}" for i in range(size)]  # topological by index: needs point to lower indexes
    needs = {
        step: sorted(draw(st.sets(st.sampled_from(ids[:i]), max_size=4)) if i else [])
        for i, step in enumerate(ids)
    }
    order = draw(st.permutations(ids))
    done = draw(st.sets(st.sampled_from(ids)))
    return order, needs, done


# -- evidence of the fixture `release` policy -----------------------------------------------------


@st.composite
def release_evidence(draw: st.DrawFn) -> str:
    """Evidence for the fixture `release` policy, with facts of every shape, valid or not."""
    tests = draw(
        st.fixed_dictionaries(
            {}, optional={"passed": st.integers(0, 9), "failed": st.integers(0, 3)}
        )
    )
    platforms = draw(st.dictionaries(st.sampled_from(["linux", "macos", "win"]), st.booleans()))
    since = draw(st.dates(dt.date(2026, 1, 1), dt.date(2026, 4, 1)))
    lines = ["subject: lib", "policy: release", "facts:"]
    if tests:
        lines.append(f"  tests: {json.dumps(tests)}")
    lines.append(f"  platforms: {json.dumps(platforms)}")
    lines.append(f"  beta: {{since: {since.isoformat()}}}")
    if draw(st.booleans()):
        lines.append(
            "attestations:\n  - {judgement: changelog-reviewed, by: ana, date: 2026-02-01}"
        )
    return "\n".join(lines) + "\n"


# -- YAML data, written by hand -------------------------------------------------------------------

yaml_keys = st.text("abcdefgh_-", min_size=1, max_size=6)
yaml_scalars = st.one_of(
    st.integers(-1000, 1000), st.booleans(), st.none(), st.text("abc xyz:#-'\"", max_size=8)
)
yaml_data = st.recursive(
    yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(yaml_keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=20,
)


# What YAML may not hold raw in a double-quoted scalar (beyond what JSON escapes already): line
# breaks YAML 1.1 counts (NEL, LS, PS), characters outside its printable set, lone surrogates.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_YAML_ESCAPES = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def quoted(text: str) -> str:
    """A YAML double-quoted scalar of `text`."""
    escaped = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(
        lambda m: _YAML_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), escaped
    )


def _scalar(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()  # a plain date scalar, as people write them
    if isinstance(value, str):
        return quoted(value)
    return json.dumps(value) if value != [] else "[]"  # JSON scalars are YAML flow scalars


def yaml_lines(value: Any, indent: int = 0) -> list[str]:
    """Block-style YAML written by hand, so the tests do not trust another YAML writer."""
    pad = " " * indent
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{quoted(key)}:")
                out.extend(yaml_lines(item, indent + 2))
            else:
                out.append(f"{pad}{quoted(key)}: {_scalar(item) if item != {} else '{}'}")
        return out
    for item in value:
        if isinstance(item, dict | list) and item:
            out.append(f"{pad}-")
            out.extend(yaml_lines(item, indent + 2))
        else:
            out.append(f"{pad}- {_scalar(item) if item != {} else '{}'}")
    return out


def yaml_text(value: Any) -> str:
    return "\n".join(yaml_lines(value)) + "\n"


# -- conditions and facts, for the fast path against the explaining evaluator ------------------

FACT_NAMES = ["a", "b", "m", "l"]
fact_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from(["x", "y", ""]),
    st.dates(dt.date(2025, 12, 1), dt.date(2026, 2, 1)),
)
facts_strategy = st.dictionaries(
    st.sampled_from(FACT_NAMES),
    st.one_of(
        fact_value,
        st.lists(fact_value, max_size=3),
        st.dictionaries(st.sampled_from(["x", "y", "z"]), fact_value, max_size=3),
    ),
)


def _ref(inside: bool) -> st.SearchStrategy[c.FactRef]:
    plain = st.sampled_from(FACT_NAMES).map(lambda n: c.FactRef(n, None, (n,)))
    # Paths into maps and lists too: each shape of path compiles to its own reader.
    nested = st.sampled_from(["m.x", "a.x", "l.0", "l.2", "m.x.y", "l.1.x"]).map(
        lambda text: c.FactRef(text, None, tuple(text.split(".")))
    )
    plain = plain | nested
    if not inside:
        return plain
    variables = st.sampled_from(
        [
            c.FactRef("$item", "$item", ()),
            c.FactRef("$key", "$key", ()),
            c.FactRef("$item.x", "$item", ("x",)),
        ]
    )
    return plain | variables


_signs = st.sampled_from([1, -1])
# A fact reference's offset: none, a duration (in days), or a number (a whole one or a fraction)
_offsets = st.one_of(
    st.none(),
    st.builds(lambda sign, days: c.Offset(sign, f"{days}d", days), _signs, st.integers(0, 40)),
    st.builds(
        lambda sign, number: c.Offset(sign, number, None),
        _signs,
        st.integers(-2, 3) | st.just(0.5),
    ),
)


def conditions_strategy(*, inside: bool = False) -> st.SearchStrategy[Any]:
    """Random condition trees over FACT_NAMES (inside a quantifier: $item and $key too)."""
    operand = st.one_of(st.integers(-1, 3), st.booleans(), st.sampled_from(["x", "y"]))
    leaf = st.one_of(
        st.builds(
            c.FactTest,
            _ref(inside),
            st.sampled_from([OPERATORS[n] for n in ("eq", "ne", "gt", "gte", "lt", "lte")]),
            operand,
            st.just(HERE),
        ),
        st.builds(
            c.FactTest, _ref(inside), st.just(OPERATORS["exists"]), st.booleans(), st.just(HERE)
        ),
        st.builds(
            c.FactTest,
            _ref(inside),
            st.sampled_from([OPERATORS["in"], OPERATORS["not_in"]]),
            st.lists(operand, max_size=3),
            st.just(HERE),
        ),
        st.builds(
            c.FactComparison,
            _ref(inside),
            st.sampled_from([OPERATORS[n] for n in ("eq", "ne", "gt", "gte", "lt", "lte")]),
            _ref(inside),
            _offsets,
            st.just(HERE),
        ),
        st.builds(
            c.TimeTest,
            _ref(inside),
            st.sampled_from([OPERATORS["older_than"], OPERATORS["newer_than"]]),
            st.integers(0, 40),
            st.just("Nd"),
            st.just(HERE),
        ),
    )

    def extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.builds(c.AllOf, st.lists(inner, min_size=1, max_size=3).map(tuple), st.just(HERE)),
            st.builds(c.AnyOf, st.lists(inner, min_size=1, max_size=3).map(tuple), st.just(HERE)),
            st.builds(c.Not, inner, st.just(HERE)),
        )

    tree = st.recursive(leaf, extend, max_leaves=6)
    if inside:
        return tree
    where = st.none() | conditions_strategy(inside=True)
    collection = _ref(inside=False)
    return (
        tree
        | st.builds(
            c.Quantifier,
            st.sampled_from(["some", "every", "none"]),
            collection,
            where,
            st.just(HERE),
        )
        | st.builds(
            c.CountTest,
            collection,
            where,
            st.sampled_from([OPERATORS[n] for n in ("eq", "gte", "lt")]),
            st.integers(0, 3),
            st.just(HERE),
        )
    )


# Facts two comparisons can meet: mostly numbers and dates near each other, sometimes not.
_comparable = st.one_of(
    st.integers(0, 4),
    st.sampled_from([0.5, 1.5, 2.0]),
    st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 10)),
    st.sampled_from([None, "x", True]),
)
_comparable_items = st.fixed_dictionaries({"x": _comparable, "y": _comparable})
comparable_facts = st.fixed_dictionaries(
    {"a": _comparable, "b": _comparable},
    optional={
        "l": st.lists(st.fixed_dictionaries({"x": _comparable, "y": _comparable}), max_size=3)
    },
)


def comparisons_strategy() -> st.SearchStrategy[Any]:
    """Fact-to-fact comparisons over `comparable_facts`: of the subject's facts, and of items."""
    operators = st.sampled_from([OPERATORS[n] for n in ("eq", "ne", "gt", "gte", "lt", "lte")])
    plain = st.sampled_from(["a", "b"]).map(lambda n: c.FactRef(n, None, (n,)))
    item = st.sampled_from(["x", "y"]).map(lambda n: c.FactRef(f"$item.{n}", "$item", (n,)))
    top = st.builds(c.FactComparison, plain, operators, plain, _offsets, st.just(HERE))
    inner = st.builds(c.FactComparison, item, operators, item | plain, _offsets, st.just(HERE))
    over = st.just(c.FactRef("l", None, ("l",)))
    some = st.builds(
        c.Quantifier, st.sampled_from(["some", "every", "none"]), over, inner, st.just(HERE)
    )
    return top | st.builds(c.Not, top, st.just(HERE)) | some


# -- mutated copies of the bundled files ----------------------------------------------------------


def _bundled(pattern: str) -> list[str]:
    return sorted(str(p.relative_to(REPO)) for p in REPO.glob(pattern))


# Every YAML file gatecheck ships, by the kind of input it is (its place in a project).
BUNDLED_FILES: dict[str, list[str]] = {
    "policy": _bundled("policies/*.yaml"),
    "evidence": _bundled("evidence/*.yaml"),
    "test": _bundled("policies/tests/*.test.yaml"),
}

# Values of every type YAML can spell, including ones gatecheck must refuse with a location.
ODD_VALUES = [
    "[]", "{}", "~", "null", "true", "no", "0", "-1", "1e400", "-.inf", ".nan", "0x1F", "0o17",
    "2026-02-30", "2026-01-01", "2026-01-01T10:00:00Z", "0000-01-01", "10000-01-01", '""', "''",
    '"\\x00"', "[a, [b, {c: d}]]", "{a: 1, a: 2}", "|\n  block", ">-\n  folded", "&x 1", "*x",
    "*undefined", "!!binary aGVsbG8=", "!!set {a, b}", "!!python/object:os.system x", "!foo x",
    "!<tag:yaml.org,2002:str> x", "? complex\n: key", "'quoted: value'", "- a\n- b",
    "12345678901234567890123456789", "-", ":", "#", "@x", "`x", "%x", "a: b: c",
]  # fmt: skip
INSERTS = [
    "\t", "\ufeff", "\x00", "\r", "\r\n", "\x85", "\u2028", "\x1b[31m", "&a ", "*a", "<<: *a\n",
    "!!str ", "!!int ", "!!map ", "!custom ", "%YAML 1.1\n---\n", "---\n", "...\n", "? ", "- ",
    "{", "}", "[", "]", ",", "'", '"', "#", ":", "|", ">", "\\", "é", "\U0001f600", "\udcff",
]  # fmt: skip
MUTATIONS = (
    "truncate",
    "duplicate-line",
    "delete-line",
    "insert",
    "indent",
    "swap-value",
    "splice-yaml",
    "bom",
    "crlf",
    "anchor-alias",
)


def _set_value(line: str, value: str) -> str:
    key, sep, _ = line.partition(": ")
    if sep:
        return f"{key}: {value}"
    if line.lstrip().startswith("- "):
        return line[: line.index("- ") + 2] + value
    return f"{line} {value}"


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(kind, bundled path, bytes): a bundled YAML file after 1-4 random mutations."""
    kind = draw(st.sampled_from(sorted(BUNDLED_FILES)))
    path = draw(st.sampled_from(BUNDLED_FILES[kind]))
    text = (REPO / path).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        text = _mutate(draw, text)
    raw = text.encode("utf-8", "surrogateescape")  # a lone surrogate becomes an invalid byte
    return kind, path, raw


def _mutate(draw: st.DrawFn, text: str) -> str:  # noqa: C901 - one branch per mutation
    lines = text.split("\n")
    mutation = draw(st.sampled_from(MUTATIONS))
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    line = lines[at]
    if mutation == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if mutation == "duplicate-line":  # usually a duplicated key
        return "\n".join([*lines[: at + 1], line, *lines[at + 1 :]])
    if mutation == "delete-line":
        return "\n".join(lines[:at] + lines[at + 1 :])
    if mutation == "insert":
        where = draw(st.integers(0, len(line)))
        lines[at] = line[:where] + draw(st.sampled_from(INSERTS)) + line[where:]
        return "\n".join(lines)
    if mutation == "indent":
        change = draw(st.integers(-4, 4))
        lines[at] = " " * change + line if change > 0 else line[-change:]
        return "\n".join(lines)
    if mutation == "swap-value":
        lines[at] = _set_value(line, draw(st.sampled_from(ODD_VALUES)))
        return "\n".join(lines)
    if mutation == "splice-yaml":  # a random block, indented like the line it replaces
        data = draw(st.dictionaries(yaml_keys, yaml_data, min_size=1, max_size=3))
        pad = " " * (len(line) - len(line.lstrip(" ")))
        block = [pad + piece for piece in yaml_lines(data)]
        return "\n".join(lines[:at] + block + lines[at + 1 :])
    if mutation == "bom":
        return "\ufeff" + text
    if mutation == "crlf":
        return text.replace("\n", "\r\n")
    # anchor-alias: anchor one value and refer to it elsewhere (often across types)
    other = draw(st.integers(0, max(len(lines) - 1, 0)))
    if ": " in line:
        key, _, value = line.partition(": ")
        lines[at] = f"{key}: &fz {value}"
    else:
        lines[at] = f"{line} &fz"
    lines[other] = _set_value(lines[other], draw(st.sampled_from(["*fz", "*fz x", "[*fz, *fz]"])))
    return "\n".join(lines)


def yaml_lines_of(raw: bytes) -> list[str]:
    """The lines of a file as libyaml counts them (YAML 1.1 breaks), decoded leniently."""
    text = raw.decode("utf-8-sig", "replace")
    return re.split("\r\n|[\r\n\x85\u2028\u2029]", text)


# -- schema-valid evidence of the wasm-proposal policy --------------------------------------------

WASM_POLICY = "wasm-proposal"
WASM_EVIDENCE = [
    path
    for path in BUNDLED_FILES["evidence"]
    if re.search(r"(?m)^policy: wasm-proposal\b", (REPO / path).read_text(encoding="utf-8"))
]
DAYS = st.dates(dt.date(2023, 1, 1), dt.date(2027, 12, 31))
NAMES = st.sampled_from(["alexcrichton", "fitzgen", "cfallin", "mallory", "a.b-c_9"])
WORDS = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12
).filter(lambda text: text.strip() == text and bool(text))


def schema_values(schema: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values a (small) JSON schema accepts: the keywords the bundled facts schemas use."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return schema_values(root["$defs"][name], root)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum", -(2**40)), schema.get("maximum", 2**40))
    if kind == "string":
        return DAYS if schema.get("format") == "date" else WORDS
    if kind == "array":
        return st.lists(schema_values(schema.get("items", {"type": "string"}), root), max_size=3)
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        extra = schema.get("additionalProperties", False)
        fixed = st.fixed_dictionaries(
            {name: schema_values(properties[name], root) for name in sorted(required)},
            optional={
                name: schema_values(sub, root)
                for name, sub in properties.items()
                if name not in required
            },
        )
        if not isinstance(extra, dict):
            return fixed
        # keys as the schema names them (`propertyNames`), else a few characters keys may hold
        pattern = schema.get("propertyNames", {}).get("pattern", r"\A[a-z][a-z0-9_+-]{0,6}\Z")
        keys = st.from_regex(pattern, fullmatch=True).filter(lambda key: 0 < len(key) <= 12)
        more = st.dictionaries(keys, schema_values(extra, root), max_size=3)
        return st.tuples(more, fixed).map(lambda pair: {**pair[0], **pair[1]})
    msg = f"schema_values: no strategy for {schema}"
    raise NotImplementedError(msg)


class PolicyNames(NamedTuple):
    """What evidence of a bundled policy may name, and the policy's facts schema."""

    rules: list[str]
    gates: list[str]
    judgements: list[str]
    schema: dict[str, Any]


def _policy_names(ref: str) -> PolicyNames:
    """The names of a bundled policy (loaded once per run)."""
    if ref not in _NAMES:
        from gatecheck.loading.policies import load_policies
        from gatecheck.project.layout import open_project

        policy = load_policies(open_project(str(REPO))).resolve(ref)
        assert not isinstance(policy, str), policy
        schema = (REPO / "schemas" / policy.facts_schema).read_text(encoding="utf-8")
        _NAMES[ref] = PolicyNames(
            rules=sorted({rule.id for gate in policy.gates for rule in gate.rules}),
            gates=sorted(gate.id for gate in policy.gates),
            judgements=sorted(policy.judgements),
            schema=json.loads(schema),
        )
    return _NAMES[ref]


_NAMES: dict[str, PolicyNames] = {}


@st.composite
def wasm_evidence(draw: st.DrawFn) -> tuple[str, str]:
    """(subject, YAML): a bundled wasm-proposal evidence file with facts, attestations, waivers,
    claims and as_of changed within what the schemas allow (it must load)."""
    from gatecheck.loading.parsing import load_bytes

    path = draw(st.sampled_from(WASM_EVIDENCE))
    ref = draw(st.sampled_from([f"{WASM_POLICY}@1", f"{WASM_POLICY}@2", WASM_POLICY]))
    names = _policy_names(ref)
    schema = names.schema
    data: dict[str, Any] = load_bytes((REPO / path).read_bytes(), path).data
    facts = dict(data.get("facts", {}))
    for group, sub in schema["properties"].items():
        choice = draw(st.sampled_from(["keep", "keep", "drop", "new", "merge"]))
        if choice == "drop":
            facts.pop(group, None)
        elif choice == "new":
            facts[group] = draw(schema_values(sub, schema))
        elif choice == "merge" and isinstance(facts.get(group), dict):
            facts[group] = {**facts[group], **draw(schema_values(sub, schema))}
    data["facts"] = facts
    data["sources"] = {
        key: value for key, value in data.get("sources", {}).items() if _has(facts, key)
    }
    data["policy"] = ref
    attestation = st.fixed_dictionaries(
        {"judgement": st.sampled_from(names.judgements), "by": NAMES, "date": DAYS},
        optional={"note": WORDS},
    )
    waiver = st.fixed_dictionaries(
        {
            "rule": st.sampled_from(names.rules),
            "reason": WORDS,
            "approver": NAMES,
            "expires": DAYS,
        },
        optional={"gate": st.sampled_from(names.gates)},
    )
    if draw(st.booleans()):
        data["attestations"] = draw(st.lists(attestation, max_size=4))
    if draw(st.booleans()):
        data["waivers"] = draw(st.lists(waiver, max_size=3))
    if draw(st.booleans()):
        data["claims"] = draw(st.lists(st.sampled_from(names.gates), max_size=2, unique=True))
    if draw(st.booleans()):
        as_of = draw(st.none() | DAYS)
        if as_of is None:
            data.pop("as_of", None)
        else:
            data["as_of"] = as_of
    return data["subject"], yaml_text(data)


def not_before_observations(text: str, now: dt.date) -> dt.date:
    """`now`, or the latest observation date of the evidence if later: a date it can be judged on.

    Evidence dated after the judging date is refused (`dated-after-judging`, tested on its own).
    """
    from gatecheck.loading.parsing import load_bytes

    data = load_bytes(text.encode(), "evidence.yaml").data
    dates = [now, *(a["date"] for a in data.get("attestations", ()))]
    dates += [s["collected_at"] for s in data.get("sources", {}).values() if "collected_at" in s]
    if data.get("as_of") is not None:
        dates.append(data["as_of"])
    return max(day.date() if isinstance(day, dt.datetime) else day for day in dates)


def _has(facts: dict[str, Any], dotted: str) -> bool:
    value: Any = facts
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return False
    return True


def steps_policy(order, needs) -> Policy:
    """A policy of steps only, in `order`, each needing the steps `needs` lists for it."""
    steps = tuple(
        Step(s, s, "src", tuple(needs[s]), AllOf((), HERE), None, HERE, ()) for s in order
    )
    policy = Policy(
        name="p",
        version=1,
        default=False,
        title="P",
        source_title="src",
        source_url=None,
        facts_schema="s.json",
        judgements={},
        reviewers={},
        steps=steps,
        steps_by_id={s.id: s for s in steps},
        gates=(),
        path="p.yaml",
        location=HERE,
    )
    return with_order(policy)
