"""The data bundled in the package: policies, schemas and evidence, for a run outside a project.

Read through `importlib.resources`, and only when the root has no directory of its own, so a run
inside a repository never pays for it.
"""

from __future__ import annotations

from gatecheck.project.directory import Directory

BUNDLED = "<bundled>"
_BUNDLED_PACKAGES = {
    "policies": "gatecheck.policies",
    "schemas": "gatecheck.schemas",
    "evidence": "gatecheck.bundled_evidence",  # not language.evidence, the engine module
}


def bundled(name: str) -> Directory:
    """The data bundled in the package: policies, schemas or evidence."""
    from importlib.resources import files

    return Directory(f"{BUNDLED}/{name}", files(_BUNDLED_PACKAGES[name]))
