-- Staff accounts, their sessions, and the append-only, hash-chained audit log.

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    username            TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 2 AND 64),
    display_name        TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
    role                TEXT    NOT NULL CHECK (role IN ('admin', 'planner', 'section', 'inspector', 'auditor')),
    -- The bureau section (科室) of a 'section' account; NULL for other roles.
    section             TEXT,
    -- "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" (see docs/api.md#accounts).
    password_hash       TEXT    NOT NULL,
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts     INTEGER NOT NULL DEFAULT 0,
    -- Unix milliseconds until which sign-in is refused after repeated failures (0: not locked).
    locked_until        INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT    NOT NULL,
    password_changed_at TEXT    NOT NULL,
    CHECK ((role = 'section') = (section IS NOT NULL))
);

-- A session is a random token in an HttpOnly cookie; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Every state-changing request appends one entry. Each entry carries the hash of the previous
-- one (shared::audit::entry_hash); seq has no gaps, so a removed row is found too.
CREATE TABLE audit_log (
    seq           INTEGER PRIMARY KEY CHECK (seq >= 1),
    at            TEXT    NOT NULL,
    actor_id      INTEGER,
    actor         TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    before_digest TEXT    NOT NULL,
    after_digest  TEXT    NOT NULL,
    detail        TEXT    NOT NULL,
    prev_hash     TEXT    NOT NULL UNIQUE,
    hash          TEXT    NOT NULL UNIQUE
);
CREATE INDEX audit_log_by_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_by_action ON audit_log (action, seq);

CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
