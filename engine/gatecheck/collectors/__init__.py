"""Collectors: read facts about subjects from other repositories, as a declarative table says."""
