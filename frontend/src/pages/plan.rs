//! 年度抽查计划: the plan versions of every year, a new draft, one version's page (edit a draft,
//! publish it, start the next version after publishing) and the year's progress toward the
//! annual guarantees. The form's logic ([`PlanForm`]) is plain Rust, tested natively; the
//! rules themselves are `shared::plan::validate`, the same the worker applies.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::authz::Action;
use shared::checklist::{ChecklistItem, ChecklistItemId};
use shared::draw::{CategoryAdjustments, GradeAdjustments, RiskWeights};
use shared::labels;
use shared::plan::{
    CATEGORIES, CategoryTarget, CategoryTargets, ItemCoverage, NewPlanRequest, Plan, PlanBody,
    PlanStatus, PublishPlanRequest, UpdatePlanRequest, YearProgress, next_quarter,
};
use shared::sections::SECTIONS;

use crate::api;
use crate::app::{RequireAction, use_auth, use_lang};
use crate::i18n::{Lang, Tr, common, tr};
use crate::task_form::{bp_to_percent, percent_to_bp};

const TITLE: Tr = tr("年度抽查计划", "Annual inspection plans");
const INTRO: Tr = tr(
    "年度计划规定各类监管对象的年度最低抽查比例与各季度抽查比例、风险权重，以及每个抽查事项由哪个科室负责。公开后不可修改，修订将形成新版本，历次公开版本均保留。",
    "The annual plan sets each category's yearly minimum and quarterly ratios, the risk weights, and which section covers each checklist item. A published version never changes: a revision is a new version, and every published version stays.",
);
const YEAR: Tr = tr("年度", "Year");
const VERSION: Tr = tr("版本", "Version");
const STATUS: Tr = tr("状态", "Status");
const PLAN_TITLE: Tr = tr("计划名称", "Title");
const PUBLISHED_AT: Tr = tr("公开时间（UTC）", "Published (UTC)");
const NEW_PLAN: Tr = tr("新建年度计划草稿", "New plan draft");
const CREATE: Tr = tr("创建草稿", "Create draft");
const PUBLISHED: Tr = tr("已公开", "published");
const TARGETS: Tr = tr("抽查比例（%）", "Ratios (%)");
const CATEGORY: Tr = tr("对象类别", "Category");
const YEARLY_MIN: Tr = tr("年度最低", "Yearly minimum");
const RISK: Tr = tr("风险权重", "Risk weights");
const COVERAGE: Tr = tr("抽查事项与负责科室", "Checklist items and sections");
const ITEM: Tr = tr("事项", "Item");
const SECTION: Tr = tr("负责科室", "Section");
const NOTES: Tr = tr("说明", "Notes");
const PUBLISH: Tr = tr("保存并公开", "Save and publish");
const PUBLISH_NOTE: Tr = tr(
    "公开后本版本即冻结，任何人都可查阅。",
    "Once published, this version is frozen and public.",
);
const REVISE: Tr = tr(
    "修订（新建下一版本草稿）",
    "Revise (draft the next version)",
);
const VERSIONS: Tr = tr("本年度各版本", "Versions of this year");
const PROGRESS: Tr = tr("年度保障进度", "Progress toward the annual guarantees");
const ACTIVE: Tr = tr("在营对象", "Active");
const INSPECTED: Tr = tr("已检查", "Inspected");
const DRAWN: Tr = tr("其中随机抽取", "Of them drawn");
const REQUIRED: Tr = tr("年度应检查", "Required");
const REMAINING: Tr = tr("尚需", "Still needed");
const GUARANTEE: Tr = tr(
    "重点、特殊监管对象年度全覆盖",
    "Every key and special object inspected this year",
);
const MISSING_OBJECTS: Tr = tr(
    "尚未检查的重点、特殊对象",
    "Key and special objects not yet inspected",
);
const ITEMS: Tr = tr("抽查事项全覆盖", "Every checklist item covered");
const MISSING_ITEMS: Tr = tr("尚未覆盖的事项", "Items not yet covered");
const ALL_DONE: Tr = tr("已全部完成", "All done");
const QUARTER_LINK: Tr = tr("下季度抽查安排 →", "Next quarter's draws →");
const NO_PLAN: Tr = tr(
    "本年度尚无计划，以下按全部在营对象与全部事项统计。",
    "No plan for this year yet; counted against every active object and every item.",
);
const MEASURED_AGAINST: Tr = tr("对照计划：第", "Measured against version ");

/// The weights of the table, in display order: JSON path below `risk_weights`, and label.
const WEIGHTS: [(&str, Tr); 15] = [
    ("base", tr("基础权重", "Base")),
    ("per_violation", tr("每次违法 +", "Per violation +")),
    (
        "max_counted_violations",
        tr("违法次数计入上限", "Violations counted up to"),
    ),
    ("per_complaint", tr("每次投诉 +", "Per complaint +")),
    (
        "max_counted_complaints",
        tr("投诉次数计入上限", "Complaints counted up to"),
    ),
    ("credit.a", tr("信用 A", "Credit A")),
    ("credit.b", tr("信用 B", "Credit B")),
    ("credit.c", tr("信用 C", "Credit C")),
    ("credit.d", tr("信用 D", "Credit D")),
    ("credit.unrated", tr("信用未评", "Credit unrated")),
    (
        "unstable_permit_compliance",
        tr("不能稳定达标 +", "Unstable permit compliance +"),
    ),
    (
        "high_public_concern",
        tr("社会关注度高 +", "High public concern +"),
    ),
    ("category.general", tr("一般对象 +", "General objects +")),
    ("category.key", tr("重点对象 +", "Key objects +")),
    ("category.special", tr("特殊对象 +", "Special objects +")),
];

/// A problem with a field, from typing (not a number) or from the plan's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message_zh: String,
    pub message_en: String,
}

/// What the plan form holds, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanForm {
    pub title: String,
    /// Per category (general, key, special): the yearly minimum, then quarters 1–4, in %.
    pub targets: [[String; 5]; 3],
    /// In the order of [`WEIGHTS`].
    pub weights: Vec<String>,
    /// The section code covering each item.
    pub coverage: Vec<(ChecklistItemId, String)>,
    pub notes: String,
}

fn weight_values(w: &RiskWeights) -> [i64; 15] {
    [
        w.base,
        w.per_violation,
        i64::from(w.max_counted_violations),
        w.per_complaint,
        i64::from(w.max_counted_complaints),
        w.credit.a,
        w.credit.b,
        w.credit.c,
        w.credit.d,
        w.credit.unrated,
        w.unstable_permit_compliance,
        w.high_public_concern,
        w.category.general,
        w.category.key,
        w.category.special,
    ]
}

impl PlanForm {
    /// The form showing `body`.
    pub fn from_body(body: &PlanBody) -> PlanForm {
        let targets = CATEGORIES.map(|category| {
            let target = body.targets.get(category);
            [
                bp_to_percent(target.yearly_min_bp),
                bp_to_percent(target.quarterly_bp[0]),
                bp_to_percent(target.quarterly_bp[1]),
                bp_to_percent(target.quarterly_bp[2]),
                bp_to_percent(target.quarterly_bp[3]),
            ]
        });
        PlanForm {
            title: body.title.clone(),
            targets,
            weights: weight_values(&body.risk_weights)
                .iter()
                .map(i64::to_string)
                .collect(),
            coverage: body
                .coverage
                .iter()
                .map(|c| (c.item, c.section.clone()))
                .collect(),
            notes: body.notes.clone(),
        }
    }

    /// The body the form describes, or every field that is not a number.
    pub fn to_body(&self) -> Result<PlanBody, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut targets = [CategoryTarget {
            yearly_min_bp: 0,
            quarterly_bp: [0; 4],
        }; 3];
        for (c, category) in CATEGORIES.iter().enumerate() {
            for (i, text) in self.targets[c].iter().enumerate() {
                let field = if i == 0 {
                    format!("body.targets.{}.yearly_min_bp", category.as_str())
                } else {
                    format!("body.targets.{}.quarterly_bp[{}]", category.as_str(), i - 1)
                };
                match percent_to_bp("比例", text) {
                    Ok(bp) if i == 0 => targets[c].yearly_min_bp = bp,
                    Ok(bp) => targets[c].quarterly_bp[i - 1] = bp,
                    Err(_) => errors.push(FieldError {
                        field,
                        message_zh: format!("须为 0–100 之间、最多两位小数的百分比：{text}"),
                        message_en: format!("a percentage 0–100 with at most two decimals: {text}"),
                    }),
                }
            }
        }
        let mut values = [0i64; 15];
        for (i, ((name, _), text)) in WEIGHTS.iter().zip(&self.weights).enumerate() {
            let counted = name.starts_with("max_counted");
            let parsed = if counted {
                text.trim().parse::<u32>().ok().map(i64::from)
            } else {
                text.trim().parse::<i64>().ok()
            };
            match parsed {
                Some(value) => values[i] = value,
                None => errors.push(FieldError {
                    field: format!("body.risk_weights.{name}"),
                    message_zh: format!("须为{}整数：{text}", if counted { "非负" } else { "" }),
                    message_en: format!(
                        "must be a{} whole number: {text}",
                        if counted { " non-negative" } else { "" }
                    ),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let [general, key, special] = targets;
        Ok(PlanBody {
            title: self.title.clone(),
            targets: CategoryTargets {
                general,
                key,
                special,
            },
            risk_weights: RiskWeights {
                base: values[0],
                per_violation: values[1],
                max_counted_violations: values[2] as u32,
                per_complaint: values[3],
                max_counted_complaints: values[4] as u32,
                credit: GradeAdjustments {
                    a: values[5],
                    b: values[6],
                    c: values[7],
                    d: values[8],
                    unrated: values[9],
                },
                unstable_permit_compliance: values[10],
                high_public_concern: values[11],
                category: CategoryAdjustments {
                    general: values[12],
                    key: values[13],
                    special: values[14],
                },
            },
            coverage: self
                .coverage
                .iter()
                .map(|(item, section)| ItemCoverage {
                    item: *item,
                    section: section.clone(),
                })
                .collect(),
            notes: self.notes.clone(),
        })
    }

    /// The body if it passes the plan's rules (the worker's own), else every problem.
    pub fn check(
        &self,
        year: u16,
        checklist: &[ChecklistItem],
    ) -> Result<PlanBody, Vec<FieldError>> {
        let body = self.to_body()?;
        let issues = shared::plan::validate(year, &body, checklist);
        if issues.is_empty() {
            Ok(body)
        } else {
            Err(issues
                .into_iter()
                .map(|issue| FieldError {
                    field: issue.field,
                    message_zh: issue.message_zh,
                    message_en: issue.message_en,
                })
                .collect())
        }
    }
}

/// The current year, from the browser's clock (the domain never reads one).
pub fn this_year_and_month() -> (u16, u8) {
    let now = js_sys::Date::new_0();
    (now.get_full_year() as u16, now.get_month() as u8 + 1)
}

fn is_planner(auth: crate::app::Auth) -> bool {
    shared::authz::allowed(auth.role(), Action::ManagePlans)
}

#[component]
pub fn PlansPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDraws>
            <Plans />
        </RequireAction>
    }
}

#[component]
fn Plans() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let plans = RwSignal::new(Vec::<Plan>::new());
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::fetch_plans(None).await {
            Ok(list) => plans.set(list.plans),
            Err(err) => error.set(Some(err.message)),
        }
    });
    view! {
        <section class="plans">
            <h1>{lang.t(TITLE)}</h1>
            <p class="hint">{lang.t(INTRO)}</p>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <table class="data-table" data-testid="plans-table">
                <thead><tr>
                    <th>{lang.t(YEAR)}</th><th>{lang.t(PLAN_TITLE)}</th><th>{lang.t(VERSION)}</th>
                    <th>{lang.t(STATUS)}</th><th>{lang.t(PUBLISHED_AT)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || plans.get() key=|p| (p.id, p.revision, p.published_at.clone()) let:plan>
                        <tr data-testid="plan-row">
                            <td>{plan.year}</td>
                            <td><A href=format!("/plans/{}", plan.id)>{plan.body.title.clone()}</A></td>
                            <td>{format!("v{}", plan.version)}</td>
                            <td>{move || labels::plan_status(lang.get(), plan.status)}</td>
                            <td class="code">{plan.published_at.clone().unwrap_or_default()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            {move || is_planner(auth).then(|| view! { <NewPlan /> })}
        </section>
    }
}

#[component]
fn NewPlan() -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let next = next_quarter(this_year_and_month().0, this_year_and_month().1);
    let year = RwSignal::new(next.year.to_string());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(year) = year.get().trim().parse::<u16>() else {
            error.set(Some(
                "年度须为四位数字 / the year is four digits".to_owned(),
            ));
            return;
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let checklist = match api::fetch_checklist().await {
                Ok(list) => list.items,
                Err(err) => return error.set(Some(err.message)),
            };
            let request = NewPlanRequest {
                year,
                body: PlanBody::recommended(year, &checklist),
            };
            match api::create_plan(request).await {
                Ok(plan) => navigate(&format!("/plans/{}", plan.id), Default::default()),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    view! {
        <h2>{lang.t(NEW_PLAN)}</h2>
        <form class="form inline" on:submit=submit data-testid="new-plan-form">
            <label><span>{lang.t(YEAR)}</span><input name="year" inputmode="numeric" bind:value=year /></label>
            <button type="submit">{lang.t(CREATE)}</button>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </form>
    }
}

#[component]
pub fn PlanPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDraws>
            <PlanDetail />
        </RequireAction>
    }
}

#[component]
fn PlanDetail() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let navigate = use_navigate();
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    });
    let plan = RwSignal::new(None::<Plan>);
    let versions = RwSignal::new(Vec::<Plan>::new());
    let checklist = RwSignal::new(Vec::<ChecklistItem>::new());
    let progress = RwSignal::new(None::<YearProgress>);
    let form = RwSignal::new(None::<PlanForm>);
    let issues = RwSignal::new(Vec::<FieldError>::new());
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<&'static str>);

    let load = move |id: i64| {
        spawn_local(async move {
            match api::fetch_plan(id).await {
                Ok(loaded) => {
                    let year = loaded.year;
                    form.set(Some(PlanForm::from_body(&loaded.body)));
                    plan.set(Some(loaded));
                    if let Ok(list) = api::fetch_plans(Some(year)).await {
                        versions.set(list.plans);
                    }
                    if let Ok(loaded) = api::fetch_year_progress(year).await {
                        progress.set(Some(loaded));
                    }
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    Effect::new(move |_| {
        let id = id.get();
        issues.set(Vec::new());
        error.set(None);
        load(id);
    });
    spawn_local(async move {
        if let Ok(list) = api::fetch_checklist().await {
            checklist.set(list.items);
        }
    });

    let editable = move || {
        is_planner(auth) && plan.with(|p| p.as_ref().is_some_and(|p| p.status == PlanStatus::Draft))
    };
    // Saves the form (checked here first by the same rules as the worker), then publishes if asked.
    let save = move |publish: bool| {
        let Some(current) = plan.get_untracked() else {
            return;
        };
        let Some(typed) = form.get_untracked() else {
            return;
        };
        notice.set(None);
        error.set(None);
        let body = match typed.check(current.year, &checklist.get_untracked()) {
            Ok(body) => body,
            Err(found) => {
                issues.set(found);
                return;
            }
        };
        issues.set(Vec::new());
        spawn_local(async move {
            let saved = match api::update_plan(
                current.id,
                UpdatePlanRequest {
                    revision: current.revision,
                    body,
                },
            )
            .await
            {
                Ok(saved) => saved,
                Err(err) => return error.set(Some(err.message)),
            };
            let done = if publish {
                match api::publish_plan(
                    saved.id,
                    PublishPlanRequest {
                        revision: saved.revision,
                    },
                )
                .await
                {
                    Ok(published) => published,
                    Err(err) => {
                        plan.set(Some(saved));
                        return error.set(Some(err.message));
                    }
                }
            } else {
                saved
            };
            notice.set(Some(if publish { "published" } else { "saved" }));
            load(done.id);
        });
    };
    let revise = move |_| {
        let Some(current) = plan.get_untracked() else {
            return;
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_plan(NewPlanRequest {
                year: current.year,
                body: current.body,
            })
            .await
            {
                Ok(created) => navigate(&format!("/plans/{}", created.id), Default::default()),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    let has_draft = move || versions.with(|v| v.iter().any(|p| p.status == PlanStatus::Draft));
    let field_error = move |field: String| {
        move || {
            issues.with(|found| {
                found.iter().find(|e| e.field == field).map(|e| {
                    if lang.get() == Lang::Zh {
                        e.message_zh.clone()
                    } else {
                        e.message_en.clone()
                    }
                })
            })
        }
    };

    view! {
        <section class="plan">
            {move || error.get().map(|text| view! { <p class="error" role="alert" data-testid="plan-error">{text}</p> })}
            {move || plan.get().map(|current| view! {
                <h1 data-testid="plan-heading">
                    {current.body.title.clone()} " · v" {current.version} " · "
                    <span data-testid="plan-status">{move || labels::plan_status(lang.get(), current.status)}</span>
                </h1>
                <p class="hint">
                    <A href="/plans">{lang.t(TITLE)}</A> " · "
                    <A href=format!("/quarter?year={}&quarter=1", current.year)>{lang.t(QUARTER_LINK)}</A>
                </p>
            })}
            {move || notice.get().map(|kind| view! {
                <p class="notice" role="status" data-testid="plan-notice">
                    {move || if kind == "published" { lang.t(PUBLISHED)() } else { lang.t(common::SAVED)() }}
                </p>
            })}
            {move || {
                let found = issues.get();
                (!found.is_empty()).then(|| view! {
                    <ul class="error" role="alert" data-testid="plan-issues">
                        {found.into_iter().map(|e| view! {
                            <li data-field=e.field.clone()>
                                {e.field.clone()} "：" {move || if lang.get() == Lang::Zh { e.message_zh.clone() } else { e.message_en.clone() }}
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
            {move || form.get().is_some().then(|| view! {
                <form class="form" data-testid="plan-form" on:submit=move |ev| { ev.prevent_default(); save(false); }>
                    <label>
                        <span>{lang.t(PLAN_TITLE)}</span>
                        <input name="title" prop:disabled=move || !editable()
                            prop:value=move || form.with(|f| f.as_ref().map(|f| f.title.clone()).unwrap_or_default())
                            on:input=move |ev| form.update(|f| if let Some(f) = f { f.title = event_target_value(&ev) }) />
                        <small class="error">{field_error("body.title".to_owned())}</small>
                    </label>
                    <h2>{lang.t(TARGETS)}</h2>
                    <table class="data-table" data-testid="plan-targets">
                        <thead><tr>
                            <th>{lang.t(CATEGORY)}</th><th>{lang.t(YEARLY_MIN)}</th>
                            <th>"Q1"</th><th>"Q2"</th><th>"Q3"</th><th>"Q4"</th>
                        </tr></thead>
                        <tbody>
                            {CATEGORIES.iter().enumerate().map(|(c, category)| {
                                let category = *category;
                                view! {
                                    <tr data-category=category.as_str()>
                                        <th>{move || labels::category(lang.get(), category)}</th>
                                        {(0..5).map(|i| {
                                            let field = if i == 0 {
                                                format!("body.targets.{}.yearly_min_bp", category.as_str())
                                            } else {
                                                format!("body.targets.{}.quarterly_bp[{}]", category.as_str(), i - 1)
                                            };
                                            let name = if i == 0 {
                                                format!("{}_yearly", category.as_str())
                                            } else {
                                                format!("{}_q{}", category.as_str(), i)
                                            };
                                            let whole = format!("body.targets.{}.quarterly_bp", category.as_str());
                                            let invalid = {
                                                let field = field.clone();
                                                move || issues.with(|found| found.iter().any(|e| e.field == field || (i > 0 && e.field == whole)))
                                            };
                                            view! {
                                                <td>
                                                    <input name=name size="6" data-field=field.clone()
                                                        class:invalid=invalid
                                                        prop:disabled=move || !editable()
                                                        prop:value=move || form.with(|f| f.as_ref().map(|f| f.targets[c][i].clone()).unwrap_or_default())
                                                        on:input=move |ev| form.update(|f| if let Some(f) = f { f.targets[c][i] = event_target_value(&ev) }) />
                                                </td>
                                            }
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>{lang.t(RISK)}</h2>
                    <div class="form grid" data-testid="plan-weights">
                        {WEIGHTS.iter().enumerate().map(|(i, (name, label))| {
                            let field = format!("body.risk_weights.{name}");
                            view! {
                                <label>
                                    <span>{lang.t(*label)}</span>
                                    <input name=format!("weight_{name}") data-field=field.clone()
                                        prop:disabled=move || !editable()
                                        prop:value=move || form.with(|f| f.as_ref().and_then(|f| f.weights.get(i).cloned()).unwrap_or_default())
                                        on:input=move |ev| form.update(|f| if let Some(f) = f { f.weights[i] = event_target_value(&ev) }) />
                                    <small class="error">{field_error(field)}</small>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <h2>{lang.t(COVERAGE)}</h2>
                    <small class="error">{field_error("body.coverage".to_owned())}</small>
                    <table class="data-table" data-testid="plan-coverage">
                        <thead><tr><th>{lang.t(ITEM)}</th><th>{lang.t(SECTION)}</th></tr></thead>
                        <tbody>
                            {move || {
                                let rows = form.with(|f| f.as_ref().map(|f| f.coverage.clone()).unwrap_or_default());
                                rows.into_iter().enumerate().map(|(i, (item, section))| {
                                    let label = checklist.with(|list| list.iter().find(|it| it.id == item)
                                        .map(|it| format!("{} {}", it.code, it.content)).unwrap_or_else(|| item.to_string()));
                                    view! {
                                        <tr>
                                            <td>{label}</td>
                                            <td>
                                                <select name=format!("coverage_{}", item.0) data-field=format!("body.coverage[{i}].section")
                                                    prop:disabled=move || !editable()
                                                    on:change=move |ev| form.update(|f| if let Some(f) = f { f.coverage[i].1 = event_target_value(&ev) })>
                                                    {SECTIONS.into_iter().map(|s| {
                                                        let selected = s.code == section;
                                                        view! { <option value=s.code selected=selected>{move || if lang.get() == Lang::Zh { s.name_zh } else { s.name_en }}</option> }
                                                    }).collect_view()}
                                                </select>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()
                            }}
                        </tbody>
                    </table>
                    <label>
                        <span>{lang.t(NOTES)}</span>
                        <textarea name="notes" rows="3" prop:disabled=move || !editable()
                            prop:value=move || form.with(|f| f.as_ref().map(|f| f.notes.clone()).unwrap_or_default())
                            on:input=move |ev| form.update(|f| if let Some(f) = f { f.notes = event_target_value(&ev) })></textarea>
                    </label>
                    {move || editable().then(|| view! {
                        <div class="actions">
                            <button type="submit" data-testid="plan-save">{lang.t(common::SAVE)}</button>
                            " "
                            <button type="button" data-testid="plan-publish" on:click=move |_| save(true)>{lang.t(PUBLISH)}</button>
                            <p class="hint">{lang.t(PUBLISH_NOTE)}</p>
                        </div>
                    })}
                </form>
            })}
            {move || (is_planner(auth)
                && plan.with(|p| p.as_ref().is_some_and(|p| p.status == PlanStatus::Published))
                && !has_draft())
                .then(|| view! { <button data-testid="plan-revise" on:click=revise.clone()>{lang.t(REVISE)}</button> })}
            <h2>{lang.t(VERSIONS)}</h2>
            <ul data-testid="plan-versions">
                <For each=move || versions.get() key=|p| (p.id, p.revision, p.published_at.clone()) let:version>
                    <li>
                        <A href=format!("/plans/{}", version.id)>{format!("v{}", version.version)}</A>
                        " · " {move || labels::plan_status(lang.get(), version.status)}
                        " " {version.published_at.clone().unwrap_or_default()}
                    </li>
                </For>
            </ul>
            {move || progress.get().map(|p| view! { <ProgressView progress=p /> })}
        </section>
    }
}

/// The year's progress toward the annual guarantees (also shown by the quarter view).
#[component]
pub fn ProgressView(progress: YearProgress) -> impl IntoView {
    let lang = use_lang();
    let missing_objects = progress.guarantee.total - progress.guarantee.covered;
    let items_covered = progress.items.covered.len();
    view! {
        <section class="progress" data-testid="plan-progress">
            <h2>{lang.t(PROGRESS)} " · " {progress.year}</h2>
            {match progress.plan {
                Some(plan) => view! {
                    <p class="hint">{lang.t(MEASURED_AGAINST)} {plan.version} {move || if lang.get() == Lang::Zh { "版" } else { "" }}</p>
                }.into_any(),
                None => view! { <p class="notice">{lang.t(NO_PLAN)}</p> }.into_any(),
            }}
            <table class="data-table" data-testid="progress-categories">
                <thead><tr>
                    <th>{lang.t(CATEGORY)}</th><th>{lang.t(ACTIVE)}</th><th>{lang.t(INSPECTED)}</th>
                    <th>{lang.t(DRAWN)}</th><th>{lang.t(REQUIRED)}</th><th>{lang.t(REMAINING)}</th>
                </tr></thead>
                <tbody>
                    {progress.categories.iter().map(|c| {
                        let c = *c;
                        view! {
                            <tr data-category=c.category.as_str()>
                                <th>{move || labels::category(lang.get(), c.category)}</th>
                                <td>{c.active}</td><td>{c.inspected}</td><td>{c.drawn}</td>
                                <td>{c.required.map(|n| n.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
                                <td data-testid="category-remaining">{c.remaining.map(|n| n.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{lang.t(GUARANTEE)}</h3>
            <p data-testid="guarantee-count">{format!("{} / {}", progress.guarantee.covered, progress.guarantee.total)}</p>
            {if missing_objects == 0 {
                view! { <p class="hint">{lang.t(ALL_DONE)}</p> }.into_any()
            } else {
                view! {
                    <details data-testid="missing-objects">
                        <summary>{lang.t(MISSING_OBJECTS)} {format!("（{missing_objects}）")}</summary>
                        <ul>
                            {progress.guarantee.missing.clone().into_iter().map(|o| {
                                let category = o.category;
                                view! {
                                    <li><A href=format!("/objects/{}", o.id)>{o.name}</A>
                                        " · " {move || labels::category(lang.get(), category)} " · " {o.region}</li>
                                }
                            }).collect_view()}
                        </ul>
                    </details>
                }.into_any()
            }}
            <h3>{lang.t(ITEMS)}</h3>
            <p data-testid="items-count">{format!("{} / {}", items_covered, progress.items.planned)}</p>
            {(!progress.items.missing.is_empty()).then(|| view! {
                <details data-testid="missing-items">
                    <summary>{lang.t(MISSING_ITEMS)} {format!("（{}）", progress.items.missing.len())}</summary>
                    <ul>
                        {progress.items.missing.clone().into_iter().map(|item| {
                            let section = item.section;
                            view! {
                                <li>{item.code} " " {item.content} " · " {move || labels::section(lang.get(), &section)}</li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checklist() -> Vec<ChecklistItem> {
        shared::demo::checklist_items()
    }

    #[test]
    fn percentages_round_trip_through_basis_points() {
        for (bp, text) in [
            (500, "5"),
            (250, "2.5"),
            (5, "0.05"),
            (10_000, "100"),
            (0, "0"),
            (1_234, "12.34"),
        ] {
            assert_eq!(bp_to_percent(bp), text);
            assert_eq!(percent_to_bp("x", text), Ok(bp));
        }
    }

    #[test]
    fn the_form_round_trips_a_plan() {
        let body = PlanBody::recommended(2027, &checklist());
        let form = PlanForm::from_body(&body);
        assert_eq!(form.targets[1], ["100", "25", "25", "25", "25"]);
        assert_eq!(form.weights.len(), WEIGHTS.len());
        assert_eq!(form.to_body(), Ok(body.clone()));
        assert_eq!(form.check(2027, &checklist()), Ok(body));
    }

    #[test]
    fn typing_errors_and_rule_errors_name_the_field() {
        let mut form = PlanForm::from_body(&PlanBody::recommended(2027, &checklist()));
        form.targets[0][3] = "五".to_owned();
        form.weights[2] = "-1".to_owned();
        let fields: Vec<String> = form
            .to_body()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "body.targets.general.quarterly_bp[2]",
                "body.risk_weights.max_counted_violations"
            ]
        );
        let mut form = PlanForm::from_body(&PlanBody::recommended(2027, &checklist()));
        form.targets[2][0] = "90".to_owned();
        let errors = form.check(2027, &checklist()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "body.targets.special.yearly_min_bp");
        assert!(errors[0].message_zh.contains("100%"));
    }

    #[test]
    fn every_weight_label_is_a_field_of_the_table() {
        let json = serde_json::to_value(RiskWeights::recommended()).unwrap();
        for (name, _) in WEIGHTS {
            let pointer = format!("/{}", name.replace('.', "/"));
            assert!(json.pointer(&pointer).is_some(), "{name}");
        }
    }
}
