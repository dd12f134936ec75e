//! Imports into the directories, all rows or none (docs/directories.md#committing-an-import):
//!
//! 1. `POST /api/imports` names the file (name, SHA-256, row count);
//! 2. `POST /api/imports/:id/rows` uploads the rows the browser validated, in chunks; the worker
//!    re-checks each chunk by the same rules (`recheck_rows`) and stages it with **one**
//!    statement and one JSON parameter (D1 allows 100 bound parameters);
//! 3. `GET /api/imports/:id/preview` counts new / changed / unchanged / missing in SQL, with the
//!    first records of each list;
//! 4. `POST /api/imports/:id/commit` writes everything in one `db.batch` (one transaction) of
//!    set-based statements, with its audit entry; `DELETE /api/imports/:id` abandons.
//!
//! Staging a chunk is not audited (it changes nothing anybody reads); creating, committing and
//! abandoning an import are.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::audit::record_digest;
use shared::directory::api::{
    ChangedSample, ChunkRefusal, CommitResult, CreateImportRequest, DirectoryKind, ImportInfo,
    InspectorChunk, InspectorPreview, ObjectChunk, ObjectPreview, SavedMapping,
};
use shared::directory::{
    ColumnMapping, ColumnRef, DiffSummary, DirectoryRow, ImportIssue, InspectorField, InspectorRow,
    IssueCode, NumberedRow, ObjectField, ObjectRow, diff_directory, recheck_rows,
    validate_inspectors, validate_objects,
};
use worker::{D1Database, D1PreparedStatement, Response, query};

use super::directory::{OBJECT_RECORD, Param, bind, inspector_record, storage_conflict, today};
use crate::audit::{self, Actor, Change};
use crate::error::{AppError, AppResult};
use crate::http::{Ctx, json};
use crate::time::now_rfc3339;

/// How many records of each list the preview shows.
const SAMPLES: i64 = 20;
/// The most rows one upload may carry.
const MAX_CHUNK_ROWS: usize = 5000;

#[derive(Deserialize)]
struct ImportDbRow {
    id: i64,
    directory: String,
    file_name: String,
    file_sha256: String,
    row_count: i64,
    status: String,
    created_by: i64,
    staged: i64,
}

impl ImportDbRow {
    fn info(&self) -> ImportInfo {
        ImportInfo {
            id: self.id,
            directory: self.kind(),
            file_name: self.file_name.clone(),
            file_sha256: self.file_sha256.clone(),
            row_count: self.row_count.max(0) as u32,
            status: self.status.clone(),
            staged: self.staged.max(0) as u32,
        }
    }

    fn kind(&self) -> DirectoryKind {
        DirectoryKind::from_code(&self.directory).unwrap_or(DirectoryKind::Objects)
    }

    fn require_staging(&self, account_id: i64) -> AppResult<()> {
        if self.status != "staging" {
            return Err(AppError::Conflict {
                code: "import_closed",
                message: format!(
                    "该导入已{}，不能再修改 / the import is {}",
                    if self.status == "committed" {
                        "提交"
                    } else {
                        "放弃"
                    },
                    self.status
                ),
            });
        }
        if self.created_by != account_id {
            return Err(AppError::Conflict {
                code: "not_your_import",
                message: "只能继续自己发起的导入 / only the account that started an import may continue it"
                    .to_owned(),
            });
        }
        Ok(())
    }

    fn require_complete(&self) -> AppResult<()> {
        if self.staged != self.row_count {
            return Err(AppError::Conflict {
                code: "import_incomplete",
                message: format!(
                    "已上传 {} / {} 行，请先上传全部行 / {} of {} rows uploaded",
                    self.staged, self.row_count, self.staged, self.row_count
                ),
            });
        }
        Ok(())
    }
}

async fn find_import(db: &D1Database, id: i64) -> AppResult<ImportDbRow> {
    let row: Option<ImportDbRow> = query!(
        db,
        "SELECT id, directory, file_name, file_sha256, row_count, status, created_by, \
         (SELECT count(*) FROM directory_import_rows r WHERE r.import_id = d.id) AS staged \
         FROM directory_imports d WHERE id = ?1",
        &id
    )?
    .first(None)
    .await?;
    row.ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的导入 / no import {id}")))
}

/// `POST /api/imports` `{directory, file_name, file_sha256, row_count}` → **201** the import.
pub(crate) async fn create_import(mut ctx: Ctx) -> AppResult<Response> {
    let request: CreateImportRequest = ctx.json().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let file_name = request.file_name.trim().to_owned();
    if !(1..=255).contains(&file_name.chars().count()) {
        return Err(AppError::bad_request(
            "invalid_file_name",
            "文件名须为 1–255 个字符 / the file name needs 1–255 characters",
        ));
    }
    let sha = request.file_sha256.to_ascii_lowercase();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::bad_request(
            "invalid_sha256",
            "文件摘要须为 64 位十六进制 SHA-256 / file_sha256 must be 64 hex digits",
        ));
    }
    if !(1..=shared::directory::MAX_DATA_ROWS as u32).contains(&request.row_count) {
        return Err(AppError::bad_request(
            "invalid_row_count",
            format!(
                "行数须为 1–{} / row_count must be 1–{}",
                shared::directory::MAX_DATA_ROWS,
                shared::directory::MAX_DATA_ROWS
            ),
        ));
    }
    let now = now_rfc3339();
    let insert = query!(
        db,
        "INSERT INTO directory_imports (directory, file_name, file_sha256, row_count, created_at, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &request.directory.code(),
        &file_name,
        &sha,
        &request.row_count,
        &now,
        &session.account_id
    )?;
    let change = Change {
        action: "directory.import.create",
        target: format!("directory:{}", request.directory.code()),
        before_digest: String::new(),
        after_digest: sha.clone(),
        detail: format!(
            "开始导入 {file_name}（{} 行）/ import started",
            request.row_count
        ),
    };
    audit::commit(db, Actor::Account(&session), change, vec![insert]).await?;
    let id: i64 = query!(
        db,
        "SELECT id FROM directory_imports WHERE created_by = ?1 ORDER BY id DESC LIMIT 1",
        &session.account_id
    )?
    .first(Some("id"))
    .await?
    .ok_or_else(|| AppError::Internal("the new import vanished".to_owned()))?;
    Ok(json(&find_import(db, id).await?.info())?.with_status(201))
}

/// `GET /api/imports/:id`.
pub(crate) async fn get_import(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    json(&find_import(&ctx.db, id).await?.info())
}

fn refusal(error: &str, message: String, issues: Vec<ImportIssue>) -> AppResult<Response> {
    Ok(Response::from_json(&ChunkRefusal {
        error: error.to_owned(),
        message,
        issues,
    })?
    .with_status(400))
}

#[derive(Deserialize)]
struct RawChunk {
    first_seq: u32,
    rows: Vec<RawRow>,
}

#[derive(Deserialize)]
struct RawRow {
    row: u32,
    record: serde_json::Value,
}

/// Parses a chunk; a record that does not fit the row type (an invalid credit code, an unknown
/// category…) is refused with its spreadsheet row.
fn parse_chunk<T: DeserializeOwned>(text: &str) -> AppResult<Result<T, Response>> {
    let raw: RawChunk = serde_json::from_str(text).map_err(|err| {
        AppError::bad_request(
            "invalid_json",
            format!("请求内容不是有效的分块 / not a chunk of rows: {err}"),
        )
    })?;
    for row in &raw.rows {
        if let Err(err) = serde_json::from_value::<T>(serde_json::json!({
            "first_seq": raw.first_seq,
            "rows": [{"row": row.row, "record": row.record}],
        })) {
            return Ok(Err(refusal(
                "invalid_rows",
                format!(
                    "第 {} 行：记录不符合名录格式，未写入任何内容 / row {}: the record does not fit the directory: {err}",
                    row.row, row.row
                ),
                Vec::new(),
            )?));
        }
    }
    serde_json::from_str(text)
        .map(Ok)
        .map_err(|err| AppError::bad_request("invalid_rows", format!("{err}")))
}

/// Re-checks `rows` by the file rules; issue rows become the rows' spreadsheet numbers.
fn recheck<R: DirectoryRow>(
    rows: &[NumberedRow<R>],
    validate: impl Fn(&shared::directory::Table) -> shared::directory::Import<R, R::Field>,
) -> Vec<ImportIssue> {
    let records: Vec<R> = rows.iter().map(|row| row.record.clone()).collect();
    let mut issues = recheck_rows(&records, validate);
    for issue in &mut issues {
        if let Some(row) = issue.row {
            let index = (row as usize).wrapping_sub(2);
            issue.row = rows.get(index).map(|numbered| numbered.row).or(Some(row));
        }
    }
    issues
}

/// `POST /api/imports/:id/rows` `{first_seq, rows: [{row, record}]}` → `{"staged": N}`.
/// A chunk that fails the re-check is refused whole with its issues (400 `invalid_rows`).
pub(crate) async fn upload_rows(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let text =
        ctx.req.text().await.map_err(|_| {
            AppError::bad_request("invalid_body", "请求内容无法读取 / unreadable body")
        })?;
    if text.len() > crate::http::MAX_BODY_BYTES {
        return Err(AppError::PayloadTooLarge {
            limit: crate::http::MAX_BODY_BYTES,
        });
    }
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let import = find_import(db, id).await?;
    import.require_staging(session.account_id)?;
    let (first_seq, count, issues, rows_json) = match import.kind() {
        DirectoryKind::Objects => {
            let chunk: ObjectChunk = match parse_chunk(&text)? {
                Ok(chunk) => chunk,
                Err(response) => return Ok(response),
            };
            let issues = recheck(&chunk.rows, |table| validate_objects(table, None));
            (
                chunk.first_seq,
                chunk.rows.len(),
                issues,
                serde_json::to_string(&chunk.rows),
            )
        }
        DirectoryKind::Inspectors => {
            let chunk: InspectorChunk = match parse_chunk(&text)? {
                Ok(chunk) => chunk,
                Err(response) => return Ok(response),
            };
            let issues = recheck(&chunk.rows, |table| validate_inspectors(table, None));
            (
                chunk.first_seq,
                chunk.rows.len(),
                issues,
                serde_json::to_string(&chunk.rows),
            )
        }
    };
    if !issues.is_empty() {
        let first = issues[0].to_string_zh();
        return refusal(
            "invalid_rows",
            format!("有 {} 处问题，未写入任何内容。{first}", issues.len()),
            issues,
        );
    }
    let last_seq = i64::from(first_seq) + count as i64 - 1;
    if count == 0 || count > MAX_CHUNK_ROWS || first_seq == 0 || last_seq > import.row_count {
        return Err(AppError::bad_request(
            "invalid_chunk",
            format!(
                "分块须为 1–{MAX_CHUNK_ROWS} 行，且在第 1–{} 行之内 / a chunk holds 1–{MAX_CHUNK_ROWS} rows within the import's row count",
                import.row_count
            ),
        ));
    }
    let rows_json = rows_json.map_err(|err| AppError::Internal(err.to_string()))?;
    bind(
        db,
        "INSERT OR REPLACE INTO directory_import_rows (import_id, seq, source_row, row_json) \
         SELECT ?1, ?2 + key, value ->> '$.row', json(value -> '$.record') FROM json_each(?3)",
        &[
            Param::Int(id),
            Param::Int(i64::from(first_seq)),
            Param::Text(rows_json),
        ],
    )?
    .run()
    .await?;
    let staged = find_import(db, id).await?.staged;
    json(&serde_json::json!({ "staged": staged }))
}

/// The key and the column compared for each directory.
struct Kind {
    key: &'static str,
    table: &'static str,
    key_column: &'static str,
    /// True when the staged row `j` (JSON text) differs from the stored row `x`.
    differs: &'static str,
}

const OBJECTS: Kind = Kind {
    key: "credit_code",
    table: "objects",
    key_column: "credit_code",
    differs: "(x.name, x.category, x.region, x.industry, x.address, x.construction_status, \
        x.discharge_type, x.permit_class, x.production_scale, x.production_cycle, x.monitoring_type, \
        x.weather_grade, x.status, x.status_since) IS NOT (j ->> '$.name', j ->> '$.category', \
        j ->> '$.region', j ->> '$.industry', j ->> '$.address', j ->> '$.construction_status', \
        j ->> '$.discharge_type', j ->> '$.permit_class', j ->> '$.production_scale', \
        j ->> '$.production_cycle', j ->> '$.monitoring_type', j ->> '$.weather_grade', \
        j ->> '$.status', j ->> '$.status_since')",
};

const INSPECTORS: Kind = Kind {
    key: "employee_no",
    table: "inspectors",
    key_column: "employee_no",
    differs: "((x.name, x.certificate, x.region, x.years_of_service, x.department, x.post, \
        x.phone, x.active) IS NOT (j ->> '$.name', j ->> '$.certificate', j ->> '$.region', \
        j ->> '$.years_of_service', j ->> '$.department', j ->> '$.post', j ->> '$.phone', \
        j ->> '$.active') OR (SELECT json_group_array(specialty) FROM (SELECT specialty \
        FROM inspector_specialties s WHERE s.inspector_id = x.id ORDER BY specialty)) \
        IS NOT json(j -> '$.specialties'))",
};

fn kind_of(directory: DirectoryKind) -> &'static Kind {
    match directory {
        DirectoryKind::Objects => &OBJECTS,
        DirectoryKind::Inspectors => &INSPECTORS,
    }
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

async fn count(db: &D1Database, sql: &str, id: i64) -> AppResult<u32> {
    let row: Option<Count> = bind(db, sql, &[Param::Int(id)])?.first(None).await?;
    Ok(row.map_or(0, |row| row.n.max(0) as u32))
}

/// Duplicate keys across chunks (each chunk was checked on its own): refused with the rows.
async fn duplicate_keys(db: &D1Database, import: &ImportDbRow) -> AppResult<Vec<ImportIssue>> {
    #[derive(Deserialize)]
    struct Dup {
        k: String,
        rows: String,
        field: String,
    }
    let kind = kind_of(import.kind());
    let mut sql = format!(
        "SELECT k, group_concat(source_row, '、') AS rows, '{key}' AS field FROM \
         (SELECT row_json ->> '$.{key}' AS k, source_row FROM directory_import_rows WHERE import_id = ?1 ORDER BY seq) \
         GROUP BY k HAVING count(*) > 1",
        key = kind.key
    );
    if import.kind() == DirectoryKind::Inspectors {
        sql.push_str(
            " UNION ALL SELECT k, group_concat(source_row, '、'), 'certificate' FROM \
             (SELECT row_json ->> '$.certificate' AS k, source_row FROM directory_import_rows \
              WHERE import_id = ?1 AND row_json ->> '$.certificate' IS NOT NULL ORDER BY seq) \
             GROUP BY k HAVING count(*) > 1",
        );
    }
    sql.push_str(" LIMIT 100");
    let dups: Vec<Dup> = bind(db, &sql, &[Param::Int(import.id)])?
        .all()
        .await?
        .results()?;
    let held = if import.kind() == DirectoryKind::Inspectors {
        crate::db::import_conflicts::certificates_held_by_others(db, import.id, 100).await?
    } else {
        Vec::new()
    };
    let held = held.into_iter().map(|held| ImportIssue {
        row: Some(held.source_row),
        column: Some(ColumnRef {
            letter: String::new(),
            header: "执法证号".to_owned(),
        }),
        code: IssueCode::DuplicateCertificate,
        message_zh: format!(
            "执法证号 {} 已属于名录中工号为 {} 的检查人员，不能再给工号 {}",
            held.certificate, held.holder, held.employee_no
        ),
        message_en: format!(
            "certificate {} already belongs to inspector {} in the directory, not to {}",
            held.certificate, held.holder, held.employee_no
        ),
    });
    Ok(dups
        .into_iter()
        .map(|dup| {
            let (header, code) = match dup.field.as_str() {
                "credit_code" => ("统一社会信用代码", IssueCode::DuplicateKey),
                "employee_no" => ("工号", IssueCode::DuplicateKey),
                _ => ("执法证号", IssueCode::DuplicateCertificate),
            };
            let first_row = dup.rows.split('、').nth(1).and_then(|r| r.parse().ok());
            ImportIssue {
                row: first_row,
                column: Some(ColumnRef {
                    letter: String::new(),
                    header: header.to_owned(),
                }),
                code,
                message_zh: format!("{} 在第 {} 行重复出现", dup.k, dup.rows),
                message_en: format!("{} appears on rows {}", dup.k, dup.rows.replace('、', ", ")),
            }
        })
        .chain(held)
        .collect())
}

async fn summary(db: &D1Database, import: &ImportDbRow) -> AppResult<DiffSummary> {
    let kind = kind_of(import.kind());
    let key = kind.key;
    let table = kind.table;
    let column = kind.key_column;
    let new = count(
        db,
        &format!(
            "SELECT count(*) AS n FROM directory_import_rows r WHERE r.import_id = ?1 AND \
             NOT EXISTS (SELECT 1 FROM {table} x WHERE x.{column} = r.row_json ->> '$.{key}')"
        ),
        import.id,
    )
    .await?;
    let changed = count(
        db,
        &format!(
            "SELECT count(*) AS n FROM (SELECT row_json AS j, row_json ->> '$.{key}' AS k \
             FROM directory_import_rows WHERE import_id = ?1) JOIN {table} x ON x.{column} = k \
             WHERE {}",
            kind.differs
        ),
        import.id,
    )
    .await?;
    let missing = count(
        db,
        &format!(
            "SELECT count(*) AS n FROM {table} x WHERE x.{column} NOT IN \
             (SELECT row_json ->> '$.{key}' FROM directory_import_rows WHERE import_id = ?1)"
        ),
        import.id,
    )
    .await?;
    let staged = import.staged.max(0) as u32;
    Ok(DiffSummary {
        new,
        changed,
        unchanged: staged.saturating_sub(new + changed),
        missing,
    })
}

#[derive(Deserialize)]
struct Json {
    j: String,
}

#[derive(Deserialize)]
struct Pair {
    before: String,
    after: String,
}

async fn records<R: DeserializeOwned>(db: &D1Database, sql: &str, id: i64) -> AppResult<Vec<R>> {
    let rows: Vec<Json> = bind(db, sql, &[Param::Int(id)])?.all().await?.results()?;
    rows.iter()
        .map(|row| serde_json::from_str(&row.j).map_err(|err| AppError::Internal(err.to_string())))
        .collect()
}

/// The samples of each list, in key order.
async fn samples<R: DirectoryRow + DeserializeOwned>(
    db: &D1Database,
    import: &ImportDbRow,
    record_sql: &str,
) -> AppResult<(Vec<R>, Vec<ChangedSample<R, R::Field>>, Vec<R>)> {
    let kind = kind_of(import.kind());
    let (key, table, column) = (kind.key, kind.table, kind.key_column);
    let new = records(
        db,
        &format!(
            "SELECT row_json AS j FROM directory_import_rows r WHERE r.import_id = ?1 AND \
             NOT EXISTS (SELECT 1 FROM {table} x WHERE x.{column} = r.row_json ->> '$.{key}') \
             ORDER BY r.row_json ->> '$.{key}' LIMIT {SAMPLES}"
        ),
        import.id,
    )
    .await?;
    let pairs: Vec<Pair> = bind(
        db,
        &format!(
            "SELECT {record_sql} AS before, j AS after FROM (SELECT row_json AS j, row_json ->> '$.{key}' AS k \
             FROM directory_import_rows WHERE import_id = ?1) JOIN {table} x ON x.{column} = k \
             WHERE {} ORDER BY k LIMIT {SAMPLES}",
            kind.differs
        ),
        &[Param::Int(import.id)],
    )?
    .all()
    .await?
    .results()?;
    let mut changed = Vec::new();
    for pair in pairs {
        let parse = |text: &str| -> AppResult<R> {
            serde_json::from_str(text).map_err(|err| AppError::Internal(err.to_string()))
        };
        let (before, after) = (parse(&pair.before)?, parse(&pair.after)?);
        let diff = diff_directory(std::slice::from_ref(&before), std::slice::from_ref(&after));
        let fields = diff
            .changed
            .into_iter()
            .next()
            .map(|change| change.fields)
            .unwrap_or_default();
        changed.push(ChangedSample {
            before,
            after,
            fields,
        });
    }
    let missing = records(
        db,
        &format!(
            "SELECT {record_sql} AS j FROM {table} x WHERE x.{column} NOT IN \
             (SELECT row_json ->> '$.{key}' FROM directory_import_rows WHERE import_id = ?1) \
             ORDER BY x.{column} LIMIT {SAMPLES}"
        ),
        import.id,
    )
    .await?;
    Ok((new, changed, missing))
}

/// Everything a preview or a commit checks first.
async fn ready(ctx: &Ctx, id: i64) -> AppResult<Result<ImportDbRow, Response>> {
    let session = ctx.session()?;
    let import = find_import(&ctx.db, id).await?;
    import.require_staging(session.account_id)?;
    import.require_complete()?;
    let dups = duplicate_keys(&ctx.db, &import).await?;
    if !dups.is_empty() {
        let first = format!(
            "{} {}",
            dups[0]
                .row
                .map(|r| format!("第 {r} 行"))
                .unwrap_or_default(),
            dups[0].message_zh
        );
        return Ok(Err(refusal(
            "duplicate_key",
            format!("文件中有重复的编号，未写入任何内容。{first}"),
            dups,
        )?));
    }
    Ok(Ok(import))
}

/// `GET /api/imports/:id/preview`: what a commit would change.
pub(crate) async fn preview_import(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let import = match ready(&ctx, id).await? {
        Ok(import) => import,
        Err(response) => return Ok(response),
    };
    let db = &ctx.db;
    let summary = summary(db, &import).await?;
    match import.kind() {
        DirectoryKind::Objects => {
            let (new, changed, missing) =
                samples::<ObjectRow>(db, &import, &OBJECT_RECORD.replace("o.", "x.")).await?;
            json(&ObjectPreview {
                import: import.info(),
                summary,
                new,
                changed,
                missing,
            })
        }
        DirectoryKind::Inspectors => {
            let (new, changed, missing) =
                samples::<InspectorRow>(db, &import, &inspector_record("x", true)).await?;
            let hide = |mut row: InspectorRow| {
                row.phone = None;
                row
            };
            json(&InspectorPreview {
                import: import.info(),
                summary,
                new: new.into_iter().map(hide).collect(),
                changed: changed
                    .into_iter()
                    .map(|c| ChangedSample {
                        before: hide(c.before),
                        after: hide(c.after),
                        fields: c.fields,
                    })
                    .collect(),
                missing: missing.into_iter().map(hide).collect(),
            })
        }
    }
}

/// The parameters every commit statement binds: ?1 import id, ?2 now, ?3 today, ?4 account.
fn commit_params(id: i64, account: i64, now: &str, today: &str) -> Vec<Param> {
    vec![
        Param::Int(id),
        Param::Text(now.to_owned()),
        Param::Text(today.to_owned()),
        Param::Int(account),
    ]
}

fn commit_objects(
    db: &D1Database,
    id: i64,
    account: i64,
    now: &str,
    today: &str,
) -> AppResult<Vec<D1PreparedStatement>> {
    let params = || commit_params(id, account, now, today);
    Ok(vec![
        bind(
            db,
            "INSERT INTO object_status_changes (object_id, from_status, to_status, effective_date, reason, recorded_at, recorded_by, import_id) \
             SELECT o.id, o.status, r.row_json ->> '$.status', coalesce(r.row_json ->> '$.status_since', ?3), '导入', ?2, ?4, ?1 \
             FROM directory_import_rows r JOIN objects o ON o.credit_code = r.row_json ->> '$.credit_code' \
             WHERE r.import_id = ?1 AND o.status <> r.row_json ->> '$.status'",
            &params(),
        )?,
        bind(
            db,
            "INSERT INTO objects (credit_code, name, category, region, industry, address, construction_status, discharge_type, \
                 permit_class, production_scale, production_cycle, monitoring_type, weather_grade, status, status_since, created_at, updated_at) \
             SELECT j ->> '$.credit_code', j ->> '$.name', j ->> '$.category', j ->> '$.region', j ->> '$.industry', j ->> '$.address', \
                 j ->> '$.construction_status', j ->> '$.discharge_type', j ->> '$.permit_class', j ->> '$.production_scale', \
                 j ->> '$.production_cycle', j ->> '$.monitoring_type', j ->> '$.weather_grade', j ->> '$.status', \
                 j ->> '$.status_since', ?2, ?2 \
             FROM (SELECT row_json AS j FROM directory_import_rows WHERE import_id = ?1 ORDER BY seq) WHERE true \
             ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name, category = excluded.category, region = excluded.region, \
                 industry = excluded.industry, address = excluded.address, construction_status = excluded.construction_status, \
                 discharge_type = excluded.discharge_type, permit_class = excluded.permit_class, \
                 production_scale = excluded.production_scale, production_cycle = excluded.production_cycle, \
                 monitoring_type = excluded.monitoring_type, weather_grade = excluded.weather_grade, status = excluded.status, \
                 status_since = excluded.status_since, version = version + 1, updated_at = excluded.updated_at \
             WHERE (name, category, region, industry, address, construction_status, discharge_type, permit_class, production_scale, \
                    production_cycle, monitoring_type, weather_grade, status, status_since) \
                IS NOT (excluded.name, excluded.category, excluded.region, excluded.industry, excluded.address, \
                    excluded.construction_status, excluded.discharge_type, excluded.permit_class, excluded.production_scale, \
                    excluded.production_cycle, excluded.monitoring_type, excluded.weather_grade, excluded.status, excluded.status_since)",
            &[Param::Int(id), Param::Text(now.to_owned())],
        )?,
        bind(
            db,
            "INSERT INTO object_status_changes (object_id, from_status, to_status, effective_date, reason, recorded_at, recorded_by, import_id) \
             SELECT o.id, NULL, o.status, coalesce(o.status_since, ?3), '导入（新增）', ?2, ?4, ?1 \
             FROM directory_import_rows r JOIN objects o ON o.credit_code = r.row_json ->> '$.credit_code' \
             WHERE r.import_id = ?1 AND NOT EXISTS (SELECT 1 FROM object_status_changes c WHERE c.object_id = o.id)",
            &params(),
        )?,
    ])
}

fn commit_inspectors(
    db: &D1Database,
    id: i64,
    account: i64,
    now: &str,
    today: &str,
) -> AppResult<Vec<D1PreparedStatement>> {
    let params = || commit_params(id, account, now, today);
    Ok(vec![
        bind(
            db,
            "INSERT INTO inspector_status_changes (inspector_id, active, effective_date, reason, recorded_at, recorded_by) \
             SELECT i.id, r.row_json ->> '$.active', ?3, '导入', ?2, ?4 \
             FROM directory_import_rows r JOIN inspectors i ON i.employee_no = r.row_json ->> '$.employee_no' \
             WHERE r.import_id = ?1 AND i.active <> r.row_json ->> '$.active'",
            &params(),
        )?,
        bind(
            db,
            "INSERT INTO inspectors (employee_no, name, certificate, region, years_of_service, department, post, phone, active, created_at, updated_at) \
             SELECT j ->> '$.employee_no', j ->> '$.name', j ->> '$.certificate', j ->> '$.region', j ->> '$.years_of_service', \
                 j ->> '$.department', j ->> '$.post', j ->> '$.phone', j ->> '$.active', ?2, ?2 \
             FROM (SELECT row_json AS j FROM directory_import_rows WHERE import_id = ?1 ORDER BY seq) WHERE true \
             ON CONFLICT (employee_no) DO UPDATE SET name = excluded.name, certificate = excluded.certificate, region = excluded.region, \
                 years_of_service = excluded.years_of_service, department = excluded.department, post = excluded.post, \
                 phone = excluded.phone, active = excluded.active, version = version + 1, updated_at = excluded.updated_at \
             WHERE (name, certificate, region, years_of_service, department, post, phone, active) \
                IS NOT (excluded.name, excluded.certificate, excluded.region, excluded.years_of_service, excluded.department, \
                    excluded.post, excluded.phone, excluded.active)",
            &[Param::Int(id), Param::Text(now.to_owned())],
        )?,
        bind(
            db,
            "DELETE FROM inspector_specialties WHERE inspector_id IN (SELECT i.id FROM directory_import_rows r \
             JOIN inspectors i ON i.employee_no = r.row_json ->> '$.employee_no' WHERE r.import_id = ?1)",
            &[Param::Int(id)],
        )?,
        bind(
            db,
            "INSERT INTO inspector_specialties (inspector_id, specialty) \
             SELECT DISTINCT i.id, s.value FROM directory_import_rows r \
             JOIN inspectors i ON i.employee_no = r.row_json ->> '$.employee_no', json_each(r.row_json, '$.specialties') s \
             WHERE r.import_id = ?1",
            &[Param::Int(id)],
        )?,
    ])
}

/// `POST /api/imports/:id/commit`: every staged row in one transaction, with the audit entry.
pub(crate) async fn commit_import(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let import = match ready(&ctx, id).await? {
        Ok(import) => import,
        Err(response) => return Ok(response),
    };
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let summary = summary(db, &import).await?;
    let now = now_rfc3339();
    let (_, today) = today();
    let mut statements = match import.kind() {
        DirectoryKind::Objects => commit_objects(db, id, session.account_id, &now, &today)?,
        DirectoryKind::Inspectors => commit_inspectors(db, id, session.account_id, &now, &today)?,
    };
    statements.push(query!(
        db,
        "UPDATE directory_imports SET status = 'committed', committed_at = ?2 WHERE id = ?1 AND status = 'staging'",
        &id,
        &now
    )?);
    statements.push(query!(
        db,
        "DELETE FROM directory_import_rows WHERE import_id = ?1",
        &id
    )?);
    let change = Change {
        action: "directory.import.commit",
        target: format!("import:{id}"),
        before_digest: String::new(),
        after_digest: import.file_sha256.clone(),
        detail: format!(
            "导入{} {}：新增 {}，变更 {}，未变 {}，文件中缺少 {} / import committed",
            if import.kind() == DirectoryKind::Objects {
                "检查对象"
            } else {
                "检查人员"
            },
            import.file_name,
            summary.new,
            summary.changed,
            summary.unchanged,
            summary.missing
        ),
    };
    audit::commit(db, Actor::Account(&session), change, statements)
        .await
        .map_err(storage_conflict)?;
    json(&CommitResult {
        import: find_import(db, id).await?.info(),
        summary,
    })
}

/// `DELETE /api/imports/:id`: abandons a staging import and drops its rows.
pub(crate) async fn abandon_import(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let import = find_import(db, id).await?;
    import.require_staging(session.account_id)?;
    let statements = vec![
        query!(
            db,
            "UPDATE directory_imports SET status = 'abandoned' WHERE id = ?1 AND status = 'staging'",
            &id
        )?,
        query!(
            db,
            "DELETE FROM directory_import_rows WHERE import_id = ?1",
            &id
        )?,
    ];
    let change = Change {
        action: "directory.import.abandon",
        target: format!("import:{id}"),
        before_digest: import.file_sha256.clone(),
        after_digest: String::new(),
        detail: format!("放弃导入 {} / import abandoned", import.file_name),
    };
    audit::commit(db, Actor::Account(&session), change, statements).await?;
    json(&find_import(db, id).await?.info())
}

fn directory_param(ctx: &Ctx) -> AppResult<DirectoryKind> {
    ctx.query("directory")
        .as_deref()
        .and_then(DirectoryKind::from_code)
        .ok_or_else(|| {
            AppError::bad_request(
                "invalid_directory",
                "directory 须为 objects 或 inspectors / directory must be objects or inspectors",
            )
        })
}

/// `GET /api/column-mapping?directory=objects|inspectors`: the caller's remembered mapping, else
/// the bureau-wide one, else empty.
pub(crate) async fn get_mapping(ctx: Ctx) -> AppResult<Response> {
    let directory = directory_param(&ctx)?;
    let session = ctx.session()?;
    let stored: Option<String> = query!(
        &ctx.db,
        "SELECT mapping_json FROM column_mappings WHERE directory = ?1 AND (account_id = ?2 OR account_id IS NULL) \
         ORDER BY account_id IS NULL LIMIT 1",
        &directory.code(),
        &session.account_id
    )?
    .first(Some("mapping_json"))
    .await?;
    let mapping = stored
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default();
    json(&SavedMapping { directory, mapping })
}

/// `PUT /api/column-mapping` `{directory, mapping}`: remembers the caller's mapping.
pub(crate) async fn put_mapping(mut ctx: Ctx) -> AppResult<Response> {
    let request: SavedMapping = ctx.json().await?;
    let session = ctx.session()?.clone();
    let text = serde_json::to_string(&request.mapping)
        .map_err(|err| AppError::Internal(err.to_string()))?;
    let valid = match request.directory {
        DirectoryKind::Objects => serde_json::from_str::<ColumnMapping<ObjectField>>(&text).is_ok(),
        DirectoryKind::Inspectors => {
            serde_json::from_str::<ColumnMapping<InspectorField>>(&text).is_ok()
        }
    };
    if !valid || text.len() > 20_000 || request.mapping.len() > 200 {
        return Err(AppError::bad_request(
            "invalid_mapping",
            "列对应关系中有未知的字段 / the mapping names an unknown field",
        ));
    }
    let db = &ctx.db;
    let upsert = query!(
        db,
        "INSERT INTO column_mappings (directory, account_id, mapping_json, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (directory, account_id) WHERE account_id IS NOT NULL \
         DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at",
        &request.directory.code(),
        &session.account_id,
        &text,
        &now_rfc3339()
    )?;
    let change = Change {
        action: "column_mapping.save",
        target: format!(
            "column_mapping:{}:{}",
            request.directory.code(),
            session.account_id
        ),
        before_digest: String::new(),
        after_digest: record_digest(&text),
        detail: format!(
            "保存导入列对应关系（{} 列）/ mapping saved",
            request.mapping.len()
        ),
    };
    audit::commit(db, Actor::Account(&session), change, vec![upsert]).await?;
    json(&request)
}
