//! 名录导入: the import wizard. The file is read and validated in the browser
//! (`shared::directory`), so nothing is sent while any row has a problem; the columns can be
//! re-mapped (the mapping is remembered per account); clean rows are uploaded in chunks with a
//! progress bar, the worker re-checks them and previews the diff, and the commit writes all
//! rows or none.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sha2::{Digest, Sha256};
use shared::authz::Action;
use shared::directory::api::{
    ChangedSample, CreateImportRequest, DirectoryKind, SavedMapping, StatusReversal, upload_chunks,
};
use shared::directory::files::read_table;
use shared::directory::{
    ColumnMapping, Field, ImportIssue, InspectorField, InspectorRow, MappingSource, ObjectField,
    ObjectRow, Table, validate_inspectors, validate_objects,
};

use crate::api;
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Lang, Tr, tr};

const TITLE: Tr = tr("名录导入", "Import");
const DIRECTORY: Tr = tr("导入到", "Import into");
const OBJECTS: Tr = tr("检查对象名录库", "Inspection objects");
const INSPECTORS: Tr = tr("检查人员名录库", "Inspectors");
const FILE: Tr = tr(
    "选择文件（XLSX、XLS、ODS 或 CSV，UTF-8 或 GBK）",
    "File (XLSX, XLS, ODS or CSV, UTF-8 or GBK)",
);
const READING: Tr = tr("正在读取和校验…", "Reading and checking…");
const COLUMNS: Tr = tr("列对应关系", "Columns");
const COLUMN: Tr = tr("列", "Column");
const HEADER: Tr = tr("表头", "Header");
const FIELD: Tr = tr("对应字段", "Field");
const IGNORE: Tr = tr("（忽略此列）", "(ignore)");
const REMEMBERED: Tr = tr("已记住", "remembered");
const ISSUES: Tr = tr(
    "发现问题，未写入任何内容。请修改文件后重新选择：",
    "Problems found; nothing was written. Fix the file and choose it again:",
);
const ROW: Tr = tr("行", "Row");
const REASON: Tr = tr("原因", "Reason");
const VALID_ROWS: Tr = tr("校验通过的行数", "Rows that passed");
const UPLOAD: Tr = tr("上传并预览差异", "Upload and preview");
const UPLOADING: Tr = tr("正在上传", "Uploading");
const PREVIEW: Tr = tr("差异预览", "Preview");
const NEW: Tr = tr("新增", "New");
const CHANGED: Tr = tr("变更", "Changed");
const UNCHANGED: Tr = tr("未变", "Unchanged");
const MISSING: Tr = tr(
    "名录中有、文件中没有（不会删除）",
    "In the directory, not in the file (kept)",
);
const COMMIT: Tr = tr("确认导入", "Commit the import");
const ABANDON: Tr = tr("放弃", "Abandon");
const COMMITTED: Tr = tr("导入完成", "Import committed");
const CHANGES: Tr = tr("变更明细（原值 → 新值）", "Changes (stored → file)");
const RECORD: Tr = tr("记录", "Record");
const BEFORE: Tr = tr("原值", "Stored");
const AFTER: Tr = tr("新值", "From the file");
const EMPTY_VALUE: Tr = tr("（空）", "(empty)");
const MORE_CHANGES: Tr = tr("显示更多变更", "Show more changes");
const KEPT: Tr = tr(
    "文件中没有以下列，导入不会改动已登记的值：",
    "The file has no column for these fields; the import keeps what is stored:",
);
const REVERSALS: Tr = tr(
    "状态恢复（停产 → 在产、注销 → 其他），须逐一核对",
    "Status reversals (suspended → in production, closed → anything): check each",
);
const CONFIRM_REVERSALS: Tr = tr(
    "我已逐一核对以上状态恢复及其生效日期",
    "I have checked each reversal above and its effective date",
);
const ABANDONED: Tr = tr("已放弃，未写入任何内容", "Abandoned; nothing was written");

/// A file validated against one directory.
#[derive(Clone)]
enum Checked {
    Objects(shared::directory::ObjectImport),
    Inspectors(shared::directory::InspectorImport),
}

/// One column as the mapping table shows it.
#[derive(Clone, PartialEq)]
struct ColumnView {
    letter: String,
    header: String,
    field: Option<&'static str>,
    remembered: bool,
}

impl Checked {
    fn validate(kind: DirectoryKind, table: &Table, mapping: &SavedMapping) -> Checked {
        let json = serde_json::to_value(&mapping.mapping).unwrap_or_default();
        match kind {
            DirectoryKind::Objects => {
                let remembered: Option<ColumnMapping<ObjectField>> =
                    serde_json::from_value(json).ok();
                Checked::Objects(validate_objects(table, remembered.as_ref()))
            }
            DirectoryKind::Inspectors => {
                let remembered: Option<ColumnMapping<InspectorField>> =
                    serde_json::from_value(json).ok();
                Checked::Inspectors(validate_inspectors(table, remembered.as_ref()))
            }
        }
    }

    fn issues(&self) -> &[ImportIssue] {
        match self {
            Checked::Objects(import) => &import.issues,
            Checked::Inspectors(import) => &import.issues,
        }
    }

    fn row_count(&self) -> usize {
        match self {
            Checked::Objects(import) => import.rows.len(),
            Checked::Inspectors(import) => import.rows.len(),
        }
    }

    fn columns(&self) -> Vec<ColumnView> {
        fn view<F: Field>(columns: &[shared::directory::ResolvedColumn<F>]) -> Vec<ColumnView> {
            columns
                .iter()
                .map(|c| ColumnView {
                    letter: c.letter.clone(),
                    header: c.header.clone(),
                    field: c.field.map(|f| f.as_str()),
                    remembered: c.source == MappingSource::Remembered,
                })
                .collect()
        }
        match self {
            Checked::Objects(import) => view(&import.columns),
            Checked::Inspectors(import) => view(&import.columns),
        }
    }

    /// The mapping to remember, as the API stores it.
    fn mapping(&self) -> std::collections::BTreeMap<String, Option<String>> {
        let value = match self {
            Checked::Objects(import) => serde_json::to_value(import.mapping()),
            Checked::Inspectors(import) => serde_json::to_value(import.mapping()),
        };
        value
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default()
    }

    /// The fields the file has a column for: the import writes only these.
    fn fields(&self) -> Vec<String> {
        fn codes<F: Field>(fields: Vec<F>) -> Vec<String> {
            fields.into_iter().map(|f| f.as_str().to_owned()).collect()
        }
        match self {
            Checked::Objects(import) => codes(import.present_fields()),
            Checked::Inspectors(import) => codes(import.present_fields()),
        }
    }

    /// The upload bodies, [`IMPORT_CHUNK_ROWS`] rows each.
    fn chunks(&self) -> Vec<serde_json::Value> {
        fn chunks<R: shared::directory::DirectoryRow + serde::Serialize>(
            rows: &[shared::directory::NumberedRow<R>],
        ) -> Vec<serde_json::Value> {
            upload_chunks(rows)
                .into_iter()
                .map(
                    |range| serde_json::json!({"first_seq": range.start + 1, "rows": &rows[range]}),
                )
                .collect()
        }
        match self {
            Checked::Objects(import) => chunks(&import.rows),
            Checked::Inspectors(import) => chunks(&import.rows),
        }
    }
}

fn field_choices(kind: DirectoryKind) -> Vec<(&'static str, &'static str)> {
    match kind {
        DirectoryKind::Objects => ObjectField::ALL
            .iter()
            .map(|f| (f.as_str(), f.header_zh()))
            .collect(),
        DirectoryKind::Inspectors => InspectorField::ALL
            .iter()
            .map(|f| (f.as_str(), f.header_zh()))
            .collect(),
    }
}

/// One line of the change table: the record, the field, its stored and its new value.
struct ChangeLine {
    record: String,
    field: &'static str,
    before: String,
    after: String,
}

/// The change table of a preview's `changed` list, one line per changed field.
fn change_lines(kind: DirectoryKind, changed: &serde_json::Value, lang: Lang) -> Vec<ChangeLine> {
    fn lines<R, F>(changed: &serde_json::Value, lang: Lang) -> Vec<ChangeLine>
    where
        R: shared::directory::DirectoryRow<Field = F> + serde::de::DeserializeOwned,
        F: Field + serde::de::DeserializeOwned,
    {
        let samples: Vec<ChangedSample<R, F>> =
            serde_json::from_value(changed.clone()).unwrap_or_default();
        let mut out = Vec::new();
        for sample in samples {
            let (before, after) = (sample.before.cells(), sample.after.cells());
            let record = format!("{} {}", before[0], sample.before.key());
            for field in sample.fields {
                let Some(index) = F::ALL.iter().position(|f| *f == field) else {
                    continue;
                };
                out.push(ChangeLine {
                    record: record.clone(),
                    field: match lang {
                        Lang::Zh => field.header_zh(),
                        Lang::En => field.header_en(),
                    },
                    before: before[index].clone(),
                    after: after[index].clone(),
                });
            }
        }
        out
    }
    match kind {
        DirectoryKind::Objects => lines::<ObjectRow, ObjectField>(changed, lang),
        DirectoryKind::Inspectors => lines::<InspectorRow, InspectorField>(changed, lang),
    }
}

/// The labels of the fields the file has no column for.
fn kept_fields(kind: DirectoryKind, present: &serde_json::Value, lang: Lang) -> Vec<&'static str> {
    fn kept<F: Field>(present: &[String], lang: Lang) -> Vec<&'static str> {
        F::ALL
            .iter()
            .filter(|f| !present.iter().any(|code| code == f.as_str()))
            .map(|f| match lang {
                Lang::Zh => f.header_zh(),
                Lang::En => f.header_en(),
            })
            .collect()
    }
    let present: Vec<String> = serde_json::from_value(present.clone()).unwrap_or_default();
    match kind {
        DirectoryKind::Objects => kept::<ObjectField>(&present, lang),
        DirectoryKind::Inspectors => kept::<InspectorField>(&present, lang),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the chosen file's bytes.
async fn file_bytes(file: web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|err| format!("{err:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[derive(Clone, PartialEq)]
enum Stage {
    Choose,
    Reading,
    Checked,
    Uploading { done: usize, total: usize },
    Preview { import_id: i64 },
    Done(String),
}

#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::EditDirectories>
            <Import />
        </RequireAction>
    }
}

#[component]
fn Import() -> impl IntoView {
    let lang = use_lang();
    let kind = RwSignal::new(DirectoryKind::Objects);
    let stage = RwSignal::new(Stage::Choose);
    let error = RwSignal::new(None::<String>);
    let file = StoredValue::new(None::<(String, Vec<u8>, Table)>);
    let mapping = RwSignal::new(None::<SavedMapping>);
    let checked = RwSignal::new(None::<Checked>);
    let preview = RwSignal::new(None::<serde_json::Value>);

    let revalidate = move || {
        let (Some((_, _, table)), Some(saved)) = (file.get_value(), mapping.get_untracked()) else {
            return;
        };
        checked.set(Some(Checked::validate(
            kind.get_untracked(),
            &table,
            &saved,
        )));
        stage.set(Stage::Checked);
    };

    let choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(chosen) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        error.set(None);
        preview.set(None);
        checked.set(None);
        stage.set(Stage::Reading);
        spawn_local(async move {
            let name = chosen.name();
            let bytes = match file_bytes(chosen).await {
                Ok(bytes) => bytes,
                Err(message) => {
                    error.set(Some(message));
                    stage.set(Stage::Choose);
                    return;
                }
            };
            let saved = api::fetch_column_mapping(kind.get_untracked())
                .await
                .unwrap_or(SavedMapping {
                    directory: kind.get_untracked(),
                    mapping: Default::default(),
                });
            mapping.set(Some(saved));
            match read_table(&name, &bytes) {
                Ok(table) => {
                    file.set_value(Some((name, bytes, table)));
                    revalidate();
                }
                Err(issue) => {
                    file.set_value(None);
                    checked.set(None);
                    error.set(Some(issue.to_string_zh()));
                    stage.set(Stage::Choose);
                }
            }
        });
    };

    let remap = move |header: String, field: String| {
        mapping.update(|m| {
            if let Some(m) = m {
                let key = shared::directory::normalize_header(&header);
                m.mapping.insert(key, Some(field).filter(|f| !f.is_empty()));
            }
        });
        revalidate();
    };

    let upload = move |_| {
        let Some(checked_file) = checked.get_untracked() else {
            return;
        };
        let Some((name, bytes, _)) = file.get_value() else {
            return;
        };
        let chunks = checked_file.chunks();
        let total = checked_file.row_count();
        let directory = kind.get_untracked();
        stage.set(Stage::Uploading { done: 0, total });
        spawn_local(async move {
            let request = CreateImportRequest {
                directory,
                file_name: name,
                file_sha256: hex(&Sha256::digest(&bytes)),
                row_count: total as u32,
                fields: Some(checked_file.fields()),
            };
            let import = match api::create_import(request).await {
                Ok(import) => import,
                Err(err) => {
                    error.set(Some(err.message));
                    stage.set(Stage::Checked);
                    return;
                }
            };
            for chunk in &chunks {
                match api::upload_import_rows(import.id, chunk).await {
                    Ok(answer) => {
                        let done = answer["staged"].as_u64().unwrap_or(0) as usize;
                        stage.set(Stage::Uploading { done, total });
                    }
                    Err(err) => {
                        error.set(Some(err.message));
                        let _ = api::abandon_import(import.id).await;
                        stage.set(Stage::Checked);
                        return;
                    }
                }
            }
            match api::fetch_import_preview(import.id).await {
                Ok(answer) => {
                    preview.set(Some(answer));
                    stage.set(Stage::Preview {
                        import_id: import.id,
                    });
                }
                Err(err) => {
                    error.set(Some(err.message));
                    let _ = api::abandon_import(import.id).await;
                    stage.set(Stage::Checked);
                }
            }
        });
    };

    let confirmed = RwSignal::new(false);
    let more_changes = move |import_id: i64| {
        let Some(current) = preview.get_untracked() else {
            return;
        };
        let Some(last) = current["changed"]
            .as_array()
            .and_then(|list| list.last())
            .map(|last| {
                let after = &last["after"];
                after["credit_code"]
                    .as_str()
                    .or_else(|| after["employee_no"].as_str())
                    .unwrap_or_default()
                    .to_owned()
            })
        else {
            return;
        };
        spawn_local(async move {
            match api::fetch_import_preview_page(import_id, &last).await {
                Ok(page) => preview.update(|p| {
                    if let (Some(p), Some(more)) = (p.as_mut(), page["changed"].as_array()) {
                        if let Some(list) = p["changed"].as_array_mut() {
                            list.extend(more.iter().cloned());
                        }
                        p["changed_exhausted"] = serde_json::Value::Bool(more.is_empty());
                    }
                }),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    let commit = move |import_id: i64| {
        let remember = checked.get_untracked().map(|c| c.mapping());
        let confirm_reversals = confirmed.get_untracked();
        error.set(None);
        spawn_local(async move {
            match api::commit_import(import_id, confirm_reversals).await {
                Ok(result) => {
                    if let Some(mapping) = remember {
                        let _ = api::save_column_mapping(SavedMapping {
                            directory: kind.get_untracked(),
                            mapping,
                        })
                        .await;
                    }
                    let s = result.summary;
                    stage.set(Stage::Done(match lang.get() {
                        Lang::Zh => format!(
                            "{}：新增 {}，变更 {}，未变 {}",
                            COMMITTED.zh, s.new, s.changed, s.unchanged
                        ),
                        Lang::En => format!(
                            "{}: {} new, {} changed, {} unchanged",
                            COMMITTED.en, s.new, s.changed, s.unchanged
                        ),
                    }));
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    let abandon = move |import_id: i64| {
        spawn_local(async move {
            match api::abandon_import(import_id).await {
                Ok(_) => stage.set(Stage::Done(lang.t(ABANDONED)().to_owned())),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };

    let sample_names = |list: &serde_json::Value| -> String {
        list.as_array()
            .map(|rows| {
                rows.iter()
                    .map(|row| {
                        let record = if row.get("after").is_some() {
                            &row["after"]
                        } else {
                            row
                        };
                        record["name"].as_str().unwrap_or_default().to_owned()
                    })
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default()
    };

    view! {
        <section class="import">
            <h1>{lang.t(TITLE)}</h1>
            <form class="form grid" on:submit=|ev| ev.prevent_default()>
                <label><span>{lang.t(DIRECTORY)}</span>
                    <select name="directory" data-testid="import-directory" on:change=move |ev| {
                        kind.set(if event_target_value(&ev) == "inspectors" { DirectoryKind::Inspectors } else { DirectoryKind::Objects });
                        stage.set(Stage::Choose);
                        checked.set(None);
                    }>
                        <option value="objects">{lang.t(OBJECTS)}</option>
                        <option value="inspectors">{lang.t(INSPECTORS)}</option>
                    </select></label>
                <label><span>{lang.t(FILE)}</span>
                    <input type="file" data-testid="import-file" accept=".xlsx,.xls,.ods,.csv,.txt" on:change=choose /></label>
            </form>
            {move || error.get().map(|text| view! { <p class="error" role="alert" data-testid="import-error">{text}</p> })}
            {move || (stage.get() == Stage::Reading).then(|| view! { <p class="loading">{lang.t(READING)}</p> })}
            {move || checked.get().filter(|_| matches!(stage.get(), Stage::Checked | Stage::Uploading { .. })).map(|c| {
                let choices = field_choices(kind.get_untracked());
                let issues = c.issues().to_vec();
                let clean = issues.is_empty();
                view! {
                    <h2>{lang.t(COLUMNS)}</h2>
                    <table class="data-table" data-testid="import-columns">
                        <thead><tr><th>{lang.t(COLUMN)}</th><th>{lang.t(HEADER)}</th><th>{lang.t(FIELD)}</th></tr></thead>
                        <tbody>
                            {c.columns().into_iter().map(|column| {
                                let header = column.header.clone();
                                let choices = choices.clone();
                                view! {
                                    <tr>
                                        <td>{column.letter.clone()}</td>
                                        <td>{column.header.clone()} {column.remembered.then(|| view! { <small>" （" {lang.t(REMEMBERED)} "）"</small> })}</td>
                                        <td>
                                            <select on:change=move |ev| remap(header.clone(), event_target_value(&ev))>
                                                <option value="" selected=column.field.is_none()>{lang.t(IGNORE)}</option>
                                                {choices.into_iter().map(|(code, label)| view! {
                                                    <option value=code selected=column.field == Some(code)>{label}</option>
                                                }).collect_view()}
                                            </select>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {if clean {
                        view! {
                            <p data-testid="import-valid">{lang.t(VALID_ROWS)} "：" {c.row_count()}</p>
                            <button data-testid="import-upload" disabled=move || matches!(stage.get(), Stage::Uploading { .. }) on:click=upload>{lang.t(UPLOAD)}</button>
                        }.into_any()
                    } else {
                        view! {
                            <p class="error" role="alert">{lang.t(ISSUES)}</p>
                            <table class="data-table" data-testid="import-issues">
                                <thead><tr><th>{lang.t(ROW)}</th><th>{lang.t(COLUMN)}</th><th>{lang.t(REASON)}</th></tr></thead>
                                <tbody>
                                    {issues.iter().take(500).map(|issue| view! {
                                        <tr data-testid="import-issue">
                                            <td>{issue.row.map(|r| r.to_string()).unwrap_or_default()}</td>
                                            <td>{issue.column.as_ref().map(|c| format!("{} {}", c.letter, c.header)).unwrap_or_default()}</td>
                                            <td>{issue.to_string_zh()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(issues.len() > 500).then(|| view! { <p>{format!("…共 {} 处 / {} in all", issues.len(), issues.len())}</p> })}
                        }.into_any()
                    }}
                }
            })}
            {move || match stage.get() {
                Stage::Uploading { done, total } => Some(view! {
                    <p data-testid="import-progress">{lang.t(UPLOADING)} " " {done} " / " {total}</p>
                    <progress max=total.to_string() value=done.to_string()></progress>
                }.into_any()),
                Stage::Preview { import_id } => preview.get().map(|p| view! {
                    <h2>{lang.t(PREVIEW)}</h2>
                    <dl class="facts" data-testid="import-preview">
                        <dt>{lang.t(NEW)}</dt><dd data-testid="preview-new">{p["summary"]["new"].to_string()}</dd>
                        <dt>{lang.t(CHANGED)}</dt><dd data-testid="preview-changed">{p["summary"]["changed"].to_string()}</dd>
                        <dt>{lang.t(UNCHANGED)}</dt><dd>{p["summary"]["unchanged"].to_string()}</dd>
                        <dt>{lang.t(MISSING)}</dt><dd>{p["summary"]["missing"].to_string()}</dd>
                    </dl>
                    <p class="hint">{lang.t(NEW)} "：" {sample_names(&p["new"])}</p>
                    {
                        let kept = kept_fields(kind.get_untracked(), &p["import"]["fields"], lang.get());
                        (!kept.is_empty()).then(|| view! {
                            <p class="hint" data-testid="import-kept">{lang.t(KEPT)} " " {kept.join("、")}</p>
                        })
                    }
                    {
                        let lines = change_lines(kind.get_untracked(), &p["changed"], lang.get());
                        let total = p["summary"]["changed"].as_u64().unwrap_or(0) as usize;
                        let shown = p["changed"].as_array().map_or(0, |l| l.len());
                        let exhausted = p["changed_exhausted"].as_bool().unwrap_or(false);
                        (!lines.is_empty()).then(|| view! {
                            <h3>{lang.t(CHANGES)} " " {format!("{shown} / {total}")}</h3>
                            <table class="data-table" data-testid="import-changes">
                                <thead><tr><th>{lang.t(RECORD)}</th><th>{lang.t(FIELD)}</th><th>{lang.t(BEFORE)}</th><th>{lang.t(AFTER)}</th></tr></thead>
                                <tbody>
                                    {lines.into_iter().map(|line| {
                                        let empty = move |text: String| if text.is_empty() { lang.t(EMPTY_VALUE)().to_owned() } else { text };
                                        view! {
                                            <tr data-testid="import-change">
                                                <td>{line.record}</td>
                                                <td>{line.field}</td>
                                                <td>{empty(line.before)}</td>
                                                <td>{empty(line.after)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(shown < total && !exhausted).then(|| view! {
                                <button data-testid="import-more-changes" on:click=move |_| more_changes(import_id)>{lang.t(MORE_CHANGES)}</button>
                            })}
                        })
                    }
                    {
                        let reversals: Vec<StatusReversal> = serde_json::from_value(p["reversals"].clone()).unwrap_or_default();
                        (!reversals.is_empty()).then(|| view! {
                            <h3 class="warning">{lang.t(REVERSALS)} " " {reversals.len()}</h3>
                            <table class="data-table" data-testid="import-reversals">
                                <thead><tr><th>{lang.t(ROW)}</th><th>{lang.t(RECORD)}</th><th>{lang.t(BEFORE)}</th><th>{lang.t(AFTER)}</th></tr></thead>
                                <tbody>
                                    {reversals.into_iter().map(|r| {
                                        let status = move |row: &ObjectRow| format!(
                                            "{} {}",
                                            shared::labels::object_status(lang.get(), row.status),
                                            row.status_since.map(|d| d.to_string()).unwrap_or_default()
                                        );
                                        view! {
                                            <tr data-testid="import-reversal">
                                                <td>{r.row}</td>
                                                <td>{format!("{} {}", r.before.name, r.before.credit_code)}</td>
                                                <td>{status(&r.before)}</td>
                                                <td>{status(&r.after)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <label class="check"><input type="checkbox" data-testid="confirm-reversals"
                                prop:checked=move || confirmed.get()
                                on:change=move |ev| confirmed.set(event_target_checked(&ev)) />
                                " " {lang.t(CONFIRM_REVERSALS)}</label>
                        })
                    }
                    {
                        let needs_confirmation = p["summary"]["reversals"].as_u64().unwrap_or(0) > 0;
                        view! {
                            <button data-testid="import-commit"
                                disabled=move || needs_confirmation && !confirmed.get()
                                on:click=move |_| commit(import_id)>{lang.t(COMMIT)}</button>
                        }
                    }
                    " "
                    <button on:click=move |_| abandon(import_id)>{lang.t(ABANDON)}</button>
                }.into_any()),
                Stage::Done(text) => Some(view! { <p class="success" role="status" data-testid="import-done">{text}</p> }.into_any()),
                _ => None,
            }}
        </section>
    }
}
