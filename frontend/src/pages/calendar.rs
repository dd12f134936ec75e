//! 节假日安排 / Holiday schedule: an admin sees where each year's working days come from
//! (内置 shipped, 已录入 vN entered, 暂定 provisional) and enters a year's State Council notice
//! in the schedule text format, with a live preview parsed in the browser by the same
//! `shared::calendar` the worker uses (errors by line, or the holidays and make-up days).
//! See docs/calendar.md.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::authz::Action;
use shared::calendar::{
    CalendarYearDetail, CalendarYearInfo, EnterScheduleRequest, SchedulePeriod, YearSchedule,
    YearState,
};

use crate::api;
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Lang, Tr, common, tr};

const TITLE: Tr = tr("节假日安排", "Holiday schedule");
const INTRO: Tr = tr(
    "工作日时限按国务院办公厅每年发布的节假日安排通知计算。2024–2026 年随系统内置；以后各年须在通知发布后由管理员在此录入。未录入的年度暂按周末及元旦（1月1日）、劳动节（5月1–2日）、国庆节（10月1–3日）计算，相关时限标为“暂定”，录入后自动重算。",
    "Working-day deadlines follow the State Council's yearly holiday notice. 2024–2026 ship with the system; each later year is entered here by an admin once its notice is out. Until then a year is counted with weekends plus 元旦 (1 Jan), 劳动节 (1–2 May) and 国庆节 (1–3 Oct) only; deadlines touching it are marked provisional and recounted once it is entered.",
);
const YEAR: Tr = tr("年度", "Year");
const STATE: Tr = tr("状态", "State");
const SOURCE: Tr = tr("依据", "Notice");
const ENTERED: Tr = tr("录入", "Entered");
const VIEW: Tr = tr("查看", "View");
const EDIT: Tr = tr("修改", "Edit");
const ENTER: Tr = tr("录入", "Enter");
const SHIPPED_NOTE: Tr = tr(
    "该年度的安排随系统内置，不能在此修改。",
    "This year's schedule ships with the system and cannot be changed here.",
);
const FORMAT_HELP: Tr = tr(
    "格式：第一行 year 年份 通知名称；每个放假时段一行 off 起始日..截止日 节日名；每个调休上班日一行 work 日期 节日名；# 后为注释。节日名：元旦 春节 清明节 劳动节 端午节 中秋节 国庆节 国庆节、中秋节。",
    "Format: first line `year YEAR notice title`; one `off FIRST..LAST NAME` line per holiday period; one `work DATE NAME` line per make-up working day; `#` starts a comment. Names: 元旦 春节 清明节 劳动节 端午节 中秋节 国庆节 国庆节、中秋节.",
);
const PREVIEW: Tr = tr("预览", "Preview");
const PREVIEW_PROVISIONAL: Tr = tr(
    "当前为暂定规则，放假日为：",
    "Currently provisional; the rule's days off are:",
);
const HISTORY: Tr = tr("录入历史", "History");
const TRY: Tr = tr("时限试算", "Try a deadline");
const FROM: Tr = tr("起算日", "From");
const WORKING_DAYS: Tr = tr("工作日数", "Working days");
const COUNT: Tr = tr("计算", "Count");
const CONFIRM: Tr = tr(
    "保存后，所有涉及该年度的时限将按此安排重新计算。确定保存吗？",
    "Once saved, every deadline touching this year is counted with this schedule. Save?",
);

/// A year's state as the list shows it: 内置 / 已录入 vN / 暂定.
pub fn state_label(lang: Lang, state: YearState, version: Option<u32>) -> String {
    match (lang, state) {
        (Lang::Zh, YearState::Shipped) => "内置".to_owned(),
        (Lang::En, YearState::Shipped) => "shipped".to_owned(),
        (Lang::Zh, YearState::Entered) => format!("已录入 v{}", version.unwrap_or(1)),
        (Lang::En, YearState::Entered) => format!("entered v{}", version.unwrap_or(1)),
        (Lang::Zh, YearState::Provisional) => "暂定".to_owned(),
        (Lang::En, YearState::Provisional) => "provisional".to_owned(),
    }
}

/// One holiday period or make-up working day in words.
pub fn period_line(lang: Lang, period: &SchedulePeriod) -> String {
    let days = period.last.days_since_unix_epoch() - period.first.days_since_unix_epoch() + 1;
    let weekday = period.first.weekday().chinese_name();
    match (lang, period.make_up_workday) {
        (Lang::Zh, true) => format!("{}：{}（{weekday}）调休上班", period.name, period.first),
        (Lang::En, true) => format!(
            "{}: {} ({weekday}) is a make-up working day",
            period.name, period.first
        ),
        (Lang::Zh, false) if days == 1 => format!("{}：{} 放假", period.name, period.first),
        (Lang::En, false) if days == 1 => format!("{}: {} off", period.name, period.first),
        (Lang::Zh, false) => format!(
            "{}：{} 至 {} 放假，共 {days} 天",
            period.name, period.first, period.last
        ),
        (Lang::En, false) => format!(
            "{}: {} to {} off, {days} days",
            period.name, period.first, period.last
        ),
    }
}

/// What the preview shows for `text` entered for `year`: the error with its line, or the
/// periods in words.
pub fn preview(lang: Lang, text: &str, year: i32) -> Result<Vec<String>, String> {
    match YearSchedule::parse_for(text, year) {
        Ok(schedule) => Ok(schedule
            .periods()
            .iter()
            .map(|period| period_line(lang, period))
            .collect()),
        Err(err) if err.line == 0 => Err(match lang {
            Lang::Zh => format!("整体有误：{}", err.message),
            Lang::En => format!("as a whole: {}", err.message),
        }),
        Err(err) => Err(match lang {
            Lang::Zh => format!("第 {} 行：{}", err.line, err.message),
            Lang::En => format!("line {}: {}", err.line, err.message),
        }),
    }
}

/// The text a new year's entry starts from.
pub fn template(year: i32) -> String {
    format!(
        "year {year} 国务院办公厅关于{year}年部分节假日安排的通知（国办发明电〔{}〕X号，{}年X月X日）\n\
         # 一、元旦：\n\
         off  {year}-01-01 元旦\n",
        year - 1,
        year - 1
    )
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ManageCalendar>
            <HolidaySchedule />
        </RequireAction>
    }
}

#[component]
fn HolidaySchedule() -> impl IntoView {
    let lang = use_lang();
    let years = RwSignal::new(Vec::<CalendarYearInfo>::new());
    let selected = RwSignal::new(None::<CalendarYearDetail>);
    let text = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let reload = move || {
        spawn_local(async move {
            match api::fetch_calendar().await {
                Ok(overview) => years.set(overview.years),
                Err(err) => message.set(Some((false, err.message))),
            }
        })
    };
    reload();
    let open = move |year: i32| {
        spawn_local(async move {
            match api::fetch_calendar_year(year).await {
                Ok(detail) => {
                    text.set(if detail.text.is_empty() {
                        template(detail.year)
                    } else {
                        detail.text.clone()
                    });
                    selected.set(Some(detail));
                    message.set(None);
                }
                Err(err) => message.set(Some((false, err.message))),
            }
        })
    };
    let save = move |_| {
        let Some(detail) = selected.get_untracked() else {
            return;
        };
        let confirmed = window()
            .confirm_with_message(lang.t(CONFIRM)())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        let request = EnterScheduleRequest {
            text: text.get_untracked(),
            expected_version: detail.version,
        };
        spawn_local(async move {
            match api::enter_schedule(detail.year, request).await {
                Ok(saved) => {
                    text.set(saved.text.clone());
                    selected.set(Some(saved));
                    message.set(Some((true, lang.t(common::SAVED)().to_owned())));
                    reload();
                }
                Err(err) => {
                    let text = if err.fields.is_empty() {
                        err.message
                    } else {
                        err.fields
                            .iter()
                            .map(|field| field.message.clone())
                            .collect::<Vec<_>>()
                            .join("；")
                    };
                    message.set(Some((false, text)));
                }
            }
        });
    };
    let try_from = RwSignal::new("2026-12-10".to_owned());
    let try_days = RwSignal::new("20".to_owned());
    let try_result = RwSignal::new(None::<String>);
    let count = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (from, days) = (try_from.get_untracked(), try_days.get_untracked());
        spawn_local(async move {
            let text = match api::workdays_add(&from, &days).await {
                Ok(deadline) => crate::pages::inspections::deadline_text(
                    lang.0.get_untracked(),
                    Some(&deadline.date.to_string()),
                    deadline.provisional,
                ),
                Err(err) => err.message,
            };
            try_result.set(Some(text));
        });
    };
    let live = Memo::new(move |_| {
        selected
            .with(|detail| detail.as_ref().map(|d| (d.year, d.state)))
            .map(|(year, state)| (state, text.with(|t| preview(lang.get(), t, year))))
    });

    view! {
        <section class="holiday-schedule">
            <h1>{lang.t(TITLE)}</h1>
            <p class="hint">{lang.t(INTRO)}</p>
            {move || message.get().map(|(ok, text)| view! {
                <p class=if ok { "success" } else { "error" } role="alert" data-testid="calendar-message">{text}</p>
            })}
            <table class="data-table" data-testid="calendar-years">
                <thead><tr>
                    <th>{lang.t(YEAR)}</th><th>{lang.t(STATE)}</th><th>{lang.t(SOURCE)}</th><th></th>
                </tr></thead>
                <tbody>
                    {move || years.get().into_iter().map(|info| {
                        let year = info.year;
                        let action = match info.state {
                            YearState::Shipped => VIEW,
                            YearState::Entered => EDIT,
                            YearState::Provisional => ENTER,
                        };
                        view! {
                            <tr data-testid="calendar-year" data-year=year.to_string()>
                                <td>{year}</td>
                                <td data-testid="calendar-state">{move || state_label(lang.get(), info.state, info.version)}</td>
                                <td>{info.source.clone().unwrap_or_default()}</td>
                                <td><button class="link-button" data-testid="calendar-open" on:click=move |_| open(year)>{lang.t(action)}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{lang.t(TRY)}</h2>
            <form class="form inline" on:submit=count data-testid="calendar-try">
                <label><span>{lang.t(FROM)}</span><input name="from" size="11" bind:value=try_from /></label>
                <label><span>{lang.t(WORKING_DAYS)}</span><input name="n" size="4" inputmode="numeric" bind:value=try_days /></label>
                <button type="submit">{lang.t(COUNT)}</button>
                <output data-testid="calendar-try-result">{move || try_result.get()}</output>
            </form>
            {move || selected.get().map(|detail| {
                let shipped = detail.state == YearState::Shipped;
                let history = detail.history.clone();
                view! {
                    <h2>{detail.year} " " {move || state_label(lang.get(), detail.state, Some(detail.version))}</h2>
                    {shipped.then(|| view! { <p class="hint">{lang.t(SHIPPED_NOTE)}</p> })}
                    <p class="hint">{lang.t(FORMAT_HELP)}</p>
                    <textarea
                        class="schedule-text"
                        rows="14"
                        cols="90"
                        data-testid="calendar-text"
                        readonly=shipped
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    ></textarea>
                    <h3>{lang.t(PREVIEW)}</h3>
                    <div data-testid="calendar-preview">
                        {move || live.get().map(|(state, result)| match result {
                            Ok(lines) => view! {
                                <ul class="schedule-preview">
                                    {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                </ul>
                            }.into_any(),
                            Err(error) if state == YearState::Provisional => view! {
                                <p class="hint">{lang.t(PREVIEW_PROVISIONAL)}</p>
                                <ul class="schedule-preview">
                                    {detail.periods.iter().map(|p| view! { <li>{period_line(lang.get(), p)}</li> }).collect_view()}
                                </ul>
                                <p class="error" data-testid="calendar-preview-error">{error}</p>
                            }.into_any(),
                            Err(error) => view! {
                                <p class="error" data-testid="calendar-preview-error">{error}</p>
                            }.into_any(),
                        })}
                    </div>
                    {(!shipped).then(|| view! {
                        <p><button data-testid="calendar-save" on:click=save>{lang.t(common::SAVE)}</button></p>
                    })}
                    {(!history.is_empty()).then(|| view! {
                        <h3>{lang.t(HISTORY)}</h3>
                        <table class="data-table" data-testid="calendar-history">
                            <thead><tr><th>"v"</th><th>{lang.t(SOURCE)}</th><th>{lang.t(ENTERED)}</th></tr></thead>
                            <tbody>
                                {history.into_iter().map(|v| view! {
                                    <tr><td>{v.version}</td><td>{v.source}</td><td>{v.entered_at} " " {v.entered_by}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_lists_the_days_or_names_the_line() {
        let text = "year 2027 测试\noff 2027-01-01..2027-01-04 元旦\nwork 2027-01-09 元旦\n";
        assert_eq!(
            preview(Lang::Zh, text, 2027),
            Ok(vec![
                "元旦：2027-01-01 至 2027-01-04 放假，共 4 天".to_owned(),
                "元旦：2027-01-09（周六）调休上班".to_owned()
            ])
        );
        assert_eq!(
            preview(Lang::En, "year 2027 x\noff 2027-01-01 新年\n", 2027),
            Err("line 2: unknown holiday name `新年`".to_owned())
        );
        assert_eq!(
            preview(Lang::Zh, text, 2028),
            Err("第 1 行：this schedule is for 2027, but it is being entered for 2028".to_owned())
        );
        // The template parses, so a new entry starts from a valid preview.
        assert!(preview(Lang::Zh, &template(2027), 2027).is_ok());
    }

    #[test]
    fn states_read_as_the_list_shows_them() {
        assert_eq!(state_label(Lang::Zh, YearState::Shipped, None), "内置");
        assert_eq!(
            state_label(Lang::Zh, YearState::Entered, Some(2)),
            "已录入 v2"
        );
        assert_eq!(state_label(Lang::Zh, YearState::Provisional, None), "暂定");
        assert_eq!(
            state_label(Lang::En, YearState::Provisional, None),
            "provisional"
        );
    }
}
