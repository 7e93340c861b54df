"""One-time login links and sessions, stored hashed: the database never holds a usable token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, from_text, to_text
from bot.storage import Migration, Store

__all__ = ["LINK_LIFETIME", "MIGRATIONS", "Grant", "LoginTokens", "csrf_token", "digest"]

LINK_LIFETIME = timedelta(minutes=10)

MIGRATIONS = (
    Migration(1, "dashboard login links and sessions", """
        CREATE TABLE web_logins (
            token_hash TEXT PRIMARY KEY,
            community TEXT NOT NULL,
            user_id TEXT NOT NULL,
            user_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE INDEX web_logins_by_expiry ON web_logins (expires_at);
        CREATE TABLE web_sessions (
            token_hash TEXT PRIMARY KEY,
            community TEXT NOT NULL,
            user_id TEXT NOT NULL,
            user_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
    """),
)


def digest(token: str) -> str:
    """What the database keeps of a token: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The session's CSRF token: derived from the session's secret, never stored."""
    return hmac.new(session_token.encode(), b"vigie-csrf", hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Grant:
    """Who a link or session belongs to: one platform identity in one community."""

    community: str
    user_id: str
    user_name: str
    expires_at: datetime


class LoginTokens:
    """Issues and redeems login links; opens, reads and closes sessions."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    async def issue(self, community: str, user_id: str, user_name: str) -> str:
        """A new single-use login token for this identity in this community (10 minutes)."""
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        await self.store.execute(
            "DELETE FROM web_logins WHERE expires_at < :old",
            {"old": to_text(now - timedelta(days=1))})
        await self.store.execute(
            "INSERT INTO web_logins (token_hash, community, user_id, user_name, created_at,"
            " expires_at) VALUES (:h, :c, :u, :n, :now, :exp)",
            {"h": digest(token), "c": community, "u": user_id, "n": user_name,
             "now": to_text(now), "exp": to_text(now + LINK_LIFETIME)})
        return token

    async def redeem(self, token: str) -> Grant | None:
        """The link's grant, once: None when unknown, expired or already used."""
        now = to_text(self.clock.now())
        async with self.store.transaction() as tx:
            taken = await tx.execute(
                "UPDATE web_logins SET used_at = :now WHERE token_hash = :h"
                " AND used_at IS NULL AND expires_at > :now", {"h": digest(token), "now": now})
            if taken != 1:
                return None
            row = await tx.fetch_one("SELECT * FROM web_logins WHERE token_hash = :h",
                                     {"h": digest(token)})
        if row is None:
            return None
        return Grant(row["community"], row["user_id"], row["user_name"],
                     from_text(row["expires_at"]))

    async def open_session(self, grant: Grant, lifetime: timedelta) -> str:
        """A new session for a redeemed grant; its secret (for the cookie)."""
        token = secrets.token_urlsafe(32)
        now = self.clock.now()
        await self.store.execute(
            "DELETE FROM web_sessions WHERE expires_at < :now", {"now": to_text(now)})
        await self.store.execute(
            "INSERT INTO web_sessions (token_hash, community, user_id, user_name, created_at,"
            " expires_at) VALUES (:h, :c, :u, :n, :now, :exp)",
            {"h": digest(token), "c": grant.community, "u": grant.user_id,
             "n": grant.user_name, "now": to_text(now), "exp": to_text(now + lifetime)})
        return token

    async def session(self, token: str) -> Grant | None:
        """The session behind a cookie, if it exists and has not expired."""
        row = await self.store.fetch_one(
            "SELECT * FROM web_sessions WHERE token_hash = :h AND expires_at > :now",
            {"h": digest(token), "now": to_text(self.clock.now())})
        if row is None:
            return None
        return Grant(row["community"], row["user_id"], row["user_name"],
                     from_text(row["expires_at"]))

    async def close_session(self, token: str) -> None:
        """Log out: the session is gone."""
        await self.store.execute("DELETE FROM web_sessions WHERE token_hash = :h",
                                 {"h": digest(token)})
