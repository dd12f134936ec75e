//! Staff accounts and their sessions (`accounts`, `sessions`).

use serde::Deserialize;
use shared::api::{Account, LinkedInspector};
use shared::authz::Role;
use worker::{D1Database, D1PreparedStatement, query};

use crate::error::{AppError, AppResult};

fn role(account: i64, code: &str) -> AppResult<Role> {
    Role::from_code(code)
        .ok_or_else(|| AppError::Internal(format!("account {account} has role {code}")))
}

#[derive(Deserialize)]
struct AccountRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    section: Option<String>,
    disabled: i64,
    locked_until: i64,
    created_at: String,
    inspector_id: Option<i64>,
    inspector_name: Option<String>,
    inspector_employee_no: Option<String>,
}

impl AccountRow {
    /// `now` (milliseconds) decides whether the account is locked at the moment.
    fn into_account(self, now: i64) -> AppResult<Account> {
        Ok(Account {
            role: role(self.id, &self.role)?,
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            section: self.section,
            disabled: self.disabled != 0,
            locked: self.locked_until > now,
            created_at: self.created_at,
            inspector: match (
                self.inspector_id,
                self.inspector_name,
                self.inspector_employee_no,
            ) {
                (Some(id), Some(name), Some(employee_no)) => Some(LinkedInspector {
                    id,
                    name,
                    employee_no,
                }),
                _ => None,
            },
        })
    }
}

/// The columns of [`AccountRow`], over `accounts` joined with the inspector it signs in as.
const ACCOUNT_COLUMNS: &str = "a.id, a.username, a.display_name, a.role, a.section, a.disabled, \
     a.locked_until, a.created_at, i.id AS inspector_id, i.name AS inspector_name, \
     i.employee_no AS inspector_employee_no";

/// `accounts a` with its inspector, if any.
const ACCOUNT_FROM: &str = "accounts a LEFT JOIN inspectors i ON i.account_id = a.id";

/// Account `id`, locked or not at `now` (milliseconds).
pub(crate) async fn find(db: &D1Database, id: i64, now: i64) -> AppResult<Option<Account>> {
    let row: Option<AccountRow> = query!(
        db,
        &format!("SELECT {ACCOUNT_COLUMNS} FROM {ACCOUNT_FROM} WHERE a.id = ?1"),
        &id
    )?
    .first(None)
    .await?;
    row.map(|row| row.into_account(now)).transpose()
}

/// Every account, by user name (case-insensitive).
pub(crate) async fn list(db: &D1Database, now: i64) -> AppResult<Vec<Account>> {
    let rows: Vec<AccountRow> = db
        .prepare(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM {ACCOUNT_FROM} ORDER BY a.username COLLATE NOCASE"
        ))
        .all()
        .await?
        .results()?;
    rows.into_iter().map(|row| row.into_account(now)).collect()
}

/// The id of the account named `username`.
pub(crate) async fn id_by_username(db: &D1Database, username: &str) -> AppResult<Option<i64>> {
    Ok(
        query!(db, "SELECT id FROM accounts WHERE username = ?1", &username)?
            .first(Some("id"))
            .await?,
    )
}

/// A new account.
pub(crate) struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub section: Option<&'a str>,
    pub password_hash: &'a str,
    pub created_at: &'a str,
}

pub(crate) fn insert(db: &D1Database, account: &NewAccount<'_>) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO accounts (username, display_name, role, section, password_hash, created_at, password_changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        &account.username,
        &account.display_name,
        &account.role.code(),
        &account.section,
        &account.password_hash,
        &account.created_at
    )?)
}

/// Sets the profile of account `id`.
pub(crate) fn update_profile(
    db: &D1Database,
    id: i64,
    display_name: &str,
    role: Role,
    section: Option<&str>,
    disabled: bool,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE accounts SET display_name = ?1, role = ?2, section = ?3, disabled = ?4 WHERE id = ?5",
        &display_name,
        &role.code(),
        &section,
        &i64::from(disabled),
        &id
    )?)
}

/// What signing in needs to know about the account named by the caller.
pub(crate) struct SignInAccount {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub section: Option<String>,
    pub password_hash: String,
    pub disabled: bool,
}

#[derive(Deserialize)]
struct SignInRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    section: Option<String>,
    password_hash: String,
    disabled: i64,
}

/// The account named `username`, for signing in. Its failed attempts and lock are counted
/// and read atomically by [`super::sign_in`], not here.
pub(crate) async fn for_sign_in(
    db: &D1Database,
    username: &str,
) -> AppResult<Option<SignInAccount>> {
    let row: Option<SignInRow> = query!(
        db,
        "SELECT id, username, display_name, role, section, password_hash, disabled
           FROM accounts WHERE username = ?1",
        &username
    )?
    .first(None)
    .await?;
    row.map(|row| {
        Ok(SignInAccount {
            role: role(row.id, &row.role)?,
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            section: row.section,
            password_hash: row.password_hash,
            disabled: row.disabled != 0,
        })
    })
    .transpose()
}

/// Forgets the failed sign-ins of account `id` and unlocks it.
pub(crate) fn clear_failed_attempts(db: &D1Database, id: i64) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE accounts SET failed_attempts = 0, locked_until = 0 WHERE id = ?1",
        &id
    )?)
}

/// The stored password hash of account `id`.
pub(crate) async fn password_hash(db: &D1Database, id: i64) -> AppResult<Option<String>> {
    Ok(
        query!(db, "SELECT password_hash FROM accounts WHERE id = ?1", &id)?
            .first(Some("password_hash"))
            .await?,
    )
}

/// Sets the password of account `id`, changed at `at` (RFC 3339), and unlocks it: an
/// administrator's reset, or the account's own change (which was counted as an attempt before
/// its current password was checked).
pub(crate) fn set_password(
    db: &D1Database,
    id: i64,
    hash: &str,
    at: &str,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE accounts SET password_hash = ?1, password_changed_at = ?2, failed_attempts = 0, locked_until = 0
          WHERE id = ?3",
        &hash,
        &at,
        &id
    )?)
}

/// A live session with its enabled account.
pub(crate) struct SessionAccount {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub section: Option<String>,
    pub csrf_token: String,
}

#[derive(Deserialize)]
struct SessionRow {
    account_id: i64,
    username: String,
    display_name: String,
    role: String,
    section: Option<String>,
    csrf_token: String,
}

/// The session whose token hashes to `token_hash`, if it has not expired at `now`
/// (milliseconds) and its account is enabled with a known role.
pub(crate) async fn live_session(
    db: &D1Database,
    token_hash: &str,
    now: i64,
) -> AppResult<Option<SessionAccount>> {
    let row: Option<SessionRow> = query!(
        db,
        "SELECT s.account_id, a.username, a.display_name, a.role, a.section, s.csrf_token
           FROM sessions s JOIN accounts a ON a.id = s.account_id
          WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND a.disabled = 0",
        &token_hash,
        &now
    )?
    .first(None)
    .await?;
    Ok(row.and_then(|row| {
        Some(SessionAccount {
            role: Role::from_code(&row.role)?,
            account_id: row.account_id,
            username: row.username,
            display_name: row.display_name,
            section: row.section,
            csrf_token: row.csrf_token,
        })
    }))
}

/// A new session (times in milliseconds).
pub(crate) fn insert_session(
    db: &D1Database,
    token_hash: &str,
    account_id: i64,
    csrf_token: &str,
    created_at: i64,
    expires_at: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        &token_hash,
        &account_id,
        &csrf_token,
        &created_at,
        &expires_at
    )?)
}

/// Ends one session.
pub(crate) fn delete_session(db: &D1Database, token_hash: &str) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "DELETE FROM sessions WHERE token_hash = ?1",
        &token_hash
    )?)
}

/// Drops the sessions of `account_id` that expired by `now` (milliseconds).
pub(crate) fn delete_expired_sessions(
    db: &D1Database,
    account_id: i64,
    now: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "DELETE FROM sessions WHERE account_id = ?1 AND expires_at <= ?2",
        &account_id,
        &now
    )?)
}

/// Ends every session of `account_id` but the one hashing to `keep_token_hash`.
pub(crate) fn delete_other_sessions(
    db: &D1Database,
    account_id: i64,
    keep_token_hash: &str,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "DELETE FROM sessions WHERE account_id = ?1 AND token_hash <> ?2",
        &account_id,
        &keep_token_hash
    )?)
}

/// Ends every session of `account_id`.
pub(crate) fn delete_sessions(db: &D1Database, account_id: i64) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "DELETE FROM sessions WHERE account_id = ?1",
        &account_id
    )?)
}
