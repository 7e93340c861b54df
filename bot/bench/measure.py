"""Timing variants of the pipeline: each in its own App, interleaved, in CPU time.

A variant is a rule file and a set of plugins. `interleave` starts one App per variant, warms
each up, settles the heap once (as `vigie run` does once started, `bot.heap`), then feeds the
same messages to every variant in chunks, rotating the order each round, so a slow spell on a
shared machine hits every variant alike. Throughput is messages per second of process CPU time
(every thread: background writers count too); p50/p99 are per-message CPU time of the thread
that handles them (wall-clock p99 is reported beside). What is timed is the decision: one
`Dispatcher.handle` per message, through every phase, with the verdict's actions counted rather
than executed, unless the variant executes them (against the stub platform `ReplayAdapter` and
an in-memory database).

An attributed variant wraps every plugin hook and the core's steps (context, member and
history bookkeeping, the audit record) in a thread-CPU timer, so its total shows where the time
goes; the timers cost a little, so the headline figures come from the unwrapped variant.
"""

from __future__ import annotations

import asyncio
import functools
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot import heap
from bot.actions import Verdict
from bot.events import MessageCreated, User
from bot.executor import ActionOutcome, Executor
from bot.plugin import EventContext, Plugin

__all__ = ["Measured", "Stats", "Variant", "interleave", "measure_one", "open_app"]

CHUNK = 500  # messages a variant handles before the next variant's turn
WARM_UP = 300


@dataclass(frozen=True)
class Stats:
    """Throughput and per-message cost of one variant."""

    msgs_per_s: float  # messages per second of process CPU time
    p50_us: float  # per-message CPU time (the handling thread)
    p99_us: float
    decisions: int
    cpu_us_per_msg: float = 0.0
    wall_msgs_per_s: float = 0.0
    p99_wall_us: float = 0.0


@dataclass(frozen=True)
class Variant:
    """What one App runs: a rule file (text, or a path) and its plugins (None: discovered)."""

    name: str
    rules: str | Path
    plugins: Sequence[type[Plugin]] | None
    execute: bool = False
    attribute: bool = False
    events: Sequence[MessageCreated] | None = None  # its own messages (else the shared ones)


@dataclass(frozen=True)
class Measured:
    """A variant's stats, its decisions by plugin and, when attributed, CPU by step (ns)."""

    stats: Stats
    decided: dict[str, int]
    parts: dict[str, int]
    handled_ns: int  # thread CPU of every `handle` call (what the parts add up to, with the rest)
    count: int


class CountingExecutor(Executor):
    """Counts verdicts instead of acting on them (the decision is what is measured)."""

    def __init__(self, base: Executor) -> None:
        super().__init__(base.services, base.adapters)
        self.slowmode = base.slowmode
        self.verdicts = 0

    async def execute(self, verdict: Verdict, ctx: EventContext, *,
                      invoker: User | None = None) -> list[ActionOutcome]:
        """Count and return nothing executed."""
        self.verdicts += 1
        return []


@dataclass
class _Run:
    """One started App and what its messages cost so far."""

    variant: Variant
    app: Any
    cpu_ns: int = 0
    wall_ns: int = 0
    count: int = 0
    decisions: int = 0
    each_cpu: list[int] = field(default_factory=list)
    each_wall: list[int] = field(default_factory=list)
    parts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    decided: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def stats(self) -> Stats:
        """The figures so far."""
        cpu = statistics.quantiles(self.each_cpu, n=100) if len(self.each_cpu) > 1 \
            else [float(sum(self.each_cpu))] * 99
        wall = statistics.quantiles(self.each_wall, n=100) if len(self.each_wall) > 1 \
            else [float(sum(self.each_wall))] * 99
        return Stats(
            msgs_per_s=round(self.count / max(self.cpu_ns, 1) * 1e9),
            p50_us=round(cpu[49] / 1000, 1), p99_us=round(cpu[98] / 1000, 1),
            decisions=self.decisions,
            cpu_us_per_msg=round(self.cpu_ns / max(self.count, 1) / 1000, 1),
            wall_msgs_per_s=round(self.count / max(self.wall_ns, 1) * 1e9),
            p99_wall_us=round(wall[98] / 1000, 1))


def _timed(step: Callable[..., Any], key: str, parts: dict[str, int],
           awaited: bool) -> Callable[..., Any]:
    """`step` with its thread CPU time added to `parts[key]`."""
    clock = time.thread_time_ns
    if awaited:
        @functools.wraps(step)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            started = clock()
            try:
                return await step(*args, **kwargs)
            finally:
                parts[key] += clock() - started
        return timed_async

    @functools.wraps(step)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = clock()
        try:
            return step(*args, **kwargs)
        finally:
            parts[key] += clock() - started
    return timed


def _attribute(app: Any, parts: dict[str, int]) -> None:
    """Wrap every hook (`plugin.hook`) and the core's own steps (`core:...`) in timers."""
    dispatcher = app.dispatcher
    for phases in dispatcher._hooks.values():
        for hooks in phases:
            for number, (plugin, method, spec) in enumerate(hooks):
                hooks[number] = (plugin, _timed(method, f"{plugin.name}.{method.__name__}",
                                                parts, True), spec)
    for name in ("context", "_remember", "_record"):
        setattr(dispatcher, name, _timed(getattr(dispatcher, name),
                                         f"core:{name.strip('_')}", parts, False))
    slowmode = dispatcher.executor.slowmode
    slowmode.check = _timed(slowmode.check, "core:slowmode", parts, False)
    dispatcher._running.clear()  # hooks worked out before the wrapping are forgotten


async def open_app(variant: Variant, folder: Path, store: Any = None,
                   platforms: Iterable[str] = ("discord", "telegram")) -> Any:
    """Start the variant's App on stub platforms and an in-memory database (or `store`)."""
    from bot.app import App
    from bot.bench.workload import START
    from bot.clock import ManualClock
    from bot.replay.runner import ReplayAdapter
    from bot.storage import SqliteStore

    if isinstance(variant.rules, Path):
        path = variant.rules
    else:
        path = folder / f"{variant.name}.yaml"
        path.write_text(variant.rules, encoding="utf-8")
    app = App(config_path=path, adapters=[ReplayAdapter(p) for p in platforms],
              store=store or SqliteStore(":memory:"), clock=ManualClock(START),
              plugin_classes=None if variant.plugins is None else list(variant.plugins))
    await app.start()
    if not variant.execute:
        app.dispatcher.executor = CountingExecutor(app.executor)
    return app


async def _feed(run: _Run, events: Sequence[MessageCreated]) -> None:
    """Handle `events` in order, timing each; CPU of the whole chunk goes to the variant."""
    clock, handle = run.app.clock, run.app.dispatcher.handle
    each_cpu, each_wall = run.each_cpu, run.each_wall
    thread, wall = time.thread_time_ns, time.perf_counter_ns
    decisions = 0
    cpu_started, wall_started = time.process_time_ns(), wall()
    for event in events:
        clock.set(event.ts)
        before_wall, before = wall(), thread()
        report = await handle(event)
        after = thread()
        each_wall.append(wall() - before_wall)
        each_cpu.append(after - before)
        if report.decisions:
            decisions += len(report.decisions)
            for decision in report.decisions:
                run.decided[decision.plugin] += 1
    await asyncio.sleep(0)  # background writers (audit, counters) run, and are counted
    run.cpu_ns += time.process_time_ns() - cpu_started
    run.wall_ns += wall() - wall_started
    run.count += len(events)
    run.decisions += decisions


async def interleave(variants: Sequence[Variant], events: Sequence[MessageCreated],
                     warm_up: Sequence[MessageCreated] = (), chunk: int = CHUNK,
                     ) -> dict[str, Measured]:
    """Every variant on the same events (or its own), chunk by chunk, in turn."""
    runs: list[_Run] = []
    with tempfile.TemporaryDirectory() as folder:
        try:
            for variant in variants:
                run = _Run(variant, await open_app(variant, Path(folder)))
                if variant.attribute:
                    _attribute(run.app, run.parts)
                runs.append(run)
                for event in warm_up:
                    run.app.clock.set(event.ts)
                    await run.app.dispatcher.handle(event)
                run.parts.clear()
            heap.settle()
            for round_, start in enumerate(range(0, len(events), chunk)):
                shift = round_ % len(runs)
                for run in runs[shift:] + runs[:shift]:
                    own = run.variant.events
                    await _feed(run, (events if own is None else own)[start:start + chunk])
        finally:
            heap.release()
            for run in runs:
                await run.app.stop()
    return {run.variant.name: Measured(run.stats(), dict(run.decided), dict(run.parts),
                                       sum(run.each_cpu), run.count) for run in runs}


async def measure_one(rules: str, plugins: Sequence[type[Plugin]],
                      events: Sequence[MessageCreated], execute: bool = False) -> Stats:
    """One variant alone (the scaling and FAQ runs): warmed up on its first messages."""
    variant = Variant("one", rules, plugins, execute)
    results = await interleave([variant], events, warm_up=events[:200], chunk=len(events))
    return results["one"].stats


Measure = Callable[[str, Sequence[type[Plugin]], Sequence[MessageCreated]], Awaitable[Stats]]
