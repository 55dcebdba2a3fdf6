"""The installed `gatecheck` script, beside the interpreter running the tests."""

import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "gatecheck"
