//! Inspection objects (`objects`, `object_tags`, `object_status_changes`,
//! `object_yearly_counts`) and the conflicts of interest declared on them
//! (`conflicts_of_interest`); the directory's filter facets.

use serde::Deserialize;
use shared::directory::ObjectRow;
use shared::directory::api::{ConflictOfInterest, Facets, ObjectItem, StatusChange, YearCounts};
use shared::draw::ObjectStatus;
use worker::{D1Database, D1PreparedStatement, query};

use super::{Param, Where, bind, keyset_page, vocabulary, vocabulary_code};
use crate::error::{AppError, AppResult};

/// An object's directory record as JSON, in the field order of `ObjectRow` (`o` is `objects`).
pub(crate) const OBJECT_RECORD: &str = "json_object('name', o.name, 'credit_code', o.credit_code, \
    'category', o.category, 'region', o.region, 'industry', o.industry, 'address', o.address, \
    'construction_status', o.construction_status, 'discharge_type', o.discharge_type, \
    'permit_class', o.permit_class, 'production_scale', o.production_scale, \
    'production_cycle', o.production_cycle, 'monitoring_type', o.monitoring_type, \
    'weather_grade', o.weather_grade, 'status', o.status, 'status_since', o.status_since)";

/// [`OBJECT_RECORD`] over the alias `alias`.
pub(crate) fn object_record(alias: &str) -> String {
    OBJECT_RECORD.replace("o.", &format!("{alias}."))
}

/// One stored record with its id, version and a year's counts, as JSON text.
#[derive(Deserialize)]
pub(super) struct ItemRow {
    pub id: i64,
    pub version: i64,
    pub record: String,
    pub random: Option<i64>,
    pub targeted: Option<i64>,
}

impl ItemRow {
    pub(super) fn counts(&self, year: i64) -> YearCounts {
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
}

fn object_select() -> String {
    format!(
        "SELECT x.id, x.version, {} AS record, c.random, c.targeted FROM objects x \
         LEFT JOIN object_yearly_counts c ON c.object_id = x.id AND c.year = ?1",
        object_record("x")
    )
}

/// What a list of objects is filtered by; every field is optional and they are ANDed.
#[derive(Default)]
pub(crate) struct ObjectFilter {
    pub category: Option<String>,
    pub region: Option<String>,
    pub industry: Option<String>,
    pub status: Option<String>,
    pub weather_grade: Option<String>,
    pub discharge_type: Option<String>,
    pub construction_status: Option<String>,
    pub monitoring_type: Option<String>,
    pub tag: Option<String>,
    /// A permit class, or `none` for objects without a permit.
    pub permit_class: Option<String>,
    /// A part of the name, or the beginning of the credit code.
    pub q: Option<String>,
}

impl ObjectFilter {
    fn into_where(self) -> Where {
        let mut filter = Where::new();
        for (value, fragment) in [
            (self.category, "x.category = $$"),
            (self.region, "x.region = $$"),
            (self.industry, "x.industry = $$"),
            (self.status, "x.status = $$"),
            (self.weather_grade, "x.weather_grade = $$"),
            (self.discharge_type, "x.discharge_type = $$"),
            (self.construction_status, "x.construction_status = $$"),
            (self.monitoring_type, "x.monitoring_type = $$"),
        ] {
            if let Some(value) = value {
                filter.add(fragment, vec![Param::Text(value)]);
            }
        }
        if let Some(value) = self.tag {
            filter.add(
                "x.id IN (SELECT object_id FROM object_tags WHERE tag = $$)",
                vec![Param::Text(value)],
            );
        }
        if let Some(value) = self.permit_class {
            if value == "none" {
                filter.add("x.permit_class IS NULL", vec![]);
            } else {
                filter.add("x.permit_class = $$", vec![Param::Text(value)]);
            }
        }
        if let Some(q) = self.q {
            let q = q.trim().to_owned();
            // Only a text of letters and digits can be the start of a credit code (upper case).
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
        filter
    }
}

/// A page of objects matching `filter` in `(name, id)` order after `after`, with `year`'s
/// counts: at most `limit + 1` items (one more tells there is a next page), and how many
/// match in all.
pub(crate) async fn page(
    db: &D1Database,
    filter: ObjectFilter,
    year: i64,
    limit: i64,
    after: Option<(String, i64)>,
) -> AppResult<(Vec<ObjectItem>, i64)> {
    let (rows, total) = keyset_page(
        db,
        &object_select(),
        "objects x",
        filter.into_where(),
        year,
        limit,
        after,
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|row| row.into_object(year))
        .collect::<AppResult<Vec<_>>>()?;
    Ok((items, total))
}

/// Object `id` with `year`'s counts.
pub(crate) async fn find(db: &D1Database, id: i64, year: i64) -> AppResult<Option<ObjectItem>> {
    let row: Option<ItemRow> = bind(
        db,
        &format!("{} WHERE x.id = ?2", object_select()),
        &[Param::Int(year), Param::Int(id)],
    )?
    .first(None)
    .await?;
    row.map(|row| row.into_object(year)).transpose()
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

/// The status history of object `id`, oldest first.
pub(crate) async fn status_history(db: &D1Database, id: i64) -> AppResult<Vec<StatusChange>> {
    let rows: Vec<HistoryRow> = query!(
        db,
        "SELECT h.id, h.from_status, h.to_status, h.effective_date, h.reason, h.recorded_at, \
         a.display_name AS recorded_by, h.import_id FROM object_status_changes h \
         LEFT JOIN accounts a ON a.id = h.recorded_by WHERE h.object_id = ?1 ORDER BY h.id",
        &id
    )?
    .all()
    .await?
    .results()?;
    rows.into_iter()
        .map(|row| {
            Ok(StatusChange {
                id: row.id,
                from_status: row
                    .from_status
                    .as_deref()
                    .map(|status| vocabulary("from_status", status))
                    .transpose()?,
                to_status: vocabulary("to_status", &row.to_status)?,
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
        .collect()
}

/// The free labels of object `id`, sorted.
pub(crate) async fn tags(db: &D1Database, id: i64) -> AppResult<Vec<String>> {
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
    Ok(tags.into_iter().map(|t| t.tag).collect())
}

/// Replaces the labels of object `id` by `tags_json` (a JSON array of texts).
pub(crate) fn replace_tags(
    db: &D1Database,
    id: i64,
    tags_json: &str,
) -> AppResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        bind(
            db,
            "DELETE FROM object_tags WHERE object_id = ?1",
            &[Param::Int(id)],
        )?,
        bind(
            db,
            "INSERT INTO object_tags (object_id, tag) SELECT ?1, value FROM json_each(?2)",
            &[Param::Int(id), Param::Text(tags_json.to_owned())],
        )?,
    ])
}

/// Sets every field of object `id` but the status from `record_json` (an `ObjectRow`).
pub(crate) fn update(
    db: &D1Database,
    id: i64,
    record_json: &str,
    now: &str,
) -> AppResult<D1PreparedStatement> {
    bind(
        db,
        "UPDATE objects SET name = j ->> '$.name', credit_code = j ->> '$.credit_code', \
         category = j ->> '$.category', region = j ->> '$.region', industry = j ->> '$.industry', \
         address = j ->> '$.address', construction_status = j ->> '$.construction_status', \
         discharge_type = j ->> '$.discharge_type', permit_class = j ->> '$.permit_class', \
         production_scale = j ->> '$.production_scale', production_cycle = j ->> '$.production_cycle', \
         monitoring_type = j ->> '$.monitoring_type', weather_grade = j ->> '$.weather_grade', \
         version = version + 1, updated_at = ?3 \
         FROM (SELECT json(?2) AS j) WHERE id = ?1",
        &[
            Param::Int(id),
            Param::Text(record_json.to_owned()),
            Param::Text(now.to_owned()),
        ],
    )
}

/// A status change of object `id`: the history row (from the status it has now) and the
/// update, in this order.
pub(crate) struct NewStatus<'a> {
    pub status: ObjectStatus,
    /// `YYYY-MM-DD`.
    pub effective_date: &'a str,
    pub reason: &'a str,
    pub recorded_at: &'a str,
    pub recorded_by: i64,
}

pub(crate) fn change_status(
    db: &D1Database,
    id: i64,
    change: &NewStatus<'_>,
) -> AppResult<Vec<D1PreparedStatement>> {
    let status = vocabulary_code(&change.status)?;
    Ok(vec![
        bind(
            db,
            "INSERT INTO object_status_changes (object_id, from_status, to_status, effective_date, reason, recorded_at, recorded_by) \
             SELECT id, status, ?2, ?3, ?4, ?5, ?6 FROM objects WHERE id = ?1",
            &[
                Param::Int(id),
                Param::Text(status.clone()),
                Param::Text(change.effective_date.to_owned()),
                Param::Text(change.reason.to_owned()),
                Param::Text(change.recorded_at.to_owned()),
                Param::Int(change.recorded_by),
            ],
        )?,
        bind(
            db,
            "UPDATE objects SET status = ?2, status_since = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1",
            &[
                Param::Int(id),
                Param::Text(status),
                Param::Text(change.effective_date.to_owned()),
                Param::Text(change.recorded_at.to_owned()),
            ],
        )?,
    ])
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

/// The declared conflict between object `object_id` and inspector `inspector_id`.
pub(crate) async fn conflict(
    db: &D1Database,
    object_id: i64,
    inspector_id: i64,
) -> AppResult<Option<ConflictOfInterest>> {
    let row: Option<ConflictRow> = query!(
        db,
        &format!("{CONFLICT_SELECT} WHERE k.object_id = ?1 AND k.inspector_id = ?2"),
        &object_id,
        &inspector_id
    )?
    .first(None)
    .await?;
    Ok(row.map(Into::into))
}

/// The conflicts declared on object `id`, by inspector name.
pub(crate) async fn conflicts_of_object(
    db: &D1Database,
    id: i64,
) -> AppResult<Vec<ConflictOfInterest>> {
    let rows: Vec<ConflictRow> = query!(
        db,
        &format!("{CONFLICT_SELECT} WHERE k.object_id = ?1 ORDER BY i.name, i.id"),
        &id
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The conflicts declared for inspector `id`, by object name.
pub(crate) async fn conflicts_of_inspector(
    db: &D1Database,
    id: i64,
) -> AppResult<Vec<ConflictOfInterest>> {
    let rows: Vec<ConflictRow> = query!(
        db,
        &format!("{CONFLICT_SELECT} WHERE k.inspector_id = ?1 ORDER BY o.name, o.id"),
        &id
    )?
    .all()
    .await?
    .results()?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Whether a conflict between object `object_id` and inspector `inspector_id` is declared
/// (without reading the names).
pub(crate) async fn conflict_exists(
    db: &D1Database,
    object_id: i64,
    inspector_id: i64,
) -> AppResult<bool> {
    let exists: Option<serde_json::Value> = query!(
        db,
        "SELECT 1 AS one FROM conflicts_of_interest WHERE inspector_id = ?1 AND object_id = ?2",
        &inspector_id,
        &object_id
    )?
    .first(None)
    .await?;
    Ok(exists.is_some())
}

/// Declares a conflict of interest.
pub(crate) fn insert_conflict(
    db: &D1Database,
    object_id: i64,
    inspector_id: i64,
    reason: &str,
    declared_at: &str,
    declared_by: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO conflicts_of_interest (inspector_id, object_id, reason, declared_at, declared_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        &inspector_id,
        &object_id,
        &reason,
        &declared_at,
        &declared_by
    )?)
}

/// Ends a declared conflict of interest.
pub(crate) fn delete_conflict(
    db: &D1Database,
    object_id: i64,
    inspector_id: i64,
) -> AppResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "DELETE FROM conflicts_of_interest WHERE object_id = ?1 AND inspector_id = ?2",
        &object_id,
        &inspector_id
    )?)
}

/// The values in use in both directories, for the filter menus.
pub(crate) async fn facets(db: &D1Database) -> AppResult<Facets> {
    #[derive(Deserialize)]
    struct Value {
        value: String,
    }
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
    Ok(Facets {
        regions: lists.next().unwrap_or_default(),
        industries: lists.next().unwrap_or_default(),
        discharge_types: lists.next().unwrap_or_default(),
        departments: lists.next().unwrap_or_default(),
        tags: lists.next().unwrap_or_default(),
    })
}

/// The number of active objects of category key or special (the denominator of the
/// key-object coverage rate).
pub(crate) async fn active_key_special_count(db: &D1Database) -> AppResult<u64> {
    #[derive(Deserialize)]
    struct CountRow {
        n: i64,
    }
    // `+status`: not the status index (most objects are active), but a covering scan of the
    // key and special part of objects_by_category_region.
    Ok(db
        .prepare(
            "SELECT count(*) AS n FROM objects \
              WHERE category IN ('key', 'special') AND +status = 'active'",
        )
        .first::<CountRow>(None)
        .await?
        .map_or(0, |row| row.n.max(0) as u64))
}

/// A new object from `record_json` (an `ObjectRow`), with the first row of its status history
/// (reason 新建, effective on its `status_since` or else `today`).
pub(crate) fn insert(
    db: &D1Database,
    record_json: &str,
    now: &str,
    today: &str,
    account_id: i64,
) -> AppResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        bind(
            db,
            "INSERT INTO objects (credit_code, name, category, region, industry, address, construction_status, \
                 discharge_type, permit_class, production_scale, production_cycle, monitoring_type, weather_grade, \
                 status, status_since, created_at, updated_at) \
             SELECT j ->> '$.credit_code', j ->> '$.name', j ->> '$.category', j ->> '$.region', j ->> '$.industry', \
                 j ->> '$.address', j ->> '$.construction_status', j ->> '$.discharge_type', j ->> '$.permit_class', \
                 j ->> '$.production_scale', j ->> '$.production_cycle', j ->> '$.monitoring_type', \
                 j ->> '$.weather_grade', j ->> '$.status', j ->> '$.status_since', ?2, ?2 \
             FROM (SELECT json(?1) AS j)",
            &[
                Param::Text(record_json.to_owned()),
                Param::Text(now.to_owned()),
            ],
        )?,
        bind(
            db,
            "INSERT INTO object_status_changes (object_id, from_status, to_status, effective_date, reason, recorded_at, recorded_by) \
             SELECT o.id, NULL, o.status, coalesce(o.status_since, ?3), '新建', ?2, ?4 \
             FROM objects o WHERE o.credit_code = json(?1) ->> '$.credit_code'",
            &[
                Param::Text(record_json.to_owned()),
                Param::Text(now.to_owned()),
                Param::Text(today.to_owned()),
                Param::Int(account_id),
            ],
        )?,
    ])
}

/// The id of the object with credit code `code`.
pub(crate) async fn id_by_credit_code(db: &D1Database, code: &str) -> AppResult<Option<i64>> {
    Ok(bind(
        db,
        "SELECT id FROM objects WHERE credit_code = ?1",
        &[Param::Text(code.to_owned())],
    )?
    .first(Some("id"))
    .await?)
}
