//! Counting failed password checks, atomically and before the password is checked.
//!
//! Every attempt first takes its place in the count with one conditional `UPDATE … RETURNING`
//! (SQLite evaluates the `SET` expressions on the row as it was, in one statement): the attempt
//! that makes the count reach the limit locks the account in the same statement, and every
//! attempt that finds it locked is refused without a password check. So 30 parallel guesses
//! get exactly [`MAX_FAILED_ATTEMPTS`] password checks, however they interleave. A right
//! password then clears the count in its own batch.
//!
//! User names that name no enabled account are counted the same way in `sign_in_throttle`
//! (migration 0015), so they answer like a known name, locked out after the same number of
//! attempts.

use serde::Deserialize;
use worker::{D1Database, query};

use crate::auth::{LOCKOUT_MS, MAX_FAILED_ATTEMPTS};
use crate::error::AppResult;

/// Rows of `sign_in_throttle` untouched for this long, and not locked, are forgotten.
const FORGET_AFTER_MS: i64 = 24 * 60 * 60 * 1000;

/// One attempt, counted before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attempt {
    /// The name is locked until this time (Unix ms): refuse without checking the password.
    Locked { until: i64 },
    /// If the password is wrong, this is consecutive failure number `failures`; `locks` when
    /// this attempt locked the name (it was the last one allowed).
    Counted { failures: i64, locks: bool },
}

#[derive(Deserialize)]
struct CountRow {
    failed_attempts: i64,
    locked_until: i64,
}

impl CountRow {
    fn into_attempt(self) -> Attempt {
        if self.locked_until > 0 {
            Attempt::Counted {
                failures: MAX_FAILED_ATTEMPTS,
                locks: true,
            }
        } else {
            Attempt::Counted {
                failures: self.failed_attempts,
                locks: false,
            }
        }
    }
}

#[derive(Deserialize)]
struct LockRow {
    locked_until: i64,
}

/// Counts an attempt on account `account_id` (sign-in, or the current password on a password
/// change).
pub(crate) async fn count_account_attempt(
    db: &D1Database,
    account_id: i64,
    now: i64,
) -> AppResult<Attempt> {
    let counted: Option<CountRow> = query!(
        db,
        "UPDATE accounts
            SET failed_attempts = CASE WHEN failed_attempts + 1 >= ?3 THEN 0 ELSE failed_attempts + 1 END,
                locked_until = CASE WHEN failed_attempts + 1 >= ?3 THEN ?2 + ?4 ELSE 0 END
          WHERE id = ?1 AND locked_until <= ?2
         RETURNING failed_attempts, locked_until",
        &account_id,
        &now,
        &MAX_FAILED_ATTEMPTS,
        &LOCKOUT_MS
    )?
    .first(None)
    .await?;
    if let Some(row) = counted {
        return Ok(row.into_attempt());
    }
    let lock: Option<LockRow> = query!(
        db,
        "SELECT locked_until FROM accounts WHERE id = ?1",
        &account_id
    )?
    .first(None)
    .await?;
    Ok(Attempt::Locked {
        until: lock.map_or(now + LOCKOUT_MS, |row| row.locked_until.max(now)),
    })
}

/// Counts an attempt under a user name that names no enabled account.
pub(crate) async fn count_name_attempt(
    db: &D1Database,
    username: &str,
    now: i64,
) -> AppResult<Attempt> {
    let username: String = username.chars().take(64).collect();
    let results = db
        .batch(vec![
            query!(
                db,
                "DELETE FROM sign_in_throttle WHERE updated_at < ?1 AND locked_until <= ?2",
                &(now - FORGET_AFTER_MS),
                &now
            )?,
            query!(
                db,
                "INSERT INTO sign_in_throttle (username, failed_attempts, locked_until, updated_at)
                 VALUES (?1, 1, 0, ?2)
                 ON CONFLICT (username) DO UPDATE
                    SET failed_attempts = CASE WHEN failed_attempts + 1 >= ?3 THEN 0 ELSE failed_attempts + 1 END,
                        locked_until = CASE WHEN failed_attempts + 1 >= ?3 THEN ?2 + ?4 ELSE 0 END,
                        updated_at = ?2
                  WHERE locked_until <= ?2
                 RETURNING failed_attempts, locked_until",
                &username,
                &now,
                &MAX_FAILED_ATTEMPTS,
                &LOCKOUT_MS
            )?,
        ])
        .await?;
    let counted: Option<CountRow> = match results.get(1) {
        Some(result) => result.results()?.into_iter().next(),
        None => None,
    };
    if let Some(row) = counted {
        return Ok(row.into_attempt());
    }
    let lock: Option<LockRow> = query!(
        db,
        "SELECT locked_until FROM sign_in_throttle WHERE username = ?1",
        &username
    )?
    .first(None)
    .await?;
    Ok(Attempt::Locked {
        until: lock.map_or(now + LOCKOUT_MS, |row| row.locked_until.max(now)),
    })
}
