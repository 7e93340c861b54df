"""Whether a community is in raid mode, read from the durable job that ends it (core signal).

Automod's raid mode lasts as long as its pending job keyed `raid_key(community)` (automod
arms it under this key, RAID_END_JOB): the jobs table is shared by every worker and survives
restarts, so any plugin can ask without importing automod. Monitor mode arms no job: it is not
raid mode.
"""

from __future__ import annotations

from bot.storage import Transaction

__all__ = ["in_raid_mode", "raid_key"]


def raid_key(community: str) -> str:
    """The key of the job that ends a community's raid mode."""
    return f"automod:raid:{community}"


async def in_raid_mode(store: Transaction, community: str) -> bool:
    """Whether the community's raid mode is on now."""
    row = await store.fetch_one(
        "SELECT 1 AS found FROM jobs WHERE job_key = :key AND status IN ('pending', 'running')"
        " LIMIT 1", {"key": raid_key(community)})
    return row is not None
