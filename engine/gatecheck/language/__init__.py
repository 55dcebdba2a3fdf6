"""The policy language: shapes, operators, conditions, policies, evidence, facts schemas, words."""
