"""`gatecheck history`: proposals' evidence replayed over Wasmtime's history, and what changed.

Each commit that changes a file the collector reads (`collectors.replay`) is judged as of its own
date, under the version of the policy in force at it, from the facts collected there; in memory,
nothing is written. The result is a timeline per subject: when each rule and gate flipped, when the
subject was declared (the facts a gate's `claimed_when` reads: listed at a tier, on by default),
and every stretch in which a declaration ran ahead of the evidence, its claimed gate not passing.

The seams with `gatecheck collect` are the collector's own rules: `collectors.revision.plan_subject`
(what a subject's evidence becomes at a revision, through `evidence_data`) and
`collectors.revision.policy_in_force` (which version judges it).
"""
