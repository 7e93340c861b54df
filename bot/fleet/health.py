"""`vigie health`: the workers table read from outside, with each worker's lag."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.clock import to_text
from bot.fleet.registry import (
    LIVE_WITHIN,
    SELECT_WORKERS,
    WorkerRow,
    disagreeing,
    read_workers,
    worker_row,
)
from bot.storage import SqliteStore, Store, StoreError, open_store

__all__ = ["Health", "read_health", "read_health_at"]


@dataclass(frozen=True, slots=True)
class Health:
    """The recorded workers at `now`; healthy when some are live and they agree."""

    now: datetime
    workers: tuple[WorkerRow, ...]

    @property
    def live(self) -> list[WorkerRow]:
        """The workers seen within the last minute."""
        return [w for w in self.workers if self.now - w.seen_at <= LIVE_WITHIN]

    @property
    def problem(self) -> str | None:
        """Why this is not healthy, or None."""
        if not self.live:
            return f"no worker was seen in the last {int(LIVE_WITHIN.total_seconds())} s"
        if disagreeing(self.live):
            revisions = ", ".join(sorted({w.revision for w in self.live}))
            return f"live workers run different revisions ({revisions})"
        return None

    def as_json(self) -> str:
        """The report as JSON (one object)."""
        live = {w.worker_id for w in self.live}
        return json.dumps({
            "ok": self.problem is None, "problem": self.problem, "now": to_text(self.now),
            "workers": [{"worker_id": w.worker_id, "revision": w.revision,
                         "communities": list(w.communities),
                         "started_at": to_text(w.started_at), "seen_at": to_text(w.seen_at),
                         "lag_s": round(w.lag(self.now), 1), "live": w.worker_id in live}
                        for w in self.workers]}, indent=2)

    def lines(self) -> list[str]:
        """The report for people."""
        live = {w.worker_id for w in self.live}
        out = [f"{w.worker_id}  revision {w.revision}  "
               f"{'live' if w.worker_id in live else 'NOT SEEN'}  "
               f"last heartbeat {to_text(w.seen_at)} (lag {w.lag(self.now):.1f} s)  "
               f"communities: {', '.join(w.communities) or '-'}"
               for w in self.workers]
        out.append(f"problem: {self.problem}" if self.problem else
                   f"ok: {len(live)} live worker(s) on revision {self.live[0].revision}")
        return out


async def read_health(store: Store, now: datetime) -> Health:
    """Read the workers table of an open store."""
    return Health(now, tuple(await read_workers(store)))


def _read_sqlite(path: str) -> list[WorkerRow]:
    """Read a SQLite file read-only: no process lock (a worker holds it), no file created."""
    if not Path(path).exists():
        raise StoreError(f"the database {path} does not exist", "io")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            conn.row_factory = sqlite3.Row
            return [worker_row(dict(r)) for r in conn.execute(SELECT_WORKERS)]
    except sqlite3.Error as exc:
        raise StoreError(f"the database {path}: {exc}", "other") from None


async def read_health_at(url: str, now: datetime) -> Health:
    """The workers recorded in the database at `url` (a worker may be running on it)."""
    store = open_store(url)
    if isinstance(store, SqliteStore):
        return Health(now, tuple(await asyncio.to_thread(_read_sqlite, store.path)))
    await store.open()
    try:
        return await read_health(store, now)
    finally:
        await store.close()
