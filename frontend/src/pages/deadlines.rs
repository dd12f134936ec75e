//! 时限看板: what is due and overdue per section and per inspector — inspections not yet
//! recorded past their inspect-by date, records entered late, results due or overdue for
//! publication, results withheld — computed in the browser from the inspections list.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::authz::Action;
use shared::labels;
use shared::records::InspectionSummary;

use crate::api;
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Tr, common, tr};
use crate::pages::inspections::china_today;
use crate::records_form::{DeadlineCounts, deadlines};

const TITLE: Tr = tr("时限看板", "Deadlines");
const INTRO: Tr = tr(
    "检查结果须在检查后 7 个工作日内录入，任务完成后 20 个工作日内公开（按国家法定节假日和调休计算）。",
    "Records are due within 7 working days of the inspection, publication within 20 working days of the task's completion (official holidays and make-up days counted).",
);
const YEAR: Tr = tr("年度", "Year");
const QUARTER: Tr = tr("季度", "Quarter");
const ALL: Tr = tr("全部", "All");
const SHOW: Tr = tr("查看", "Show");
const AS_OF: Tr = tr("统计日期", "As of");
const BY_SECTION: Tr = tr("按科室", "By section");
const BY_INSPECTOR: Tr = tr("按检查人员", "By inspector");
const OVERALL: Tr = tr("合计", "Total");
const WHO: Tr = tr("名称", "Name");
const TOTAL: Tr = tr("检查数", "Inspections");
const OPEN: Tr = tr("待检查", "Open");
const NOT_INSPECTED: Tr = tr("逾期未检查", "Not inspected, overdue");
const LATE: Tr = tr("超时录入", "Entered late");
const DUE: Tr = tr("待公开", "Due for publication");
const OVERDUE: Tr = tr("逾期未公开", "Publication overdue");
const PUBLISHED_LATE: Tr = tr("超时公开", "Published late");
const WITHHELD: Tr = tr("依法不予公开", "Withheld");

#[component]
pub fn DeadlinesPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadInspections>
            <Deadlines />
        </RequireAction>
    }
}

fn counts_row(name: String, counts: &DeadlineCounts) -> impl IntoView + use<> {
    let class = if counts.attention() { "attention" } else { "" };
    let cells = [
        counts.total,
        counts.open,
        counts.not_inspected_overdue,
        counts.entered_late,
        counts.publication_due,
        counts.publication_overdue,
        counts.published_late,
        counts.withheld,
    ];
    view! {
        <tr class=class data-testid="deadline-row">
            <td>{name}</td>
            {cells.into_iter().map(|n| view! { <td class="number">{n}</td> }).collect_view()}
        </tr>
    }
}

#[component]
fn Deadlines() -> impl IntoView {
    let lang = use_lang();
    let today = china_today();
    let year = RwSignal::new(today[..4].to_owned());
    let quarter = RwSignal::new(String::new());
    let list = RwSignal::new(Vec::<InspectionSummary>::new());
    let error = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let load = move || {
        let query = api::inspection_query(&[
            ("year", year.get_untracked()),
            ("quarter", quarter.get_untracked()),
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
    let as_of = today.clone();
    let counts = Memo::new(move |_| list.with(|all| deadlines(all, &today)));
    let header = move || {
        view! {
            <thead><tr>
                <th>{lang.t(WHO)}</th><th>{lang.t(TOTAL)}</th><th>{lang.t(OPEN)}</th><th>{lang.t(NOT_INSPECTED)}</th>
                <th>{lang.t(LATE)}</th><th>{lang.t(DUE)}</th><th>{lang.t(OVERDUE)}</th><th>{lang.t(PUBLISHED_LATE)}</th>
                <th>{lang.t(WITHHELD)}</th>
            </tr></thead>
        }
    };
    view! {
        <section class="deadlines-page">
            <h1>{lang.t(TITLE)}</h1>
            <p class="hint">{lang.t(INTRO)} " " {lang.t(AS_OF)} ": " {as_of}</p>
            <form class="form inline no-print" on:submit=move |ev| { ev.prevent_default(); load(); }>
                <label><span>{lang.t(YEAR)}</span><input name="year" inputmode="numeric" size="6" bind:value=year /></label>
                <label><span>{lang.t(QUARTER)}</span>
                    <select name="quarter" on:change=move |ev| quarter.set(event_target_value(&ev))>
                        <option value="">{lang.t(ALL)}</option>
                        {(1..=4).map(|q| view! { <option value=q.to_string()>{format!("Q{q}")}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit">{lang.t(SHOW)}</button>
            </form>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{lang.t(common::LOAD_FAILED)} ": " {text}</p> })}
            <h2>{lang.t(BY_SECTION)}</h2>
            <table class="data-table deadline-table" data-testid="deadlines-by-section">
                {header}
                <tbody>
                    {move || counts.with(|c| {
                        let mut rows: Vec<_> = c.by_section.iter()
                            .map(|(code, counts)| counts_row(labels::section(lang.get(), code), counts).into_any())
                            .collect();
                        // The total row only once the list is in, so a zero is a real zero.
                        if loaded.get() {
                            rows.push(counts_row(lang.t(OVERALL)().to_owned(), &c.overall).into_any());
                        }
                        rows
                    })}
                </tbody>
            </table>
            <h2>{lang.t(BY_INSPECTOR)}</h2>
            <table class="data-table deadline-table" data-testid="deadlines-by-inspector">
                {header}
                <tbody>
                    {move || counts.with(|c| c.by_inspector.iter()
                        .map(|((name, _), counts)| counts_row(name.clone(), counts))
                        .collect_view())}
                </tbody>
            </table>
        </section>
    }
}
