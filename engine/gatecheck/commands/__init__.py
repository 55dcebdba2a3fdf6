"""The commands, one module each: plain functions from a project and options to a report.

`check` and `history` are packages, one module per part of their job. The CLI calls these, and a
reporter renders what they return.
"""
