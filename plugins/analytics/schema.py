"""The analytics tables: hourly counters, active-member days, and the audit read position."""

from __future__ import annotations

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "hourly counters, active members per day, audit position", """
CREATE TABLE analytics_hours (
    community TEXT NOT NULL,
    channel TEXT NOT NULL,
    hour TEXT NOT NULL,
    metric TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (community, hour, channel, metric)
);
CREATE TABLE analytics_active (
    community TEXT NOT NULL,
    day TEXT NOT NULL,
    member TEXT NOT NULL,
    PRIMARY KEY (community, day, member)
);
CREATE INDEX analytics_active_by_member ON analytics_active (community, member, day);
CREATE TABLE analytics_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
"""),
)
