"""The replay clock's path: events out of time order are replayed at the clock's time."""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.replay.fields import Malformed, Read

__all__ = ["TOLERANCE", "arrange", "in_order"]

TOLERANCE = timedelta(minutes=1)  # smaller moves are replayed silently


def in_order(times: Sequence[datetime]) -> list[bool]:
    """Which times make the longest non-decreasing run (ties go to the earlier times)."""
    tails: list[datetime] = []  # tails[k]: smallest last time of a run of length k + 1
    ends: list[int] = []  # index of that last time
    before = [-1] * len(times)
    for index, moment in enumerate(times):
        length = bisect_right(tails, moment)
        if length == len(tails):
            tails.append(moment)
            ends.append(index)
        else:
            tails[length] = moment
            ends[length] = index
        before[index] = ends[length - 1] if length else -1
    kept = [False] * len(times)
    index = ends[-1] if ends else -1
    while index >= 0:
        kept[index] = True
        index = before[index]
    return kept


def arrange(items: Sequence[Read | Malformed]) -> list[Read | Malformed]:
    """The items, each event off the longest time-ordered run moved to the clock's time.

    The clock follows the ordered run only, so one event dated days ahead (or behind) neither
    drags the clock nor fires the timed jobs due before it; a move of more than TOLERANCE is
    kept in `Read.moved_from` to be reported.
    """
    reads = [item for item in items if isinstance(item, Read)]
    kept = in_order([read.event.ts for read in reads])
    start = next((r.event.ts for r, ok in zip(reads, kept, strict=True) if ok), None)
    clock = start
    moved: dict[int, Read] = {}
    for read, ok in zip(reads, kept, strict=True):
        if ok:
            clock = read.event.ts
            continue
        assert clock is not None  # a run of at least one event exists when there are events
        own = read.event.ts
        event = dataclasses.replace(read.event, ts=clock)
        moved[id(read)] = Read(read.where, event,
                               own if abs(own - clock) > TOLERANCE else None)
    return [moved.get(id(item), item) for item in items]
