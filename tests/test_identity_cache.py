"""identity_cache.py, and the bounded tables built on it (judges, gate steps, validators)."""

from __future__ import annotations

from gatecheck.evaluation import compiled, planning
from gatecheck.identity_cache import IdentityCache, IdentityMemo


def test_keyed_by_identity_not_equality() -> None:
    cache: IdentityCache[list[int], str] = IdentityCache(size=4)
    key, equal = [1], [1]
    assert cache.put(key, "one") == "one"
    assert cache.get(key) == "one"
    assert cache.get(equal) is None


def test_the_oldest_entry_goes_first_when_full() -> None:
    cache: IdentityCache[object, int] = IdentityCache(size=2)
    first, second, third = object(), object(), object()
    cache.put(first, 1)
    cache.put(second, 2)
    cache.put(second, 22)  # replacing an entry evicts nothing
    assert len(cache) == 2
    cache.put(third, 3)
    assert len(cache) == 2
    assert cache.get(first) is None
    assert (cache.get(second), cache.get(third)) == (22, 3)


def test_the_module_tables_are_bounded() -> None:
    # A long-lived process that loads policy after policy must not keep every one's closures.
    assert isinstance(compiled._JUDGES, IdentityCache)
    assert isinstance(planning._GATE_STEPS, IdentityCache)


def test_a_memo_computes_once_per_object_within_its_bound() -> None:
    calls: list[object] = []

    def compute(key: object) -> int:
        calls.append(key)
        return len(calls)

    memo: IdentityMemo[object, int] = IdentityMemo(compute, size=2)
    first, second, third = object(), object(), object()
    assert (memo(first), memo(first), memo(second)) == (1, 1, 2)
    memo(third)  # the bound is reached: the oldest goes
    assert len(memo) == 2
    assert memo(first) == 4
    assert calls == [first, second, third, first]
