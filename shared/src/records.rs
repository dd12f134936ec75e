//! Inspections and their results: the on-site record (现场检查记录), its validation, the
//! standard publication phrases, and the working-day deadlines (7 working days to enter a
//! record, 20 to publish after a task is complete). Pure functions; `today` is an argument.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError, Date};
use crate::checklist::ChecklistItemId;
use crate::draw::Category;

/// Working days an inspector has to enter the record after the inspection (录入时限).
pub const ENTRY_WORKING_DAYS: u32 = 7;
/// Working days to publish a task's results after it is complete (公开时限).
pub const PUBLICATION_WORKING_DAYS: u32 = 20;

/// Random (drawn) or targeted (complaint, referral, emergency).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionKind {
    Random,
    Targeted,
}

/// Why a targeted (non-random) inspection happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// 投诉举报
    Complaint,
    /// 上级交办、部门转办
    Referral,
    /// 突发环境事件
    Emergency,
    /// 其他
    Other,
}

impl Trigger {
    pub const ALL: [Trigger; 4] = [
        Trigger::Complaint,
        Trigger::Referral,
        Trigger::Emergency,
        Trigger::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Complaint => "complaint",
            Trigger::Referral => "referral",
            Trigger::Emergency => "emergency",
            Trigger::Other => "other",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Trigger::Complaint => "投诉举报",
            Trigger::Referral => "上级交办、部门转办",
            Trigger::Emergency => "突发环境事件",
            Trigger::Other => "其他线索",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Trigger::Complaint => "Complaint",
            Trigger::Referral => "Referral",
            Trigger::Emergency => "Emergency",
            Trigger::Other => "Other lead",
        }
    }
}

/// The result of an inspection, as the record form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionResult {
    /// 未发现问题
    NoProblem,
    /// 发现问题，已责令整改
    OrderedToCorrect,
    /// 发现环境违法行为，已立案调查
    CaseOpened,
}

impl InspectionResult {
    pub const ALL: [InspectionResult; 3] = [
        InspectionResult::NoProblem,
        InspectionResult::OrderedToCorrect,
        InspectionResult::CaseOpened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InspectionResult::NoProblem => "no_problem",
            InspectionResult::OrderedToCorrect => "ordered_to_correct",
            InspectionResult::CaseOpened => "case_opened",
        }
    }

    /// The standard phrase published for this result (规范用语). Published text is always one
    /// of these, never free text, so nothing confidential can slip into it.
    pub fn phrase_zh(self) -> &'static str {
        match self {
            InspectionResult::NoProblem => "未发现问题",
            InspectionResult::OrderedToCorrect => "发现问题，已责令整改",
            InspectionResult::CaseOpened => "发现环境违法行为，已立案调查",
        }
    }

    pub fn phrase_en(self) -> &'static str {
        match self {
            InspectionResult::NoProblem => "No problem found",
            InspectionResult::OrderedToCorrect => "Problems found; ordered to correct",
            InspectionResult::CaseOpened => "Violation found; case opened for investigation",
        }
    }

    /// Whether the result counts as a violation that raises the object's risk weight.
    pub fn is_violation(self) -> bool {
        self == InspectionResult::CaseOpened
    }
}

/// What was found for one checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub item: ChecklistItemId,
    pub compliant: bool,
    /// What the team saw (required when not compliant).
    #[serde(default)]
    pub note: String,
}

/// The on-site record (《环境保护现场检查记录单》) as the inspector submits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordRequest {
    /// `YYYY-MM-DD`.
    pub inspected_on: String,
    /// Inspector ids present on site (at least two).
    pub team_present: Vec<i64>,
    pub findings: Vec<Finding>,
    pub result: InspectionResult,
    /// 责令改正决定书 number or case number; required unless no problem was found.
    #[serde(default)]
    pub order_number: String,
    #[serde(default)]
    pub confidential: bool,
    /// Legal ground for withholding publication; required when confidential.
    #[serde(default)]
    pub confidential_ground: String,
    /// Attachments as descriptions: file name and what it shows.
    #[serde(default)]
    pub attachments: Vec<String>,
    #[serde(default)]
    pub remarks: String,
    /// The version the form was loaded with, for an edit (optimistic concurrency).
    #[serde(default)]
    pub version: Option<i64>,
}

/// One field's problem in a record, for the form to show beside the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field, e.g. `inspected_on`, `findings[2].note`.
    pub field: String,
    pub message: String,
}

fn field_error(field: impl Into<String>, zh: &str, en: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: format!("{zh} / {en}"),
    }
}

/// What a record is checked against: the inspection it belongs to.
#[derive(Debug, Clone)]
pub struct RecordContext<'a> {
    /// The checklist items of the inspection: each needs exactly one finding.
    pub items: &'a [ChecklistItemId],
    /// Inspectors who may be named as present (the directory's active inspectors).
    pub known_inspectors: &'a BTreeSet<i64>,
    /// The inspection's period; the date must fall in its year.
    pub year: i32,
    /// Today in China (the date must not be after it).
    pub today: Date,
    /// The working-day calendar the entry deadline is counted in.
    pub calendar: &'a Calendar,
}

pub const MAX_ATTACHMENTS: usize = 30;

/// Every problem of `record`, empty when it can be saved.
pub fn validate_record(record: &RecordRequest, context: &RecordContext<'_>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match record.inspected_on.parse::<Date>() {
        Err(_) => errors.push(field_error(
            "inspected_on",
            "检查日期须为 YYYY-MM-DD 格式的有效日期",
            "the inspection date must be a valid YYYY-MM-DD date",
        )),
        Ok(date) if date > context.today => errors.push(field_error(
            "inspected_on",
            "检查日期不能晚于今天",
            "the inspection date cannot be in the future",
        )),
        Ok(date) if date.year() != context.year => errors.push(field_error(
            "inspected_on",
            &format!("检查日期须在任务年度 {} 年内", context.year),
            &format!("the inspection date must fall in {}", context.year),
        )),
        Ok(date) => {
            if let Err(err) = context.calendar.result_entry_deadline(date) {
                errors.push(field_error(
                    "inspected_on",
                    &format!("无法计算录入时限：{err}"),
                    "the entry deadline cannot be computed for this date",
                ));
            }
        }
    }
    let present: BTreeSet<i64> = record.team_present.iter().copied().collect();
    if present.len() != record.team_present.len() {
        errors.push(field_error(
            "team_present",
            "检查人员有重复",
            "an inspector is listed twice",
        ));
    }
    if present.len() < 2 {
        errors.push(field_error(
            "team_present",
            "现场检查人员不得少于两人",
            "at least two inspectors must be present on site",
        ));
    }
    for (index, id) in record.team_present.iter().enumerate() {
        if !context.known_inspectors.contains(id) {
            errors.push(field_error(
                format!("team_present[{index}]"),
                &format!("检查人员 {id} 不在检查人员名录中"),
                &format!("inspector {id} is not in the inspector directory"),
            ));
        }
    }
    let wanted: BTreeSet<ChecklistItemId> = context.items.iter().copied().collect();
    let mut seen = BTreeSet::new();
    for (index, finding) in record.findings.iter().enumerate() {
        if !wanted.contains(&finding.item) {
            errors.push(field_error(
                format!("findings[{index}].item"),
                &format!("事项 {} 不属于本次检查", finding.item),
                &format!("item {} is not part of this inspection", finding.item),
            ));
        } else if !seen.insert(finding.item) {
            errors.push(field_error(
                format!("findings[{index}].item"),
                &format!("事项 {} 重复填写", finding.item),
                &format!("item {} appears twice", finding.item),
            ));
        }
        if !finding.compliant && finding.note.trim().is_empty() {
            errors.push(field_error(
                format!("findings[{index}].note"),
                "发现问题的事项须写明检查情况",
                "describe what was found for a non-compliant item",
            ));
        }
        if finding.note.chars().count() > 1000 {
            errors.push(field_error(
                format!("findings[{index}].note"),
                "检查情况不超过 1000 字",
                "at most 1000 characters",
            ));
        }
    }
    for missing in wanted.difference(&seen) {
        errors.push(field_error(
            "findings",
            &format!("事项 {missing} 尚未填写检查情况"),
            &format!("item {missing} has no finding"),
        ));
    }
    let any_problem = record.findings.iter().any(|finding| !finding.compliant);
    if any_problem && record.result == InspectionResult::NoProblem {
        errors.push(field_error(
            "result",
            "有事项发现问题，检查结果不能为“未发现问题”",
            "an item is non-compliant, so the result cannot be “no problem found”",
        ));
    }
    let order_number = record.order_number.trim();
    if record.result != InspectionResult::NoProblem && order_number.is_empty() {
        errors.push(field_error(
            "order_number",
            "发现问题时须填写责令改正决定书文号或立案编号",
            "an order-to-correct or case number is required when a problem was found",
        ));
    }
    if order_number.chars().count() > 100 {
        errors.push(field_error(
            "order_number",
            "文号不超过 100 字",
            "at most 100 characters",
        ));
    }
    if record.confidential && record.confidential_ground.trim().is_empty() {
        errors.push(field_error(
            "confidential_ground",
            "不予公开须写明法定依据",
            "withholding publication needs its legal ground",
        ));
    }
    if record.confidential_ground.chars().count() > 500 {
        errors.push(field_error(
            "confidential_ground",
            "依据不超过 500 字",
            "at most 500 characters",
        ));
    }
    if record.attachments.len() > MAX_ATTACHMENTS {
        errors.push(field_error(
            "attachments",
            &format!("附件说明最多 {MAX_ATTACHMENTS} 条"),
            &format!("at most {MAX_ATTACHMENTS} attachments"),
        ));
    }
    for (index, attachment) in record.attachments.iter().enumerate() {
        let length = attachment.trim().chars().count();
        if length == 0 || length > 200 {
            errors.push(field_error(
                format!("attachments[{index}]"),
                "附件说明须为 1–200 字",
                "an attachment description has 1–200 characters",
            ));
        }
    }
    if record.remarks.chars().count() > 2000 {
        errors.push(field_error(
            "remarks",
            "备注不超过 2000 字",
            "at most 2000 characters",
        ));
    }
    errors
}

/// Where an inspection stands with its record (录入).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Not inspected yet (no record).
    NotRecorded,
    /// Recorded on or before the deadline.
    OnTime,
    /// Recorded after the deadline.
    Late,
}

/// Where a result stands with its publication (公开).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationState {
    /// No record yet, or the task is not complete: the clock has not started.
    NotDue,
    /// Due, the deadline not passed.
    Due,
    /// Due and the deadline passed.
    Overdue,
    /// Published on or before the deadline.
    PublishedOnTime,
    /// Published after the deadline.
    PublishedLate,
    /// Confidential: counted as 依法不予公开, never published.
    Withheld,
}

/// The entry state of a record made on `recorded_on` for an inspection on `inspected_on`,
/// the deadline counted in `calendar`.
pub fn entry_state(
    calendar: &Calendar,
    inspected_on: Date,
    recorded_on: Date,
) -> Result<EntryState, CalendarError> {
    let deadline = calendar.result_entry_deadline(inspected_on)?.date;
    Ok(if recorded_on <= deadline {
        EntryState::OnTime
    } else {
        EntryState::Late
    })
}

/// A task is complete when every one of its (live) inspections has a record; it completed on
/// the latest inspection date. `None` while an inspection is still open.
pub fn task_completed_on(inspection_dates: &[Option<Date>]) -> Option<Date> {
    if inspection_dates.is_empty() {
        return None;
    }
    inspection_dates
        .iter()
        .copied()
        .try_fold(None::<Date>, |latest, date| {
            date.map(|date| Some(latest.map_or(date, |latest| latest.max(date))))
        })
        .flatten()
}

/// The publication state of one result, given when its task completed, whether and when it
/// was published, and today; the deadline counted in `calendar`.
pub fn publication_state(
    calendar: &Calendar,
    completed_on: Option<Date>,
    confidential: bool,
    published_on: Option<Date>,
    today: Date,
) -> Result<PublicationState, CalendarError> {
    if confidential {
        return Ok(PublicationState::Withheld);
    }
    let Some(completed_on) = completed_on else {
        return Ok(match published_on {
            Some(_) => PublicationState::PublishedOnTime,
            None => PublicationState::NotDue,
        });
    };
    let deadline = calendar.publication_deadline(completed_on)?.date;
    Ok(match published_on {
        Some(date) if date <= deadline => PublicationState::PublishedOnTime,
        Some(_) => PublicationState::PublishedLate,
        None if today > deadline => PublicationState::Overdue,
        None => PublicationState::Due,
    })
}

/// A rate as a share in basis points (1 % = 100), rounded half up; `None` for 0 ÷ 0. Integer
/// arithmetic so a report shows the same figure everywhere.
pub fn rate_basis_points(part: u64, whole: u64) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let scaled =
        (u128::from(part.min(whole)) * 20_000 + u128::from(whole)) / (2 * u128::from(whole));
    Some(scaled as u32)
}

/// `rate_basis_points` as text, e.g. `97.50%`, or `—` for no data.
pub fn format_rate(basis_points: Option<u32>) -> String {
    match basis_points {
        Some(bp) => format!("{}.{:02}%", bp / 100, bp % 100),
        None => "—".to_owned(),
    }
}

/// One member of an inspection's team, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub inspector_id: i64,
    pub name: String,
    pub lead: bool,
}

/// The object of an inspection, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionObjectInfo {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub category: Category,
    pub region: String,
    pub address: String,
}

/// An inspection with its deadlines, for lists, the assignment sheet and the dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionSummary {
    pub id: i64,
    pub kind: InspectionKind,
    pub draw_id: Option<i64>,
    pub task_id: Option<i64>,
    /// The task's name, or the trigger's label for a targeted inspection.
    pub task_name: String,
    pub trigger: Option<Trigger>,
    pub trigger_detail: String,
    pub year: i32,
    pub quarter: u8,
    pub joint: bool,
    /// Section codes whose part this is.
    pub sections: Vec<String>,
    pub object: InspectionObjectInfo,
    /// Checklist items with their contents.
    pub items: Vec<ItemRef>,
    /// Lead first; empty when the draw found no feasible team.
    pub team: Vec<TeamMember>,
    /// `YYYY-MM-DD`: the last day of the inspection's quarter, by which it is due.
    pub inspect_by: String,
    /// `YYYY-MM-DD`, once recorded.
    pub inspected_on: Option<String>,
    pub result: Option<InspectionResult>,
    pub confidential: bool,
    pub entry_deadline: Option<String>,
    /// The entry deadline was counted through a year whose holiday notice is not entered yet
    /// (暂定): it may move when the notice is entered.
    #[serde(default)]
    pub entry_deadline_provisional: bool,
    pub entry_state: EntryState,
    pub recorded_at: Option<String>,
    /// When the task completed (all its inspections recorded).
    pub task_completed_on: Option<String>,
    pub publication_deadline: Option<String>,
    /// Like `entry_deadline_provisional`, for the publication deadline.
    #[serde(default)]
    pub publication_deadline_provisional: bool,
    pub publication_state: PublicationState,
    pub published_at: Option<String>,
}

/// A checklist item by id with its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRef {
    pub id: ChecklistItemId,
    pub code: String,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionList {
    pub inspections: Vec<InspectionSummary>,
}

/// An inspection with its full record, for the record form and the printable record sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectionDetail {
    pub inspection: InspectionSummary,
    pub record: Option<StoredRecord>,
    /// Whether the signed-in account may write the record and publish it.
    pub can_record: bool,
}

/// A saved record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRecord {
    pub record: RecordRequest,
    pub recorded_by: String,
    pub recorded_at: String,
    pub updated_at: String,
    pub version: i64,
}

/// `POST /api/inspections`: a targeted inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetedRequest {
    /// The object's 统一社会信用代码.
    pub credit_code: String,
    pub trigger: Trigger,
    pub trigger_detail: String,
    /// The section whose part it is.
    pub section: String,
    pub items: Vec<ChecklistItemId>,
    /// Inspector ids, lead first (at least two).
    pub team: Vec<i64>,
    /// `YYYY-MM-DD`: the period is taken from it.
    pub planned_on: String,
}

/// A published result as the public sees it: nothing else is ever published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicResult {
    pub inspection_id: i64,
    pub year: i32,
    pub quarter: u8,
    pub object_name: String,
    pub credit_code: String,
    pub category: Category,
    pub task_name: String,
    pub kind: InspectionKind,
    pub inspected_on: String,
    pub items: Vec<String>,
    pub result: InspectionResult,
    pub phrase: String,
    pub department: String,
    pub published_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicResultList {
    pub results: Vec<PublicResult>,
    /// Confidential results in the same filter: counted, never shown (依法不予公开).
    pub withheld: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn official() -> &'static Calendar {
        Calendar::official().unwrap()
    }

    fn record() -> RecordRequest {
        RecordRequest {
            inspected_on: "2026-09-29".to_owned(),
            team_present: vec![1, 2],
            findings: vec![
                Finding {
                    item: ChecklistItemId(1),
                    compliant: true,
                    note: String::new(),
                },
                Finding {
                    item: ChecklistItemId(2),
                    compliant: true,
                    note: "台账齐全".to_owned(),
                },
            ],
            result: InspectionResult::NoProblem,
            order_number: String::new(),
            confidential: false,
            confidential_ground: String::new(),
            attachments: vec!["IMG_0001.jpg 排污口".to_owned()],
            remarks: String::new(),
            version: None,
        }
    }

    fn check(record: &RecordRequest) -> Vec<String> {
        let known: BTreeSet<i64> = [1, 2, 3].into_iter().collect();
        let items = [ChecklistItemId(1), ChecklistItemId(2)];
        validate_record(
            record,
            &RecordContext {
                items: &items,
                known_inspectors: &known,
                year: 2026,
                today: date("2026-11-28"),
                calendar: official(),
            },
        )
        .into_iter()
        .map(|error| error.field)
        .collect()
    }

    #[test]
    fn a_complete_record_passes() {
        assert_eq!(check(&record()), Vec::<String>::new());
    }

    #[test]
    fn each_problem_names_its_field() {
        let mut bad = record();
        bad.inspected_on = "2026-12-01".to_owned();
        bad.team_present = vec![1, 9];
        bad.findings[1].compliant = false;
        bad.findings[1].note = " ".to_owned();
        bad.confidential = true;
        assert_eq!(
            check(&bad),
            [
                "inspected_on",
                "team_present[1]",
                "findings[1].note",
                "result",
                "confidential_ground"
            ]
        );
    }

    #[test]
    fn every_item_needs_exactly_one_finding() {
        let mut bad = record();
        bad.findings[1].item = ChecklistItemId(1);
        assert_eq!(check(&bad), ["findings[1].item", "findings"]);
        bad.findings.push(Finding {
            item: ChecklistItemId(7),
            compliant: true,
            note: String::new(),
        });
        assert_eq!(
            check(&bad),
            ["findings[1].item", "findings[2].item", "findings"]
        );
    }

    #[test]
    fn one_inspector_alone_is_not_a_team() {
        let mut bad = record();
        bad.team_present = vec![1];
        assert_eq!(check(&bad), ["team_present"]);
        bad.inspected_on = "2025-12-31".to_owned();
        assert_eq!(check(&bad), ["inspected_on", "team_present"]);
    }

    #[test]
    fn entry_deadline_crosses_national_day() {
        // Inspected Tuesday 29 September 2026: 30 Sep is working day 1, 1–7 October are the
        // National Day holiday, 8–9 October days 2–3, Saturday 10 October a make-up working
        // day (调休) is day 4, Sunday 11 is off, 12–14 October days 5–7.
        let inspected = date("2026-09-29");
        let deadline = official().result_entry_deadline(inspected).unwrap().date;
        assert_eq!(deadline.to_string(), "2026-10-14");
        assert_eq!(
            entry_state(official(), inspected, deadline).unwrap(),
            EntryState::OnTime
        );
        assert_eq!(
            entry_state(official(), inspected, deadline.next_day().unwrap()).unwrap(),
            EntryState::Late
        );
    }

    #[test]
    fn a_task_completes_when_every_inspection_is_recorded() {
        assert_eq!(task_completed_on(&[]), None);
        assert_eq!(task_completed_on(&[Some(date("2026-03-02")), None]), None);
        assert_eq!(
            task_completed_on(&[Some(date("2026-03-02")), Some(date("2026-02-27"))]),
            Some(date("2026-03-02"))
        );
    }

    #[test]
    fn publication_state_follows_the_twenty_working_days() {
        let completed = Some(date("2026-02-10"));
        let deadline = official()
            .publication_deadline(date("2026-02-10"))
            .unwrap()
            .date;
        // Completed Tuesday 10 February 2026: 11–13 February are days 1–3, Saturday 14 a
        // make-up working day is day 4, Spring Festival 15–23 February is off, 24–27 are days
        // 5–8, Saturday 28 (make-up) day 9, then 2–16 March days 10–20.
        assert_eq!(deadline.to_string(), "2026-03-16");
        let state = |published: Option<&str>, today: &str| {
            publication_state(
                official(),
                completed,
                false,
                published.map(date),
                date(today),
            )
            .unwrap()
        };
        assert_eq!(state(None, "2026-03-16"), PublicationState::Due);
        assert_eq!(state(None, "2026-03-17"), PublicationState::Overdue);
        assert_eq!(
            state(Some("2026-03-16"), "2026-04-01"),
            PublicationState::PublishedOnTime
        );
        assert_eq!(
            state(Some("2026-03-17"), "2026-04-01"),
            PublicationState::PublishedLate
        );
        assert_eq!(
            publication_state(official(), None, false, None, date("2026-04-01")).unwrap(),
            PublicationState::NotDue
        );
        assert_eq!(
            publication_state(official(), completed, true, None, date("2026-04-01")).unwrap(),
            PublicationState::Withheld
        );
    }

    #[test]
    fn rates_are_integer_basis_points() {
        assert_eq!(rate_basis_points(0, 0), None);
        assert_eq!(rate_basis_points(1, 3), Some(3333));
        assert_eq!(rate_basis_points(2, 3), Some(6667));
        assert_eq!(rate_basis_points(5, 5), Some(10_000));
        assert_eq!(format_rate(rate_basis_points(39, 40)), "97.50%");
        assert_eq!(format_rate(None), "—");
    }

    #[test]
    fn every_result_has_a_distinct_standard_phrase() {
        let phrases: BTreeSet<&str> = InspectionResult::ALL
            .iter()
            .map(|result| result.phrase_zh())
            .collect();
        assert_eq!(phrases.len(), InspectionResult::ALL.len());
        let json = serde_json::to_string(&InspectionResult::OrderedToCorrect).unwrap();
        assert_eq!(json, "\"ordered_to_correct\"");
        assert_eq!(
            InspectionResult::OrderedToCorrect.as_str(),
            "ordered_to_correct"
        );
    }
}
