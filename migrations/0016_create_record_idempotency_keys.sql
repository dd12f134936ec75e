-- Idempotency-Key replay for on-site records (PUT /api/inspections/:id/record): the outbox of
-- an inspector's phone sends each record with a key of its own, so a resend after a lost answer
-- is answered as the first request was (the record as stored), not refused as a version
-- conflict. Written in the same transaction as the record and its audit entry.
CREATE TABLE record_idempotency_keys (
    key           TEXT    PRIMARY KEY CHECK (length(key) BETWEEN 8 AND 200),
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    request_hash  TEXT    NOT NULL,
    status        INTEGER NOT NULL,
    created_at    TEXT    NOT NULL
);
