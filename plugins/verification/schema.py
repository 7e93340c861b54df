"""Tables of the verification plugin: one row per challenge and its outcome."""

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "verification challenges", """
        CREATE TABLE verification_challenges (
            id INTEGER PRIMARY KEY,
            community TEXT NOT NULL,
            member_id TEXT NOT NULL,
            member_name TEXT NOT NULL,
            language TEXT NOT NULL,
            via TEXT NOT NULL,
            kind TEXT NOT NULL,
            answer INTEGER NOT NULL,
            tries_left INTEGER NOT NULL,
            channel TEXT,
            message_id TEXT,
            join_channel TEXT,
            join_message_id TEXT,
            raid INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            deadline TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            decided_at TEXT
        );
        CREATE INDEX verification_by_member ON verification_challenges (community, member_id);
        CREATE INDEX verification_by_time ON verification_challenges (community, created_at);
    """),
)
