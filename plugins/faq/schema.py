"""The FAQ's tables: answers given, helpful / not helpful votes, unanswered questions."""

from __future__ import annotations

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "answers, votes and misses", """
CREATE TABLE faq_answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    community TEXT NOT NULL,
    channel TEXT NOT NULL,
    entry TEXT NOT NULL,
    source TEXT NOT NULL,
    score REAL NOT NULL,
    lang TEXT NOT NULL,
    event_id TEXT NOT NULL
);
CREATE INDEX faq_answers_by_entry ON faq_answers (community, entry);
CREATE TABLE faq_votes (
    community TEXT NOT NULL,
    message_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    entry TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    ts TEXT NOT NULL,
    PRIMARY KEY (community, message_id, user_id)
);
CREATE INDEX faq_votes_by_entry ON faq_votes (community, entry);
CREATE TABLE faq_misses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    community TEXT NOT NULL,
    channel TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    terms TEXT NOT NULL,
    closest TEXT,
    score REAL NOT NULL
);
CREATE INDEX faq_misses_by_time ON faq_misses (community, ts)
"""),
    Migration(2, "the question an answer was given to, and the answer a vote is on", """
ALTER TABLE faq_answers ADD COLUMN question TEXT;
ALTER TABLE faq_answers ADD COLUMN qkey TEXT;
ALTER TABLE faq_votes ADD COLUMN qkey TEXT;
CREATE INDEX faq_answers_by_qkey ON faq_answers (community, qkey)
"""),
)
