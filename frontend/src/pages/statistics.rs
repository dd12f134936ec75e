//! 统计分析: the figures of a year or quarter as bar charts (inline SVG drawn here, no chart
//! library and no script: the Content-Security-Policy allows neither), the figures table, the
//! yearly counts per inspector and per object. The geometry is plain integer arithmetic,
//! tested natively; the definitions of the figures are `shared::stats` (docs/statistics.md).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::authz::Action;
use shared::labels;
use shared::records::InspectionResult;
use shared::stats::{InspectorCounts, ObjectCounts, Rate, Statistics, figures_table};

use crate::api;
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Lang, Tr, common, tr};

const TITLE: Tr = tr("统计分析", "Statistics");
const INTRO: Tr = tr(
    "按年度或季度统计随机抽查与定向检查、检查结果、事项覆盖、重点特殊对象覆盖、结果公开和录入公开及时情况。全局数据，不含个人信息。",
    "Random and targeted inspections, results, checklist and key/special coverage, disclosure and timeliness, by year or quarter. Bureau-wide figures, no personal data.",
);
pub(crate) const YEAR: Tr = tr("年度", "Year");
pub(crate) const PERIOD: Tr = tr("期间", "Period");
const WHOLE_YEAR: Tr = tr("全年", "Whole year");
const SHOW: Tr = tr("查询", "Show");
const RATES: Tr = tr(
    "覆盖率、公开率与及时率",
    "Coverage, disclosure and timeliness",
);
const BY_KIND: Tr = tr("随机抽查与定向检查", "Random and targeted");
const BY_TRIGGER: Tr = tr("定向检查线索来源", "Targeted inspections by source");
const BY_CATEGORY: Tr = tr("按对象类别", "By category of object");
const BY_RESULT: Tr = tr("检查结果", "Results");
const BY_SECTION: Tr = tr("按科室", "By section");
const FIGURES: Tr = tr("指标明细", "All figures");
const INSPECTORS: Tr = tr(
    "执法人员年度检查次数",
    "Inspections per inspector this year",
);
const OBJECTS: Tr = tr("检查对象年度被检查次数", "Inspections per object this year");
const SEARCH: Tr = tr("按名称或信用代码查找", "Find by name or credit code");
const MORE: Tr = tr("下一页", "Next page");
const COL_NAME: Tr = tr("姓名", "Name");
const COL_DEPARTMENT: Tr = tr("部门", "Department");
const COL_RANDOM: Tr = tr("随机抽查", "Random");
const COL_TARGETED: Tr = tr("定向检查", "Targeted");
const COL_LEAD: Tr = tr("任组长", "Led");
const COL_OBJECT: Tr = tr("单位名称", "Object");
const COL_CODE: Tr = tr("统一社会信用代码", "Credit code");
const COL_CATEGORY: Tr = tr("类别", "Category");
const COL_REGION: Tr = tr("区域", "Region");
const RANDOM: Tr = tr("随机抽查", "Random");
const TARGETED: Tr = tr("定向检查", "Targeted");
const CHECKLIST: Tr = tr("抽查事项覆盖率", "Checklist coverage");
const KEY_SPECIAL: Tr = tr(
    "重点、特殊对象年度覆盖率",
    "Key and special objects covered",
);
const DISCLOSURE: Tr = tr("结果公开率", "Disclosure rate");
const ENTRY: Tr = tr("录入及时率", "Entered on time");
const PUBLICATION: Tr = tr("公开及时率", "Published on time");

/// The drawing width of a chart (SVG user units), the label column and one row's height.
pub const CHART_WIDTH: u32 = 640;
pub const LABEL_WIDTH: u32 = 200;
pub const VALUE_WIDTH: u32 = 120;
pub const ROW_HEIGHT: u32 = 26;

/// The length of a bar for `value` when the longest bar (`max`) spans `span` units. Integer
/// arithmetic, rounded down; a non-zero value gets at least one unit so it stays visible.
pub fn bar_length(value: u64, max: u64, span: u32) -> u32 {
    if max == 0 || value == 0 {
        return 0;
    }
    let length = (u128::from(value.min(max)) * u128::from(span) / u128::from(max)) as u32;
    length.max(1)
}

/// The length of a rate's bar on a 100 % scale of `span` units (none for no data).
pub fn rate_length(rate: &Rate, span: u32) -> u32 {
    rate.basis_points.map_or(0, |bp| {
        (u64::from(bp.min(10_000)) * u64::from(span) / 10_000) as u32
    })
}

/// The span a bar may take: the chart minus the label and value columns.
pub const fn bar_span() -> u32 {
    CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
}

/// The current year in China, from the browser's clock (only a default for the form).
pub(crate) fn this_year() -> i32 {
    let millis = js_sys::Date::now() + 8.0 * 3_600_000.0;
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis)).get_utc_full_year() as i32
}

/// A horizontal bar chart of counts.
#[component]
fn CountChart(title: Tr, testid: &'static str, rows: Vec<(String, u64)>) -> impl IntoView {
    let lang = use_lang();
    let max = rows.iter().map(|(_, value)| *value).max().unwrap_or(0);
    let height = ROW_HEIGHT * rows.len().max(1) as u32;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(index, (label, value))| {
            let y = index as u32 * ROW_HEIGHT;
            let length = bar_length(value, max, bar_span());
            view! {
                <g class="stats-bar" data-testid="chart-bar">
                    <text x="0" y={y + 17} class="stats-label">{label}</text>
                    <rect x=LABEL_WIDTH y={y + 4} width=length height={ROW_HEIGHT - 8} class="stats-fill" />
                    <text x={LABEL_WIDTH + length + 6} y={y + 17} class="stats-value">{value}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="stats-chart" data-testid=testid>
            <figcaption>{lang.t(title)}</figcaption>
            <svg viewBox=format!("0 0 {CHART_WIDTH} {height}") role="img" class="stats-svg">{bars}</svg>
        </figure>
    }
}

/// Rates on a 100 % scale, each with its numerator and denominator.
#[component]
fn RateChart(rows: Vec<(Tr, Rate)>) -> impl IntoView {
    let lang = use_lang();
    let height = ROW_HEIGHT * rows.len() as u32;
    let span = bar_span();
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(index, (label, rate))| {
            let y = index as u32 * ROW_HEIGHT;
            let length = rate_length(&rate, span);
            let class = if rate.is_complete() { "stats-fill" } else { "stats-fill stats-short" };
            let text = format!("{} ({}/{})", rate.text(), rate.part, rate.whole);
            view! {
                <g class="stats-bar" data-testid="rate-bar">
                    <text x="0" y={y + 17} class="stats-label">{lang.t(label)}</text>
                    <rect x=LABEL_WIDTH y={y + 4} width=span height={ROW_HEIGHT - 8} class="stats-track" />
                    <rect x=LABEL_WIDTH y={y + 4} width=length height={ROW_HEIGHT - 8} class=class />
                    <text x={LABEL_WIDTH + span + 6} y={y + 17} class="stats-value">{text}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="stats-chart" data-testid="rate-chart">
            <figcaption>{lang.t(RATES)}</figcaption>
            <svg viewBox=format!("0 0 {CHART_WIDTH} {height}") role="img" class="stats-svg">{bars}</svg>
        </figure>
    }
}

/// The year and period chooser shared with the reports page: `quarter` 0 is the whole year.
#[component]
pub(crate) fn PeriodForm(
    year: RwSignal<String>,
    quarter: RwSignal<String>,
    whole_year: Tr,
    on_submit: impl Fn() + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form class="form inline stats-period" data-testid="period-form" on:submit=move |ev| { ev.prevent_default(); on_submit(); }>
            <label><span>{lang.t(YEAR)}</span><input name="year" type="number" min="2000" max="2999" bind:value=year /></label>
            <label>
                <span>{lang.t(PERIOD)}</span>
                <select name="quarter" bind:value=quarter>
                    <option value="0">{lang.t(whole_year)}</option>
                    <option value="1">"Q1"</option>
                    <option value="2">"Q2"</option>
                    <option value="3">"Q3"</option>
                    <option value="4">"Q4"</option>
                </select>
            </label>
            <button type="submit">{lang.t(SHOW)}</button>
        </form>
    }
}

/// Parses the period form: a year, and a quarter (`None` for the whole year).
pub fn parse_period(year: &str, quarter: &str) -> Option<(i32, Option<u8>)> {
    let year: i32 = year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2999).contains(y))?;
    let quarter = match quarter.trim().parse::<u8>().ok()? {
        0 => None,
        q @ 1..=4 => Some(q),
        _ => return None,
    };
    Some((year, quarter))
}

#[component]
pub fn StatisticsPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadStatistics>
            <StatisticsView />
        </RequireAction>
    }
}

#[component]
fn StatisticsView() -> impl IntoView {
    let lang = use_lang();
    let year = RwSignal::new(this_year().to_string());
    let quarter = RwSignal::new("0".to_owned());
    let stats = RwSignal::new(None::<Statistics>);
    let inspectors = RwSignal::new(None::<InspectorCounts>);
    let objects = RwSignal::new(None::<ObjectCounts>);
    let search = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let load_objects = move |offset: u64| {
        let Some((year, _)) = parse_period(&year.get_untracked(), "0") else {
            return;
        };
        let q = search.get_untracked();
        spawn_local(async move {
            match api::fetch_object_counts(year, &q, offset).await {
                Ok(page) => objects.set(Some(page)),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
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
            match api::fetch_inspector_counts(year).await {
                Ok(counts) => inspectors.set(Some(counts)),
                Err(err) => error.set(Some(err.message)),
            }
        });
        load_objects(0);
    };
    load();

    let charts = move || {
        stats.get().map(|s| {
            let l = lang.get();
            let en = l == Lang::En;
            let rates = vec![
                (CHECKLIST, s.checklist_coverage),
                (KEY_SPECIAL, s.key_special_coverage),
                (DISCLOSURE, s.disclosure),
                (ENTRY, s.entry_on_time),
                (PUBLICATION, s.publication_on_time),
            ];
            let kinds = vec![
                (RANDOM.get(lang.get()).to_owned(), s.inspections.random),
                (TARGETED.get(lang.get()).to_owned(), s.inspections.targeted),
            ];
            let triggers = s
                .by_trigger
                .iter()
                .map(|t| {
                    let label = if en { t.trigger.label_en() } else { t.trigger.label_zh() };
                    (label.to_owned(), t.count)
                })
                .collect();
            let categories = s
                .by_category
                .iter()
                .map(|c| (labels::category(l, c.category).to_owned(), c.random + c.targeted))
                .collect();
            let results = InspectionResult::ALL
                .iter()
                .map(|result| {
                    let count = s
                        .by_result
                        .iter()
                        .find(|r| r.result == *result)
                        .map_or(0, |r| r.count);
                    let label = if en { result.phrase_en() } else { result.phrase_zh() };
                    (label.to_owned(), count)
                })
                .collect();
            let sections = s
                .by_section
                .iter()
                .map(|x| (labels::section(l, &x.section), x.random + x.targeted))
                .collect();
            let table = figures_table(&s, l);
            let header = table[0].clone();
            let body = table[1..].to_vec();
            view! {
                <div class="stats-charts">
                    <RateChart rows=rates />
                    <CountChart title=BY_KIND testid="chart-kind" rows=kinds />
                    <CountChart title=BY_TRIGGER testid="chart-trigger" rows=triggers />
                    <CountChart title=BY_CATEGORY testid="chart-category" rows=categories />
                    <CountChart title=BY_RESULT testid="chart-result" rows=results />
                    <CountChart title=BY_SECTION testid="chart-section" rows=sections />
                </div>
                <h2>{lang.t(FIGURES)}</h2>
                <table class="data-table" data-testid="figures-table">
                    <thead><tr>{header.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {body.into_iter().map(|row| view! {
                            <tr data-testid="figure-row">{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
        })
    };

    view! {
        <section class="statistics">
            <h1>{lang.t(TITLE)}</h1>
            <p class="hint">{lang.t(INTRO)}</p>
            <PeriodForm year=year quarter=quarter whole_year=WHOLE_YEAR on_submit=load />
            {move || error.get().map(|text| view! { <p class="error" role="alert">{lang.t(common::LOAD_FAILED)} ": " {text}</p> })}
            {move || stats.get().is_none().then(|| view! { <p class="loading">{lang.t(common::LOADING)}</p> })}
            {charts}
            <h2>{lang.t(INSPECTORS)}</h2>
            <table class="data-table" data-testid="inspector-counts">
                <thead><tr>
                    <th>{lang.t(COL_NAME)}</th><th>{lang.t(COL_DEPARTMENT)}</th><th>{lang.t(COL_RANDOM)}</th>
                    <th>{lang.t(COL_TARGETED)}</th><th>{lang.t(COL_LEAD)}</th>
                </tr></thead>
                <tbody>
                    {move || inspectors.get().map(|counts| counts.inspectors.into_iter().map(|row| view! {
                        <tr data-testid="inspector-count-row">
                            <td>{row.name}</td><td>{row.department}</td><td>{row.random}</td>
                            <td>{row.targeted}</td><td>{row.lead}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            <h2>{lang.t(OBJECTS)}</h2>
            <form class="form inline" on:submit=move |ev| { ev.prevent_default(); load_objects(0); }>
                <label><span>{lang.t(SEARCH)}</span><input name="q" bind:value=search /></label>
                <button type="submit">{lang.t(SHOW)}</button>
            </form>
            <table class="data-table" data-testid="object-counts">
                <thead><tr>
                    <th>{lang.t(COL_OBJECT)}</th><th>{lang.t(COL_CODE)}</th><th>{lang.t(COL_CATEGORY)}</th>
                    <th>{lang.t(COL_REGION)}</th><th>{lang.t(COL_RANDOM)}</th><th>{lang.t(COL_TARGETED)}</th>
                </tr></thead>
                <tbody>
                    {move || objects.get().map(|page| page.objects.into_iter().map(|row| view! {
                        <tr data-testid="object-count-row">
                            <td>{row.name}</td><td class="code">{row.credit_code}</td>
                            <td>{labels::category(lang.get(), row.category)}</td>
                            <td>{row.region}</td><td>{row.random}</td><td>{row.targeted}</td>
                        </tr>
                    }).collect_view())}
                </tbody>
            </table>
            {move || objects.get().and_then(|page| page.next_offset).map(|offset| view! {
                <button on:click=move |_| load_objects(offset)>{lang.t(MORE)}</button>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_longest_and_stay_visible() {
        assert_eq!(bar_length(0, 10, 320), 0);
        assert_eq!(bar_length(10, 10, 320), 320);
        assert_eq!(bar_length(5, 10, 320), 160);
        assert_eq!(
            bar_length(1, 100_000, 320),
            1,
            "a small value is still drawn"
        );
        assert_eq!(bar_length(3, 0, 320), 0);
        assert_eq!(bar_span(), 320);
    }

    #[test]
    fn rates_fill_their_share_of_the_track() {
        assert_eq!(rate_length(&Rate::new(1, 2), 320), 160);
        assert_eq!(rate_length(&Rate::new(2, 3), 320), 213);
        assert_eq!(rate_length(&Rate::new(0, 0), 320), 0);
        assert_eq!(rate_length(&Rate::new(7, 7), 320), 320);
    }

    #[test]
    fn the_period_form_reads_a_year_and_an_optional_quarter() {
        assert_eq!(parse_period("2026", "0"), Some((2026, None)));
        assert_eq!(parse_period(" 2026 ", "3"), Some((2026, Some(3))));
        assert_eq!(parse_period("2026", "5"), None);
        assert_eq!(parse_period("1999", "1"), None);
        assert_eq!(parse_period("abc", "1"), None);
    }
}
