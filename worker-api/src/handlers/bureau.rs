//! The bureau this installation serves, and the first run that sets it up.

use shared::api::{Bureau, SetupRequest, UpdateBureauRequest};
use shared::audit::record_digest;
use shared::authz::Role;
use worker::Response;

use crate::audit::{self, Actor, Change};
use crate::auth;
use crate::ctx::{Ctx, json};
use crate::db::accounts::{self, NewAccount};
use crate::db::{self, StorageError};
use crate::error::{AppError, AppResult};
use crate::time::now_rfc3339;

/// `GET /api/bureau`: the bureau's name and region; `configured: false` on a new installation.
pub(crate) async fn get(ctx: Ctx) -> AppResult<Response> {
    json(&db::bureau::find(&ctx.db).await?)
}

/// A name or region: trimmed, 2–64 characters. `field` names it in the error.
fn check_name(field: &'static str, label: &str, text: &str) -> AppResult<String> {
    let text = text.trim().to_owned();
    if (2..=64).contains(&text.chars().count()) {
        Ok(text)
    } else {
        Err(AppError::InvalidFields {
            code: "invalid_bureau",
            fields: vec![shared::records::FieldError {
                field: field.to_owned(),
                message: format!("{label}须为 2–64 个字 / {field} needs 2–64 characters"),
            }],
        })
    }
}

fn already_set_up() -> AppError {
    AppError::Conflict {
        code: "already_set_up",
        message: "本系统已完成首次设置 / this installation is already set up".to_owned(),
    }
}

/// `POST /api/setup` `{bureau_name, region, admin_username, admin_display_name,
/// admin_password}` → **201** the bureau: the first run of a new installation — no bureau and
/// no account yet — writes the bureau and its first administrator in one transaction, with
/// the audit log's first entry. Refused (**409** `already_set_up`) ever after.
pub(crate) async fn set_up(mut ctx: Ctx) -> AppResult<Response> {
    if !db::bureau::is_new(&ctx.db).await? {
        return Err(already_set_up());
    }
    let request: SetupRequest = ctx.json().await?;
    let db = &ctx.db;
    let name = check_name("bureau_name", "局名", &request.bureau_name)?;
    let region = check_name("region", "行政区划", &request.region)?;
    let username = auth::check_username(&request.admin_username)?;
    let display_name = check_name(
        "admin_display_name",
        "管理员姓名",
        &request.admin_display_name,
    )?;
    auth::check_new_password(&username, &request.admin_password)?;
    let hash = auth::hash_password(&request.admin_password).await?;
    let now = now_rfc3339();
    let statements = vec![
        db::bureau::insert(db, &name, &region, &now)?,
        accounts::insert(
            db,
            &NewAccount {
                username: &username,
                display_name: &display_name,
                role: Role::Admin,
                section: None,
                password_hash: &hash,
                created_at: &now,
            },
        )?,
    ];
    let change = Change {
        action: "bureau.set_up",
        target: "bureau".to_owned(),
        before_digest: String::new(),
        after_digest: record_digest(&format!("{name}|{region}|{username}")),
        detail: format!("首次设置：{name}（{region}），管理员 {username} / set up"),
    };
    audit::commit(db, Actor::Anonymous(&username), change, statements)
        .await
        .map_err(|err| match err {
            // Two first runs at once: the bureau's primary key lets one through.
            AppError::Storage(StorageError::Unique { .. }) => already_set_up(),
            other => other,
        })?;
    Ok(json(&db::bureau::find(db).await?)?.with_status(201))
}

/// `PUT /api/bureau` `{name, region}` (administrators): renames the bureau; every portal page
/// shows the new name at once (the public generation moves).
pub(crate) async fn update(mut ctx: Ctx) -> AppResult<Response> {
    let request: UpdateBureauRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before: Bureau = db::bureau::find(db).await?;
    if !before.configured {
        return Err(AppError::Conflict {
            code: "not_set_up",
            message: "请先完成首次设置 / set the installation up first".to_owned(),
        });
    }
    let name = check_name("name", "局名", &request.name)?;
    let region = check_name("region", "行政区划", &request.region)?;
    let change = Change {
        action: "bureau.update",
        target: "bureau".to_owned(),
        before_digest: record_digest(&format!("{}|{}", before.name, before.region)),
        after_digest: record_digest(&format!("{name}|{region}")),
        detail: format!(
            "单位名称 {} → {name}，行政区划 {} → {region} / renamed",
            before.name, before.region
        ),
    };
    audit::commit(
        db,
        Actor::Account(&session),
        change,
        vec![db::bureau::update(db, &name, &region, &now_rfc3339())?],
    )
    .await?;
    json(&db::bureau::find(db).await?)
}
