//! Imports into the directories (`directory_imports`, their staged rows in
//! `directory_import_rows`) and the remembered column mappings (`column_mappings`). The
//! preview's counts and the commit are set-based statements over the staged rows.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use shared::directory::api::{DirectoryKind, ImportInfo, ImportStatus};
use shared::directory::{Field, InspectorField, ObjectField};
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
    /// The fields the file has a column for, which the commit writes (the key among them).
    pub fields: Vec<&'static str>,
}

/// Every field of a directory, in its [`Field::ALL`] order.
pub(crate) fn all_fields(directory: DirectoryKind) -> Vec<&'static str> {
    match directory {
        DirectoryKind::Objects => ObjectField::ALL.iter().map(|f| f.as_str()).collect(),
        DirectoryKind::Inspectors => InspectorField::ALL.iter().map(|f| f.as_str()).collect(),
    }
}

/// The directory's own spelling of each of `codes`, in field order; `Err` names the first code
/// that is not one of its fields. The key is always included.
pub(crate) fn known_fields(
    directory: DirectoryKind,
    codes: &[String],
) -> Result<Vec<&'static str>, String> {
    if let Some(unknown) = codes
        .iter()
        .find(|code| !all_fields(directory).contains(&code.as_str()))
    {
        return Err(unknown.clone());
    }
    let key = kind_of(directory).key;
    Ok(all_fields(directory)
        .into_iter()
        .filter(|field| *field == key || codes.iter().any(|code| code == field))
        .collect())
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
            fields: self.fields.iter().map(|f| (*f).to_owned()).collect(),
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
    fields_json: Option<String>,
}

/// Import `id`.
pub(crate) async fn find(db: &D1Database, id: i64) -> AppResult<Option<Import>> {
    let row: Option<ImportRow> = query!(
        db,
        "SELECT id, directory, file_name, file_sha256, row_count, status, created_by, fields_json, \
         (SELECT count(*) FROM directory_import_rows r WHERE r.import_id = d.id) AS staged \
         FROM directory_imports d WHERE id = ?1",
        &id
    )?
    .first(None)
    .await?;
    row.map(|row| {
        let directory = DirectoryKind::from_code(&row.directory).unwrap_or(DirectoryKind::Objects);
        let fields = match &row.fields_json {
            None => all_fields(directory),
            Some(text) => {
                let codes: Vec<String> = parse(text)?;
                known_fields(directory, &codes).map_err(|unknown| {
                    AppError::Internal(format!(
                        "import {} stores the unknown field {unknown}",
                        row.id
                    ))
                })?
            }
        };
        Ok(Import {
            id: row.id,
            directory,
            fields,
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
    /// From [`known_fields`].
    pub fields: &'a [&'static str],
}

pub(crate) fn insert(db: &D1Database, import: &NewImport<'_>) -> AppResult<D1PreparedStatement> {
    let fields_json =
        serde_json::to_string(import.fields).map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(query!(
        db,
        "INSERT INTO directory_imports (directory, file_name, file_sha256, row_count, created_at, created_by, fields_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &import.directory.code(),
        &import.file_name,
        &import.file_sha256,
        &import.row_count,
        &import.created_at,
        &import.created_by,
        &fields_json
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

/// The key and the table of each directory.
struct Kind {
    key: &'static str,
    table: &'static str,
    key_column: &'static str,
}

const OBJECTS: Kind = Kind {
    key: "credit_code",
    table: "objects",
    key_column: "credit_code",
};

const INSPECTORS: Kind = Kind {
    key: "employee_no",
    table: "inspectors",
    key_column: "employee_no",
};

/// The stored columns of `fields` that an upsert compares and sets: every field but the key
/// and the inspectors' specialties (a table of their own). A field's code is its column's
/// name and its key in the staged JSON; the codes come from [`known_fields`], never from a
/// request's text.
fn plain_columns(directory: DirectoryKind, fields: &[&'static str]) -> Vec<&'static str> {
    let key = kind_of(directory).key;
    fields
        .iter()
        .copied()
        .filter(|field| *field != key && *field != "specialties")
        .collect()
}

/// True when the staged row `j` (JSON text) differs from the stored row `x` in a field the
/// import writes.
fn differs(directory: DirectoryKind, fields: &[&'static str]) -> String {
    let columns = plain_columns(directory, fields);
    let stored: Vec<String> = columns.iter().map(|c| format!("x.{c}")).collect();
    let staged: Vec<String> = columns.iter().map(|c| format!("j ->> '$.{c}'")).collect();
    let mut sql = format!("(({}) IS NOT ({})", stored.join(", "), staged.join(", "));
    if directory == DirectoryKind::Inspectors && fields.contains(&"specialties") {
        sql.push_str(
            " OR (SELECT json_group_array(specialty) FROM (SELECT specialty \
             FROM inspector_specialties s WHERE s.inspector_id = x.id ORDER BY specialty)) \
             IS NOT json(j -> '$.specialties')",
        );
    }
    sql.push(')');
    sql
}

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

pub(crate) async fn counts(db: &D1Database, import: &Import) -> AppResult<Counts> {
    let (id, directory) = (import.id, import.directory);
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
            differs(directory, &import.fields)
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

/// `changed_after` pages the changed list: only records whose key sorts after it.
pub(crate) async fn samples<R: DeserializeOwned>(
    db: &D1Database,
    import: &Import,
    changed_after: Option<&str>,
) -> AppResult<Samples<R>> {
    let (id, directory) = (import.id, import.directory);
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
             WHERE {} AND k > ?2 ORDER BY k LIMIT {SAMPLES}",
            differs(directory, &import.fields)
        ),
        &[
            Param::Int(id),
            Param::Text(changed_after.unwrap_or_default().to_owned()),
        ],
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

/// A staged objects row that reverses a stored status (停产 → 在产, 注销 → anything): its
/// spreadsheet row, the stored record and the staged one.
pub(crate) struct Reversal<R> {
    pub row: u32,
    pub before: R,
    pub after: R,
}

/// Most reversals one preview lists; a file with more is refused as most likely wrong.
pub(crate) const MAX_REVERSALS: i64 = 1000;

/// The staged rows of an objects import that reverse a stored status, in row order (at most
/// [`MAX_REVERSALS`] + 1, so a caller sees there are too many). None when the file has no
/// status column.
pub(crate) async fn reversals<R: DeserializeOwned>(
    db: &D1Database,
    import: &Import,
) -> AppResult<Vec<Reversal<R>>> {
    if import.directory != DirectoryKind::Objects || !import.fields.contains(&"status") {
        return Ok(Vec::new());
    }
    #[derive(Deserialize)]
    struct Found {
        row: i64,
        before: String,
        after: String,
    }
    let found: Vec<Found> = bind(
        db,
        &format!(
            "SELECT r.source_row AS row, {} AS before, r.row_json AS after FROM directory_import_rows r \
             JOIN objects x ON x.credit_code = r.row_json ->> '$.credit_code' \
             WHERE r.import_id = ?1 AND ((x.status = 'suspended' AND r.row_json ->> '$.status' = 'active') \
                OR (x.status = 'closed' AND r.row_json ->> '$.status' <> 'closed')) \
             ORDER BY r.source_row LIMIT {}",
            object_record("x"),
            MAX_REVERSALS + 1
        ),
        &[Param::Int(import.id)],
    )?
    .all()
    .await?
    .results()?;
    found
        .iter()
        .map(|found| {
            Ok(Reversal {
                row: found.row.max(0) as u32,
                before: parse(&found.before)?,
                after: parse(&found.after)?,
            })
        })
        .collect()
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
    import: &Import,
    by: &CommitBy<'_>,
) -> AppResult<Vec<D1PreparedStatement>> {
    let id = import.id;
    let mut statements = match import.directory {
        DirectoryKind::Objects => commit_objects(db, import, by)?,
        DirectoryKind::Inspectors => commit_inspectors(db, import, by)?,
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

/// The upsert of the staged rows into `table`: a new record gets every column of its staged
/// row; a stored one only the columns of `fields`, and only when one of them differs (so
/// `version` moves only on a real change). `columns` lists every stored column the staged JSON
/// carries, in insert order; the key comes first.
fn upsert(table: &str, columns: &[&str], set: &[&'static str]) -> String {
    let names = columns.join(", ");
    let values: Vec<String> = columns.iter().map(|c| format!("j ->> '$.{c}'")).collect();
    let assignments: Vec<String> = set.iter().map(|c| format!("{c} = excluded.{c}")).collect();
    let stored = set.join(", ");
    let excluded: Vec<String> = set.iter().map(|c| format!("excluded.{c}")).collect();
    format!(
        "INSERT INTO {table} ({names}, created_at, updated_at) \
         SELECT {}, ?2, ?2 \
         FROM (SELECT row_json AS j FROM directory_import_rows WHERE import_id = ?1 ORDER BY seq) WHERE true \
         ON CONFLICT ({key}) DO UPDATE SET {}, version = version + 1, updated_at = excluded.updated_at \
         WHERE ({stored}) IS NOT ({})",
        values.join(", "),
        assignments.join(", "),
        excluded.join(", "),
        key = columns[0],
    )
}

/// Every stored column of the objects' staged JSON, the key first.
const OBJECT_COLUMNS: &[&str] = &[
    "credit_code",
    "name",
    "category",
    "region",
    "industry",
    "address",
    "construction_status",
    "discharge_type",
    "permit_class",
    "production_scale",
    "production_cycle",
    "monitoring_type",
    "weather_grade",
    "status",
    "status_since",
];

/// Every stored column of the inspectors' staged JSON, the key first.
const INSPECTOR_COLUMNS: &[&str] = &[
    "employee_no",
    "name",
    "certificate",
    "region",
    "years_of_service",
    "department",
    "post",
    "phone",
    "active",
];

fn commit_objects(
    db: &D1Database,
    import: &Import,
    by: &CommitBy<'_>,
) -> AppResult<Vec<D1PreparedStatement>> {
    let id = import.id;
    let params = || commit_params(id, by);
    let set = plain_columns(DirectoryKind::Objects, &import.fields);
    let mut statements = Vec::new();
    if set.contains(&"status") {
        // A reversal always carries the file's date (checked before the commit); ?3, the day
        // of the import, only dates a change whose row gives none.
        statements.push(bind(
            db,
            "INSERT INTO object_status_changes (object_id, from_status, to_status, effective_date, reason, recorded_at, recorded_by, import_id) \
             SELECT o.id, o.status, r.row_json ->> '$.status', coalesce(r.row_json ->> '$.status_since', ?3), '导入', ?2, ?4, ?1 \
             FROM directory_import_rows r JOIN objects o ON o.credit_code = r.row_json ->> '$.credit_code' \
             WHERE r.import_id = ?1 AND o.status <> r.row_json ->> '$.status'",
            &params(),
        )?);
    }
    statements.push(bind(
        db,
        &upsert("objects", OBJECT_COLUMNS, &set),
        &[Param::Int(id), Param::Text(by.now.to_owned())],
    )?);
    statements.push(bind(
        db,
        "INSERT INTO object_status_changes (object_id, from_status, to_status, effective_date, reason, recorded_at, recorded_by, import_id) \
         SELECT o.id, NULL, o.status, coalesce(o.status_since, ?3), '导入（新增）', ?2, ?4, ?1 \
         FROM directory_import_rows r JOIN objects o ON o.credit_code = r.row_json ->> '$.credit_code' \
         WHERE r.import_id = ?1 AND NOT EXISTS (SELECT 1 FROM object_status_changes c WHERE c.object_id = o.id)",
        &params(),
    )?);
    Ok(statements)
}

fn commit_inspectors(
    db: &D1Database,
    import: &Import,
    by: &CommitBy<'_>,
) -> AppResult<Vec<D1PreparedStatement>> {
    let id = import.id;
    let params = || commit_params(id, by);
    let set = plain_columns(DirectoryKind::Inspectors, &import.fields);
    let mut statements = Vec::new();
    if set.contains(&"active") {
        statements.push(bind(
            db,
            "INSERT INTO inspector_status_changes (inspector_id, active, effective_date, reason, recorded_at, recorded_by) \
             SELECT i.id, r.row_json ->> '$.active', ?3, '导入', ?2, ?4 \
             FROM directory_import_rows r JOIN inspectors i ON i.employee_no = r.row_json ->> '$.employee_no' \
             WHERE r.import_id = ?1 AND i.active <> r.row_json ->> '$.active'",
            &params(),
        )?);
    }
    statements.push(bind(
        db,
        &upsert("inspectors", INSPECTOR_COLUMNS, &set),
        &[Param::Int(id), Param::Text(by.now.to_owned())],
    )?);
    // Specialties are replaced from the file only when it has the column.
    if import.fields.contains(&"specialties") {
        statements.push(bind(
            db,
            "DELETE FROM inspector_specialties WHERE inspector_id IN (SELECT i.id FROM directory_import_rows r \
             JOIN inspectors i ON i.employee_no = r.row_json ->> '$.employee_no' WHERE r.import_id = ?1)",
            &[Param::Int(id)],
        )?);
        statements.push(bind(
            db,
            "INSERT INTO inspector_specialties (inspector_id, specialty) \
             SELECT DISTINCT i.id, s.value FROM directory_import_rows r \
             JOIN inspectors i ON i.employee_no = r.row_json ->> '$.employee_no', json_each(r.row_json, '$.specialties') s \
             WHERE r.import_id = ?1",
            &[Param::Int(id)],
        )?);
    }
    Ok(statements)
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
