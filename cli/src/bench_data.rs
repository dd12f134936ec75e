//! `suicha bench-import-data N OUT_DIR`: N inspection objects for the import benchmark
//! (`cargo xtask bench`), written two ways from the same rows:
//!
//! - `OUT_DIR/chunk-NNNN.json`: the bodies the import page uploads to
//!   `POST /api/imports/:id/rows` (`{"first_seq", "rows": [{"row", "record"}]}`, 1 000 rows each);
//! - `OUT_DIR/objects.sql`: one transaction of multi-row `INSERT`s into `objects`, for a bare
//!   `sqlite3` import of the same rows (the floor).
//!
//! The rows are the demo county's objects repeated, each with a unique name and a valid credit
//! code `92500230` + nine digits (registration 92, which the demo generator does not use), so
//! every row is new to a database holding the demo county.

use std::fmt::Write as _;
use std::path::Path;

use shared::demo::demo_objects;
use shared::directory::api::IMPORT_CHUNK_ROWS;
use shared::directory::{CreditCode, NumberedRow, ObjectRow};

/// `INSERT` rows per statement in the SQL file.
const SQL_ROWS_PER_STATEMENT: usize = 100;

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let [count, out_dir] = args else {
        return Err("usage: suicha bench-import-data N OUT_DIR".to_owned());
    };
    let count: usize = count
        .parse()
        .map_err(|_| format!("N must be a number, not {count}"))?;
    let out_dir = Path::new(out_dir);
    std::fs::create_dir_all(out_dir).map_err(|err| format!("{}: {err}", out_dir.display()))?;
    let rows = objects(count)?;
    for (index, chunk) in rows.chunks(IMPORT_CHUNK_ROWS).enumerate() {
        let numbered: Vec<NumberedRow<&ObjectRow>> = chunk
            .iter()
            .enumerate()
            .map(|(offset, record)| NumberedRow {
                row: (index * IMPORT_CHUNK_ROWS + offset + 2) as u32,
                record,
            })
            .collect();
        let body = serde_json::json!({
            "first_seq": index * IMPORT_CHUNK_ROWS + 1,
            "rows": numbered,
        });
        write(
            &out_dir.join(format!("chunk-{:04}.json", index + 1)),
            &body.to_string(),
        )?;
    }
    write(&out_dir.join("objects.sql"), &insert_sql(&rows))?;
    println!(
        "{count} objects, {} chunks",
        rows.len().div_ceil(IMPORT_CHUNK_ROWS)
    );
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|err| format!("{}: {err}", path.display()))
}

/// `count` distinct objects built from the demo county.
fn objects(count: usize) -> Result<Vec<ObjectRow>, String> {
    let demo = demo_objects();
    (0..count)
        .map(|index| {
            let mut object = demo[index % demo.len()].clone();
            object.credit_code = CreditCode::with_check_character(&format!("92500230{index:09}"))
                .map_err(|err| format!("credit code {index}: {err}"))?;
            object.name = format!(
                "{}{index}",
                object.name.chars().take(40).collect::<String>()
            );
            Ok(object)
        })
        .collect()
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn json_code<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => quote(&text),
        _ => "NULL".to_owned(),
    }
}

/// The rows as SQL for `sqlite3`, in one transaction.
fn insert_sql(rows: &[ObjectRow]) -> String {
    let mut sql = String::from("BEGIN;\n");
    for chunk in rows.chunks(SQL_ROWS_PER_STATEMENT) {
        sql.push_str(
            "INSERT INTO objects (credit_code, name, category, region, industry, address, construction_status, \
             discharge_type, permit_class, production_scale, production_cycle, monitoring_type, weather_grade, \
             status, status_since, created_at, updated_at) VALUES\n",
        );
        for (index, row) in chunk.iter().enumerate() {
            let _ = write!(
                sql,
                "{}({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                if index == 0 { "" } else { ",\n" },
                quote(row.credit_code.as_str()),
                quote(&row.name),
                json_code(&row.category),
                quote(&row.region),
                quote(&row.industry),
                quote(&row.address),
                quote(&row.construction_status),
                quote(&row.discharge_type),
                json_code(&row.permit_class),
                quote(&row.production_scale),
                quote(&row.production_cycle),
                quote(&row.monitoring_type),
                json_code(&row.weather_grade),
                json_code(&row.status),
                row.status_since
                    .map_or("NULL".to_owned(), |date| quote(&date.to_string())),
            );
        }
        sql.push_str(";\n");
    }
    sql.push_str("COMMIT;\n");
    sql
}
