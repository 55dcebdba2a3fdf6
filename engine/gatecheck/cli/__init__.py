"""The command line: parse arguments, call `commands`, render with a reporter, set the exit code.

The only importer of click. `group` (the `gatecheck` group and `main`) loads one module per command
or family (`evaluate`, `plan`, `status`, `validate`, `explain`, `check`, `policy_tests`,
`record_tests`, `schema`, `edit`, `collect`, `history`); the commands share `options` (one
`ProjectOptions` for the project options), `output` (stdout, stderr, colour, progress), `dates`
and `completion`; `exits` turns invalid input into exit 2 and a bug into exit 3.

Exit codes: 0 every evaluated gate passes; 1 a gate fails or lacks evidence; 2 usage error or
invalid input (every problem printed as file:line:col); 3 a bug in gatecheck (with a traceback).
"""

from gatecheck.cli.group import cli, main, run

__all__ = ["cli", "main", "run"]
