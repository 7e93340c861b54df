"""The replay command: read the log, run it against one or two rule files, print the result."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bot.replay.readers import Item, Malformed, Read, read_events
from bot.replay.report import Change, signature, write_changes, write_decisions, write_summary
from bot.replay.runner import Outcome, Replayer, Summary
from bot.replay.timeline import arrange

__all__ = ["PROGRESS_FROM", "replay_command"]

PROGRESS_FROM = 1000


def _progress(total: int, err: TextIO, wanted: bool) -> Any:
    if not wanted or total < PROGRESS_FROM or not err.isatty():
        return None
    return Progress(TextColumn("replaying"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(file=err), transient=True)


async def _outcomes(config: Path, items: Sequence[Item], summary: Summary,
                    database: str | None, progress: Any) -> AsyncIterator[Outcome]:
    first = next((i.event.ts for i in items if isinstance(i, Read)), None)
    replayer = Replayer(config, database)
    await replayer.start(first)
    task = progress.add_task("replay", total=sum(isinstance(i, Read) for i in items)) \
        if progress is not None else None
    try:
        async for outcome in replayer.run(items, summary):
            if task is not None and outcome.where.startswith(("line", "message")):
                progress.advance(task)
            yield outcome
    finally:
        await replayer.stop()


async def replay_command(log: Path, config: Path, against: Path | None, fmt: str,
                         input_format: str, database: str | None, out: TextIO,
                         err: TextIO) -> int:
    """Run the replay; 0 when done (malformed entries and moved events are reported on `err`)."""
    items = arrange(list(read_events(log, input_format)))
    _report_input(items, log, err)
    progress = _progress(len(items), err, fmt == "text")
    with progress if progress is not None else nullcontext():
        if against is None:
            summary = Summary()
            async for outcome in _outcomes(config, items, summary, database, progress):
                write_decisions([outcome], out, fmt, summary.revision)
            write_summary(summary, out, fmt, str(config))
            return 0
        before_summary, after_summary = Summary(), Summary()
        before = [o async for o in _outcomes(config, items, before_summary, None, progress)]
        after = [o async for o in _outcomes(against, items, after_summary, None, progress)]
    changes = _changes(before, after)
    write_changes(changes, before_summary.events, out, fmt,
                  f"{config} ({before_summary.revision})", f"{against} ({after_summary.revision})")
    malformed, moved = len(before_summary.malformed), len(before_summary.out_of_order)
    if malformed and fmt == "text":
        out.write(f"{malformed} malformed entr{'y' if malformed == 1 else 'ies'} skipped.\n")
    if moved and fmt == "text":
        out.write(f"{moved} event{'s' if moved > 1 else ''} out of order, replayed at the "
                  "clock's time.\n")
    return 0


def _report_input(items: Sequence[Item], log: Path, err: TextIO) -> None:
    """Each malformed entry (skipped) and each event replayed at another time, in file order."""
    for item in items:
        if isinstance(item, Malformed):
            err.write(f"{log}: {item.where}: {item.reason} (skipped)\n")
        elif item.moved_from is not None:
            err.write(f"{log}: {item.where}: out of order: dated "
                      f"{item.moved_from:%Y-%m-%d %H:%M:%S}, replayed at the clock's time, "
                      f"{item.event.ts:%Y-%m-%d %H:%M:%S}\n")


def _changes(before: list[Outcome], after: list[Outcome]) -> list[Change]:
    """Events (and timed jobs) whose decisions differ; jobs are matched by kind and order."""
    def keyed(outcomes: list[Outcome]) -> dict[tuple[str, str, int], Outcome]:
        seen: dict[tuple[str, str], int] = {}
        found = {}
        for outcome in outcomes:
            base = (outcome.where, outcome.event.id if outcome.where.startswith(
                ("line", "message")) else "")
            seen[base] = seen.get(base, 0) + 1
            found[(*base, seen[base])] = outcome
        return found

    old, new = keyed(before), keyed(after)
    changes = []
    for key in dict.fromkeys([*old, *new]):
        a, b = old.get(key), new.get(key)
        sig_a = signature(a) if a else ()
        sig_b = signature(b) if b else ()
        if sig_a != sig_b:
            shown = a or b
            assert shown is not None
            changes.append(Change(shown, sig_a, sig_b))
    return changes
