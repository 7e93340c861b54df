"""Tables of the polls plugin: polls, where each was posted (and its counts), button votes."""

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "polls, places and votes", """
        CREATE TABLE polls (
            id INTEGER PRIMARY KEY,
            community TEXT NOT NULL,
            channel TEXT NOT NULL,
            question TEXT NOT NULL,
            options TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
        );
        CREATE TABLE poll_places (
            poll_id INTEGER NOT NULL REFERENCES polls (id),
            community TEXT NOT NULL,
            channel TEXT NOT NULL,
            message_id TEXT,
            counts TEXT,
            PRIMARY KEY (poll_id, community)
        );
        CREATE INDEX poll_places_by_message ON poll_places (message_id);
        CREATE TABLE poll_votes (
            poll_id INTEGER NOT NULL REFERENCES polls (id),
            community TEXT NOT NULL,
            member_id TEXT NOT NULL,
            choice INTEGER NOT NULL,
            PRIMARY KEY (poll_id, community, member_id)
        )
    """),
)
