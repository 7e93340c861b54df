"""Tables of the contests plugin: contests and places, entries, draws, posts, member activity."""

from bot.storage import Migration

__all__ = ["MIGRATIONS"]

MIGRATIONS = (
    Migration(1, "contests, places, entries, draws, posts, activity", """
        CREATE TABLE contests (
            id INTEGER PRIMARY KEY,
            community TEXT NOT NULL,
            channel TEXT NOT NULL,
            places TEXT NOT NULL,
            prize TEXT NOT NULL,
            winners INTEGER NOT NULL,
            mode TEXT NOT NULL,
            emoji TEXT NOT NULL,
            keyword TEXT,
            requirements TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            seed TEXT NOT NULL,
            commitment TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_by_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            ended_at TEXT,
            ended_by TEXT,
            cancel_reason TEXT NOT NULL DEFAULT '',
            revision TEXT NOT NULL DEFAULT '',
            relayed INTEGER NOT NULL DEFAULT 0,
            told_in TEXT
        );
        CREATE INDEX contests_by_status ON contests (status);
        CREATE TABLE contest_places (
            contest_id INTEGER NOT NULL REFERENCES contests (id),
            community TEXT NOT NULL,
            channel TEXT NOT NULL,
            PRIMARY KEY (contest_id, community)
        );
        CREATE INDEX contest_places_by_community ON contest_places (community, contest_id);
        CREATE TABLE contest_entries (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests (id),
            member_id TEXT NOT NULL,
            member_name TEXT NOT NULL,
            community TEXT NOT NULL,
            language TEXT,
            via TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'in',
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (contest_id, member_id)
        );
        CREATE TABLE contest_draws (
            id INTEGER PRIMARY KEY,
            contest_id INTEGER NOT NULL REFERENCES contests (id),
            round INTEGER NOT NULL,
            requested INTEGER NOT NULL,
            winners TEXT NOT NULL,
            entrants INTEGER NOT NULL,
            entrants_sha256 TEXT NOT NULL,
            drawn_at TEXT NOT NULL,
            drawn_by TEXT NOT NULL,
            relayed INTEGER NOT NULL DEFAULT 0,
            told_in TEXT,
            UNIQUE (contest_id, round)
        );
        CREATE TABLE contest_posts (
            channel TEXT NOT NULL,
            message_id TEXT NOT NULL,
            contest_id INTEGER NOT NULL REFERENCES contests (id),
            community TEXT NOT NULL,
            posted_at TEXT NOT NULL,
            PRIMARY KEY (channel, message_id)
        );
        CREATE INDEX contest_posts_by_contest ON contest_posts (contest_id);
        CREATE TABLE contest_activity (
            community TEXT NOT NULL,
            member_id TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            joined_at TEXT,
            messages INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (community, member_id)
        )
    """),
)
