"""`gatecheck history wasmtime`: a replay over small repositories of our own, in every format.

The repositories are tests/support/history_repos.py's (invented content, eight Wasmtime commits
over two policy eras). Golden outputs live in tests/reporters/golden/history.* (rewrite them
with `pytest --update-goldens` and review the diff).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest
from tests.support.golden import golden
from tests.support.history_repos import CONFIG_RS, HistoryRepos, build_history_repos
from tests.support.html import Page

from gatecheck.collectors.commit_walk import ReplayOptions
from gatecheck.collectors.companion_index import CompanionIndex
from gatecheck.collectors.facts import Collected
from gatecheck.collectors.locating import collect
from gatecheck.collectors.replay import Replay
from gatecheck.collectors.replay_inputs import files_read
from gatecheck.collectors.repositories import open_companion, open_wasmtime
from gatecheck.collectors.table import load_table
from gatecheck.commands.history.evidence import evidence_data
from gatecheck.commands.history.options import HistoryOptions
from gatecheck.commands.history.replay import replay_history
from gatecheck.git.history import HistoryReader
from gatecheck.git.revisions import RevisionReader
from gatecheck.project.layout import open_project

if TYPE_CHECKING:
    from pathlib import Path

    from tests.support.project import Run

    from gatecheck.collectors.facts import Unknown


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> HistoryRepos:
    return build_history_repos(tmp_path_factory.mktemp("history"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project without policies: the bundled ones judge."""
    directory = tmp_path / "project"
    directory.mkdir()
    return directory


def options(repos: HistoryRepos, **changes: Any) -> ReplayOptions:
    every = ReplayOptions(
        str(repos.wasmtime),
        wasm_tools=str(repos.wasm_tools),
        proposals=str(repos.proposals),
        embeddings=(f"python={repos.python}",),
    )
    return every._replace(**changes)


def history(run_cli: Any, repos: HistoryRepos, root: Path, *args: str) -> Run:
    result: Run = run_cli(
        "history",
        "wasmtime",
        str(repos.wasmtime),
        "--wasm-tools",
        str(repos.wasm_tools),
        "--proposals",
        str(repos.proposals),
        "--embedding",
        f"python={repos.python}",
        "--root",
        str(root),
        *args,
    )
    return result


# -- what is replayed -----------------------------------------------------------------------------


def test_only_commits_that_change_a_file_read_are_replayed(repos: HistoryRepos, root: Path) -> None:
    found = replay_history(open_project(str(root), None, None), HistoryOptions(options(repos)))
    commits = repos.commits
    assert found.considered == 8
    # 3 changes only the README; 5 does too, but wasmtime-py gained `wasm_gc` the day before
    assert [point.commit for point in found.points] == [commits[i] for i in (0, 1, 3, 4, 5, 6, 7)]
    changed = {
        point.commit: [source.repository for source in point.changed] for point in found.points
    }
    assert changed[commits[4]] == ["bytecodealliance/wasmtime-py"]
    assert changed[commits[5]] == [
        "bytecodealliance/wasmtime",
        "bytecodealliance/wasm-tools",
        "WebAssembly/proposals",
    ]
    assert found.policies == ((0, "wasm-proposal@1"), (5, "wasm-proposal@2"))
    assert found.subjects == ("tail-call", "gc")


def test_replayed_facts_are_those_a_fresh_collection_finds_at_each_commit(
    repos: HistoryRepos,
) -> None:
    """The replay reuses facts whose files did not change; a collection from scratch agrees."""
    table = load_table()
    with contextlib.ExitStack() as stack:
        replay = Replay(stack, table, options(repos))
        moments = list(replay.moments())
        for moment in moments:
            wasmtime = open_wasmtime(stack, table, str(repos.wasmtime), moment.commit)
            fresh: dict[str, Any] = {"wasmtime": wasmtime}
            for key, path in (("wasm-tools", repos.wasm_tools), ("python", repos.python)):
                fresh[key] = open_companion(
                    stack, table, key, str(path), wasmtime=wasmtime
                ).snapshot
                assert fresh[key].commit == moment.snapshots[key].commit
            missing = {
                "go": "no --embedding go=PATH given",
                "dotnet": "no --embedding dotnet=PATH given",
            }
            for item in replay.listed(moment):
                replayed = replay.facts(moment, item.name)[: len(table.facts)]
                expected = collect(table, item.name, fresh, missing)
                assert [_shape(fact) for fact in replayed] == [_shape(fact) for fact in expected]
        unlisted = {
            path
            for moment in moments
            for snapshot in moment.snapshots.values()
            for path in snapshot.unlisted
        }
    assert unlisted == set()  # files_read names every file a collection reads


def _shape(fact: Collected | Unknown) -> tuple[Any, ...]:
    """What must agree: the value and where it was read (a reused fact keeps an older commit)."""
    if isinstance(fact, Collected):
        return (fact.fact, fact.value, fact.repository, fact.file, fact.line)
    return (fact.fact, "unknown")


def test_files_read_names_every_file_of_every_fact() -> None:
    table = load_table()
    paths = files_read(table)
    for spec in table.facts:
        assert set(spec.files) <= set(paths[spec.repository])
    assert CONFIG_RS in paths["wasmtime"]
    assert "Cargo.toml" in paths["wasmtime"]  # the pin that chooses wasm-tools' tag
    assert "docs/contributing-implementing-wasm-proposals.md" in paths["wasmtime"]  # the policy


def test_a_companion_is_chosen_as_git_log_before_chooses(repos: HistoryRepos) -> None:
    with (
        HistoryReader(str(repos.python), "py") as history,
        RevisionReader(str(repos.python), "py") as reader,
    ):
        index = CompanionIndex(history)
        for date in (
            "2024-03-01",
            "2024-04-01T00:00:00+00:00",
            "2024-06-30",
            "2024-07-01T00:00:00Z",
            "2025-01-01",
        ):
            when = (
                dt.datetime.fromisoformat(date).replace(tzinfo=dt.UTC).isoformat()
                if "T" not in date
                else date
            )
            assert index.latest_before(when) == reader.latest_before(when), date


def test_the_evidence_built_in_memory_fits_its_policy_schema(
    repos: HistoryRepos, root: Path
) -> None:
    from gatecheck.documents import Document
    from gatecheck.loading.facts_validation import validate_facts
    from gatecheck.loading.policies import load_policies

    policies = load_policies(open_project(str(root), None, None))
    with contextlib.ExitStack() as stack:
        replay = Replay(stack, load_table(), options(repos))
        for moment in replay.moments():
            policy = policies.resolve(replay.policy(moment))
            assert not isinstance(policy, str)
            for item in replay.listed(moment):
                data = evidence_data(
                    item.name,
                    replay.facts(moment, item.name),
                    policy=policy.ref,
                    wasmtime=moment.snapshots["wasmtime"],
                    hows={},
                )
                document = Document("memory", data, {}, {})
                schema = policies.facts_schema(policy)
                assert list(validate_facts(schema, data["facts"], document, ("facts",))) == []


# -- the formats ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("markdown", "md"), ("html", "html")])
def test_golden(  # noqa: PLR0917 - fixtures and parameters
    run_cli: Any, repos: HistoryRepos, root: Path, fmt: str, suffix: str, update_goldens: bool
) -> None:
    result = history(run_cli, repos, root, "--format", fmt)
    # tail-call is on by default from commit 1 while the fuzzers cannot generate it (v1, standard 5)
    assert result.exit_code == 1, result.stderr
    golden(f"history.{suffix}", result.stdout, update_goldens)


def test_text_says_when_each_gate_flipped_and_escapes_git_text(
    run_cli: Any, repos: HistoryRepos, root: Path
) -> None:
    out = history(run_cli, repos, root, "--subject", "gc").stdout
    assert "8 commits considered, 7 replayed" in out
    assert "judged by wasm-proposal@1 from 2024-05-01 (" in out
    assert "      apis.python: false → true\n" in out
    # Go and .NET were not given: "another language" is unknown until Python has it, never false
    assert "      rule enable-by-default/other-language: MISSING → PASS (apis.python)\n" in out
    # the summary of commit 5 holds a terminal escape: shown, not sent
    assert "README <script>alert(1)</script> \\x1b[31mred" in out
    assert "\x1b" not in out
    assert out.endswith(
        "1 subject, 0 declarations ahead of the evidence, 0 of them while a claimed gate failed\n"
    )


def test_json_has_every_event_with_real_values(
    run_cli: Any, repos: HistoryRepos, root: Path
) -> None:
    result = history(run_cli, repos, root, "--subject", "tail-call", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    c = repos.commits
    assert (data["considered"], data["replayed"], data["exit"]) == (8, 7, 1)
    assert [(p["policy"], p["commit"]) for p in data["policies"]] == [
        ("wasm-proposal@1", c[0]),
        ("wasm-proposal@2", c[6]),
    ]
    (subject,) = data["subjects"]
    events = [
        (c.index(e["commit"]), e["kind"], e.get("name"), e["before"], e["after"])
        for e in subject["events"]
        if e["kind"] != "rule" or (e["before"] is not None and e["after"] is not None)
    ]
    assert events[:8] == [
        (0, "listed", None, None, None),
        (0, "policy", "wasm-proposal@1", None, "wasm-proposal@1"),
        (0, "declared", "declared.stability_tiers.tier", None, 2),  # Wasmtime's tiers page
        (0, "declared", "wasmtime.enabled_by_default", None, False),
        (0, "declared", "wasmtime.tier", None, 2),
        (0, "gate", "enable-by-default", None, "fail"),  # fuzzing.generated is false
        (0, "gate", "docs-agree", None, "pass"),
        (1, "declared", "wasmtime.enabled_by_default", False, True),
    ]
    assert (1, "ahead", "enable-by-default", None, "fail") in events
    assert (5, "gate", "enable-by-default", "fail", "missing") in events
    assert (5, "fact", "fuzzing.generated", False, True) in events
    assert (5, "fact", "proposal.phase", 4, 5) in events
    assert (6, "policy", "wasm-proposal@2", "wasm-proposal@1", "wasm-proposal@2") in events
    assert (7, "declared", "wasmtime.tier", 2, 1) in events
    assert (7, "rule", "tier-1/in-expected-proposals", "missing", "pass") in events
    first = subject["events"][2]
    assert first["first"] is True
    stretches = [
        (
            s["gate"],
            s["policy"],
            c.index(s["from"]["commit"]),
            s["to"] and c.index(s["to"]["commit"]),
            s["statuses"],
        )
        for s in subject["ahead"]
    ]
    assert stretches == [
        (
            "enable-by-default",
            "wasm-proposal@1",
            1,
            6,
            ["fail", "missing"],
        ),  # failing until fuzzing.generated
        ("enable-by-default", "wasm-proposal@2", 6, None, ["missing"]),
        ("tier-2", "wasm-proposal@2", 6, None, ["missing"]),
        ("tier-1", "wasm-proposal@2", 7, None, ["missing"]),
    ]
    assert subject["ahead"][0]["claim"] == [
        "declared.on_by_default: not determined",  # the fixture's pages say nothing yet
        "wasmtime.enabled_by_default: true",
    ]
    assert subject["ahead"][0]["ended"] == "another version of the policy judges from here"


def test_a_declaration_ahead_of_failing_evidence_exits_1(
    run_cli: Any, repos: HistoryRepos, root: Path
) -> None:
    """By today's standards, tail calls were on by default while the fuzzers generated none."""
    args = ("--subject", "tail-call", "--policy", "wasm-proposal@2", "--format", "json")
    result = history(run_cli, repos, root, *args)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    c = repos.commits
    (stretch,) = [s for s in data["subjects"][0]["ahead"] if s["gate"] == "enable-by-default"]
    assert stretch["from"]["commit"] == c[1]
    assert stretch["to"] is None
    assert stretch["statuses"] == ["fail", "missing"]  # failed until wasm-smith generated them
    assert stretch["failed"] == ["continuously-fuzzed"]
    assert stretch["failing"] is True
    assert [p["policy"] for p in data["policies"]] == ["wasm-proposal@2"]
    text = history(run_cli, repos, root, "--subject", "tail-call", "--policy", "wasm-proposal@2")
    assert "judged by wasm-proposal@2 at every commit (--policy)" in text.stdout
    assert (
        "1 of them while a claimed gate failed (tail-call enable-by-default from 2024-05-22)"
        in (text.stdout)
    )


def test_html_is_self_contained_and_escaped(run_cli: Any, repos: HistoryRepos, root: Path) -> None:
    out = history(run_cli, repos, root, "--format", "html").stdout
    page = Page(out)
    for tag in ("script", "link", "img", "iframe", "object"):
        assert not page.all(tag), tag
    assert all(not (a.get("href") or "").startswith(("http", "//")) for a in page.all("a"))
    assert "<script>alert" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "\\x1b[31mred" in out
    assert "\x1b" not in out
    assert len(page.all("section", **{"class": "subject"})) == 2
    assert len(page.all("svg", role="img")) == 2
    assert len(page.all("rect", **{"class": "ahead"})) == 4  # tail-call's four stretches
    lanes = [text for text in page.text if text.startswith("gate ")]
    assert {"gate enable-by-default", "gate tier-1", "gate tier-2"} <= set(lanes)


# -- ranges ---------------------------------------------------------------------------------------


def test_from_and_to_bound_the_range(repos: HistoryRepos, root: Path) -> None:
    c = repos.commits
    project = open_project(str(root), None, None)
    found = replay_history(project, HistoryOptions(options(repos, start=c[2], to=c[5])))
    assert found.considered == 4
    # the first is always replayed (README only); 3 changes config.rs, 4 wasmtime-py, 5 the pin
    assert [p.commit for p in found.points] == [c[2], c[3], c[4], c[5]]
    since = options(repos, since=dt.date(2024, 6, 15))
    found = replay_history(project, HistoryOptions(since))
    assert found.first.commit == c[3]
    assert found.last.commit == c[7]


# -- bad input ------------------------------------------------------------------------------------


def _problem(result: Run, code: str, where: str) -> str:
    assert result.exit_code == 2, result.stdout
    assert f"[{code}]" in result.stderr, result.stderr
    assert result.stderr.startswith(f"{where}: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_an_unknown_subject_is_refused_with_a_hint(
    run_cli: Any, repos: HistoryRepos, root: Path
) -> None:
    stderr = _problem(
        history(run_cli, repos, root, "--subject", "tail-cal"),
        "unknown-proposal",
        str(repos.wasmtime),
    )
    assert "--subject tail-cal: Wasmtime's docs list it at no commit from" in stderr
    assert "hint: did you mean 'tail-call'?" in stderr


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--from", "HEAD", "--to", "HEAD~7"), "bad-range", "is not an ancestor of --to HEAD~7"),
        (("--since", "2030-01-01"), "bad-range", "--since 2030-01-01: no commit of that day"),
        (("--to", "no-such-ref"), "unknown-ref", "--to no-such-ref: no such commit"),
        (("--from", "no-such-ref"), "unknown-ref", "--from no-such-ref: no such commit"),
    ],
)
def test_a_bad_range_is_refused(  # noqa: PLR0917 - fixtures and parameters
    run_cli: Any, repos: HistoryRepos, root: Path, args: tuple[str, ...], code: str, says: str
) -> None:
    assert says in _problem(history(run_cli, repos, root, *args), code, str(repos.wasmtime))


def test_usage_errors_exit_2(run_cli: Any, repos: HistoryRepos, root: Path) -> None:
    both = history(run_cli, repos, root, "--since", "2024-01-01", "--from", "HEAD")
    assert both.exit_code == 2
    assert "give --since or --from, not both" in both.stderr
    date = history(run_cli, repos, root, "--since", "May 2024")
    assert date.exit_code == 2
    assert "'May 2024' is not a date in the form YYYY-MM-DD" in date.stderr


def test_not_a_repository_nor_wasmtime(run_cli: Any, repos: HistoryRepos, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    result = run_cli("history", "wasmtime", str(plain), "--root", str(tmp_path))
    assert "is not a git repository" in _problem(result, "not-a-repository", str(plain))
    absent = tmp_path / "absent"
    result = run_cli("history", "wasmtime", str(absent), "--root", str(tmp_path))
    _problem(result, "bad-directory", str(absent))
    result = run_cli("history", "wasmtime", str(repos.wasm_tools), "--root", str(tmp_path))
    assert "no crates/wasmtime/src/config.rs" in _problem(
        result, "not-wasmtime", str(repos.wasm_tools)
    )


def test_bad_embeddings_and_policies(run_cli: Any, repos: HistoryRepos, root: Path) -> None:
    result = history(run_cli, repos, root, "--embedding", "ruby=/x")
    _problem(result, "bad-embedding", "ruby=/x")
    result = history(run_cli, repos, root, "--policy", "wasm-proposal@9")
    assert result.exit_code == 2
    assert "[unknown-policy]" in result.stderr
    assert "policy wasm-proposal has no version 9" in result.stderr


def test_the_formats_offered_are_the_registered_history_reporters() -> None:
    from gatecheck.cli.history import history_wasmtime
    from gatecheck.reporters import HISTORY_REPORTERS

    choices = next(p for p in history_wasmtime.params if p.name == "fmt").type.choices  # type: ignore[attr-defined]
    assert tuple(choices) == tuple(HISTORY_REPORTERS)
    for name in HISTORY_REPORTERS:
        assert callable(HISTORY_REPORTERS[name].render_history)


def test_a_declaration_that_can_no_longer_be_read_ends_its_stretch_saying_so(root: Path) -> None:
    """At 974c3245 (2024-08-02) the table cannot read tail-call's default: not a withdrawal."""
    from gatecheck.commands.history.judging import Judged
    from gatecheck.commands.history.timeline import Timeline
    from gatecheck.evaluation.history_results import AHEAD, CAUGHT_UP, UNREAD, WITHDRAWN, Point
    from gatecheck.evaluation.rule_results import Verdict
    from gatecheck.loading.policies import load_policies

    policy = load_policies(open_project(str(root), None, None)).resolve("wasm-proposal@1")
    assert not isinstance(policy, str)
    timeline = Timeline(frozenset({"wasmtime.enabled_by_default"}))

    def judged(default: bool | None, *, claimed: bool, unread: bool) -> Judged:
        gates = {gate.id: Verdict.MISSING for gate in policy.gates}
        rules = {
            f"{gate.id}/{rule.id}": Verdict.MISSING for gate in policy.gates for rule in gate.rules
        }
        ours = frozenset({"enable-by-default"})
        return Judged(
            policy,
            {"wasmtime.enabled_by_default": default},
            gates,
            rules,
            ours if claimed else frozenset(),
            ours if unread else frozenset(),
        )

    steps = [(True, True, False), (None, False, True), (True, True, False), (False, False, False)]
    for index, (default, claimed, unread) in enumerate(steps):
        timeline.point(Point(f"{index:040d}", f"2024-08-0{index + 1}T00:00:00+00:00", "", ()))
        timeline.judged("tail-call", judged(default, claimed=claimed, unread=unread))
    ends = [(e.point, e.after) for e in timeline.events if e.kind == CAUGHT_UP]
    assert ends == [(1, UNREAD), (3, WITHDRAWN)]
    assert [e.point for e in timeline.events if e.kind == AHEAD] == [0, 2]
    assert [(s.start, s.end, s.ended) for s in timeline.finish()] == [
        (0, 1, UNREAD),
        (2, 3, WITHDRAWN),
    ]
