"""Tables of the welcome plugin: when each community was last welcomed, and who waits."""

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "welcome state and waiting newcomers", """
        CREATE TABLE welcome_state (
            community TEXT PRIMARY KEY,
            last_sent TEXT NOT NULL
        );
        CREATE TABLE welcome_waiting (
            community TEXT NOT NULL,
            member_id TEXT NOT NULL,
            name TEXT NOT NULL,
            joined_at TEXT NOT NULL,
            PRIMARY KEY (community, member_id)
        )
    """),
)
