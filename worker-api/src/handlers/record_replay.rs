//! `Idempotency-Key` for `PUT /api/inspections/:id/record`, the same contract as a draw's
//! commit (`draws::commit_task`): the first request with a key stores the key with the record
//! (one transaction); the same key with the same record again is answered with the record as
//! stored now, marked `idempotent-replay: true`; the same key with another record, another
//! inspection or another account is refused. Without the header the route works as before.

use sha2::{Digest, Sha256};
use shared::records::RecordRequest;
use worker::{D1Database, D1PreparedStatement, query};

use crate::auth::{self, Session};
use crate::error::{AppError, AppResult};

/// A key the client sent, and the digest of the request it came with.
pub(crate) struct RecordKey {
    pub key: String,
    pub request_hash: String,
}

#[derive(serde::Deserialize)]
struct StoredKey {
    account_id: i64,
    inspection_id: i64,
    request_hash: String,
    status: i64,
}

/// The key of this request, if it has one; a malformed key is refused.
pub(crate) fn record_key(
    header: Option<String>,
    inspection_id: i64,
    request: &RecordRequest,
) -> AppResult<Option<RecordKey>> {
    let Some(key) = header else {
        return Ok(None);
    };
    if !(8..=200).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::bad_request(
            "invalid_idempotency_key",
            "Idempotency-Key 须为 8–200 个可见字符 / an Idempotency-Key has 8–200 visible characters",
        ));
    }
    let body = serde_json::to_string(request).map_err(|err| AppError::Internal(err.to_string()))?;
    let request_hash = auth::to_hex(&Sha256::digest(
        format!("record\0{inspection_id}\0{body}").as_bytes(),
    ));
    Ok(Some(RecordKey { key, request_hash }))
}

/// The status the first request with this key was answered with, if the key was seen;
/// refuses a key that came with another request.
pub(crate) async fn seen(
    db: &D1Database,
    key: &RecordKey,
    session: &Session,
    inspection_id: i64,
) -> AppResult<Option<u16>> {
    let stored: Option<StoredKey> = query!(
        db,
        "SELECT account_id, inspection_id, request_hash, status FROM record_idempotency_keys WHERE key = ?1",
        &key.key
    )?
    .first(None)
    .await?;
    let Some(stored) = stored else {
        return Ok(None);
    };
    if stored.account_id != session.account_id
        || stored.inspection_id != inspection_id
        || stored.request_hash != key.request_hash
    {
        return Err(AppError::Conflict {
            code: "idempotency_key_reused",
            message: "该 Idempotency-Key 已用于另一个请求 / this Idempotency-Key was used for a different request".to_owned(),
        });
    }
    Ok(Some(if stored.status == 201 { 201 } else { 200 }))
}

/// The statement that remembers the key, for the record's batch.
pub(crate) fn remember(
    db: &D1Database,
    key: &RecordKey,
    session: &Session,
    inspection_id: i64,
    status: u16,
    now: &str,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO record_idempotency_keys (key, account_id, inspection_id, request_hash, status, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &key.key,
        &session.account_id,
        &inspection_id,
        &key.request_hash,
        &i64::from(status),
        &now
    )?)
}

/// Whether a failed batch failed because the same key raced itself.
pub(crate) fn is_key_race(err: &AppError) -> bool {
    matches!(err, AppError::Internal(message) if message.contains("UNIQUE constraint failed: record_idempotency_keys"))
}
