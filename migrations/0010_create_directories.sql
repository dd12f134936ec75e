-- The two directories: inspection objects (检查对象名录库) and inspectors (检查人员名录库),
-- their tags, specialties, conflicts of interest, status history, yearly inspection counts,
-- remembered import column mappings, and the staging area that makes a 100 000-row import one
-- all-or-nothing commit. See docs/directories.md#schema.
--
-- Closed vocabularies are stored in the JSON spelling of the shared types (Category "general",
-- ObjectStatus "suspended", Grade "A"/"unrated", PermitClass "simplified"), so a row's JSON
-- from shared::directory::ObjectRow maps onto the columns without translation.

CREATE TABLE objects (
    id                         INTEGER PRIMARY KEY,
    -- 统一社会信用代码, validated with its check character before it gets here.
    credit_code                TEXT    NOT NULL UNIQUE CHECK (length(credit_code) = 18),
    name                       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    category                   TEXT    NOT NULL CHECK (category IN ('general', 'key', 'special')),
    region                     TEXT    NOT NULL CHECK (length(region) BETWEEN 1 AND 50),
    industry                   TEXT    NOT NULL CHECK (length(industry) BETWEEN 1 AND 50),
    address                    TEXT    NOT NULL DEFAULT '' CHECK (length(address) <= 200),
    construction_status        TEXT    NOT NULL DEFAULT '' CHECK (length(construction_status) <= 50),
    discharge_type             TEXT    NOT NULL DEFAULT '' CHECK (length(discharge_type) <= 50),
    permit_class               TEXT    CHECK (permit_class IN ('key', 'simplified', 'registration')),
    production_scale           TEXT    NOT NULL DEFAULT '' CHECK (length(production_scale) <= 50),
    production_cycle           TEXT    NOT NULL DEFAULT '' CHECK (length(production_cycle) <= 50),
    monitoring_type            TEXT    NOT NULL DEFAULT '' CHECK (length(monitoring_type) <= 50),
    weather_grade              TEXT    NOT NULL DEFAULT 'unrated' CHECK (weather_grade IN ('A', 'B', 'C', 'D', 'unrated')),
    status                     TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
    -- When the current status took effect (YYYY-MM-DD); required unless active.
    status_since               TEXT    CHECK (status_since IS NULL OR status_since GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    -- Risk facts the draw weighs (shared::draw::RiskFacts); kept by staff, not imported.
    credit_grade               TEXT    NOT NULL DEFAULT 'unrated' CHECK (credit_grade IN ('A', 'B', 'C', 'D', 'unrated')),
    violations                 INTEGER NOT NULL DEFAULT 0 CHECK (violations >= 0),
    complaints                 INTEGER NOT NULL DEFAULT 0 CHECK (complaints >= 0),
    unstable_permit_compliance INTEGER NOT NULL DEFAULT 0 CHECK (unstable_permit_compliance IN (0, 1)),
    high_public_concern        INTEGER NOT NULL DEFAULT 0 CHECK (high_public_concern IN (0, 1)),
    -- Optimistic concurrency for edit forms: UPDATE … WHERE id = ? AND version = ?.
    version                    INTEGER NOT NULL DEFAULT 1,
    created_at                 TEXT    NOT NULL,
    updated_at                 TEXT    NOT NULL,
    CHECK (status = 'active' OR status_since IS NOT NULL)
);
-- List pages filter by one tag and page by name (keyset: ORDER BY name, id). Each index ends
-- in name so the filter and the order come from the same index; the rowid (id) is implicit.
-- Name prefix search: `name GLOB ?1 || '*'` (with ?1's GLOB characters escaped) or the range
-- `name >= ?1 AND name < ?1 || char(1114111)`, both use objects_by_name; LIKE would not
-- (BINARY collation).
CREATE INDEX objects_by_name ON objects (name);
CREATE INDEX objects_by_category ON objects (category, name);
CREATE INDEX objects_by_region ON objects (region, name);
CREATE INDEX objects_by_industry ON objects (industry, name);
CREATE INDEX objects_by_status ON objects (status, name);
-- The draw pool and the statistics: category × region counts, key/special objects by region.
CREATE INDEX objects_by_category_region ON objects (category, region, status);

-- Free labels beyond the fixed tag columns (e.g. 饮用水源保护区, 长江沿岸, 信访重点).
CREATE TABLE object_tags (
    object_id INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    tag       TEXT    NOT NULL CHECK (length(tag) BETWEEN 1 AND 50),
    PRIMARY KEY (object_id, tag)
) WITHOUT ROWID;
CREATE INDEX object_tags_by_tag ON object_tags (tag, object_id);

-- Every status change (存续变动、停工停产、复产、注销), never overwritten: the objects row holds
-- the current status, this table how it got there. Append-only.
CREATE TABLE object_status_changes (
    id             INTEGER PRIMARY KEY,
    object_id      INTEGER NOT NULL REFERENCES objects (id),
    -- NULL for the status an object entered the directory with.
    from_status    TEXT    CHECK (from_status IN ('active', 'suspended', 'closed')),
    to_status      TEXT    NOT NULL CHECK (to_status IN ('active', 'suspended', 'closed')),
    effective_date TEXT    NOT NULL CHECK (effective_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    reason         TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    recorded_at    TEXT    NOT NULL,
    -- The account that recorded it; NULL only for the demo data and system migrations.
    recorded_by    INTEGER REFERENCES accounts (id),
    -- The import that brought it, if any.
    import_id      INTEGER REFERENCES directory_imports (id)
);
CREATE INDEX object_status_changes_by_object ON object_status_changes (object_id, id);

CREATE TRIGGER object_status_changes_refuse_update BEFORE UPDATE ON object_status_changes
BEGIN
    SELECT RAISE(ABORT, 'object_status_changes is append-only');
END;

CREATE TRIGGER object_status_changes_refuse_delete BEFORE DELETE ON object_status_changes
BEGIN
    SELECT RAISE(ABORT, 'object_status_changes is append-only');
END;

CREATE TABLE inspectors (
    id               INTEGER PRIMARY KEY,
    -- 工号: the key across imports.
    employee_no      TEXT    NOT NULL UNIQUE CHECK (length(employee_no) BETWEEN 1 AND 32),
    name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    -- 执法证号; NULL for daily-supervision staff without one. Unique when present.
    certificate      TEXT    UNIQUE CHECK (certificate IS NULL OR length(certificate) BETWEEN 1 AND 32),
    region           TEXT    NOT NULL DEFAULT '' CHECK (length(region) <= 50),
    years_of_service INTEGER NOT NULL DEFAULT 0 CHECK (years_of_service BETWEEN 0 AND 60),
    department       TEXT    NOT NULL CHECK (length(department) BETWEEN 1 AND 50),
    post             TEXT    NOT NULL DEFAULT '' CHECK (length(post) <= 50),
    -- Personal data: never in a public view or a default export.
    phone            TEXT    CHECK (phone IS NULL OR length(phone) <= 30),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- The sign-in account of this person, when they have one.
    account_id       INTEGER UNIQUE REFERENCES accounts (id),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX inspectors_by_name ON inspectors (name);
CREATE INDEX inspectors_by_department ON inspectors (department, name);
CREATE INDEX inspectors_by_region ON inspectors (region, name);
CREATE INDEX inspectors_by_active ON inspectors (active, name);

-- Specialties by the draw's code (shared::draw::Specialty: water, air, solid_waste, …).
CREATE TABLE inspector_specialties (
    inspector_id INTEGER NOT NULL REFERENCES inspectors (id) ON DELETE CASCADE,
    specialty    TEXT    NOT NULL CHECK (length(specialty) BETWEEN 1 AND 64 AND specialty NOT GLOB '*[^a-z0-9_-]*'),
    PRIMARY KEY (inspector_id, specialty)
) WITHOUT ROWID;
CREATE INDEX inspector_specialties_by_specialty ON inspector_specialties (specialty, inspector_id);

-- Going on or off duty, with its date and reason. Append-only.
CREATE TABLE inspector_status_changes (
    id             INTEGER PRIMARY KEY,
    inspector_id   INTEGER NOT NULL REFERENCES inspectors (id),
    active         INTEGER NOT NULL CHECK (active IN (0, 1)),
    effective_date TEXT    NOT NULL CHECK (effective_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    reason         TEXT    NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    recorded_at    TEXT    NOT NULL,
    recorded_by    INTEGER REFERENCES accounts (id)
);
CREATE INDEX inspector_status_changes_by_inspector ON inspector_status_changes (inspector_id, id);

CREATE TRIGGER inspector_status_changes_refuse_update BEFORE UPDATE ON inspector_status_changes
BEGIN
    SELECT RAISE(ABORT, 'inspector_status_changes is append-only');
END;

CREATE TRIGGER inspector_status_changes_refuse_delete BEFORE DELETE ON inspector_status_changes
BEGIN
    SELECT RAISE(ABORT, 'inspector_status_changes is append-only');
END;

-- Declared conflicts of interest (回避): the draw never puts the inspector on the object's
-- team. Ending one is a DELETE; the audit log keeps who declared and who ended it.
CREATE TABLE conflicts_of_interest (
    inspector_id INTEGER NOT NULL REFERENCES inspectors (id) ON DELETE CASCADE,
    object_id    INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    reason       TEXT    NOT NULL CHECK (length(reason) BETWEEN 2 AND 500),
    declared_at  TEXT    NOT NULL,
    declared_by  INTEGER REFERENCES accounts (id),
    PRIMARY KEY (inspector_id, object_id)
) WITHOUT ROWID;
CREATE INDEX conflicts_of_interest_by_object ON conflicts_of_interest (object_id, inspector_id);

-- Inspections per object and per inspector per year, random (drawn) and targeted. A counter
-- cache for the list pages and the draw's yearly cap: whoever records an inspection adds 1 in
-- the same batch; it can be rebuilt from the inspections table when that exists.
CREATE TABLE object_yearly_counts (
    object_id INTEGER NOT NULL REFERENCES objects (id) ON DELETE CASCADE,
    year      INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    random    INTEGER NOT NULL DEFAULT 0 CHECK (random >= 0),
    targeted  INTEGER NOT NULL DEFAULT 0 CHECK (targeted >= 0),
    PRIMARY KEY (object_id, year)
) WITHOUT ROWID;

CREATE TABLE inspector_yearly_counts (
    inspector_id INTEGER NOT NULL REFERENCES inspectors (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    random       INTEGER NOT NULL DEFAULT 0 CHECK (random >= 0),
    targeted     INTEGER NOT NULL DEFAULT 0 CHECK (targeted >= 0),
    PRIMARY KEY (inspector_id, year)
) WITHOUT ROWID;

-- Remembered import column mappings (shared::directory::ColumnMapping as JSON): one per
-- directory per account, and one bureau-wide default (account_id NULL).
CREATE TABLE column_mappings (
    id           INTEGER PRIMARY KEY,
    directory    TEXT    NOT NULL CHECK (directory IN ('objects', 'inspectors')),
    account_id   INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    mapping_json TEXT    NOT NULL CHECK (json_valid(mapping_json) AND length(mapping_json) <= 20000),
    updated_at   TEXT    NOT NULL
);
CREATE UNIQUE INDEX column_mappings_per_account ON column_mappings (directory, account_id) WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX column_mappings_bureau_wide ON column_mappings (directory) WHERE account_id IS NULL;

-- An import: validated rows are uploaded in chunks into directory_import_rows (each chunk one
-- statement with one JSON parameter, far under D1's 100 bound parameters), then committed by
-- one db.batch (one transaction) of set-based statements — all rows or none. See
-- docs/directories.md#committing-an-import.
CREATE TABLE directory_imports (
    id          INTEGER PRIMARY KEY,
    directory   TEXT    NOT NULL CHECK (directory IN ('objects', 'inspectors')),
    file_name   TEXT    NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    -- SHA-256 of the file, hex: the same file twice is recognised.
    file_sha256 TEXT    NOT NULL CHECK (length(file_sha256) = 64),
    row_count   INTEGER NOT NULL CHECK (row_count BETWEEN 1 AND 200000),
    status      TEXT    NOT NULL DEFAULT 'staging' CHECK (status IN ('staging', 'committed', 'abandoned')),
    created_at  TEXT    NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES accounts (id),
    committed_at TEXT,
    CHECK ((status = 'committed') = (committed_at IS NOT NULL))
);
CREATE INDEX directory_imports_by_status ON directory_imports (status, created_at);

-- Staged rows: shared::directory::ObjectRow / InspectorRow as JSON, in file order. Deleted
-- when the import is committed or abandoned.
CREATE TABLE directory_import_rows (
    import_id INTEGER NOT NULL REFERENCES directory_imports (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    -- The spreadsheet row the record came from, for messages.
    source_row INTEGER NOT NULL,
    row_json  TEXT    NOT NULL CHECK (json_valid(row_json)),
    PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
