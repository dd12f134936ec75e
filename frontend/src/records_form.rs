//! The on-site record form (《环境保护现场检查记录单》) as plain data, the assignment sheet (派单)
//! and the deadlines dashboard's counts: everything the inspection pages compute, tested
//! natively. The pages only wire signals to these functions; `today` is always an argument.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use shared::records::{
    EntryState, FieldError, Finding, InspectionResult, InspectionSummary, PublicationState,
    RecordRequest, StoredRecord,
};

/// `localStorage` key of the draft of one inspection's record, per account: signing out of one
/// account never shows its drafts to, or sends them as, another.
pub fn draft_key(account_id: i64, inspection_id: i64) -> String {
    format!("suicha.record-draft.{account_id}.{inspection_id}")
}

/// `localStorage` key of one account's records waiting for the network (its outbox).
pub fn outbox_key(account_id: i64) -> String {
    format!("suicha.record-outbox.{account_id}")
}

/// One checklist item's row of the form. `compliant` is `None` until the inspector chooses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingDraft {
    pub item: i64,
    pub compliant: Option<bool>,
    pub note: String,
}

/// One attachment row: the file's name and what it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentDraft {
    pub file_name: String,
    pub shows: String,
}

/// The record form as the inspector fills it in; saved to `localStorage` on every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordDraft {
    pub inspected_on: String,
    /// Team members ticked as present, in the team's order.
    pub team_present: Vec<i64>,
    /// Other inspectors present, as typed: ids separated by commas or spaces.
    pub other_inspectors: String,
    pub findings: Vec<FindingDraft>,
    pub result: Option<InspectionResult>,
    pub order_number: String,
    pub confidential: bool,
    pub confidential_ground: String,
    pub attachments: Vec<AttachmentDraft>,
    pub remarks: String,
    /// The stored record's version this draft edits (`None`: the first entry).
    pub version: Option<i64>,
}

/// Splits a stored attachment description into file name and what it shows (at the first
/// space or full-width colon).
fn split_attachment(text: &str) -> AttachmentDraft {
    let text = text.trim();
    match text.find([' ', '：']) {
        Some(at) => {
            let separator = text[at..].chars().next().map_or(1, char::len_utf8);
            AttachmentDraft {
                file_name: text[..at].to_owned(),
                shows: text[at + separator..].trim().to_owned(),
            }
        }
        None => AttachmentDraft {
            file_name: text.to_owned(),
            shows: String::new(),
        },
    }
}

impl RecordDraft {
    /// A new form for `inspection`: dated `today`, the whole team present, nothing answered;
    /// or the stored record, for a correction.
    pub fn new(inspection: &InspectionSummary, stored: Option<&StoredRecord>, today: &str) -> Self {
        if let Some(stored) = stored {
            let record = &stored.record;
            let team: Vec<i64> = inspection.team.iter().map(|m| m.inspector_id).collect();
            let (in_team, others): (Vec<i64>, Vec<i64>) =
                record.team_present.iter().partition(|id| team.contains(id));
            return RecordDraft {
                inspected_on: record.inspected_on.clone(),
                team_present: in_team,
                other_inspectors: others
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                findings: inspection
                    .items
                    .iter()
                    .map(|item| {
                        let found = record.findings.iter().find(|f| f.item == item.id);
                        FindingDraft {
                            item: item.id.0,
                            compliant: found.map(|f| f.compliant),
                            note: found.map(|f| f.note.clone()).unwrap_or_default(),
                        }
                    })
                    .collect(),
                result: Some(record.result),
                order_number: record.order_number.clone(),
                confidential: record.confidential,
                confidential_ground: record.confidential_ground.clone(),
                attachments: record
                    .attachments
                    .iter()
                    .map(|a| split_attachment(a))
                    .collect(),
                remarks: record.remarks.clone(),
                version: Some(stored.version),
            };
        }
        RecordDraft {
            inspected_on: today.to_owned(),
            team_present: inspection.team.iter().map(|m| m.inspector_id).collect(),
            other_inspectors: String::new(),
            findings: inspection
                .items
                .iter()
                .map(|item| FindingDraft {
                    item: item.id.0,
                    compliant: None,
                    note: String::new(),
                })
                .collect(),
            result: None,
            order_number: String::new(),
            confidential: false,
            confidential_ground: String::new(),
            attachments: Vec::new(),
            remarks: String::new(),
            version: None,
        }
    }

    /// Whether the form should ask for an order or case number: a problem was found.
    pub fn problem_found(&self) -> bool {
        self.findings.iter().any(|f| f.compliant == Some(false))
            || matches!(
                self.result,
                Some(InspectionResult::OrderedToCorrect | InspectionResult::CaseOpened)
            )
    }

    /// Ticks or unticks a team member, keeping the team's order.
    pub fn set_present(&mut self, team_order: &[i64], id: i64, present: bool) {
        self.team_present.retain(|other| *other != id);
        if present {
            self.team_present.push(id);
            self.team_present
                .sort_by_key(|id| team_order.iter().position(|t| t == id));
        }
    }

    /// The request to send, or the problems the form can see by itself (unanswered items, no
    /// result, an inspector id that is not a number). The worker checks everything again.
    pub fn to_request(&self) -> Result<RecordRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut team_present = self.team_present.clone();
        for word in self
            .other_inspectors
            .split([',', '，', ' ', '、'])
            .filter(|w| !w.trim().is_empty())
        {
            match word.trim().parse::<i64>() {
                Ok(id) if !team_present.contains(&id) => team_present.push(id),
                Ok(_) => {}
                Err(_) => errors.push(FieldError {
                    field: "other_inspectors".to_owned(),
                    message: format!("“{word}” 不是检查人员编号 / is not an inspector id"),
                }),
            }
        }
        let mut findings = Vec::new();
        for (index, finding) in self.findings.iter().enumerate() {
            match finding.compliant {
                Some(compliant) => findings.push(Finding {
                    item: shared::checklist::ChecklistItemId(finding.item),
                    compliant,
                    note: finding.note.trim().to_owned(),
                }),
                None => errors.push(FieldError {
                    field: format!("findings[{index}].compliant"),
                    message: "请选择是否符合要求 / choose compliant or not".to_owned(),
                }),
            }
        }
        if self.result.is_none() {
            errors.push(FieldError {
                field: "result".to_owned(),
                message: "请选择检查结果 / choose the result".to_owned(),
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let no_problem = self.result == Some(InspectionResult::NoProblem);
        Ok(RecordRequest {
            inspected_on: self.inspected_on.trim().to_owned(),
            team_present,
            findings,
            result: self.result.unwrap_or(InspectionResult::NoProblem),
            order_number: if no_problem {
                String::new()
            } else {
                self.order_number.trim().to_owned()
            },
            confidential: self.confidential,
            confidential_ground: if self.confidential {
                self.confidential_ground.trim().to_owned()
            } else {
                String::new()
            },
            attachments: self
                .attachments
                .iter()
                .map(|a| format!("{} {}", a.file_name.trim(), a.shows.trim()))
                .map(|text| text.trim().to_owned())
                .collect(),
            remarks: self.remarks.trim().to_owned(),
            version: self.version,
        })
    }
}

/// The messages of the errors whose field is `field` or lies under it (`findings[2]` matches
/// `findings[2].note`; `team_present` matches `team_present[1]`).
pub fn messages_for(errors: &[FieldError], field: &str) -> Vec<String> {
    errors
        .iter()
        .filter(|e| {
            e.field == field
                || e.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
        })
        .map(|e| e.message.clone())
        .collect()
}

/// A record waiting in the outbox until the network is back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedRecord {
    pub inspection_id: i64,
    pub request: RecordRequest,
    /// The `Idempotency-Key` every send of this record carries, so a resend after a lost
    /// answer is answered as the first send was.
    #[serde(default)]
    pub key: String,
}

/// Puts `record` in the outbox, replacing an older one for the same inspection.
pub fn enqueue(outbox: &mut Vec<QueuedRecord>, record: QueuedRecord) {
    outbox.retain(|q| q.inspection_id != record.inspection_id);
    outbox.push(record);
}

/// The team as one line, the lead marked: `王伟（组长）、李娜`.
pub fn team_line(inspection: &InspectionSummary) -> String {
    inspection
        .team
        .iter()
        .map(|m| {
            if m.lead {
                format!("{}（组长）", m.name)
            } else {
                m.name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// The checklist items as one line: `HP-01 内容；HP-02 内容`.
pub fn items_line(inspection: &InspectionSummary) -> String {
    inspection
        .items
        .iter()
        .map(|item| format!("{} {}", item.code, item.content))
        .collect::<Vec<_>>()
        .join("；")
}

/// The assignment sheet (派单) as a table: a header row, then one row per inspection.
pub fn assignment_table(inspections: &[InspectionSummary]) -> Vec<Vec<String>> {
    let mut table = vec![
        [
            "抽查任务",
            "检查对象",
            "统一社会信用代码",
            "地址",
            "检查事项",
            "检查组",
            "组长",
            "完成期限",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for inspection in inspections {
        table.push(vec![
            inspection.task_name.clone(),
            inspection.object.name.clone(),
            inspection.object.credit_code.clone(),
            inspection.object.address.clone(),
            items_line(inspection),
            inspection
                .team
                .iter()
                .map(|m| m.name.clone())
                .collect::<Vec<_>>()
                .join("、"),
            inspection
                .team
                .iter()
                .find(|m| m.lead)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            inspection.inspect_by.clone(),
        ]);
    }
    table
}

/// The list's state filter (applied in the browser to the list the API returned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    All,
    NotRecorded,
    Recorded,
    RecordedLate,
    PublicationDue,
    PublicationOverdue,
    Published,
    Withheld,
}

impl StateFilter {
    pub const ALL: [StateFilter; 8] = [
        StateFilter::All,
        StateFilter::NotRecorded,
        StateFilter::Recorded,
        StateFilter::RecordedLate,
        StateFilter::PublicationDue,
        StateFilter::PublicationOverdue,
        StateFilter::Published,
        StateFilter::Withheld,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StateFilter::All => "",
            StateFilter::NotRecorded => "not_recorded",
            StateFilter::Recorded => "recorded",
            StateFilter::RecordedLate => "late",
            StateFilter::PublicationDue => "due",
            StateFilter::PublicationOverdue => "overdue",
            StateFilter::Published => "published",
            StateFilter::Withheld => "withheld",
        }
    }

    pub fn from_code(code: &str) -> StateFilter {
        StateFilter::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .unwrap_or(StateFilter::All)
    }

    pub fn matches(self, inspection: &InspectionSummary) -> bool {
        let publication = inspection.publication_state;
        match self {
            StateFilter::All => true,
            StateFilter::NotRecorded => inspection.entry_state == EntryState::NotRecorded,
            StateFilter::Recorded => inspection.entry_state != EntryState::NotRecorded,
            StateFilter::RecordedLate => inspection.entry_state == EntryState::Late,
            StateFilter::PublicationDue => publication == PublicationState::Due,
            StateFilter::PublicationOverdue => publication == PublicationState::Overdue,
            StateFilter::Published => matches!(
                publication,
                PublicationState::PublishedOnTime | PublicationState::PublishedLate
            ),
            StateFilter::Withheld => publication == PublicationState::Withheld,
        }
    }
}

/// One line of the deadlines dashboard: what is due and overdue for a section or an inspector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeadlineCounts {
    /// Inspections in scope.
    pub total: u32,
    /// Not recorded, the inspect-by date not passed.
    pub open: u32,
    /// Not recorded and past the inspect-by date (逾期未检查).
    pub not_inspected_overdue: u32,
    /// Records entered after their 7-working-day deadline (录入超时).
    pub entered_late: u32,
    /// Results due for publication, the deadline not passed (待公开).
    pub publication_due: u32,
    /// Results past their publication deadline, unpublished (逾期未公开).
    pub publication_overdue: u32,
    /// Published after the deadline.
    pub published_late: u32,
    /// Withheld by law (依法不予公开).
    pub withheld: u32,
}

impl DeadlineCounts {
    fn add(&mut self, inspection: &InspectionSummary, today: &str) {
        self.total += 1;
        if inspection.entry_state == EntryState::NotRecorded {
            // ISO dates compare as text.
            if inspection.inspect_by.as_str() < today {
                self.not_inspected_overdue += 1;
            } else {
                self.open += 1;
            }
        }
        if inspection.entry_state == EntryState::Late {
            self.entered_late += 1;
        }
        match inspection.publication_state {
            PublicationState::Due => self.publication_due += 1,
            PublicationState::Overdue => self.publication_overdue += 1,
            PublicationState::PublishedLate => self.published_late += 1,
            PublicationState::Withheld => self.withheld += 1,
            PublicationState::NotDue | PublicationState::PublishedOnTime => {}
        }
    }

    /// Whether anything needs attention.
    pub fn attention(&self) -> bool {
        self.not_inspected_overdue + self.entered_late + self.publication_overdue > 0
    }
}

/// The dashboard: counts for all, per section code and per inspector (`(id, name)`), each in
/// a stable order. A joint inspection counts once for each of its sections; every member of
/// a team counts it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deadlines {
    pub overall: DeadlineCounts,
    pub by_section: BTreeMap<String, DeadlineCounts>,
    pub by_inspector: BTreeMap<(String, i64), DeadlineCounts>,
}

/// Counts `inspections` as of `today` (`YYYY-MM-DD`, China).
pub fn deadlines(inspections: &[InspectionSummary], today: &str) -> Deadlines {
    let mut out = Deadlines::default();
    for inspection in inspections {
        out.overall.add(inspection, today);
        for section in &inspection.sections {
            out.by_section
                .entry(section.clone())
                .or_default()
                .add(inspection, today);
        }
        for member in &inspection.team {
            out.by_inspector
                .entry((member.name.clone(), member.inspector_id))
                .or_default()
                .add(inspection, today);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use shared::checklist::ChecklistItemId;
    use shared::draw::Category;
    use shared::records::{InspectionKind, InspectionObjectInfo, ItemRef, TeamMember};

    use super::*;

    fn inspection(id: i64) -> InspectionSummary {
        InspectionSummary {
            id,
            kind: InspectionKind::Random,
            draw_id: Some(1),
            task_id: Some(1),
            task_name: "2026年第四季度环评抽查".to_owned(),
            trigger: None,
            trigger_detail: String::new(),
            year: 2026,
            quarter: 4,
            joint: false,
            sections: vec!["eia_permit".to_owned()],
            object: InspectionObjectInfo {
                id: 10 + id,
                name: format!("丰都县第{id}水泥厂"),
                credit_code: "91500230MA5U000001".to_owned(),
                category: Category::Key,
                region: "三合街道".to_owned(),
                address: "三合街道工业园1号".to_owned(),
            },
            items: vec![
                ItemRef {
                    id: ChecklistItemId(3),
                    code: "HP-01".to_owned(),
                    content: "环评审批".to_owned(),
                },
                ItemRef {
                    id: ChecklistItemId(9),
                    code: "PW-02".to_owned(),
                    content: "排污许可".to_owned(),
                },
            ],
            team: vec![
                TeamMember {
                    inspector_id: 5,
                    name: "王伟".to_owned(),
                    lead: true,
                },
                TeamMember {
                    inspector_id: 8,
                    name: "李娜".to_owned(),
                    lead: false,
                },
            ],
            inspect_by: "2026-12-31".to_owned(),
            inspected_on: None,
            result: None,
            confidential: false,
            entry_deadline: None,
            entry_deadline_provisional: false,
            entry_state: EntryState::NotRecorded,
            recorded_at: None,
            task_completed_on: None,
            publication_deadline: None,
            publication_deadline_provisional: false,
            publication_state: PublicationState::NotDue,
            published_at: None,
        }
    }

    fn filled() -> RecordDraft {
        let mut draft = RecordDraft::new(&inspection(1), None, "2026-11-28");
        draft.findings[0].compliant = Some(true);
        draft.findings[1].compliant = Some(false);
        draft.findings[1].note = " 未按证排放 ".to_owned();
        draft.result = Some(InspectionResult::OrderedToCorrect);
        draft.order_number = "县环责改〔2026〕第117号".to_owned();
        draft.attachments = vec![AttachmentDraft {
            file_name: "IMG_2041.jpg".to_owned(),
            shows: "雨水排口".to_owned(),
        }];
        draft
    }

    #[test]
    fn a_new_form_has_the_whole_team_and_no_answers() {
        let draft = RecordDraft::new(&inspection(1), None, "2026-11-28");
        assert_eq!(draft.team_present, [5, 8]);
        assert_eq!(draft.findings.len(), 2);
        assert!(draft.findings.iter().all(|f| f.compliant.is_none()));
        let fields: Vec<String> = draft
            .to_request()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["findings[0].compliant", "findings[1].compliant", "result"]
        );
    }

    #[test]
    fn a_filled_form_becomes_the_request_and_round_trips_through_a_stored_record() {
        let mut draft = filled();
        draft.other_inspectors = "12，5 ".to_owned();
        let request = draft.to_request().unwrap();
        assert_eq!(request.team_present, [5, 8, 12]);
        assert_eq!(request.findings[1].note, "未按证排放");
        assert_eq!(request.attachments, ["IMG_2041.jpg 雨水排口"]);
        let stored = StoredRecord {
            record: request.clone(),
            recorded_by: "inspector".to_owned(),
            recorded_at: "2026-11-28T02:00:00Z".to_owned(),
            updated_at: "2026-11-28T02:00:00Z".to_owned(),
            version: 3,
        };
        let again = RecordDraft::new(&inspection(1), Some(&stored), "2026-12-01");
        assert_eq!(again.other_inspectors, "12");
        assert_eq!(again.version, Some(3));
        let mut expected = request;
        expected.version = Some(3);
        assert_eq!(again.to_request().unwrap(), expected);
    }

    #[test]
    fn no_problem_sends_no_order_number_and_an_open_record_no_ground() {
        let mut draft = filled();
        draft.result = Some(InspectionResult::NoProblem);
        draft.confidential_ground = "国家秘密".to_owned();
        let request = draft.to_request().unwrap();
        assert_eq!(request.order_number, "");
        assert_eq!(request.confidential_ground, "");
        assert!(draft.problem_found(), "item 2 is not compliant");
    }

    #[test]
    fn a_bad_inspector_id_is_named() {
        let mut draft = filled();
        draft.other_inspectors = "张三".to_owned();
        let errors = draft.to_request().unwrap_err();
        assert_eq!(errors[0].field, "other_inspectors");
    }

    #[test]
    fn presence_keeps_the_team_order() {
        let mut draft = RecordDraft::new(&inspection(1), None, "2026-11-28");
        draft.set_present(&[5, 8], 5, false);
        assert_eq!(draft.team_present, [8]);
        draft.set_present(&[5, 8], 5, true);
        assert_eq!(draft.team_present, [5, 8]);
    }

    #[test]
    fn field_errors_are_found_under_their_field() {
        let error = |field: &str| FieldError {
            field: field.to_owned(),
            message: field.to_owned(),
        };
        let errors = [
            error("findings[2].note"),
            error("findings[12].note"),
            error("team_present[1]"),
            error("team_present"),
            error("findings"),
        ];
        assert_eq!(messages_for(&errors, "findings[2]"), ["findings[2].note"]);
        assert_eq!(
            messages_for(&errors, "findings[2].note"),
            ["findings[2].note"]
        );
        assert_eq!(
            messages_for(&errors, "team_present"),
            ["team_present[1]", "team_present"]
        );
        assert_eq!(messages_for(&errors, "remarks"), Vec::<String>::new());
    }

    #[test]
    fn the_outbox_keeps_one_record_per_inspection() {
        let request = filled().to_request().unwrap();
        let mut outbox = Vec::new();
        enqueue(
            &mut outbox,
            QueuedRecord {
                inspection_id: 1,
                request: request.clone(),
                key: "first-key".to_owned(),
            },
        );
        let mut newer = request;
        newer.remarks = "补充".to_owned();
        enqueue(
            &mut outbox,
            QueuedRecord {
                inspection_id: 1,
                request: newer.clone(),
                key: "second-key".to_owned(),
            },
        );
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].request, newer);
        assert_eq!(outbox[0].key, "second-key");
    }

    #[test]
    fn drafts_and_outboxes_are_kept_per_account() {
        assert_ne!(draft_key(3, 7), draft_key(4, 7));
        assert_ne!(outbox_key(3), outbox_key(4));
    }

    #[test]
    fn attachments_split_at_the_first_space_or_colon() {
        assert_eq!(
            split_attachment("IMG_1.jpg 排污口 近景"),
            AttachmentDraft {
                file_name: "IMG_1.jpg".to_owned(),
                shows: "排污口 近景".to_owned()
            }
        );
        assert_eq!(split_attachment("台账.pdf：危废台账").shows, "危废台账");
        assert_eq!(split_attachment("a.jpg").shows, "");
    }

    #[test]
    fn the_assignment_sheet_has_one_row_per_inspection_with_the_lead() {
        let table = assignment_table(&[inspection(1), inspection(2)]);
        assert_eq!(table.len(), 3);
        assert_eq!(table[0][1], "检查对象");
        assert_eq!(
            table[1],
            [
                "2026年第四季度环评抽查",
                "丰都县第1水泥厂",
                "91500230MA5U000001",
                "三合街道工业园1号",
                "HP-01 环评审批；PW-02 排污许可",
                "王伟、李娜",
                "王伟",
                "2026-12-31"
            ]
        );
        assert_eq!(team_line(&inspection(1)), "王伟（组长）、李娜");
    }

    #[test]
    fn the_dashboard_counts_what_is_due_and_overdue() {
        let mut late_entry = inspection(2);
        late_entry.entry_state = EntryState::Late;
        late_entry.publication_state = PublicationState::Overdue;
        let mut withheld = inspection(3);
        withheld.entry_state = EntryState::OnTime;
        withheld.publication_state = PublicationState::Withheld;
        withheld.sections = vec!["eia_permit".to_owned(), "water".to_owned()];
        withheld.team.truncate(1);
        let mut past = inspection(4);
        past.inspect_by = "2026-09-30".to_owned();
        let list = [inspection(1), late_entry, withheld, past];
        let counts = deadlines(&list, "2026-11-28");
        assert_eq!(
            counts.overall,
            DeadlineCounts {
                total: 4,
                open: 1,
                not_inspected_overdue: 1,
                entered_late: 1,
                publication_due: 0,
                publication_overdue: 1,
                published_late: 0,
                withheld: 1,
            }
        );
        assert_eq!(counts.by_section["eia_permit"].total, 4);
        assert_eq!(counts.by_section["water"].withheld, 1);
        assert_eq!(counts.by_inspector[&("李娜".to_owned(), 8)].total, 3);
        assert_eq!(counts.by_inspector[&("王伟".to_owned(), 5)].total, 4);
        assert!(counts.overall.attention());
        assert_eq!(
            list.iter()
                .filter(|i| StateFilter::from_code("late").matches(i))
                .count(),
            1
        );
    }
}
