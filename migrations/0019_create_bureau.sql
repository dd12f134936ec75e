-- The bureau this installation serves (docs/operations.md, "A new bureau"): one row, written
-- by the first run's setup (POST /api/setup) together with the first administrator, and
-- changed by administrators. Its name heads the portal, the reports and the printed forms.
CREATE TABLE bureau (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    name       TEXT    NOT NULL CHECK (length(name) BETWEEN 2 AND 64),
    region     TEXT    NOT NULL CHECK (length(region) BETWEEN 2 AND 64),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

-- The portal's cached pages show the name: a new or renamed bureau makes them all stale.
CREATE TRIGGER bureau_insert_bumps_public_generation AFTER INSERT ON bureau
BEGIN
    UPDATE public_generation SET generation = generation + 1 WHERE id = 1;
END;

CREATE TRIGGER bureau_update_bumps_public_generation AFTER UPDATE ON bureau
BEGIN
    UPDATE public_generation SET generation = generation + 1 WHERE id = 1;
END;
