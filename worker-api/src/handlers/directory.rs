//! The directories of inspection objects and inspectors: paged lists with filters, details,
//! edit forms with optimistic versions, status changes with their history, and conflicts of
//! interest. Imports are in `directory_import`.
//!
//! Lists page by keyset (`ORDER BY name, id`, the cursor is the last row's name and id), so a
//! page costs the same on a 100 000-object directory as on a small one. The WHERE clause is
//! put together from constant fragments; every value the caller sent is a bound parameter.

use serde::Deserialize;
use shared::audit::record_digest;
use shared::authz::{Action, allowed};
use shared::directory::api::{
    AddConflictRequest, ConflictOfInterest, Facets, InspectorDetail, InspectorItem, InspectorPage,
    MAX_PAGE_SIZE, MAX_TAGS, ObjectDetail, ObjectItem, ObjectPage, PAGE_SIZE, PageCursor,
    SetTagsRequest, StatusChange, StatusChangeRequest, UpdateInspectorRequest, UpdateObjectRequest,
    YearCounts,
};
use shared::directory::{
    ImportIssue, InspectorRow, ObjectRow, recheck_rows, starts_like_formula, validate_inspectors,
    validate_objects,
};
use shared::draw::ObjectStatus;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Response, query};

use crate::audit::{self, Actor, Change};
use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::http::{Ctx, json};
use crate::time::now_rfc3339;

/// An object's directory record as JSON, in the field order of `ObjectRow` (`o` is `objects`).
pub(crate) const OBJECT_RECORD: &str = "json_object('name', o.name, 'credit_code', o.credit_code, \
    'category', o.category, 'region', o.region, 'industry', o.industry, 'address', o.address, \
    'construction_status', o.construction_status, 'discharge_type', o.discharge_type, \
    'permit_class', o.permit_class, 'production_scale', o.production_scale, \
    'production_cycle', o.production_cycle, 'monitoring_type', o.monitoring_type, \
    'weather_grade', o.weather_grade, 'status', o.status, 'status_since', o.status_since)";

/// An inspector's record as JSON (`i` is `inspectors`); `PHONE` is replaced by `i.phone` or
/// `NULL` (see [`inspector_record`]).
const INSPECTOR_RECORD: &str = "json_object('name', i.name, 'employee_no', i.employee_no, \
    'certificate', i.certificate, 'region', i.region, 'years_of_service', i.years_of_service, \
    'specialties', json((SELECT json_group_array(specialty) FROM (SELECT specialty FROM inspector_specialties s \
        WHERE s.inspector_id = i.id ORDER BY specialty))), \
    'department', i.department, 'post', i.post, 'phone', PHONE, \
    'active', json(CASE WHEN i.active = 1 THEN 'true' ELSE 'false' END))";

/// [`INSPECTOR_RECORD`] over the alias `alias`, with the phone number or without.
pub(crate) fn inspector_record(alias: &str, with_phone: bool) -> String {
    INSPECTOR_RECORD
        .replace("PHONE", if with_phone { "i.phone" } else { "NULL" })
        .replace("i.", &format!("{alias}."))
}

/// Whether `session` may see inspectors' phone numbers (personal data): only those who keep the
/// directory.
fn sees_phones(session: &Session) -> bool {
    allowed(Some(session.role), Action::EditDirectories)
}

/// A query parameter value for `D1PreparedStatement::bind` (integers as JS numbers: D1 does
/// not take BigInt).
pub(crate) enum Param {
    Text(String),
    Int(i64),
}

pub(crate) fn bind(db: &D1Database, sql: &str, params: &[Param]) -> AppResult<D1PreparedStatement> {
    let values: Vec<JsValue> = params
        .iter()
        .map(|param| match param {
            Param::Text(text) => JsValue::from_str(text),
            Param::Int(number) => JsValue::from_f64(*number as f64),
        })
        .collect();
    Ok(db.prepare(sql).bind(&values)?)
}

/// The current calendar year and date (UTC), from the worker's clock.
pub(crate) fn today() -> (i64, String) {
    let now = now_rfc3339();
    let year = now[..4].parse().unwrap_or(2026);
    (year, now[..10].to_owned())
}

/// Another edit came first: the form's version is not the record's.
fn version_conflict() -> AppError {
    AppError::Conflict {
        code: "version_conflict",
        message: "记录已被他人修改，请刷新后重试 / the record changed meanwhile; reload and retry"
            .to_owned(),
    }
}

/// Maps the storage errors an edit can meet to answers: the version guard, unique keys.
pub(crate) fn storage_conflict(err: AppError) -> AppError {
    match &err {
        AppError::Internal(detail) if detail.contains("malformed JSON") => version_conflict(),
        AppError::Internal(detail) if detail.contains("UNIQUE") => AppError::Conflict {
            code: "duplicate_key",
            message: format!(
                "信用代码、工号或执法证号与已有记录重复 / the key is already taken ({})",
                if detail.contains("certificate") {
                    "certificate"
                } else if detail.contains("employee_no") {
                    "employee_no"
                } else {
                    "credit_code"
                }
            ),
        },
        _ => err,
    }
}

/// A statement that fails the batch (so nothing of it is written) unless `table` row `id` still
/// has `version`: SQLite's `json()` raises on the malformed text `'version_conflict'`.
fn version_guard(
    db: &D1Database,
    table: &str,
    id: i64,
    version: i64,
) -> AppResult<D1PreparedStatement> {
    let sql = match table {
        "objects" => {
            "SELECT json(CASE WHEN (SELECT version FROM objects WHERE id = ?1) = ?2 THEN '1' ELSE 'version_conflict' END)"
        }
        _ => {
            "SELECT json(CASE WHEN (SELECT version FROM inspectors WHERE id = ?1) = ?2 THEN '1' ELSE 'version_conflict' END)"
        }
    };
    bind(db, sql, &[Param::Int(id), Param::Int(version)])
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

#[derive(Deserialize)]
struct ItemRow {
    id: i64,
    version: i64,
    record: String,
    random: Option<i64>,
    targeted: Option<i64>,
}

impl ItemRow {
    fn counts(&self, year: i64) -> YearCounts {
        YearCounts {
            year: year as i32,
            random: self.random.unwrap_or(0).max(0) as u32,
            targeted: self.targeted.unwrap_or(0).max(0) as u32,
        }
    }

    fn into_object(self, year: i64) -> AppResult<ObjectItem> {
        let counts = self.counts(year);
        let record: ObjectRow = serde_json::from_str(&self.record)
            .map_err(|err| AppError::Internal(format!("object {}: {err}", self.id)))?;
        Ok(ObjectItem {
            id: self.id,
            version: self.version,
            record,
            counts,
        })
    }

    fn into_inspector(self, year: i64) -> AppResult<InspectorItem> {
        let counts = self.counts(year);
        let record: InspectorRow = serde_json::from_str(&self.record)
            .map_err(|err| AppError::Internal(format!("inspector {}: {err}", self.id)))?;
        Ok(InspectorItem {
            id: self.id,
            version: self.version,
            record,
            counts,
        })
    }
}

#[derive(Deserialize)]
struct Total {
    total: i64,
}

/// A WHERE clause made of constant fragments, and its parameters. In a fragment each `$$` is
/// the next parameter.
struct Filter {
    clauses: Vec<&'static str>,
    params: Vec<Param>,
}

impl Filter {
    fn new() -> Filter {
        Filter {
            clauses: Vec::new(),
            params: Vec::new(),
        }
    }

    fn add(&mut self, fragment: &'static str, values: Vec<Param>) {
        debug_assert_eq!(fragment.matches("$$").count(), values.len());
        self.clauses.push(fragment);
        self.params.extend(values);
    }

    /// The clause with its placeholders numbered from `first_param`.
    fn sql(&self, first_param: usize) -> String {
        let mut out = String::new();
        let mut next = first_param;
        for (index, clause) in self.clauses.iter().enumerate() {
            out.push_str(if index == 0 { " WHERE " } else { " AND " });
            let mut parts = clause.split("$$");
            out.push_str(parts.next().unwrap_or_default());
            for part in parts {
                out.push_str(&format!("?{next}"));
                next += 1;
                out.push_str(part);
            }
        }
        out
    }
}

/// Runs a filtered, keyset-paged list: `select` is everything before the WHERE clause and uses
/// `?1` (the year) and `?2` (the page size + 1).
async fn page(
    ctx: &Ctx,
    select: &str,
    count_from: &str,
    mut filter: Filter,
) -> AppResult<(Vec<ItemRow>, i64, i64)> {
    let db = &ctx.db;
    let total: Total = bind(
        db,
        &format!(
            "SELECT count(*) AS total FROM {count_from}{}",
            filter.sql(1)
        ),
        &filter.params,
    )?
    .first(None)
    .await?
    .unwrap_or(Total { total: 0 });
    let limit = page_size(ctx);
    if let Some((name, id)) = cursor(ctx) {
        filter.add(
            "(x.name, x.id) > ($$, $$)",
            vec![Param::Text(name), Param::Int(id)],
        );
    }
    let mut params = vec![Param::Int(today().0), Param::Int(limit + 1)];
    let where_sql = filter.sql(3);
    params.extend(filter.params);
    let sql = format!("{select}{where_sql} ORDER BY x.name, x.id LIMIT ?2");
    let rows: Vec<ItemRow> = bind(db, &sql, &params)?.all().await?.results()?;
    Ok((rows, total.total, limit))
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
    let mut filter = Filter::new();
    for (name, fragment) in [
        ("category", "x.category = $$"),
        ("region", "x.region = $$"),
        ("industry", "x.industry = $$"),
        ("status", "x.status = $$"),
        ("weather_grade", "x.weather_grade = $$"),
        ("discharge_type", "x.discharge_type = $$"),
        ("construction_status", "x.construction_status = $$"),
        ("monitoring_type", "x.monitoring_type = $$"),
    ] {
        if let Some(value) = ctx.query(name) {
            filter.add(fragment, vec![Param::Text(value)]);
        }
    }
    if let Some(value) = ctx.query("tag") {
        filter.add(
            "x.id IN (SELECT object_id FROM object_tags WHERE tag = $$)",
            vec![Param::Text(value)],
        );
    }
    if let Some(value) = ctx.query("permit_class") {
        if value == "none" {
            filter.add("x.permit_class IS NULL", vec![]);
        } else {
            filter.add("x.permit_class = $$", vec![Param::Text(value)]);
        }
    }
    if let Some(q) = ctx.query("q") {
        // A part of the name, or the beginning of the credit code (upper case).
        let q = q.trim().to_owned();
        // Only a text of letters and digits can be the start of a credit code.
        let code = if q.chars().all(|c| c.is_ascii_alphanumeric()) {
            q.to_ascii_uppercase()
        } else {
            String::new()
        };
        filter.add(
            "(instr(x.name, $$) > 0 OR ($$ <> '' AND substr(x.credit_code, 1, length($$)) = $$))",
            vec![
                Param::Text(q),
                Param::Text(code.clone()),
                Param::Text(code.clone()),
                Param::Text(code),
            ],
        );
    }
    let select = format!(
        "SELECT x.id, x.version, {} AS record, c.random, c.targeted FROM objects x \
         LEFT JOIN object_yearly_counts c ON c.object_id = x.id AND c.year = ?1",
        OBJECT_RECORD.replace("o.", "x.")
    );
    let (rows, total, limit) = page(&ctx, &select, "objects x", filter).await?;
    let year = today().0;
    let mut objects = rows
        .into_iter()
        .map(|row| row.into_object(year))
        .collect::<AppResult<Vec<_>>>()?;
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

fn object_select() -> String {
    format!(
        "SELECT x.id, x.version, {} AS record, c.random, c.targeted FROM objects x \
         LEFT JOIN object_yearly_counts c ON c.object_id = x.id AND c.year = ?1",
        OBJECT_RECORD.replace("o.", "x.")
    )
}

async fn find_object(db: &D1Database, id: i64) -> AppResult<ObjectItem> {
    let (year, _) = today();
    let row: Option<ItemRow> = bind(
        db,
        &format!("{} WHERE x.id = ?2", object_select()),
        &[Param::Int(year), Param::Int(id)],
    )?
    .first(None)
    .await?;
    row.ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的检查对象 / no object {id}")))?
        .into_object(year)
}

#[derive(Deserialize)]
struct HistoryRow {
    id: i64,
    from_status: Option<String>,
    to_status: String,
    effective_date: String,
    reason: String,
    recorded_at: String,
    recorded_by: Option<String>,
    import_id: Option<i64>,
}

fn parse_status(text: &str) -> AppResult<ObjectStatus> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| AppError::Internal(format!("unknown status {text}")))
}

#[derive(Deserialize)]
struct ConflictRow {
    inspector_id: i64,
    inspector_name: String,
    employee_no: String,
    object_id: i64,
    object_name: String,
    reason: String,
    declared_at: String,
}

impl From<ConflictRow> for ConflictOfInterest {
    fn from(row: ConflictRow) -> Self {
        ConflictOfInterest {
            inspector_id: row.inspector_id,
            inspector_name: row.inspector_name,
            employee_no: row.employee_no,
            object_id: row.object_id,
            object_name: row.object_name,
            reason: row.reason,
            declared_at: row.declared_at,
        }
    }
}

const CONFLICT_SELECT: &str = "SELECT k.inspector_id, i.name AS inspector_name, i.employee_no, \
    k.object_id, o.name AS object_name, k.reason, k.declared_at FROM conflicts_of_interest k \
    JOIN inspectors i ON i.id = k.inspector_id JOIN objects o ON o.id = k.object_id";

/// `GET /api/objects/:id`: the record, this year's counts, the status history, the conflicts.
pub(crate) async fn get_object(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let db = &ctx.db;
    let object = find_object(db, id).await?;
    let history: Vec<HistoryRow> = query!(
        db,
        "SELECT h.id, h.from_status, h.to_status, h.effective_date, h.reason, h.recorded_at, \
         a.display_name AS recorded_by, h.import_id FROM object_status_changes h \
         LEFT JOIN accounts a ON a.id = h.recorded_by WHERE h.object_id = ?1 ORDER BY h.id",
        &id
    )?
    .all()
    .await?
    .results()?;
    let history = history
        .into_iter()
        .map(|row| {
            Ok(StatusChange {
                id: row.id,
                from_status: row.from_status.as_deref().map(parse_status).transpose()?,
                to_status: parse_status(&row.to_status)?,
                effective_date: row
                    .effective_date
                    .parse()
                    .map_err(|_| AppError::Internal(format!("bad date in history {}", row.id)))?,
                reason: row.reason,
                recorded_at: row.recorded_at,
                recorded_by: row.recorded_by,
                import_id: row.import_id,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let conflicts: Vec<ConflictRow> = query!(
        db,
        &format!("{CONFLICT_SELECT} WHERE k.object_id = ?1 ORDER BY i.name, i.id"),
        &id
    )?
    .all()
    .await?
    .results()?;
    #[derive(Deserialize)]
    struct Tag {
        tag: String,
    }
    let tags: Vec<Tag> = query!(
        db,
        "SELECT tag FROM object_tags WHERE object_id = ?1 ORDER BY tag",
        &id
    )?
    .all()
    .await?
    .results()?;
    json(&ObjectDetail {
        object,
        tags: tags.into_iter().map(|t| t.tag).collect(),
        history,
        conflicts: conflicts.into_iter().map(Into::into).collect(),
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
        return Err(version_conflict());
    }
    let now = now_rfc3339();
    let value =
        serde_json::to_string(&record).map_err(|err| AppError::Internal(err.to_string()))?;
    let update = bind(
        db,
        "UPDATE objects SET name = j ->> '$.name', credit_code = j ->> '$.credit_code', \
         category = j ->> '$.category', region = j ->> '$.region', industry = j ->> '$.industry', \
         address = j ->> '$.address', construction_status = j ->> '$.construction_status', \
         discharge_type = j ->> '$.discharge_type', permit_class = j ->> '$.permit_class', \
         production_scale = j ->> '$.production_scale', production_cycle = j ->> '$.production_cycle', \
         monitoring_type = j ->> '$.monitoring_type', weather_grade = j ->> '$.weather_grade', \
         version = version + 1, updated_at = ?3 \
         FROM (SELECT json(?2) AS j) WHERE id = ?1",
        &[Param::Int(id), Param::Text(value), Param::Text(now)],
    )?;
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
        vec![version_guard(db, "objects", id, request.version)?, update],
    )
    .await
    .map_err(storage_conflict)?;
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
        return Err(version_conflict());
    }
    let now = now_rfc3339();
    let status = serde_json::to_value(request.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let date = request.effective_date.to_string();
    let history = bind(
        db,
        "INSERT INTO object_status_changes (object_id, from_status, to_status, effective_date, reason, recorded_at, recorded_by) \
         SELECT id, status, ?2, ?3, ?4, ?5, ?6 FROM objects WHERE id = ?1",
        &[
            Param::Int(id),
            Param::Text(status.clone()),
            Param::Text(date.clone()),
            Param::Text(reason.clone()),
            Param::Text(now.clone()),
            Param::Int(session.account_id),
        ],
    )?;
    let update = bind(
        db,
        "UPDATE objects SET status = ?2, status_since = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1",
        &[
            Param::Int(id),
            Param::Text(status),
            Param::Text(date.clone()),
            Param::Text(now),
        ],
    )?;
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
    audit::commit(
        db,
        Actor::Account(&session),
        change,
        vec![
            version_guard(db, "objects", id, request.version)?,
            history,
            update,
        ],
    )
    .await
    .map_err(storage_conflict)?;
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
    let statements = vec![
        bind(
            db,
            "DELETE FROM object_tags WHERE object_id = ?1",
            &[Param::Int(id)],
        )?,
        bind(
            db,
            "INSERT INTO object_tags (object_id, tag) SELECT ?1, value FROM json_each(?2)",
            &[Param::Int(id), Param::Text(list.clone())],
        )?,
    ];
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
    let exists: Option<serde_json::Value> = query!(
        db,
        "SELECT 1 AS one FROM conflicts_of_interest WHERE inspector_id = ?1 AND object_id = ?2",
        &inspector.id,
        &id
    )?
    .first(None)
    .await?;
    if exists.is_some() {
        return Err(AppError::Conflict {
            code: "conflict_exists",
            message: "该回避关系已登记 / this conflict of interest is already declared".to_owned(),
        });
    }
    let insert = query!(
        db,
        "INSERT INTO conflicts_of_interest (inspector_id, object_id, reason, declared_at, declared_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        &inspector.id,
        &id,
        &reason,
        &now_rfc3339(),
        &session.account_id
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
    let conflict: Option<ConflictRow> = query!(
        db,
        &format!("{CONFLICT_SELECT} WHERE k.object_id = ?1 AND k.inspector_id = ?2"),
        &id,
        &inspector.id
    )?
    .first(None)
    .await?;
    let conflict: ConflictOfInterest = conflict
        .ok_or_else(|| AppError::Internal("the new conflict vanished".to_owned()))?
        .into();
    Ok(json(&conflict)?.with_status(201))
}

/// `DELETE /api/objects/:id/conflicts/:inspector_id`: ends a declared conflict of interest.
pub(crate) async fn remove_conflict(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let inspector_id = ctx.id_param("inspector_id")?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let conflict: Option<ConflictRow> = query!(
        db,
        &format!("{CONFLICT_SELECT} WHERE k.object_id = ?1 AND k.inspector_id = ?2"),
        &id,
        &inspector_id
    )?
    .first(None)
    .await?;
    let Some(conflict) = conflict else {
        return Err(AppError::NotFound(
            "没有这条回避登记 / no such conflict of interest".to_owned(),
        ));
    };
    let delete = query!(
        db,
        "DELETE FROM conflicts_of_interest WHERE object_id = ?1 AND inspector_id = ?2",
        &id,
        &inspector_id
    )?;
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

fn inspector_select(with_phone: bool) -> String {
    format!(
        "SELECT x.id, x.version, {} AS record, c.random, c.targeted FROM inspectors x \
         LEFT JOIN inspector_yearly_counts c ON c.inspector_id = x.id AND c.year = ?1",
        inspector_record("x", with_phone)
    )
}

async fn find_inspector(db: &D1Database, id: i64, with_phone: bool) -> AppResult<InspectorItem> {
    let (year, _) = today();
    let row: Option<ItemRow> = bind(
        db,
        &format!("{} WHERE x.id = ?2", inspector_select(with_phone)),
        &[Param::Int(year), Param::Int(id)],
    )?
    .first(None)
    .await?;
    row.ok_or_else(|| {
        AppError::NotFound(format!("没有编号为 {id} 的检查人员 / no inspector {id}"))
    })?
    .into_inspector(year)
}

/// `GET /api/inspectors?q=&department=&region=&specialty=&active=&after_name=&after_id=&limit=`.
/// Never with phone numbers.
pub(crate) async fn list_inspectors(ctx: Ctx) -> AppResult<Response> {
    let mut filter = Filter::new();
    for (name, fragment) in [
        ("department", "x.department = $$"),
        ("region", "x.region = $$"),
        ("post", "x.post = $$"),
        (
            "specialty",
            "x.id IN (SELECT inspector_id FROM inspector_specialties WHERE specialty = $$)",
        ),
    ] {
        if let Some(value) = ctx.query(name) {
            filter.add(fragment, vec![Param::Text(value)]);
        }
    }
    if let Some(value) = ctx.query("active") {
        filter.add(
            "x.active = $$",
            vec![Param::Int(i64::from(value == "true" || value == "1"))],
        );
    }
    if let Some(q) = ctx.query("q") {
        let q = q.trim().to_owned();
        filter.add(
            "(instr(x.name, $$) > 0 OR x.employee_no = $$ OR x.certificate = $$)",
            vec![
                Param::Text(q.clone()),
                Param::Text(q.clone()),
                Param::Text(q),
            ],
        );
    }
    let (rows, total, limit) = page(&ctx, &inspector_select(false), "inspectors x", filter).await?;
    let year = today().0;
    let mut inspectors = rows
        .into_iter()
        .map(|row| row.into_inspector(year))
        .collect::<AppResult<Vec<_>>>()?;
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
    let conflicts: Vec<ConflictRow> = query!(
        db,
        &format!("{CONFLICT_SELECT} WHERE k.inspector_id = ?1 ORDER BY o.name, o.id"),
        &id
    )?
    .all()
    .await?
    .results()?;
    json(&InspectorDetail {
        inspector,
        conflicts: conflicts.into_iter().map(Into::into).collect(),
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
        return Err(version_conflict());
    }
    let now = now_rfc3339();
    let (_, today) = today();
    let value =
        serde_json::to_string(&record).map_err(|err| AppError::Internal(err.to_string()))?;
    let mut statements = vec![version_guard(db, "inspectors", id, request.version)?];
    if record.active != before.record.active {
        statements.push(bind(
            db,
            "INSERT INTO inspector_status_changes (inspector_id, active, effective_date, reason, recorded_at, recorded_by) \
             VALUES (?1, ?2, ?3, '信息编辑', ?4, ?5)",
            &[
                Param::Int(id),
                Param::Int(i64::from(record.active)),
                Param::Text(today),
                Param::Text(now.clone()),
                Param::Int(session.account_id),
            ],
        )?);
    }
    statements.push(bind(
        db,
        "UPDATE inspectors SET name = j ->> '$.name', employee_no = j ->> '$.employee_no', \
         certificate = j ->> '$.certificate', region = j ->> '$.region', \
         years_of_service = j ->> '$.years_of_service', department = j ->> '$.department', \
         post = j ->> '$.post', phone = j ->> '$.phone', active = j ->> '$.active', \
         version = version + 1, updated_at = ?3 FROM (SELECT json(?2) AS j) WHERE id = ?1",
        &[Param::Int(id), Param::Text(value.clone()), Param::Text(now)],
    )?);
    statements.push(bind(
        db,
        "DELETE FROM inspector_specialties WHERE inspector_id = ?1",
        &[Param::Int(id)],
    )?);
    statements.push(bind(
        db,
        "INSERT INTO inspector_specialties (inspector_id, specialty) \
         SELECT ?1, value FROM json_each(json(?2), '$.specialties')",
        &[Param::Int(id), Param::Text(value)],
    )?);
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
        .map_err(storage_conflict)?;
    json(&find_inspector(db, id, true).await?)
}

/// `GET /api/directory/facets`: the values in use, for the filter menus.
pub(crate) async fn facets(ctx: Ctx) -> AppResult<Response> {
    #[derive(Deserialize)]
    struct Value {
        value: String,
    }
    let db = &ctx.db;
    let mut lists = Vec::new();
    for sql in [
        "SELECT DISTINCT region AS value FROM objects ORDER BY region",
        "SELECT DISTINCT industry AS value FROM objects ORDER BY industry",
        "SELECT DISTINCT discharge_type AS value FROM objects WHERE discharge_type <> '' ORDER BY discharge_type",
        "SELECT DISTINCT department AS value FROM inspectors ORDER BY department",
        "SELECT DISTINCT tag AS value FROM object_tags ORDER BY tag",
    ] {
        let rows: Vec<Value> = db.prepare(sql).all().await?.results()?;
        lists.push(rows.into_iter().map(|row| row.value).collect::<Vec<_>>());
    }
    let mut lists = lists.into_iter();
    json(&Facets {
        regions: lists.next().unwrap_or_default(),
        industries: lists.next().unwrap_or_default(),
        discharge_types: lists.next().unwrap_or_default(),
        departments: lists.next().unwrap_or_default(),
        tags: lists.next().unwrap_or_default(),
    })
}
