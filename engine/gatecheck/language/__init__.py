"""The policy language: what policy and evidence files may say, and what it means to the engine.

- shape_parts, condition_shapes, shapes: the files' shapes as pydantic models (cold path only),
  the source of the JSON Schemas under schemas/; json_schemas: those schemas for editors.
- conditions, policy, evidence: the engine's objects; condition_compiler, fact_paths,
  operand_checks, policy_compiler, policy_references, evidence_checks: building them from a
  file's plain data and checking what it means.
- kinds, operators, regexes: how values compare (strictly, never coerced).
- facts_schema, facts_messages: facts schemas (checking facts against them is loading's).
- leaves: what one test means, for every evaluator; values: how a value is printed.
- wording, examples, example_values, explained: the language put back into words and examples.
"""
