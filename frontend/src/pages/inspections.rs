//! 我的检查 / 检查列表: an inspector's assignments, or every inspection in a staff member's
//! scope with filters; the assignment sheet (派单) exported to XLSX or printed on A4.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::authz::{Action, Role, allowed};
use shared::directory::files;
use shared::records::{EntryState, InspectionSummary, PublicationState};
use shared::sections::SECTIONS;

use crate::api;
use crate::app::{RequireAction, use_auth, use_lang};
use crate::i18n::{Lang, Tr, common, tr};
use crate::pages::directory::download;
use crate::records_form::{StateFilter, assignment_table, items_line};

const MY_TITLE: Tr = tr("我的检查", "My inspections");
const STAFF_TITLE: Tr = tr("检查与结果", "Inspections and results");
const MY_INTRO: Tr = tr(
    "派给您的检查任务。现场检查后 7 个工作日内录入检查记录；结果在任务完成后 20 个工作日内公开。",
    "Inspections assigned to you. Enter the record within 7 working days of the inspection; results are published within 20 working days of the task's completion.",
);
const YEAR: Tr = tr("年度", "Year");
const QUARTER: Tr = tr("季度", "Quarter");
const SECTION: Tr = tr("科室", "Section");
const STATE: Tr = tr("状态", "State");
const ALL: Tr = tr("全部", "All");
const FILTER: Tr = tr("筛选", "Filter");
const TASK: Tr = tr("抽查任务", "Task");
const OBJECT: Tr = tr("检查对象", "Object");
const ADDRESS: Tr = tr("地址", "Address");
const ITEMS: Tr = tr("检查事项", "Items");
const TEAM: Tr = tr("检查组", "Team");
const LEAD: Tr = tr("组长", "lead");
const INSPECT_BY: Tr = tr("完成期限", "Inspect by");
const ENTRY: Tr = tr("录入", "Record");
const PUBLICATION: Tr = tr("公开", "Publication");
const EXPORT: Tr = tr("导出派单（Excel）", "Export assignment sheet (XLSX)");
const PRINT: Tr = tr("打印派单", "Print assignment sheet");
const TARGETED: Tr = tr("登记非随机检查", "Register a targeted inspection");
const COUNT: Tr = tr("条", "inspections");
const SHEET_TITLE: Tr = tr("现场检查派单", "Assignment sheet");

/// Today in China (UTC+8, no daylight saving), `YYYY-MM-DD`: the date the worker's deadlines
/// are computed against.
pub fn china_today() -> String {
    let shifted = js_sys::Date::now() + 8.0 * 3_600_000.0;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(shifted));
    format!(
        "{:04}-{:02}-{:02}",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date()
    )
}

/// The entry state in words, with the deadline.
pub fn entry_label(lang: Lang, inspection: &InspectionSummary) -> String {
    let deadline = inspection.entry_deadline.clone().unwrap_or_default();
    match (lang, inspection.entry_state) {
        (Lang::Zh, EntryState::NotRecorded) => "未录入".to_owned(),
        (Lang::Zh, EntryState::OnTime) => format!("已按时录入（时限 {deadline}）"),
        (Lang::Zh, EntryState::Late) => format!("超时录入（时限 {deadline}）"),
        (Lang::En, EntryState::NotRecorded) => "not recorded".to_owned(),
        (Lang::En, EntryState::OnTime) => format!("on time (deadline {deadline})"),
        (Lang::En, EntryState::Late) => format!("late (deadline {deadline})"),
    }
}

/// The publication state in words, with the deadline where one runs.
pub fn publication_label(lang: Lang, inspection: &InspectionSummary) -> String {
    let deadline = inspection.publication_deadline.clone().unwrap_or_default();
    match (lang, inspection.publication_state) {
        (Lang::Zh, PublicationState::NotDue) => "未到公开期".to_owned(),
        (Lang::Zh, PublicationState::Due) => format!("待公开（{deadline} 前）"),
        (Lang::Zh, PublicationState::Overdue) => format!("逾期未公开（时限 {deadline}）"),
        (Lang::Zh, PublicationState::PublishedOnTime) => "已公开".to_owned(),
        (Lang::Zh, PublicationState::PublishedLate) => "已公开（超时）".to_owned(),
        (Lang::Zh, PublicationState::Withheld) => "依法不予公开".to_owned(),
        (Lang::En, PublicationState::NotDue) => "not due".to_owned(),
        (Lang::En, PublicationState::Due) => format!("due by {deadline}"),
        (Lang::En, PublicationState::Overdue) => format!("overdue (deadline {deadline})"),
        (Lang::En, PublicationState::PublishedOnTime) => "published".to_owned(),
        (Lang::En, PublicationState::PublishedLate) => "published late".to_owned(),
        (Lang::En, PublicationState::Withheld) => "withheld by law".to_owned(),
    }
}

fn state_filter_label(lang: Lang, filter: StateFilter) -> &'static str {
    let text = match filter {
        StateFilter::All => ALL,
        StateFilter::NotRecorded => tr("未录入", "Not recorded"),
        StateFilter::Recorded => tr("已录入", "Recorded"),
        StateFilter::RecordedLate => tr("超时录入", "Recorded late"),
        StateFilter::PublicationDue => tr("待公开", "Due for publication"),
        StateFilter::PublicationOverdue => tr("逾期未公开", "Publication overdue"),
        StateFilter::Published => tr("已公开", "Published"),
        StateFilter::Withheld => tr("依法不予公开", "Withheld"),
    };
    text.get(lang)
}

#[component]
pub fn InspectionsPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadInspections>
            <Inspections />
        </RequireAction>
    }
}

#[component]
fn Inspections() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let is_inspector = move || auth.role() == Some(Role::Inspector);
    let is_section = move || auth.role() == Some(Role::Section);
    let year = RwSignal::new(china_today()[..4].to_owned());
    let quarter = RwSignal::new(String::new());
    let section = RwSignal::new(String::new());
    let state = RwSignal::new(StateFilter::All);
    let list = RwSignal::new(Vec::<InspectionSummary>::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let load = move || {
        let query = api::inspection_query(&[
            ("year", year.get_untracked()),
            ("quarter", quarter.get_untracked()),
            ("section", section.get_untracked()),
        ]);
        spawn_local(async move {
            match api::fetch_inspections(&query).await {
                Ok(answer) => {
                    error.set(None);
                    list.set(answer.inspections);
                }
                Err(err) => error.set(Some(err.message)),
            }
            loaded.set(true);
        });
    };
    load();
    let shown = move || {
        let filter = state.get();
        list.with(|all| {
            all.iter()
                .filter(|i| filter.matches(i))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let export = move |_| {
        let table = assignment_table(&shown());
        let name = format!("派单-{}.xlsx", year.get_untracked());
        if let Err(message) = download(
            &name,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &files::write_xlsx("派单", &table),
        ) {
            error.set(Some(message));
        }
    };
    let print = move |_| {
        let _ = window().print();
    };

    view! {
        <section class="inspections-page">
            <h1>{move || if is_inspector() { lang.t(MY_TITLE)() } else { lang.t(STAFF_TITLE)() }}</h1>
            <h1 class="print-only">{lang.t(SHEET_TITLE)} " " {move || year.get()}</h1>
            {move || is_inspector().then(|| view! { <p class="hint no-print">{lang.t(MY_INTRO)}</p> })}
            <form class="form inline no-print" data-testid="inspection-filters"
                on:submit=move |ev| { ev.prevent_default(); load(); }>
                <label><span>{lang.t(YEAR)}</span><input name="year" inputmode="numeric" size="6" bind:value=year /></label>
                <label><span>{lang.t(QUARTER)}</span>
                    <select name="quarter" on:change=move |ev| quarter.set(event_target_value(&ev))>
                        <option value="">{lang.t(ALL)}</option>
                        {(1..=4).map(|q| view! { <option value=q.to_string()>{format!("Q{q}")}</option> }).collect_view()}
                    </select>
                </label>
                {move || (!is_inspector() && !is_section()).then(|| view! {
                    <label><span>{lang.t(SECTION)}</span>
                        <select name="section" on:change=move |ev| section.set(event_target_value(&ev))>
                            <option value="">{lang.t(ALL)}</option>
                            {SECTIONS.into_iter().map(|s| view! {
                                <option value=s.code>{move || if lang.get() == Lang::Zh { s.name_zh } else { s.name_en }}</option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                <label><span>{lang.t(STATE)}</span>
                    <select name="state" on:change=move |ev| state.set(StateFilter::from_code(&event_target_value(&ev)))>
                        {StateFilter::ALL.into_iter().map(|f| view! {
                            <option value=f.code()>{move || state_filter_label(lang.get(), f)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit">{lang.t(FILTER)}</button>
            </form>
            <p class="toolbar no-print">
                <button type="button" data-testid="export-assignments" on:click=export>{lang.t(EXPORT)}</button>
                <button type="button" data-testid="print-assignments" on:click=print>{lang.t(PRINT)}</button>
                {move || allowed(auth.role(), Action::RecordResults).then(|| view! {
                    <A href="/targeted">{lang.t(TARGETED)}</A>
                })}
                <span data-testid="inspection-count">{move || shown().len()} " " {lang.t(COUNT)}</span>
            </p>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{lang.t(common::LOAD_FAILED)} ": " {text}</p> })}
            {move || (loaded.get() && list.with(Vec::is_empty)).then(|| view! { <p class="hint">{lang.t(common::EMPTY)}</p> })}
            <div class="table-scroll">
            <table class="data-table assignment-table" data-testid="inspections-table">
                <thead><tr>
                    <th>{lang.t(TASK)}</th><th>{lang.t(OBJECT)}</th><th>{lang.t(ADDRESS)}</th><th>{lang.t(ITEMS)}</th>
                    <th>{lang.t(TEAM)}</th><th>{lang.t(INSPECT_BY)}</th><th>{lang.t(ENTRY)}</th><th>{lang.t(PUBLICATION)}</th>
                </tr></thead>
                <tbody>
                    <For each=shown key=|i| (i.id, i.recorded_at.clone(), i.published_at.clone()) let:inspection>
                        <InspectionRow inspection=inspection />
                    </For>
                </tbody>
            </table>
            </div>
        </section>
    }
}

#[component]
fn InspectionRow(inspection: InspectionSummary) -> impl IntoView {
    let lang = use_lang();
    let row = inspection.clone();
    let items = items_line(&inspection);
    view! {
        <tr data-testid="inspection-row" data-id=inspection.id>
            <td>{inspection.task_name.clone()}</td>
            <td><A href=format!("/inspections/{}", inspection.id)>{inspection.object.name.clone()}</A>
                <div class="code">{inspection.object.credit_code.clone()}</div></td>
            <td>{inspection.object.address.clone()}</td>
            <td>{items}</td>
            <td>{inspection.team.iter().map(|m| {
                let lead = m.lead;
                view! { <span class="member">{m.name.clone()}{lead.then(|| view! { <span class="badge">{lang.t(LEAD)}</span> })}</span> }
            }).collect_view()}</td>
            <td class="code">{inspection.inspect_by.clone()}</td>
            <td>{
                let row = row.clone();
                move || entry_label(lang.get(), &row)
            }</td>
            <td>{move || publication_label(lang.get(), &row)}</td>
        </tr>
    }
}
