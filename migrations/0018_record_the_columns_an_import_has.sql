-- An import writes only the fields its file has a column for (docs/directories.md, "Imports
-- never lose data"): `fields_json` is the JSON array of those field codes, e.g.
-- '["name","credit_code","category","region","industry","status","status_since"]'.
-- NULL (imports staged before this migration) means every field.
ALTER TABLE directory_imports ADD COLUMN fields_json TEXT
    CHECK (fields_json IS NULL OR (json_valid(fields_json) AND json_type(fields_json) = 'array'));
