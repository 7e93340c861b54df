"""Posts and sent posts in the database; every write is committed on return."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import to_text
from bot.storage import Store
from plugins.publishing.settings import PostSpec

__all__ = ["ACTIVE", "CANCELLED", "DONE", "REMOVED", "PostRow", "PostStore", "digest_of"]

ACTIVE, CANCELLED, DONE, REMOVED = "active", "cancelled", "done", "removed"


def digest_of(spec: PostSpec) -> str:
    """A short hash of a post's definition: a changed post is re-armed, an unchanged one not."""
    text = spec.model_dump_json()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class PostRow:
    """A stored post."""

    id: str
    source: str  # "file" or "chat"
    home: str
    spec: PostSpec
    digest: str
    status: str
    created_by: str


def _post(row: dict[str, Any]) -> PostRow:
    return PostRow(row["id"], row["source"], row["home"],
                   PostSpec.model_validate_json(row["spec"]), row["digest"], row["status"],
                   row["created_by"])


class PostStore:
    """The `publishing_posts` and `publishing_sent` tables."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, post_id: str) -> PostRow | None:
        """A post by id."""
        row = await self.store.fetch_one("SELECT * FROM publishing_posts WHERE id = :id",
                                         {"id": post_id})
        return _post(row) if row else None

    async def all(self, status: str | None = ACTIVE) -> list[PostRow]:
        """Posts (active ones by default), numbered ones first in order, then by id."""
        rows = await self.store.fetch_all(
            "SELECT * FROM publishing_posts WHERE (:st IS NULL OR status = :st)"
            " ORDER BY number IS NULL, number, id", {"st": status})
        return [_post(r) for r in rows]

    async def put(self, post_id: str, source: str, home: str, spec: PostSpec, by: str,
                  now: datetime, status: str = ACTIVE) -> None:
        """Insert or replace a post's definition."""
        params = {"id": post_id, "source": source, "home": home,
                  "spec": spec.model_dump_json(), "digest": digest_of(spec), "status": status,
                  "by": by, "now": to_text(now),
                  "number": int(post_id) if post_id.isdigit() else None}
        async with self.store.transaction() as tx:
            changed = await tx.execute(
                "UPDATE publishing_posts SET source = :source, home = :home, spec = :spec,"
                " digest = :digest, status = :status, updated_at = :now WHERE id = :id",
                params)
            if not changed:
                await tx.execute(
                    "INSERT INTO publishing_posts (id, number, source, home, spec, digest,"
                    " status, created_by, created_at, updated_at) VALUES (:id, :number,"
                    " :source, :home, :spec, :digest, :status, :by, :now, :now)", params)

    async def next_number(self) -> str:
        """The id of the next chat post (1, 2, …)."""
        row = await self.store.fetch_one("SELECT MAX(number) AS top FROM publishing_posts")
        return str(int(row["top"] or 0) + 1 if row else 1)

    async def set_status(self, post_id: str, status: str, now: datetime) -> bool:
        """Change a post's status; True if it existed."""
        changed = await self.store.execute(
            "UPDATE publishing_posts SET status = :st, updated_at = :now WHERE id = :id",
            {"st": status, "now": to_text(now), "id": post_id})
        return changed > 0

    # -- what was sent ---------------------------------------------------------------------

    async def sent(self, post_id: str, occurrence: str, channel: str) -> dict[str, Any] | None:
        """The record of one post at one time in one channel, if any."""
        return await self.store.fetch_one(
            "SELECT * FROM publishing_sent WHERE post_id = :p AND occurrence = :o"
            " AND channel = :c", {"p": post_id, "o": occurrence, "c": channel})

    async def record(self, post_id: str, occurrence: str, channel: str, community: str,
                     status: str, now: datetime, *, message_id: str | None = None,
                     pinned: bool = False, detail: str = "", attempts: int = 1) -> bool:
        """Record an outcome once (False if one was already recorded)."""
        if await self.sent(post_id, occurrence, channel) is not None:
            return False
        await self.store.execute(
            "INSERT INTO publishing_sent (post_id, occurrence, channel, community, status,"
            " message_id, pinned, detail, attempts, at) VALUES (:p, :o, :c, :community, :st,"
            " :m, :pin, :d, :n, :at)",
            {"p": post_id, "o": occurrence, "c": channel, "community": community, "st": status,
             "m": message_id, "pin": int(pinned), "d": detail[:500], "n": attempts,
             "at": to_text(now)})
        return True

    async def last_pin(self, post_id: str, channel: str) -> str:
        """The message id of the series' latest pinned post in a channel ('' if none)."""
        row = await self.store.fetch_one(
            "SELECT message_id FROM publishing_sent WHERE post_id = :p AND channel = :c"
            " AND pinned = 1 AND message_id IS NOT NULL ORDER BY at DESC, occurrence DESC"
            " LIMIT 1", {"p": post_id, "c": channel})
        return str(row["message_id"]) if row else ""

    async def history(self, post_id: str, limit: int = 10) -> list[dict[str, Any]]:
        """The latest outcomes of a post."""
        return await self.store.fetch_all(
            "SELECT * FROM publishing_sent WHERE post_id = :p ORDER BY at DESC, channel"
            " LIMIT :n", {"p": post_id, "n": limit})


def spec_json(spec: PostSpec) -> str:
    """The definition as JSON (for job payloads and logs)."""
    return json.dumps(json.loads(spec.model_dump_json()), sort_keys=True)
