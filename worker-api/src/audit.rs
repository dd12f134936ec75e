//! Appending to the hash-chained audit log, in the same D1 transaction as the change itself.

use worker::{D1Database, D1PreparedStatement, D1Result};

use crate::auth::Session;
use crate::db::audit_chain::{self, QueuedEntry};
use crate::error::AppResult;
use crate::time::now_rfc3339;

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

/// Runs `statements` and queues the audit entry in one D1 batch (one transaction): either the
/// change and its entry are both stored, or neither is. Returns the statements' results (the
/// queue insert's last), e.g. for a new row's id.
///
/// The entry then gets its place in the hash chain ([`audit_chain::chain_queued`]) before this
/// returns. The change's own batch never competes for the chain's head, so concurrent writers
/// do not fail each other; a conflict the change itself causes (a unique key, a trigger) comes
/// back as the batch's error for the handler to name.
pub(crate) async fn commit(
    db: &D1Database,
    actor: Actor<'_>,
    change: Change,
    mut statements: Vec<D1PreparedStatement>,
) -> AppResult<Vec<D1Result>> {
    let (actor_id, actor_name) = match actor {
        Actor::Account(session) => (Some(session.account_id), session.username.clone()),
        Actor::Anonymous(name) => (None, name.chars().take(64).collect()),
    };
    let at = now_rfc3339();
    statements.push(audit_chain::enqueue(
        db,
        &QueuedEntry {
            at: &at,
            actor_id,
            actor: &actor_name,
            action: change.action,
            target: &change.target,
            before_digest: &change.before_digest,
            after_digest: &change.after_digest,
            detail: &change.detail,
        },
    )?);
    let results = db.batch(statements).await?;
    let queued_id = results
        .last()
        .and_then(|result| result.meta().ok().flatten())
        .and_then(|meta| meta.last_row_id);
    // The change is stored whatever happens next: a busy or failing chain leaves the entry
    // queued, and the next write (or read of the log) chains it.
    match audit_chain::chain_queued(db, queued_id).await {
        Ok(true) => {}
        Ok(false) => {
            worker::console_warn!("audit entry {queued_id:?} stays queued: the chain was busy")
        }
        Err(err) => worker::console_error!("audit entry {queued_id:?} stays queued: {err:?}"),
    }
    Ok(results)
}

/// Chains every queued entry, so a reader of the log sees every stored change.
pub(crate) async fn chain_all(db: &D1Database) -> AppResult<()> {
    audit_chain::chain_queued(db, None).await.map(|_| ())
}
