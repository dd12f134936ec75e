//! Hostile spreadsheets through the reader the browser uses (`read_table`): each is refused with
//! a file issue that names the limit, after bounded work, instead of a huge allocation (which
//! aborted the page). The files are built here, byte by byte; the same tests run natively and
//! in wasm.

use std::io::{Cursor, Write};

use shared::directory::IssueCode;
use shared::directory::files::limits::{
    MAX_SHARED_STRINGS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_UNZIPPED_BYTES,
};
use shared::directory::files::read_table;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="检查对象" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A one-sheet XLSX with this worksheet XML and sharedStrings XML.
fn xlsx(sheet: &str, shared_strings: &str) -> Vec<u8> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/sharedStrings.xml", shared_strings),
        ("xl/worksheets/sheet1.xml", sheet),
    ] {
        writer.start_file(name, options).unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn worksheet(dimension: &str, cells: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>"#
    )
}

fn shared_strings(unique_count: &str, strings: &[&str]) -> String {
    let items: String = strings
        .iter()
        .map(|text| format!("<si><t>{text}</t></si>"))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{unique_count}" uniqueCount="{unique_count}">{items}</sst>"#
    )
}

/// Bits packed the way DEFLATE packs them: fields from their least significant bit, Huffman
/// codes from their most significant bit.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    used: u32,
}

impl Bits {
    fn bit(&mut self, bit: u32) {
        if self.used.is_multiple_of(8) {
            self.bytes.push(0);
        }
        if bit != 0 {
            *self.bytes.last_mut().unwrap() |= 1 << (self.used % 8);
        }
        self.used += 1;
    }
    fn field(&mut self, value: u32, width: u32) {
        for i in 0..width {
            self.bit((value >> i) & 1);
        }
    }
    fn code(&mut self, code: u32, width: u32) {
        for i in (0..width).rev() {
            self.bit((code >> i) & 1);
        }
    }
}

/// A raw DEFLATE stream of `matches` × 258 + 1 zero bytes in `matches` / 4 + 30 bytes: one
/// dynamic block whose length code 285 (258 bytes) and distance code 0 (distance 1) are one bit
/// each, so every four matches take one zero byte — the densest DEFLATE allows (≈ 1032 : 1).
fn deflate_bomb(matches: usize) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.field(1, 1); // BFINAL
    bits.field(2, 2); // dynamic Huffman codes
    bits.field(286 - 257, 5); // HLIT: literal/length codes 0..=285
    bits.field(2 - 1, 5); // HDIST: distance codes 0 and 1
    bits.field(18 - 4, 4); // HCLEN: code-length codes up to symbol 1 in the fixed order
    // Code-length code: 18 → "0", 1 → "10", 2 → "11", in the order 16 17 18 0 8 7 9 6 10 5 11
    // 4 12 3 13 2 14 1.
    for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        bits.field(length, 3);
    }
    let symbol = |bits: &mut Bits, symbol: u32| match symbol {
        18 => bits.code(0b0, 1),
        1 => bits.code(0b10, 2),
        2 => bits.code(0b11, 2),
        _ => unreachable!(),
    };
    let zeros = |bits: &mut Bits, run: u32| {
        symbol(bits, 18);
        bits.field(run - 11, 7);
    };
    // Literal/length lengths: 0 → 2, 1..=255 → 0, 256 → 2, 257..=284 → 0, 285 → 1;
    // distance lengths: 0 → 1, 1 → 1.
    symbol(&mut bits, 2);
    zeros(&mut bits, 138);
    zeros(&mut bits, 117);
    symbol(&mut bits, 2);
    zeros(&mut bits, 28);
    symbol(&mut bits, 1);
    symbol(&mut bits, 1);
    symbol(&mut bits, 1);
    // Literal/length code: 285 → "0", 0 → "10", 256 → "11". Distance code: 0 → "0".
    bits.code(0b10, 2); // one literal zero byte
    for _ in 0..matches {
        bits.code(0b0, 1); // length 258
        bits.code(0b0, 1); // distance 1
    }
    bits.code(0b11, 2); // end of block
    bits.bytes
}

/// A zip with one deflated part `name` holding `data` that inflates to `size` bytes; the
/// CRC is not computed (the reader must stop long before it would check it).
fn zip_with_raw_part(name: &str, data: &[u8], size: u32) -> Vec<u8> {
    let mut zip = Vec::new();
    let entry = |zip: &mut Vec<u8>, central: bool, offset: u32| {
        if central {
            zip.extend(0x0201_4b50u32.to_le_bytes());
            zip.extend(20u16.to_le_bytes()); // made by
        } else {
            zip.extend(0x0403_4b50u32.to_le_bytes());
        }
        zip.extend(20u16.to_le_bytes()); // needed
        zip.extend(0u16.to_le_bytes()); // flags
        zip.extend(8u16.to_le_bytes()); // deflated
        zip.extend(0u16.to_le_bytes()); // time
        zip.extend(0x21u16.to_le_bytes()); // 1980-01-01
        zip.extend(0u32.to_le_bytes()); // CRC-32
        zip.extend((data.len() as u32).to_le_bytes());
        zip.extend(size.to_le_bytes());
        zip.extend((name.len() as u16).to_le_bytes());
        zip.extend(0u16.to_le_bytes()); // extra
        if central {
            zip.extend(0u16.to_le_bytes()); // comment
            zip.extend(0u16.to_le_bytes()); // disk
            zip.extend(0u16.to_le_bytes()); // internal attributes
            zip.extend(0u32.to_le_bytes()); // external attributes
            zip.extend(offset.to_le_bytes());
        }
        zip.extend(name.as_bytes());
    };
    entry(&mut zip, false, 0);
    zip.extend(data);
    let central_at = zip.len() as u32;
    entry(&mut zip, true, 0);
    let central_size = zip.len() as u32 - central_at;
    zip.extend(0x0605_4b50u32.to_le_bytes());
    zip.extend([0, 0, 0, 0]); // disks
    zip.extend(1u16.to_le_bytes());
    zip.extend(1u16.to_le_bytes());
    zip.extend(central_size.to_le_bytes());
    zip.extend(central_at.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_sheet_claiming_every_cell_of_excel_is_refused_by_its_size() {
    let bytes = xlsx(
        &worksheet(
            "A1:XFD1048576",
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>"#,
        ),
        &shared_strings("1", &["单位名称"]),
    );
    assert!(bytes.len() < 2048, "{} bytes", bytes.len());
    let issue = read_table("objects.xlsx", &bytes).unwrap_err();
    assert_eq!(issue.code, IssueCode::TooManyColumns, "{issue:?}");
    assert!(
        issue
            .message_zh
            .contains(&format!("最多读取 {MAX_SHEET_COLUMNS} 列")),
        "{issue:?}"
    );
    assert!(issue.message_en.contains("16384"), "{issue:?}");

    // The same claim in rows only.
    let bytes = xlsx(
        &worksheet(
            "A1:B1048576",
            r#"<row r="1048576"><c r="B1048576" t="s"><v>0</v></c></row>"#,
        ),
        &shared_strings("1", &["x"]),
    );
    let issue = read_table("objects.xlsx", &bytes).unwrap_err();
    assert_eq!(issue.code, IssueCode::TooManyRows, "{issue:?}");
    assert!(
        issue.message_en.contains(&MAX_SHEET_ROWS.to_string()),
        "{issue:?}"
    );

    // A cell far out under a modest dimension is caught as it is read.
    let bytes = xlsx(
        &worksheet(
            "A1:B2",
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="900000"><c r="C900000" t="s"><v>0</v></c></row>"#,
        ),
        &shared_strings("1", &["x"]),
    );
    let issue = read_table("objects.xlsx", &bytes).unwrap_err();
    assert_eq!(issue.code, IssueCode::TooManyRows, "{issue:?}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn two_billion_declared_shared_strings_are_refused_before_any_is_reserved() {
    let bytes = xlsx(
        &worksheet("A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
        &shared_strings("2000000000", &["单位名称"]),
    );
    assert!(bytes.len() < 2048, "{} bytes", bytes.len());
    let issue = read_table("objects.xlsx", &bytes).unwrap_err();
    assert_eq!(issue.code, IssueCode::FileTooLarge, "{issue:?}");
    assert!(issue.message_zh.contains("共享字符串"), "{issue:?}");
    assert!(
        issue
            .message_en
            .contains(&format!("at most {MAX_SHARED_STRINGS}")),
        "{issue:?}"
    );
    // Under the absolute limit but more than the part could hold: also a lie.
    let bytes = xlsx(
        &worksheet("A1", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
        &shared_strings("1000000", &["x"]),
    );
    let issue = read_table("objects.xlsx", &bytes).unwrap_err();
    assert_eq!(issue.code, IssueCode::FileTooLarge, "{issue:?}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_one_megabyte_zip_bomb_is_refused_at_the_inflation_limit() {
    // 4 M matches of 258 bytes: ≈ 1 MB that inflates to ≈ 1.08 GB.
    let matches = 4 * 1024 * 1024;
    let data = deflate_bomb(matches);
    let inflated = matches as u64 * 258 + 1;
    let bytes = zip_with_raw_part("xl/worksheets/sheet1.xml", &data, inflated as u32);
    assert!(
        (1_000_000..1_100_000).contains(&bytes.len()),
        "{} bytes",
        bytes.len()
    );
    assert!(inflated > 4 * MAX_UNZIPPED_BYTES);
    let issue = read_table("objects.xlsx", &bytes).unwrap_err();
    assert_eq!(issue.code, IssueCode::FileTooLarge, "{issue:?}");
    assert!(
        issue.message_zh.contains(&format!(
            "解压后过大：最多 {} MB",
            MAX_UNZIPPED_BYTES / (1024 * 1024)
        )),
        "{issue:?}"
    );

    // The bomb is a real DEFLATE stream: a small one inflates to exactly what it claims, and
    // a sheet that small passes the size check (and is then just not a workbook).
    let small = zip_with_raw_part("xl/worksheets/sheet1.xml", &deflate_bomb(4), 4 * 258 + 1);
    let issue = read_table("objects.xlsx", &small).unwrap_err();
    assert_eq!(issue.code, IssueCode::UnreadableFile, "{issue:?}");
    let mut archive = zip::ZipArchive::new(Cursor::new(small)).unwrap();
    let mut part = archive.by_index(0).unwrap();
    let mut inflated = Vec::new();
    let _ = std::io::Read::read_to_end(&mut part, &mut inflated);
    assert_eq!(inflated, vec![0u8; 4 * 258 + 1]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn an_ordinary_sheet_still_reads_cell_by_cell_at_its_positions() {
    let bytes = xlsx(
        &worksheet(
            "B2:D3",
            r#"<row r="2"><c r="B2" t="s"><v>0</v></c><c r="D2" t="s"><v>1</v></c></row><row r="3"><c r="C3"><v>42</v></c></row>"#,
        ),
        &shared_strings("2", &["单位名称", "备注"]),
    );
    let table = read_table("objects.xlsx", &bytes).unwrap();
    assert_eq!(
        table.rows,
        vec![
            Vec::<String>::new(),
            vec!["".to_owned(), "单位名称".into(), "".into(), "备注".into()],
            vec!["".to_owned(), "".into(), "42".into()],
        ]
    );
}
