//! One draw task: preview in the browser (not binding), seal, commit with witness digits, and
//! the task's draws.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::api::{CommitRequest, Task, TaskStatus, VoidRequest};
use shared::authz::{Action, allowed};
use shared::draw::{Digest32, DrawInput, DrawResult, SealedInput, SeedParts};
use shared::labels;

use crate::api;
use crate::app::{RequireAction, use_auth, use_id_param, use_lang};
use crate::i18n::{Tr, common, tr};
use crate::pages::draw_view::DrawResultView;

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
    "见证随机数（如现场掷骰所得数字，可选）",
    "Witness entropy (e.g. dice digits typed in public; optional)",
);
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
    let load = move || {
        spawn_local(async move {
            match api::fetch_task(id()).await {
                Ok(t) => task.set(Some(t)),
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
    let do_commit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let typed = witness.get().trim().to_owned();
        let request = CommitRequest {
            witness: (!typed.is_empty()).then_some(typed),
        };
        let key = commit_key.get();
        spawn_local(async move {
            match api::commit_task(id(), &key, request).await {
                Ok(_) => {
                    commit_key.set(random_hex::<16>());
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
                            <button type="submit">{lang.t(COMMIT)}</button>
                        </form>
                    })}
                }
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
