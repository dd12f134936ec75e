//! Staged import rows that would collide with the directory as it is, found before the commit
//! (which would otherwise fail on a unique index, without a row number).

use serde::Deserialize;
use worker::{D1Database, query};

use crate::error::AppResult;

/// A staged inspector row whose enforcement certificate number already belongs to another
/// inspector (another employee number) in the directory.
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

/// At most `limit` such rows of import `import_id`, in file order.
pub(crate) async fn certificates_held_by_others(
    db: &D1Database,
    import_id: i64,
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
        &import_id,
        &limit
    )?
    .all()
    .await?
    .results()?)
}
