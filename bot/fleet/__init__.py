"""Several workers on one database: who runs which revision, and reloads that reach them all."""

from bot.fleet.registry import LIVE_WITHIN, WorkerRegistry, WorkerRow
from bot.fleet.sync import Fleet

__all__ = ["LIVE_WITHIN", "Fleet", "WorkerRegistry", "WorkerRow"]
