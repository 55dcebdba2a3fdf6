"""Spec-test results to `spec_tests` facts: read JUnit or libtest, tally by proposal, record."""
