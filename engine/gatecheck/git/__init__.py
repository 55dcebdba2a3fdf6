"""The git facts `check`, `collect` and `history` need, read by running the real `git`."""
