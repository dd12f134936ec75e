-- D1 stores at most 2 MB in one value (string, BLOB or row). A sealed input and a draw's bundle
-- hold the whole directory as the draw saw it: ≈ 2.3 MB at 5 000 objects, ≈ 46 MB at 100 000
-- (`cargo xtask bench draw`, commit_input/commit_bundle). So since this migration they are
-- stored here in parts of at most 512 KiB (worker-api/src/parts.rs; the CHECK allows 1 MB), split at character boundaries, and
-- `draw_tasks.sealed_input_json` / `draws.bundle_json` hold '' (older rows keep their text
-- there and are read from it). Concatenating a text's parts in `seq` order gives it back.

CREATE TABLE text_parts (
    id       INTEGER PRIMARY KEY,
    owner    TEXT    NOT NULL CHECK (owner IN ('sealed_input', 'draw_bundle')),
    -- draw_tasks.id for a sealed input, draws.id for a bundle.
    owner_id INTEGER NOT NULL,
    seq      INTEGER NOT NULL CHECK (seq >= 0),
    part     TEXT    NOT NULL CHECK (length(CAST(part AS BLOB)) <= 1000000),
    UNIQUE (owner, owner_id, seq)
);

-- Both are frozen once written, like the rows they belong to.
CREATE TRIGGER text_parts_refuse_update BEFORE UPDATE ON text_parts
BEGIN
    SELECT RAISE(ABORT, 'a stored part is immutable');
END;

CREATE TRIGGER text_parts_refuse_delete BEFORE DELETE ON text_parts
BEGIN
    SELECT RAISE(ABORT, 'a stored part is immutable');
END;
