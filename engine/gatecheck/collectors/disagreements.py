"""Where the declared facts contradict the facts read from the code, with both locations.

The same comparisons as the `docs-agree` gate of the bundled policies, so a `collect` run shows
them before anything is judged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gatecheck.collectors.facts import Collected
from gatecheck.collectors.matrix_page import COLUMNS, MATRIX

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gatecheck.collectors.facts import Unknown


def disagreements(name: str, found: Iterable[Collected | Unknown]) -> list[str]:
    """Where the declared facts contradict the facts read from the code, with both locations.

    The same comparisons as the `docs-agree` gate of the bundled policies (its rule ids close each
    message), made only where both facts are known; the gate says the rest.
    """
    known = {fact.fact: fact for fact in found if isinstance(fact, Collected)}
    messages: list[str] = []
    for rule, check in _CHECKS:
        message = check(known)
        if message is not None:
            messages.append(f"{name}: {message} [{rule}]")
    return messages


Known = dict[str, Collected]

_Check = Callable[[Known], "str | None"]


def _tier_phase(known: Known) -> str | None:
    tier, phase = known.get("declared.tier"), known.get("proposal.phase")
    if tier is None or phase is None or not isinstance(phase.value, int):
        return None
    needed = {1: 4, 2: 3}.get(tier.value) if isinstance(tier.value, int) else None
    if needed is None or phase.value >= needed:
        return None
    return (
        f"tier {tier.value} in {at(tier)} needs an upstream phase of {needed} or more, but the "
        f"proposal is at phase {phase.value} ({at(phase)})"
    )


def _tier_1_boxes(known: Known) -> str | None:
    tier = known.get("declared.tier")
    if tier is None or tier.value != 1:
        return None
    open_boxes = [
        f"{heading} {known[f'declared.{key}'].value}"
        for heading, key in COLUMNS.items()
        if f"declared.{key}" in known and known[f"declared.{key}"].value != "✅"
    ]
    if not open_boxes:
        return None
    return (
        f"tier 1 in {at(tier)} asks every box of the matrix ({MATRIX}:8-9), but its row has "
        + ", ".join(open_boxes)
    )


def _phase_4_column(known: Known) -> str | None:
    mark, phase = known.get("declared.phase4"), known.get("proposal.phase")
    if mark is None or phase is None or not isinstance(phase.value, int):
        return None
    at_4 = phase.value >= 4  # noqa: PLR2004 - the column's phase
    if (mark.value == "✅" and not at_4) or (mark.value == "❌" and at_4):
        return (
            f"Phase 4 {mark.value} in {at(mark)}, but the proposal is at phase {phase.value} "
            f"({at(phase)})"
        )
    return None


def _tests_column(known: Known) -> str | None:
    mark, enabled = known.get("declared.tests"), known.get("spec_tests.enabled")
    if mark is None or enabled is None or mark.value != "✅" or enabled.value is not False:
        return None
    return (
        f"Tests ✅ in {at(mark)}, but the spec-test runner does not run its tests ({at(enabled)})"
    )


def _fuzzed_column(known: Known) -> str | None:
    mark = known.get("declared.fuzzed")
    if mark is None:
        return None
    generated, expected = known.get("fuzzing.generated"), known.get("fuzzing.expected")
    if mark.value == "✅":
        lacking = [
            f"{what} ({at(fact)})"
            for what, fact in (
                ("the fuzzers' module generator does not turn it on", generated),
                ("module_generation_uses_expected_proposals does not list it", expected),
            )
            if fact is not None and fact.value is False
        ]
        if lacking:
            return f"Fuzzed ✅ in {at(mark)}, but " + " and ".join(lacking)
    if mark.value == "❌" and expected is not None and expected.value is True:
        return (
            f"Fuzzed ❌ in {at(mark)}, but module_generation_uses_expected_proposals lists it "
            f"({at(expected)})"
        )
    return None


def _api_column(column: str, key: str, api: str, knob_fact: str) -> _Check:
    def check(known: Known) -> str | None:
        mark, exposed, knob = known.get(f"declared.{key}"), known.get(api), known.get(knob_fact)
        if mark is None:
            return None
        if mark.value == "✅" and exposed is not None and exposed.value is False:
            return f"{column} ✅ in {at(mark)}, but {exposed.note} ({at(exposed)})"
        if mark.value == "❌" and knob is not None and knob.value is True:
            switch = knob.note.split(": `")[0]
            return f"{column} ❌ in {at(mark)}, but the switch {switch} exists ({at(knob)})"
        return None

    return check


def _on_by_default_column(known: Known) -> str | None:
    said, code = known.get("declared.on_by_default"), known.get("wasmtime.enabled_by_default")
    if said is None or code is None or said.value == code.value:
        return None
    state = "on" if said.value else "off"
    actual = "on" if code.value else "off"
    return f"{state} by default in {at(said)}, but the code's default is {actual} ({at(code)})"


_CHECKS: tuple[tuple[str, _Check], ...] = (
    ("tier-phase", _tier_phase),
    ("tier-1-boxes", _tier_1_boxes),
    ("phase-4-column", _phase_4_column),
    ("tests-column", _tests_column),
    ("fuzzed-column", _fuzzed_column),
    ("api-column", _api_column("API", "api", "apis.rust", "wasmtime.config_method")),
    ("c-api-column", _api_column("C API", "c_api", "apis.c", "wasmtime.c_config_setter")),
    ("on-by-default", _on_by_default_column),
)


def at(fact: Collected) -> str:
    where = f"{fact.file}:{fact.line}" if fact.line is not None else fact.file
    if fact.repository.endswith("/wasmtime"):
        return where
    return f"{fact.repository} {where}"
