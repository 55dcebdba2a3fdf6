"""Where a run's files are: the project root, its configuration, policies, evidence and schemas."""
