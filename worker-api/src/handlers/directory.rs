//! The directories of inspection objects and inspectors: paged lists with filters, details,
//! edit forms with optimistic versions, status changes with their history, and conflicts of
//! interest. Imports are in `directory_import`.
//!
//! Lists page by keyset (`ORDER BY name, id`, the cursor is the last row's name and id), so a
//! page costs the same on a 100 000-object directory as on a small one. The queries are in
//! `db::objects` and `db::inspectors`.

use shared::audit::record_digest;
use shared::authz::{Action, allowed};
use shared::directory::api::{
    AddConflictRequest, InspectorDetail, InspectorItem, InspectorPage, MAX_PAGE_SIZE, MAX_TAGS,
    ObjectDetail, ObjectItem, ObjectPage, PAGE_SIZE, PageCursor, SetTagsRequest,
    StatusChangeRequest, UpdateInspectorRequest, UpdateObjectRequest,
};
use shared::directory::{
    ImportIssue, InspectorRow, ObjectRow, recheck_rows, starts_like_formula, validate_inspectors,
    validate_objects,
};
use shared::draw::ObjectStatus;
use worker::{D1Database, Response};

use crate::audit::{self, Actor, Change};
use crate::auth::Session;
use crate::ctx::{Ctx, json};
use crate::db;
use crate::db::inspectors::{self, InspectorFilter};
use crate::db::objects::{self, NewStatus, ObjectFilter};
use crate::error::{AppError, AppResult};
use crate::time::{now_rfc3339, utc_today};

/// Whether `session` may see inspectors' phone numbers (personal data): only those who keep the
/// directory.
fn sees_phones(session: &Session) -> bool {
    allowed(Some(session.role), Action::EditDirectories)
}

fn first_issue(issues: &[ImportIssue]) -> Option<AppError> {
    issues.first().map(|issue| {
        AppError::bad_request(
            "invalid_record",
            format!("{} / {}", issue.to_string_zh(), issue.message_en),
        )
    })
}

fn page_size(ctx: &Ctx) -> i64 {
    ctx.query("limit")
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE) as i64
}

fn cursor(ctx: &Ctx) -> Option<(String, i64)> {
    let name = ctx.query("after_name")?;
    let id = ctx.query("after_id")?.parse().ok()?;
    Some((name, id))
}

fn next_cursor<T>(
    items: &mut Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> PageCursor,
) -> Option<PageCursor> {
    if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(key)
    } else {
        None
    }
}

/// `GET /api/objects?q=&category=&region=&industry=&status=&permit_class=&weather_grade=&discharge_type=&construction_status=&monitoring_type=&after_name=&after_id=&limit=`.
pub(crate) async fn list_objects(ctx: Ctx) -> AppResult<Response> {
    let filter = ObjectFilter {
        category: ctx.query("category"),
        region: ctx.query("region"),
        industry: ctx.query("industry"),
        status: ctx.query("status"),
        weather_grade: ctx.query("weather_grade"),
        discharge_type: ctx.query("discharge_type"),
        construction_status: ctx.query("construction_status"),
        monitoring_type: ctx.query("monitoring_type"),
        tag: ctx.query("tag"),
        permit_class: ctx.query("permit_class"),
        q: ctx.query("q"),
    };
    let limit = page_size(&ctx);
    let (mut objects, total) =
        objects::page(&ctx.db, filter, utc_today().0, limit, cursor(&ctx)).await?;
    let next = next_cursor(&mut objects, limit, |last| PageCursor {
        name: last.record.name.clone(),
        id: last.id,
    });
    json(&ObjectPage {
        objects,
        total: total.max(0) as u32,
        next,
    })
}

async fn find_object(db: &D1Database, id: i64) -> AppResult<ObjectItem> {
    objects::find(db, id, utc_today().0)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的检查对象 / no object {id}")))
}

/// `GET /api/objects/:id`: the record, this year's counts, the status history, the conflicts.
pub(crate) async fn get_object(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let db = &ctx.db;
    json(&ObjectDetail {
        object: find_object(db, id).await?,
        tags: objects::tags(db, id).await?,
        history: objects::status_history(db, id).await?,
        conflicts: objects::conflicts_of_object(db, id).await?,
    })
}

fn object_digest(record: &ObjectRow) -> String {
    record_digest(&serde_json::to_string(record).unwrap_or_default())
}

/// `PUT /api/objects/:id` `{version, record}`: every field but the status.
pub(crate) async fn update_object(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: UpdateObjectRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = find_object(db, id).await?;
    let record = request.record;
    if record.status != before.record.status || record.status_since != before.record.status_since {
        return Err(AppError::bad_request(
            "use_status_change",
            "生产状态请通过“状态变更”修改（需填写生效日期和原因）/ change the status with a status change (date and reason)",
        ));
    }
    if let Some(err) = first_issue(&recheck_rows(std::slice::from_ref(&record), |table| {
        validate_objects(table, None)
    })) {
        return Err(err);
    }
    if before.version != request.version {
        return Err(AppError::version_conflict());
    }
    let now = now_rfc3339();
    let value =
        serde_json::to_string(&record).map_err(|err| AppError::Internal(err.to_string()))?;
    let update = objects::update(db, id, &value, &now)?;
    let change = Change {
        action: "object.update",
        target: format!("object:{id}"),
        before_digest: object_digest(&before.record),
        after_digest: object_digest(&record),
        detail: format!(
            "编辑检查对象 {}（{}）/ edited",
            record.name, record.credit_code
        ),
    };
    audit::commit(
        db,
        Actor::Account(&session),
        change,
        vec![db::object_version_guard(db, id, request.version)?, update],
    )
    .await
    .map_err(AppError::into_directory_conflict)?;
    json(&find_object(db, id).await?)
}

/// `POST /api/objects/:id/status` `{version, status, effective_date, reason}`: 停产, 复产, 注销;
/// appends to the status history in the same transaction.
pub(crate) async fn change_object_status(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: StatusChangeRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = find_object(db, id).await?;
    let reason = request.reason.trim().to_owned();
    if !(1..=500).contains(&reason.chars().count()) {
        return Err(AppError::bad_request(
            "reason_required",
            "请填写变更原因（最多 500 字）/ give a reason (up to 500 characters)",
        ));
    }
    if request.status == before.record.status {
        return Err(AppError::bad_request(
            "status_unchanged",
            "新状态与当前状态相同 / the object already has this status",
        ));
    }
    if before.version != request.version {
        return Err(AppError::version_conflict());
    }
    let now = now_rfc3339();
    let date = request.effective_date.to_string();
    let mut statements = vec![db::object_version_guard(db, id, request.version)?];
    statements.extend(objects::change_status(
        db,
        id,
        &NewStatus {
            status: request.status,
            effective_date: &date,
            reason: &reason,
            recorded_at: &now,
            recorded_by: session.account_id,
        },
    )?);
    let mut after = before.record.clone();
    after.status = request.status;
    after.status_since = Some(request.effective_date);
    let change = Change {
        action: "object.status",
        target: format!("object:{id}"),
        before_digest: object_digest(&before.record),
        after_digest: object_digest(&after),
        detail: format!(
            "{}：{} → {}，{date} 起，原因：{reason}",
            before.record.name,
            status_zh(before.record.status),
            status_zh(request.status)
        ),
    };
    audit::commit(db, Actor::Account(&session), change, statements)
        .await
        .map_err(AppError::into_directory_conflict)?;
    json(&find_object(db, id).await?)
}

fn status_zh(status: ObjectStatus) -> &'static str {
    match status {
        ObjectStatus::Active => "在产",
        ObjectStatus::Suspended => "停产",
        ObjectStatus::Closed => "注销",
    }
}

/// `PUT /api/objects/:id/tags` `{tags}`: replaces the object's free labels.
pub(crate) async fn set_tags(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: SetTagsRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let object = find_object(db, id).await?;
    let mut tags: Vec<String> = request
        .tags
        .iter()
        .map(|tag| tag.trim().to_owned())
        .filter(|tag| !tag.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    let bad = tags.iter().find(|tag| {
        tag.chars().count() > 50 || starts_like_formula(tag) || tag.chars().any(char::is_control)
    });
    if tags.len() > MAX_TAGS || bad.is_some() {
        return Err(AppError::bad_request(
            "invalid_tags",
            format!(
                "标签最多 {MAX_TAGS} 个，每个 1–50 字，不能以 = + - @ 开头：{} / up to {MAX_TAGS} tags of 1–50 characters, not starting like a formula",
                bad.cloned().unwrap_or_default()
            ),
        ));
    }
    let list = serde_json::to_string(&tags).map_err(|err| AppError::Internal(err.to_string()))?;
    let statements = objects::replace_tags(db, id, &list)?;
    let change = Change {
        action: "object.tags",
        target: format!("object:{id}"),
        before_digest: String::new(),
        after_digest: record_digest(&list),
        detail: format!("{} 的标签：{}", object.record.name, tags.join("、")),
    };
    audit::commit(db, Actor::Account(&session), change, statements).await?;
    json(&SetTagsRequest { tags })
}

/// `POST /api/objects/:id/conflicts` `{inspector_id, reason}`: declares a conflict of interest.
pub(crate) async fn add_conflict(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: AddConflictRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let object = find_object(db, id).await?;
    let inspector = find_inspector(db, request.inspector_id, false).await?;
    let reason = request.reason.trim().to_owned();
    if !(2..=500).contains(&reason.chars().count()) {
        return Err(AppError::bad_request(
            "reason_required",
            "请填写回避原因（2–500 字）/ give the reason (2–500 characters)",
        ));
    }
    if objects::conflict_exists(db, id, inspector.id).await? {
        return Err(AppError::Conflict {
            code: "conflict_exists",
            message: "该回避关系已登记 / this conflict of interest is already declared".to_owned(),
        });
    }
    let insert = objects::insert_conflict(
        db,
        id,
        inspector.id,
        &reason,
        &now_rfc3339(),
        session.account_id,
    )?;
    let change = Change {
        action: "conflict.add",
        target: format!("object:{id}/inspector:{}", inspector.id),
        before_digest: String::new(),
        after_digest: record_digest(&format!("{}|{}|{reason}", inspector.id, id)),
        detail: format!(
            "登记回避：{}（{}）— {}，原因：{reason}",
            inspector.record.name, inspector.record.employee_no, object.record.name
        ),
    };
    audit::commit(db, Actor::Account(&session), change, vec![insert]).await?;
    let conflict = objects::conflict(db, id, inspector.id)
        .await?
        .ok_or_else(|| AppError::Internal("the new conflict vanished".to_owned()))?;
    Ok(json(&conflict)?.with_status(201))
}

/// `DELETE /api/objects/:id/conflicts/:inspector_id`: ends a declared conflict of interest.
pub(crate) async fn remove_conflict(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let inspector_id = ctx.id_param("inspector_id")?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let Some(conflict) = objects::conflict(db, id, inspector_id).await? else {
        return Err(AppError::NotFound(
            "没有这条回避登记 / no such conflict of interest".to_owned(),
        ));
    };
    let delete = objects::delete_conflict(db, id, inspector_id)?;
    let change = Change {
        action: "conflict.remove",
        target: format!("object:{id}/inspector:{inspector_id}"),
        before_digest: record_digest(&format!("{inspector_id}|{id}|{}", conflict.reason)),
        after_digest: String::new(),
        detail: format!(
            "撤销回避：{}（{}）— {}",
            conflict.inspector_name, conflict.employee_no, conflict.object_name
        ),
    };
    audit::commit(db, Actor::Account(&session), change, vec![delete]).await?;
    json(&serde_json::json!({"removed": true}))
}

async fn find_inspector(db: &D1Database, id: i64, with_phone: bool) -> AppResult<InspectorItem> {
    inspectors::find(db, id, utc_today().0, with_phone)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("没有编号为 {id} 的检查人员 / no inspector {id}"))
        })
}

/// `GET /api/inspectors?q=&department=&region=&specialty=&active=&after_name=&after_id=&limit=`.
/// Never with phone numbers.
pub(crate) async fn list_inspectors(ctx: Ctx) -> AppResult<Response> {
    let filter = InspectorFilter {
        department: ctx.query("department"),
        region: ctx.query("region"),
        post: ctx.query("post"),
        specialty: ctx.query("specialty"),
        active: ctx
            .query("active")
            .map(|value| value == "true" || value == "1"),
        q: ctx.query("q"),
    };
    let limit = page_size(&ctx);
    let (mut inspectors, total) =
        inspectors::page(&ctx.db, filter, utc_today().0, limit, cursor(&ctx)).await?;
    let next = next_cursor(&mut inspectors, limit, |last| PageCursor {
        name: last.record.name.clone(),
        id: last.id,
    });
    json(&InspectorPage {
        inspectors,
        total: total.max(0) as u32,
        next,
    })
}

/// `GET /api/inspectors/:id`: the phone number only for roles that keep the directory.
pub(crate) async fn get_inspector(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let session = ctx.session()?;
    let db = &ctx.db;
    let inspector = find_inspector(db, id, sees_phones(session)).await?;
    json(&InspectorDetail {
        inspector,
        conflicts: objects::conflicts_of_inspector(db, id).await?,
    })
}

/// `PUT /api/inspectors/:id` `{version, record}`. Going on or off duty is recorded in the
/// inspector's status history (effective today, reason 信息编辑).
pub(crate) async fn update_inspector(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let request: UpdateInspectorRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let before = find_inspector(db, id, true).await?;
    let record = request.record;
    if let Some(err) = first_issue(&recheck_rows(std::slice::from_ref(&record), |table| {
        validate_inspectors(table, None)
    })) {
        return Err(err);
    }
    if before.version != request.version {
        return Err(AppError::version_conflict());
    }
    let now = now_rfc3339();
    let (_, today) = utc_today();
    let value =
        serde_json::to_string(&record).map_err(|err| AppError::Internal(err.to_string()))?;
    let edit = inspectors::Edit {
        now: &now,
        today: &today,
        account_id: session.account_id,
    };
    let mut statements = vec![db::inspector_version_guard(db, id, request.version)?];
    if record.active != before.record.active {
        statements.push(inspectors::record_duty_change(
            db,
            id,
            record.active,
            &edit,
        )?);
    }
    statements.extend(inspectors::update(db, id, &value, &now)?);
    let digest =
        |row: &InspectorRow| record_digest(&serde_json::to_string(row).unwrap_or_default());
    let change = Change {
        action: "inspector.update",
        target: format!("inspector:{id}"),
        before_digest: digest(&before.record),
        after_digest: digest(&record),
        detail: format!(
            "编辑检查人员 {}（{}）/ edited",
            record.name, record.employee_no
        ),
    };
    audit::commit(db, Actor::Account(&session), change, statements)
        .await
        .map_err(AppError::into_directory_conflict)?;
    json(&find_inspector(db, id, true).await?)
}

/// `GET /api/directory/facets`: the values in use, for the filter menus.
pub(crate) async fn facets(ctx: Ctx) -> AppResult<Response> {
    json(&objects::facets(&ctx.db).await?)
}
