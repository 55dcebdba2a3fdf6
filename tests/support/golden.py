"""Golden files of the reporters: compare a rendering with its file, or rewrite the file."""

from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "reporters" / "golden"


def golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(text.encode())
    assert text == path.read_bytes().decode(), f"tests/reporters/golden/{name} differs"
