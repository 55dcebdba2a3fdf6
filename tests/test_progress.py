"""The terminal's meter is a `Progress`: what commands call as they go."""

import inspect
import io

from gatecheck.cli.progress import Meter
from gatecheck.progress import Progress


def test_the_meter_takes_what_commands_pass() -> None:
    wanted = list(inspect.signature(Progress.__call__).parameters)
    meter = Meter(io.StringIO())
    assert wanted == ["self", "verb", "done", "total"]
    assert list(inspect.signature(meter.__call__).parameters) == wanted[1:]
    meter("evaluating", 1, 2)  # a stream that is no terminal: called, and silent
