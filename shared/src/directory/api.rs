//! Wire types of the directory API (`/api/objects`, `/api/inspectors`, `/api/imports`,
//! `/api/column-mapping`), shared by the worker and the browser. See `docs/api.md`.

use serde::{Deserialize, Serialize};

use super::diff::DiffSummary;
use super::fields::{InspectorField, ObjectField};
use super::issue::ImportIssue;
use super::rows::{DirectoryRow, InspectorRow, ObjectRow};
use super::validate::NumberedRow;
use crate::calendar::Date;
use crate::draw::ObjectStatus;

/// Rows per list page unless the caller asks for fewer (at most [`MAX_PAGE_SIZE`]).
pub const PAGE_SIZE: u32 = 50;
/// The largest page a list route returns (an export fetches pages of this size).
pub const MAX_PAGE_SIZE: u32 = 500;
/// Rows per upload chunk of an import: one statement with one JSON parameter each.
pub const IMPORT_CHUNK_ROWS: usize = 1000;
/// The most JSON an upload chunk is meant to carry (the worker refuses bodies over 1 MiB).
pub const IMPORT_CHUNK_BYTES: usize = 700 * 1024;

/// Splits validated rows into upload chunks of at most [`IMPORT_CHUNK_ROWS`] rows and at most
/// about [`IMPORT_CHUNK_BYTES`] of JSON, as index ranges (a chunk's `first_seq` is its start
/// + 1). The size is an upper estimate: every cell's bytes twice (JSON escapes) plus the keys.
pub fn upload_chunks<R: DirectoryRow>(rows: &[NumberedRow<R>]) -> Vec<std::ops::Range<usize>> {
    const ROW_OVERHEAD: usize = 300;
    let mut chunks = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (index, row) in rows.iter().enumerate() {
        let size = ROW_OVERHEAD + 2 * row.record.cells().iter().map(String::len).sum::<usize>();
        if index > start
            && (index - start == IMPORT_CHUNK_ROWS || bytes + size > IMPORT_CHUNK_BYTES)
        {
            chunks.push(start..index);
            start = index;
            bytes = 0;
        }
        bytes += size;
    }
    if start < rows.len() {
        chunks.push(start..rows.len());
    }
    chunks
}

/// This year's inspections of an object or an inspector (from the yearly counter cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct YearCounts {
    pub year: i32,
    pub random: u32,
    pub targeted: u32,
}

/// Where the next page starts: after this name and id (keyset paging, `ORDER BY name, id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageCursor {
    pub name: String,
    pub id: i64,
}

/// One object in a list or a detail page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectItem {
    pub id: i64,
    pub version: i64,
    pub record: ObjectRow,
    pub counts: YearCounts,
}

/// `GET /api/objects`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectPage {
    pub objects: Vec<ObjectItem>,
    /// How many objects match the filter.
    pub total: u32,
    /// `None` on the last page.
    pub next: Option<PageCursor>,
}

/// One entry of an object's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub id: i64,
    pub from_status: Option<ObjectStatus>,
    pub to_status: ObjectStatus,
    pub effective_date: Date,
    pub reason: String,
    pub recorded_at: String,
    pub recorded_by: Option<String>,
    pub import_id: Option<i64>,
}

/// A declared conflict of interest (回避) between an inspector and an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictOfInterest {
    pub inspector_id: i64,
    pub inspector_name: String,
    pub employee_no: String,
    pub object_id: i64,
    pub object_name: String,
    pub reason: String,
    pub declared_at: String,
}

/// `GET /api/objects/:id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectDetail {
    pub object: ObjectItem,
    /// Free labels beyond the fixed tags (饮用水源保护区, 长江沿岸…), sorted.
    pub tags: Vec<String>,
    /// Oldest first.
    pub history: Vec<StatusChange>,
    pub conflicts: Vec<ConflictOfInterest>,
}

/// `PUT /api/objects/:id`: every field but the status, which changes only through
/// `POST /api/objects/:id/status` (with its date and reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateObjectRequest {
    /// The version the form was loaded with; another edit in between → 409 `version_conflict`.
    pub version: i64,
    pub record: ObjectRow,
}

/// `POST /api/objects/:id/status`: 停产 (suspended), 复产 (active), 注销 (closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChangeRequest {
    pub version: i64,
    pub status: ObjectStatus,
    pub effective_date: Date,
    pub reason: String,
}

/// `PUT /api/objects/:id/tags`: the object's free labels, replacing the old ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetTagsRequest {
    pub tags: Vec<String>,
}

/// At most this many free labels per object.
pub const MAX_TAGS: usize = 20;

/// `POST /api/objects/:id/conflicts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddConflictRequest {
    pub inspector_id: i64,
    pub reason: String,
}

/// One inspector in a list or a detail page. `record.phone` is personal data: `None` in lists
/// and for roles that may not edit the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorItem {
    pub id: i64,
    pub version: i64,
    pub record: InspectorRow,
    pub counts: YearCounts,
}

/// `GET /api/inspectors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorPage {
    pub inspectors: Vec<InspectorItem>,
    pub total: u32,
    pub next: Option<PageCursor>,
}

/// `GET /api/inspectors/:id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorDetail {
    pub inspector: InspectorItem,
    pub conflicts: Vec<ConflictOfInterest>,
}

/// `PUT /api/inspectors/:id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateInspectorRequest {
    pub version: i64,
    pub record: InspectorRow,
}

/// `GET /api/directory/facets`: the values in use, for the filter menus.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    pub regions: Vec<String>,
    pub industries: Vec<String>,
    pub discharge_types: Vec<String>,
    pub departments: Vec<String>,
    /// Free labels of objects.
    pub tags: Vec<String>,
}

/// Which directory an import or a mapping is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectoryKind {
    Objects,
    Inspectors,
}

impl DirectoryKind {
    pub fn code(self) -> &'static str {
        match self {
            DirectoryKind::Objects => "objects",
            DirectoryKind::Inspectors => "inspectors",
        }
    }

    pub fn from_code(code: &str) -> Option<DirectoryKind> {
        match code {
            "objects" => Some(DirectoryKind::Objects),
            "inspectors" => Some(DirectoryKind::Inspectors),
            _ => None,
        }
    }
}

/// `POST /api/imports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateImportRequest {
    pub directory: DirectoryKind,
    pub file_name: String,
    /// SHA-256 of the file, lowercase hex.
    pub file_sha256: String,
    /// How many validated rows will be uploaded.
    pub row_count: u32,
}

/// Where an import stands; stored in `directory_imports.status` in this spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Rows are being uploaded; it can still be committed or abandoned.
    Staging,
    Committed,
    Abandoned,
}

impl ImportStatus {
    /// The stored and wire spelling.
    pub fn code(self) -> &'static str {
        match self {
            ImportStatus::Staging => "staging",
            ImportStatus::Committed => "committed",
            ImportStatus::Abandoned => "abandoned",
        }
    }
}

/// An import in progress or done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportInfo {
    pub id: i64,
    pub directory: DirectoryKind,
    pub file_name: String,
    pub file_sha256: String,
    pub row_count: u32,
    pub status: ImportStatus,
    /// Rows uploaded so far.
    pub staged: u32,
}

/// `POST /api/imports/:id/rows`: one chunk of validated rows. `first_seq` is the 1-based
/// position of the chunk's first row in the file's rows; re-sending a chunk replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectChunk {
    pub first_seq: u32,
    pub rows: Vec<NumberedRow<ObjectRow>>,
}

/// The same for inspectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorChunk {
    pub first_seq: u32,
    pub rows: Vec<NumberedRow<InspectorRow>>,
}

/// A chunk refused by the worker's re-check: nothing of it was stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkRefusal {
    pub error: String,
    pub message: String,
    pub issues: Vec<ImportIssue>,
}

/// A changed record in the preview, with the fields that differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangedSample<R, F> {
    pub before: R,
    pub after: R,
    pub fields: Vec<F>,
}

/// `GET /api/imports/:id/preview` of an objects import: counts of the whole diff and the first
/// records of each list (in key order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectPreview {
    pub import: ImportInfo,
    pub summary: DiffSummary,
    pub new: Vec<ObjectRow>,
    pub changed: Vec<ChangedSample<ObjectRow, ObjectField>>,
    pub missing: Vec<ObjectRow>,
}

/// The same for inspectors (phones left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorPreview {
    pub import: ImportInfo,
    pub summary: DiffSummary,
    pub new: Vec<InspectorRow>,
    pub changed: Vec<ChangedSample<InspectorRow, InspectorField>>,
    pub missing: Vec<InspectorRow>,
}

/// `POST /api/imports/:id/commit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitResult {
    pub import: ImportInfo,
    pub summary: DiffSummary,
}

/// `GET /api/column-mapping?directory=…` and `PUT /api/column-mapping`: the caller's remembered
/// mapping (`{"企业名称":"name","备注":null}`), or the bureau-wide one, or empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedMapping {
    pub directory: DirectoryKind,
    /// Normalized header → field code (`None`: ignore the column).
    pub mapping: std::collections::BTreeMap<String, Option<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::demo_objects;

    fn numbered(rows: Vec<ObjectRow>) -> Vec<NumberedRow<ObjectRow>> {
        rows.into_iter()
            .enumerate()
            .map(|(index, record)| NumberedRow {
                row: index as u32 + 2,
                record,
            })
            .collect()
    }

    #[test]
    fn ordinary_rows_go_a_thousand_to_a_chunk_and_long_rows_fewer() {
        let demo = numbered(demo_objects());
        assert_eq!(upload_chunks(&demo), [0..1000, 1000..1200]);
        assert_eq!(upload_chunks(&demo[..0]), []);

        let long = numbered(
            demo_objects()
                .into_iter()
                .map(|mut row| {
                    row.address = "长".repeat(200);
                    row.name = "名".repeat(100);
                    row.industry = "业".repeat(50);
                    row
                })
                .collect(),
        );
        let chunks = upload_chunks(&long);
        assert!(chunks.len() > 2, "{chunks:?}");
        assert_eq!(chunks.first().map(|c| c.start), Some(0));
        assert_eq!(chunks.last().map(|c| c.end), Some(1200));
        for pair in chunks.windows(2) {
            assert_eq!(pair[0].end, pair[1].start);
        }
    }
}
