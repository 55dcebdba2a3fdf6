"""Fail when any module's coverage is under the floor: a total hides a poorly tested module.

Usage: python .ci/coverage_floor.py COVERAGE.json (written by `coverage json`).
"""

import json
import sys

FLOOR = 85.0  # percent of lines and branches, per file; pyproject's fail_under is the total


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        files = json.load(handle)["files"]
    low = sorted(
        (summary["percent_covered"], name)
        for name, data in files.items()
        if (summary := data["summary"])["percent_covered"] < FLOOR
    )
    for percent, name in low:
        print(f"{name}: {percent:.1f}% covered, under the per-file floor of {FLOOR:.0f}%")
    met = len(files) - len(low)
    print(f"per-file coverage floor {FLOOR:.0f}%: {met} of {len(files)} files meet it")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
