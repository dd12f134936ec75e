//! The directory as a draw sees it: builds a `shared::draw::DrawInput` from D1 for a spec and
//! an exclusion list. Sealing stores exactly this input; previews draw from it unsealed. The
//! queries are in `db::draw_input` and `db::checklist`.

use shared::api::PreviewInput;
use shared::draw::{
    AlgorithmVersion, ChecklistRef, DrawInput, DrawSpec, History, SectionId, Specialty,
};
use shared::sections::section_by_name;
use worker::D1Database;

use crate::db;
use crate::error::{AppError, AppResult};

/// The checklist as the draw sees it: each item's section by its code, and the specialty the
/// section's checks need.
pub(crate) async fn checklist(db: &D1Database) -> AppResult<Vec<ChecklistRef>> {
    let mut items = db::checklist::all(db).await?;
    items.sort_by_key(|item| item.id);
    items
        .into_iter()
        .map(|item| {
            let section = section_by_name(&item.section).ok_or_else(|| {
                AppError::bad_request(
                    "unknown_section",
                    format!(
                        "检查事项 {} 的科室“{}”未登记 / unknown section of checklist item",
                        item.id, item.section
                    ),
                )
            })?;
            Ok(ChecklistRef {
                id: item.id,
                section: SectionId::new(section.code)
                    .map_err(|_| AppError::Internal("section code".to_owned()))?,
                content: item.content,
                legal_basis: item.legal_basis,
                required_specialty: section
                    .specialty
                    .map(Specialty::new)
                    .transpose()
                    .map_err(|_| AppError::Internal("specialty".to_owned()))?,
                applies_to: Vec::new(),
            })
        })
        .collect::<AppResult<Vec<_>>>()
}

/// The draw input for `spec` over the directory as it is now.
pub(crate) async fn draw_input(
    db: &D1Database,
    spec: DrawSpec,
    exclusions: &[String],
) -> AppResult<PreviewInput> {
    let year = i64::from(spec.period.year);
    let objects = db::draw_input::objects(db, year).await?;
    let inspectors = db::draw_input::inspectors(db, year).await?;
    let checklist = checklist(db).await?;
    let (externally_inspected, unknown_exclusions) =
        db::draw_input::exclusions(db, exclusions).await?;
    let input = DrawInput {
        algorithm_version: AlgorithmVersion::V1,
        spec,
        objects,
        inspectors,
        checklist,
        history: History {
            externally_inspected,
        },
    };
    Ok(PreviewInput {
        input,
        unknown_exclusions,
    })
}
