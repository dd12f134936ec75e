//! The directory rules: credit codes, column mapping, validation of tables, diff and export.
//! Runs natively and in wasm (`wasm-bindgen-test-runner`).

use shared::calendar::Date;
use shared::directory::{
    ColumnMapping, CreditCode, CreditCodeError, DirectoryRow, Field, ImportIssue, InspectorField,
    MappingSource, ObjectField, ObjectRow, PermitClass, Table, diff_directory, export_inspectors,
    export_table, recheck_rows, validate_inspectors, validate_objects, write_csv,
};
use shared::draw::{Category, Grade, ObjectStatus};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

/// Codes of real format whose check characters were computed independently (Python, from the
/// standard's table) — several are published codes of well-known companies.
const VALID_CODES: [&str; 6] = [
    "91350100M000100Y43",
    "91110000802100433B",
    "911100001000044477",
    "91440300708461136T",
    "91310000717866186P",
    "91500230MA5U7A1B2B",
];

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn valid_credit_codes_are_accepted_and_normalized() {
    for code in VALID_CODES {
        assert_eq!(CreditCode::parse(code).unwrap().as_str(), code);
    }
    // Lower case, full width and surrounding space are normalized.
    assert_eq!(
        CreditCode::parse(" 91350100m000100y43 ").unwrap().as_str(),
        "91350100M000100Y43"
    );
    assert_eq!(
        CreditCode::parse("９１３５０１００Ｍ０００１００Ｙ４３")
            .unwrap()
            .as_str(),
        "91350100M000100Y43"
    );
    assert_eq!(
        CreditCode::with_check_character("91350100M000100Y4")
            .unwrap()
            .as_str(),
        "91350100M000100Y43"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn invalid_credit_codes_say_why() {
    let cases: [(&str, CreditCodeError); 6] = [
        ("91350100M000100Y44", mismatch('3', '4')),
        ("91350100M000100Y4", CreditCodeError::WrongLength(17)),
        ("91350100M000100Y433", CreditCodeError::WrongLength(19)),
        ("", CreditCodeError::WrongLength(0)),
        ("91350100I000100Y43", invalid(9, 'I')),
        ("913501O0M000100Y43", invalid(7, 'O')),
    ];
    for (input, expected) in cases {
        assert_eq!(CreditCode::parse(input), Err(expected), "{input}");
    }
    for letter in ['I', 'O', 'Z', 'S', 'V'] {
        let code = format!("9135010{letter}M000100Y43");
        assert_eq!(CreditCode::parse(&code), Err(invalid(8, letter)));
    }
    assert!(serde_json::from_str::<CreditCode>("\"91350100M000100Y44\"").is_err());
    assert_eq!(
        serde_json::from_str::<CreditCode>("\"91350100M000100Y43\"")
            .unwrap()
            .as_str(),
        "91350100M000100Y43"
    );
}

fn mismatch(expected: char, found: char) -> CreditCodeError {
    CreditCodeError::CheckCharacterMismatch { expected, found }
}

fn invalid(position: u8, character: char) -> CreditCodeError {
    CreditCodeError::InvalidCharacter {
        position,
        character,
    }
}

/// A table from CSV-ish text: one row per line, cells split on `|`.
fn table(text: &str) -> Table {
    Table::from_rows(
        text.lines()
            .map(|line| line.split('|').map(str::to_owned).collect())
            .collect(),
    )
}

/// One line per issue: `row:letter code`, or `ok N` when clean.
fn render(rows: usize, issues: &[ImportIssue]) -> String {
    if issues.is_empty() {
        return format!("ok {rows}");
    }
    issues
        .iter()
        .map(|issue| {
            format!(
                "{}:{} {}",
                issue.row.map_or("-".to_owned(), |row| row.to_string()),
                issue
                    .column
                    .as_ref()
                    .map_or("-".to_owned(), |column| column.letter.clone()),
                issue.code
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check_objects(input: &str, expect: &str) {
    let import = validate_objects(&table(input), None);
    assert_eq!(render(import.rows.len(), &import.issues), expect, "{input}");
    for issue in &import.issues {
        assert!(!issue.message_zh.is_empty() && !issue.message_en.is_empty());
    }
}

fn check_inspectors(input: &str, expect: &str) {
    let import = validate_inspectors(&table(input), None);
    assert_eq!(render(import.rows.len(), &import.issues), expect, "{input}");
}

const OBJECT_HEADER: &str = "企业名称|统一社会信用代码|类别|乡镇|行业|状态|生效日期";

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn object_tables() {
    let h = OBJECT_HEADER;
    check_objects(
        &format!("{h}\n甲|91350100M000100Y43|重点|名山街道|水泥制造|在产|"),
        "ok 1",
    );
    // Every problem of every row, with its row and column.
    check_objects(
        &format!(
            "{h}\n\
             甲|91350100M000100Y44|重点|名山街道|水泥制造||\n\
             |91110000802100433B|普通|名山街道|水泥制造|停产|\n\
             \n\
             丙|91110000802100433B|一般监管对象|=cmd|水泥制造|停产|2024-02-30\n\
             丁|911100001000044477|特殊|名山街道|水泥制造|倒闭|2024/3/5"
        ),
        "2:B invalid_credit_code\n\
         3:A empty_required\n\
         3:C unknown_category\n\
         3:G missing_status_date\n\
         5:B duplicate_key\n\
         5:D formula_like\n\
         5:G invalid_date\n\
         6:F unknown_status",
    );
    check_objects("", "-:- empty_file");
    check_objects("\n\n", "-:- empty_file");
    check_objects(h, "-:- no_data_rows");
    check_objects(
        "名称|代码\n甲|1",
        "1:- missing_column\n1:- missing_column\n1:- missing_column\n1:- missing_column",
    );
    check_objects(
        &format!("{h}|单位名称\n甲|91350100M000100Y43|重点|名山街道|水泥|在产||乙"),
        "1:H duplicate_column",
    );
    // The header may sit below a title row; row numbers stay the sheet's.
    check_objects(
        &format!(
            "丰都县检查对象名录（2024年）\n{h}\n甲|91350100M000100Y4X|重点|名山街道|水泥|在产|"
        ),
        "3:B invalid_credit_code",
    );
    check_objects(
        &format!("\n{h}\n甲|91350100M000100Y4X|重点|名山街道|水泥|在产|"),
        "3:B invalid_credit_code",
    );
    check_objects(
        &format!(
            "{h}\n{}|91350100M000100Y43|重点|名山街道|水泥|在产|",
            "长".repeat(101)
        ),
        "2:A cell_too_long",
    );
    check_objects(
        &format!("{h}\n甲\u{FFFD}|91350100M000100Y43|重点|名山街道|水泥|在产|"),
        "2:A replacement_character",
    );
    check_objects(
        &format!("{h}\n#N/A|91350100M000100Y43|重点|名山街道|水泥|在产|"),
        "2:A spreadsheet_error",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn all_object_fields_are_read() {
    let header: Vec<&str> = ObjectField::ALL.iter().map(|f| f.header_zh()).collect();
    let input = format!(
        "{}\n丰都县甲水泥有限公司|91350100M000100Y43|重点监管对象|名山街道|水泥制造|重庆市丰都县名山街道平都大道1号|已建成投产|废气|重点管理|大型|全年生产|自动监控|B级|停产|45356",
        header.join("|")
    );
    let import = validate_objects(&table(&input), None);
    assert_eq!(import.issues, []);
    let row = &import.rows[0];
    assert_eq!(row.row, 2);
    assert_eq!(
        row.record,
        ObjectRow {
            name: "丰都县甲水泥有限公司".into(),
            credit_code: CreditCode::parse("91350100M000100Y43").unwrap(),
            category: Category::Key,
            region: "名山街道".into(),
            industry: "水泥制造".into(),
            address: "重庆市丰都县名山街道平都大道1号".into(),
            construction_status: "已建成投产".into(),
            discharge_type: "废气".into(),
            permit_class: Some(PermitClass::Key),
            production_scale: "大型".into(),
            production_cycle: "全年生产".into(),
            monitoring_type: "自动监控".into(),
            weather_grade: Grade::B,
            status: ObjectStatus::Suspended,
            status_since: Some(Date::new(2024, 3, 5).unwrap()),
        }
    );
    assert!(
        import
            .columns
            .iter()
            .all(|column| column.source == MappingSource::Header)
    );
}

const INSPECTOR_HEADER: &str = "姓名|工号|执法证号|专业|科室|联系电话|是否在岗|从业年限";

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn inspector_tables() {
    let h = INSPECTOR_HEADER;
    check_inspectors(
        &format!(
            "{h}\n王伟|FDHB001|50023000001|水、大气；固废|县执法支队|+86 138 0000 0001|是|12年"
        ),
        "ok 1",
    );
    check_inspectors(
        &format!(
            "{h}\n\
             王伟|FDHB001|50023000001|水|县执法支队||是|3\n\
             李娜|FDHB001|50023000001|水|县执法支队||是|3\n\
             张敏|FD HB|||县执法支队|12ab|也许|七十\n\
             赵强|FDHB004||水、烹饪|||是|70"
        ),
        "3:B duplicate_key\n\
         3:C duplicate_certificate\n\
         4:B invalid_employee_no\n\
         4:F invalid_phone\n\
         4:G invalid_boolean\n\
         4:H invalid_number\n\
         5:D unknown_specialty\n\
         5:E empty_required\n\
         5:H invalid_number",
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn a_remembered_mapping_wins_and_round_trips_through_json() {
    let mut mapping = ColumnMapping::default();
    mapping.set("对象（必填）", Some(ObjectField::Name));
    mapping.set("备注", None);
    mapping.set("企业名称", None);
    let json = serde_json::to_string(&mapping).unwrap();
    assert_eq!(json, r#"{"企业名称":null,"备注":null,"对象":"name"}"#);
    let mapping: ColumnMapping<ObjectField> = serde_json::from_str(&json).unwrap();
    let input =
        "对象|企业名称|信用代码|类别|乡镇|行业|备注\n甲|乙|91350100M000100Y43|一般|名山街道|水泥|x";
    let import = validate_objects(&table(input), Some(&mapping));
    assert_eq!(import.issues, []);
    assert_eq!(import.rows[0].record.name, "甲");
    assert_eq!(import.columns[0].source, MappingSource::Remembered);
    assert_eq!(import.columns[1].field, None);
    assert_eq!(import.columns[2].source, MappingSource::Header);
    let remembered = import.mapping();
    assert_eq!(
        remembered.get("信用代码"),
        Some(Some(ObjectField::CreditCode))
    );
    assert_eq!(remembered.get("备注"), Some(None));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn messages_name_row_column_and_reason_in_chinese() {
    let import = validate_objects(
        &table(&format!(
            "{OBJECT_HEADER}\n甲|91350100M000100Y44|重点|名山街道|水泥|在产|"
        )),
        None,
    );
    assert_eq!(
        import.issues[0].to_string_zh(),
        "第 2 行 B 列（统一社会信用代码）：统一社会信用代码“91350100M000100Y44”无效：校验位错误：末位为“4”，按 GB 32100-2015 应为“3”"
    );
    assert_eq!(
        import.issues[0].to_string(),
        "row 2, column B (统一社会信用代码): invalid credit code \"91350100M000100Y44\": the check character is 4, expected 3 [invalid_credit_code]"
    );
    assert_eq!(
        serde_json::to_value(&import.issues[0]).unwrap()["code"],
        "invalid_credit_code"
    );
}

fn demo_like_objects() -> Vec<ObjectRow> {
    shared::demo::demo_objects().into_iter().take(50).collect()
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn diff_reports_new_changed_unchanged_and_missing_in_key_order() {
    let current = demo_like_objects();
    let mut imported: Vec<ObjectRow> = current[10..].to_vec();
    imported.reverse();
    imported[0].status = ObjectStatus::Closed;
    imported[0].status_since = Some(Date::new(2024, 6, 30).unwrap());
    imported[1].region = "名山街道".into();
    imported[1].name.push('X');
    let brand_new = CreditCode::with_check_character("91500230MA5U0000A").unwrap();
    imported.push(ObjectRow {
        credit_code: brand_new.clone(),
        ..current[0].clone()
    });
    let diff = diff_directory(&current, &imported);
    let summary = diff.summary();
    assert_eq!((summary.new, summary.changed, summary.missing), (1, 2, 10));
    assert_eq!(summary.unchanged, 38);
    assert_eq!(diff.new[0].credit_code, brand_new);
    let mut changed_fields: Vec<Vec<ObjectField>> =
        diff.changed.iter().map(|c| c.fields.clone()).collect();
    changed_fields.sort();
    let mut expected = vec![
        vec![ObjectField::Status, ObjectField::StatusSince],
        vec![ObjectField::Name, ObjectField::Region],
    ];
    // The second object may already be in 名山街道: then only its name changed.
    if imported[1].region
        == current
            .iter()
            .find(|o| o.key() == imported[1].key())
            .unwrap()
            .region
    {
        expected[1] = vec![ObjectField::Name];
    }
    if current
        .iter()
        .find(|o| o.key() == imported[0].key())
        .unwrap()
        .status
        == ObjectStatus::Closed
    {
        expected[0] = vec![ObjectField::StatusSince];
    }
    expected.sort();
    assert_eq!(changed_fields, expected);
    // Deterministic: sorted by key whatever the input order.
    let keys: Vec<&str> = diff.missing.iter().map(DirectoryRow::key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(
        diff,
        diff_directory(
            &current,
            &imported.iter().rev().cloned().collect::<Vec<_>>()
        )
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn exports_import_again_unchanged() {
    let objects = shared::demo::demo_objects();
    let exported = export_table(&objects);
    let import = validate_objects(&Table::from_rows(exported), None);
    assert_eq!(import.issues, []);
    assert_eq!(import.records(), objects);
    assert_eq!(recheck_rows(&objects, |t| validate_objects(t, None)), []);

    let inspectors = shared::demo::demo_inspectors();
    let import = validate_inspectors(
        &Table::from_rows(export_inspectors(&inspectors, true)),
        None,
    );
    assert_eq!(import.issues, []);
    assert_eq!(import.records(), inspectors);
    let public = export_inspectors(&inspectors, false);
    assert!(
        !public[0]
            .iter()
            .any(|header| header == InspectorField::Phone.header_zh())
    );
    assert!(
        public
            .iter()
            .all(|row| row.len() == InspectorField::ALL.len() - 1)
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn csv_export_has_a_bom_quotes_and_formula_guards() {
    let table = vec![
        vec!["名称".to_owned(), "备注".into()],
        vec!["a,b".to_owned(), "=HYPERLINK(\"http://x\")".into()],
        vec!["say \"hi\"".to_owned(), "-1".into()],
        vec!["@SUM(A1)".to_owned(), "+86".into()],
    ];
    let bytes = write_csv(&table);
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "\u{FEFF}名称,备注\r\n\"a,b\",\"'=HYPERLINK(\"\"http://x\"\")\"\r\n\"say \"\"hi\"\"\",'-1\r\n'@SUM(A1),'+86\r\n"
    );
}
