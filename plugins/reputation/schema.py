"""The reputation tables: daily figures per term, example message ids, early warnings."""

from __future__ import annotations

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "daily figures, examples and warnings", """
CREATE TABLE reputation_daily (
    community TEXT NOT NULL,
    day TEXT NOT NULL,
    platform TEXT NOT NULL,
    term TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    negative INTEGER NOT NULL,
    positive INTEGER NOT NULL,
    score_sum REAL NOT NULL,
    PRIMARY KEY (community, day, platform, term)
);
CREATE TABLE reputation_examples (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    day TEXT NOT NULL,
    community TEXT NOT NULL,
    platform TEXT NOT NULL,
    term TEXT NOT NULL,
    channel TEXT NOT NULL,
    message_id TEXT NOT NULL,
    label TEXT NOT NULL,
    score REAL NOT NULL
);
CREATE INDEX reputation_examples_by_day ON reputation_examples (community, day);
CREATE TABLE reputation_warnings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    community TEXT NOT NULL,
    term TEXT NOT NULL,
    kind TEXT NOT NULL,
    negative INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    baseline_negative INTEGER NOT NULL,
    baseline_mentions INTEGER NOT NULL,
    p_value REAL NOT NULL
);
CREATE INDEX reputation_warnings_by_term ON reputation_warnings (community, term, ts)
"""),
    Migration(2, "the CMs' answer to a warning", """
ALTER TABLE reputation_warnings ADD COLUMN outcome TEXT NOT NULL DEFAULT 'open';
ALTER TABLE reputation_warnings ADD COLUMN decided_by TEXT;
ALTER TABLE reputation_warnings ADD COLUMN decided_at TEXT
"""),
)
