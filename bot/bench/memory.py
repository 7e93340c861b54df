"""`vigie bench --memory`: the RSS of the bot as `vigie run` configures it, over many messages.

One App with every discovered plugin and the rule file given, on an SQLite file (so what the
database holds is on disk, not in the RSS), decides about `messages` messages of the community
stream from `authors` members in `channels` channels (20 communities); actions are counted, not
executed. The RSS is read after start and every tenth of the run; the run is flat when its
last half grows by less than 5%. The largest containers held by the core and the plugins are
listed with their sizes, so a structure that grows without bound shows by name.
"""

from __future__ import annotations

import asyncio
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot import heap
from bot.bench.measure import Variant, open_app
from bot.bench.workload import START, community_stream

__all__ = ["MemoryResult", "container_sizes", "memory_lines", "rss_mb", "run_memory"]

SAMPLES = 10
FLAT = 1.05  # the last half may grow by 5% at most
TARGET_MB = 200


def rss_mb() -> float:
    """The resident set size of this process now, in MB (the peak where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


@dataclass(frozen=True)
class MemoryResult:
    """RSS after start and along the run, and the largest containers at the end."""

    messages: int
    authors: int
    channels: int
    rss_start_mb: float
    rss_end_mb: float
    samples: list[tuple[int, float]]
    containers: list[tuple[str, int]]
    msgs_per_s_cpu: float

    @property
    def last_half_growth(self) -> float:
        """RSS at the end over RSS halfway (1.0: flat)."""
        half = [mb for count, mb in self.samples if count >= self.messages // 2]
        return round(self.rss_end_mb / half[0], 3) if half and half[0] else 0.0

    def as_json(self) -> dict[str, Any]:
        """The `--json` object."""
        data = asdict(self)
        data["last_half_growth"] = self.last_half_growth
        data["targets"] = {
            "rss_mb": {"measured": self.rss_end_mb, "target": f"<= {TARGET_MB}",
                       "met": self.rss_end_mb <= TARGET_MB},
            "flat_last_half": {"measured": self.last_half_growth, "target": f"<= {FLAT}",
                               "met": self.last_half_growth <= FLAT}}
        return data


def _walk(name: str, value: Any, depth: int, seen: set[int]) -> Iterator[tuple[str, int]]:
    if id(value) in seen or depth < 0:
        return
    seen.add(id(value))
    if isinstance(value, dict | list | set | frozenset | tuple) or hasattr(value, "maxlen"):
        try:
            yield name, len(value)
        except TypeError:
            return
        return
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return
    attributes = getattr(value, "__dict__", None)
    if attributes is None:
        slots = getattr(type(value), "__slots__", ())
        attributes = {s: getattr(value, s) for s in slots if hasattr(value, s)}
    for key, item in list(attributes.items()):
        yield from _walk(f"{name}.{key}", item, depth - 1, seen)


def container_sizes(app: Any, top: int = 12) -> list[tuple[str, int]]:
    """The largest dicts, lists, sets and deques held by the services and plugins (by length)."""
    seen: set[int] = {id(app.services.rulebook), id(app.services.catalog),
                      id(app.services.commands), id(app.services.store)}
    found: list[tuple[str, int]] = []
    for name in ("history", "members", "audit", "scheduler", "cases", "shared"):
        found.extend(_walk(name, getattr(app.services, name, None), 3, seen))
    found.extend(_walk("dispatcher", app.dispatcher, 2, seen))
    for plugin in app.plugins:
        found.extend(_walk(plugin.name, plugin, 4, seen))
    return sorted(found, key=lambda item: -item[1])[:top]


async def _run(messages: int, authors: int, channels: int, rules_file: Path,
               top: int) -> MemoryResult:
    with tempfile.TemporaryDirectory() as folder:
        from bot.storage import SqliteStore

        store = SqliteStore(str(Path(folder) / "vigie.db"))
        app = await open_app(Variant("memory", rules_file, None), Path(folder), store=store)
        try:
            heap.settle()  # as `vigie run` does once started
            start = rss_mb()
            samples: list[tuple[int, float]] = []
            step = max(1, messages // SAMPLES)
            clock, handle = app.clock, app.dispatcher.handle
            cpu = time.process_time()
            for number, event in enumerate(community_stream(
                    messages, communities=20, channels=channels, authors=authors, seed=41,
                    every_ms=40, start=START + timedelta(days=1)), start=1):
                clock.set(event.ts)
                await handle(event)
                if number % 100 == 0:
                    await asyncio.sleep(0)  # background writers run, as between messages live
                if number % step == 0:
                    samples.append((number, round(rss_mb(), 1)))
            cpu = time.process_time() - cpu
            containers = container_sizes(app, top)
            end = rss_mb()
        finally:
            heap.release()
            await app.stop()
    return MemoryResult(messages, authors, channels, round(start, 1), round(end, 1), samples,
                        containers, round(messages / max(cpu, 1e-9)))


def run_memory(messages: int = 1_000_000, authors: int = 50_000, channels: int = 2000,
               rules: Path = Path("config/rules.yaml"), top: int = 12) -> MemoryResult:
    """Run the memory bench in this process (`top`: how many containers to name)."""
    return asyncio.run(_run(messages, authors, channels, rules, top))


def memory_lines(result: MemoryResult) -> Iterator[str]:
    """The figures, for people."""
    yield (f"{result.messages:,} messages from {result.authors:,} authors in "
           f"{result.channels:,} channels (20 communities), every plugin, actions counted")
    yield (f"RSS after start {result.rss_start_mb} MB, after the run {result.rss_end_mb} MB "
           f"(target <= {TARGET_MB} MB); last half x{result.last_half_growth} "
           f"(flat: <= x{FLAT}); {result.msgs_per_s_cpu:,.0f} msgs/s CPU")
    yield "RSS along the run: " + ", ".join(f"{n:,}: {mb} MB" for n, mb in result.samples)
    yield "largest containers at the end: " + ", ".join(
        f"{name} {size:,}" for name, size in result.containers)
