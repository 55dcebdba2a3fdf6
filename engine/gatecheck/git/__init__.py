"""The git facts `check` and `history` need, read by running the real `git`."""
