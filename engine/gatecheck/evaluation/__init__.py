"""Pure evaluation: compiled judges, the explaining evaluator, verdicts, time, authority, plans."""
