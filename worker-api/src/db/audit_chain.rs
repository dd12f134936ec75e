//! The audit log's queue and its hash chain (migration 0015).
//!
//! A change is stored in one D1 batch with its entry in `audit_queue` ([`enqueue`]), so the
//! change never races anyone for the chain's head. [`chain_queued`] then moves queued entries
//! into `audit_log` in queue order: it reads the head and the queue in one batch (one consistent
//! snapshot), computes each entry's `seq`, `prev_hash` and `hash` and, in a second batch,
//! inserts them and deletes them from the queue. When two requests chain the same entries, the
//! later batch collides on `audit_log.seq` and rolls back whole; it then finds its entries
//! chained by the other. Each successful batch chains every entry queued before it, so 50
//! concurrent writers need a handful of rounds, not 50.

use std::time::Duration;

use serde::Deserialize;
use shared::audit::{AuditEntry, GENESIS, entry_hash};
use shared::draw::Digest32;
use worker::{D1Database, D1PreparedStatement, Delay, query};

use super::StorageError;
use super::audit::{self, LastEntry};
use crate::error::{AppError, AppResult};

/// How many rounds one request spends chaining before it leaves its entry queued for the next
/// writer (or reader of the log) to chain.
const CHAIN_ATTEMPTS: u32 = 40;

/// The most entries one batch moves into the chain.
const CHAIN_BATCH: i64 = 64;

/// An entry as queued, before it has a place in the chain.
pub(crate) struct QueuedEntry<'a> {
    pub at: &'a str,
    pub actor_id: Option<i64>,
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub before_digest: &'a str,
    pub after_digest: &'a str,
    pub detail: &'a str,
}

/// The statement that queues `entry`, for the same batch as the change it records.
pub(crate) fn enqueue(db: &D1Database, entry: &QueuedEntry<'_>) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO audit_queue (at, actor_id, actor, action, target, before_digest, after_digest, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        &entry.at,
        &entry.actor_id,
        &entry.actor,
        &entry.action,
        &entry.target,
        &entry.before_digest,
        &entry.after_digest,
        &entry.detail
    )?)
}

#[derive(Deserialize)]
struct QueuedRow {
    id: i64,
    at: String,
    actor_id: Option<i64>,
    actor: String,
    action: String,
    target: String,
    before_digest: String,
    after_digest: String,
    detail: String,
}

/// Whether a failed batch lost the race for the chain's head (and should look again): another
/// request took the same `seq` first.
fn lost_the_race(err: &worker::Error) -> bool {
    StorageError::classify(&err.to_string()).is_unique_in("audit_log")
}

/// A short random pause before the next round, growing with `round`, so colliding requests
/// spread out instead of colliding again.
async fn back_off(round: u32) {
    let jitter = crate::auth::random_bytes::<2>()
        .map(u16::from_le_bytes)
        .unwrap_or(0);
    let ceiling = 2u64 << round.min(6);
    Delay::from(Duration::from_millis(1 + u64::from(jitter) % ceiling)).await;
}

/// Moves queued entries into the chain until the entry queued as `until` is chained, or, with
/// `None`, until the queue is empty. `Ok(false)` when it gave up after [`CHAIN_ATTEMPTS`]
/// rounds: the entries stay queued (their changes are stored) and the next call chains them.
pub(crate) async fn chain_queued(db: &D1Database, until: Option<i64>) -> AppResult<bool> {
    for round in 0..CHAIN_ATTEMPTS {
        let snapshot = db
            .batch(vec![
                audit::last_statement(db),
                query!(
                    db,
                    "SELECT id, at, actor_id, actor, action, target, before_digest, after_digest, detail
                       FROM audit_queue ORDER BY id LIMIT ?1",
                    &CHAIN_BATCH
                )?,
            ])
            .await?;
        let [head, queued] = snapshot.as_slice() else {
            return Err(AppError::Internal(
                "the audit snapshot has two results".to_owned(),
            ));
        };
        let queued: Vec<QueuedRow> = queued.results()?;
        let done = match (until, queued.first()) {
            (_, None) => true,
            (Some(id), Some(first)) => first.id > id,
            (None, Some(_)) => false,
        };
        if done {
            return Ok(true);
        }
        let (mut seq, mut prev_hash) = match head.results::<LastEntry>()?.into_iter().next() {
            Some(head) => {
                let hash = Digest32::from_hex(&head.hash).map_err(|_| {
                    AppError::Internal(format!("audit_log {} has a malformed hash", head.seq))
                })?;
                (head.seq as u64, hash)
            }
            None => (0, GENESIS),
        };
        let ids: Vec<i64> = queued.iter().map(|row| row.id).collect();
        let last_id = ids.last().copied().unwrap_or(0);
        let mut statements = Vec::with_capacity(queued.len() + 1);
        for row in queued {
            seq += 1;
            let mut entry = AuditEntry {
                seq,
                at: row.at,
                actor_id: row.actor_id,
                actor: row.actor,
                action: row.action,
                target: row.target,
                before_digest: row.before_digest,
                after_digest: row.after_digest,
                detail: row.detail,
                prev_hash,
                hash: GENESIS,
            };
            entry.hash = entry_hash(&entry);
            prev_hash = entry.hash;
            statements.push(audit::insert(db, &entry)?);
        }
        let ids = serde_json::to_string(&ids).map_err(|err| AppError::Internal(err.to_string()))?;
        statements.push(query!(
            db,
            "DELETE FROM audit_queue WHERE id IN (SELECT value FROM json_each(?1))",
            &ids
        )?);
        match db.batch(statements).await {
            Ok(_) if until.is_some_and(|id| id <= last_id) => return Ok(true),
            Ok(_) => {}
            Err(err) if lost_the_race(&err) => back_off(round).await,
            Err(err) => return Err(err.into()),
        }
    }
    Ok(false)
}
