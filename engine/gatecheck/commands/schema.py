"""`schema`: JSON Schemas for editors, general or of one policy's evidence files."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gatecheck.language.policy import Policy
    from gatecheck.loading.policy_catalogue import Policies
    from gatecheck.project.layout import Project


def general_schema(kind: str) -> str:
    """The policy-language (`policy`) or evidence-envelope (`evidence`) schema, as JSON text."""
    from gatecheck.language.json_schemas import bundled_schema, render

    return render(bundled_schema(kind))


def policy_schema(project: Project, ref: str) -> str:
    """The complete evidence schema of the policy `ref` names (NAME alone: its default), as JSON."""
    from gatecheck.language.json_schemas import evidence_file_name, export_schemas, render

    policies, only = _load(project, ref)
    assert only is not None  # noqa: S101 - a ref was given
    return render(export_schemas(policies, only)[evidence_file_name(only)])


def write_all_schemas(project: Project, ref: str | None, out: str) -> list[str]:
    """Write every schema (or `ref`'s with the two general ones) into `out`; the paths written."""
    from gatecheck.language.json_schemas import export_schemas, write_schemas

    policies, only = _load(project, ref)
    return write_schemas(export_schemas(policies, only), out, out)


def _load(project: Project, ref: str | None) -> tuple[Policies, Policy | None]:
    """The project's policies, and the one `ref` names (None: no ref)."""
    from gatecheck.errors import Location
    from gatecheck.loading.policies import load_policies
    from gatecheck.loading.policy_catalogue import policy_option

    policies = load_policies(project)
    if ref is None:
        return policies, None
    return policies, policy_option(policies, ref, Location(project.policies.display + "/", 0, 0))
