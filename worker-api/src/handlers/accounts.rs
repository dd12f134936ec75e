//! Staff accounts, for administrators.

use shared::api::{
    Account, AccountList, CreateAccountRequest, LinkInspectorRequest, ResetPasswordRequest,
    UpdateAccountRequest,
};
use shared::audit::record_digest;
use shared::authz::Role;
use worker::{D1Database, Response};

use crate::audit::{self, Actor, Change};
use crate::auth;
use crate::ctx::{Ctx, json};
use crate::db::accounts::{self, NewAccount};
use crate::db::{self, StorageError, inspectors};
use crate::error::{AppError, AppResult};
use crate::time::{now_millis, now_rfc3339};

async fn find(db: &D1Database, id: i64) -> AppResult<Account> {
    accounts::find(db, id, now_millis())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的账号 / no account {id}")))
}

fn digest(account: &Account) -> String {
    record_digest(&serde_json::to_string(account).unwrap_or_default())
}

/// `GET /api/accounts`.
pub(crate) async fn list(ctx: Ctx) -> AppResult<Response> {
    json(&AccountList {
        accounts: accounts::list(&ctx.db, now_millis()).await?,
    })
}

/// Checks the fields every account needs; the section is required exactly for `section`.
fn check_profile(
    display_name: &str,
    role: Role,
    section: &Option<String>,
) -> AppResult<Option<String>> {
    let name_len = display_name.trim().chars().count();
    if !(1..=64).contains(&name_len) {
        return Err(AppError::bad_request(
            "invalid_display_name",
            "姓名须为 1–64 个字符 / the display name needs 1–64 characters",
        ));
    }
    let section = section
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    match (role, &section) {
        (Role::Section, None) => Err(AppError::bad_request(
            "section_required",
            "科室账号须填写所属科室 / a section account needs its section",
        )),
        (Role::Section, Some(_)) => Ok(section),
        (_, Some(_)) => Err(AppError::bad_request(
            "section_not_allowed",
            "只有科室账号可以填写所属科室 / only section accounts belong to a section",
        )),
        (_, None) => Ok(None),
    }
}

/// `POST /api/accounts`.
pub(crate) async fn create(mut ctx: Ctx) -> AppResult<Response> {
    let request: CreateAccountRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let username = auth::check_username(&request.username)?;
    let section = check_profile(&request.display_name, request.role, &request.section)?;
    if let Some(inspector_id) = request.inspector_id {
        require_inspector_role(request.role)?;
        unlinked_inspector(db, inspector_id).await?;
    }
    auth::check_new_password(&username, &request.password)?;
    if accounts::id_by_username(db, &username).await?.is_some() {
        return Err(AppError::Conflict {
            code: "username_taken",
            message: format!("用户名 {username} 已被使用 / user name {username} is taken"),
        });
    }
    let hash = auth::hash_password(&request.password).await?;
    let now = now_rfc3339();
    let mut statements = vec![accounts::insert(
        db,
        &NewAccount {
            username: &username,
            display_name: request.display_name.trim(),
            role: request.role,
            section: section.as_deref(),
            password_hash: &hash,
            created_at: &now,
        },
    )?];
    if let Some(inspector_id) = request.inspector_id {
        statements.push(db::inspector_unlinked_guard(db, inspector_id)?);
        statements.push(inspectors::link_account_by_username(
            db,
            inspector_id,
            &username,
        )?);
    }
    let change = Change {
        action: "account.create",
        target: format!("account:{username}"),
        before_digest: String::new(),
        after_digest: record_digest(&format!(
            "{username}|{}|{}",
            request.role.code(),
            section.clone().unwrap_or_default()
        )),
        detail: match request.inspector_id {
            None => format!("新建账号 {username}（{}）/ created", request.role.name_zh()),
            Some(inspector) => format!(
                "新建账号 {username}（{}），关联检查人员 {inspector} / created and linked",
                request.role.name_zh()
            ),
        },
    };
    audit::commit(db, Actor::Account(&session), change, statements)
        .await
        .map_err(link_conflict)?;
    let id = accounts::id_by_username(db, &username)
        .await?
        .ok_or_else(|| AppError::Internal("the new account vanished".to_owned()))?;
    Ok(json(&find(db, id).await?)?.with_status(201))
}

fn require_inspector_role(role: Role) -> AppResult<()> {
    if role == Role::Inspector {
        Ok(())
    } else {
        Err(AppError::bad_request(
            "not_an_inspector_account",
            "只有执法检查人员账号可以关联检查人员名录 / only inspector accounts link to the inspector directory",
        ))
    }
}

/// Checks that inspector `id` exists and has no account yet.
async fn unlinked_inspector(db: &D1Database, id: i64) -> AppResult<()> {
    match inspectors::linked_account(db, id).await? {
        None => Err(AppError::NotFound(format!(
            "没有编号为 {id} 的检查人员 / no inspector {id}"
        ))),
        Some(Some(account)) => Err(inspector_linked(&account.username)),
        Some(None) => Ok(()),
    }
}

fn inspector_linked(username: &str) -> AppError {
    AppError::Conflict {
        code: "inspector_linked",
        message: format!(
            "该检查人员已关联账号 {username}，请先解除关联 / the inspector already signs in as {username}"
        ),
    }
}

/// A link that lost a race: the inspector got an account meanwhile (the guard), or the
/// account got another inspector (the unique `inspectors.account_id`).
fn link_conflict(err: AppError) -> AppError {
    match err {
        AppError::Storage(StorageError::VersionGuard) => inspector_linked("（另一账号）"),
        AppError::Storage(StorageError::Unique { ref table, .. }) if table == "inspectors" => {
            inspector_linked("（另一账号）")
        }
        other => other,
    }
}

/// `PUT /api/accounts/:id/inspector` `{"inspector_id": N | null}`: the inspector directory
/// entry an inspector account signs in as (谁检查、谁录入 depends on it), or none. Audited.
pub(crate) async fn link_inspector(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: LinkInspectorRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = find(db, id).await?;
    let mut statements = vec![inspectors::unlink_account(db, id)?];
    let (action, detail) = match request.inspector_id {
        Some(inspector_id) => {
            require_inspector_role(before.role)?;
            if before.inspector.as_ref().map(|i| i.id) == Some(inspector_id) {
                return json(&before);
            }
            unlinked_inspector(db, inspector_id).await?;
            statements.push(db::inspector_unlinked_guard(db, inspector_id)?);
            statements.push(inspectors::link_account_by_username(
                db,
                inspector_id,
                &before.username,
            )?);
            (
                "account.inspector.link",
                format!(
                    "账号 {} 关联检查人员 {inspector_id} / linked",
                    before.username
                ),
            )
        }
        None => {
            let Some(linked) = &before.inspector else {
                return json(&before);
            };
            (
                "account.inspector.unlink",
                format!(
                    "账号 {} 解除与检查人员 {}（{}）的关联 / unlinked",
                    before.username, linked.name, linked.employee_no
                ),
            )
        }
    };
    let change = Change {
        action,
        target: format!("account:{id}"),
        before_digest: digest(&before),
        after_digest: record_digest(&format!(
            "{}|{}",
            before.username,
            request
                .inspector_id
                .map(|i| i.to_string())
                .unwrap_or_default()
        )),
        detail,
    };
    audit::commit(db, Actor::Account(&session), change, statements)
        .await
        .map_err(link_conflict)?;
    json(&find(db, id).await?)
}

/// `PUT /api/accounts/:id`: name, role, section, disabled. An administrator cannot demote or
/// disable their own account (so the bureau cannot lose its last administrator by accident).
pub(crate) async fn update(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: UpdateAccountRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = find(db, id).await?;
    if id == session.account_id && (request.role != Role::Admin || request.disabled) {
        return Err(AppError::Conflict {
            code: "cannot_demote_self",
            message:
                "不能停用或降级自己的管理员账号 / you cannot disable or demote your own account"
                    .to_owned(),
        });
    }
    let section = check_profile(&request.display_name, request.role, &request.section)?;
    let mut statements = vec![accounts::update_profile(
        db,
        id,
        request.display_name.trim(),
        request.role,
        section.as_deref(),
        request.disabled,
    )?];
    if request.disabled || request.role != before.role {
        // A changed role or a disabled account takes effect at once: its sessions end.
        statements.push(accounts::delete_sessions(db, id)?);
    }
    let after = Account {
        display_name: request.display_name.trim().to_owned(),
        role: request.role,
        section,
        disabled: request.disabled,
        ..before.clone()
    };
    let change = Change {
        action: "account.update",
        target: format!("account:{id}"),
        before_digest: digest(&before),
        after_digest: digest(&after),
        detail: format!(
            "{}：角色 {} → {}{} / updated",
            before.username,
            before.role.name_zh(),
            after.role.name_zh(),
            if after.disabled { "，已停用" } else { "" }
        ),
    };
    audit::commit(db, Actor::Account(&session), change, statements).await?;
    json(&find(db, id).await?)
}

/// `POST /api/accounts/:id/password`: sets a new password, unlocks the account and ends its
/// sessions.
pub(crate) async fn reset_password(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: ResetPasswordRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let account = find(db, id).await?;
    auth::check_new_password(&account.username, &request.new_password)?;
    let hash = auth::hash_password(&request.new_password).await?;
    let statements = vec![
        accounts::set_password(db, id, &hash, &now_rfc3339())?,
        accounts::delete_sessions(db, id)?,
    ];
    let change = Change {
        action: "account.reset_password",
        target: format!("account:{id}"),
        before_digest: String::new(),
        after_digest: String::new(),
        detail: format!("重置 {} 的密码 / password reset", account.username),
    };
    audit::commit(db, Actor::Account(&session), change, statements).await?;
    json(&find(db, id).await?)
}
