"""Small per-plugin, per-community key-value data, stored as JSON."""

from __future__ import annotations

import json
from typing import Any

from bot.clock import Clock, to_text
from bot.storage import Store

__all__ = ["KeyValue"]


class KeyValue:
    """A plugin's namespace in the `kv` table."""

    def __init__(self, store: Store, clock: Clock, namespace: str) -> None:
        self.store = store
        self.clock = clock
        self.namespace = namespace

    async def get(self, community: str, key: str, default: Any = None) -> Any:
        """The stored value, or `default`."""
        row = await self.store.fetch_one(
            "SELECT value FROM kv WHERE namespace = :ns AND community = :c AND item_key = :k",
            {"ns": self.namespace, "c": community, "k": key})
        return json.loads(row["value"]) if row else default

    async def set(self, community: str, key: str, value: Any) -> None:
        """Store a JSON-serialisable value (committed on return)."""
        params = {"ns": self.namespace, "c": community, "k": key,
                  "v": json.dumps(value, sort_keys=True), "now": to_text(self.clock.now())}
        async with self.store.transaction() as tx:
            changed = await tx.execute(
                "UPDATE kv SET value = :v, updated_at = :now"
                " WHERE namespace = :ns AND community = :c AND item_key = :k", params)
            if not changed:
                await tx.execute(
                    "INSERT INTO kv (namespace, community, item_key, value, updated_at)"
                    " VALUES (:ns, :c, :k, :v, :now)", params)

    async def delete(self, community: str, key: str) -> bool:
        """Remove a key; True if it existed."""
        changed = await self.store.execute(
            "DELETE FROM kv WHERE namespace = :ns AND community = :c AND item_key = :k",
            {"ns": self.namespace, "c": community, "k": key})
        return changed > 0
