//! Signing in and out, and changing one's own password.

use shared::api::{ChangePasswordRequest, SessionInfo, SignInRequest, UserInfo};
use worker::Response;

use crate::audit::{self, Actor, Change};
use crate::auth::{self, LOCKOUT_MS, SESSION_LIFETIME_MS, Session};
use crate::ctx::{Ctx, json};
use crate::db::accounts;
use crate::db::sign_in::{self, Attempt};
use crate::error::{AppError, AppResult};
use crate::time::now_millis;

fn session_info(session: &Session) -> SessionInfo {
    SessionInfo {
        user: Some(UserInfo {
            id: session.account_id,
            username: session.username.clone(),
            display_name: session.display_name.clone(),
            role: session.role,
            section: session.section.clone(),
        }),
        csrf_token: Some(session.csrf_token.clone()),
    }
}

/// `GET /api/session`: who is signed in (nobody, for an anonymous visitor).
pub(crate) async fn current(ctx: Ctx) -> AppResult<Response> {
    match &ctx.session {
        Some(session) => json(&session_info(session)),
        None => json(&SessionInfo {
            user: None,
            csrf_token: None,
        }),
    }
}

/// `POST /api/session`: checks the password, then sets the session cookie.
///
/// Unknown and disabled users get the same answer, after the same work, as a wrong password.
/// After [`auth::MAX_FAILED_ATTEMPTS`] consecutive failures the account is locked for
/// [`LOCKOUT_MS`]; each failure on a real account is written to the audit log.
pub(crate) async fn sign_in(mut ctx: Ctx) -> AppResult<Response> {
    let request: SignInRequest = ctx.json().await?;
    let username = request.username.trim();
    if username.is_empty() || request.password.is_empty() {
        return Err(AppError::bad_request(
            "missing_credentials",
            "请输入用户名和密码 / enter a user name and a password",
        ));
    }
    let db = &ctx.db;
    let row = accounts::for_sign_in(db, username).await?;
    let now = now_millis();
    let Some(row) = row.filter(|row| !row.disabled) else {
        // An unknown or disabled name is counted and locked like an account, and spends the
        // same time, so its answers cannot be told from a known name's.
        let attempt = sign_in::count_name_attempt(db, username, now).await?;
        if let Attempt::Locked { until } = attempt {
            return Err(locked(until, now));
        }
        auth::spend_password_check_time(&request.password).await?;
        return Err(match attempt {
            Attempt::Counted { locks: true, .. } => AppError::TooManyAttempts {
                retry_after_seconds: LOCKOUT_MS / 1000,
            },
            _ => AppError::InvalidCredentials,
        });
    };
    // The attempt is counted (and the lock decided) before the password is checked.
    let attempt = sign_in::count_account_attempt(db, row.id, now).await?;
    let (failures, locks) = match attempt {
        Attempt::Locked { until } => return Err(locked(until, now)),
        Attempt::Counted { failures, locks } => (failures, locks),
    };
    if !auth::verify_password(&request.password, &row.password_hash).await? {
        let detail = if locks {
            format!(
                "连续 {failures} 次登录失败，账号锁定 15 分钟 / locked after {failures} failures"
            )
        } else {
            format!("登录失败（第 {failures} 次）/ failed sign-in #{failures}")
        };
        let change = Change {
            action: "session.sign_in_failed",
            target: format!("account:{}", row.id),
            before_digest: String::new(),
            after_digest: String::new(),
            detail,
        };
        audit::commit(db, Actor::Anonymous(username), change, Vec::new()).await?;
        return Err(if locks {
            AppError::TooManyAttempts {
                retry_after_seconds: LOCKOUT_MS / 1000,
            }
        } else {
            AppError::InvalidCredentials
        });
    }
    let token = auth::to_hex(&auth::random_bytes::<32>()?);
    let session = Session {
        account_id: row.id,
        username: row.username,
        display_name: row.display_name,
        role: row.role,
        section: row.section,
        csrf_token: auth::to_hex(&auth::random_bytes::<32>()?),
        token_hash: auth::token_hash(&token),
    };
    let statements = vec![
        accounts::insert_session(
            db,
            &session.token_hash,
            session.account_id,
            &session.csrf_token,
            now,
            now + SESSION_LIFETIME_MS,
        )?,
        accounts::clear_failed_attempts(db, session.account_id)?,
        accounts::delete_expired_sessions(db, session.account_id, now)?,
    ];
    let change = Change {
        action: "session.sign_in",
        target: format!("account:{}", session.account_id),
        before_digest: String::new(),
        after_digest: String::new(),
        detail: "登录 / signed in".to_owned(),
    };
    audit::commit(db, Actor::Account(&session), change, statements).await?;
    let mut response = json(&session_info(&session))?;
    response
        .headers_mut()
        .set("set-cookie", &auth::session_cookie(&token))?;
    Ok(response)
}

/// The refusal while a name is locked.
fn locked(until: i64, now: i64) -> AppError {
    AppError::TooManyAttempts {
        retry_after_seconds: ((until - now + 999) / 1000).max(1),
    }
}

/// `DELETE /api/session`: ends this session and clears the cookie.
pub(crate) async fn sign_out(ctx: Ctx) -> AppResult<Response> {
    let session = ctx.session()?;
    let db = &ctx.db;
    let delete = accounts::delete_session(db, &session.token_hash)?;
    let change = Change {
        action: "session.sign_out",
        target: format!("account:{}", session.account_id),
        before_digest: String::new(),
        after_digest: String::new(),
        detail: "退出登录 / signed out".to_owned(),
    };
    audit::commit(db, Actor::Account(session), change, vec![delete]).await?;
    let mut response = json(&SessionInfo {
        user: None,
        csrf_token: None,
    })?;
    response
        .headers_mut()
        .set("set-cookie", &auth::cleared_session_cookie())?;
    Ok(response)
}

/// `POST /api/session/password`: needs the current password; ends every other session of the
/// account.
pub(crate) async fn change_password(mut ctx: Ctx) -> AppResult<Response> {
    let request: ChangePasswordRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let password_hash = accounts::password_hash(db, session.account_id)
        .await?
        .ok_or(AppError::SignInRequired)?;
    auth::check_new_password(&session.username, &request.new_password)?;
    // Guesses at the current password count against the account like failed sign-ins.
    let now = now_millis();
    let locks = match sign_in::count_account_attempt(db, session.account_id, now).await? {
        Attempt::Locked { until } => return Err(locked(until, now)),
        Attempt::Counted { locks, .. } => locks,
    };
    if !auth::verify_password(&request.current_password, &password_hash).await? {
        if locks {
            return Err(AppError::TooManyAttempts {
                retry_after_seconds: LOCKOUT_MS / 1000,
            });
        }
        return Err(AppError::bad_request(
            "wrong_current_password",
            "当前密码不正确 / the current password is wrong",
        ));
    }
    let hash = auth::hash_password(&request.new_password).await?;
    let statements = vec![
        accounts::set_password(db, session.account_id, &hash, &crate::time::now_rfc3339())?,
        accounts::delete_other_sessions(db, session.account_id, &session.token_hash)?,
    ];
    let change = Change {
        action: "account.change_own_password",
        target: format!("account:{}", session.account_id),
        before_digest: String::new(),
        after_digest: String::new(),
        detail: "修改本人密码 / changed own password".to_owned(),
    };
    audit::commit(db, Actor::Account(&session), change, statements).await?;
    json(&session_info(&session))
}
