"""Spec-test results to `spec_tests` facts: read JUnit or libtest output, map tests to proposals."""
