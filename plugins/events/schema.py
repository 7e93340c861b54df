"""Tables of the events plugin: events, where each was announced, who said they'd come."""

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "events, places and attendees", """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            community TEXT NOT NULL,
            title TEXT NOT NULL,
            texts TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            link TEXT NOT NULL DEFAULT '',
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            reminders TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX events_by_status ON events (status, starts_at);
        CREATE TABLE event_places (
            event_id INTEGER NOT NULL REFERENCES events (id),
            community TEXT NOT NULL,
            channel TEXT NOT NULL,
            message_id TEXT,
            native_id TEXT,
            PRIMARY KEY (event_id, community)
        );
        CREATE INDEX event_places_by_message ON event_places (message_id);
        CREATE TABLE event_attendees (
            event_id INTEGER NOT NULL REFERENCES events (id),
            member_id TEXT NOT NULL,
            community TEXT NOT NULL,
            name TEXT NOT NULL,
            said_at TEXT NOT NULL,
            PRIMARY KEY (event_id, member_id)
        )
    """),
)
