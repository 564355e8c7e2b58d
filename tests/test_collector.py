"""The cyclic collector paused for bulk builds: off inside, on after, and nothing it should free kept."""

from __future__ import annotations

import gc
import weakref

from gwgk.process.collector import collector_paused


class Node:
    """A container that can sit in a cycle and be watched through a weak reference."""

    def __init__(self) -> None:
        self.other: object = None


def test_the_collector_is_off_inside_and_on_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_cycle_made_in_the_block_is_still_freed_after_it():
    with collector_paused():
        built = [{"task": i, "records": [{"date": "2021-09-30"}]} for i in range(50_000)]
        a, b = Node(), Node()
        a.other, b.other = b, a
        watched = weakref.ref(a)
    del a, b
    assert watched() is not None  # only the cyclic collector frees a cycle
    gc.collect()
    assert watched() is None
    assert len(built) == 50_000
