//! The annual inspection plan (年度抽查计划) and the year's progress toward its guarantees.
//!
//! A plan says, for one year: per object category the least share of active objects to inspect
//! in the year and the share to draw each quarter, the risk-weight table the draws use, and which
//! section covers each checklist item. The seed document (三(五)) requires key and special
//! objects to be inspected at least once a year and the checklist to be covered in full (三(一)).
//!
//! Everything here is plain arithmetic on numbers the worker reads from the database: the
//! validation of a plan ([`validate`], one [`PlanIssue`] per problem, naming the field), and the
//! progress figures ([`category_progress`], [`quarter_category`], [`quarter_sections`]).
//! See `docs/plans.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::api::TaskStatus;
use crate::checklist::{ChecklistItem, ChecklistItemId};
use crate::draw::{Category, MAX_COUNTED_EVENTS, MAX_WEIGHT_TABLE_ENTRY, Period, RiskWeights};
use crate::sections::{section_by_code, section_by_name};

/// A whole share, in basis points (1/10 000).
pub const FULL_BP: u32 = 10_000;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest notes, in characters.
pub const MAX_NOTES_CHARS: usize = 2_000;
/// Most objects listed by name in a progress answer (the count is always complete).
pub const MAX_LISTED_OBJECTS: usize = 200;

/// The three categories, in the order every list here uses.
pub const CATEGORIES: [Category; 3] = [Category::General, Category::Key, Category::Special];

/// What a plan says: the part staff edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    pub title: String,
    pub targets: CategoryTargets,
    /// The risk-weight table the year's draws use.
    pub risk_weights: RiskWeights,
    /// Which section covers each checklist item; every item of the checklist exactly once.
    pub coverage: Vec<ItemCoverage>,
    pub notes: String,
}

/// The targets of the three categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryTargets {
    pub general: CategoryTarget,
    pub key: CategoryTarget,
    pub special: CategoryTarget,
}

impl CategoryTargets {
    /// The target of `category`.
    pub fn get(&self, category: Category) -> &CategoryTarget {
        match category {
            Category::General => &self.general,
            Category::Key => &self.key,
            Category::Special => &self.special,
        }
    }
}

/// One category's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryTarget {
    /// The least share of the category's active objects inspected in the year, basis points.
    pub yearly_min_bp: u32,
    /// The share of the category's eligible objects drawn in quarters 1–4, basis points.
    pub quarterly_bp: [u32; 4],
}

/// A checklist item and the section (code, `shared::sections`) that covers it this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCoverage {
    pub item: ChecklistItemId,
    pub section: String,
}

impl PlanBody {
    /// A starting point for `year`: 20 % of general objects a year (5 % a quarter), every key
    /// object (25 % a quarter) and every special object (50 % a quarter), the recommended risk
    /// weights, and each checklist item covered by the section that owns it.
    pub fn recommended(year: u16, checklist: &[ChecklistItem]) -> PlanBody {
        PlanBody {
            title: format!("{year}年度“双随机、一公开”抽查计划"),
            targets: CategoryTargets {
                general: CategoryTarget {
                    yearly_min_bp: 2_000,
                    quarterly_bp: [500; 4],
                },
                key: CategoryTarget {
                    yearly_min_bp: FULL_BP,
                    quarterly_bp: [2_500; 4],
                },
                special: CategoryTarget {
                    yearly_min_bp: FULL_BP,
                    quarterly_bp: [5_000; 4],
                },
            },
            risk_weights: RiskWeights::recommended(),
            coverage: checklist
                .iter()
                .map(|item| ItemCoverage {
                    item: item.id,
                    section: section_by_name(&item.section)
                        .map(|section| section.code)
                        .unwrap_or("enforcement")
                        .to_owned(),
                })
                .collect(),
            notes: String::new(),
        }
    }

    /// The items `section` covers, in plan order.
    pub fn items_of(&self, section: &str) -> Vec<ChecklistItemId> {
        self.coverage
            .iter()
            .filter(|c| c.section == section)
            .map(|c| c.item)
            .collect()
    }
}

/// A stable, machine-readable reason a plan is refused. The JSON spelling is the snake-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanIssueCode {
    /// The year is outside 2000–2999.
    InvalidYear,
    /// The title is empty or longer than [`MAX_TITLE_CHARS`].
    TitleLength,
    /// The notes are longer than [`MAX_NOTES_CHARS`].
    NotesTooLong,
    /// A share is above 100 %.
    RatioOutOfRange,
    /// Key and special objects must all be inspected every year (seed 三(五)).
    GuaranteeNotFull,
    /// The four quarters of a category without the annual guarantee draw less than its yearly
    /// minimum.
    QuartersBelowYearly,
    /// A risk-weight entry is outside the engine's bounds.
    RiskWeightOutOfRange,
    /// The item is not on the checklist.
    UnknownItem,
    /// The item is listed twice.
    DuplicateItem,
    /// The section code is not a section of the bureau.
    UnknownSection,
    /// A checklist item no section covers (the checklist must be covered in full).
    ItemNotCovered,
}

/// One problem of a plan: the field (a JSON path into the request, e.g.
/// `body.targets.key.quarterly_bp[2]`), a code, and the reason in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanIssue {
    pub field: String,
    pub code: PlanIssueCode,
    pub message_zh: String,
    pub message_en: String,
}

impl PlanIssue {
    fn new(
        field: impl Into<String>,
        code: PlanIssueCode,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> PlanIssue {
        PlanIssue {
            field: field.into(),
            code,
            message_zh: message_zh.into(),
            message_en: message_en.into(),
        }
    }
}

/// The Chinese name of a category.
pub fn category_zh(category: Category) -> &'static str {
    match category {
        Category::General => "一般",
        Category::Key => "重点",
        Category::Special => "特殊",
    }
}

fn percent(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        format!("{}%", bp / 100)
    } else {
        format!("{}.{:02}%", bp / 100, bp % 100)
    }
}

/// Every problem of a plan for `year` against the current checklist, in field order; empty
/// when the plan is valid.
pub fn validate(year: u16, body: &PlanBody, checklist: &[ChecklistItem]) -> Vec<PlanIssue> {
    use PlanIssueCode::*;
    let mut issues = Vec::new();
    if !(2000..=2999).contains(&year) {
        issues.push(PlanIssue::new(
            "year",
            InvalidYear,
            format!("年度须在 2000–2999 之间：{year}"),
            format!("the year must be 2000–2999: {year}"),
        ));
    }
    let title = body.title.trim().chars().count();
    if !(1..=MAX_TITLE_CHARS).contains(&title) {
        issues.push(PlanIssue::new(
            "body.title",
            TitleLength,
            format!("计划名称须为 1–{MAX_TITLE_CHARS} 个字符"),
            format!("the title needs 1–{MAX_TITLE_CHARS} characters"),
        ));
    }
    for category in CATEGORIES {
        let target = body.targets.get(category);
        let name = category.as_str();
        let zh = category_zh(category);
        let field = format!("body.targets.{name}");
        if target.yearly_min_bp > FULL_BP {
            issues.push(PlanIssue::new(
                format!("{field}.yearly_min_bp"),
                RatioOutOfRange,
                format!("{zh}对象年度最低比例不能超过 100%"),
                format!("the {name} objects' yearly minimum cannot exceed 100 %"),
            ));
        } else if category != Category::General && target.yearly_min_bp < FULL_BP {
            issues.push(PlanIssue::new(
                format!("{field}.yearly_min_bp"),
                GuaranteeNotFull,
                format!(
                    "{zh}监管对象每年至少抽查 1 次，年度最低比例须为 100%（现为 {}）",
                    percent(target.yearly_min_bp)
                ),
                format!(
                    "{name} objects are inspected at least once a year: the yearly minimum must be 100 % (is {})",
                    percent(target.yearly_min_bp)
                ),
            ));
        }
        for (index, bp) in target.quarterly_bp.iter().enumerate() {
            if *bp > FULL_BP {
                issues.push(PlanIssue::new(
                    format!("{field}.quarterly_bp[{index}]"),
                    RatioOutOfRange,
                    format!("{zh}对象第 {} 季度抽查比例不能超过 100%", index + 1),
                    format!(
                        "the {name} objects' quarter {} ratio cannot exceed 100 %",
                        index + 1
                    ),
                ));
            }
        }
        // Key and special objects the quarters miss are drawn by the annual guarantee; general
        // objects have none, so their quarters must reach the yearly minimum.
        let quarters: u32 = target.quarterly_bp.iter().sum();
        if category == Category::General
            && target.yearly_min_bp <= FULL_BP
            && quarters < target.yearly_min_bp
        {
            issues.push(PlanIssue::new(
                format!("{field}.quarterly_bp"),
                QuartersBelowYearly,
                format!(
                    "一般对象四个季度的抽查比例合计 {} 低于年度最低比例 {}",
                    percent(quarters),
                    percent(target.yearly_min_bp)
                ),
                format!(
                    "the general objects' quarters add up to {}, below the yearly minimum {}",
                    percent(quarters),
                    percent(target.yearly_min_bp)
                ),
            ));
        }
    }
    let weights = &body.risk_weights;
    let entries = [
        ("base", weights.base),
        ("per_violation", weights.per_violation),
        ("per_complaint", weights.per_complaint),
        ("credit.a", weights.credit.a),
        ("credit.b", weights.credit.b),
        ("credit.c", weights.credit.c),
        ("credit.d", weights.credit.d),
        ("credit.unrated", weights.credit.unrated),
        (
            "unstable_permit_compliance",
            weights.unstable_permit_compliance,
        ),
        ("high_public_concern", weights.high_public_concern),
        ("category.general", weights.category.general),
        ("category.key", weights.category.key),
        ("category.special", weights.category.special),
    ];
    for (name, value) in entries {
        if value.abs() > MAX_WEIGHT_TABLE_ENTRY {
            issues.push(PlanIssue::new(
                format!("body.risk_weights.{name}"),
                RiskWeightOutOfRange,
                format!("风险权重 {name} 须在 ±{MAX_WEIGHT_TABLE_ENTRY} 之内：{value}"),
                format!("risk weight {name} must be within ±{MAX_WEIGHT_TABLE_ENTRY}: {value}"),
            ));
        }
    }
    for (name, value) in [
        ("max_counted_violations", weights.max_counted_violations),
        ("max_counted_complaints", weights.max_counted_complaints),
    ] {
        if value > MAX_COUNTED_EVENTS {
            issues.push(PlanIssue::new(
                format!("body.risk_weights.{name}"),
                RiskWeightOutOfRange,
                format!("风险权重 {name} 不能超过 {MAX_COUNTED_EVENTS}：{value}"),
                format!("risk weight {name} cannot exceed {MAX_COUNTED_EVENTS}: {value}"),
            ));
        }
    }
    let known: BTreeMap<ChecklistItemId, &ChecklistItem> =
        checklist.iter().map(|item| (item.id, item)).collect();
    let mut seen = BTreeSet::new();
    for (index, coverage) in body.coverage.iter().enumerate() {
        let field = format!("body.coverage[{index}]");
        if !known.contains_key(&coverage.item) {
            issues.push(PlanIssue::new(
                format!("{field}.item"),
                UnknownItem,
                format!("抽查事项清单中没有编号为 {} 的事项", coverage.item),
                format!("no checklist item {}", coverage.item),
            ));
        } else if !seen.insert(coverage.item) {
            issues.push(PlanIssue::new(
                format!("{field}.item"),
                DuplicateItem,
                format!("事项 {} 重复列出", known[&coverage.item].code),
                format!("item {} is listed twice", known[&coverage.item].code),
            ));
        }
        if section_by_code(&coverage.section).is_none() {
            issues.push(PlanIssue::new(
                format!("{field}.section"),
                UnknownSection,
                format!("未知科室代码：{}", coverage.section),
                format!("unknown section code: {}", coverage.section),
            ));
        }
    }
    let uncovered: Vec<&str> = checklist
        .iter()
        .filter(|item| !seen.contains(&item.id))
        .map(|item| item.code.as_str())
        .collect();
    if !uncovered.is_empty() {
        issues.push(PlanIssue::new(
            "body.coverage",
            ItemNotCovered,
            format!(
                "抽查事项须全覆盖，以下事项未指定负责科室：{}",
                uncovered.join("、")
            ),
            format!(
                "the checklist must be covered in full; no section covers {}",
                uncovered.join(", ")
            ),
        ));
    }
    if body.notes.chars().count() > MAX_NOTES_CHARS {
        issues.push(PlanIssue::new(
            "body.notes",
            NotesTooLong,
            format!("说明不能超过 {MAX_NOTES_CHARS} 个字符"),
            format!("the notes cannot exceed {MAX_NOTES_CHARS} characters"),
        ));
    }
    issues
}

/// Where a plan version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Being edited; not public.
    Draft,
    /// Public and frozen; a change makes the next version.
    Published,
}

/// `POST /api/plans`: a new draft for `year` (version 1, or the next after the published ones).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPlanRequest {
    pub year: u16,
    pub body: PlanBody,
}

/// `PUT /api/plans/:id`: the draft's new body; `revision` is the one the editor started from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdatePlanRequest {
    pub revision: u32,
    pub body: PlanBody,
}

/// `POST /api/plans/:id/publish`: publishes the draft as it was at `revision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishPlanRequest {
    pub revision: u32,
}

/// A plan version as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub id: i64,
    pub year: u16,
    /// 1, 2, … within the year.
    pub version: u32,
    pub status: PlanStatus,
    /// Counts the saves of a draft, for optimistic concurrency.
    pub revision: u32,
    pub body: PlanBody,
    pub created_at: String,
    pub updated_at: String,
    pub published_at: Option<String>,
}

/// `GET /api/plans`: every version of every year, newest year and version first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanList {
    pub plans: Vec<Plan>,
}

/// A published version as the public sees it: no account, no draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPlan {
    pub year: u16,
    pub version: u32,
    pub published_at: String,
    pub body: PlanBody,
}

/// One published version in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPlanVersion {
    pub year: u16,
    pub version: u32,
    pub title: String,
    pub published_at: String,
}

/// `GET /api/public/plans`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicPlanList {
    pub plans: Vec<PublicPlanVersion>,
}

/// `GET /api/public/plans/:year`: the latest published version and every published version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicYearPlan {
    pub plan: PublicPlan,
    /// Newest first.
    pub versions: Vec<PublicPlanVersion>,
}

/// Which plan version progress is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRef {
    pub id: i64,
    pub version: u32,
    pub status: PlanStatus,
}

/// What the database says about one category in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryFacts {
    pub category: Category,
    /// Active objects of the category now.
    pub active: u32,
    /// Of them, objects with at least one live random inspection this year.
    pub drawn: u32,
    /// Of them, objects with at least one live inspection this year, random or targeted.
    pub inspected: u32,
}

/// One category's progress toward the plan's yearly minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryProgress {
    pub category: Category,
    pub active: u32,
    pub drawn: u32,
    pub inspected: u32,
    /// The plan's yearly minimum (`None` without a plan).
    pub yearly_min_bp: Option<u32>,
    /// Objects the yearly minimum asks for: `ceil(active × yearly_min_bp / 10 000)`.
    pub required: Option<u32>,
    /// `required − inspected`, at least 0.
    pub remaining: Option<u32>,
}

/// `ceil(count × bp / 10 000)`: how many of `count` objects a share asks for (rounded up, as the
/// engine rounds a stratum's ratio).
pub fn required_objects(count: u32, bp: u32) -> u32 {
    let product = u64::from(count) * u64::from(bp.min(FULL_BP));
    product.div_ceil(u64::from(FULL_BP)) as u32
}

/// The least share of `remaining` objects to draw in `quarter` so the rest of the year can
/// still reach them evenly: `ceil(remaining / (5 − quarter))`, the engine's annual-guarantee rule.
pub fn quarter_share(remaining: u32, quarter: u8) -> u32 {
    let quarters_left = 5u32.saturating_sub(u32::from(quarter.clamp(1, 4)));
    remaining.div_ceil(quarters_left)
}

/// A category's progress. An object counts toward the yearly minimum once it has a live
/// inspection this year, random or targeted (targeted inspections count too, seed 三(一)).
pub fn category_progress(facts: &CategoryFacts, plan: Option<&PlanBody>) -> CategoryProgress {
    let yearly_min_bp = plan.map(|plan| plan.targets.get(facts.category).yearly_min_bp);
    let required = yearly_min_bp.map(|bp| required_objects(facts.active, bp));
    CategoryProgress {
        category: facts.category,
        active: facts.active,
        drawn: facts.drawn,
        inspected: facts.inspected,
        yearly_min_bp,
        required,
        remaining: required.map(|required| required.saturating_sub(facts.inspected)),
    }
}

/// An active key or special object not yet inspected this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingObject {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub category: Category,
    pub region: String,
}

/// The annual guarantee: every active key and special object inspected at least once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteeProgress {
    /// Active key and special objects.
    pub total: u32,
    /// Of them, inspected this year.
    pub covered: u32,
    /// Those still missing, by category (special first), name and id; at most
    /// [`MAX_LISTED_OBJECTS`] (`total − covered` is the full count).
    pub missing: Vec<MissingObject>,
}

/// A planned checklist item not yet checked this year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingItem {
    pub id: ChecklistItemId,
    pub code: String,
    pub content: String,
    /// The covering section's code (from the plan).
    pub section: String,
}

/// Checklist coverage: the plan's items, the ones checked this year, the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemProgress {
    pub planned: u32,
    pub covered: Vec<ChecklistItemId>,
    pub missing: Vec<MissingItem>,
}

/// Splits the items to cover (the plan's, or the whole checklist without a plan) into those
/// checked by a live inspection this year and those still missing, in checklist order.
pub fn item_progress(
    plan: Option<&PlanBody>,
    checklist: &[ChecklistItem],
    checked: &BTreeSet<ChecklistItemId>,
) -> ItemProgress {
    let section_of = |item: &ChecklistItem| -> String {
        match plan {
            Some(plan) => plan
                .coverage
                .iter()
                .find(|c| c.item == item.id)
                .map(|c| c.section.clone())
                .unwrap_or_default(),
            None => section_by_name(&item.section)
                .map(|s| s.code.to_owned())
                .unwrap_or_default(),
        }
    };
    let planned: Vec<&ChecklistItem> = checklist
        .iter()
        .filter(|item| plan.is_none_or(|plan| plan.coverage.iter().any(|c| c.item == item.id)))
        .collect();
    let (covered, missing): (Vec<&ChecklistItem>, Vec<&ChecklistItem>) =
        planned.iter().partition(|item| checked.contains(&item.id));
    ItemProgress {
        planned: planned.len() as u32,
        covered: covered.iter().map(|item| item.id).collect(),
        missing: missing
            .into_iter()
            .map(|item| MissingItem {
                id: item.id,
                code: item.code.clone(),
                content: item.content.clone(),
                section: section_of(item),
            })
            .collect(),
    }
}

/// `GET /api/years/:year/progress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearProgress {
    pub year: u16,
    /// The latest published version, else the draft; `None` when the year has no plan.
    pub plan: Option<PlanRef>,
    /// General, key, special.
    pub categories: Vec<CategoryProgress>,
    pub guarantee: GuaranteeProgress,
    pub items: ItemProgress,
}

/// One category in a quarter: what the plan calls for and what the year still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterCategory {
    pub category: Category,
    /// The plan's ratio for this quarter (`None` without a plan).
    pub quarterly_bp: Option<u32>,
    /// `ceil(active × quarterly_bp / 10 000)`.
    pub planned: Option<u32>,
    /// Objects of the category drawn (live random inspections) in this quarter so far.
    pub drawn_this_quarter: u32,
    /// Objects the yearly minimum still needs ([`CategoryProgress::remaining`]).
    pub remaining_for_year: Option<u32>,
    /// The least this quarter should add to stay on course: `ceil(remaining / (5 − quarter))`.
    pub at_least: Option<u32>,
}

/// A category's line of the quarter view.
pub fn quarter_category(
    progress: &CategoryProgress,
    plan: Option<&PlanBody>,
    quarter: u8,
    drawn_this_quarter: u32,
) -> QuarterCategory {
    let quarterly_bp = plan.map(|plan| {
        plan.targets.get(progress.category).quarterly_bp[usize::from(quarter.clamp(1, 4) - 1)]
    });
    QuarterCategory {
        category: progress.category,
        quarterly_bp,
        planned: quarterly_bp.map(|bp| required_objects(progress.active, bp)),
        drawn_this_quarter,
        remaining_for_year: progress.remaining,
        at_least: progress
            .remaining
            .map(|remaining| quarter_share(remaining, quarter)),
    }
}

/// A draw task of the quarter, as the quarter view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterTask {
    pub id: i64,
    pub name: String,
    pub owner_section: Option<String>,
    pub status: TaskStatus,
    /// The sections taking part (codes, from the spec).
    pub sections: Vec<String>,
    /// The live draw, if committed and not voided.
    pub draw_id: Option<i64>,
    pub selected: Option<u32>,
}

/// One section in a quarter: its planned items, which of them the quarter's tasks check, and
/// which are still unchecked this year with no task of the quarter to check them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterSection {
    pub section: String,
    pub items: Vec<ChecklistItemId>,
    pub tasks: Vec<i64>,
    pub items_in_tasks: Vec<ChecklistItemId>,
    pub uncovered_without_task: Vec<ChecklistItemId>,
}

/// A task of the quarter and, per section taking part (code), the items it checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskItems {
    pub task: i64,
    pub sections: Vec<(String, Vec<ChecklistItemId>)>,
}

/// The sections' lines: every section the plan names, in `shared::sections` order.
pub fn quarter_sections(
    plan: &PlanBody,
    task_items: &[TaskItems],
    checked_this_year: &BTreeSet<ChecklistItemId>,
) -> Vec<QuarterSection> {
    crate::sections::SECTIONS
        .iter()
        .filter_map(|section| {
            let items = plan.items_of(section.code);
            if items.is_empty() {
                return None;
            }
            let mut tasks = Vec::new();
            let mut in_tasks = BTreeSet::new();
            for task in task_items {
                for (code, part_items) in &task.sections {
                    if code == section.code {
                        if !tasks.contains(&task.task) {
                            tasks.push(task.task);
                        }
                        in_tasks.extend(part_items.iter().copied());
                    }
                }
            }
            Some(QuarterSection {
                section: section.code.to_owned(),
                items_in_tasks: items
                    .iter()
                    .copied()
                    .filter(|item| in_tasks.contains(item))
                    .collect(),
                uncovered_without_task: items
                    .iter()
                    .copied()
                    .filter(|item| !in_tasks.contains(item) && !checked_this_year.contains(item))
                    .collect(),
                items,
                tasks,
            })
        })
        .collect()
}

/// `GET /api/years/:year/quarters/:quarter`: what the plan calls for in a quarter, the tasks
/// already made for it, and what the year still lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterView {
    pub period: Period,
    pub plan: Option<PlanRef>,
    pub categories: Vec<QuarterCategory>,
    /// Empty without a plan.
    pub sections: Vec<QuarterSection>,
    pub tasks: Vec<QuarterTask>,
    pub progress: YearProgress,
}

/// The quarter after the one containing `month` (1–12) of `year`: what "next quarter" means in
/// the last week of a quarter, when its list is drawn (seed 六).
pub fn next_quarter(year: u16, month: u8) -> Period {
    let quarter = (month.clamp(1, 12) - 1) / 3 + 1;
    if quarter == 4 {
        Period {
            year: year + 1,
            quarter: 1,
        }
    } else {
        Period {
            year,
            quarter: quarter + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checklist() -> Vec<ChecklistItem> {
        crate::demo::checklist_items()
    }

    fn recommended() -> PlanBody {
        PlanBody::recommended(2027, &checklist())
    }

    /// The fields and codes `validate` reports for a plan changed by `change`.
    fn check(change: impl FnOnce(&mut PlanBody), expect: &[(&str, PlanIssueCode)]) {
        let mut body = recommended();
        change(&mut body);
        let got: Vec<(String, PlanIssueCode)> = validate(2027, &body, &checklist())
            .into_iter()
            .map(|issue| (issue.field, issue.code))
            .collect();
        let expect: Vec<(String, PlanIssueCode)> = expect
            .iter()
            .map(|(field, code)| ((*field).to_owned(), *code))
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn the_recommended_plan_is_valid_and_covers_every_item_by_its_own_section() {
        let body = recommended();
        assert_eq!(validate(2027, &body, &checklist()), []);
        assert_eq!(body.coverage.len(), checklist().len());
        assert_eq!(body.items_of("eia_permit").len(), 3);
        assert_eq!(body.risk_weights, RiskWeights::recommended());
    }

    #[test]
    fn each_rule_names_its_field() {
        use PlanIssueCode::*;
        check(
            |b| b.title = "  ".to_owned(),
            &[("body.title", TitleLength)],
        );
        check(
            |b| b.targets.key.yearly_min_bp = 9_000,
            &[("body.targets.key.yearly_min_bp", GuaranteeNotFull)],
        );
        check(
            |b| b.targets.special.quarterly_bp[2] = 10_001,
            &[("body.targets.special.quarterly_bp[2]", RatioOutOfRange)],
        );
        check(
            |b| b.targets.general.yearly_min_bp = 10_001,
            &[("body.targets.general.yearly_min_bp", RatioOutOfRange)],
        );
        check(
            |b| b.targets.general.quarterly_bp = [500, 500, 500, 0],
            &[("body.targets.general.quarterly_bp", QuartersBelowYearly)],
        );
        // Key objects the quarters miss are drawn by the annual guarantee.
        check(|b| b.targets.key.quarterly_bp = [0; 4], &[]);
        check(
            |b| b.risk_weights.credit.d = 1_000_001,
            &[("body.risk_weights.credit.d", RiskWeightOutOfRange)],
        );
        check(
            |b| b.risk_weights.max_counted_complaints = 1_001,
            &[(
                "body.risk_weights.max_counted_complaints",
                RiskWeightOutOfRange,
            )],
        );
        check(
            |b| b.coverage[1].section = "finance".to_owned(),
            &[("body.coverage[1].section", UnknownSection)],
        );
        check(
            |b| b.coverage[0].item = ChecklistItemId(99),
            &[
                ("body.coverage[0].item", UnknownItem),
                ("body.coverage", ItemNotCovered),
            ],
        );
        check(
            |b| {
                let first = b.coverage[0].clone();
                b.coverage.push(first);
            },
            &[("body.coverage[12].item", DuplicateItem)],
        );
        check(
            |b| b.notes = "说".repeat(MAX_NOTES_CHARS + 1),
            &[("body.notes", NotesTooLong)],
        );
    }

    #[test]
    fn an_uncovered_item_is_named_in_both_languages() {
        let mut body = recommended();
        body.coverage.retain(|c| c.item != ChecklistItemId(5));
        let issues = validate(2027, &body, &checklist());
        assert_eq!(issues.len(), 1);
        let code = &checklist()[4].code;
        assert!(issues[0].message_zh.contains(code.as_str()), "{issues:?}");
        assert!(issues[0].message_en.contains(code.as_str()), "{issues:?}");
        let issues = validate(1999, &recommended(), &checklist());
        assert_eq!(issues[0].field, "year");
    }

    #[test]
    fn shares_round_up_like_the_engine() {
        assert_eq!(required_objects(1_000, 2_000), 200);
        assert_eq!(required_objects(1_001, 2_000), 201);
        assert_eq!(required_objects(7, 1), 1);
        assert_eq!(required_objects(0, 10_000), 0);
        assert_eq!(required_objects(u32::MAX, 10_000), u32::MAX);
        assert_eq!(required_objects(10, 20_000), 10, "capped at the whole");
        assert_eq!(quarter_share(10, 1), 3);
        assert_eq!(quarter_share(10, 2), 4);
        assert_eq!(quarter_share(10, 3), 5);
        assert_eq!(quarter_share(10, 4), 10);
        assert_eq!(quarter_share(0, 4), 0);
    }

    #[test]
    fn progress_counts_inspected_objects_against_the_yearly_minimum() {
        let plan = recommended();
        let facts = CategoryFacts {
            category: Category::General,
            active: 1_001,
            drawn: 150,
            inspected: 160,
        };
        let progress = category_progress(&facts, Some(&plan));
        assert_eq!(progress.required, Some(201));
        assert_eq!(progress.remaining, Some(41));
        let over = category_progress(
            &CategoryFacts {
                inspected: 500,
                ..facts
            },
            Some(&plan),
        );
        assert_eq!(over.remaining, Some(0));
        let unplanned = category_progress(&facts, None);
        assert_eq!((unplanned.required, unplanned.remaining), (None, None));

        let line = quarter_category(&progress, Some(&plan), 2, 7);
        assert_eq!(line.quarterly_bp, Some(500));
        assert_eq!(line.planned, Some(51));
        assert_eq!(line.at_least, Some(14), "41 over three quarters");
        assert_eq!(line.drawn_this_quarter, 7);
    }

    #[test]
    fn items_split_into_checked_and_missing_in_checklist_order() {
        let mut plan = recommended();
        plan.coverage[0].section = "enforcement".to_owned();
        let checked: BTreeSet<ChecklistItemId> = [ChecklistItemId(2), ChecklistItemId(12)].into();
        let progress = item_progress(Some(&plan), &checklist(), &checked);
        assert_eq!(progress.planned, 12);
        assert_eq!(progress.covered, [ChecklistItemId(2), ChecklistItemId(12)]);
        assert_eq!(progress.missing.len(), 10);
        assert_eq!(progress.missing[0].id, ChecklistItemId(1));
        assert_eq!(
            progress.missing[0].section, "enforcement",
            "the plan's section"
        );
        let without_plan = item_progress(None, &checklist(), &checked);
        assert_eq!(without_plan.planned, 12);
        assert_ne!(without_plan.missing[0].section, "");
    }

    #[test]
    fn quarter_sections_show_what_no_task_checks_yet() {
        let plan = recommended();
        let eia = plan.items_of("eia_permit");
        let tasks = vec![TaskItems {
            task: 41,
            sections: vec![("eia_permit".to_owned(), vec![eia[0]])],
        }];
        let checked: BTreeSet<ChecklistItemId> = [eia[1]].into();
        let sections = quarter_sections(&plan, &tasks, &checked);
        let line = sections.iter().find(|s| s.section == "eia_permit").unwrap();
        assert_eq!(line.tasks, [41]);
        assert_eq!(line.items_in_tasks, [eia[0]]);
        assert_eq!(line.uncovered_without_task, [eia[2]]);
        let others: Vec<&QuarterSection> = sections
            .iter()
            .filter(|s| s.section != "eia_permit")
            .collect();
        assert!(
            others
                .iter()
                .all(|s| s.tasks.is_empty() && s.items == s.uncovered_without_task)
        );
        let codes: BTreeSet<&str> = sections.iter().map(|s| s.section.as_str()).collect();
        let planned: BTreeSet<&str> = plan.coverage.iter().map(|c| c.section.as_str()).collect();
        assert_eq!(codes, planned);
    }

    #[test]
    fn next_quarter_wraps_the_year() {
        assert_eq!(
            next_quarter(2026, 11),
            Period {
                year: 2027,
                quarter: 1
            }
        );
        assert_eq!(
            next_quarter(2026, 3),
            Period {
                year: 2026,
                quarter: 2
            }
        );
        assert_eq!(
            next_quarter(2026, 7),
            Period {
                year: 2026,
                quarter: 4
            }
        );
    }

    #[test]
    fn the_plan_round_trips_through_json_and_refuses_unknown_fields() {
        let body = recommended();
        let text = serde_json::to_string(&body).unwrap();
        assert_eq!(serde_json::from_str::<PlanBody>(&text).unwrap(), body);
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<PlanBody>(value).is_err());
    }
}
