//! One draw task: preview in the browser (not binding), seal, commit with witness digits, and
//! the task's draws.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::api::{CommitRequest, PublicDraw, Task, TaskStatus, VoidRequest};
use shared::authz::{Action, allowed};
use shared::draw::{
    Digest32, DrawInput, DrawResult, DrawSpec, SealedInput, SeedParts, StratumSize, TeamRules,
};
use shared::labels;

use crate::api;
use crate::app::{RequireAction, use_auth, use_id_param, use_lang};
use crate::i18n::{Tr, common, tr};
use crate::pages::draw_view::{DrawResultView, UnteamedBanner, UnteamedSummary};

const PREVIEW: Tr = tr(
    "预览抽取（本机计算，不作数）",
    "Preview (computed here; not binding)",
);
const PREVIEW_NOTE: Tr = tr(
    "预览：使用预览种子在浏览器中计算，结果不具约束力，预览种子永远不会成为正式抽取的种子。",
    "PREVIEW — computed in this browser with a preview seed; not binding. A preview seed can never be a commit seed.",
);
const SEAL: Tr = tr("封存输入", "Seal the inputs");
const SEAL_NOTE: Tr = tr(
    "封存后，本任务的名录快照、规则与排除名单即被冻结并计算哈希；正式抽取的种子在此之后才产生。",
    "Sealing freezes and hashes the directory snapshot, the rules and the exclusions; the commit seed is made only afterwards.",
);
const SEALED_HASH: Tr = tr("封存输入哈希", "Sealed input hash");
const WITNESS: Tr = tr(
    "见证随机数（如现场掷骰所得数字，可选；空格不计）",
    "Witness entropy (e.g. dice digits typed in public; optional; spaces are ignored)",
);
const CONFIRM_TITLE: Tr = tr(
    "确认正式抽取？正式抽取不可撤回，结果将立即公开。",
    "Commit the draw? A commit cannot be undone and is published at once.",
);
const CONFIRM_ALL_TEAMED: Tr = tr(
    "按当前名录预览，每个检查对象都能组成检查组。",
    "By a preview on the current directory, every object gets a team.",
);
const CONFIRM_COMMIT: Tr = tr("确认正式抽取", "Yes, commit");
const CANCEL: Tr = tr("取消", "Cancel");
const SETTINGS: Tr = tr("任务设置", "Task settings");
const STRATA: Tr = tr("分层与抽取数量", "Strata and sizes");
const TEAMS: Tr = tr("检查组规则", "Team rules");
const COMMITTED_RESULT: Tr = tr("正式抽取结果", "Committed result");
const COMMIT: Tr = tr("正式抽取", "Commit the draw");
const COMMITTED: Tr = tr("已正式抽取，结果已公开：", "Drawn and published: ");
const VIEW_PUBLIC: Tr = tr("查看公开页面", "Open the public page");
const VOID: Tr = tr("作废（须写明理由）", "Void (reason required)");
const VOID_PROMPT: Tr = tr(
    "作废理由（5–1000 字，将公开）",
    "Reason for voiding (5–1000 characters; public)",
);
const VOIDED: Tr = tr("已作废：", "Void: ");
const UNKNOWN_EXCLUSIONS: Tr = tr(
    "以下排除对象不在名录库中：",
    "These exclusions are not in the directory: ",
);

fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    if let Ok(crypto) = window().crypto() {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs a preview of `input` in this browser with fresh preview entropy.
fn run_preview(input: &DrawInput) -> Result<DrawResult, String> {
    let sealed = SealedInput::seal(input).map_err(|err| err.to_string())?;
    let entropy = Digest32::from_hex(&random_hex::<32>()).map_err(|err| err.to_string())?;
    sealed
        .draw_with(&SeedParts::Preview {
            preview_entropy: entropy,
        })
        .map_err(|err| err.to_string())
}

/// The witness as the seed uses it: digits typed with spaces (`12 34 56`) count without them.
pub fn witness_digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (!digits.is_empty()).then_some(digits)
}

/// A stratum's size in words: "4 个" or "2.00%".
fn stratum_size(size: StratumSize) -> String {
    match size {
        StratumSize::Count(count) => count.to_string(),
        StratumSize::RatioBp(bp) => format!("{}.{:02}%", bp / 100, bp % 100),
    }
}

/// The team rules in words.
fn team_rules_text(lang: crate::i18n::Lang, rules: &TeamRules) -> String {
    use crate::i18n::Lang;
    let yes_no = |value: bool| match (lang, value) {
        (Lang::Zh, true) => "是",
        (Lang::Zh, false) => "否",
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
    };
    match lang {
        Lang::Zh => format!(
            "每组 {}–{} 人；每名检查人员每次抽取最多 {} 项任务；回避本人所在区域：{}；组长轮换：{}",
            rules.team_size,
            rules.max_team_size,
            rules.max_assignments_per_draw,
            yes_no(rules.exclude_same_region),
            yes_no(rules.rotate_lead)
        ),
        Lang::En => format!(
            "teams of {}–{}; at most {} tasks per inspector in one draw; not in their own region: {}; the lead rotates: {}",
            rules.team_size,
            rules.max_team_size,
            rules.max_assignments_per_draw,
            yes_no(rules.exclude_same_region),
            yes_no(rules.rotate_lead)
        ),
    }
}

/// The task's settings: sections, strata with their sizes, and the team rules.
#[component]
fn TaskSettings(spec: DrawSpec) -> impl IntoView {
    let lang = use_lang();
    let rules = spec.team_rules;
    view! {
        <details class="task-settings" data-testid="task-settings" open>
            <summary>{lang.t(SETTINGS)}</summary>
            <p><strong>{lang.t(STRATA)}</strong></p>
            <ul>
                {spec.sections.into_iter().map(|section| {
                    let code = section.section.to_string();
                    let strata = section.strata.iter().map(|stratum| {
                        format!("{} {}", stratum.name, stratum_size(stratum.size))
                    }).collect::<Vec<_>>().join(" · ");
                    view! { <li>{move || labels::section(lang.get(), &code)} "：" {strata}</li> }
                }).collect_view()}
            </ul>
            <p><strong>{lang.t(TEAMS)}</strong> " " <span data-testid="team-rules">{move || team_rules_text(lang.get(), &rules)}</span></p>
        </details>
    }
}

#[component]
pub fn TaskPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadDraws>
            <TaskDetail />
        </RequireAction>
    }
}

#[component]
fn TaskDetail() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let id = use_id_param();
    let task = RwSignal::new(None::<Task>);
    let error = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<(DrawInput, DrawResult, Vec<String>)>);
    let witness = RwSignal::new(String::new());
    // One key per commit click: a network retry of the same click replays, never draws twice.
    let commit_key = RwSignal::new(random_hex::<16>());
    // The commit waiting for its confirmation: what a preview of the current directory says
    // will fail, and the witness as it will be sent.
    let confirming = RwSignal::new(None::<(UnteamedSummary, TeamRules, Option<String>)>);
    // The committed draw's result, once there is one (never a preview).
    let committed = RwSignal::new(None::<PublicDraw>);
    let load = move || {
        spawn_local(async move {
            match api::fetch_task(id()).await {
                Ok(t) => {
                    let live = t.draws.iter().find(|d| d.void.is_none()).map(|d| d.id);
                    task.set(Some(t));
                    committed.set(None);
                    if let Some(draw_id) = live {
                        // A committed task shows its result, not an earlier preview.
                        preview.set(None);
                        match api::fetch_public_draw(draw_id).await {
                            Ok(draw) => committed.set(Some(draw)),
                            Err(err) => error.set(Some(err.message)),
                        }
                    }
                }
                Err(err) => error.set(Some(err.message)),
            }
        })
    };
    load();
    let can_manage = move || allowed(auth.role(), Action::ManageDraws);

    let do_preview = move |_| {
        error.set(None);
        spawn_local(async move {
            match api::fetch_task_input(id()).await {
                Ok(answer) => match run_preview(&answer.input) {
                    Ok(result) => {
                        preview.set(Some((answer.input, result, answer.unknown_exclusions)))
                    }
                    Err(message) => error.set(Some(message)),
                },
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    let do_seal = move |_| {
        error.set(None);
        spawn_local(async move {
            match api::seal_task(id()).await {
                Ok(t) => task.set(Some(t)),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    // Step one: preview what the commit will fail to do and ask.
    let do_commit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let typed = witness_digits(&witness.get());
        spawn_local(async move {
            match api::fetch_task_input(id()).await {
                Ok(answer) => match run_preview(&answer.input) {
                    Ok(result) => confirming.set(Some((
                        UnteamedSummary::of(&result),
                        answer.input.spec.team_rules,
                        typed,
                    ))),
                    Err(message) => error.set(Some(message)),
                },
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    // Step two: the confirmed commit.
    let do_confirmed_commit = move |_| {
        let Some((_, _, typed)) = confirming.get() else {
            return;
        };
        error.set(None);
        let request = CommitRequest { witness: typed };
        let key = commit_key.get();
        spawn_local(async move {
            match api::commit_task(id(), &key, request).await {
                Ok(_) => {
                    commit_key.set(random_hex::<16>());
                    confirming.set(None);
                    preview.set(None);
                    load();
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    let do_void = move |draw_id: i64| {
        let Ok(Some(reason)) = window().prompt_with_message(lang.t(VOID_PROMPT)()) else {
            return;
        };
        spawn_local(async move {
            match api::void_draw(draw_id, VoidRequest { reason }).await {
                Ok(_) => load(),
                Err(err) => error.set(Some(err.message)),
            }
        });
    };

    view! {
        <section class="task">
            {move || error.get().map(|text| view! { <p class="error" role="alert" data-testid="task-error">{text}</p> })}
            {move || task.get().map(|t| {
                let live_draw = t.draws.iter().find(|d| d.void.is_none()).cloned();
                view! {
                    <h1>{t.name.clone()}</h1>
                    <p>
                        {format!("{}-Q{} · ", t.period.year, t.period.quarter)}
                        <span data-testid="task-status">{move || labels::task_status(lang.get(), t.status)}</span>
                    </p>
                    <TaskSettings spec=t.spec.clone() />
                    {t.sealed_hash.map(|hash| view! {
                        <p>{lang.t(SEALED_HASH)} ": " <code data-testid="sealed-hash">{hash.to_hex()}</code></p>
                    })}
                    {t.draws.iter().map(|draw| {
                        let draw_id = draw.id;
                        view! {
                            <div class="draw-summary" data-testid="task-draw">
                                <A href=format!("/draws/{}", draw.id)>{format!("#{} (attempt {})", draw.id, draw.attempt)}</A>
                                " · " <code>{draw.result_hash.to_hex()[..16].to_owned()}</code>
                                {draw.void.clone().map(|v| view! { <span class="error">" " {lang.t(VOIDED)} {v.reason}</span> })}
                                {(draw.void.is_none() && can_manage()).then(|| view! {
                                    " " <button class="link-button" on:click=move |_| do_void(draw_id)>{lang.t(VOID)}</button>
                                })}
                            </div>
                        }
                    }).collect_view()}
                    {live_draw.map(|draw| view! {
                        <p class="success" data-testid="committed">
                            {lang.t(COMMITTED)} <A href=format!("/draws/{}", draw.id)>{lang.t(VIEW_PUBLIC)}</A>
                        </p>
                    })}
                    {(can_manage() && t.status == TaskStatus::Draft).then(|| view! {
                        <p class="hint">{lang.t(SEAL_NOTE)}</p>
                        <p class="toolbar">
                            <button data-testid="preview" on:click=do_preview>{lang.t(PREVIEW)}</button>
                            <button data-testid="seal" on:click=do_seal>{lang.t(SEAL)}</button>
                        </p>
                    })}
                    {(can_manage() && t.status != TaskStatus::Draft && t.draws.iter().all(|d| d.void.is_some())).then(|| view! {
                        <form class="form inline" on:submit=do_commit data-testid="commit-form">
                            <label><span>{lang.t(WITNESS)}</span><input name="witness" inputmode="numeric" bind:value=witness /></label>
                            <button type="submit" data-testid="commit">{lang.t(COMMIT)}</button>
                        </form>
                    })}
                    {move || confirming.get().map(|(summary, rules, _)| {
                        let all_teamed = summary.unteamed == 0;
                        view! {
                            <div class="confirm" role="dialog" aria-modal="false" data-testid="commit-confirm">
                                <p><strong>{lang.t(CONFIRM_TITLE)}</strong></p>
                                {all_teamed.then(|| view! { <p>{lang.t(CONFIRM_ALL_TEAMED)}</p> })}
                                <UnteamedBanner summary=summary rules=rules />
                                <p class="toolbar">
                                    <button data-testid="confirm-commit" on:click=do_confirmed_commit>{lang.t(CONFIRM_COMMIT)}</button>
                                    <button class="link-button" data-testid="cancel-commit" on:click=move |_| confirming.set(None)>{lang.t(CANCEL)}</button>
                                </p>
                            </div>
                        }
                    })}
                }
            })}
            {move || committed.get().map(|draw| view! {
                <div class="committed-result" data-testid="committed-result">
                    <h2>{lang.t(COMMITTED_RESULT)} {format!(" #{}", draw.draw.id)}</h2>
                    <DrawResultView input=draw.bundle.input.clone() result=draw.bundle.result.clone() />
                </div>
            })}
            {move || preview.get().map(|(input, result, unknown)| view! {
                <div class="preview" data-testid="preview-result">
                    <p class="notice">{lang.t(PREVIEW_NOTE)}</p>
                    {(!unknown.is_empty()).then(|| view! { <p class="error">{lang.t(UNKNOWN_EXCLUSIONS)} {unknown.join("、")}</p> })}
                    <DrawResultView input=input result=result />
                </div>
            })}
            {move || task.get().is_none().then(|| view! { <p class="loading">{lang.t(common::LOADING)}</p> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::witness_digits;

    #[test]
    fn witness_digits_may_contain_spaces() {
        assert_eq!(witness_digits("31 41 59"), Some("314159".to_owned()));
        assert_eq!(witness_digits(" 271828 "), Some("271828".to_owned()));
        assert_eq!(witness_digits("   "), None);
    }
}
