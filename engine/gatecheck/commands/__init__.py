"""The commands, one module each: plain functions from a project and options to a report."""
