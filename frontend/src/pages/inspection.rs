//! One inspection: the on-site record form (《环境保护现场检查记录单》), phone first and
//! offline-tolerant (a draft on the device at every change; a record submitted offline waits
//! in the outbox), then publication in the standard phrase; read-only and printable once
//! published or for roles that may not record.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::authz::Action;
use shared::labels;
use shared::records::{FieldError, InspectionDetail, InspectionResult, InspectionSummary};

use crate::api;
use crate::app::{RequireAction, use_id_param, use_lang};
use crate::i18n::{Tr, common, tr};
use crate::outbox::{self, SendOutcome, use_outbox};
use crate::pages::inspections::{china_today, entry_label, publication_label};
use crate::records_form::{AttachmentDraft, RecordDraft, messages_for, team_line};

const SHEET_TITLE: Tr = tr(
    "环境保护现场检查记录单",
    "On-site environmental inspection record",
);
const BACK: Tr = tr("返回检查列表", "Back to the inspections");
const TASK: Tr = tr("抽查任务", "Task");
const OBJECT: Tr = tr("检查对象", "Object");
const CREDIT_CODE: Tr = tr("统一社会信用代码", "Credit code");
const ADDRESS: Tr = tr("地址", "Address");
const SECTIONS: Tr = tr("科室", "Sections");
const TEAM: Tr = tr("检查组", "Team");
const INSPECT_BY: Tr = tr("完成期限", "Inspect by");
const ENTRY: Tr = tr("录入", "Record");
const PUBLICATION: Tr = tr("公开", "Publication");
const DATE: Tr = tr("检查日期", "Date of inspection");
const PRESENT: Tr = tr(
    "到场检查人员（不少于两人）",
    "Inspectors present (at least two)",
);
const OTHERS: Tr = tr(
    "其他到场检查人员编号（可选，逗号分隔）",
    "Other inspectors present, by id (optional, comma separated)",
);
const FINDINGS: Tr = tr("检查事项与检查情况", "Items and findings");
const COMPLIANT: Tr = tr("符合", "Compliant");
const NOT_COMPLIANT: Tr = tr("不符合", "Not compliant");
const NOTE: Tr = tr("检查情况", "What was found");
const RESULT: Tr = tr("检查结果", "Result");
const ORDER_NUMBER: Tr = tr(
    "责令改正决定书文号或立案编号",
    "Order-to-correct or case number",
);
const CONFIDENTIAL: Tr = tr(
    "涉及国家秘密、国家安全或公共安全，依法不予公开",
    "Touches state secrets, national or public security: withhold from publication",
);
const GROUND: Tr = tr("不予公开的法定依据", "Legal ground for withholding");
const ATTACHMENTS: Tr = tr("附件（照片、笔录等）", "Attachments (photos, statements…)");
const FILE_NAME: Tr = tr("文件名", "File name");
const SHOWS: Tr = tr("内容说明", "What it shows");
const ADD_ATTACHMENT: Tr = tr("添加附件", "Add attachment");
const REMOVE: Tr = tr("删除", "Remove");
const REMARKS: Tr = tr("备注", "Remarks");
const SUBMIT: Tr = tr("提交检查记录", "Submit the record");
const PRINT: Tr = tr("打印记录单", "Print the record");
const DRAFT_RESTORED: Tr = tr(
    "已恢复本机保存的草稿。",
    "A draft saved on this device was restored.",
);
const DRAFT_NOTE: Tr = tr(
    "填写内容随时保存在本机，断网或刷新不会丢失。",
    "Everything you type is kept on this device; going offline or reloading loses nothing.",
);
const QUEUED: Tr = tr(
    "已保存在本机，联网后自动提交",
    "Saved on this device; it is submitted automatically once online",
);
const SUBMITTED: Tr = tr("已提交", "Submitted");
const REFUSED: Tr = tr(
    "提交未成功，请按提示修改：",
    "Not accepted; please correct:",
);
const PUBLISH: Tr = tr("公开", "Publish");
const WILL_PUBLISH: Tr = tr(
    "将公开的规范用语：",
    "The standard phrase that will be published: ",
);
const PUBLISHED: Tr = tr("已公开：", "Published: ");
const WITHHELD: Tr = tr("依法不予公开：", "Withheld by law: ");
const NOT_RECORDED: Tr = tr("尚未录入检查记录。", "No record has been entered yet.");
const RECORDED_BY: Tr = tr("录入人", "Recorded by");
const YES: Tr = tr("是", "yes");
const NO: Tr = tr("否", "no");

#[component]
pub fn InspectionPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadInspections>
            <Inspection />
        </RequireAction>
    }
}

#[component]
fn Inspection() -> impl IntoView {
    let lang = use_lang();
    let outbox = use_outbox();
    let id = use_id_param()();
    let detail = RwSignal::new(None::<InspectionDetail>);
    let error = RwSignal::new(None::<String>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let load = move || {
        spawn_local(async move {
            match api::fetch_inspection(id).await {
                Ok(answer) => {
                    error.set(None);
                    detail.set(Some(answer));
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    load();
    // A record sent from the outbox: show the saved record, or the worker's reasons.
    Effect::new(move |previous: Option<Option<SendOutcome>>| {
        let outcome = outbox.outcomes.with(|o| o.get(&id).cloned());
        if previous.is_some() && previous.as_ref() != Some(&outcome) {
            match &outcome {
                Some(SendOutcome::Submitted) => {
                    field_errors.set(Vec::new());
                    load();
                }
                Some(SendOutcome::Refused(err)) => field_errors.set(err.fields.clone()),
                _ => {}
            }
        }
        outcome
    });
    let status = move || {
        outbox
            .outcomes
            .with(|o| o.get(&id).cloned())
            .map(|outcome| match outcome {
                SendOutcome::Queued => view! {
                    <p class="notice record-status" role="status" data-testid="record-status" data-state="queued">{lang.t(QUEUED)}</p>
                }
                .into_any(),
                SendOutcome::Submitted => view! {
                    <p class="success record-status" role="status" data-testid="record-status" data-state="submitted">{lang.t(SUBMITTED)}</p>
                }
                .into_any(),
                SendOutcome::Refused(err) => view! {
                    <div class="error record-status" role="alert" data-testid="record-status" data-state="refused">
                        <p>{lang.t(REFUSED)} " " {err.message.clone()}</p>
                        <ul>{err.fields.iter().map(|f| view! { <li>{f.message.clone()}</li> }).collect_view()}</ul>
                    </div>
                }
                .into_any(),
            })
    };

    view! {
        <section class="record-page">
            <p class="no-print"><A href="/inspections">{lang.t(BACK)}</A></p>
            <h1>{lang.t(SHEET_TITLE)}</h1>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{lang.t(common::LOAD_FAILED)} ": " {text}</p> })}
            {status}
            {move || detail.get().map(|detail| view! { <InspectionBody detail=detail field_errors=field_errors reload=Callback::new(move |()| load()) /> })}
        </section>
    }
}

#[component]
fn InspectionBody(
    detail: InspectionDetail,
    field_errors: RwSignal<Vec<FieldError>>,
    reload: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let inspection = detail.inspection.clone();
    let published = inspection.published_at.is_some();
    let editable = detail.can_record && !published;
    let facts = facts_view(&inspection);
    let body = if editable {
        view! { <RecordForm detail=detail.clone() field_errors=field_errors reload=reload /> }
            .into_any()
    } else {
        match &detail.record {
            Some(stored) => {
                let draft = RecordDraft::new(&inspection, Some(stored), "");
                let by = stored.recorded_by.clone();
                let at = stored.recorded_at.clone();
                view! {
                    {sheet_view(&inspection, &draft)}
                    <p class="hint">{lang.t(RECORDED_BY)} ": " {by} " · " {at}</p>
                }
                .into_any()
            }
            None => view! { <p class="notice">{lang.t(NOT_RECORDED)}</p> }.into_any(),
        }
    };
    let publication = publication_view(&detail, reload);
    view! {
        {facts}
        {body}
        {publication}
        <p class="toolbar no-print">
            <button type="button" class="secondary" data-testid="print-record" on:click=move |_| { let _ = window().print(); }>{lang.t(PRINT)}</button>
        </p>
    }
}

fn facts_view(inspection: &InspectionSummary) -> impl IntoView + use<> {
    let lang = use_lang();
    let row = inspection.clone();
    let row2 = inspection.clone();
    let sections = inspection.sections.clone();
    view! {
        <dl class="facts record-facts" data-testid="inspection-facts">
            <dt>{lang.t(TASK)}</dt><dd>{inspection.task_name.clone()}</dd>
            <dt>{lang.t(OBJECT)}</dt><dd data-testid="object-name">{inspection.object.name.clone()}</dd>
            <dt>{lang.t(CREDIT_CODE)}</dt><dd class="code">{inspection.object.credit_code.clone()}</dd>
            <dt>{lang.t(ADDRESS)}</dt><dd>{inspection.object.address.clone()}</dd>
            <dt>{lang.t(SECTIONS)}</dt><dd>{move || sections.iter().map(|s| labels::section(lang.get(), s)).collect::<Vec<_>>().join("、")}</dd>
            <dt>{lang.t(TEAM)}</dt><dd>{team_line(inspection)}</dd>
            <dt>{lang.t(INSPECT_BY)}</dt><dd>{inspection.inspect_by.clone()}</dd>
            <dt>{lang.t(ENTRY)}</dt><dd>{move || entry_label(lang.get(), &row)}</dd>
            <dt>{lang.t(PUBLICATION)}</dt><dd data-testid="publication-state">{move || publication_label(lang.get(), &row2)}</dd>
        </dl>
    }
}

/// The record as a printed form: one line per field, one row per item.
fn sheet_view(inspection: &InspectionSummary, draft: &RecordDraft) -> impl IntoView + use<> {
    let lang = use_lang();
    let names = |ids: &[i64]| {
        ids.iter()
            .map(|id| {
                inspection
                    .team
                    .iter()
                    .find(|m| m.inspector_id == *id)
                    .map_or_else(|| format!("#{id}"), |m| m.name.clone())
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut present = names(&draft.team_present);
    if !draft.other_inspectors.trim().is_empty() {
        present = format!("{present}、{}", draft.other_inspectors.trim());
    }
    let rows: Vec<(String, String, String)> = inspection
        .items
        .iter()
        .zip(&draft.findings)
        .map(|(item, finding)| {
            let verdict = match finding.compliant {
                Some(true) => "✓",
                Some(false) => "✗",
                None => "",
            };
            (
                format!("{} {}", item.code, item.content),
                verdict.to_owned(),
                finding.note.clone(),
            )
        })
        .collect();
    let result = draft.result;
    let draft = draft.clone();
    view! {
        <table class="data-table record-sheet" data-testid="record-sheet">
            <tbody>
                <tr><th>{lang.t(DATE)}</th><td colspan="2">{draft.inspected_on.clone()}</td></tr>
                <tr><th>{lang.t(PRESENT)}</th><td colspan="2">{present}</td></tr>
                <tr><th>{lang.t(FINDINGS)}</th><th>{lang.t(COMPLIANT)}</th><th>{lang.t(NOTE)}</th></tr>
                {rows.into_iter().map(|(item, verdict, note)| view! {
                    <tr><td>{item}</td><td>{verdict}</td><td>{note}</td></tr>
                }).collect_view()}
                <tr><th>{lang.t(RESULT)}</th><td colspan="2" data-testid="sheet-result">{move || result.map(|r| labels::result(lang.get(), r)).unwrap_or("")}</td></tr>
                <tr><th>{lang.t(ORDER_NUMBER)}</th><td colspan="2">{draft.order_number.clone()}</td></tr>
                <tr><th>{lang.t(CONFIDENTIAL)}</th><td colspan="2">{move || if draft.confidential { lang.t(YES)() } else { lang.t(NO)() }} " " {draft.confidential_ground.clone()}</td></tr>
                <tr><th>{lang.t(ATTACHMENTS)}</th><td colspan="2">{draft.attachments.iter().map(|a| view! { <div>{a.file_name.clone()} " " {a.shows.clone()}</div> }).collect_view()}</td></tr>
                <tr><th>{lang.t(REMARKS)}</th><td colspan="2">{draft.remarks.clone()}</td></tr>
            </tbody>
        </table>
    }
}

fn publication_view(detail: &InspectionDetail, reload: Callback<()>) -> impl IntoView + use<> {
    let lang = use_lang();
    let id = detail.inspection.id;
    let error = RwSignal::new(None::<String>);
    let Some(stored) = &detail.record else {
        return ().into_any();
    };
    let result = stored.record.result;
    if let Some(at) = detail.inspection.published_at.clone() {
        return view! {
            <p class="success" data-testid="published">
                {lang.t(PUBLISHED)} <strong data-testid="published-phrase">{move || labels::result(lang.get(), result)}</strong> " · " {at}
            </p>
        }
        .into_any();
    }
    if stored.record.confidential {
        let ground = stored.record.confidential_ground.clone();
        return view! { <p class="notice" data-testid="withheld">{lang.t(WITHHELD)} {ground}</p> }
            .into_any();
    }
    if !detail.can_record {
        return ().into_any();
    }
    let publish = move |_| {
        spawn_local(async move {
            match api::publish_inspection(id).await {
                Ok(_) => reload.run(()),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    view! {
        <div class="publish-box no-print" data-testid="publish-box">
            <p>{lang.t(WILL_PUBLISH)} <strong data-testid="publish-phrase">{move || labels::result(lang.get(), result)}</strong></p>
            <button type="button" class="big" data-testid="publish" on:click=publish>{lang.t(PUBLISH)}</button>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </div>
    }
    .into_any()
}

/// Messages under `field`, shown beside it.
fn field_error_view(errors: RwSignal<Vec<FieldError>>, field: String) -> impl IntoView {
    move || {
        errors.with(|all| {
            messages_for(all, &field)
                .into_iter()
                .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
                .collect_view()
        })
    }
}

#[component]
fn RecordForm(
    detail: InspectionDetail,
    field_errors: RwSignal<Vec<FieldError>>,
    reload: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let outbox = use_outbox();
    let inspection = detail.inspection.clone();
    let id = inspection.id;
    let fresh = RecordDraft::new(&inspection, detail.record.as_ref(), &china_today());
    // A draft on this device wins, unless the stored record moved on since it was made.
    let restored = outbox::load_draft(id).filter(|draft| {
        draft.version == fresh.version && draft.findings.len() == fresh.findings.len()
    });
    let was_restored = restored.is_some();
    let draft = RwSignal::new(restored.unwrap_or(fresh));
    Effect::new(move |first: Option<()>| {
        let current = draft.get();
        if first.is_some() {
            outbox::save_draft(id, &current);
        }
    });
    let team_order: Vec<i64> = inspection.team.iter().map(|m| m.inspector_id).collect();
    let attachment_count = Memo::new(move |_| draft.with(|d| d.attachments.len()));
    let problem_found = Memo::new(move |_| draft.with(RecordDraft::problem_found));
    let confidential = Memo::new(move |_| draft.with(|d| d.confidential));
    let sending = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = match draft.with_untracked(RecordDraft::to_request) {
            Ok(request) => request,
            Err(errors) => {
                field_errors.set(errors);
                return;
            }
        };
        field_errors.set(Vec::new());
        if !outbox::is_online() {
            outbox.queue(id, request);
            return;
        }
        sending.set(true);
        spawn_local(async move {
            match api::save_record(id, &request).await {
                Ok(_) => {
                    outbox::clear_draft(id);
                    outbox.settle(id, SendOutcome::Submitted);
                    reload.run(());
                }
                Err(err) if err.is_network() => outbox.queue(id, request),
                Err(err) => {
                    field_errors.set(err.fields.clone());
                    outbox.settle(id, SendOutcome::Refused(err));
                }
            }
            sending.set(false);
        });
    };

    let findings = inspection
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let label = format!("{} {}", item.code, item.content);
            let name = format!("compliant-{index}");
            let set = move |value: bool| draft.update(|d| d.findings[index].compliant = Some(value));
            view! {
                <fieldset class="finding" data-testid="finding">
                    <legend>{index + 1} ". " {label}</legend>
                    <div class="choices">
                        <label class="choice"><input type="radio" name=name.clone() value="yes"
                            prop:checked=move || draft.with(|d| d.findings[index].compliant == Some(true))
                            on:change=move |_| set(true) />{lang.t(COMPLIANT)}</label>
                        <label class="choice"><input type="radio" name=name value="no"
                            prop:checked=move || draft.with(|d| d.findings[index].compliant == Some(false))
                            on:change=move |_| set(false) />{lang.t(NOT_COMPLIANT)}</label>
                    </div>
                    <label><span>{lang.t(NOTE)}</span>
                        <textarea name=format!("note-{index}") rows="2"
                            prop:value=move || draft.with(|d| d.findings[index].note.clone())
                            on:input=move |ev| draft.update(|d| d.findings[index].note = event_target_value(&ev))></textarea>
                    </label>
                    {field_error_view(field_errors, format!("findings[{index}]"))}
                </fieldset>
            }
        })
        .collect_view();
    let team = inspection
        .team
        .iter()
        .map(|member| {
            let member_id = member.inspector_id;
            let order = team_order.clone();
            let lead = member.lead;
            view! {
                <label class="choice">
                    <input type="checkbox" name="present" value=member_id
                        prop:checked=move || draft.with(|d| d.team_present.contains(&member_id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            draft.update(|d| d.set_present(&order, member_id, on));
                        } />
                    {member.name.clone()} {lead.then(|| view! { <span class="badge">"组长"</span> })}
                </label>
            }
        })
        .collect_view();
    let attachments = move || {
        (0..attachment_count.get())
            .map(|index| {
                let get = move |f: fn(&AttachmentDraft) -> String| {
                    move || draft.with(|d| d.attachments.get(index).map(f).unwrap_or_default())
                };
                view! {
                    <div class="attachment" data-testid="attachment">
                        <label><span>{lang.t(FILE_NAME)}</span>
                            <input name=format!("attachment-file-{index}") prop:value=get(|a| a.file_name.clone())
                                on:input=move |ev| draft.update(|d| d.attachments[index].file_name = event_target_value(&ev)) /></label>
                        <label><span>{lang.t(SHOWS)}</span>
                            <input name=format!("attachment-shows-{index}") prop:value=get(|a| a.shows.clone())
                                on:input=move |ev| draft.update(|d| d.attachments[index].shows = event_target_value(&ev)) /></label>
                        <button type="button" class="secondary" on:click=move |_| draft.update(|d| { d.attachments.remove(index); })>{lang.t(REMOVE)}</button>
                        {field_error_view(field_errors, format!("attachments[{index}]"))}
                    </div>
                }
            })
            .collect_view()
    };
    let sheet_inspection = inspection.clone();

    view! {
        {was_restored.then(|| view! { <p class="notice no-print" data-testid="draft-restored">{lang.t(DRAFT_RESTORED)}</p> })}
        <p class="hint no-print">{lang.t(DRAFT_NOTE)}</p>
        <form class="form record-form no-print" data-testid="record-form" on:submit=submit novalidate>
            <label><span>{lang.t(DATE)}</span>
                <input type="date" name="inspected_on" prop:value=move || draft.with(|d| d.inspected_on.clone())
                    on:input=move |ev| draft.update(|d| d.inspected_on = event_target_value(&ev)) /></label>
            {field_error_view(field_errors, "inspected_on".to_owned())}
            <fieldset>
                <legend>{lang.t(PRESENT)}</legend>
                {team}
                <label class="wide"><span>{lang.t(OTHERS)}</span>
                    <input name="other_inspectors" inputmode="numeric" prop:value=move || draft.with(|d| d.other_inspectors.clone())
                        on:input=move |ev| draft.update(|d| d.other_inspectors = event_target_value(&ev)) /></label>
                {field_error_view(field_errors, "team_present".to_owned())}
                {field_error_view(field_errors, "other_inspectors".to_owned())}
            </fieldset>
            <h2>{lang.t(FINDINGS)}</h2>
            {field_error_view(field_errors, "findings".to_owned())}
            {findings}
            <fieldset>
                <legend>{lang.t(RESULT)}</legend>
                {InspectionResult::ALL.into_iter().map(|result| view! {
                    <label class="choice wide"><input type="radio" name="result" value=result.as_str()
                        prop:checked=move || draft.with(|d| d.result == Some(result))
                        on:change=move |_| draft.update(|d| d.result = Some(result)) />
                        {move || labels::result(lang.get(), result)}</label>
                }).collect_view()}
                {field_error_view(field_errors, "result".to_owned())}
            </fieldset>
            {move || problem_found.get().then(|| view! {
                <label><span>{lang.t(ORDER_NUMBER)}</span>
                    <input name="order_number" prop:value=move || draft.with(|d| d.order_number.clone())
                        on:input=move |ev| draft.update(|d| d.order_number = event_target_value(&ev)) /></label>
            })}
            {field_error_view(field_errors, "order_number".to_owned())}
            <label class="choice">
                <input type="checkbox" name="confidential" prop:checked=move || confidential.get()
                    on:change=move |ev| draft.update(|d| d.confidential = event_target_checked(&ev)) />
                {lang.t(CONFIDENTIAL)}
            </label>
            {move || confidential.get().then(|| view! {
                <label><span>{lang.t(GROUND)}</span>
                    <textarea name="confidential_ground" rows="2" prop:value=move || draft.with(|d| d.confidential_ground.clone())
                        on:input=move |ev| draft.update(|d| d.confidential_ground = event_target_value(&ev))></textarea></label>
            })}
            {field_error_view(field_errors, "confidential_ground".to_owned())}
            <fieldset>
                <legend>{lang.t(ATTACHMENTS)}</legend>
                {attachments}
                <button type="button" class="secondary" data-testid="add-attachment"
                    on:click=move |_| draft.update(|d| d.attachments.push(AttachmentDraft::default()))>{lang.t(ADD_ATTACHMENT)}</button>
                {field_error_view(field_errors, "attachments".to_owned())}
            </fieldset>
            <label><span>{lang.t(REMARKS)}</span>
                <textarea name="remarks" rows="3" prop:value=move || draft.with(|d| d.remarks.clone())
                    on:input=move |ev| draft.update(|d| d.remarks = event_target_value(&ev))></textarea></label>
            {field_error_view(field_errors, "remarks".to_owned())}
            <button type="submit" class="big" data-testid="record-submit" disabled=move || sending.get()>{lang.t(SUBMIT)}</button>
        </form>
        <div class="print-only">{move || draft.with(|d| sheet_view(&sheet_inspection, d))}</div>
    }
}
