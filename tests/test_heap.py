"""Settling the heap: cycles collected first, survivors frozen, and handed back on release."""

from __future__ import annotations

import gc
import weakref

from bot import heap


class _Node:
    """An object that can sit in a reference cycle."""

    peer: _Node | None = None


def test_settle_collects_cycles_then_freezes_the_survivors() -> None:
    garbage = _Node()
    garbage.peer = garbage  # unreachable once deleted, but only the collector can free it
    gone = weakref.ref(garbage)
    del garbage
    try:
        heap.settle()
        assert gone() is None  # collected, not frozen
        assert gc.get_freeze_count() > 0
    finally:
        heap.release()
    assert gc.get_freeze_count() == 0


def test_a_frozen_cycle_is_freed_by_the_next_settle() -> None:
    node = _Node()
    node.peer = node
    gone = weakref.ref(node)
    try:
        heap.settle()  # `node` is alive: frozen with the rest
        del node
        gc.collect()
        assert gone() is not None  # a plain collection leaves frozen objects alone
        heap.settle()
        assert gone() is None
    finally:
        heap.release()
