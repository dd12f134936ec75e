-- The draw lifecycle: a task (抽查任务) is drafted, then sealed (its inputs frozen and hashed),
-- then committed exactly once (the server draws entropy, derives the seed, runs the engine and
-- stores everything needed to re-verify it). A committed draw is immutable; it can only be
-- voided with a reason, and the task drawn again; both stay public.

CREATE TABLE draw_tasks (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    year              INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    quarter           INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    -- The section that owns the task (a section account may only touch its own); NULL for a
    -- task run by the enforcement detachment, e.g. a joint one.
    owner_section     TEXT,
    -- shared::draw::DrawSpec as JSON.
    spec_json         TEXT    NOT NULL,
    -- Credit codes of objects already inspected this period by city-level departments or
    -- special campaigns, as a JSON array of strings.
    exclusions_json   TEXT    NOT NULL DEFAULT '[]',
    status            TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sealed', 'committed')),
    created_at        TEXT    NOT NULL,
    created_by        INTEGER NOT NULL REFERENCES accounts (id),
    -- Filled by sealing: the canonical input (shared::draw::DrawInput, normalized) and its hash.
    sealed_input_json TEXT,
    sealed_hash       TEXT,
    sealed_at         TEXT,
    sealed_by         INTEGER REFERENCES accounts (id),
    CHECK ((status = 'draft') = (sealed_hash IS NULL))
);
CREATE INDEX draw_tasks_by_period ON draw_tasks (year, quarter);

-- A sealed task's frozen input cannot change (only its status may move on).
CREATE TRIGGER draw_tasks_sealed_input_is_frozen BEFORE UPDATE ON draw_tasks
WHEN OLD.status <> 'draft'
 AND (NEW.sealed_input_json IS NOT OLD.sealed_input_json OR NEW.sealed_hash IS NOT OLD.sealed_hash
      OR NEW.spec_json IS NOT OLD.spec_json OR NEW.exclusions_json IS NOT OLD.exclusions_json)
BEGIN
    SELECT RAISE(ABORT, 'a sealed task is frozen');
END;

CREATE TABLE draws (
    id                INTEGER PRIMARY KEY,
    task_id           INTEGER NOT NULL REFERENCES draw_tasks (id),
    -- 1 for the first draw of the task, 2 after the first was voided, …: two concurrent
    -- commits of the same task compute the same attempt, and only one INSERT can succeed.
    attempt           INTEGER NOT NULL CHECK (attempt >= 1),
    algorithm_version INTEGER NOT NULL,
    sealed_hash       TEXT    NOT NULL,
    server_entropy    TEXT    NOT NULL,
    witness           TEXT,
    seed              TEXT    NOT NULL,
    -- shared::draw::DrawBundle as JSON: input, seed parts and result; enough to re-verify.
    bundle_json       TEXT    NOT NULL,
    result_hash       TEXT    NOT NULL,
    committed_at      TEXT    NOT NULL,
    committed_by      INTEGER NOT NULL REFERENCES accounts (id),
    UNIQUE (task_id, attempt)
);

CREATE TRIGGER draws_refuse_update BEFORE UPDATE ON draws
BEGIN
    SELECT RAISE(ABORT, 'a committed draw is immutable');
END;

CREATE TRIGGER draws_refuse_delete BEFORE DELETE ON draws
BEGIN
    SELECT RAISE(ABORT, 'a committed draw is immutable');
END;

-- Voiding is a fact of its own, never an edit of the draw.
CREATE TABLE draw_voids (
    draw_id   INTEGER PRIMARY KEY REFERENCES draws (id),
    reason    TEXT    NOT NULL CHECK (length(reason) BETWEEN 5 AND 1000),
    voided_at TEXT    NOT NULL,
    voided_by INTEGER NOT NULL REFERENCES accounts (id)
);

CREATE TRIGGER draw_voids_refuse_update BEFORE UPDATE ON draw_voids
BEGIN
    SELECT RAISE(ABORT, 'a void is permanent');
END;

CREATE TRIGGER draw_voids_refuse_delete BEFORE DELETE ON draw_voids
BEGIN
    SELECT RAISE(ABORT, 'a void is permanent');
END;

-- Idempotency-Key replay for commits: the same key returns the draw the first request made;
-- the same key with a different request is refused. Written in the same transaction as the
-- draw itself.
CREATE TABLE idempotency_keys (
    key          TEXT    PRIMARY KEY CHECK (length(key) BETWEEN 8 AND 200),
    account_id   INTEGER NOT NULL REFERENCES accounts (id),
    request_hash TEXT    NOT NULL,
    task_id      INTEGER NOT NULL REFERENCES draw_tasks (id),
    attempt      INTEGER NOT NULL,
    created_at   TEXT    NOT NULL
);
