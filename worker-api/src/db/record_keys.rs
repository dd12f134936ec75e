//! `record_idempotency_keys`: the `Idempotency-Key` of each on-site record a client sent with
//! one (`PUT /api/inspections/:id/record`), with the digest of the request it came with and
//! the status the first answer had.

use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

use super::{Param, bind};
use crate::error::AppResult;

/// A key as stored.
#[derive(Deserialize)]
pub(crate) struct StoredRecordKey {
    pub(crate) account_id: i64,
    pub(crate) inspection_id: i64,
    pub(crate) request_hash: String,
    pub(crate) status: i64,
}

/// The key `key`, if it was seen.
pub(crate) async fn find(db: &D1Database, key: &str) -> AppResult<Option<StoredRecordKey>> {
    Ok(bind(
        db,
        "SELECT account_id, inspection_id, request_hash, status
           FROM record_idempotency_keys WHERE key = ?1",
        &[Param::Text(key.to_owned())],
    )?
    .first(None)
    .await?)
}

/// A key to remember, in the same batch as its record.
pub(crate) struct NewRecordKey<'a> {
    pub(crate) key: &'a str,
    pub(crate) account_id: i64,
    pub(crate) inspection_id: i64,
    pub(crate) request_hash: &'a str,
    pub(crate) status: u16,
    pub(crate) created_at: &'a str,
}

/// The statement that stores the key (its primary key refuses a second request racing it).
pub(crate) fn insert(db: &D1Database, key: &NewRecordKey<'_>) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "INSERT INTO record_idempotency_keys
                (key, account_id, inspection_id, request_hash, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            Param::Text(key.key.to_owned()),
            Param::Int(key.account_id),
            Param::Int(key.inspection_id),
            Param::Text(key.request_hash.to_owned()),
            Param::Int(i64::from(key.status)),
            Param::Text(key.created_at.to_owned()),
        ],
    )
}
