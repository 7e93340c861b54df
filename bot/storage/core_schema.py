"""Tables of the core: cases and their claims, scheduled jobs, the audit log, key-value data."""

from bot.storage.base import Migration

__all__ = ["CORE_MIGRATIONS"]

CORE_MIGRATIONS = (
    Migration(1, "cases, jobs, audit, kv", """
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            community TEXT NOT NULL,
            number INTEGER NOT NULL,
            action TEXT NOT NULL,
            target_id TEXT NOT NULL,
            target_name TEXT NOT NULL,
            author_id TEXT NOT NULL,
            author_name TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            duration_s INTEGER,
            expires_at TEXT,
            evidence TEXT NOT NULL DEFAULT '',
            revision TEXT NOT NULL DEFAULT '',
            event_id TEXT,
            status TEXT NOT NULL DEFAULT 'active',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (community, number)
        );
        CREATE INDEX cases_by_member ON cases (community, target_id, created_at);
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            community TEXT NOT NULL,
            run_at TEXT NOT NULL,
            payload TEXT NOT NULL,
            job_key TEXT,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at TEXT NOT NULL,
            done_at TEXT
        );
        CREATE INDEX jobs_due ON jobs (status, run_at);
        CREATE INDEX jobs_by_key ON jobs (job_key, status);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            event_id TEXT,
            community TEXT NOT NULL,
            plugin TEXT NOT NULL,
            rule TEXT NOT NULL,
            actions TEXT NOT NULL,
            evidence TEXT NOT NULL,
            revision TEXT NOT NULL
        );
        CREATE INDEX audit_by_event ON audit (community, event_id);
        CREATE TABLE kv (
            namespace TEXT NOT NULL,
            community TEXT NOT NULL,
            item_key TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (namespace, community, item_key)
        )
    """),
    Migration(2, "cases: channel, references, notice, status changes", """
        ALTER TABLE cases ADD COLUMN channel TEXT;
        ALTER TABLE cases ADD COLUMN refs TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN notified TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN status_reason TEXT NOT NULL DEFAULT '';
        ALTER TABLE cases ADD COLUMN status_by TEXT;
        CREATE INDEX cases_by_status ON cases (community, target_id, action, status)
    """),
    Migration(3, "case claims: what a case took for good (ladder steps)", """
        CREATE TABLE case_claims (
            community TEXT NOT NULL,
            claim TEXT NOT NULL,
            case_id INTEGER NOT NULL,
            PRIMARY KEY (community, claim)
        )
    """),
    Migration(4, "jobs: claimed by a worker until its lease ends", """
        ALTER TABLE jobs ADD COLUMN claimed_by TEXT;
        ALTER TABLE jobs ADD COLUMN lease_until TEXT;
        CREATE INDEX jobs_leased ON jobs (status, lease_until)
    """),
    Migration(5, "workers: the revision each worker runs and its heartbeat", """
        CREATE TABLE workers (
            worker_id TEXT PRIMARY KEY,
            revision TEXT NOT NULL,
            started_at TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            communities TEXT NOT NULL DEFAULT ''
        )
    """),
    Migration(6, "owners: the worker serving each community, under a lease; workers' peer address",
              """
        CREATE TABLE owners (
            scope TEXT PRIMARY KEY,
            worker_id TEXT NOT NULL,
            since TEXT NOT NULL,
            lease_until TEXT NOT NULL
        );
        CREATE INDEX owners_worker ON owners (worker_id);
        ALTER TABLE workers ADD COLUMN peer_url TEXT NOT NULL DEFAULT ''
    """),
)
