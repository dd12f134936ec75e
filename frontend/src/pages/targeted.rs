//! 登记非随机检查: a targeted inspection (complaint, referral, emergency, other lead) is not
//! drawn, but it is an inspection too and counts in the statistics.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::authz::{Action, Role};
use shared::checklist::{ChecklistItem, ChecklistItemId};
use shared::directory::api::InspectorItem;
use shared::records::{FieldError, TargetedRequest, Trigger};
use shared::sections::{SECTIONS, section_by_code, section_by_name};

use crate::api;
use crate::app::{RequireAction, use_auth, use_lang};
use crate::i18n::{Lang, Tr, tr};
use crate::pages::inspections::china_today;
use crate::records_form::messages_for;

const TITLE: Tr = tr("登记非随机检查", "Register a targeted inspection");
const INTRO: Tr = tr(
    "投诉举报、上级交办或部门转办、突发环境事件等线索引发的检查不经随机抽取，但同样记录、公开并计入统计。",
    "Inspections prompted by complaints, referrals, emergencies or other leads are not drawn, but they are recorded, published and counted all the same.",
);
const CREDIT_CODE: Tr = tr("检查对象统一社会信用代码", "Object's credit code");
const TRIGGER: Tr = tr("检查原因", "Trigger");
const DETAIL: Tr = tr("线索来源与情况", "Source and details of the lead");
const SECTION: Tr = tr("科室", "Section");
const ITEMS: Tr = tr("检查事项", "Checklist items");
const TEAM: Tr = tr(
    "检查组（第一位为组长，不少于两人）",
    "Team (the first is the lead; at least two)",
);
const MEMBER: Tr = tr("检查人员", "Inspector");
const ADD_MEMBER: Tr = tr("添加检查人员", "Add an inspector");
const DATE: Tr = tr("计划检查日期", "Planned date");
const CREATE: Tr = tr("登记", "Register");
const CHOOSE: Tr = tr("请选择", "Choose");

#[component]
pub fn TargetedPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::RecordResults>
            <TargetedForm />
        </RequireAction>
    }
}

fn errors_view(errors: RwSignal<Vec<FieldError>>, field: &'static str) -> impl IntoView {
    move || {
        errors.with(|all| {
            messages_for(all, field)
                .into_iter()
                .map(|message| view! { <p class="field-error" role="alert">{message}</p> })
                .collect_view()
        })
    }
}

#[component]
fn TargetedForm() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let navigate = use_navigate();
    let own_section = move || {
        (auth.role() == Some(Role::Section))
            .then(|| {
                auth.user.with(|u| {
                    u.as_ref()
                        .and_then(|u| u.section.as_deref())
                        .and_then(section_by_name)
                        .map(|s| s.code.to_owned())
                })
            })
            .flatten()
    };
    let checklist = RwSignal::new(Vec::<ChecklistItem>::new());
    let inspectors = RwSignal::new(Vec::<InspectorItem>::new());
    spawn_local(async move {
        if let Ok(list) = api::fetch_checklist().await {
            checklist.set(list.items);
        }
        if let Ok(page) = api::fetch_inspectors("?active=true&limit=500").await {
            inspectors.set(page.inspectors);
        }
    });
    let credit_code = RwSignal::new(String::new());
    let trigger = RwSignal::new(Trigger::Complaint);
    let detail = RwSignal::new(String::new());
    let section = RwSignal::new(own_section().unwrap_or_default());
    let items = RwSignal::new(Vec::<i64>::new());
    let team = RwSignal::new(vec![0_i64, 0]);
    let planned_on = RwSignal::new(china_today());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let message = RwSignal::new(None::<String>);
    let member_count = Memo::new(move |_| team.with(Vec::len));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = TargetedRequest {
            credit_code: credit_code.get_untracked().trim().to_owned(),
            trigger: trigger.get_untracked(),
            trigger_detail: detail.get_untracked(),
            section: section.get_untracked(),
            items: items
                .get_untracked()
                .into_iter()
                .map(ChecklistItemId)
                .collect(),
            team: team
                .get_untracked()
                .into_iter()
                .filter(|id| *id > 0)
                .collect(),
            planned_on: planned_on.get_untracked(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_targeted(&request).await {
                Ok(created) => navigate(
                    &format!("/inspections/{}", created.inspection.id),
                    Default::default(),
                ),
                Err(err) => {
                    message.set(Some(err.message));
                    errors.set(err.fields);
                }
            }
        });
    };
    let section_items = move || {
        let code = section.get();
        let name = section_by_code(&code).map(|s| s.name_zh).unwrap_or("");
        checklist.with(|all| {
            all.iter()
                .filter(|item| code.is_empty() || item.section == name || item.section == code)
                .cloned()
                .collect::<Vec<_>>()
        })
    };

    view! {
        <section class="targeted-page">
            <h1>{lang.t(TITLE)}</h1>
            <p class="hint">{lang.t(INTRO)}</p>
            <form class="form record-form" data-testid="targeted-form" on:submit=submit novalidate>
                <label><span>{lang.t(CREDIT_CODE)}</span><input name="credit_code" autocapitalize="characters" bind:value=credit_code /></label>
                {errors_view(errors, "credit_code")}
                <label><span>{lang.t(TRIGGER)}</span>
                    <select name="trigger" on:change=move |ev| {
                        let code = event_target_value(&ev);
                        if let Some(t) = Trigger::ALL.into_iter().find(|t| t.as_str() == code) { trigger.set(t); }
                    }>
                        {Trigger::ALL.into_iter().map(|t| view! {
                            <option value=t.as_str()>{move || if lang.get() == Lang::Zh { t.label_zh() } else { t.label_en() }}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label><span>{lang.t(DETAIL)}</span><textarea name="trigger_detail" rows="3" bind:value=detail></textarea></label>
                {errors_view(errors, "trigger_detail")}
                {move || own_section().is_none().then(|| view! {
                    <label><span>{lang.t(SECTION)}</span>
                        <select name="section" on:change=move |ev| { section.set(event_target_value(&ev)); items.set(Vec::new()); }>
                            <option value="">{lang.t(CHOOSE)}</option>
                            {SECTIONS.into_iter().map(|s| view! {
                                <option value=s.code>{move || if lang.get() == Lang::Zh { s.name_zh } else { s.name_en }}</option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                {errors_view(errors, "section")}
                <fieldset>
                    <legend>{lang.t(ITEMS)}</legend>
                    {move || section_items().into_iter().map(|item| {
                        let item_id = item.id.0;
                        view! {
                            <label class="choice wide">
                                <input type="checkbox" name="item" value=item_id
                                    prop:checked=move || items.with(|i| i.contains(&item_id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        items.update(|i| { i.retain(|x| *x != item_id); if on { i.push(item_id); } });
                                    } />
                                {item.code.clone()} " " {item.content.clone()}
                            </label>
                        }
                    }).collect_view()}
                    {errors_view(errors, "items")}
                </fieldset>
                <fieldset>
                    <legend>{lang.t(TEAM)}</legend>
                    {move || (0..member_count.get()).map(|index| view! {
                        <label class="wide"><span>{lang.t(MEMBER)} " " {index + 1}</span>
                            <select name=format!("team-{index}") on:change=move |ev| {
                                let id = event_target_value(&ev).parse().unwrap_or(0);
                                team.update(|t| t[index] = id);
                            }>
                                <option value="0">{lang.t(CHOOSE)}</option>
                                {move || inspectors.with(|all| all.iter().map(|i| {
                                    let id = i.id;
                                    let label = format!("{} · {} · {}", i.record.name, i.record.department, i.record.employee_no);
                                    view! { <option value=id selected=move || team.with_untracked(|t| t.get(index) == Some(&id))>{label}</option> }
                                }).collect_view())}
                            </select>
                        </label>
                    }).collect_view()}
                    <button type="button" class="secondary" on:click=move |_| team.update(|t| t.push(0))>{lang.t(ADD_MEMBER)}</button>
                    {errors_view(errors, "team")}
                </fieldset>
                <label><span>{lang.t(DATE)}</span><input type="date" name="planned_on" bind:value=planned_on /></label>
                {errors_view(errors, "planned_on")}
                {move || message.get().map(|text| view! { <p class="error" role="alert" data-testid="targeted-error">{text}</p> })}
                <button type="submit" class="big">{lang.t(CREATE)}</button>
            </form>
        </section>
    }
}
