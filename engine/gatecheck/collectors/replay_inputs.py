"""What the collector reads: every file of every fact, the listing and the pages, by repository.

A replay compares the object ids of these files from commit to commit, so it collects a fact
again only when a file it reads changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gatecheck.collectors.apis import api_files, load_api_table
from gatecheck.collectors.matrix_page import MATRIX
from gatecheck.collectors.repositories import CONFIG_RS
from gatecheck.collectors.tiers_page import TIERS

if TYPE_CHECKING:
    from gatecheck.collectors.table import FactSpec, Table


Input = tuple[str, str]  # (repository key of the table, path)


def fact_inputs(spec: FactSpec) -> tuple[Input, ...]:
    """Every file one fact of the table may read, in any repository."""
    found = [(spec.repository, path) for path in spec.files]
    for locator in spec.locators:
        found += [
            (locator.repository or spec.repository, path) for path in locator.files or spec.files
        ]
        if locator.member_of is not None:
            found.append((locator.member_of["repository"], locator.member_of["file"]))
    return tuple(dict.fromkeys(found))


def phase_inputs(table: Table) -> tuple[Input, ...]:
    phases = table.phases
    return (
        ("proposals", phases.finished),
        ("proposals", phases.active),
        ("wasmtime", phases.claim_file),
    )


def page_inputs() -> tuple[Input, ...]:
    """Wasmtime's own pages on its proposals, which `declared` facts come from."""
    return (("wasmtime", MATRIX), ("wasmtime", TIERS))


def listing_inputs(table: Table) -> tuple[Input, ...]:
    return tuple((table.listing.repository, path) for path in table.listing.files)


def files_read(table: Table) -> dict[str, tuple[str, ...]]:
    """Per repository key, every path a collection at one revision may read."""
    inputs = [input_ for spec in table.facts for input_ in fact_inputs(spec)]
    inputs += [*phase_inputs(table), *listing_inputs(table)]
    inputs += [("wasmtime", CONFIG_RS), *page_inputs()]
    inputs += [("wasmtime", path) for path in api_files(load_api_table())]
    inputs += [("wasmtime", version.file) for version in table.policies.versions]
    inputs += [
        ("wasmtime", spec["pinned_by"]["file"])
        for spec in table.repositories.values()
        if spec.get("pinned_by")
    ]
    found: dict[str, dict[str, None]] = {}
    for key, path in inputs:
        found.setdefault(key, {})[path] = None
    return {key: tuple(paths) for key, paths in found.items()}
