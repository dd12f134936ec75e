//! Imports into the directories (`directory_imports`, their staged rows in
//! `directory_import_rows`) and the remembered column mappings (`column_mappings`). The
//! preview's counts and the commit are set-based statements over the staged rows.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::directory::api::{DirectoryKind, ImportInfo, ImportStatus};
use worker::{D1Database, D1PreparedStatement, query};

use super::inspectors::inspector_record;
use super::objects::object_record;
use super::{Param, bind, vocabulary};
use crate::error::{AppError, AppResult};

/// How many records of each list the preview shows.
pub(crate) const SAMPLES: i64 = 20;

/// An import as stored, with the number of rows staged so far.
pub(crate) struct Import {
    pub id: i64,
    pub directory: DirectoryKind,
    pub file_name: String,
    pub file_sha256: String,
    pub row_count: i64,
    pub status: ImportStatus,
    pub created_by: i64,
    pub staged: i64,
}

impl Import {
    /// The import as the API shows it.
    pub(crate) fn info(&self) -> ImportInfo {
        ImportInfo {
            id: self.id,
            directory: self.directory,
            file_name: self.file_name.clone(),
            file_sha256: self.file_sha256.clone(),
            row_count: self.row_count.max(0) as u32,
            status: self.status,
            staged: self.staged.max(0) as u32,
        }
    }
}

#[derive(Deserialize)]
struct ImportRow {
    id: i64,
    directory: String,
    file_name: String,
    file_sha256: String,
    row_count: i64,
    status: String,
    created_by: i64,
    staged: i64,
}

/// Import `id`.
pub(crate) async fn find(db: &D1Database, id: i64) -> AppResult<Option<Import>> {
    let row: Option<ImportRow> = query!(
        db,
        "SELECT id, directory, file_name, file_sha256, row_count, status, created_by, \
         (SELECT count(*) FROM directory_import_rows r WHERE r.import_id = d.id) AS staged \
         FROM directory_imports d WHERE id = ?1",
        &id
    )?
    .first(None)
    .await?;
    row.map(|row| {
        Ok(Import {
            id: row.id,
            directory: DirectoryKind::from_code(&row.directory).unwrap_or(DirectoryKind::Objects),
            file_name: row.file_name,
            file_sha256: row.file_sha256,
            row_count: row.row_count,
            status: vocabulary("directory_imports.status", &row.status)?,
            created_by: row.created_by,
            staged: row.staged,
        })
    })
    .transpose()
}

/// A new import, staging.
pub(crate) struct NewImport<'a> {
    pub directory: DirectoryKind,
    pub file_name: &'a str,
    pub file_sha256: &'a str,
    pub row_count: u32,
    pub created_at: &'a str,
    pub created_by: i64,
}

pub(crate) fn insert(db: &D1Database, import: &NewImport<'_>) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO directory_imports (directory, file_name, file_sha256, row_count, created_at, created_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &import.directory.code(),
        &import.file_name,
        &import.file_sha256,
        &import.row_count,
        &import.created_at,
        &import.created_by
    )?)
}

/// The id of the import `account_id` started last.
pub(crate) async fn latest_id_of(db: &D1Database, account_id: i64) -> AppResult<Option<i64>> {
    Ok(query!(
        db,
        "SELECT id FROM directory_imports WHERE created_by = ?1 ORDER BY id DESC LIMIT 1",
        &account_id
    )?
    .first(Some("id"))
    .await?)
}

/// Stages a chunk: `rows_json` is a JSON array of `{row, record}`, the first at `first_seq`.
/// One statement and one parameter for the whole chunk (D1 allows 100 bound parameters); a
/// re-sent chunk replaces its rows.
pub(crate) async fn stage_rows(
    db: &D1Database,
    id: i64,
    first_seq: u32,
    rows_json: String,
) -> AppResult<()> {
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
    Ok(())
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

/// Which key a duplicate is of.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyField {
    CreditCode,
    EmployeeNo,
    Certificate,
}

/// A key that occurs on several staged rows.
pub(crate) struct DuplicateKey {
    pub key: String,
    /// The rows' spreadsheet numbers, joined by `、`.
    pub rows: String,
    pub field: KeyField,
}

/// Keys that occur on several staged rows (each chunk was checked on its own), at most 100.
pub(crate) async fn duplicate_keys(
    db: &D1Database,
    id: i64,
    directory: DirectoryKind,
) -> AppResult<Vec<DuplicateKey>> {
    #[derive(Deserialize)]
    struct Dup {
        k: String,
        rows: String,
        field: String,
    }
    let kind = kind_of(directory);
    let mut sql = format!(
        "SELECT k, group_concat(source_row, '、') AS rows, '{key}' AS field FROM \
         (SELECT row_json ->> '$.{key}' AS k, source_row FROM directory_import_rows WHERE import_id = ?1 ORDER BY seq) \
         GROUP BY k HAVING count(*) > 1",
        key = kind.key
    );
    if directory == DirectoryKind::Inspectors {
        sql.push_str(
            " UNION ALL SELECT k, group_concat(source_row, '、'), 'certificate' FROM \
             (SELECT row_json ->> '$.certificate' AS k, source_row FROM directory_import_rows \
              WHERE import_id = ?1 AND row_json ->> '$.certificate' IS NOT NULL ORDER BY seq) \
             GROUP BY k HAVING count(*) > 1",
        );
    }
    sql.push_str(" LIMIT 100");
    let dups: Vec<Dup> = bind(db, &sql, &[Param::Int(id)])?.all().await?.results()?;
    Ok(dups
        .into_iter()
        .map(|dup| DuplicateKey {
            field: match dup.field.as_str() {
                "credit_code" => KeyField::CreditCode,
                "employee_no" => KeyField::EmployeeNo,
                _ => KeyField::Certificate,
            },
            key: dup.k,
            rows: dup.rows,
        })
        .collect())
}

/// A staged inspector row whose enforcement certificate number already belongs to another
/// inspector (another employee number) in the directory: the commit would fail on the unique
/// index without a row number, so the preview finds it with the row.
#[derive(Deserialize)]
pub(crate) struct CertificateHeld {
    /// The certificate number.
    pub certificate: String,
    /// The row of the file, as the spreadsheet shows it.
    pub source_row: u32,
    /// The employee number the row is for.
    pub employee_no: String,
    /// The employee number of the inspector who holds the certificate now.
    pub holder: String,
}

/// At most `limit` such rows of import `id`, in file order.
pub(crate) async fn certificates_held_by_others(
    db: &D1Database,
    id: i64,
    limit: i64,
) -> AppResult<Vec<CertificateHeld>> {
    Ok(query!(
        db,
        "SELECT r.row_json ->> '$.certificate' AS certificate, r.source_row AS source_row,
                r.row_json ->> '$.employee_no' AS employee_no, x.employee_no AS holder
           FROM directory_import_rows r
           JOIN inspectors x ON x.certificate = r.row_json ->> '$.certificate'
          WHERE r.import_id = ?1 AND x.employee_no IS NOT r.row_json ->> '$.employee_no'
          ORDER BY r.seq LIMIT ?2",
        &id,
        &limit
    )?
    .all()
    .await?
    .results()?)
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

async fn count(db: &D1Database, sql: &str, id: i64) -> AppResult<u32> {
    let row: Option<Count> = bind(db, sql, &[Param::Int(id)])?.first(None).await?;
    Ok(row.map_or(0, |row| row.n.max(0) as u32))
}

/// How many staged rows are new, how many change a stored record, and how many stored
/// records the file lacks.
pub(crate) struct Counts {
    pub new: u32,
    pub changed: u32,
    pub missing: u32,
}

pub(crate) async fn counts(
    db: &D1Database,
    id: i64,
    directory: DirectoryKind,
) -> AppResult<Counts> {
    let kind = kind_of(directory);
    let key = kind.key;
    let table = kind.table;
    let column = kind.key_column;
    let new = count(
        db,
        &format!(
            "SELECT count(*) AS n FROM directory_import_rows r WHERE r.import_id = ?1 AND \
             NOT EXISTS (SELECT 1 FROM {table} x WHERE x.{column} = r.row_json ->> '$.{key}')"
        ),
        id,
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
        id,
    )
    .await?;
    let missing = count(
        db,
        &format!(
            "SELECT count(*) AS n FROM {table} x WHERE x.{column} NOT IN \
             (SELECT row_json ->> '$.{key}' FROM directory_import_rows WHERE import_id = ?1)"
        ),
        id,
    )
    .await?;
    Ok(Counts {
        new,
        changed,
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

fn parse<R: DeserializeOwned>(text: &str) -> AppResult<R> {
    serde_json::from_str(text).map_err(|err| AppError::Internal(err.to_string()))
}

async fn records<R: DeserializeOwned>(db: &D1Database, sql: &str, id: i64) -> AppResult<Vec<R>> {
    let rows: Vec<Json> = bind(db, sql, &[Param::Int(id)])?.all().await?.results()?;
    rows.iter().map(|row| parse(&row.j)).collect()
}

/// The first [`SAMPLES`] records of each list, in key order: new rows, changed records
/// (stored, staged), and stored records the file lacks. `R` is the directory's row type
/// (inspectors with phone numbers).
pub(crate) struct Samples<R> {
    pub new: Vec<R>,
    pub changed: Vec<(R, R)>,
    pub missing: Vec<R>,
}

pub(crate) async fn samples<R: DeserializeOwned>(
    db: &D1Database,
    id: i64,
    directory: DirectoryKind,
) -> AppResult<Samples<R>> {
    let record_sql = match directory {
        DirectoryKind::Objects => object_record("x"),
        DirectoryKind::Inspectors => inspector_record("x", true),
    };
    let kind = kind_of(directory);
    let (key, table, column) = (kind.key, kind.table, kind.key_column);
    let new = records(
        db,
        &format!(
            "SELECT row_json AS j FROM directory_import_rows r WHERE r.import_id = ?1 AND \
             NOT EXISTS (SELECT 1 FROM {table} x WHERE x.{column} = r.row_json ->> '$.{key}') \
             ORDER BY r.row_json ->> '$.{key}' LIMIT {SAMPLES}"
        ),
        id,
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
        &[Param::Int(id)],
    )?
    .all()
    .await?
    .results()?;
    let changed = pairs
        .iter()
        .map(|pair| Ok((parse(&pair.before)?, parse(&pair.after)?)))
        .collect::<AppResult<Vec<_>>>()?;
    let missing = records(
        db,
        &format!(
            "SELECT {record_sql} AS j FROM {table} x WHERE x.{column} NOT IN \
             (SELECT row_json ->> '$.{key}' FROM directory_import_rows WHERE import_id = ?1) \
             ORDER BY x.{column} LIMIT {SAMPLES}"
        ),
        id,
    )
    .await?;
    Ok(Samples {
        new,
        changed,
        missing,
    })
}

/// Who commits and when.
pub(crate) struct CommitBy<'a> {
    pub account_id: i64,
    /// RFC 3339.
    pub now: &'a str,
    /// `YYYY-MM-DD`: the day a status change takes effect when the file gives none.
    pub today: &'a str,
}

/// The parameters every commit statement binds: ?1 import id, ?2 now, ?3 today, ?4 account.
fn commit_params(id: i64, by: &CommitBy<'_>) -> Vec<Param> {
    vec![
        Param::Int(id),
        Param::Text(by.now.to_owned()),
        Param::Text(by.today.to_owned()),
        Param::Int(by.account_id),
    ]
}

/// Every statement of committing import `id`: the directory's writes with their status
/// history, then the import marked committed and its staged rows dropped. For one batch with
/// the audit entry.
pub(crate) fn commit(
    db: &D1Database,
    id: i64,
    directory: DirectoryKind,
    by: &CommitBy<'_>,
) -> AppResult<Vec<D1PreparedStatement>> {
    let mut statements = match directory {
        DirectoryKind::Objects => commit_objects(db, id, by)?,
        DirectoryKind::Inspectors => commit_inspectors(db, id, by)?,
    };
    statements.push(query!(
        db,
        "UPDATE directory_imports SET status = 'committed', committed_at = ?2 WHERE id = ?1 AND status = 'staging'",
        &id,
        &by.now
    )?);
    statements.push(delete_rows(db, id)?);
    Ok(statements)
}

fn commit_objects(
    db: &D1Database,
    id: i64,
    by: &CommitBy<'_>,
) -> AppResult<Vec<D1PreparedStatement>> {
    let params = || commit_params(id, by);
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
            &[Param::Int(id), Param::Text(by.now.to_owned())],
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
    by: &CommitBy<'_>,
) -> AppResult<Vec<D1PreparedStatement>> {
    let params = || commit_params(id, by);
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
            &[Param::Int(id), Param::Text(by.now.to_owned())],
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

fn delete_rows(db: &D1Database, id: i64) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "DELETE FROM directory_import_rows WHERE import_id = ?1",
        &id
    )?)
}

/// The statements that abandon a staging import and drop its rows.
pub(crate) fn abandon(db: &D1Database, id: i64) -> AppResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        query!(
            db,
            "UPDATE directory_imports SET status = 'abandoned' WHERE id = ?1 AND status = 'staging'",
            &id
        )?,
        delete_rows(db, id)?,
    ])
}

/// The column mapping `account_id` saved for `directory`, else the bureau-wide one (JSON).
pub(crate) async fn mapping(
    db: &D1Database,
    directory: DirectoryKind,
    account_id: i64,
) -> AppResult<Option<String>> {
    Ok(query!(
        db,
        "SELECT mapping_json FROM column_mappings WHERE directory = ?1 AND (account_id = ?2 OR account_id IS NULL) \
         ORDER BY account_id IS NULL LIMIT 1",
        &directory.code(),
        &account_id
    )?
    .first(Some("mapping_json"))
    .await?)
}

/// Remembers `account_id`'s mapping for `directory`.
pub(crate) fn save_mapping(
    db: &D1Database,
    directory: DirectoryKind,
    account_id: i64,
    mapping_json: &str,
    now: &str,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO column_mappings (directory, account_id, mapping_json, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (directory, account_id) WHERE account_id IS NOT NULL \
         DO UPDATE SET mapping_json = excluded.mapping_json, updated_at = excluded.updated_at",
        &directory.code(),
        &account_id,
        &mapping_json,
        &now
    )?)
}
