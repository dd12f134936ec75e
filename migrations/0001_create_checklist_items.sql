-- The checklist of inspection items (随机抽查事项清单): what is checked, and which bureau
-- section owns the check. Every item must be covered at least once a year.
CREATE TABLE checklist_items (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 32),
    section     TEXT    NOT NULL CHECK (length(section) BETWEEN 1 AND 64),
    content     TEXT    NOT NULL CHECK (length(content) BETWEEN 1 AND 500),
    legal_basis TEXT    NOT NULL DEFAULT ''
);
