//! The hash-chained audit log (`audit_log`, append-only: triggers refuse `UPDATE`/`DELETE`).

use serde::Deserialize;
use shared::audit::AuditEntry;
use shared::draw::Digest32;
use worker::{D1Database, D1PreparedStatement, query};

use crate::error::AppResult;

const COLUMNS: &str = "seq, at, actor_id, actor, action, target, before_digest, after_digest, detail, prev_hash, hash";

#[derive(Deserialize)]
struct AuditRow {
    seq: i64,
    at: String,
    actor_id: Option<i64>,
    actor: String,
    action: String,
    target: String,
    before_digest: String,
    after_digest: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    /// The stored row as the domain's entry. A hash that is not 64 hex digits is kept as an
    /// all-ones digest, which can never verify, so the verifier reports that row.
    fn into_entry(self) -> AuditEntry {
        let digest = |hex: &str| Digest32::from_hex(hex).unwrap_or(Digest32([0xff; 32]));
        AuditEntry {
            seq: self.seq.max(0) as u64,
            prev_hash: digest(&self.prev_hash),
            hash: digest(&self.hash),
            at: self.at,
            actor_id: self.actor_id,
            actor: self.actor,
            action: self.action,
            target: self.target,
            before_digest: self.before_digest,
            after_digest: self.after_digest,
            detail: self.detail,
        }
    }
}

/// The newest entry's place in the chain: its `seq` and its `hash` as stored (hex).
#[derive(Deserialize)]
pub(crate) struct LastEntry {
    pub seq: i64,
    pub hash: String,
}

/// The query of the newest entry (a [`LastEntry`], none when the log is empty), for a batch
/// that reads it together with the queue (`audit_chain`).
pub(crate) fn last_statement(db: &D1Database) -> D1PreparedStatement {
    db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
}

/// Appends `entry` (its `seq` is the primary key, so of two racing appends one fails).
pub(crate) fn insert(db: &D1Database, entry: &AuditEntry) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO audit_log (seq, at, actor_id, actor, action, target, before_digest, after_digest, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &(entry.seq as i64),
        &entry.at,
        &entry.actor_id,
        &entry.actor,
        &entry.action,
        &entry.target,
        &entry.before_digest,
        &entry.after_digest,
        &entry.detail,
        &entry.prev_hash.to_hex(),
        &entry.hash.to_hex()
    )?)
}

/// What a page of the log is filtered by; `None` matches everything.
pub(crate) struct AuditFilter {
    /// Entries with `seq` below this.
    pub before: i64,
    pub actor: Option<String>,
    /// A `LIKE` pattern (the caller escapes and appends `%`).
    pub action_like: Option<String>,
    /// `at >= from` and `at < to`, compared as text.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: i64,
}

/// One page of the log, newest first.
pub(crate) async fn page(db: &D1Database, filter: &AuditFilter) -> AppResult<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = query!(
        db,
        &format!(
            "SELECT {COLUMNS} FROM audit_log
              WHERE seq < ?1 AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR action LIKE ?3)
                AND (?4 IS NULL OR at >= ?4) AND (?5 IS NULL OR at < ?5)
              ORDER BY seq DESC LIMIT ?6"
        ),
        &filter.before,
        &filter.actor,
        &filter.action_like,
        &filter.from,
        &filter.to,
        &filter.limit
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(AuditRow::into_entry).collect())
}

/// The whole log, oldest first.
pub(crate) async fn all(db: &D1Database) -> AppResult<Vec<AuditEntry>> {
    let rows: Vec<AuditRow> = db
        .prepare(format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))
        .all()
        .await?
        .results()?;
    Ok(rows.into_iter().map(AuditRow::into_entry).collect())
}
