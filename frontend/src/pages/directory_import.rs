//! 名录导入: the import wizard. The file is read and validated in the browser
//! (`shared::directory`), so nothing is sent while any row has a problem; the columns can be
//! re-mapped (the mapping is remembered per account); clean rows are uploaded in chunks with a
//! progress bar, the worker re-checks them and previews the diff, and the commit writes all
//! rows or none.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sha2::{Digest, Sha256};
use shared::authz::Action;
use shared::directory::api::{CreateImportRequest, DirectoryKind, SavedMapping, upload_chunks};
use shared::directory::files::read_table;
use shared::directory::{
    ColumnMapping, Field, ImportIssue, InspectorField, MappingSource, ObjectField, Table,
    validate_inspectors, validate_objects,
};

use crate::api;
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Tr, tr};

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

    let commit = move |import_id: i64| {
        let remember = checked.get_untracked().map(|c| c.mapping());
        spawn_local(async move {
            match api::commit_import(import_id).await {
                Ok(result) => {
                    if let Some(mapping) = remember {
                        let _ = api::save_column_mapping(SavedMapping {
                            directory: kind.get_untracked(),
                            mapping,
                        })
                        .await;
                    }
                    let s = result.summary;
                    stage.set(Stage::Done(format!(
                        "{}：新增 {}，变更 {}，未变 {} / new {}, changed {}, unchanged {}",
                        lang.t(COMMITTED)(),
                        s.new,
                        s.changed,
                        s.unchanged,
                        s.new,
                        s.changed,
                        s.unchanged
                    )));
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
                    <p class="hint">{lang.t(CHANGED)} "：" {sample_names(&p["changed"])}</p>
                    <button data-testid="import-commit" on:click=move |_| commit(import_id)>{lang.t(COMMIT)}</button>
                    " "
                    <button on:click=move |_| abandon(import_id)>{lang.t(ABANDON)}</button>
                }.into_any()),
                Stage::Done(text) => Some(view! { <p class="success" role="status" data-testid="import-done">{text}</p> }.into_any()),
                _ => None,
            }}
        </section>
    }
}
