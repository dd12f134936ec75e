//! 报告: the quarterly report or the year-end self-assessment draft, with the figures filled
//! in by `shared::stats::build_report`, as a printable A4 page (print CSS, `window.print()`)
//! and as an XLSX written in the browser (sheet 1 the report, sheet 2 the figures).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::authz::Action;
use shared::directory::files::write_xlsx_sheets;
use shared::stats::{ReportKind, Statistics, build_report, figures_table, report_rows};

use crate::api;
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Lang, Tr, common, tr};
use crate::pages::directory::download;
use crate::pages::statistics::{PeriodForm, parse_period, this_year};

const TITLE: Tr = tr("报告", "Reports");
const INTRO: Tr = tr(
    "选择季度生成季度工作情况报告，选择“年终自查”生成年度自查自评报告初稿；数字由系统统计自动填入，可打印或导出 XLSX 后修改。",
    "Choose a quarter for the quarterly report, or “Year-end” for the self-assessment draft; the figures are filled in from the statistics. Print it, or export XLSX to edit.",
);
const YEAR_END: Tr = tr("年终自查", "Year-end");
const PRINT: Tr = tr("打印", "Print");
const EXPORT_XLSX: Tr = tr("导出 XLSX", "Export XLSX");
const SHEET_REPORT: Tr = tr("报告", "Report");
const SHEET_FIGURES: Tr = tr("指标", "Figures");

/// Which report a period makes: a quarter's report, or the year-end draft for the whole year.
pub fn report_kind(quarter: Option<u8>) -> ReportKind {
    match quarter {
        Some(_) => ReportKind::Quarterly,
        None => ReportKind::YearEnd,
    }
}

/// The XLSX of a report: sheet 1 the report text, sheet 2 the figures table.
pub fn report_workbook(stats: &Statistics, lang: Lang) -> Vec<u8> {
    let report = build_report(stats, report_kind(stats.quarter), lang);
    let (report_sheet, figures_sheet) = match lang {
        Lang::Zh => (SHEET_REPORT.zh, SHEET_FIGURES.zh),
        Lang::En => (SHEET_REPORT.en, SHEET_FIGURES.en),
    };
    let report_table = report_rows(&report);
    let figures = figures_table(stats, lang);
    write_xlsx_sheets(&[
        (report_sheet, report_table.as_slice()),
        (figures_sheet, figures.as_slice()),
    ])
}

/// The file name of a report's export, e.g. `2026年第3季度报告.xlsx`.
pub fn report_file_name(stats: &Statistics) -> String {
    match stats.quarter {
        Some(q) => format!("{}年第{q}季度报告.xlsx", stats.year),
        None => format!("{}年度自查自评报告.xlsx", stats.year),
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadStatistics>
            <Reports />
        </RequireAction>
    }
}

#[component]
fn Reports() -> impl IntoView {
    let lang = use_lang();
    let year = RwSignal::new(this_year().to_string());
    let quarter = RwSignal::new("0".to_owned());
    let stats = RwSignal::new(None::<Statistics>);
    let error = RwSignal::new(None::<String>);
    let load = move || {
        let Some((year, quarter)) = parse_period(&year.get_untracked(), &quarter.get_untracked())
        else {
            return;
        };
        spawn_local(async move {
            match api::fetch_statistics(year, quarter).await {
                Ok(figures) => {
                    error.set(None);
                    stats.set(Some(figures));
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    load();
    let print = move |_| {
        let _ = window().print();
    };
    let export = move |_| {
        if let Some(figures) = stats.get_untracked() {
            let bytes = report_workbook(&figures, lang.0.get_untracked());
            if let Err(message) = download(
                &report_file_name(&figures),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &bytes,
            ) {
                error.set(Some(message));
            }
        }
    };
    let sheet = move || {
        stats.get().map(|figures| {
            let l = lang.get();
            let report = build_report(&figures, report_kind(figures.quarter), l);
            let table = figures_table(&figures, l);
            view! {
                <article class="report-sheet" data-testid="report-sheet">
                    <h1 class="report-title" data-testid="report-title">{report.title}</h1>
                    <p class="report-subtitle">{report.subtitle}</p>
                    {report.sections.into_iter().map(|section| view! {
                        <section class="report-section">
                            <h2>{section.heading}</h2>
                            {section.paragraphs.into_iter().map(|p| view! { <p data-testid="report-paragraph">{p}</p> }).collect_view()}
                        </section>
                    }).collect_view()}
                    <table class="report-figures" data-testid="report-figures">
                        <thead><tr>{table[0].iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {table[1..].iter().map(|row| view! {
                                <tr>{row.iter().map(|cell| view! { <td>{cell.clone()}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </article>
            }
        })
    };
    view! {
        <section class="reports">
            <div class="report-controls">
                <h1>{lang.t(TITLE)}</h1>
                <p class="hint">{lang.t(INTRO)}</p>
                <PeriodForm year=year quarter=quarter whole_year=YEAR_END on_submit=load />
                <p class="toolbar">
                    <button data-testid="report-print" on:click=print>{lang.t(PRINT)}</button>
                    <button data-testid="report-export-xlsx" on:click=export>{lang.t(EXPORT_XLSX)}</button>
                </p>
                {move || error.get().map(|text| view! { <p class="error" role="alert">{lang.t(common::LOAD_FAILED)} ": " {text}</p> })}
            </div>
            {sheet}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use shared::directory::files::read_spreadsheet;
    use shared::stats::{StatisticsInput, compute};

    use super::*;

    fn empty_year(quarter: Option<u8>) -> Statistics {
        compute(&StatisticsInput {
            year: 2026,
            quarter,
            today: "2026-12-31".parse().unwrap(),
            inspections: &[],
            checklist: &[],
            key_special_objects: 0,
        })
    }

    #[test]
    fn a_quarter_makes_the_quarterly_report_and_the_year_the_self_assessment() {
        assert_eq!(report_kind(Some(2)), ReportKind::Quarterly);
        assert_eq!(report_kind(None), ReportKind::YearEnd);
        assert_eq!(
            report_file_name(&empty_year(Some(2))),
            "2026年第2季度报告.xlsx"
        );
        assert_eq!(
            report_file_name(&empty_year(None)),
            "2026年度自查自评报告.xlsx"
        );
    }

    #[test]
    fn the_workbook_opens_with_the_report_on_the_first_sheet() {
        let stats = empty_year(None);
        let bytes = report_workbook(&stats, Lang::Zh);
        let first = read_spreadsheet(&bytes).unwrap();
        assert_eq!(
            first.rows[0],
            ["2026年“双随机、一公开”监管工作自查自评报告（初稿）"]
        );
    }
}
