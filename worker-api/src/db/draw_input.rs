//! The directory as a draw sees it (`objects`, `inspectors`, their specialties, conflicts and
//! yearly counts, `live_inspections` for the last lead): the rows of a `shared::draw::DrawInput`.

use std::collections::BTreeMap;

use serde::Deserialize;
use shared::directory::ChineseLabel;
use shared::draw::{
    InspectionObject, Inspector, InspectorId, ObjectId, ObjectTags, RiskFacts, Specialty,
};
use worker::{D1Database, query};

use super::vocabulary;
use crate::error::{AppError, AppResult};

fn positive<T>(
    what: &str,
    id: i64,
    make: impl Fn(i64) -> Result<T, shared::draw::DrawInputError>,
) -> AppResult<T> {
    make(id).map_err(|_| AppError::Internal(format!("{what} id {id}")))
}

#[derive(Deserialize)]
struct ObjectRecord {
    id: i64,
    name: String,
    category: String,
    status: String,
    region: String,
    industry: String,
    construction_status: String,
    discharge_type: String,
    permit_class: Option<String>,
    production_scale: String,
    production_cycle: String,
    monitoring_type: String,
    weather_grade: String,
    credit_grade: String,
    violations: i64,
    complaints: i64,
    unstable_permit_compliance: i64,
    high_public_concern: i64,
    inspections_this_year: i64,
    last_lead: Option<i64>,
}

impl ObjectRecord {
    fn into_object(self) -> AppResult<InspectionObject> {
        let permit_class = match &self.permit_class {
            Some(class) => vocabulary::<shared::directory::PermitClass>("permit_class", class)?
                .label_zh()
                .to_owned(),
            None => String::new(),
        };
        Ok(InspectionObject {
            id: positive("object", self.id, ObjectId::new)?,
            name: self.name,
            category: vocabulary("category", &self.category)?,
            status: vocabulary("status", &self.status)?,
            tags: ObjectTags {
                region: self.region,
                industry: self.industry,
                construction_status: self.construction_status,
                discharge_type: self.discharge_type,
                permit_class,
                production_scale: self.production_scale,
                production_cycle: self.production_cycle,
                monitoring_type: self.monitoring_type,
                weather_grade: vocabulary("weather_grade", &self.weather_grade)?,
            },
            risk: RiskFacts {
                violations: self.violations as u32,
                complaints: self.complaints as u32,
                credit: vocabulary("credit_grade", &self.credit_grade)?,
                unstable_permit_compliance: self.unstable_permit_compliance != 0,
                high_public_concern: self.high_public_concern != 0,
            },
            inspections_this_year: self.inspections_this_year as u32,
            last_lead: self
                .last_lead
                .map(|id| positive("inspector", id, InspectorId::new))
                .transpose()?,
        })
    }
}

#[derive(Deserialize)]
struct InspectorRecord {
    id: i64,
    name: String,
    region: String,
    years_of_service: i64,
    department: String,
    post: String,
    certified: i64,
    active: i64,
    inspections_this_year: i64,
}

#[derive(Deserialize)]
struct Pair {
    left: i64,
    right: String,
}

#[derive(Deserialize)]
struct ExclusionRecord {
    id: i64,
    credit_code: String,
}

/// Every object with its tags, risk facts, `year`'s count and last lead, by id.
pub(crate) async fn objects(db: &D1Database, year: i64) -> AppResult<Vec<InspectionObject>> {
    let objects: Vec<ObjectRecord> = query!(
        db,
        "SELECT o.id, o.name, o.category, o.status, o.region, o.industry, o.construction_status, o.discharge_type,
                o.permit_class, o.production_scale, o.production_cycle, o.monitoring_type, o.weather_grade,
                o.credit_grade, o.violations, o.complaints, o.unstable_permit_compliance, o.high_public_concern,
                COALESCE(c.random + c.targeted, 0) AS inspections_this_year,
                (SELECT li.lead_inspector_id FROM live_inspections li
                  WHERE li.object_id = o.id AND li.lead_inspector_id IS NOT NULL
                  ORDER BY li.id DESC LIMIT 1) AS last_lead
           FROM objects o LEFT JOIN object_yearly_counts c ON c.object_id = o.id AND c.year = ?1
          ORDER BY o.id",
        &year
    )?
    .all()
    .await?
    .results()?;
    objects
        .into_iter()
        .map(ObjectRecord::into_object)
        .collect::<AppResult<Vec<_>>>()
}

/// Every inspector with specialties, conflicts of interest and `year`'s count, by id.
pub(crate) async fn inspectors(db: &D1Database, year: i64) -> AppResult<Vec<Inspector>> {
    let mut specialties: BTreeMap<i64, Vec<Specialty>> = BTreeMap::new();
    let rows: Vec<Pair> = db
        .prepare("SELECT inspector_id AS left, specialty AS right FROM inspector_specialties")
        .all()
        .await?
        .results()?;
    for row in rows {
        let specialty = Specialty::new(row.right.clone())
            .map_err(|_| AppError::Internal(format!("specialty {}", row.right)))?;
        specialties.entry(row.left).or_default().push(specialty);
    }
    let mut conflicts: BTreeMap<i64, Vec<ObjectId>> = BTreeMap::new();
    let rows: Vec<Pair> = db
        .prepare("SELECT inspector_id AS left, CAST(object_id AS TEXT) AS right FROM conflicts_of_interest")
        .all()
        .await?
        .results()?;
    for row in rows {
        let object = row
            .right
            .parse::<i64>()
            .map_err(|_| AppError::Internal("conflict object id".to_owned()))?;
        conflicts
            .entry(row.left)
            .or_default()
            .push(positive("object", object, ObjectId::new)?);
    }
    let inspectors: Vec<InspectorRecord> = query!(
        db,
        "SELECT i.id, i.name, i.region, i.years_of_service, i.department, i.post,
                i.certificate IS NOT NULL AS certified, i.active,
                COALESCE(c.random + c.targeted, 0) AS inspections_this_year
           FROM inspectors i LEFT JOIN inspector_yearly_counts c ON c.inspector_id = i.id AND c.year = ?1
          ORDER BY i.id",
        &year
    )?
    .all()
    .await?
    .results()?;
    inspectors
        .into_iter()
        .map(|row| {
            Ok(Inspector {
                id: positive("inspector", row.id, InspectorId::new)?,
                name: row.name,
                region: row.region,
                years_of_service: row.years_of_service as u32,
                specialties: specialties.remove(&row.id).unwrap_or_default(),
                department: row.department,
                post: row.post,
                enforcement_certificate: row.certified != 0,
                active: row.active != 0,
                inspections_this_year: row.inspections_this_year as u32,
                conflicts: conflicts.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect::<AppResult<Vec<_>>>()
}

/// The objects named by the credit codes in `exclusions` (by id), and the codes of no object.
pub(crate) async fn exclusions(
    db: &D1Database,
    exclusions: &[String],
) -> AppResult<(Vec<ObjectId>, Vec<String>)> {
    let exclusions_json =
        serde_json::to_string(exclusions).map_err(|err| AppError::Internal(err.to_string()))?;
    let found: Vec<ExclusionRecord> = query!(
        db,
        "SELECT id, credit_code FROM objects WHERE credit_code IN (SELECT value FROM json_each(?1)) ORDER BY id",
        &exclusions_json
    )?
    .all()
    .await?
    .results()?;
    let unknown_exclusions = exclusions
        .iter()
        .filter(|code| !found.iter().any(|row| &row.credit_code == *code))
        .cloned()
        .collect();
    let externally_inspected = found
        .into_iter()
        .map(|row| positive("object", row.id, ObjectId::new))
        .collect::<AppResult<Vec<_>>>()?;
    Ok((externally_inspected, unknown_exclusions))
}
