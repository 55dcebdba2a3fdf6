"""Editing evidence, the one way gatecheck writes it: round-trip YAML, changes, diffs."""
