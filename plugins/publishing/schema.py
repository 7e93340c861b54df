"""Tables of the publishing plugin: posts (rule file and chat) and what was sent where."""

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "posts and sent posts", """
        CREATE TABLE publishing_posts (
            id TEXT PRIMARY KEY,
            number INTEGER,
            source TEXT NOT NULL,
            home TEXT NOT NULL,
            spec TEXT NOT NULL,
            digest TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX publishing_posts_by_status ON publishing_posts (status);
        CREATE TABLE publishing_sent (
            post_id TEXT NOT NULL,
            occurrence TEXT NOT NULL,
            channel TEXT NOT NULL,
            community TEXT NOT NULL,
            status TEXT NOT NULL,
            message_id TEXT,
            pinned INTEGER NOT NULL DEFAULT 0,
            detail TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 1,
            at TEXT NOT NULL,
            PRIMARY KEY (post_id, occurrence, channel)
        );
        CREATE INDEX publishing_sent_by_channel ON publishing_sent (post_id, channel, at);
    """),
)
