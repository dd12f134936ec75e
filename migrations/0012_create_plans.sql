-- The annual inspection plan (年度抽查计划): one row per version of a year's plan. Staff edit
-- a draft; publishing makes it public and frozen; a later change is a new draft with the next
-- version number. Every published version stays, readable by anyone. See docs/plans.md.

CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    version      INTEGER NOT NULL CHECK (version >= 1),
    status       TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    -- Counts a draft's saves: an edit names the revision it started from (optimistic
    -- concurrency), so two editors cannot silently overwrite each other.
    revision     INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    -- shared::plan::PlanBody as JSON.
    body_json    TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES accounts (id),
    updated_at   TEXT    NOT NULL,
    updated_by   INTEGER NOT NULL REFERENCES accounts (id),
    published_at TEXT,
    published_by INTEGER REFERENCES accounts (id),
    UNIQUE (year, version),
    CHECK ((status = 'published') = (published_at IS NOT NULL AND published_by IS NOT NULL))
);

-- At most one draft per year: a new version starts only when the last one is published.
CREATE UNIQUE INDEX plans_one_draft_per_year ON plans (year) WHERE status = 'draft';

-- A published version is the public record: it never changes and is never deleted.
CREATE TRIGGER plans_published_refuse_update BEFORE UPDATE ON plans
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published plan is frozen');
END;

CREATE TRIGGER plans_published_refuse_delete BEFORE DELETE ON plans
WHEN OLD.status = 'published'
BEGIN
    SELECT RAISE(ABORT, 'a published plan is frozen');
END;

-- The public portal caches pages by this counter (0011); a published plan changes them.
CREATE TRIGGER plans_publish_bumps_generation AFTER UPDATE OF status ON plans
WHEN NEW.status = 'published'
BEGIN
    UPDATE public_generation SET generation = generation + 1 WHERE id = 1;
END;
