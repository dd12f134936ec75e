//! Statistics and reports (统计与报告): the figures of a year or a quarter computed from the
//! live inspections, their records and publications; the per-inspector and per-object yearly
//! counts; and the text of the quarterly report and the year-end self-assessment draft with
//! the figures filled in. Pure functions: the worker reads the rows, `today` is an argument,
//! every rate is integer basis points ([`rate_basis_points`]). Definitions of every figure:
//! `docs/statistics.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::calendar::{self, Date};
use crate::checklist::ChecklistItemId;
use crate::draw::Category;
use crate::labels::{self, Lang};
use crate::records::{
    self, InspectionKind, InspectionResult, ItemRef, PublicationState, Trigger, format_rate,
    rate_basis_points,
};
use crate::sections::SECTIONS;

/// The default and largest page of `GET /api/statistics/objects`.
pub const OBJECT_PAGE_SIZE: u32 = 50;
pub const MAX_OBJECT_PAGE_SIZE: u32 = 500;

/// A share: `part` of `whole`, with its basis points (1 % = 100; `None` for 0 ÷ 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub part: u64,
    pub whole: u64,
    pub basis_points: Option<u32>,
}

impl Rate {
    pub fn new(part: u64, whole: u64) -> Rate {
        Rate {
            part,
            whole,
            basis_points: rate_basis_points(part, whole),
        }
    }

    /// E.g. `97.50%`, or `—` when there is nothing to count.
    pub fn text(&self) -> String {
        format_rate(self.basis_points)
    }

    /// Whether the target of 100 % is met (vacuously when there is nothing to count).
    pub fn is_complete(&self) -> bool {
        self.part >= self.whole
    }
}

/// Random (drawn) and targeted inspections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    pub random: u64,
    pub targeted: u64,
}

impl KindCounts {
    pub fn total(&self) -> u64 {
        self.random + self.targeted
    }

    fn add(&mut self, kind: InspectionKind) {
        match kind {
            InspectionKind::Random => self.random += 1,
            InspectionKind::Targeted => self.targeted += 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerCount {
    pub trigger: Trigger,
    pub count: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    pub category: Category,
    pub random: u64,
    pub targeted: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionCount {
    /// The section's code (`shared::sections`).
    pub section: String,
    pub random: u64,
    pub targeted: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultCount {
    pub result: InspectionResult,
    pub count: u64,
}

/// `GET /api/statistics?year=&quarter=`: the figures of a year, or of one quarter of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    pub year: i32,
    /// `None`: the whole year.
    pub quarter: Option<u8>,
    /// The day (China) the figures were computed on: `Due` and `Overdue` depend on it.
    pub as_of: String,
    /// Live inspections of the period (a voided draw's are not counted).
    pub inspections: KindCounts,
    /// Of those, the ones with an on-site record.
    pub recorded: KindCounts,
    /// Targeted inspections by trigger, every trigger listed.
    pub by_trigger: Vec<TriggerCount>,
    /// By the object's category, every category listed.
    pub by_category: Vec<CategoryCount>,
    /// By section (a joint inspection counts for each of its sections), in the order of
    /// `shared::sections::SECTIONS`, sections without inspections left out.
    pub by_section: Vec<SectionCount>,
    /// Recorded results, every result listed.
    pub by_result: Vec<ResultCount>,
    /// Checklist items with a recorded inspection ÷ items of the checklist.
    pub checklist_coverage: Rate,
    /// The checklist items not covered yet, in code order.
    pub uncovered_items: Vec<ItemRef>,
    /// Active key and special objects with a recorded inspection this year (up to the end of
    /// the quarter) ÷ all active key and special objects.
    pub key_special_coverage: Rate,
    /// Published ÷ publishable (recorded and not confidential).
    pub disclosure: Rate,
    /// Confidential records: 依法不予公开, counted, never published.
    pub withheld: u64,
    /// Records entered by their deadline ÷ records.
    pub entry_on_time: Rate,
    /// Published by the deadline ÷ results whose deadline has passed or that are published.
    pub publication_on_time: Rate,
    /// Publishable results past their deadline and not published.
    pub publication_overdue: u64,
}

/// One inspector's inspections in a year. Deliberately no phone or other personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorCount {
    pub inspector_id: i64,
    pub name: String,
    pub department: String,
    /// Team places in random (drawn) inspections.
    pub random: u64,
    /// Team places in targeted inspections.
    pub targeted: u64,
    /// Inspections led (组长).
    pub lead: u64,
}

/// `GET /api/statistics/inspectors?year=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectorCounts {
    pub year: i32,
    /// Most inspections first, then by name.
    pub inspectors: Vec<InspectorCount>,
}

/// One object's inspections in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectCount {
    pub object_id: i64,
    pub name: String,
    pub credit_code: String,
    pub category: Category,
    pub region: String,
    pub random: u64,
    pub targeted: u64,
}

/// `GET /api/statistics/objects?year=&q=&offset=&limit=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectCounts {
    pub year: i32,
    /// Most inspections first, then by name.
    pub objects: Vec<ObjectCount>,
    /// Objects matching the query (without `q`: objects inspected at least once this year).
    pub total: u64,
    /// The `offset` of the next page, if any.
    pub next_offset: Option<u64>,
}

/// One live inspection of the year, as the statistics see it (the worker reads one per row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionFact {
    pub kind: InspectionKind,
    pub trigger: Option<Trigger>,
    /// The draw task of a random inspection.
    pub task_id: Option<i64>,
    pub quarter: u8,
    pub object_id: i64,
    /// The object's category and whether it is active, as the directory has them now.
    pub category: Category,
    pub object_active: bool,
    pub sections: Vec<String>,
    pub items: Vec<ChecklistItemId>,
    pub record: Option<RecordFact>,
}

/// What the statistics need of an on-site record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordFact {
    pub inspected_on: Date,
    pub result: InspectionResult,
    pub confidential: bool,
    /// The entry deadline fixed when it was first recorded.
    pub entry_deadline: Date,
    /// The day (China) it was first recorded.
    pub recorded_on: Date,
    /// The day (China) it was published.
    pub published_on: Option<Date>,
}

/// Everything [`compute`] needs.
#[derive(Debug, Clone, Copy)]
pub struct StatisticsInput<'a> {
    pub year: i32,
    pub quarter: Option<u8>,
    pub today: Date,
    /// Every live inspection of the year (all quarters: a task's completion and the
    /// year-to-date coverage need them).
    pub inspections: &'a [InspectionFact],
    /// The checklist, in code order.
    pub checklist: &'a [ItemRef],
    /// Active key and special objects in the directory.
    pub key_special_objects: u64,
}

/// The day in China (UTC+8) of an RFC 3339 UTC instant such as `2026-11-28T17:30:00.000Z`.
pub fn china_date(instant: &str) -> Option<Date> {
    let date: Date = instant.get(..10)?.parse().ok()?;
    let hour: u8 = instant.get(11..13)?.parse().ok()?;
    if hour >= 16 {
        date.next_day()
    } else {
        Some(date)
    }
}

fn in_period(fact: &InspectionFact, quarter: Option<u8>) -> bool {
    quarter.is_none_or(|q| fact.quarter == q)
}

/// The day each task completed: every live inspection of it recorded; the latest inspection
/// date (`shared::records::task_completed_on`). A targeted inspection is a task of its own.
fn task_completions(inspections: &[InspectionFact]) -> BTreeMap<i64, Option<Date>> {
    let mut dates: BTreeMap<i64, Vec<Option<Date>>> = BTreeMap::new();
    for fact in inspections {
        if let Some(task) = fact.task_id {
            dates
                .entry(task)
                .or_default()
                .push(fact.record.map(|r| r.inspected_on));
        }
    }
    dates
        .into_iter()
        .map(|(task, dates)| (task, records::task_completed_on(&dates)))
        .collect()
}

/// The figures of `input.year` (and `input.quarter`).
pub fn compute(input: &StatisticsInput<'_>) -> Statistics {
    let completions = task_completions(input.inspections);
    let mut inspections = KindCounts::default();
    let mut recorded = KindCounts::default();
    let mut by_trigger: BTreeMap<Trigger, u64> = Trigger::ALL.iter().map(|t| (*t, 0)).collect();
    let mut by_category: BTreeMap<Category, KindCounts> = BTreeMap::new();
    let mut by_section: BTreeMap<String, KindCounts> = BTreeMap::new();
    let mut by_result: BTreeMap<InspectionResult, u64> =
        InspectionResult::ALL.iter().map(|r| (*r, 0)).collect();
    let mut covered: BTreeSet<ChecklistItemId> = BTreeSet::new();
    let mut key_special_inspected: BTreeSet<i64> = BTreeSet::new();
    let (mut publishable, mut published, mut withheld) = (0, 0, 0);
    let mut entries_on_time = 0;
    let (mut publication_on_time, mut publication_settled, mut publication_overdue) = (0, 0, 0);

    for fact in input.inspections {
        // Key and special coverage is year to date: up to the end of the chosen quarter.
        if fact.record.is_some()
            && fact.object_active
            && matches!(fact.category, Category::Key | Category::Special)
            && input.quarter.is_none_or(|q| fact.quarter <= q)
        {
            key_special_inspected.insert(fact.object_id);
        }
        if !in_period(fact, input.quarter) {
            continue;
        }
        inspections.add(fact.kind);
        if let Some(trigger) = fact.trigger {
            *by_trigger.entry(trigger).or_default() += 1;
        }
        by_category.entry(fact.category).or_default().add(fact.kind);
        let sections: BTreeSet<&String> = fact.sections.iter().collect();
        for section in sections {
            by_section
                .entry(section.clone())
                .or_default()
                .add(fact.kind);
        }
        let Some(record) = fact.record else {
            continue;
        };
        recorded.add(fact.kind);
        *by_result.entry(record.result).or_default() += 1;
        covered.extend(fact.items.iter().copied());
        if record.recorded_on <= record.entry_deadline {
            entries_on_time += 1;
        }
        if record.confidential {
            withheld += 1;
            continue;
        }
        publishable += 1;
        if record.published_on.is_some() {
            published += 1;
        }
        let completed_on = match fact.task_id {
            Some(task) => completions.get(&task).copied().flatten(),
            None => Some(record.inspected_on),
        };
        let state =
            records::publication_state(completed_on, false, record.published_on, input.today)
                .unwrap_or(PublicationState::NotDue);
        match state {
            PublicationState::PublishedOnTime => {
                publication_on_time += 1;
                publication_settled += 1;
            }
            PublicationState::PublishedLate => publication_settled += 1,
            PublicationState::Overdue => {
                publication_settled += 1;
                publication_overdue += 1;
            }
            PublicationState::NotDue | PublicationState::Due | PublicationState::Withheld => {}
        }
    }

    let checklist_ids: BTreeSet<ChecklistItemId> =
        input.checklist.iter().map(|item| item.id).collect();
    let covered_count = covered.intersection(&checklist_ids).count() as u64;
    let mut sections_in_order: Vec<SectionCount> = SECTIONS
        .iter()
        .filter_map(|section| {
            by_section.remove(section.code).map(|counts| SectionCount {
                section: section.code.to_owned(),
                random: counts.random,
                targeted: counts.targeted,
            })
        })
        .collect();
    sections_in_order.extend(
        by_section
            .into_iter()
            .map(|(section, counts)| SectionCount {
                section,
                random: counts.random,
                targeted: counts.targeted,
            }),
    );
    Statistics {
        year: input.year,
        quarter: input.quarter,
        as_of: input.today.to_string(),
        inspections,
        recorded,
        by_trigger: by_trigger
            .into_iter()
            .map(|(trigger, count)| TriggerCount { trigger, count })
            .collect(),
        by_category: [Category::General, Category::Key, Category::Special]
            .into_iter()
            .map(|category| {
                let counts = by_category.get(&category).copied().unwrap_or_default();
                CategoryCount {
                    category,
                    random: counts.random,
                    targeted: counts.targeted,
                }
            })
            .collect(),
        by_section: sections_in_order,
        by_result: by_result
            .into_iter()
            .map(|(result, count)| ResultCount { result, count })
            .collect(),
        checklist_coverage: Rate::new(covered_count, checklist_ids.len() as u64),
        uncovered_items: input
            .checklist
            .iter()
            .filter(|item| !covered.contains(&item.id))
            .cloned()
            .collect(),
        key_special_coverage: Rate::new(
            key_special_inspected.len() as u64,
            input.key_special_objects,
        ),
        disclosure: Rate::new(published, publishable),
        withheld,
        entry_on_time: Rate::new(entries_on_time, recorded.total()),
        publication_on_time: Rate::new(publication_on_time, publication_settled),
        publication_overdue,
    }
}

/// Whether a year is one the working-day calendar knows (deadlines need it).
pub fn calendar_knows(year: i32) -> bool {
    calendar::known_years().is_ok_and(|years| years.contains(&year))
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// 季度工作报告: the figures of one quarter.
    Quarterly,
    /// 年度自查自评报告（初稿）: the whole year.
    YearEnd,
}

/// A report: a title and its sections, each a heading and paragraphs. Staff edit the draft
/// in their word processor; the figures come from [`Statistics`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub title: String,
    /// The period and the day the figures were taken.
    pub subtitle: String,
    pub sections: Vec<ReportSection>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

fn period_text(stats: &Statistics, lang: Lang) -> String {
    match (stats.quarter, lang) {
        (Some(q), Lang::Zh) => format!("{}年第{}季度", stats.year, quarter_zh(q)),
        (None, Lang::Zh) => format!("{}年", stats.year),
        (Some(q), Lang::En) => format!("Q{q} {}", stats.year),
        (None, Lang::En) => format!("{}", stats.year),
    }
}

fn quarter_zh(quarter: u8) -> &'static str {
    match quarter {
        1 => "一",
        2 => "二",
        3 => "三",
        _ => "四",
    }
}

fn result_count(stats: &Statistics, result: InspectionResult) -> u64 {
    stats
        .by_result
        .iter()
        .find(|r| r.result == result)
        .map_or(0, |r| r.count)
}

fn category_total(stats: &Statistics, category: Category) -> u64 {
    stats
        .by_category
        .iter()
        .find(|c| c.category == category)
        .map_or(0, |c| c.random + c.targeted)
}

fn trigger_phrase(stats: &Statistics, lang: Lang) -> String {
    let parts: Vec<String> = stats
        .by_trigger
        .iter()
        .filter(|t| t.count > 0)
        .map(|t| match lang {
            Lang::Zh => format!("{} {} 次", t.trigger.label_zh(), t.count),
            Lang::En => format!("{} {}", t.trigger.label_en().to_lowercase(), t.count),
        })
        .collect();
    match lang {
        Lang::Zh => parts.join("、"),
        Lang::En => parts.join(", "),
    }
}

fn measures(stats: &Statistics, lang: Lang) -> Vec<String> {
    let period = period_text(stats, lang);
    let total = stats.inspections.total();
    let random = stats.inspections.random;
    let targeted = stats.inspections.targeted;
    let random_share = Rate::new(random, total).text();
    let general = category_total(stats, Category::General);
    let key = category_total(stats, Category::Key);
    let special = category_total(stats, Category::Special);
    let checklist = &stats.checklist_coverage;
    let mut paragraphs = Vec::new();
    match lang {
        Lang::Zh => {
            paragraphs.push(format!(
                "{period}，我局按照“双随机、一公开”要求，随机抽取检查对象、随机选派执法检查人员，共安排检查 {total} 家次，其中随机抽查 {random} 家次（占 {random_share}），定向检查 {targeted} 家次。"
            ));
            if targeted > 0 {
                paragraphs.push(format!(
                    "定向检查按线索来源分：{}。定向检查不参与随机抽取，但计入本统计。",
                    trigger_phrase(stats, lang)
                ));
            }
            paragraphs.push(format!(
                "按检查对象类别分：一般 {general} 家次，重点 {key} 家次，特殊 {special} 家次。"
            ));
            if !stats.by_section.is_empty() {
                let sections: Vec<String> = stats
                    .by_section
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {} 家次",
                            labels::section(lang, &s.section),
                            s.random + s.targeted
                        )
                    })
                    .collect();
                paragraphs.push(format!(
                    "按科室分（联合检查计入每个参与科室）：{}。",
                    sections.join("、")
                ));
            }
            paragraphs.push(format!(
                "随机抽查事项清单共 {} 项，已检查覆盖 {} 项，覆盖率 {}。",
                checklist.whole,
                checklist.part,
                checklist.text()
            ));
        }
        Lang::En => {
            paragraphs.push(format!(
                "In {period} the bureau drew inspection objects and inspectors at random as “double random, one public” requires: {total} inspections were scheduled, {random} of them random ({random_share}) and {targeted} targeted."
            ));
            if targeted > 0 {
                paragraphs.push(format!(
                    "Targeted inspections by source: {}. They are not drawn but count in these figures.",
                    trigger_phrase(stats, lang)
                ));
            }
            paragraphs.push(format!(
                "By category of object: general {general}, key {key}, special {special}."
            ));
            if !stats.by_section.is_empty() {
                let sections: Vec<String> = stats
                    .by_section
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {}",
                            labels::section(lang, &s.section),
                            s.random + s.targeted
                        )
                    })
                    .collect();
                paragraphs.push(format!(
                    "By section (a joint inspection counts for each section in it): {}.",
                    sections.join(", ")
                ));
            }
            paragraphs.push(format!(
                "Of the {} items of the checklist, {} were covered by an inspection: {}.",
                checklist.whole,
                checklist.part,
                checklist.text()
            ));
        }
    }
    paragraphs
}

fn results(stats: &Statistics, lang: Lang) -> Vec<String> {
    let recorded = stats.recorded.total();
    let no_problem = result_count(stats, InspectionResult::NoProblem);
    let ordered = result_count(stats, InspectionResult::OrderedToCorrect);
    let cases = result_count(stats, InspectionResult::CaseOpened);
    let problems = Rate::new(ordered + cases, recorded).text();
    let disclosure = &stats.disclosure;
    let entry = &stats.entry_on_time;
    let publication = &stats.publication_on_time;
    let key_special = &stats.key_special_coverage;
    match lang {
        Lang::Zh => vec![
            format!(
                "已录入检查结果 {recorded} 家次：{} {no_problem} 家次，{} {ordered} 家次，{} {cases} 家次，问题发现率 {problems}。",
                InspectionResult::NoProblem.phrase_zh(),
                InspectionResult::OrderedToCorrect.phrase_zh(),
                InspectionResult::CaseOpened.phrase_zh(),
            ),
            format!(
                "应公开检查结果 {} 条，已公开 {} 条，公开率 {}（目标 100%）；依法不予公开 {} 条。",
                disclosure.whole,
                disclosure.part,
                disclosure.text(),
                stats.withheld
            ),
            format!(
                "检查结果按时录入（7 个工作日内）{} 条，录入及时率 {}；已到公开时限的结果中按时公开（20 个工作日内）{} 条，公开及时率 {}。",
                entry.part,
                entry.text(),
                publication.part,
                publication.text()
            ),
            format!(
                "重点、特殊监管对象 {} 家，年内已检查 {} 家，覆盖率 {}（要求每年至少检查一次）。",
                key_special.whole,
                key_special.part,
                key_special.text()
            ),
        ],
        Lang::En => vec![
            format!(
                "{recorded} results were recorded: {} {no_problem}, {} {ordered}, {} {cases}; problems were found in {problems}.",
                InspectionResult::NoProblem.phrase_en().to_lowercase(),
                InspectionResult::OrderedToCorrect
                    .phrase_en()
                    .to_lowercase(),
                InspectionResult::CaseOpened.phrase_en().to_lowercase(),
            ),
            format!(
                "Of {} publishable results {} are published: a disclosure rate of {} (target 100%); {} withheld by law.",
                disclosure.whole,
                disclosure.part,
                disclosure.text(),
                stats.withheld
            ),
            format!(
                "{} results were entered within 7 working days: {} on time; of the results due for publication, {} were published within 20 working days: {} on time.",
                entry.part,
                entry.text(),
                publication.part,
                publication.text()
            ),
            format!(
                "Of {} active key and special objects, {} were inspected this year: {} (each at least once a year).",
                key_special.whole,
                key_special.part,
                key_special.text()
            ),
        ],
    }
}

/// The problems the figures show, and the next step for each.
fn problems_and_steps(stats: &Statistics, lang: Lang) -> (Vec<String>, Vec<String>) {
    let zh = lang == Lang::Zh;
    let mut problems = Vec::new();
    let mut steps = Vec::new();
    if !stats.uncovered_items.is_empty() {
        let codes: Vec<&str> = stats
            .uncovered_items
            .iter()
            .map(|item| item.code.as_str())
            .collect();
        let list = codes.join(if zh { "、" } else { ", " });
        let count = codes.len();
        if zh {
            problems.push(format!(
                "抽查事项清单尚有 {count} 项未覆盖（{list}），未达到 100% 覆盖要求。"
            ));
            steps.push(format!(
                "在后续抽查任务中安排未覆盖事项（{list}），确保年度清单 100% 覆盖。"
            ));
        } else {
            problems.push(format!(
                "{count} checklist items are not covered yet ({list}); the target is 100%."
            ));
            steps.push(format!(
                "Schedule the uncovered items ({list}) in the coming draws so that the whole checklist is covered this year."
            ));
        }
    }
    let key_special = &stats.key_special_coverage;
    if !key_special.is_complete() {
        let missing = key_special.whole - key_special.part;
        if zh {
            problems.push(format!(
                "仍有 {missing} 家重点、特殊监管对象年内未检查（覆盖率 {}）。",
                key_special.text()
            ));
            steps.push(
                "在年度保底抽取中优先安排未检查的重点、特殊监管对象，确保每年至少检查一次。"
                    .to_owned(),
            );
        } else {
            problems.push(format!(
                "{missing} active key and special objects have not been inspected this year ({}).",
                key_special.text()
            ));
            steps.push(
                "Give the uninspected key and special objects priority through the annual guarantee of the draws."
                    .to_owned(),
            );
        }
    }
    let late_entries = stats.entry_on_time.whole - stats.entry_on_time.part;
    if late_entries > 0 {
        if zh {
            problems.push(format!(
                "{late_entries} 条检查结果超过 7 个工作日录入时限。"
            ));
            steps.push(
                "督促执法人员在检查后 7 个工作日内录入检查结果，推广移动端现场录入。".to_owned(),
            );
        } else {
            problems.push(format!(
                "{late_entries} results were entered after the 7-working-day limit."
            ));
            steps.push(
                "Remind inspectors to enter results within 7 working days; record on site from a phone."
                    .to_owned(),
            );
        }
    }
    let unpublished = stats.disclosure.whole - stats.disclosure.part;
    if unpublished > 0 || stats.publication_overdue > 0 {
        let overdue = stats.publication_overdue;
        if zh {
            problems.push(format!(
                "尚有 {unpublished} 条应公开结果未公开，其中 {overdue} 条已超过 20 个工作日公开时限。"
            ));
            steps.push(
                "按照“谁检查、谁录入、谁公开”原则，及时公开全部应公开结果，确保公开率达到 100%。"
                    .to_owned(),
            );
        } else {
            problems.push(format!(
                "{unpublished} publishable results are not published yet, {overdue} of them past the 20-working-day limit."
            ));
            steps.push(
                "Publish every publishable result promptly (whoever inspects records and publishes) to reach 100%."
                    .to_owned(),
            );
        }
    }
    let late_publications = stats.publication_on_time.whole
        - stats.publication_on_time.part
        - stats.publication_overdue;
    if late_publications > 0 {
        if zh {
            problems.push(format!(
                "{late_publications} 条结果超过 20 个工作日公开时限后才公开。"
            ));
        } else {
            problems.push(format!(
                "{late_publications} results were published after the 20-working-day limit."
            ));
        }
    }
    if problems.is_empty() {
        problems.push(if zh {
            "本期各项指标均达到要求，未发现突出问题。".to_owned()
        } else {
            "Every figure meets its target; no significant problem was found.".to_owned()
        });
    }
    steps.push(if zh {
        "继续动态更新检查对象名录库和检查人员名录库，按风险调整抽查比例和频次，做好下一阶段抽查计划与结果公开工作。".to_owned()
    } else {
        "Keep both directories current, adjust ratios and frequencies by risk, and plan the next period's draws and publications.".to_owned()
    });
    (problems, steps)
}

/// The quarterly report or the year-end self-assessment draft, figures filled in.
pub fn build_report(stats: &Statistics, kind: ReportKind, lang: Lang) -> Report {
    let period = period_text(stats, lang);
    let (problems, steps) = problems_and_steps(stats, lang);
    let (title, headings) = match (kind, lang) {
        (ReportKind::Quarterly, Lang::Zh) => (
            format!("{period}“双随机、一公开”监管工作情况报告"),
            [
                "一、工作开展情况",
                "二、检查结果及公开情况",
                "三、存在的问题",
                "四、下一步工作",
            ],
        ),
        (ReportKind::YearEnd, Lang::Zh) => (
            format!("{period}“双随机、一公开”监管工作自查自评报告（初稿）"),
            [
                "一、主要措施",
                "二、工作成效",
                "三、存在的问题",
                "四、下一步工作打算",
            ],
        ),
        (ReportKind::Quarterly, Lang::En) => (
            format!("“Double random, one public” supervision: report for {period}"),
            [
                "1. Work done",
                "2. Results and publication",
                "3. Problems",
                "4. Next steps",
            ],
        ),
        (ReportKind::YearEnd, Lang::En) => (
            format!(
                "“Double random, one public” supervision: self-assessment for {period} (draft)"
            ),
            [
                "1. Measures taken",
                "2. Results",
                "3. Problems found",
                "4. Next steps",
            ],
        ),
    };
    let subtitle = match lang {
        Lang::Zh => format!("统计截至 {}", stats.as_of),
        Lang::En => format!("Figures as of {}", stats.as_of),
    };
    let bodies = [measures(stats, lang), results(stats, lang), problems, steps];
    Report {
        title,
        subtitle,
        sections: headings
            .into_iter()
            .zip(bodies)
            .map(|(heading, paragraphs)| ReportSection {
                heading: heading.to_owned(),
                paragraphs,
            })
            .collect(),
    }
}

/// The figures as a table (indicator, numerator, denominator, value), header first.
pub fn figures_table(stats: &Statistics, lang: Lang) -> Vec<Vec<String>> {
    let zh = lang == Lang::Zh;
    let pick = |z: &str, e: &str| if zh { z.to_owned() } else { e.to_owned() };
    let count =
        |label: String, value: u64| vec![label, String::new(), String::new(), value.to_string()];
    let rate = |label: String, rate: &Rate| {
        vec![
            label,
            rate.part.to_string(),
            rate.whole.to_string(),
            rate.text(),
        ]
    };
    let mut rows = vec![vec![
        pick("指标", "Figure"),
        pick("分子", "Numerator"),
        pick("分母", "Denominator"),
        pick("数值", "Value"),
    ]];
    rows.push(count(
        pick("检查总数（家次）", "Inspections"),
        stats.inspections.total(),
    ));
    rows.push(count(pick("随机抽查", "Random"), stats.inspections.random));
    rows.push(count(
        pick("定向检查", "Targeted"),
        stats.inspections.targeted,
    ));
    for trigger in &stats.by_trigger {
        let label = if zh {
            format!("定向检查：{}", trigger.trigger.label_zh())
        } else {
            format!("Targeted: {}", trigger.trigger.label_en())
        };
        rows.push(count(label, trigger.count));
    }
    for category in &stats.by_category {
        let label = if zh {
            format!("{}监管对象", labels::category(lang, category.category))
        } else {
            format!("Objects: {}", labels::category(lang, category.category))
        };
        rows.push(count(label, category.random + category.targeted));
    }
    rows.push(count(
        pick("已录入结果", "Recorded results"),
        stats.recorded.total(),
    ));
    for result in &stats.by_result {
        let label = if zh {
            result.result.phrase_zh().to_owned()
        } else {
            result.result.phrase_en().to_owned()
        };
        rows.push(count(label, result.count));
    }
    rows.push(rate(
        pick("抽查事项覆盖率", "Checklist coverage"),
        &stats.checklist_coverage,
    ));
    rows.push(rate(
        pick(
            "重点、特殊对象年度覆盖率",
            "Key and special objects covered",
        ),
        &stats.key_special_coverage,
    ));
    rows.push(rate(
        pick("结果公开率", "Disclosure rate"),
        &stats.disclosure,
    ));
    rows.push(count(
        pick("依法不予公开", "Withheld by law"),
        stats.withheld,
    ));
    rows.push(rate(
        pick("录入及时率", "Entered on time"),
        &stats.entry_on_time,
    ));
    rows.push(rate(
        pick("公开及时率", "Published on time"),
        &stats.publication_on_time,
    ));
    rows.push(count(
        pick("逾期未公开", "Overdue, not published"),
        stats.publication_overdue,
    ));
    for section in &stats.by_section {
        let label = if zh {
            format!("科室：{}", labels::section(lang, &section.section))
        } else {
            format!("Section: {}", labels::section(lang, &section.section))
        };
        rows.push(count(label, section.random + section.targeted));
    }
    rows
}

/// A report as spreadsheet rows: the title, the subtitle, each heading and its paragraphs in
/// one column.
pub fn report_rows(report: &Report) -> Vec<Vec<String>> {
    let mut rows = vec![vec![report.title.clone()], vec![report.subtitle.clone()]];
    for section in &report.sections {
        rows.push(vec![section.heading.clone()]);
        rows.extend(section.paragraphs.iter().map(|p| vec![p.clone()]));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn item(id: i64) -> ItemRef {
        ItemRef {
            id: ChecklistItemId(id),
            code: format!("SC-{id:02}"),
            content: format!("事项 {id}"),
        }
    }

    fn record(
        inspected_on: &str,
        result: InspectionResult,
        recorded_on: &str,
        published_on: Option<&str>,
    ) -> RecordFact {
        let inspected = date(inspected_on);
        RecordFact {
            inspected_on: inspected,
            result,
            confidential: false,
            entry_deadline: calendar::result_entry_deadline(inspected).unwrap(),
            recorded_on: date(recorded_on),
            published_on: published_on.map(date),
        }
    }

    fn random(task: i64, quarter: u8, object: i64, category: Category) -> InspectionFact {
        InspectionFact {
            kind: InspectionKind::Random,
            trigger: None,
            task_id: Some(task),
            quarter,
            object_id: object,
            category,
            object_active: true,
            sections: vec!["eia_permit".to_owned()],
            items: vec![ChecklistItemId(1), ChecklistItemId(2)],
            record: None,
        }
    }

    /// Q3 2026: task 1 with three drawn inspections (one key object recorded late and
    /// published, one special object confidential, one general object published late), a
    /// complaint-triggered inspection of a key object not published yet, and a Q4 task with
    /// one unrecorded inspection.
    fn year() -> Vec<InspectionFact> {
        use InspectionResult::*;
        let mut a = random(1, 3, 10, Category::Key);
        // Inspected Tuesday 1 September: the entry deadline is Wednesday 10 September.
        a.record = Some(record(
            "2026-09-01",
            NoProblem,
            "2026-09-14",
            Some("2026-09-20"),
        ));
        let mut b = random(1, 3, 11, Category::Special);
        b.record = Some(RecordFact {
            confidential: true,
            ..record("2026-09-02", CaseOpened, "2026-09-02", None)
        });
        b.sections.push("water".to_owned());
        b.items.push(ChecklistItemId(3));
        let mut c = random(1, 3, 12, Category::General);
        // The task completes on 3 September (its last inspection); c is published late.
        c.record = Some(record(
            "2026-09-03",
            OrderedToCorrect,
            "2026-09-03",
            Some("2026-11-02"),
        ));
        let mut d = random(1, 3, 12, Category::General);
        d.task_id = None;
        d.kind = InspectionKind::Targeted;
        d.trigger = Some(Trigger::Complaint);
        d.object_id = 13;
        d.category = Category::Key;
        d.record = Some(record("2026-09-28", NoProblem, "2026-09-28", None));
        let e = random(2, 4, 14, Category::Key);
        vec![a, b, c, d, e]
    }

    fn compute_for(quarter: Option<u8>, today: &str) -> Statistics {
        let facts = year();
        let checklist: Vec<ItemRef> = (1..=4).map(item).collect();
        compute(&StatisticsInput {
            year: 2026,
            quarter,
            today: date(today),
            inspections: &facts,
            checklist: &checklist,
            key_special_objects: 5,
        })
    }

    #[test]
    fn the_quarter_figures_count_what_the_rules_say() {
        let stats = compute_for(Some(3), "2026-11-30");
        assert_eq!(
            stats.inspections,
            KindCounts {
                random: 3,
                targeted: 1
            }
        );
        assert_eq!(
            stats.recorded,
            KindCounts {
                random: 3,
                targeted: 1
            }
        );
        assert_eq!(
            stats.by_trigger[0],
            TriggerCount {
                trigger: Trigger::Complaint,
                count: 1
            }
        );
        assert_eq!(stats.by_trigger.iter().map(|t| t.count).sum::<u64>(), 1);
        assert_eq!(
            stats.by_category,
            [
                CategoryCount {
                    category: Category::General,
                    random: 1,
                    targeted: 0
                },
                CategoryCount {
                    category: Category::Key,
                    random: 1,
                    targeted: 1
                },
                CategoryCount {
                    category: Category::Special,
                    random: 1,
                    targeted: 0
                },
            ]
        );
        assert_eq!(
            stats.by_section,
            [
                SectionCount {
                    section: "water".to_owned(),
                    random: 1,
                    targeted: 0
                },
                SectionCount {
                    section: "eia_permit".to_owned(),
                    random: 3,
                    targeted: 1
                },
            ]
        );
        assert_eq!(
            stats.by_result.iter().map(|r| r.count).collect::<Vec<_>>(),
            [2, 1, 1]
        );
        // Items 1–3 recorded; item 4 never.
        assert_eq!(stats.checklist_coverage, Rate::new(3, 4));
        assert_eq!(stats.uncovered_items, [item(4)]);
        // Objects 10 (key), 11 (special), 13 (key, targeted) of 5; 14 is Q4 and unrecorded.
        assert_eq!(stats.key_special_coverage, Rate::new(3, 5));
        // Publishable: a, c, d (b is confidential); published: a, c.
        assert_eq!(stats.disclosure, Rate::new(2, 3));
        assert_eq!(stats.disclosure.text(), "66.67%");
        assert_eq!(stats.withheld, 1);
        // a was entered after its deadline of 2026-09-10.
        assert_eq!(stats.entry_on_time, Rate::new(3, 4));
        // a on time, c late; d (inspected 28 September) overdue by 30 November.
        assert_eq!(stats.publication_on_time, Rate::new(1, 3));
        assert_eq!(stats.publication_overdue, 1);
    }

    #[test]
    fn a_result_not_yet_due_is_not_late() {
        // On 20 October d's deadline (28 September + 20 working days, after the National Day
        // holiday: 30 October) has not passed: it is neither on time nor late yet.
        let stats = compute_for(Some(3), "2026-10-20");
        assert_eq!(stats.publication_on_time, Rate::new(1, 2));
        assert_eq!(stats.publication_overdue, 0);
    }

    #[test]
    fn the_year_adds_the_quarters_and_an_open_task_is_not_due() {
        let stats = compute_for(None, "2026-11-30");
        assert_eq!(
            stats.inspections,
            KindCounts {
                random: 4,
                targeted: 1
            }
        );
        assert_eq!(stats.recorded.total(), 4);
        assert_eq!(stats.key_special_coverage, Rate::new(3, 5));
        let q4 = compute_for(Some(4), "2026-11-30");
        assert_eq!(q4.inspections.total(), 1);
        assert_eq!(q4.recorded.total(), 0);
        assert_eq!(q4.checklist_coverage, Rate::new(0, 4));
        assert_eq!(q4.disclosure.basis_points, None);
        // Year to date: Q4's coverage includes the Q3 records.
        assert_eq!(q4.key_special_coverage, Rate::new(3, 5));
        let q1 = compute_for(Some(1), "2026-11-30");
        assert_eq!(q1.key_special_coverage, Rate::new(0, 5));
    }

    #[test]
    fn china_dates_turn_at_sixteen_hundred_utc() {
        assert_eq!(
            china_date("2026-09-10T15:59:59.999Z"),
            Some(date("2026-09-10"))
        );
        assert_eq!(
            china_date("2026-09-10T16:00:00.000Z"),
            Some(date("2026-09-11"))
        );
        assert_eq!(china_date("2026-12-31T23:00:00Z"), Some(date("2027-01-01")));
        assert_eq!(china_date("yesterday"), None);
    }

    #[test]
    fn the_quarterly_report_fills_in_the_figures() {
        let stats = compute_for(Some(3), "2026-11-30");
        let report = build_report(&stats, ReportKind::Quarterly, Lang::Zh);
        assert_eq!(
            report.title,
            "2026年第三季度“双随机、一公开”监管工作情况报告"
        );
        assert_eq!(report.subtitle, "统计截至 2026-11-30");
        let headings: Vec<&str> = report.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "一、工作开展情况",
                "二、检查结果及公开情况",
                "三、存在的问题",
                "四、下一步工作"
            ]
        );
        assert_eq!(
            report.sections[0].paragraphs[0],
            "2026年第三季度，我局按照“双随机、一公开”要求，随机抽取检查对象、随机选派执法检查人员，共安排检查 4 家次，其中随机抽查 3 家次（占 75.00%），定向检查 1 家次。"
        );
        assert_eq!(
            report.sections[0].paragraphs[1],
            "定向检查按线索来源分：投诉举报 1 次。定向检查不参与随机抽取，但计入本统计。"
        );
        assert_eq!(
            report.sections[1].paragraphs[1],
            "应公开检查结果 3 条，已公开 2 条，公开率 66.67%（目标 100%）；依法不予公开 1 条。"
        );
        assert_eq!(
            report.sections[2].paragraphs,
            [
                "抽查事项清单尚有 1 项未覆盖（SC-04），未达到 100% 覆盖要求。",
                "仍有 2 家重点、特殊监管对象年内未检查（覆盖率 60.00%）。",
                "1 条检查结果超过 7 个工作日录入时限。",
                "尚有 1 条应公开结果未公开，其中 1 条已超过 20 个工作日公开时限。",
                "1 条结果超过 20 个工作日公开时限后才公开。",
            ]
        );
        assert_eq!(report.sections[3].paragraphs.len(), 5);
    }

    #[test]
    fn the_year_end_draft_has_the_four_parts_in_both_languages() {
        let stats = compute_for(None, "2026-12-31");
        let zh = build_report(&stats, ReportKind::YearEnd, Lang::Zh);
        assert_eq!(
            zh.title,
            "2026年“双随机、一公开”监管工作自查自评报告（初稿）"
        );
        assert_eq!(zh.sections[0].heading, "一、主要措施");
        assert_eq!(zh.sections[3].heading, "四、下一步工作打算");
        let en = build_report(&stats, ReportKind::YearEnd, Lang::En);
        assert_eq!(
            en.title,
            "“Double random, one public” supervision: self-assessment for 2026 (draft)"
        );
        assert_eq!(
            en.sections[1].paragraphs[1],
            "Of 3 publishable results 2 are published: a disclosure rate of 66.67% (target 100%); 1 withheld by law."
        );
        let rows = report_rows(&zh);
        assert_eq!(rows[0], std::slice::from_ref(&zh.title));
        assert_eq!(rows[2], ["一、主要措施".to_owned()]);
    }

    #[test]
    fn a_perfect_period_reports_no_problem() {
        let mut facts = year();
        facts.truncate(1);
        facts[0].record = Some(record(
            "2026-09-01",
            InspectionResult::NoProblem,
            "2026-09-01",
            Some("2026-09-02"),
        ));
        let checklist = vec![item(1), item(2)];
        let stats = compute(&StatisticsInput {
            year: 2026,
            quarter: Some(3),
            today: date("2026-12-01"),
            inspections: &facts,
            checklist: &checklist,
            key_special_objects: 1,
        });
        let report = build_report(&stats, ReportKind::Quarterly, Lang::Zh);
        assert_eq!(
            report.sections[2].paragraphs,
            ["本期各项指标均达到要求，未发现突出问题。"]
        );
        let table = figures_table(&stats, Lang::Zh);
        assert_eq!(table[0], ["指标", "分子", "分母", "数值"]);
        let disclosure = table.iter().find(|row| row[0] == "结果公开率").unwrap();
        assert_eq!(disclosure, &["结果公开率", "1", "1", "100.00%"]);
    }

    #[test]
    fn statistics_round_trip_as_json() {
        let stats = compute_for(Some(3), "2026-11-30");
        let json = serde_json::to_string(&stats).unwrap();
        assert!(json.contains("\"disclosure\":{\"part\":2,\"whole\":3,\"basis_points\":6667}"));
        assert_eq!(serde_json::from_str::<Statistics>(&json).unwrap(), stats);
    }
}
