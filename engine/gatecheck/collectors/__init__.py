"""Collectors: read facts about subjects from other repositories, as a declarative table says.

`gatecheck collect wasmtime` (`run`) opens Wasmtime and its companions (`repositories`,
`snapshot`), lists the proposals (`listing`), finds each fact where the table (`table`,
`spellings`, package data `wasmtime.yaml`) says it lives (`locating`, `fact_values`, `absence`),
adds the phase (`phases`), the APIs (`apis`) and what Wasmtime's own pages declare (`declared`),
then plans each subject's evidence (`planning`) and writes it (`saving`). `gatecheck history`
replays the same collection over a range of commits, in memory (`replay`, `commit_walk`).
"""
