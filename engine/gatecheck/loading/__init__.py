"""Loading: bytes to plain data with positions, then validated engine objects, within limits."""
