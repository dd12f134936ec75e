//! 抽查任务: the list of draw tasks and the form for a new one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::api::{Task, TaskRequest};
use shared::authz::{Action, allowed};
use shared::checklist::ChecklistItem;
use shared::draw::Period;
use shared::labels;
use shared::plan::PlanStatus;
use shared::sections::{SECTIONS, section_by_code, section_by_name};

use crate::api;
use crate::app::{RequireAction, use_auth, use_lang};
use crate::i18n::{Lang, Tr, tr};
use crate::task_form::{TaskForm, build_spec, exclusions};

const TITLE: Tr = tr("抽查任务", "Draw tasks");
const NEW_TASK: Tr = tr("新建抽查任务", "New draw task");
const NAME: Tr = tr("任务名称", "Name");
const PERIOD: Tr = tr("期间", "Period");
const STATUS: Tr = tr("状态", "Status");
const DRAWS: Tr = tr("抽取", "Draws");
const YEAR: Tr = tr("年度", "Year");
const QUARTER: Tr = tr("季度", "Quarter");
const SECTIONS_LABEL: Tr = tr(
    "参与科室（多个科室抽到同一对象时合并为联合检查）",
    "Sections (an object drawn by several becomes one joint inspection)",
);
const RATIOS: Tr = tr(
    "抽取比例（%）：一般 / 重点 / 特殊",
    "Ratios (%): general / key / special",
);
const GUARANTEE: Tr = tr(
    "重点、特殊对象年度全覆盖保障",
    "Annual guarantee for key and special objects",
);
const REGIONS: Tr = tr(
    "定向：限定区域（乡镇/街道，逗号分隔，留空为不限）",
    "Targeted: regions (comma separated; empty for none)",
);
const INDUSTRIES: Tr = tr(
    "定向：限定行业（逗号分隔，留空为不限）",
    "Targeted: industries (comma separated; empty for none)",
);
const TEAM: Tr = tr(
    "检查组：人数 / 最多人数 / 每人每次最多任务数",
    "Teams: size / max size / max tasks per inspector",
);
const SAME_REGION: Tr = tr(
    "检查人员不来自对象所在区域",
    "No inspector from the object's own region",
);
const ROTATE: Tr = tr("组长轮换（不与上次检查组长相同）", "Rotate the lead");
const YEARLY_CAP: Tr = tr(
    "年度检查次数上限（留空为不限）",
    "Yearly inspection cap per object (empty: none)",
);
const EXCLUSIONS: Tr = tr(
    "已由市级部门或专项行动现场检查的对象（统一社会信用代码，每行一个）",
    "Objects already inspected this period by city-level departments or campaigns (credit codes, one per line)",
);
const CREATE: Tr = tr("创建任务", "Create task");

#[component]
pub fn TasksPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDraws>
            <Tasks />
        </RequireAction>
    }
}

#[component]
fn Tasks() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let tasks = RwSignal::new(Vec::<Task>::new());
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::fetch_tasks().await {
            Ok(list) => tasks.set(list.tasks),
            Err(err) => error.set(Some(err.message)),
        }
    });
    view! {
        <section class="tasks">
            <h1>{lang.t(TITLE)}</h1>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <table class="data-table" data-testid="tasks-table">
                <thead><tr>
                    <th>{lang.t(NAME)}</th><th>{lang.t(PERIOD)}</th><th>{lang.t(STATUS)}</th><th>{lang.t(DRAWS)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || tasks.get() key=|task| (task.id, task.draws.len()) let:task>
                        <tr data-testid="task-row">
                            <td><A href=format!("/tasks/{}", task.id)>{task.name.clone()}</A></td>
                            <td>{format!("{}-Q{}", task.period.year, task.period.quarter)}</td>
                            <td>{move || labels::task_status(lang.get(), task.status)}</td>
                            <td>{task.draws.len()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            {move || allowed(auth.role(), Action::ManageDraws).then(|| view! { <NewTask /> })}
        </section>
    }
}

#[component]
fn NewTask() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let navigate = use_navigate();
    let checklist = RwSignal::new(Vec::<ChecklistItem>::new());
    spawn_local(async move {
        if let Ok(list) = api::fetch_checklist().await {
            checklist.set(list.items);
        }
    });
    // A section account drafts for its own section only.
    let own_section = move || {
        auth.user.with(|user| {
            user.as_ref()
                .and_then(|u| u.section.as_deref())
                .and_then(section_by_name)
                .map(|s| s.code)
        })
    };
    let form = RwSignal::new(TaskForm::default());
    let name = RwSignal::new(String::new());
    // From the quarter view: /tasks?year=&quarter=&section= fills the form from the year's plan.
    let query = leptos_router::hooks::use_query_map();
    let wanted = query.with_untracked(|q| {
        let year = q.get("year").and_then(|y| y.parse::<u16>().ok());
        let quarter = q.get("quarter").and_then(|q| q.parse::<u8>().ok());
        let period = year.zip(quarter).and_then(|(y, q)| Period::new(y, q).ok());
        period.map(|period| (period, q.get("section")))
    });
    if let Some((period, section)) = wanted {
        spawn_local(async move {
            let Ok(list) = api::fetch_plans(Some(period.year)).await else {
                return;
            };
            let governing = list
                .plans
                .iter()
                .find(|p| p.status == PlanStatus::Published)
                .or(list.plans.first());
            if let Some(plan) = governing {
                form.set(TaskForm::from_plan(&plan.body, period, section.as_deref()));
                let who = section
                    .as_deref()
                    .and_then(section_by_code)
                    .map(|s| s.name_zh)
                    .unwrap_or("");
                name.set(format!(
                    "{}年第{}季度{who}随机抽查",
                    period.year, period.quarter
                ));
            }
        });
    }
    let exclusions_text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let field = move |get: fn(&TaskForm) -> String, set: fn(&mut TaskForm, String)| {
        (
            move || get(&form.get()),
            move |ev| form.update(|f| set(f, event_target_value(&ev))),
        )
    };
    let (year, on_year) = field(|f| f.year.clone(), |f, v| f.year = v);
    let (quarter, on_quarter) = field(|f| f.quarter.clone(), |f, v| f.quarter = v);
    let (general, on_general) = field(|f| f.general_percent.clone(), |f, v| f.general_percent = v);
    let (key, on_key) = field(|f| f.key_percent.clone(), |f, v| f.key_percent = v);
    let (special, on_special) = field(|f| f.special_percent.clone(), |f, v| f.special_percent = v);
    let (regions, on_regions) = field(|f| f.regions.clone(), |f, v| f.regions = v);
    let (industries, on_industries) = field(|f| f.industries.clone(), |f, v| f.industries = v);
    let (team_size, on_team_size) = field(|f| f.team_size.clone(), |f, v| f.team_size = v);
    let (max_team, on_max_team) = field(|f| f.max_team_size.clone(), |f, v| f.max_team_size = v);
    let (max_assign, on_max_assign) =
        field(|f| f.max_assignments.clone(), |f, v| f.max_assignments = v);
    let (yearly_cap, on_yearly_cap) = field(|f| f.yearly_cap.clone(), |f, v| f.yearly_cap = v);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut current = form.get();
        if let Some(code) = own_section() {
            current.sections = vec![code.to_owned()];
        }
        let spec = match build_spec(&current, &checklist.get()) {
            Ok(spec) => spec,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        let owner_section = own_section()
            .map(str::to_owned)
            .or_else(|| (current.sections.len() == 1).then(|| current.sections[0].clone()));
        let request = TaskRequest {
            name: name.get(),
            owner_section,
            spec,
            exclusions: exclusions(&exclusions_text.get()),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_task(request).await {
                Ok(task) => navigate(&format!("/tasks/{}", task.id), Default::default()),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };

    view! {
        <h2>{lang.t(NEW_TASK)}</h2>
        <form class="form grid" on:submit=submit data-testid="new-task-form">
            <label class="wide"><span>{lang.t(NAME)}</span><input name="name" required bind:value=name /></label>
            <label><span>{lang.t(YEAR)}</span><input name="year" inputmode="numeric" prop:value=year on:input=on_year /></label>
            <label><span>{lang.t(QUARTER)}</span><input name="quarter" inputmode="numeric" prop:value=quarter on:input=on_quarter /></label>
            {move || own_section().is_none().then(|| view! {
                <fieldset class="wide">
                    <legend>{lang.t(SECTIONS_LABEL)}</legend>
                    {SECTIONS.into_iter().map(|section| view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                name="section"
                                value=section.code
                                prop:checked=move || form.get().sections.iter().any(|c| c == section.code)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.update(|f| {
                                        f.sections.retain(|c| c != section.code);
                                        if on { f.sections.push(section.code.to_owned()); }
                                    });
                                }
                            />
                            {move || if lang.get() == Lang::Zh { section.name_zh } else { section.name_en }}
                        </label>
                    }).collect_view()}
                </fieldset>
            })}
            <fieldset class="wide">
                <legend>{lang.t(RATIOS)}</legend>
                <input name="general_percent" aria-label="一般" prop:value=general on:input=on_general />
                <input name="key_percent" aria-label="重点" prop:value=key on:input=on_key />
                <input name="special_percent" aria-label="特殊" prop:value=special on:input=on_special />
            </fieldset>
            <label class="check wide">
                <input type="checkbox" name="annual_guarantee" prop:checked=move || form.get().annual_guarantee
                    on:change=move |ev| form.update(|f| f.annual_guarantee = event_target_checked(&ev)) />
                {lang.t(GUARANTEE)}
            </label>
            <label class="wide"><span>{lang.t(REGIONS)}</span><input name="regions" prop:value=regions on:input=on_regions /></label>
            <label class="wide"><span>{lang.t(INDUSTRIES)}</span><input name="industries" prop:value=industries on:input=on_industries /></label>
            <fieldset class="wide">
                <legend>{lang.t(TEAM)}</legend>
                <input name="team_size" prop:value=team_size on:input=on_team_size />
                <input name="max_team_size" prop:value=max_team on:input=on_max_team />
                <input name="max_assignments" prop:value=max_assign on:input=on_max_assign />
            </fieldset>
            <label class="check wide">
                <input type="checkbox" name="exclude_same_region" on:change=move |ev| form.update(|f| f.exclude_same_region = event_target_checked(&ev)) />
                {lang.t(SAME_REGION)}
            </label>
            <label class="check wide">
                <input type="checkbox" name="rotate_lead" prop:checked=move || form.get().rotate_lead
                    on:change=move |ev| form.update(|f| f.rotate_lead = event_target_checked(&ev)) />
                {lang.t(ROTATE)}
            </label>
            <label><span>{lang.t(YEARLY_CAP)}</span><input name="yearly_cap" prop:value=yearly_cap on:input=on_yearly_cap /></label>
            <label class="wide"><span>{lang.t(EXCLUSIONS)}</span><textarea name="exclusions" rows="3" bind:value=exclusions_text></textarea></label>
            {move || error.get().map(|text| view! { <p class="error wide" role="alert">{text}</p> })}
            <button type="submit">{lang.t(CREATE)}</button>
        </form>
    }
}
