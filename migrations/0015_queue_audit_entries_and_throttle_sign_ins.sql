-- Steady under load (issue #11 item 6).
--
-- 1. audit_queue: a change and its audit entry are stored in one transaction, the entry here,
--    without its place in the chain; the request then moves queued entries into audit_log in
--    queue order, computing seq, prev_hash and hash (worker-api/src/db/audit_chain.rs). Two
--    requests moving the same entries collide on audit_log.seq and one of them rolls back, so
--    concurrent writers never race for the chain's head inside the change's own transaction:
--    50 concurrent writers all succeed, and every entry ends in the chain exactly once.
CREATE TABLE audit_queue (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT    NOT NULL,
    actor_id      INTEGER,
    actor         TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    before_digest TEXT    NOT NULL,
    after_digest  TEXT    NOT NULL,
    detail        TEXT    NOT NULL
);

-- 2. sign_in_throttle: failed sign-ins under a user name that names no enabled account are
--    counted and locked out exactly like accounts.failed_attempts / locked_until, so an unknown
--    name answers like a known one, also on the sixth attempt.
CREATE TABLE sign_in_throttle (
    username        TEXT    PRIMARY KEY COLLATE NOCASE,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    INTEGER NOT NULL DEFAULT 0,
    updated_at      INTEGER NOT NULL
);
