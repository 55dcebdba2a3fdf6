"""Every limit on what one input file, or one run, may cost: the one place they are defined.

They are far above any real policy or evidence file and far below what would make a run hang or
exhaust memory; docs/reliability.md#limits lists them all. Code that enforces a limit reads it
from this module when it runs (`limits.MAX_FILE_BYTES`), so a test may lower it.
"""

from __future__ import annotations

# One file: its size in bytes, how deeply its YAML nests, and how many nodes it holds.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000  # counts every node an alias expands to: a "billion laughs" file stops early

# A policy file has its own size and node limits: a run reads one file per policy (and caches
# it compiled), but evidence files by the thousand. bench/plan_scale.py's 1,000,000-step policy
# is 122 MB and 18,000,000 values (18 a step); these hold it with room to spare.
MAX_POLICY_BYTES = 256 * 1024 * 1024
MAX_POLICY_NODES = 24_000_000

# One run: entries listed in one directory (or one tree of policy tests). The benchmarks read
# 10,000 evidence files; listing 100,000 takes about 0.2 s.
MAX_FILES = 100_000

# A regular expression (`matches`, a facts schema's `pattern` and `patternProperties`) is RE2's:
# linear in the text it reads. Its length and the memory RE2 may spend compiling it are capped.
MAX_PATTERN_CHARS = 10_000
MAX_PATTERN_MEMORY = 8 * 1024 * 1024  # RE2's own default, stated so that it is documented

# Values in a facts schema: in its file (counted before it is parsed and checked against the
# metaschema, about 0.2 ms a value: metaschema.py), and as validation walks it, each `$ref`
# replaced by its target (schema_tree.py). The bundled wasm-proposal schema holds 213 values and
# expands to 270.
MAX_SCHEMA_NODES = 10_000

# What checking one file's facts against their schema may cost (schema_budget.py), in units of
# roughly one value read by one keyword (5-10 us each): so many per value of the facts, and at
# least the floor. The bundled evidence spends about 2 per value, and 1,123 at most in all.
SCHEMA_WORK_PER_VALUE = 16
SCHEMA_WORK_FLOOR = 10_000
