-- The working-day calendar's schedules entered later (节假日安排): one row per version of a
-- year's State Council notice, as entered by an admin in the schedule text format
-- (docs/calendar.md). The newest version of a year is the one deadlines are counted in; every
-- older version stays, so what a deadline was counted with can always be read back. The
-- schedules shipped with the code (2024–2026, shared/src/calendar/schedule.txt) are not here.
-- A year with no row and no shipped schedule is counted provisionally (weekends plus the
-- fixed-date statutory holidays) and every deadline that touches it says so.

CREATE TABLE calendar_schedules (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    -- 1, 2, 3 … per year; an edit names the version it started from (optimistic concurrency).
    version       INTEGER NOT NULL CHECK (version >= 1),
    -- The schedule as entered, checked by shared::calendar::YearSchedule::parse before storing.
    schedule_text TEXT    NOT NULL CHECK (length(schedule_text) BETWEEN 1 AND 20000),
    -- The notice it cites (its `year` line), for lists.
    source        TEXT    NOT NULL,
    entered_at    TEXT    NOT NULL,
    entered_by    INTEGER NOT NULL REFERENCES accounts (id),
    UNIQUE (year, version)
);

-- A version is a record of what was entered: never changed, never deleted. A correction is the
-- next version.
CREATE TRIGGER calendar_schedules_refuse_update BEFORE UPDATE ON calendar_schedules
BEGIN
    SELECT RAISE(ABORT, 'calendar schedules are append-only');
END;

CREATE TRIGGER calendar_schedules_refuse_delete BEFORE DELETE ON calendar_schedules
BEGIN
    SELECT RAISE(ABORT, 'calendar schedules are append-only');
END;
