"""Unit tests for policies (`*.test.yaml`): find them, build their evidence, run them."""
