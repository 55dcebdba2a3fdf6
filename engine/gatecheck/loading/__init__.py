"""Loading: bytes to plain data with positions, then validated engine objects, within limits.

The stage in order (what a file may cost, `gatecheck.limits`, and reading it safely,
`gatecheck.reading`, are the foundation's): `input_bytes` (a project file's bytes),
`yaml_events` / `yaml_scalars` / `parsing` (YAML to a `Document`: plain data and the position
of every node), `strict_json` / `json_positions` / `facts_schemas` / `metaschema` /
`schema_tree` / `schema_budget` / `facts_schema_checks` (facts schemas, whether gatecheck can
use one, and what checking facts against them may cost), `facts_validation` (facts checked
against their schema), `validation` (pydantic's findings as located problems), `policies` /
`policy_catalogue` / `evidence` (files to compiled policies and evidence), and `cache` /
`cache_trust` / `cache_eviction` (validations not repeated across runs).
"""
