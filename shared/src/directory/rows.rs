//! One validated record of each directory, as imported, edited, diffed and exported.

use serde::{Deserialize, Serialize};

use super::credit_code::CreditCode;
use super::fields::{Field, InspectorField, ObjectField};
use super::issue::{ColumnRef, ImportIssue, IssueCode};
use super::labels::{ChineseLabel, PermitClass, specialty_label};
use crate::calendar::Date;
use crate::draw::{
    Category, Grade, InspectionObject, Inspector, InspectorId, ObjectId, ObjectStatus, ObjectTags,
    RiskFacts, Specialty,
};

/// An inspection object (检查对象) as the directory holds it. The credit code is its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectRow {
    pub name: String,
    pub credit_code: CreditCode,
    pub category: Category,
    /// Town or street (乡镇/街道).
    pub region: String,
    pub industry: String,
    pub address: String,
    pub construction_status: String,
    pub discharge_type: String,
    pub permit_class: Option<PermitClass>,
    pub production_scale: String,
    pub production_cycle: String,
    pub monitoring_type: String,
    pub weather_grade: Grade,
    pub status: ObjectStatus,
    /// When the status took effect; required for 停产 and 注销.
    pub status_since: Option<Date>,
}

/// An inspector (执法检查人员) as the directory holds it. The employee number is its key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectorRow {
    pub name: String,
    /// 工号: 1–32 of `[0-9A-Za-z_-]`.
    pub employee_no: String,
    /// 执法证号; `None` for daily-supervision staff without an enforcement certificate.
    pub certificate: Option<String>,
    pub region: String,
    pub years_of_service: u32,
    /// Sorted, without duplicates.
    pub specialties: Vec<Specialty>,
    pub department: String,
    pub post: String,
    /// Personal data: never published, left out of exports unless asked for.
    pub phone: Option<String>,
    pub active: bool,
}

/// A directory record: keyed, and readable as cells in [`Field::ALL`] order.
pub trait DirectoryRow: Clone {
    type Field: Field;
    /// The key that identifies the record across imports.
    fn key(&self) -> &str;
    /// The cells in [`Field::ALL`] order, as the export writes them and the import reads them.
    fn cells(&self) -> Vec<String>;
    /// This imported record laid over `stored`: every field the file had no column for keeps
    /// the stored value. `present` lists the fields the file has a column for; a present
    /// field's value is taken as the file says, an empty cell included.
    fn over(&self, stored: &Self, present: &[Self::Field]) -> Self;
}

/// What is wrong with a status reversal an import asks for (see [`is_status_reversal`]), if
/// anything: it must carry the date it took effect, from the file (an import's own date is
/// never taken for it), and that date may not be before the stored status began. `after` is
/// the imported record laid over the stored one ([`DirectoryRow::over`]); `row` its
/// spreadsheet row.
pub fn reversal_issue(row: u32, before: &ObjectRow, after: &ObjectRow) -> Option<ImportIssue> {
    if !is_status_reversal(before.status, after.status) {
        return None;
    }
    let (from, to) = (before.status.label_zh(), after.status.label_zh());
    let column = Some(ColumnRef {
        letter: String::new(),
        header: ObjectField::StatusSince.header_zh().to_owned(),
    });
    let Some(since) = after
        .status_since
        .filter(|_| after.status_since != before.status_since)
    else {
        return Some(ImportIssue {
            row: Some(row),
            column,
            code: IssueCode::ReversalWithoutDate,
            message_zh: format!(
                "{}（{}）：状态由“{from}”改为“{to}”，文件须给出生效日期（{}列），导入日期不能代替",
                before.name,
                before.credit_code,
                ObjectField::StatusSince.header_zh()
            ),
            message_en: format!(
                "{} ({}): the status goes back from {} to {}; the file must give the date it took effect",
                before.name,
                before.credit_code,
                status_en(before.status),
                status_en(after.status)
            ),
        });
    };
    match before.status_since {
        Some(stored) if since < stored => Some(ImportIssue {
            row: Some(row),
            column,
            code: IssueCode::ReversalBeforeStoredDate,
            message_zh: format!(
                "{}（{}）：“{to}”的日期 {since} 早于已登记的“{from}”日期 {stored}",
                before.name, before.credit_code
            ),
            message_en: format!(
                "{} ({}): the date {since} is before the stored status's date {stored}",
                before.name, before.credit_code
            ),
        }),
        _ => None,
    }
}

fn status_en(status: ObjectStatus) -> &'static str {
    match status {
        ObjectStatus::Active => "in production",
        ObjectStatus::Suspended => "suspended",
        ObjectStatus::Closed => "closed",
    }
}

/// Whether an import changing an object's status from `from` to `to` reverses a stored status
/// that a file is most likely wrong about: 停产 → 在产, or 注销 → anything. Such a change needs
/// its own confirmation and an effective date from the file.
pub fn is_status_reversal(from: ObjectStatus, to: ObjectStatus) -> bool {
    matches!(
        (from, to),
        (ObjectStatus::Suspended, ObjectStatus::Active)
            | (
                ObjectStatus::Closed,
                ObjectStatus::Active | ObjectStatus::Suspended
            )
    )
}

impl DirectoryRow for ObjectRow {
    type Field = ObjectField;

    fn key(&self) -> &str {
        self.credit_code.as_str()
    }

    fn cells(&self) -> Vec<String> {
        ObjectField::ALL
            .iter()
            .map(|field| match field {
                ObjectField::Name => self.name.clone(),
                ObjectField::CreditCode => self.credit_code.to_string(),
                ObjectField::Category => self.category.label_zh().to_owned(),
                ObjectField::Region => self.region.clone(),
                ObjectField::Industry => self.industry.clone(),
                ObjectField::Address => self.address.clone(),
                ObjectField::ConstructionStatus => self.construction_status.clone(),
                ObjectField::DischargeType => self.discharge_type.clone(),
                ObjectField::PermitClass => self
                    .permit_class
                    .map_or(String::new(), |class| class.label_zh().to_owned()),
                ObjectField::ProductionScale => self.production_scale.clone(),
                ObjectField::ProductionCycle => self.production_cycle.clone(),
                ObjectField::MonitoringType => self.monitoring_type.clone(),
                ObjectField::WeatherGrade => self.weather_grade.label_zh().to_owned(),
                ObjectField::Status => self.status.label_zh().to_owned(),
                ObjectField::StatusSince => self
                    .status_since
                    .map_or(String::new(), |date| date.to_string()),
            })
            .collect()
    }

    fn over(&self, stored: &Self, present: &[ObjectField]) -> Self {
        let mut merged = stored.clone();
        for field in present {
            match field {
                ObjectField::Name => merged.name = self.name.clone(),
                ObjectField::CreditCode => merged.credit_code = self.credit_code.clone(),
                ObjectField::Category => merged.category = self.category,
                ObjectField::Region => merged.region = self.region.clone(),
                ObjectField::Industry => merged.industry = self.industry.clone(),
                ObjectField::Address => merged.address = self.address.clone(),
                ObjectField::ConstructionStatus => {
                    merged.construction_status = self.construction_status.clone()
                }
                ObjectField::DischargeType => merged.discharge_type = self.discharge_type.clone(),
                ObjectField::PermitClass => merged.permit_class = self.permit_class,
                ObjectField::ProductionScale => {
                    merged.production_scale = self.production_scale.clone()
                }
                ObjectField::ProductionCycle => {
                    merged.production_cycle = self.production_cycle.clone()
                }
                ObjectField::MonitoringType => {
                    merged.monitoring_type = self.monitoring_type.clone()
                }
                ObjectField::WeatherGrade => merged.weather_grade = self.weather_grade,
                ObjectField::Status => merged.status = self.status,
                ObjectField::StatusSince => merged.status_since = self.status_since,
            }
        }
        merged
    }
}

impl DirectoryRow for InspectorRow {
    type Field = InspectorField;

    fn key(&self) -> &str {
        &self.employee_no
    }

    fn cells(&self) -> Vec<String> {
        InspectorField::ALL
            .iter()
            .map(|field| match field {
                InspectorField::Name => self.name.clone(),
                InspectorField::EmployeeNo => self.employee_no.clone(),
                InspectorField::Certificate => self.certificate.clone().unwrap_or_default(),
                InspectorField::Region => self.region.clone(),
                InspectorField::YearsOfService => self.years_of_service.to_string(),
                InspectorField::Specialties => self
                    .specialties
                    .iter()
                    .map(specialty_label)
                    .collect::<Vec<_>>()
                    .join("、"),
                InspectorField::Department => self.department.clone(),
                InspectorField::Post => self.post.clone(),
                InspectorField::Phone => self.phone.clone().unwrap_or_default(),
                InspectorField::Active => if self.active { "是" } else { "否" }.to_owned(),
            })
            .collect()
    }

    fn over(&self, stored: &Self, present: &[InspectorField]) -> Self {
        let mut merged = stored.clone();
        for field in present {
            match field {
                InspectorField::Name => merged.name = self.name.clone(),
                InspectorField::EmployeeNo => merged.employee_no = self.employee_no.clone(),
                InspectorField::Certificate => merged.certificate = self.certificate.clone(),
                InspectorField::Region => merged.region = self.region.clone(),
                InspectorField::YearsOfService => merged.years_of_service = self.years_of_service,
                InspectorField::Specialties => merged.specialties = self.specialties.clone(),
                InspectorField::Department => merged.department = self.department.clone(),
                InspectorField::Post => merged.post = self.post.clone(),
                InspectorField::Phone => merged.phone = self.phone.clone(),
                InspectorField::Active => merged.active = self.active,
            }
        }
        merged
    }
}

impl ObjectRow {
    /// The draw's tags: the directory's text values, the permit class by its Chinese label.
    pub fn draw_tags(&self) -> ObjectTags {
        ObjectTags {
            region: self.region.clone(),
            industry: self.industry.clone(),
            construction_status: self.construction_status.clone(),
            discharge_type: self.discharge_type.clone(),
            permit_class: self
                .permit_class
                .map_or(String::new(), |class| class.label_zh().to_owned()),
            production_scale: self.production_scale.clone(),
            production_cycle: self.production_cycle.clone(),
            monitoring_type: self.monitoring_type.clone(),
            weather_grade: self.weather_grade,
        }
    }

    /// The object as a draw sees it; the facts the directory does not hold are arguments.
    pub fn to_draw_object(
        &self,
        id: ObjectId,
        risk: RiskFacts,
        inspections_this_year: u32,
        last_lead: Option<InspectorId>,
    ) -> InspectionObject {
        InspectionObject {
            id,
            name: self.name.clone(),
            category: self.category,
            status: self.status,
            tags: self.draw_tags(),
            risk,
            inspections_this_year,
            last_lead,
        }
    }
}

impl InspectorRow {
    /// The inspector as a draw sees it (no phone, no employee number).
    pub fn to_draw_inspector(
        &self,
        id: InspectorId,
        inspections_this_year: u32,
        conflicts: Vec<ObjectId>,
    ) -> Inspector {
        Inspector {
            id,
            name: self.name.clone(),
            region: self.region.clone(),
            years_of_service: self.years_of_service,
            specialties: self.specialties.clone(),
            department: self.department.clone(),
            post: self.post.clone(),
            enforcement_certificate: self.certificate.is_some(),
            active: self.active,
            inspections_this_year,
            conflicts,
        }
    }
}
