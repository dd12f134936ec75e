-- Inspections (检查), their on-site records (现场检查记录) and publications (公开).
--
-- An inspection is one object to inspect in a period by a team. Random ones are created in the
-- same batch that commits a draw, one per drawn object, and never change; voiding the draw voids
-- them (see live_inspections). Targeted ones (complaints, referrals, emergencies) are created by
-- staff with their trigger. The record is entered within 7 working days of the inspection; a
-- result is published within 20 working days of its task's completion, and a published
-- result is a frozen snapshot of exactly the public fields. Public pages read publications
-- only, so a confidential record (which cannot be published) is in no public response.

CREATE TABLE inspections (
    id                INTEGER PRIMARY KEY,
    kind              TEXT    NOT NULL CHECK (kind IN ('random', 'targeted')),
    draw_id           INTEGER REFERENCES draws (id),
    task_id           INTEGER REFERENCES draw_tasks (id),
    object_id         INTEGER NOT NULL REFERENCES objects (id),
    year              INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    quarter           INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    -- Targeted only: why (complaint 投诉举报, referral 转办交办, emergency 突发事件, other).
    trigger           TEXT    CHECK (trigger IN ('complaint', 'referral', 'emergency', 'other')),
    trigger_detail    TEXT    NOT NULL DEFAULT '' CHECK (length(trigger_detail) <= 500),
    joint             INTEGER NOT NULL DEFAULT 0 CHECK (joint IN (0, 1)),
    -- Codes of the sections whose part this is (shared::sections), a JSON array; several for a
    -- joint inspection. Each section sees the inspections its code is in.
    sections_json     TEXT    NOT NULL,
    -- Checklist item ids (the union for a joint inspection), a JSON array.
    items_json        TEXT    NOT NULL,
    -- NULL when the draw found no feasible team (the section must then staff it by hand).
    lead_inspector_id INTEGER REFERENCES inspectors (id),
    created_at        TEXT    NOT NULL,
    created_by        INTEGER NOT NULL REFERENCES accounts (id),
    CHECK ((kind = 'random') = (draw_id IS NOT NULL)),
    CHECK ((kind = 'targeted') = (trigger IS NOT NULL)),
    UNIQUE (draw_id, object_id)
);
CREATE INDEX inspections_by_object ON inspections (object_id, year);
CREATE INDEX inspections_by_period ON inspections (year, quarter);
CREATE INDEX inspections_by_task ON inspections (task_id);

-- The team, lead first (position 0).
CREATE TABLE inspection_team (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    inspector_id  INTEGER NOT NULL REFERENCES inspectors (id),
    position      INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (inspection_id, inspector_id)
) WITHOUT ROWID;
CREATE INDEX inspection_team_by_inspector ON inspection_team (inspector_id, inspection_id);

-- Drawn inspections are part of the draw: immutable like it.
CREATE TRIGGER inspections_drawn_are_immutable BEFORE UPDATE ON inspections
WHEN OLD.kind = 'random'
BEGIN
    SELECT RAISE(ABORT, 'a drawn inspection is immutable');
END;

CREATE TRIGGER inspections_refuse_delete BEFORE DELETE ON inspections
BEGIN
    SELECT RAISE(ABORT, 'an inspection is never deleted');
END;

-- Inspections that count: targeted ones, and drawn ones whose draw was not voided.
CREATE VIEW live_inspections AS
SELECT i.* FROM inspections i
 WHERE i.draw_id IS NULL
    OR NOT EXISTS (SELECT 1 FROM draw_voids v WHERE v.draw_id = i.draw_id);

-- The yearly counter caches (object_yearly_counts, inspector_yearly_counts) follow the live
-- inspections: +1 when an inspection (or a team place) is created, -1 when its draw is voided.
CREATE TRIGGER inspections_count_object AFTER INSERT ON inspections
BEGIN
    INSERT INTO object_yearly_counts (object_id, year, random, targeted)
    VALUES (NEW.object_id, NEW.year, NEW.kind = 'random', NEW.kind = 'targeted')
    ON CONFLICT (object_id, year) DO UPDATE
       SET random = random + (NEW.kind = 'random'), targeted = targeted + (NEW.kind = 'targeted');
END;

CREATE TRIGGER inspection_team_count_inspector AFTER INSERT ON inspection_team
BEGIN
    INSERT INTO inspector_yearly_counts (inspector_id, year, random, targeted)
    SELECT NEW.inspector_id, i.year, i.kind = 'random', i.kind = 'targeted'
      FROM inspections i WHERE i.id = NEW.inspection_id
    ON CONFLICT (inspector_id, year) DO UPDATE
       SET random = random + excluded.random, targeted = targeted + excluded.targeted;
END;

CREATE TRIGGER draw_voids_uncount AFTER INSERT ON draw_voids
BEGIN
    UPDATE object_yearly_counts
       SET random = random - (SELECT count(*) FROM inspections i
                               WHERE i.draw_id = NEW.draw_id AND i.object_id = object_yearly_counts.object_id
                                 AND i.year = object_yearly_counts.year)
     WHERE (object_id, year) IN (SELECT object_id, year FROM inspections WHERE draw_id = NEW.draw_id);
    UPDATE inspector_yearly_counts
       SET random = random - (SELECT count(*) FROM inspection_team t JOIN inspections i ON i.id = t.inspection_id
                               WHERE i.draw_id = NEW.draw_id AND t.inspector_id = inspector_yearly_counts.inspector_id
                                 AND i.year = inspector_yearly_counts.year)
     WHERE (inspector_id, year) IN (SELECT t.inspector_id, i.year FROM inspection_team t
                                      JOIN inspections i ON i.id = t.inspection_id
                                     WHERE i.draw_id = NEW.draw_id);
END;

-- 现场检查记录: one per inspection, mirroring 《环境保护现场检查记录单》. Editable by its
-- recorder until published; a voided draw's inspection cannot get one.
CREATE TABLE inspection_records (
    inspection_id       INTEGER PRIMARY KEY REFERENCES inspections (id),
    inspected_on        TEXT    NOT NULL CHECK (inspected_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    -- Inspector ids present on site, a JSON array (at least two: 两人以上).
    team_present_json   TEXT    NOT NULL,
    -- Per checklist item: [{"item": id, "compliant": bool, "finding": text}], a JSON array.
    findings_json       TEXT    NOT NULL,
    result              TEXT    NOT NULL CHECK (result IN ('no_problem', 'ordered_to_correct', 'case_opened')),
    -- 责令改正决定书 number or 立案 case number; required unless no problem was found.
    order_number        TEXT    NOT NULL DEFAULT '' CHECK (length(order_number) <= 100),
    confidential        INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    -- The legal ground for withholding (e.g. 国家秘密、商业秘密、个人隐私).
    confidential_ground TEXT    NOT NULL DEFAULT '' CHECK (length(confidential_ground) <= 500),
    -- Attachments as descriptions (file name + what it shows), a JSON array of strings.
    attachments_json    TEXT    NOT NULL DEFAULT '[]',
    remarks             TEXT    NOT NULL DEFAULT '' CHECK (length(remarks) <= 2000),
    -- inspected_on + 7 working days (shared::calendar), fixed when first recorded.
    entry_deadline      TEXT    NOT NULL,
    recorded_at         TEXT    NOT NULL,
    recorded_by         INTEGER NOT NULL REFERENCES accounts (id),
    updated_at          TEXT    NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    CHECK (confidential = 0 OR length(confidential_ground) > 0),
    CHECK (result = 'no_problem' OR length(order_number) > 0)
);
CREATE INDEX inspection_records_by_recorder ON inspection_records (recorded_by);

-- 公开: the published result, a snapshot of the public fields only. Never changes.
CREATE TABLE publications (
    inspection_id INTEGER PRIMARY KEY REFERENCES inspection_records (inspection_id),
    year          INTEGER NOT NULL,
    quarter       INTEGER NOT NULL,
    object_name   TEXT    NOT NULL,
    credit_code   TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    -- Task name for a random inspection; the trigger's label for a targeted one.
    task_name     TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('random', 'targeted')),
    inspected_on  TEXT    NOT NULL,
    -- The checked items' contents, a JSON array of strings.
    items_json    TEXT    NOT NULL,
    result        TEXT    NOT NULL,
    -- The standard phrase (shared::records::result_phrase), as published.
    phrase        TEXT    NOT NULL,
    department    TEXT    NOT NULL,
    published_at  TEXT    NOT NULL,
    published_by  INTEGER NOT NULL REFERENCES accounts (id)
);
CREATE INDEX publications_by_name ON publications (object_name);
CREATE INDEX publications_by_code ON publications (credit_code);
CREATE INDEX publications_by_period ON publications (year, quarter);

CREATE TRIGGER publications_refuse_update BEFORE UPDATE ON publications
BEGIN
    SELECT RAISE(ABORT, 'a publication is permanent');
END;

CREATE TRIGGER publications_refuse_delete BEFORE DELETE ON publications
BEGIN
    SELECT RAISE(ABORT, 'a publication is permanent');
END;

-- A confidential record is never published, and a published record no longer changes.
CREATE TRIGGER publications_refuse_confidential BEFORE INSERT ON publications
WHEN (SELECT confidential FROM inspection_records WHERE inspection_id = NEW.inspection_id) = 1
BEGIN
    SELECT RAISE(ABORT, 'a confidential record is not published');
END;

CREATE TRIGGER inspection_records_frozen_when_published BEFORE UPDATE ON inspection_records
WHEN EXISTS (SELECT 1 FROM publications p WHERE p.inspection_id = OLD.inspection_id)
BEGIN
    SELECT RAISE(ABORT, 'a published record is frozen');
END;

-- Every change to the public portal's data bumps this counter; public pages use it in their
-- cache key, so a publication invalidates every cached page at once.
CREATE TABLE public_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO public_generation (id, generation) VALUES (1, 1);

CREATE TRIGGER publications_bump_generation AFTER INSERT ON publications
BEGIN
    UPDATE public_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER draws_bump_generation AFTER INSERT ON draws
BEGIN
    UPDATE public_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER draw_voids_bump_generation AFTER INSERT ON draw_voids
BEGIN
    UPDATE public_generation SET generation = generation + 1 WHERE id = 1;
END;
