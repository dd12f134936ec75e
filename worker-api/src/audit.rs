//! Appending to the hash-chained audit log, in the same D1 transaction as the change itself.

use shared::audit::{AuditEntry, GENESIS, entry_hash};
use shared::draw::Digest32;
use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::auth::Session;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::time::now_rfc3339;

/// How often an append is retried when another request took the same sequence number.
const APPEND_ATTEMPTS: u32 = 8;

/// What a change records about itself; who and when are filled in by [`commit`].
pub(crate) struct Change {
    pub action: &'static str,
    pub target: String,
    pub before_digest: String,
    pub after_digest: String,
    pub detail: String,
}

/// Who did it: a signed-in account, or an anonymous caller with the name they typed.
pub(crate) enum Actor<'a> {
    Account(&'a Session),
    Anonymous(&'a str),
}

/// Runs `statements` and appends the audit entry in one D1 batch (one transaction): either the
/// change and its entry are both stored, or neither is. Returns the statements' results (the
/// audit insert's last), e.g. for a new row's id.
///
/// The entry's `seq` is the last one + 1, and `seq` is the primary key, so two requests racing
/// for the same place cannot both succeed; the loser's whole batch rolls back and is retried
/// on top of the winner's entry.
pub(crate) async fn commit(
    db: &D1Database,
    actor: Actor<'_>,
    change: Change,
    statements: Vec<D1PreparedStatement>,
) -> AppResult<Vec<D1Result>> {
    let (actor_id, actor_name) = match actor {
        Actor::Account(session) => (Some(session.account_id), session.username.clone()),
        Actor::Anonymous(name) => (None, name.chars().take(64).collect()),
    };
    for _ in 0..APPEND_ATTEMPTS {
        let last = db::audit::last(db).await?;
        let (seq, prev_hash) = match last {
            Some(last) => {
                let hash = Digest32::from_hex(&last.hash).map_err(|_| {
                    AppError::Internal(format!("audit_log {} has a malformed hash", last.seq))
                })?;
                (last.seq as u64 + 1, hash)
            }
            None => (1, GENESIS),
        };
        let mut entry = AuditEntry {
            seq,
            at: now_rfc3339(),
            actor_id,
            actor: actor_name.clone(),
            action: change.action.to_owned(),
            target: change.target.clone(),
            before_digest: change.before_digest.clone(),
            after_digest: change.after_digest.clone(),
            detail: change.detail.clone(),
            prev_hash,
            hash: GENESIS,
        };
        entry.hash = entry_hash(&entry);
        let insert = db::audit::insert(db, &entry)?;
        let mut batch = statements.clone();
        batch.push(insert);
        match db.batch(batch).await {
            Ok(results) => return Ok(results),
            Err(err) if err.to_string().contains("audit_log") => continue,
            Err(err) => return Err(err.into()),
        }
    }
    Err(AppError::Internal(
        "audit log append kept racing".to_owned(),
    ))
}
