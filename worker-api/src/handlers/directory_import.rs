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
    ChangedSample, CommitImportRequest, CommitResult, CreateImportRequest, DirectoryKind,
    ImportStatus, InspectorChunk, InspectorPreview, ObjectChunk, ObjectPreview, SavedMapping,
    StatusReversal,
};
use shared::directory::{
    ColumnMapping, ColumnRef, DiffSummary, DirectoryRow, Field, ImportIssue, InspectorField,
    InspectorRow, IssueCode, NumberedRow, ObjectField, ObjectRow, diff_directory, recheck_rows,
    reversal_issue, validate_inspectors, validate_objects,
};
use shared::records::FieldError;
use worker::{D1Database, Response};

use crate::audit::{self, Actor, Change};
use crate::ctx::{Ctx, json};
use crate::db::imports::{self, CommitBy, Import, KeyField, NewImport};
use crate::error::{AppError, AppResult};
use crate::time::{china_today, now_rfc3339};

/// The most rows one upload may carry.
const MAX_CHUNK_ROWS: usize = 5000;

/// The checks of an import's state before it changes.
trait ImportChecks {
    fn require_staging(&self, account_id: i64) -> AppResult<()>;
    fn require_complete(&self) -> AppResult<()>;
}

impl ImportChecks for Import {
    fn require_staging(&self, account_id: i64) -> AppResult<()> {
        if self.status != ImportStatus::Staging {
            return Err(AppError::Conflict {
                code: "import_closed",
                message: format!(
                    "该导入已{}，不能再修改 / the import is {}",
                    if self.status == ImportStatus::Committed {
                        "提交"
                    } else {
                        "放弃"
                    },
                    self.status.code()
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

async fn find_import(db: &D1Database, id: i64) -> AppResult<Import> {
    imports::find(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的导入 / no import {id}")))
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
    let fields = match &request.fields {
        None => imports::all_fields(request.directory),
        Some(codes) => present_fields(request.directory, codes)?,
    };
    let now = now_rfc3339();
    let insert = imports::insert(
        db,
        &NewImport {
            directory: request.directory,
            file_name: &file_name,
            file_sha256: &sha,
            row_count: request.row_count,
            created_at: &now,
            created_by: session.account_id,
            fields: &fields,
        },
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
    let id = imports::latest_id_of(db, session.account_id)
        .await?
        .ok_or_else(|| AppError::Internal("the new import vanished".to_owned()))?;
    Ok(json(&find_import(db, id).await?.info())?.with_status(201))
}

/// The fields a request says its file has a column for: each one of the directory's, and
/// every required one among them (the browser's validation already demands those columns).
fn present_fields(directory: DirectoryKind, codes: &[String]) -> AppResult<Vec<&'static str>> {
    let fields =
        imports::known_fields(directory, codes).map_err(|unknown| AppError::InvalidFields {
            code: "invalid_fields",
            fields: vec![FieldError {
                field: "fields".to_owned(),
                message: format!("没有名为 {unknown} 的字段 / no field named {unknown}"),
            }],
        })?;
    let required: Vec<(&'static str, &'static str)> = match directory {
        DirectoryKind::Objects => required_of::<ObjectField>(),
        DirectoryKind::Inspectors => required_of::<InspectorField>(),
    };
    let missing: Vec<FieldError> = required
        .iter()
        .filter(|(code, _)| !fields.contains(code))
        .map(|(code, header)| FieldError {
            field: "fields".to_owned(),
            message: format!("缺少必填列“{header}”/ the required column {code} is missing"),
        })
        .collect();
    if !missing.is_empty() {
        return Err(AppError::InvalidFields {
            code: "invalid_fields",
            fields: missing,
        });
    }
    Ok(fields)
}

fn required_of<F: Field>() -> Vec<(&'static str, &'static str)> {
    F::ALL
        .iter()
        .filter(|field| field.required())
        .map(|field| (field.as_str(), field.header_zh()))
        .collect()
}

/// The typed fields an import writes.
fn typed_fields<F: Field>(import: &Import) -> Vec<F> {
    F::ALL
        .iter()
        .copied()
        .filter(|field| import.fields.contains(&field.as_str()))
        .collect()
}

/// `GET /api/imports/:id`.
pub(crate) async fn get_import(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    json(&find_import(&ctx.db, id).await?.info())
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
fn parse_chunk<T: DeserializeOwned>(text: &str) -> AppResult<T> {
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
            return Err(AppError::invalid_rows(
                "invalid_rows",
                format!(
                    "第 {} 行：记录不符合名录格式，未写入任何内容 / row {}: the record does not fit the directory: {err}",
                    row.row, row.row
                ),
                Vec::new(),
            ));
        }
    }
    serde_json::from_str(text)
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
    let text = ctx.text().await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let import = find_import(db, id).await?;
    import.require_staging(session.account_id)?;
    let (first_seq, count, issues, rows_json) = match import.directory {
        DirectoryKind::Objects => {
            let chunk: ObjectChunk = parse_chunk(&text)?;
            let issues = recheck(&chunk.rows, |table| validate_objects(table, None));
            (
                chunk.first_seq,
                chunk.rows.len(),
                issues,
                serde_json::to_string(&chunk.rows),
            )
        }
        DirectoryKind::Inspectors => {
            let chunk: InspectorChunk = parse_chunk(&text)?;
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
        return Err(AppError::invalid_rows(
            "invalid_rows",
            format!("有 {} 处问题，未写入任何内容。{first}", issues.len()),
            issues,
        ));
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
    imports::stage_rows(db, id, first_seq, rows_json).await?;
    let staged = find_import(db, id).await?.staged;
    json(&serde_json::json!({ "staged": staged }))
}

/// Duplicate keys across chunks (each chunk was checked on its own): refused with the rows.
async fn duplicate_keys(db: &D1Database, import: &Import) -> AppResult<Vec<ImportIssue>> {
    let dups = imports::duplicate_keys(db, import.id, import.directory).await?;
    let held = if import.directory == DirectoryKind::Inspectors {
        imports::certificates_held_by_others(db, import.id, 100).await?
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
            let (header, code) = match dup.field {
                KeyField::CreditCode => ("统一社会信用代码", IssueCode::DuplicateKey),
                KeyField::EmployeeNo => ("工号", IssueCode::DuplicateKey),
                KeyField::Certificate => ("执法证号", IssueCode::DuplicateCertificate),
            };
            let first_row = dup.rows.split('、').nth(1).and_then(|r| r.parse().ok());
            ImportIssue {
                row: first_row,
                column: Some(ColumnRef {
                    letter: String::new(),
                    header: header.to_owned(),
                }),
                code,
                message_zh: format!("{} 在第 {} 行重复出现", dup.key, dup.rows),
                message_en: format!(
                    "{} appears on rows {}",
                    dup.key,
                    dup.rows.replace('、', ", ")
                ),
            }
        })
        .chain(held)
        .collect())
}

async fn summary(
    db: &D1Database,
    import: &Import,
    reversals: &[StatusReversal],
) -> AppResult<DiffSummary> {
    let counts = imports::counts(db, import).await?;
    let staged = import.staged.max(0) as u32;
    Ok(DiffSummary {
        new: counts.new,
        changed: counts.changed,
        unchanged: staged.saturating_sub(counts.new + counts.changed),
        missing: counts.missing,
        reversals: reversals.len() as u32,
    })
}

/// The status reversals of an objects import, each staged record laid over the stored one;
/// refused with every row's problem when one lacks the file's date or has an impossible one.
async fn checked_reversals(db: &D1Database, import: &Import) -> AppResult<Vec<StatusReversal>> {
    let found = imports::reversals::<ObjectRow>(db, import).await?;
    if found.len() as i64 > imports::MAX_REVERSALS {
        return Err(AppError::bad_request(
            "too_many_reversals",
            format!(
                "文件要把超过 {} 个停产或注销的对象恢复，多半有误，未写入任何内容 / \
                 more than {} stopped or closed objects would be revived; nothing was written",
                imports::MAX_REVERSALS,
                imports::MAX_REVERSALS
            ),
        ));
    }
    let fields = typed_fields::<ObjectField>(import);
    let reversals: Vec<StatusReversal> = found
        .into_iter()
        .map(|found| StatusReversal {
            row: found.row,
            after: found.after.over(&found.before, &fields),
            before: found.before,
        })
        .collect();
    let issues: Vec<ImportIssue> = reversals
        .iter()
        .filter_map(|r| reversal_issue(r.row, &r.before, &r.after))
        .collect();
    if let Some(first) = issues.first() {
        return Err(AppError::invalid_rows(
            "reversal_needs_date",
            format!(
                "文件把 {} 个对象的停产或注销状态改回，但没有给出有效的生效日期，未写入任何内容。第 {} 行：{}",
                issues.len(),
                first.row.unwrap_or_default(),
                first.message_zh
            ),
            issues,
        ));
    }
    Ok(reversals)
}

/// The samples of each list, in key order, with the fields each changed record changes.
/// Each changed record's `after` is the staged row laid over the stored one, so the fields
/// listed are exactly those the commit changes.
async fn samples<R: DirectoryRow + DeserializeOwned>(
    db: &D1Database,
    import: &Import,
    changed_after: Option<&str>,
) -> AppResult<(Vec<R>, Vec<ChangedSample<R, R::Field>>, Vec<R>)> {
    let samples = imports::samples::<R>(db, import, changed_after).await?;
    let fields = typed_fields::<R::Field>(import);
    let changed = samples
        .changed
        .into_iter()
        .map(|(before, after)| {
            let after = after.over(&before, &fields);
            let diff = diff_directory(std::slice::from_ref(&before), std::slice::from_ref(&after));
            let fields = diff
                .changed
                .into_iter()
                .next()
                .map(|change| change.fields)
                .unwrap_or_default();
            ChangedSample {
                before,
                after,
                fields,
            }
        })
        .collect();
    Ok((samples.new, changed, samples.missing))
}

/// Everything a preview or a commit checks first.
async fn ready(ctx: &Ctx, id: i64) -> AppResult<Import> {
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
        return Err(AppError::invalid_rows(
            "duplicate_key",
            format!("文件中有重复的编号，未写入任何内容。{first}"),
            dups,
        ));
    }
    Ok(import)
}

/// `GET /api/imports/:id/preview`: what a commit would change.
/// `?changed_after=KEY` pages the changed list (the key of the last record shown).
pub(crate) async fn preview_import(ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let import = ready(&ctx, id).await?;
    let db = &ctx.db;
    let reversals = checked_reversals(db, &import).await?;
    let summary = summary(db, &import, &reversals).await?;
    let changed_after = ctx.query("changed_after");
    let changed_after = changed_after.as_deref();
    match import.directory {
        DirectoryKind::Objects => {
            let (new, changed, missing) = samples::<ObjectRow>(db, &import, changed_after).await?;
            json(&ObjectPreview {
                import: import.info(),
                summary,
                new,
                changed,
                missing,
                reversals,
            })
        }
        DirectoryKind::Inspectors => {
            let (new, changed, missing) =
                samples::<InspectorRow>(db, &import, changed_after).await?;
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

/// `POST /api/imports/:id/commit`: every staged row in one transaction, with the audit entry.
/// Body `{"confirm_reversals": bool}` (optional): status reversals need it (409
/// `reversals_unconfirmed` otherwise).
pub(crate) async fn commit_import(mut ctx: Ctx) -> AppResult<Response> {
    let id = ctx.id_param("id")?;
    let text = ctx.text().await?;
    let request: CommitImportRequest = if text.trim().is_empty() {
        CommitImportRequest::default()
    } else {
        serde_json::from_str(&text).map_err(|err| {
            AppError::bad_request(
                "invalid_json",
                format!("请求格式有误 / malformed request: {err}"),
            )
        })?
    };
    let import = ready(&ctx, id).await?;
    let session = ctx.session()?.clone();
    let db = &ctx.db;
    let reversals = checked_reversals(db, &import).await?;
    if !reversals.is_empty() && !request.confirm_reversals {
        return Err(AppError::Conflict {
            code: "reversals_unconfirmed",
            message: format!(
                "文件把 {} 个停产或注销的对象改回，请在预览中逐一核对并确认后再提交 / \
                 {} stopped or closed objects would be revived: confirm them in the preview",
                reversals.len(),
                reversals.len()
            ),
        });
    }
    let summary = summary(db, &import, &reversals).await?;
    let now = now_rfc3339();
    let today = china_today().to_string();
    let statements = imports::commit(
        db,
        &import,
        &CommitBy {
            account_id: session.account_id,
            now: &now,
            today: &today,
        },
    )?;
    let change = Change {
        action: "directory.import.commit",
        target: format!("import:{id}"),
        before_digest: String::new(),
        after_digest: import.file_sha256.clone(),
        detail: format!(
            "导入{} {}：新增 {}，变更 {}，未变 {}，文件中缺少 {} / import committed",
            if import.directory == DirectoryKind::Objects {
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
        .map_err(AppError::into_directory_conflict)?;
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
    let statements = imports::abandon(db, id)?;
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
    let stored = imports::mapping(&ctx.db, directory, session.account_id).await?;
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
    let upsert = imports::save_mapping(
        db,
        request.directory,
        session.account_id,
        &text,
        &now_rfc3339(),
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
