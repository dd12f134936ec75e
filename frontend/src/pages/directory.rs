//! 检查对象名录库 and 检查人员名录库: lists with filters, search and keyset paging, export of
//! the filtered view to CSV or XLSX (in the browser, from the list API), detail pages with the
//! status history and conflicts of interest, and the edit forms (planner only).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::authz::{Action, allowed};
use shared::directory::api::DirectoryKind;
use shared::directory::api::{
    AddConflictRequest, Facets, InspectorDetail, InspectorItem, ObjectDetail, ObjectItem,
    PageCursor, SetTagsRequest, StatusChangeRequest, UpdateInspectorRequest, UpdateObjectRequest,
};
use shared::directory::{
    ChineseLabel, Field, InspectorRow, ObjectRow, export_inspectors, export_table, files, write_csv,
};
use shared::draw::{Category, ObjectStatus};

use crate::api::{self, DirectoryFilter};
use crate::app::{RequireAction, use_auth, use_id_param, use_lang};
use crate::i18n::{Lang, Tr, common, tr};

const OBJECTS_TITLE: Tr = tr("检查对象名录库", "Inspection objects");
const INSPECTORS_TITLE: Tr = tr("检查人员名录库", "Inspectors");
const SEARCH: Tr = tr("搜索", "Search");
const SEARCH_HINT: Tr = tr("名称或统一社会信用代码", "Name or credit code");
const SEARCH_HINT_INSPECTOR: Tr = tr("姓名、工号或执法证号", "Name, employee no. or certificate");
const ALL: Tr = tr("全部", "All");
const CATEGORY: Tr = tr("监管类别", "Category");
const REGION: Tr = tr("所属乡镇（街道）", "Town / street");
const INDUSTRY: Tr = tr("行业类别", "Industry");
const STATUS: Tr = tr("生产状态", "Status");
const PERMIT: Tr = tr("排污许可管理类别", "Permit class");
const GRADE: Tr = tr("绩效分级", "Weather grade");
const DISCHARGE: Tr = tr("排放类型", "Discharge type");
const TAGS: Tr = tr("标签", "Tags");
const TAGS_HINT: Tr = tr("标签（以、或逗号分隔）", "Tags (separated by 、 or commas)");
const NAME: Tr = tr("名称", "Name");
const CREDIT_CODE: Tr = tr("统一社会信用代码", "Credit code");
const THIS_YEAR: Tr = tr("本年检查（随机/专项）", "This year (random/targeted)");
const TOTAL: Tr = tr("共", "Total");
const NEXT: Tr = tr("下一页", "Next page");
const PREVIOUS: Tr = tr("上一页", "Previous page");
const FIRST: Tr = tr("第一页", "First page");
const EXPORT_CSV: Tr = tr("导出 CSV", "Export CSV");
const EXPORT_XLSX: Tr = tr("导出 Excel", "Export XLSX");
const EXPORTING: Tr = tr("正在导出…", "Exporting…");
const DEPARTMENT: Tr = tr("科室", "Section");
const EMPLOYEE_NO: Tr = tr("工号", "Employee no.");
const POST: Tr = tr("岗位", "Post");
const SPECIALTIES: Tr = tr("专业特长", "Specialties");
const ON_DUTY: Tr = tr("在岗", "On duty");
const OFF_DUTY: Tr = tr("不在岗", "Off duty");
const EDIT: Tr = tr("编辑", "Edit");
const HISTORY: Tr = tr("状态变更记录", "Status history");
const CHANGE_STATUS: Tr = tr(
    "状态变更（停产 / 复产 / 注销）",
    "Change status (suspend / resume / close)",
);
const EFFECTIVE_DATE: Tr = tr("生效日期", "Effective date");
const REASON: Tr = tr("原因", "Reason");
const RECORDED: Tr = tr("登记", "Recorded");
const CONFLICTS: Tr = tr("回避关系（利益冲突）", "Conflicts of interest");
const ADD_CONFLICT: Tr = tr("登记回避", "Declare");
const REMOVE: Tr = tr("撤销", "Remove");
const INSPECTOR: Tr = tr("检查人员", "Inspector");
const CONFLICT_HINT: Tr = tr(
    "回避关系在检查对象的页面登记和撤销。",
    "Conflicts of interest are declared and removed on the object's page.",
);
const ADDRESS: Tr = tr("地址", "Address");
const PHONE: Tr = tr("联系电话", "Phone");
const YEARS: Tr = tr("从业年限", "Years of service");
const CERTIFICATE: Tr = tr("执法证号", "Certificate");
const BACK_OBJECTS: Tr = tr("返回名录", "Back to the list");

/// The three categories, in the order of the seed.
const CATEGORIES: [Category; 3] = [Category::General, Category::Key, Category::Special];

/// Rows per list page.
const PAGE: u32 = 50;
/// Rows per request when exporting a whole filtered view.
const EXPORT_PAGE: u32 = 500;

fn status_label(status: ObjectStatus) -> &'static str {
    status.label_zh()
}

fn error_view(error: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(
            |text| view! { <p class="error" role="alert" data-testid="directory-error">{text}</p> },
        )
    }
}

pub(crate) use crate::download::download;

/// Writes the export in the chosen format and downloads it.
fn save_table(stem: &str, xlsx: bool, sheet: &str, table: &[Vec<String>]) -> Result<(), String> {
    if xlsx {
        download(
            &format!("{stem}.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &files::write_xlsx(sheet, table),
        )
    } else {
        download(
            &format!("{stem}.csv"),
            "text/csv;charset=utf-8",
            &write_csv(table),
        )
    }
}

/// The paging state of a list: the cursors of the pages before the current one.
#[derive(Clone, Default)]
struct Paging {
    /// `stack[i]` is where page `i` starts (`None`: the first page).
    stack: Vec<Option<PageCursor>>,
}

#[component]
fn Pager(
    paging: RwSignal<Paging>,
    next: Signal<Option<PageCursor>>,
    total: Signal<u32>,
    load: Callback<Option<PageCursor>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="pager">
            <span data-testid="list-total">{lang.t(TOTAL)} " " {move || total.get()}</span>
            <button
                disabled=move || paging.with(|p| p.stack.len() <= 1)
                on:click=move |_| {
                    paging.update(|p| { p.stack.truncate(1); });
                    load.run(None);
                }
            >{lang.t(FIRST)}</button>
            <button
                disabled=move || paging.with(|p| p.stack.len() <= 1)
                on:click=move |_| {
                    let mut previous = None;
                    paging.update(|p| {
                        p.stack.pop();
                        previous = p.stack.last().cloned().flatten();
                    });
                    load.run(previous);
                }
            >{lang.t(PREVIOUS)}</button>
            <button
                data-testid="next-page"
                disabled=move || next.get().is_none()
                on:click=move |_| {
                    if let Some(cursor) = next.get_untracked() {
                        paging.update(|p| p.stack.push(Some(cursor.clone())));
                        load.run(Some(cursor));
                    }
                }
            >{lang.t(NEXT)}</button>
        </div>
    }
}

fn select_options(values: Vec<(String, String)>) -> impl IntoView {
    values
        .into_iter()
        .map(|(value, label)| view! { <option value=value>{label}</option> })
        .collect_view()
}

#[component]
pub fn ObjectsPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDirectories>
            <Objects />
        </RequireAction>
    }
}

#[component]
fn Objects() -> impl IntoView {
    let lang = use_lang();
    let q = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let industry = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let permit = RwSignal::new(String::new());
    let grade = RwSignal::new(String::new());
    let discharge = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let facets = RwSignal::new(Facets::default());
    let objects = RwSignal::new(Vec::<ObjectItem>::new());
    let next = RwSignal::new(None::<PageCursor>);
    let total = RwSignal::new(0u32);
    let error = RwSignal::new(None::<String>);
    let exporting = RwSignal::new(false);
    let paging = RwSignal::new(Paging { stack: vec![None] });
    let filter = move || DirectoryFilter {
        pairs: vec![
            ("q", q.get_untracked()),
            ("category", category.get_untracked()),
            ("region", region.get_untracked()),
            ("industry", industry.get_untracked()),
            ("status", status.get_untracked()),
            ("permit_class", permit.get_untracked()),
            ("weather_grade", grade.get_untracked()),
            ("discharge_type", discharge.get_untracked()),
            ("tag", tag.get_untracked()),
        ],
    };
    let load = Callback::new(move |cursor: Option<PageCursor>| {
        let query = filter().query(PAGE, cursor.as_ref());
        spawn_local(async move {
            match api::fetch_objects(&query).await {
                Ok(page) => {
                    objects.set(page.objects);
                    next.set(page.next);
                    total.set(page.total);
                    error.set(None);
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    });
    load.run(None);
    spawn_local(async move {
        if let Ok(values) = api::fetch_facets().await {
            facets.set(values);
        }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        paging.set(Paging { stack: vec![None] });
        load.run(None);
    };
    let export = move |xlsx: bool| {
        let filter = filter();
        exporting.set(true);
        spawn_local(async move {
            let mut rows: Vec<ObjectRow> = Vec::new();
            let mut cursor: Option<PageCursor> = None;
            let result = loop {
                match api::fetch_objects(&filter.query(EXPORT_PAGE, cursor.as_ref())).await {
                    Ok(page) => {
                        rows.extend(page.objects.into_iter().map(|item| item.record));
                        match page.next {
                            Some(next) => cursor = Some(next),
                            None => break Ok(()),
                        }
                    }
                    Err(err) => break Err(err.message),
                }
            };
            let result = result
                .and_then(|()| save_table("检查对象名录", xlsx, "检查对象", &export_table(&rows)));
            if let Err(message) = result {
                error.set(Some(message));
            }
            exporting.set(false);
        });
    };
    let facet = move |pick: fn(&Facets) -> Vec<String>| {
        move || {
            select_options(
                facets
                    .with(pick)
                    .into_iter()
                    .map(|value| (value.clone(), value))
                    .collect(),
            )
        }
    };
    let all = move || view! { <option value="">{lang.t(ALL)}</option> };
    view! {
        <section class="directory">
            <h1>{lang.t(OBJECTS_TITLE)}</h1>
            <form class="form filters" on:submit=search data-testid="object-filters">
                <label><span>{lang.t(SEARCH)}</span>
                    <input name="q" bind:value=q placeholder=lang.t(SEARCH_HINT) /></label>
                <label><span>{lang.t(CATEGORY)}</span>
                    <select name="category" bind:value=category>{all}
                        {CATEGORIES.iter().map(|c| {
                            let code = serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                            view! { <option value=code>{c.label_zh()}</option> }
                        }).collect_view()}
                    </select></label>
                <label><span>{lang.t(REGION)}</span>
                    <select name="region" bind:value=region>{all}{facet(|f| f.regions.clone())}</select></label>
                <label><span>{lang.t(INDUSTRY)}</span>
                    <select name="industry" bind:value=industry>{all}{facet(|f| f.industries.clone())}</select></label>
                <label><span>{lang.t(DISCHARGE)}</span>
                    <select name="discharge_type" bind:value=discharge>{all}{facet(|f| f.discharge_types.clone())}</select></label>
                <label><span>{lang.t(STATUS)}</span>
                    <select name="status" bind:value=status>{all}
                        <option value="active">"在产"</option>
                        <option value="suspended">"停产"</option>
                        <option value="closed">"注销"</option>
                    </select></label>
                <label><span>{lang.t(PERMIT)}</span>
                    <select name="permit_class" bind:value=permit>{all}
                        <option value="key">"重点管理"</option>
                        <option value="simplified">"简化管理"</option>
                        <option value="registration">"登记管理"</option>
                        <option value="none">"无"</option>
                    </select></label>
                <label><span>{lang.t(GRADE)}</span>
                    <select name="weather_grade" bind:value=grade>{all}
                        {["A", "B", "C", "D"].map(|g| view! { <option value=g>{g}</option> }).collect_view()}
                        <option value="unrated">"未评级"</option>
                    </select></label>
                <label>
                    <span>{lang.t(TAGS)}</span>
                    <select name="tag" bind:value=tag>
                        {all}
                        {facet(|f| f.tags.clone())}
                    </select>
                </label>
                <button type="submit" data-testid="object-search">{lang.t(SEARCH)}</button>
            </form>
            <div class="toolbar">
                <button data-testid="export-csv" disabled=move || exporting.get() on:click=move |_| export(false)>{lang.t(EXPORT_CSV)}</button>
                <button data-testid="export-xlsx" disabled=move || exporting.get() on:click=move |_| export(true)>{lang.t(EXPORT_XLSX)}</button>
                {move || exporting.get().then(|| view! { <span class="loading">{lang.t(EXPORTING)}</span> })}
            </div>
            {error_view(error)}
            {move || allowed(use_auth().role(), Action::EditDirectories).then(|| view! {
                <details class="new-record">
                    <summary data-testid="new-object">{lang.t(NEW_OBJECT)}</summary>
                    <NewRecordForm kind=DirectoryKind::Objects />
                </details>
            })}
            <table class="data-table" data-testid="objects-table">
                <thead><tr>
                    <th>{lang.t(NAME)}</th><th>{lang.t(CREDIT_CODE)}</th><th>{lang.t(CATEGORY)}</th>
                    <th>{lang.t(REGION)}</th><th>{lang.t(INDUSTRY)}</th><th>{lang.t(STATUS)}</th>
                    <th>{lang.t(THIS_YEAR)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || objects.get() key=|o| (o.id, o.version) let:object>
                        <tr data-testid="object-row">
                            <td><A href=format!("/objects/{}", object.id)>{object.record.name.clone()}</A></td>
                            <td class="code">{object.record.credit_code.to_string()}</td>
                            <td>{object.record.category.label_zh()}</td>
                            <td>{object.record.region.clone()}</td>
                            <td>{object.record.industry.clone()}</td>
                            <td>{status_label(object.record.status)}</td>
                            <td>{format!("{} / {}", object.counts.random, object.counts.targeted)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <Pager paging next=next.into() total=total.into() load />
        </section>
    }
}

#[component]
pub fn ObjectPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDirectories>
            <ObjectDetailView />
        </RequireAction>
    }
}

/// The tags typed in one field, separated by 、 ， , ； ; or line breaks.
fn split_tags(text: &str) -> Vec<String> {
    text.split(['、', '，', ',', '；', ';', '\n'])
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A text field of a record, for the edit forms.
type TextField<R> = fn(&mut R) -> &mut String;

/// The editable text fields of an object, with their labels.
fn object_text_fields() -> [(Tr, TextField<ObjectRow>); 9] {
    [
        (NAME, |r| &mut r.name),
        (REGION, |r| &mut r.region),
        (INDUSTRY, |r| &mut r.industry),
        (ADDRESS, |r| &mut r.address),
        (tr("建设状态", "Construction status"), |r| {
            &mut r.construction_status
        }),
        (DISCHARGE, |r| &mut r.discharge_type),
        (tr("生产规模", "Scale"), |r| &mut r.production_scale),
        (tr("生产周期", "Production cycle"), |r| {
            &mut r.production_cycle
        }),
        (tr("监控类型", "Monitoring"), |r| &mut r.monitoring_type),
    ]
}

#[component]
fn ObjectDetailView() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let id = use_id_param();
    let detail = RwSignal::new(None::<ObjectDetail>);
    let draft = RwSignal::new(None::<ObjectRow>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            match api::fetch_object(id()).await {
                Ok(d) => {
                    draft.set(Some(d.object.record.clone()));
                    detail.set(Some(d));
                }
                Err(err) => error.set(Some(err.message)),
            }
        })
    };
    reload();
    let can_edit = move || allowed(auth.role(), Action::EditDirectories);
    let version = move || detail.with_untracked(|d| d.as_ref().map_or(0, |d| d.object.version));
    let report = move |result: Result<(), String>| match result {
        Ok(()) => {
            error.set(None);
            notice.set(Some(lang.t(common::SAVED)().to_owned()));
            reload();
        }
        Err(message) => {
            notice.set(None);
            error.set(Some(message));
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(record) = draft.get_untracked() else {
            return;
        };
        let request = UpdateObjectRequest {
            version: version(),
            record,
        };
        spawn_local(async move {
            report(
                api::update_object(id(), request)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.message),
            );
        });
    };
    let new_status = RwSignal::new("suspended".to_owned());
    let status_date = RwSignal::new(String::new());
    let status_reason = RwSignal::new(String::new());
    let change_status = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let status: Result<ObjectStatus, _> =
            serde_json::from_value(serde_json::Value::String(new_status.get_untracked()));
        let Ok(date) = status_date.get_untracked().parse() else {
            error.set(Some("请填写生效日期 / enter the effective date".to_owned()));
            return;
        };
        let Ok(status) = status else { return };
        let request = StatusChangeRequest {
            version: version(),
            status,
            effective_date: date,
            reason: status_reason.get_untracked(),
        };
        spawn_local(async move {
            report(
                api::change_object_status(id(), request)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.message),
            );
        });
    };
    let tags_text = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(d) = detail.get() {
            tags_text.set(d.tags.join("、"));
        }
    });
    let save_tags = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tags = split_tags(&tags_text.get_untracked());
        spawn_local(async move {
            report(
                api::set_object_tags(id(), SetTagsRequest { tags })
                    .await
                    .map(|_| ())
                    .map_err(|e| e.message),
            );
        });
    };
    let inspectors = RwSignal::new(Vec::<InspectorItem>::new());
    let conflict_inspector = RwSignal::new(String::new());
    let conflict_reason = RwSignal::new(String::new());
    spawn_local(async move {
        if let Ok(page) = api::fetch_inspectors("?limit=500").await {
            inspectors.set(page.inspectors);
        }
    });
    let add_conflict = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(inspector_id) = conflict_inspector.get_untracked().parse() else {
            return;
        };
        let request = AddConflictRequest {
            inspector_id,
            reason: conflict_reason.get_untracked(),
        };
        spawn_local(async move {
            report(
                api::add_conflict(id(), request)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.message),
            );
        });
    };
    let remove_conflict = move |inspector_id: i64| {
        spawn_local(async move {
            report(
                api::remove_conflict(id(), inspector_id)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.message),
            );
        });
    };

    view! {
        <section class="directory-detail">
            <p><A href="/objects">{lang.t(BACK_OBJECTS)}</A></p>
            {error_view(error)}
            {move || notice.get().map(|text| view! { <p class="success" role="status">{text}</p> })}
            {move || detail.get().map(|d| {
                let o = d.object.clone();
                view! {
                    <h1 data-testid="object-name">{o.record.name.clone()}</h1>
                    <dl class="facts">
                        <dt>{lang.t(CREDIT_CODE)}</dt><dd class="code">{o.record.credit_code.to_string()}</dd>
                        <dt>{lang.t(CATEGORY)}</dt><dd>{o.record.category.label_zh()}</dd>
                        <dt>{lang.t(STATUS)}</dt><dd data-testid="object-status">{status_label(o.record.status)}
                            {o.record.status_since.map(|d| format!("（{d} 起）"))}</dd>
                        <dt>{lang.t(PERMIT)}</dt><dd>{o.record.permit_class.map_or("—", |p| p.label_zh())}</dd>
                        <dt>{lang.t(GRADE)}</dt><dd>{o.record.weather_grade.label_zh()}</dd>
                        <dt>{lang.t(THIS_YEAR)}</dt><dd>{format!("{} / {}（{} 年）", o.counts.random, o.counts.targeted, o.counts.year)}</dd>
                        <dt>{lang.t(TAGS)}</dt><dd data-testid="object-tags">{d.tags.join("、")}</dd>
                    </dl>
                    <h2>{lang.t(HISTORY)}</h2>
                    <table class="data-table" data-testid="status-history">
                        <thead><tr><th>{lang.t(EFFECTIVE_DATE)}</th><th>{lang.t(STATUS)}</th><th>{lang.t(REASON)}</th><th>{lang.t(RECORDED)}</th></tr></thead>
                        <tbody>
                            {d.history.clone().into_iter().map(|h| view! {
                                <tr>
                                    <td>{h.effective_date.to_string()}</td>
                                    <td>{format!("{} → {}", h.from_status.map_or("—", status_label), status_label(h.to_status))}</td>
                                    <td>{h.reason.clone()}</td>
                                    <td>{format!("{} {}", h.recorded_at.get(..10).unwrap_or_default(), h.recorded_by.clone().unwrap_or_default())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>{lang.t(CONFLICTS)}</h2>
                    <ul data-testid="conflicts">
                        {d.conflicts.clone().into_iter().map(|c| {
                            let inspector_id = c.inspector_id;
                            view! {
                                <li>
                                    <A href=format!("/inspectors/{}", c.inspector_id)>{format!("{}（{}）", c.inspector_name, c.employee_no)}</A>
                                    {format!("：{}", c.reason)}
                                    {can_edit().then(|| view! {
                                        " " <button class="link-button" on:click=move |_| remove_conflict(inspector_id)>{lang.t(REMOVE)}</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
            })}
            {move || can_edit().then(|| view! {
                <form class="form grid" on:submit=add_conflict data-testid="conflict-form">
                    <label><span>{lang.t(INSPECTOR)}</span>
                        <select bind:value=conflict_inspector>
                            <option value="">"—"</option>
                            {move || inspectors.get().into_iter().map(|i| view! {
                                <option value=i.id.to_string()>{format!("{}（{}，{}）", i.record.name, i.record.employee_no, i.record.department)}</option>
                            }).collect_view()}
                        </select></label>
                    <label><span>{lang.t(REASON)}</span><input bind:value=conflict_reason /></label>
                    <button type="submit">{lang.t(ADD_CONFLICT)}</button>
                </form>
                <form class="form grid" on:submit=save_tags data-testid="tags-form">
                    <label><span>{lang.t(TAGS_HINT)}</span><input name="tags" bind:value=tags_text /></label>
                    <button type="submit">{lang.t(common::SAVE)}</button>
                </form>
                <h2>{lang.t(CHANGE_STATUS)}</h2>
                <form class="form grid" on:submit=change_status data-testid="status-form">
                    <label><span>{lang.t(STATUS)}</span>
                        <select name="status" bind:value=new_status>
                            <option value="suspended">"停产"</option>
                            <option value="active">"复产（在产）"</option>
                            <option value="closed">"注销"</option>
                        </select></label>
                    <label><span>{lang.t(EFFECTIVE_DATE)}</span><input name="effective_date" type="date" bind:value=status_date /></label>
                    <label><span>{lang.t(REASON)}</span><input name="reason" bind:value=status_reason /></label>
                    <button type="submit">{lang.t(common::SAVE)}</button>
                </form>
                <h2>{lang.t(EDIT)}</h2>
                <form class="form grid" on:submit=save data-testid="object-form">
                    {object_text_fields().into_iter().map(|(label, field)| view! {
                        <label><span>{lang.t(label)}</span>
                            <input
                                prop:value=move || draft.with(|d| d.clone().map(|mut r| field(&mut r).clone()).unwrap_or_default())
                                on:input=move |ev| {
                                    let value = event_target_value(&ev);
                                    draft.update(|d| if let Some(r) = d { *field(r) = value; });
                                }
                            /></label>
                    }).collect_view()}
                    <label><span>{lang.t(CATEGORY)}</span>
                        <select on:change=move |ev| {
                            let value = event_target_value(&ev);
                            if let Ok(category) = serde_json::from_value::<Category>(serde_json::Value::String(value)) {
                                draft.update(|d| if let Some(r) = d { r.category = category; });
                            }
                        }>
                            {move || CATEGORIES.iter().map(|c| {
                                let code = serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                                let selected = draft.with(|d| d.as_ref().is_some_and(|r| r.category == *c));
                                view! { <option value=code selected=selected>{c.label_zh()}</option> }
                            }).collect_view()}
                        </select></label>
                    <button type="submit">{lang.t(common::SAVE)}</button>
                </form>
            })}
        </section>
    }
}

#[component]
pub fn InspectorsPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDirectories>
            <Inspectors />
        </RequireAction>
    }
}

#[component]
fn Inspectors() -> impl IntoView {
    let lang = use_lang();
    let q = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let specialty = RwSignal::new(String::new());
    let active = RwSignal::new(String::new());
    let facets = RwSignal::new(Facets::default());
    let inspectors = RwSignal::new(Vec::<InspectorItem>::new());
    let next = RwSignal::new(None::<PageCursor>);
    let total = RwSignal::new(0u32);
    let error = RwSignal::new(None::<String>);
    let paging = RwSignal::new(Paging { stack: vec![None] });
    let filter = move || DirectoryFilter {
        pairs: vec![
            ("q", q.get_untracked()),
            ("department", department.get_untracked()),
            ("specialty", specialty.get_untracked()),
            ("active", active.get_untracked()),
        ],
    };
    let load = Callback::new(move |cursor: Option<PageCursor>| {
        let query = filter().query(PAGE, cursor.as_ref());
        spawn_local(async move {
            match api::fetch_inspectors(&query).await {
                Ok(page) => {
                    inspectors.set(page.inspectors);
                    next.set(page.next);
                    total.set(page.total);
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    });
    load.run(None);
    spawn_local(async move {
        if let Ok(values) = api::fetch_facets().await {
            facets.set(values);
        }
    });
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        paging.set(Paging { stack: vec![None] });
        load.run(None);
    };
    let export = move |xlsx: bool| {
        let filter = filter();
        spawn_local(async move {
            let mut rows: Vec<InspectorRow> = Vec::new();
            let mut cursor: Option<PageCursor> = None;
            loop {
                match api::fetch_inspectors(&filter.query(EXPORT_PAGE, cursor.as_ref())).await {
                    Ok(page) => {
                        rows.extend(page.inspectors.into_iter().map(|item| item.record));
                        match page.next {
                            Some(next) => cursor = Some(next),
                            None => break,
                        }
                    }
                    Err(err) => {
                        error.set(Some(err.message));
                        return;
                    }
                }
            }
            // Lists never carry phone numbers; the export leaves the column out.
            let table = export_inspectors(&rows, false);
            if let Err(message) = save_table("检查人员名录", xlsx, "检查人员", &table) {
                error.set(Some(message));
            }
        });
    };
    view! {
        <section class="directory">
            <h1>{lang.t(INSPECTORS_TITLE)}</h1>
            <form class="form filters" on:submit=search>
                <label><span>{lang.t(SEARCH)}</span><input name="q" bind:value=q placeholder=lang.t(SEARCH_HINT_INSPECTOR) /></label>
                <label><span>{lang.t(DEPARTMENT)}</span>
                    <select bind:value=department><option value="">{lang.t(ALL)}</option>
                        {move || select_options(facets.get().departments.into_iter().map(|d| (d.clone(), d)).collect())}
                    </select></label>
                <label><span>{lang.t(SPECIALTIES)}</span>
                    <select bind:value=specialty><option value="">{lang.t(ALL)}</option>
                        {shared::directory::SPECIALTIES.iter().map(|(code, label, _)| view! { <option value=*code>{*label}</option> }).collect_view()}
                    </select></label>
                <label><span>{lang.t(ON_DUTY)}</span>
                    <select bind:value=active><option value="">{lang.t(ALL)}</option>
                        <option value="true">{lang.t(ON_DUTY)}</option><option value="false">{lang.t(OFF_DUTY)}</option>
                    </select></label>
                <button type="submit">{lang.t(SEARCH)}</button>
            </form>
            <div class="toolbar">
                <button on:click=move |_| export(false)>{lang.t(EXPORT_CSV)}</button>
                <button on:click=move |_| export(true)>{lang.t(EXPORT_XLSX)}</button>
            </div>
            {error_view(error)}
            {move || allowed(use_auth().role(), Action::EditDirectories).then(|| view! {
                <details class="new-record">
                    <summary data-testid="new-inspector">{lang.t(NEW_INSPECTOR)}</summary>
                    <NewRecordForm kind=DirectoryKind::Inspectors />
                </details>
            })}
            <table class="data-table" data-testid="inspectors-table">
                <thead><tr>
                    <th>{lang.t(NAME)}</th><th>{lang.t(EMPLOYEE_NO)}</th><th>{lang.t(DEPARTMENT)}</th>
                    <th>{lang.t(POST)}</th><th>{lang.t(SPECIALTIES)}</th><th>{lang.t(ON_DUTY)}</th><th>{lang.t(THIS_YEAR)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || inspectors.get() key=|i| (i.id, i.version) let:inspector>
                        {
                            let href = format!("/inspectors/{}", inspector.id);
                            let name = inspector.record.name.clone();
                            let specialties = specialties_text(&inspector.record);
                            let active = inspector.record.active;
                            let counts = format!("{} / {}", inspector.counts.random, inspector.counts.targeted);
                            view! {
                                <tr data-testid="inspector-row">
                                    <td><A href=href>{name}</A></td>
                                    <td class="code">{inspector.record.employee_no.clone()}</td>
                                    <td>{inspector.record.department.clone()}</td>
                                    <td>{inspector.record.post.clone()}</td>
                                    <td>{specialties}</td>
                                    <td>{move || if active { lang.t(ON_DUTY)() } else { lang.t(OFF_DUTY)() }}</td>
                                    <td>{counts}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <Pager paging next=next.into() total=total.into() load />
        </section>
    }
}

fn specialties_text(record: &InspectorRow) -> String {
    record
        .specialties
        .iter()
        .map(shared::directory::specialty_label)
        .collect::<Vec<_>>()
        .join("、")
}

#[component]
pub fn InspectorPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDirectories>
            <InspectorDetailView />
        </RequireAction>
    }
}

#[component]
fn InspectorDetailView() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let id = use_id_param();
    let detail = RwSignal::new(None::<InspectorDetail>);
    let draft = RwSignal::new(None::<InspectorRow>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            match api::fetch_inspector(id()).await {
                Ok(d) => {
                    draft.set(Some(d.inspector.record.clone()));
                    detail.set(Some(d));
                }
                Err(err) => error.set(Some(err.message)),
            }
        })
    };
    reload();
    let can_edit = move || allowed(auth.role(), Action::EditDirectories);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(record) = draft.get_untracked() else {
            return;
        };
        let version = detail.with_untracked(|d| d.as_ref().map_or(0, |d| d.inspector.version));
        spawn_local(async move {
            match api::update_inspector(id(), UpdateInspectorRequest { version, record }).await {
                Ok(_) => {
                    error.set(None);
                    notice.set(Some(lang.t(common::SAVED)().to_owned()));
                    reload();
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    let text_fields: [(Tr, TextField<InspectorRow>); 4] = [
        (NAME, |r| &mut r.name),
        (DEPARTMENT, |r| &mut r.department),
        (POST, |r| &mut r.post),
        (REGION, |r| &mut r.region),
    ];
    view! {
        <section class="directory-detail">
            <p><A href="/inspectors">{lang.t(BACK_OBJECTS)}</A></p>
            {error_view(error)}
            {move || notice.get().map(|text| view! { <p class="success" role="status">{text}</p> })}
            {move || detail.get().map(|d| {
                let i = d.inspector.clone();
                view! {
                    <h1 data-testid="inspector-name">{i.record.name.clone()}</h1>
                    <dl class="facts">
                        <dt>{lang.t(EMPLOYEE_NO)}</dt><dd class="code">{i.record.employee_no.clone()}</dd>
                        <dt>{lang.t(CERTIFICATE)}</dt><dd>{i.record.certificate.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                        <dt>{lang.t(DEPARTMENT)}</dt><dd>{i.record.department.clone()}</dd>
                        <dt>{lang.t(POST)}</dt><dd>{i.record.post.clone()}</dd>
                        <dt>{lang.t(YEARS)}</dt><dd>{i.record.years_of_service}</dd>
                        <dt>{lang.t(SPECIALTIES)}</dt><dd>{specialties_text(&i.record)}</dd>
                        {i.record.phone.clone().map(|phone| view! { <dt>{lang.t(PHONE)}</dt><dd>{phone}</dd> })}
                        <dt>{lang.t(THIS_YEAR)}</dt><dd>{format!("{} / {}（{} 年）", i.counts.random, i.counts.targeted, i.counts.year)}</dd>
                    </dl>
                    <h2>{lang.t(CONFLICTS)}</h2>
                    <ul>
                        {d.conflicts.clone().into_iter().map(|c| view! {
                            <li><A href=format!("/objects/{}", c.object_id)>{c.object_name.clone()}</A>{format!("：{}", c.reason)}</li>
                        }).collect_view()}
                    </ul>
                    <p class="hint">{lang.t(CONFLICT_HINT)}</p>
                    {allowed(auth.role(), Action::ManageAccounts).then(|| view! {
                        <InspectorAccount
                            inspector_id=i.id
                            name=i.record.name.clone()
                            suggested=i.record.employee_no.to_lowercase()
                            account=d.account.clone()
                            on_change=Callback::new(move |_: ()| reload())
                        />
                    })}
                }
            })}
            {move || can_edit().then(|| view! {
                <h2>{lang.t(EDIT)}</h2>
                <form class="form grid" on:submit=save data-testid="inspector-form">
                    {text_fields.into_iter().map(|(label, field)| view! {
                        <label><span>{lang.t(label)}</span>
                            <input
                                prop:value=move || draft.with(|d| d.clone().map(|mut r| field(&mut r).clone()).unwrap_or_default())
                                on:input=move |ev| {
                                    let value = event_target_value(&ev);
                                    draft.update(|d| if let Some(r) = d { *field(r) = value; });
                                }
                            /></label>
                    }).collect_view()}
                    <label><span>{lang.t(PHONE)}</span>
                        <input
                            prop:value=move || draft.with(|d| d.as_ref().and_then(|r| r.phone.clone()).unwrap_or_default())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                draft.update(|d| if let Some(r) = d { r.phone = Some(value).filter(|v| !v.trim().is_empty()); });
                            }
                        /></label>
                    <label class="checkbox"><span>{lang.t(ON_DUTY)}</span>
                        <input type="checkbox"
                            prop:checked=move || draft.with(|d| d.as_ref().is_some_and(|r| r.active))
                            on:change=move |ev| {
                                let checked = event_target_checked(&ev);
                                draft.update(|d| if let Some(r) = d { r.active = checked; });
                            }
                        /></label>
                    <button type="submit">{lang.t(common::SAVE)}</button>
                </form>
            })}
        </section>
    }
}

const NEW_OBJECT: Tr = tr("新增检查对象", "New inspection object");
const NEW_INSPECTOR: Tr = tr("新增检查人员", "New inspector");
const CREATE: Tr = tr("保存新记录", "Save the new record");
const FORM_HINT: Tr = tr(
    "按导入文件的写法填写（如监管类别填“重点”，专业特长以“、”分隔）；带 * 的必填。",
    "Fill in as in an import file (e.g. category 重点, specialties separated by 、); * is required.",
);

/// The choices a field offers as a datalist (the words an import accepts), if any.
fn field_choices<F: Field>(field: F) -> Vec<&'static str> {
    use shared::directory::{ChineseLabel, PermitClass, SPECIALTIES};
    use shared::draw::Grade;
    match field.as_str() {
        "category" => CATEGORIES.iter().map(|c| c.label_zh()).collect(),
        "permit_class" => [
            PermitClass::Key,
            PermitClass::Simplified,
            PermitClass::Registration,
        ]
        .iter()
        .map(|c| c.label_zh())
        .collect(),
        "weather_grade" => [Grade::A, Grade::B, Grade::C, Grade::D]
            .iter()
            .map(|g| g.label_zh())
            .collect(),
        "status" => [
            ObjectStatus::Active,
            ObjectStatus::Suspended,
            ObjectStatus::Closed,
        ]
        .iter()
        .map(|s| s.label_zh())
        .collect(),
        "specialties" => SPECIALTIES.iter().map(|(_, label, _)| *label).collect(),
        "active" => vec!["是", "否"],
        _ => Vec::new(),
    }
}

/// A form for one new object or inspector, field by field as an import file has them. It is
/// checked in the browser by the import's own rules (every problem shown by field), then
/// sent; the worker checks it again.
#[component]
fn NewRecordForm(kind: DirectoryKind) -> impl IntoView {
    /// Per field: (Chinese label, English label), the import header, the choices, the default.
    type FieldSpec = ((String, String), &'static str, Vec<&'static str>, String);
    fn fields<F: Field>() -> Vec<FieldSpec> {
        F::ALL
            .iter()
            .map(|f| {
                let star = if f.required() { " *" } else { "" };
                let label = (
                    format!("{}{star}", f.header_zh()),
                    format!("{}{star}", f.header_en()),
                );
                let default = match f.as_str() {
                    "status" => "在产",
                    "active" => "是",
                    _ => "",
                };
                (label, f.header_zh(), field_choices(*f), default.to_owned())
            })
            .collect()
    }
    let lang = use_lang();
    let navigate = leptos_router::hooks::use_navigate();
    let spec = match kind {
        DirectoryKind::Objects => fields::<shared::directory::ObjectField>(),
        DirectoryKind::Inspectors => fields::<shared::directory::InspectorField>(),
    };
    let cells = RwSignal::new(spec.iter().map(|f| f.3.clone()).collect::<Vec<String>>());
    let headers: Vec<String> = spec.iter().map(|f| f.1.to_owned()).collect();
    let problems = RwSignal::new(Vec::<String>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let table =
            shared::directory::Table::from_rows(vec![headers.clone(), cells.get_untracked()]);
        let en = lang.0.get_untracked() == Lang::En;
        let describe = move |issues: &[shared::directory::ImportIssue]| -> Vec<String> {
            issues
                .iter()
                .map(|issue| {
                    let column = issue
                        .column
                        .as_ref()
                        .map(|c| c.header.clone())
                        .unwrap_or_default();
                    if en {
                        format!("{column}: {}", issue.message_en)
                    } else {
                        format!("{column}：{}", issue.message_zh)
                    }
                })
                .collect()
        };
        let navigate = navigate.clone();
        match kind {
            DirectoryKind::Objects => {
                let import = shared::directory::validate_objects(&table, None);
                if !import.is_clean() {
                    problems.set(describe(&import.issues));
                    return;
                }
                let record = import.rows[0].record.clone();
                spawn_local(async move {
                    match api::create_object(record).await {
                        Ok(item) => navigate(&format!("/objects/{}", item.id), Default::default()),
                        Err(err) => problems.set(vec![err.message]),
                    }
                });
            }
            DirectoryKind::Inspectors => {
                let import = shared::directory::validate_inspectors(&table, None);
                if !import.is_clean() {
                    problems.set(describe(&import.issues));
                    return;
                }
                let record = import.rows[0].record.clone();
                spawn_local(async move {
                    match api::create_inspector(record).await {
                        Ok(item) => {
                            navigate(&format!("/inspectors/{}", item.id), Default::default())
                        }
                        Err(err) => problems.set(vec![err.message]),
                    }
                });
            }
        }
    };
    view! {
        <form class="form grid" on:submit=submit data-testid="new-record-form">
            <p class="hint">{lang.t(FORM_HINT)}</p>
            {spec.into_iter().enumerate().map(|(index, (label, header, choices, _))| {
                let list = format!("choices-{}", index);
                view! {
                    <label><span>{move || if lang.get() == Lang::En { label.1.clone() } else { label.0.clone() }}</span>
                        <input name=header list=(!choices.is_empty()).then(|| list.clone())
                            prop:value=move || cells.with(|c| c[index].clone())
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                cells.update(|c| c[index] = value);
                            } /></label>
                    {(!choices.is_empty()).then(|| view! {
                        <datalist id=list>{choices.into_iter().map(|c| view! { <option value=c></option> }).collect_view()}</datalist>
                    })}
                }
            }).collect_view()}
            {move || (!problems.get().is_empty()).then(|| view! {
                <ul class="error" role="alert" data-testid="new-record-problems">
                    {problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            })}
            <button type="submit" data-testid="create-record">{lang.t(CREATE)}</button>
        </form>
    }
}

const ACCOUNT: Tr = tr("登录账号", "Sign-in account");
const NO_ACCOUNT: Tr = tr(
    "此人尚无登录账号：没有账号就看不到自己的检查任务，也不能录入结果（谁检查、谁录入）。",
    "No sign-in account yet: without one this inspector sees no assignments and cannot record results.",
);
const USERNAME: Tr = tr("用户名", "User name");
const INITIAL_PASSWORD: Tr = tr(
    "初始密码（至少 10 位）",
    "Initial password (10 characters or more)",
);
const CREATE_ACCOUNT: Tr = tr("新建账号并关联", "Create and link an account");
const LINK_EXISTING: Tr = tr(
    "或关联已有的检查人员账号",
    "Or link an existing inspector account",
);
const LINK: Tr = tr("关联", "Link");
const UNLINK: Tr = tr("解除关联", "Unlink");
const CONFIRM_UNLINK: Tr = tr(
    "确认解除关联？此账号将看不到此人的检查任务。",
    "Unlink? The account will no longer see this inspector's assignments.",
);
const CONFIRM: Tr = tr("确认", "Confirm");
const CANCEL: Tr = tr("取消", "Cancel");
const ACCOUNT_LINKED: Tr = tr("已关联登录账号", "Account linked");
const ACCOUNT_UNLINKED: Tr = tr("已解除关联", "Account unlinked");

/// The inspector's sign-in account, for administrators: create one linked to this entry, link
/// an existing inspector account, or unlink.
#[component]
fn InspectorAccount(
    inspector_id: i64,
    name: String,
    suggested: String,
    account: Option<shared::directory::api::LinkedAccount>,
    on_change: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let username = RwSignal::new(suggested);
    let password = RwSignal::new(String::new());
    let chosen = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let unlinked = RwSignal::new(Vec::<shared::api::Account>::new());
    if account.is_none() {
        spawn_local(async move {
            if let Ok(list) = api::fetch_accounts().await {
                unlinked.set(
                    list.accounts
                        .into_iter()
                        .filter(|a| {
                            a.role == shared::authz::Role::Inspector
                                && a.inspector.is_none()
                                && !a.disabled
                        })
                        .collect(),
                );
            }
        });
    }
    let done = move |result: Result<shared::api::Account, api::ClientError>, text: Tr| match result
    {
        Ok(_) => {
            error.set(None);
            notice.set(Some(lang.t(text)().to_owned()));
            on_change.run(());
        }
        Err(err) => error.set(Some(err.message)),
    };
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = shared::api::CreateAccountRequest {
            username: username.get_untracked().trim().to_owned(),
            display_name: name.clone(),
            role: shared::authz::Role::Inspector,
            section: None,
            password: password.get_untracked(),
            inspector_id: Some(inspector_id),
        };
        spawn_local(async move {
            done(api::create_account(request).await, ACCOUNT_LINKED);
        });
    };
    let link = move |_| {
        let Ok(account_id) = chosen.get_untracked().parse::<i64>() else {
            return;
        };
        spawn_local(async move {
            done(
                api::link_account_inspector(account_id, Some(inspector_id)).await,
                ACCOUNT_LINKED,
            );
        });
    };
    let linked_id = account.as_ref().map(|a| a.id);
    let unlink = move |_| {
        let Some(account_id) = linked_id else { return };
        confirming.set(false);
        spawn_local(async move {
            done(
                api::link_account_inspector(account_id, None).await,
                ACCOUNT_UNLINKED,
            );
        });
    };
    view! {
        <h2>{lang.t(ACCOUNT)}</h2>
        {error_view(error)}
        {move || notice.get().map(|text| view! { <p class="success" role="status">{text}</p> })}
        {match account {
            Some(account) => view! {
                <p data-testid="inspector-account">
                    <span class="code">{account.username.clone()}</span> "（" {account.display_name.clone()} "） "
                    <button type="button" data-testid="unlink-account" on:click=move |_| confirming.set(true)>{lang.t(UNLINK)}</button>
                </p>
                {move || confirming.get().then(|| view! {
                    <div class="confirm" role="alertdialog">
                        <p>{lang.t(CONFIRM_UNLINK)}</p>
                        <button type="button" data-testid="confirm-unlink" on:click=unlink>{lang.t(CONFIRM)}</button>
                        " "
                        <button type="button" on:click=move |_| confirming.set(false)>{lang.t(CANCEL)}</button>
                    </div>
                })}
            }.into_any(),
            None => view! {
                <p class="hint" data-testid="inspector-no-account">{lang.t(NO_ACCOUNT)}</p>
                <form class="form grid" on:submit=create data-testid="inspector-account-form">
                    <label><span>{lang.t(USERNAME)}</span>
                        <input name="username" autocomplete="off" prop:value=move || username.get()
                            on:input=move |ev| username.set(event_target_value(&ev)) /></label>
                    <label><span>{lang.t(INITIAL_PASSWORD)}</span>
                        <input name="password" type="password" autocomplete="new-password" prop:value=move || password.get()
                            on:input=move |ev| password.set(event_target_value(&ev)) /></label>
                    <button type="submit" data-testid="create-inspector-account">{lang.t(CREATE_ACCOUNT)}</button>
                </form>
                {move || (!unlinked.get().is_empty()).then(|| view! {
                    <p>{lang.t(LINK_EXISTING)}</p>
                    <select data-testid="link-account-choice" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {unlinked.get().into_iter().map(|a| view! {
                            <option value=a.id.to_string()>{format!("{}（{}）", a.username, a.display_name)}</option>
                        }).collect_view()}
                    </select>
                    " "
                    <button type="button" data-testid="link-account" on:click=link>{lang.t(LINK)}</button>
                })}
            }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_chinese_and_ascii_separators() {
        assert_eq!(
            split_tags("长江沿岸、饮用水源保护区，信访重点; ,"),
            ["长江沿岸", "饮用水源保护区", "信访重点"]
        );
    }
}
