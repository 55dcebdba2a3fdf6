"""The collector table: where each fact lives, and how a match there becomes its value.

The table is package data (`wasmtime.yaml`); `load_table` checks its shape so a broken table is a
clear error at load time. The proposals' spellings that fill its patterns are `spellings`.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any, Literal, NamedTuple

UNKNOWN = "unknown"
# What a locator's `value:` is: true, false or a list of targets as it is ("literal"), the match's
# first group or the heading above it ("capture"), a spelling template, or UNKNOWN (undeterminable)
ValueKind = Literal["literal", "capture", "template", "unknown"]


class Locator(NamedTuple):
    """Where a fact may be found, and how a match there becomes its value: one of its `rules:`.

    The pattern is a template filled with the proposal's spellings; the first locator of a fact
    that holds gives the value (`locating`), and none holding may leave the fact's `absent` value.
    """

    pattern: str
    value: object  # True, False, a list, "capture", UNKNOWN (`note` says why), or a template
    kind: ValueKind  # which of those `value` is, decided once when the table is loaded
    note: str | None = None
    member_of: dict[str, str] | None = None
    # where this locator looks when not where its fact does (a mechanism in another file or
    # repository)
    repository: str | None = None
    files: tuple[str, ...] | None = None
    within: tuple[str, str] | None = None
    # holds when the pattern is NOT in the file (or region), which must exist: "no such option"
    missing: bool = False
    # group 1 of every match is a .wast path; holds when one of them tests this proposal
    # (spec_test_map.yaml): a per-file list of expected failures
    spec_test_of: bool = False


class FactSpec(NamedTuple):
    fact: str
    repository: str
    files: tuple[str, ...]
    locators: tuple[Locator, ...]
    absent: object  # a value, or UNKNOWN
    note: str
    within: tuple[str, str] | None = None
    section: str | None = None
    anchor: str | None = None
    # another fact that must have been collected as `true` before this one may claim support (be
    # true, or a list of targets): "nothing refuses it" says something only about a proposal whose
    # spec tests run; a refusal (false, []) stands on its own
    requires: str | None = None


class Listing(NamedTuple):
    repository: str
    files: tuple[str, ...]
    sections: str
    row: str


class Phases(NamedTuple):
    finished: str
    active: str
    heading: str
    claim_file: str
    claim_pattern: str


class PolicyVersion(NamedTuple):
    """A policy version in force at revisions whose `file` has a line matching `pattern`."""

    policy: str  # name@version
    file: str
    pattern: str
    note: str


class Policies(NamedTuple):
    versions: tuple[PolicyVersion, ...]  # the first that holds at a revision is in force
    otherwise: str  # for a new file when none holds


class Table(NamedTuple):
    phases: Phases
    repositories: dict[str, dict[str, Any]]
    spellings: dict[str, str | None]
    proposals: dict[str, dict[str, str | None]]
    reasons: dict[str, dict[str, str]]  # proposal -> spelling -> why it has none
    skip: dict[str, str]
    listing: Listing
    facts: tuple[FactSpec, ...]
    policies: Policies = Policies((), "wasm-proposal@1")


def load_table(name: str = "wasmtime.yaml") -> Table:
    """The bundled table `name`, checked; a malformed table raises ValueError (a gatecheck bug)."""
    from ruamel.yaml import YAML

    text = resources.files("gatecheck.collectors").joinpath(name).read_text("utf-8")
    return parse_table(YAML(typ="safe").load(text))


def parse_table(data: dict[str, Any]) -> Table:
    facts = tuple(_fact(fact, spec) for fact, spec in data["facts"].items())
    listing = data["listing"]
    phases = data["phases"]
    table = Table(
        phases=Phases(
            phases["finished"],
            phases["active"],
            phases["heading"],
            phases["wasmtime_claim"]["file"],
            phases["wasmtime_claim"]["pattern"],
        ),
        repositories=dict(data["repositories"]),
        spellings=dict(data["spellings"]),
        proposals={
            key: {k: v for k, v in (value or {}).items() if k != "why"}
            for key, value in data["proposals"].items()
        },
        reasons={
            key: dict((value or {}).get("why") or {}) for key, value in data["proposals"].items()
        },
        skip=dict(data.get("skip") or {}),
        listing=Listing(
            listing["repository"], tuple(listing["files"]), listing["sections"], listing["row"]
        ),
        facts=facts,
        policies=_policies(data["policy"]),
    )
    for spec in facts:
        if spec.repository not in table.repositories:
            msg = f"fact {spec.fact}: unknown repository {spec.repository!r}"
            raise ValueError(msg)
        for locator in spec.locators:
            re.compile(locator.pattern.replace("{", "(").replace("}", ")"))  # syntax, roughly
            if locator.repository is not None and locator.repository not in table.repositories:
                msg = f"fact {spec.fact}: a rule reads unknown repository {locator.repository!r}"
                raise ValueError(msg)
            if locator.kind == "unknown" and not locator.note:
                msg = f"fact {spec.fact}: a rule whose value is unknown must say why (note)"
                raise ValueError(msg)
        if spec.requires is not None and spec.requires not in {f.fact for f in facts}:
            msg = f"fact {spec.fact}: requires {spec.requires!r}, which the table does not collect"
            raise ValueError(msg)
    return table


def _policies(data: dict[str, Any]) -> Policies:
    versions = tuple(
        PolicyVersion(item["policy"], item["file"], item["pattern"], item["note"])
        for item in data["versions"]
    )
    for version in versions:
        re.compile(version.pattern)
        if "@" not in version.policy:
            msg = f"policy {version.policy!r}: name the version (name@version)"
            raise ValueError(msg)
    return Policies(versions, data["otherwise"])


def _fact(fact: str, spec: dict[str, Any]) -> FactSpec:
    return FactSpec(
        fact=fact,
        repository=spec["repository"],
        files=tuple(spec["files"]),
        locators=tuple(_locator(fact, entry) for entry in _flatten(spec["rules"])),
        absent=spec["absent"],
        note=spec["note"],
        within=_within(spec.get("within")),
        section=spec.get("section"),
        anchor=spec.get("anchor"),
        requires=spec.get("requires"),
    )


def _flatten(rules: list[Any]) -> list[dict[str, Any]]:
    """A fact's `rules:`, nested lists spliced in: a YAML alias names a group facts share."""
    flat: list[dict[str, Any]] = []
    for entry in rules:
        flat.extend(_flatten(entry) if isinstance(entry, list) else [entry])
    return flat


def _locator(fact: str, entry: dict[str, Any]) -> Locator:
    files = entry.get("files")
    return Locator(
        entry["pattern"],
        entry["value"],
        _value_kind(fact, entry["value"]),
        entry.get("note"),
        entry.get("member_of"),
        repository=entry.get("repository"),
        files=tuple(files) if files else None,
        within=_within(entry.get("within")),
        missing=bool(entry.get("missing", False)),
        spec_test_of=bool(entry.get("spec_test_of", False)),
    )


def _value_kind(fact: str, value: object) -> ValueKind:
    """Which kind of value a locator gives; any other value is a broken table, not a literal."""
    if value == UNKNOWN:
        return "unknown"
    if value == "capture":
        return "capture"
    if isinstance(value, str):
        return "template"
    if isinstance(value, bool | list):
        return "literal"
    msg = (
        f"fact {fact}: a rule's value {value!r} is none of true, false, a list of targets, "
        "capture, unknown or a template"
    )
    raise ValueError(msg)


def _within(within: dict[str, str] | None) -> tuple[str, str] | None:
    return (within["start"], within["end"]) if within else None
