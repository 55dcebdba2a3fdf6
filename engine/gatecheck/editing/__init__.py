"""Editing evidence, the one way gatecheck writes it: which file, what changes, checked, written."""
