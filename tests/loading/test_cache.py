"""Unit tests of loading.cache, and of the cache as the CLI uses it: it never changes a result."""

import datetime as dt
import json
import os
import pickle
import shlex
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest

from gatecheck.errors import Location
from gatecheck.loading import cache, cache_trust

ARGS = ("--now", "2026-03-05", "--format", "json")


# -- where the cache lives ---------------------------------------------------------------------


def test_cache_dir_from_gatecheck_cache_dir(isolated_cache: Path) -> None:
    assert cache_trust.cache_dir() == str(isolated_cache)


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_no_cache_disables(
    monkeypatch: pytest.MonkeyPatch, isolated_cache: Path, value: str
) -> None:
    cache.write("k", "before", [1])
    monkeypatch.setenv("GATECHECK_NO_CACHE", value)
    assert cache_trust.cache_dir() is None
    assert cache.read("k", "before") is None  # present on disk, but not read
    cache.write("k", "after", [2])
    assert not (isolated_cache / "k-after").exists()


@pytest.mark.parametrize("value", ["", "0"])
def test_no_cache_off_values_keep_the_cache(
    monkeypatch: pytest.MonkeyPatch, isolated_cache: Path, value: str
) -> None:
    monkeypatch.setenv("GATECHECK_NO_CACHE", value)
    assert cache_trust.cache_dir() == str(isolated_cache)


@pytest.mark.parametrize("explicit", [None, ""])
def test_xdg_cache_home_fallback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, explicit: str | None
) -> None:
    if explicit is None:
        monkeypatch.delenv("GATECHECK_CACHE_DIR")
    else:
        monkeypatch.setenv("GATECHECK_CACHE_DIR", explicit)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_trust.cache_dir() == str(tmp_path / "xdg" / "gatecheck")
    cache.write("policy", "key", ("x", 1))
    assert (tmp_path / "xdg" / "gatecheck" / "policy-key").is_file()
    assert cache.read("policy", "key") == ("x", 1)


def test_home_fallback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GATECHECK_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_trust.cache_dir() == str(tmp_path / ".cache" / "gatecheck")


# -- keys --------------------------------------------------------------------------------------


def test_digest_is_a_stable_sha256() -> None:
    key = cache.digest(b"abc", "def")
    assert key == cache.digest(b"abc", "def")
    assert len(key) == 64
    assert int(key, 16) >= 0


def test_digest_str_and_bytes_parts_are_the_same() -> None:
    assert cache.digest("café") == cache.digest("café".encode())


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("ab", "c"), ("a", "bc")),
        (("abc",), ("a", "bc")),
        (("a", ""), ("a",)),
        (("",), ()),
        ((b"x",), (b"y",)),
        (("a", "b"), ("b", "a")),
    ],
)
def test_digest_differs_when_parts_differ(left: tuple[str, ...], right: tuple[str, ...]) -> None:
    assert cache.digest(*left) != cache.digest(*right)


def test_digest_depends_on_the_version(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.digest(b"same bytes")
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    cache._engine_identity.cache_clear()  # computed once per process
    try:
        assert cache.digest(b"same bytes") != before
    finally:
        monkeypatch.undo()
        cache._engine_identity.cache_clear()


# -- entries -----------------------------------------------------------------------------------


def _names(directory: Path) -> list[str]:
    """The files in the cache directory, but the marker of the last size check."""
    return sorted(p.name for p in directory.iterdir() if p.name != ".scanned")


VALUES: list[object] = [
    True,
    None,
    ("release.facts.schema.json", "k" * 64, ({"a": [1, 2.5, "x"]}, [([], 1, 1)], [])),
    {"when": dt.date(2024, 2, 29), "list": [dt.date(2024, 1, 1)]},
    dt.datetime(2024, 1, 31, 10, 20, 30, 500, tzinfo=dt.UTC),
    dt.datetime(2024, 1, 31, 10, 20, tzinfo=dt.timezone(dt.timedelta(hours=-5, minutes=-30))),
    dt.datetime(2024, 1, 31, 10, 20),  # noqa: DTZ001
    dt.timedelta(days=3),
    [float("inf"), -0.0, 10**40, "é", b"raw"],
]


@pytest.mark.parametrize("value", VALUES)
def test_write_then_read(isolated_cache: Path, value: object) -> None:
    cache.write("policy", "key", value)
    assert (isolated_cache / "policy-key").is_file()
    back = cache.read("policy", "key")
    assert back == value
    assert type(back) is type(value)
    if isinstance(value, dt.datetime):
        assert isinstance(back, dt.datetime)
        assert back.utcoffset() == value.utcoffset()
    assert _names(isolated_cache) == ["policy-key"]  # no temporary file left


def test_write_replaces_an_entry() -> None:
    cache.write("evidence", "key", 1)
    cache.write("evidence", "key", 2)
    assert cache.read("evidence", "key") == 2


def test_kinds_are_separate() -> None:
    cache.write("policy", "key", "p")
    cache.write("evidence", "key", "e")
    assert (cache.read("policy", "key"), cache.read("evidence", "key")) == ("p", "e")


def test_read_of_a_missing_entry() -> None:
    assert cache.read("policy", "0" * 64) is None


class _RunsCode:
    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


class _Builtin:
    def __reduce__(self):
        return (eval, ("1 + 1",))


def authentic(name: str, payload: bytes) -> bytes:
    """An entry as gatecheck writes it: the payload with a valid tag under this user's secret."""
    secret = cache_trust.secret_key()
    assert secret is not None
    return cache._MAGIC + cache_trust.tag(secret, name, payload) + payload


def _store(isolated_cache: Path, raw: bytes, kind: str = "policy", key: str = "key") -> None:
    """A hostile payload under a valid tag: only the unpickler stands between it and the engine."""
    name = cache.entry_name(kind, key)
    (isolated_cache / name).write_bytes(authentic(name, raw))


def test_tampered_entry_cannot_run_code(isolated_cache: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    raw = pickle.dumps(_RunsCode(f"touch {shlex.quote(str(marker))}"))
    assert b"system" in raw
    _store(isolated_cache, raw)
    assert cache.read("policy", "key") is None
    assert not marker.exists()


@pytest.mark.parametrize(
    "value",
    [
        _RunsCode("true"),
        _Builtin(),
        {"nested": [_RunsCode("true")]},
        Path("x"),
        OrderedDict(a=1),
    ],
)
def test_entries_with_other_globals_are_refused(isolated_cache: Path, value: object) -> None:
    _store(isolated_cache, pickle.dumps(value))
    assert cache.read("policy", "key") is None


def test_allowed_globals_admit_only_the_named_classes(isolated_cache: Path) -> None:
    location = Location("policies/p.yaml", 3, 7)
    cache.write("policy", "key", {"at": location})
    assert cache.read("policy", "key") is None  # not named: refused
    allowed = frozenset({("gatecheck.errors", "Location")})
    back = cache.read("policy", "key", allowed)
    assert back == {"at": location}
    assert type(back["at"]) is Location
    # naming one class admits no other
    _store(isolated_cache, pickle.dumps([location, _RunsCode("true")]))
    assert cache.read("policy", "key", allowed) is None


def _valid_entry() -> bytes:
    return pickle.dumps(("schema", "k" * 64, ({"a": dt.date(2024, 1, 1)}, [], [])))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"garbage",
        b"\x00" * 64,
        _valid_entry()[: len(_valid_entry()) // 2],
        _valid_entry()[:-1],
        b"\x80\x05K",
        b"h\x05.",  # a memo entry that was never stored
        b"0.",  # pop from an empty stack
        b"cdatetime\ndate\n(K\x01K\x01K\x01tR(K\x05tb.",  # bad state for a date
        b"cdatetime\ndate\n(I2024\nI13\nI1\ntR.",  # month 13
        b"\x80\x05\x95\xff\xff\xff\xff\xff\xff\xff\x7f.",  # a frame longer than the file
    ],
)
def test_corrupt_entry_reads_as_missing(isolated_cache: Path, raw: bytes) -> None:
    _store(isolated_cache, raw)
    assert cache.read("policy", "key") is None


@pytest.mark.parametrize(
    "raw",
    [
        b"cdatetime\ntimedelta\n(J\x00\xca\x9a\x3bK\x00K\x00tR.",  # timedelta(days=10**9)
        b"cdatetime\ndate\n(I99999999999999999999\nK\x01K\x01tR.",  # year beyond a C long
    ],
)
def test_entry_with_out_of_range_values_reads_as_missing(isolated_cache: Path, raw: bytes) -> None:
    _store(isolated_cache, raw)
    assert cache.read("policy", "key") is None


def test_entry_that_is_a_directory_reads_as_missing(isolated_cache: Path) -> None:
    (isolated_cache / "policy-key").mkdir()
    assert cache.read("policy", "key") is None


def test_write_into_a_regular_file_does_not_raise(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("GATECHECK_CACHE_DIR", str(blocker))
    cache.write("policy", "key", {"a": 1})
    assert blocker.read_text() == "x"
    assert cache.read("policy", "key") is None


def test_write_over_an_entry_that_is_a_link_replaces_the_link(
    isolated_cache: Path, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere"
    target.write_text("x")
    (isolated_cache / "policy-key").symlink_to(target)
    assert cache.read("policy", "key") is None  # not followed
    cache.write("policy", "key", {"a": 1})
    assert target.read_text() == "x"
    assert not (isolated_cache / "policy-key").is_symlink()
    assert cache.read("policy", "key") == {"a": 1}


def test_write_over_an_entry_that_is_a_directory_does_not_raise(isolated_cache: Path) -> None:
    (isolated_cache / "policy-key" / "inner").mkdir(parents=True)
    cache.write("policy", "key", {"a": 1})
    assert _names(isolated_cache) == ["policy-key"]


# -- through the CLI ---------------------------------------------------------------------------


def _evaluate(run_cli, project: Path):
    return run_cli("evaluate", "lib", "--root", str(project), *ARGS)


def _entries(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.name != ".scanned")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every cache read the engine makes, as (kind, hit)."""
    seen: list[tuple[str, bool]] = []
    real = cache.read

    def spy(kind: str, key: str, *rest: Any):
        value = real(kind, key, *rest)
        seen.append((kind, value is not None))
        return value

    monkeypatch.setattr(cache, "read", spy)
    return seen


def test_cold_and_warm_runs_are_identical(
    run_cli, project: Path, isolated_cache: Path, reads: list[tuple[str, bool]]
) -> None:
    cold = _evaluate(run_cli, project)
    assert cold.exit_code == 1  # the fixture's gate fails
    assert '"gate": "ship"' in cold.stdout
    assert sorted(p.name.partition("-")[0] for p in _entries(isolated_cache)) == [
        "evidence",
        "policy",
        "schema",  # the facts schema, found sound
    ]
    assert reads == [("policy", False), ("schema", False), ("evidence", False)]
    reads.clear()

    warm = _evaluate(run_cli, project)
    assert reads == [("policy", True), ("evidence", True)]
    assert warm == cold


def test_uncached_run_is_identical_and_writes_nothing(
    run_cli, project: Path, isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = _evaluate(run_cli, project)
    _evaluate(run_cli, project)
    for entry in _entries(isolated_cache):
        entry.unlink()
    monkeypatch.setenv("GATECHECK_NO_CACHE", "1")
    assert _evaluate(run_cli, project) == cached
    assert _entries(isolated_cache) == []


def _rule(run, rule: str) -> dict[str, Any]:
    rules = json.loads(run.stdout)["subjects"][0]["gates"][0]["rules"]
    return next(r for r in rules if r["rule"] == rule)


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text()
    assert text.count(old) == 1
    file.write_text(text.replace(old, new))


def test_changed_fact_is_not_served_from_the_cache(
    run_cli, project: Path, reads: list[tuple[str, bool]]
) -> None:
    cold = _evaluate(run_cli, project)
    assert _evaluate(run_cli, project) == cold
    assert (_rule(cold, "tests-pass")["status"], _rule(cold, "tests-pass")["actual"]) == ("fail", 2)
    _edit(project / "evidence" / "lib.yaml", "failed: 2", "failed: 0")  # one byte
    reads.clear()

    changed = _evaluate(run_cli, project)
    # the policy did not change; the changed file's facts are validated with its facts schema
    assert reads == [("policy", True), ("evidence", False), ("schema", True)]
    assert changed.exit_code == 1  # the other rules still fail
    rule = _rule(changed, "tests-pass")
    assert (rule["status"], rule["actual"], rule["message"]) == ("pass", 0, "tests.failed is 0")
    # with the tests passing, the next step towards `publish` is the docs
    assert [_rule(run, "soaked")["next"]["step"] for run in (cold, changed)] == ["test", "docs"]


def test_changed_fact_of_the_wrong_type_is_reported_despite_the_cache(
    run_cli, project: Path, reads: list[tuple[str, bool]]
) -> None:
    cold = _evaluate(run_cli, project)
    assert _evaluate(run_cli, project) == cold
    # The cached entry for the evidence says "valid": it must not vouch for changed bytes.
    _edit(project / "evidence" / "lib.yaml", "failed: 2", "failed: X")
    reads.clear()

    changed = _evaluate(run_cli, project)
    assert ("evidence", True) not in reads
    assert changed.exit_code == 2
    assert [p["code"] for p in json.loads(changed.stdout)["problems"]] == ["schema-violation"]
    assert "evidence/lib.yaml:8:13:" in changed.stderr
    assert "[schema-violation]" in changed.stderr


def test_changed_evidence_then_changed_back_is_served_again(
    run_cli, project: Path, reads: list[tuple[str, bool]]
) -> None:
    original = _evaluate(run_cli, project)
    evidence = project / "evidence" / "lib.yaml"
    text = evidence.read_text()
    evidence.write_text(text.replace("failed: 2", "failed: 0"))
    assert _evaluate(run_cli, project) != original
    evidence.write_text(text)
    reads.clear()
    assert _evaluate(run_cli, project) == original
    assert reads == [("policy", True), ("evidence", True)]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every evidence file the engine parses, by the path it is shown as."""
    from gatecheck.loading.parsing import load_bytes

    seen: list[str] = []

    def spy(raw: bytes, path: str) -> Any:
        seen.append(path)
        return load_bytes(raw, path)

    monkeypatch.setattr("gatecheck.loading.evidence.load_bytes", spy)
    return seen


def test_a_warm_run_parses_nothing(run_cli, project: Path, parsed: list[str]) -> None:
    cold = _evaluate(run_cli, project)
    assert parsed == ["evidence/lib.yaml"]
    assert _evaluate(run_cli, project) == cold
    assert parsed == ["evidence/lib.yaml"]  # the second run read the parse back


def test_a_remembered_parse_is_located_where_the_file_is_now(
    run_cli, project: Path, reads: list[tuple[str, bool]]
) -> None:
    cold = _evaluate(run_cli, project)
    (project / "moved").mkdir()
    (project / "evidence" / "lib.yaml").rename(project / "moved" / "lib.yaml")
    reads.clear()
    moved = run_cli("evaluate", "lib", "--root", str(project), "--evidence", "moved", *ARGS)
    assert ("evidence", True) in reads  # the same bytes: the parse is read back
    assert moved.stdout.count("moved/lib.yaml") == cold.stdout.count("evidence/lib.yaml") > 0
    assert "evidence/lib.yaml" not in moved.stdout
    assert moved.stdout.replace("moved/lib.yaml", "evidence/lib.yaml") == cold.stdout


def test_check_remembers_a_verdict_not_a_parse(run_cli, project: Path, parsed: list[str]) -> None:
    """`check` keeps what it validated in memory, not 100,000 parses: it parses again."""
    with cache.bypassed():
        cold = _evaluate(run_cli, project)
        kept = [value for name, value in cache._this_run.items() if name.startswith("evidence-")]
        assert [value[:3] for value in kept] == [(None, None, None)]
        assert _evaluate(run_cli, project) == cold
    assert parsed == ["evidence/lib.yaml"] * 2


def _garbage(raw: bytes) -> bytes:
    return b"\x00not a pickle" + raw[::-1]


def _truncated(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _empty(_raw: bytes) -> bytes:
    return b""


def _flipped(raw: bytes) -> bytes:
    return raw[:-1] + bytes([raw[-1] ^ 0xFF])  # the final STOP opcode


@pytest.mark.parametrize("damage", [_garbage, _truncated, _empty, _flipped])
def test_corrupt_cache_still_gives_the_same_output(
    run_cli, project: Path, isolated_cache: Path, damage
) -> None:
    cold = _evaluate(run_cli, project)
    entries = _entries(isolated_cache)
    assert len(entries) == 3  # the policy, the evidence and the facts schema
    for entry in entries:
        entry.write_bytes(damage(entry.read_bytes()))
    assert _evaluate(run_cli, project) == cold
    assert _evaluate(run_cli, project) == cold  # and the rewritten entries serve it again


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("policy", (1, 2, 3)),
        ("policy", ("release.facts.schema.json", "0" * 64, {"not": "a policy"})),
        ("policy", []),
        ("policy", True),
        ("evidence", True),
        ("evidence", ()),
        ("evidence", (1, 2, 3)),
        ("evidence", ("data", "not positions", {}, "0" * 64)),
        ("evidence", ({}, {}, {}, {}, "0" * 64)),
    ],
)
def test_entry_of_the_wrong_shape_is_ignored(
    run_cli, project: Path, isolated_cache: Path, kind: str, value: object
) -> None:
    cold = _evaluate(run_cli, project)
    (entry,) = [p for p in _entries(isolated_cache) if p.name.startswith(f"{kind}-")]
    entry.write_bytes(authentic(entry.name, pickle.dumps(value)))
    assert _evaluate(run_cli, project) == cold


def test_policy_entry_with_an_out_of_range_value_is_ignored(
    run_cli, project: Path, isolated_cache: Path
) -> None:
    cold = _evaluate(run_cli, project)
    (entry,) = [p for p in _entries(isolated_cache) if p.name.startswith("policy-")]
    raw = b"cdatetime\ntimedelta\n(J\x00\xca\x9a\x3bK\x00K\x00tR."
    entry.write_bytes(authentic(entry.name, raw))
    assert _evaluate(run_cli, project) == cold


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (
            "done_when: {fact: build.ok, eq: true}",
            "done_when: {fact: build.ok, eq: {}}",
            "bad-operand",
        ),
        ("needs: [test, docs]", "needs: [test, dosc]", "unknown-step"),
        ("older_than: 2w", "older_than: 2x", "bad-operand"),
        ("title: Ship it", "title: [Ship it", "yaml-syntax"),
        ("- id: test\n", "- id: build\n", "duplicate-id"),
    ],
)
def test_policy_made_invalid_after_a_warm_run_is_reported(
    run_cli, project: Path, old: str, new: str, code: str
) -> None:
    assert _evaluate(run_cli, project).exit_code == 1
    assert _evaluate(run_cli, project).exit_code == 1
    _edit(project / "policies" / "release.yaml", old, new)

    broken = _evaluate(run_cli, project)
    assert broken.exit_code == 2
    assert f"[{code}]" in broken.stderr
    assert "policies/release.yaml:" in broken.stderr
    assert code in [p["code"] for p in json.loads(broken.stdout)["problems"]]


def test_schema_tightened_after_a_warm_run_is_applied(run_cli, project: Path) -> None:
    assert _evaluate(run_cli, project).exit_code == 1
    assert _evaluate(run_cli, project).exit_code == 1
    _edit(
        project / "schemas" / "release.facts.schema.json",
        '"failed": {"type": "integer", "minimum": 0}',
        '"failed": {"type": "integer", "maximum": 1}',
    )

    tightened = _evaluate(run_cli, project)
    assert tightened.exit_code == 2
    assert "evidence/lib.yaml:8:13:" in tightened.stderr
    assert "[schema-violation]" in tightened.stderr


def test_every_bundled_policy_is_read_back_from_the_cache(
    isolated_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every class a compiled policy holds must be one the cache may unpickle: one left out (as
    # DeclaredColumn was) makes every run validate the policy again, pydantic, jsonschema and
    # networkx imported, with no other symptom than time.
    from tests.support.project import REPO

    from gatecheck.loading import policies as loading
    from gatecheck.project.layout import open_project

    project = open_project(str(REPO))
    first = loading.load_policies(project)
    assert not first.problems
    assert len(first.keys) >= 3  # the bundled policies and versions
    assert any(name.startswith("policy-") for name in os.listdir(isolated_cache))

    def not_again(*_: object) -> None:
        msg = "validated again: the cached entry was refused"
        raise AssertionError(msg)

    monkeypatch.setattr(loading, "_validate_policy", not_again)
    again = loading.load_policies(project)
    assert again.keys == first.keys


def test_a_policy_comparing_facts_is_read_back_from_the_cache(
    isolated_cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A fact reference compiles to a FactComparison holding an Offset: both must be classes the
    # cache may unpickle, or every run validates the policy again.
    from tests.support.project import POLICY_HEAD, write_project

    from gatecheck.language.conditions import FactComparison, Offset
    from gatecheck.loading import policies as loading
    from gatecheck.project.layout import open_project

    require = "{fact: a, lte: {fact: b, minus: 1d}}"
    policy = POLICY_HEAD + (
        "gates:\n  - id: g\n    title: G\n    source: s\n    rules:\n"
        f"      - {{id: r, title: R, source: s, require: {require}}}\n"
    )
    project = open_project(str(write_project(tmp_path, policy, {})))
    first = loading.load_policies(project)
    assert not first.problems

    def not_again(*_: object) -> None:
        msg = "validated again: the cached entry was refused"
        raise AssertionError(msg)

    monkeypatch.setattr(loading, "_validate_policy", not_again)
    (again,) = loading.load_policies(project).all()
    comparison = again.gates[0].rules[0].require
    assert isinstance(comparison, FactComparison)
    assert comparison.offset == Offset(-1, "1d", 1)
