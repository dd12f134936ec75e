//! 下季度抽查安排: for a year and quarter (by default the one after today's, whose list is
//! drawn in the last week of this quarter, seed 六), what the plan calls for per category and
//! section, the tasks already made for it, and what the year still lacks for its guarantees —
//! with a link that opens the task form filled in from the plan.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::authz::{Action, allowed};
use shared::checklist::{ChecklistItem, ChecklistItemId};
use shared::labels;
use shared::plan::{QuarterView, next_quarter};

use crate::api;
use crate::app::{RequireAction, use_auth, use_lang};
use crate::i18n::{Lang, Tr, tr};
use crate::pages::plan::{ProgressView, this_year_and_month};
use crate::task_form::bp_to_percent;

const TITLE: Tr = tr("下季度抽查安排", "Next quarter's draws");
const INTRO: Tr = tr(
    "每季度最后一周内确定下一季度的抽查名单。下表列出计划要求、已建任务，以及完成年度保障还缺什么。",
    "In the last week of each quarter the next quarter's list is drawn. Below: what the plan asks for, the tasks made so far, and what the annual guarantees still lack.",
);
const YEAR: Tr = tr("年度", "Year");
const QUARTER: Tr = tr("季度", "Quarter");
const SHOW: Tr = tr("查看", "Show");
const PLAN: Tr = tr("年度计划：第", "Annual plan: version ");
const NO_PLAN: Tr = tr(
    "本年度尚无计划，请先编制年度抽查计划。",
    "This year has no plan yet: draw up the annual plan first.",
);
const MAKE_PLAN: Tr = tr("编制年度计划", "Draw up the plan");
const CATEGORIES_TITLE: Tr = tr("各类对象", "Categories");
const CATEGORY: Tr = tr("对象类别", "Category");
const RATIO: Tr = tr("本季度比例", "Quarter ratio");
const PLANNED: Tr = tr("计划抽取", "Planned");
const DRAWN: Tr = tr("本季度已抽取", "Drawn this quarter");
const REMAINING: Tr = tr("年度尚需", "Still needed this year");
const AT_LEAST: Tr = tr("本季度至少", "At least this quarter");
const SECTIONS_TITLE: Tr = tr("各科室事项", "Sections and items");
const SECTION: Tr = tr("科室", "Section");
const ITEMS: Tr = tr("负责事项", "Items");
const TASKS: Tr = tr("本季度任务", "Tasks this quarter");
const UNCOVERED: Tr = tr("尚未覆盖且无任务", "Uncovered, no task");
const CREATE: Tr = tr(
    "创建任务（按计划预填）",
    "Create the task (filled from the plan)",
);
const NONE: Tr = tr("无", "none");
const TASK_LIST: Tr = tr("已建任务", "Tasks made");
const NO_TASKS: Tr = tr(
    "本季度还没有抽查任务。",
    "No draw task for this quarter yet.",
);
const CREATE_JOINT: Tr = tr(
    "为本季度创建抽查任务（按计划预填）",
    "Create a draw task for this quarter (filled from the plan)",
);

/// `year` and `quarter` of the query, else the quarter after today's.
fn chosen_period(year: Option<String>, quarter: Option<String>) -> (u16, u8) {
    let (this_year, month) = this_year_and_month();
    let default = next_quarter(this_year, month);
    let year = year
        .and_then(|y| y.parse::<u16>().ok())
        .filter(|y| (2000..=2999).contains(y))
        .unwrap_or(default.year);
    let quarter = quarter
        .and_then(|q| q.parse::<u8>().ok())
        .filter(|q| (1..=4).contains(q))
        .unwrap_or(default.quarter);
    (year, quarter)
}

fn codes(checklist: &[ChecklistItem], items: &[ChecklistItemId]) -> String {
    items
        .iter()
        .map(|id| {
            checklist
                .iter()
                .find(|item| item.id == *id)
                .map(|item| item.code.clone())
                .unwrap_or_else(|| id.to_string())
        })
        .collect::<Vec<_>>()
        .join("、")
}

#[component]
pub fn QuarterPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDraws>
            <Quarter />
        </RequireAction>
    }
}

#[component]
fn Quarter() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let period = Memo::new(move |_| query.with(|q| chosen_period(q.get("year"), q.get("quarter"))));
    let year_input = RwSignal::new(String::new());
    let quarter_input = RwSignal::new(String::new());
    let view_data = RwSignal::new(None::<QuarterView>);
    let checklist = RwSignal::new(Vec::<ChecklistItem>::new());
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        if let Ok(list) = api::fetch_checklist().await {
            checklist.set(list.items);
        }
    });
    Effect::new(move |_| {
        let (year, quarter) = period.get();
        year_input.set(year.to_string());
        quarter_input.set(quarter.to_string());
        view_data.set(None);
        spawn_local(async move {
            match api::fetch_quarter_view(year, quarter).await {
                Ok(loaded) => view_data.set(Some(loaded)),
                Err(err) => error.set(Some(err.message)),
            }
        });
    });
    let show = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        navigate(
            &format!(
                "/quarter?year={}&quarter={}",
                year_input.get().trim(),
                quarter_input.get().trim()
            ),
            Default::default(),
        );
    };
    let can_create = move || allowed(auth.role(), Action::ManageDraws);

    view! {
        <section class="quarter">
            <h1>{lang.t(TITLE)} " · " <span data-testid="quarter-period">{move || { let (y, q) = period.get(); format!("{y}-Q{q}") }}</span></h1>
            <p class="hint">{lang.t(INTRO)}</p>
            <form class="form inline" on:submit=show data-testid="quarter-form">
                <label><span>{lang.t(YEAR)}</span><input name="year" inputmode="numeric" bind:value=year_input /></label>
                <label><span>{lang.t(QUARTER)}</span>
                    <select name="quarter" prop:value=move || quarter_input.get() on:change=move |ev| quarter_input.set(event_target_value(&ev))>
                        {(1..=4).map(|q| view! { <option value=q.to_string()>{format!("Q{q}")}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit">{lang.t(SHOW)}</button>
            </form>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {move || view_data.get().map(|data| {
                let (year, quarter) = (data.period.year, data.period.quarter);
                let task_link = move |section: Option<&str>| match section {
                    Some(code) => format!("/tasks?year={year}&quarter={quarter}&section={code}"),
                    None => format!("/tasks?year={year}&quarter={quarter}"),
                };
                view! {
                    {match data.plan {
                        Some(plan) => view! {
                            <p data-testid="quarter-plan">{lang.t(PLAN)} <A href=format!("/plans/{}", plan.id)>{plan.version}</A>
                                {move || if lang.get() == Lang::Zh { " 版" } else { "" }}</p>
                        }.into_any(),
                        None => view! {
                            <p class="notice" data-testid="quarter-no-plan">{lang.t(NO_PLAN)} " " <A href="/plans">{lang.t(MAKE_PLAN)}</A></p>
                        }.into_any(),
                    }}
                    <h2>{lang.t(CATEGORIES_TITLE)}</h2>
                    <table class="data-table" data-testid="quarter-categories">
                        <thead><tr>
                            <th>{lang.t(CATEGORY)}</th><th>{lang.t(RATIO)}</th><th>{lang.t(PLANNED)}</th>
                            <th>{lang.t(DRAWN)}</th><th>{lang.t(REMAINING)}</th><th>{lang.t(AT_LEAST)}</th>
                        </tr></thead>
                        <tbody>
                            {data.categories.iter().map(|c| {
                                let c = *c;
                                let dash = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_else(|| "—".to_owned());
                                view! {
                                    <tr data-category=c.category.as_str()>
                                        <th>{move || labels::category(lang.get(), c.category)}</th>
                                        <td>{c.quarterly_bp.map(|bp| format!("{}%", bp_to_percent(bp))).unwrap_or_else(|| "—".to_owned())}</td>
                                        <td>{dash(c.planned)}</td>
                                        <td>{c.drawn_this_quarter}</td>
                                        <td data-testid="remaining-for-year">{dash(c.remaining_for_year)}</td>
                                        <td>{dash(c.at_least)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(!data.sections.is_empty()).then(|| view! {
                        <h2>{lang.t(SECTIONS_TITLE)}</h2>
                        <table class="data-table" data-testid="quarter-sections">
                            <thead><tr>
                                <th>{lang.t(SECTION)}</th><th>{lang.t(ITEMS)}</th><th>{lang.t(TASKS)}</th><th>{lang.t(UNCOVERED)}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {data.sections.iter().map(|s| {
                                    let code = s.section.clone();
                                    let label_code = code.clone();
                                    let items = s.items.clone();
                                    let uncovered = s.uncovered_without_task.clone();
                                    let missing = !uncovered.is_empty();
                                    let tasks = s.tasks.clone();
                                    view! {
                                        <tr data-section=code.clone() data-testid="quarter-section">
                                            <th>{move || labels::section(lang.get(), &label_code)}</th>
                                            <td>{move || checklist.with(|list| codes(list, &items))}</td>
                                            <td>{if tasks.is_empty() {
                                                view! { <span>{lang.t(NONE)}</span> }.into_any()
                                            } else {
                                                tasks.iter().map(|id| view! { <A href=format!("/tasks/{id}")>{format!("#{id}")}</A> " " }).collect_view().into_any()
                                            }}</td>
                                            <td class:error=missing data-testid="section-uncovered">{move || checklist.with(|list| codes(list, &uncovered))}</td>
                                            <td>{(missing && can_create()).then(|| view! {
                                                <A href=task_link(Some(&code))>{lang.t(CREATE)}</A>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    <h2>{lang.t(TASK_LIST)}</h2>
                    {if data.tasks.is_empty() {
                        view! { <p class="notice" data-testid="quarter-no-tasks">{lang.t(NO_TASKS)}</p> }.into_any()
                    } else {
                        view! {
                            <ul data-testid="quarter-tasks">
                                {data.tasks.clone().into_iter().map(|t| {
                                    let status = t.status;
                                    view! {
                                        <li><A href=format!("/tasks/{}", t.id)>{t.name}</A> " · " {move || labels::task_status(lang.get(), status)}
                                            {t.selected.map(|n| format!(" · {n}"))}</li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {(data.plan.is_some() && can_create()).then(|| view! {
                        <p><A href=task_link(None) attr:class="button" attr:data-testid="quarter-create-task">{lang.t(CREATE_JOINT)}</A></p>
                    })}
                    <ProgressView progress=data.progress.clone() />
                }
            })}
        </section>
    }
}
