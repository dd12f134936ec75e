//! 抽取结果公示: every committed draw, public; each with everything needed to verify it, and a
//! button that recomputes it in the visitor's own browser.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::api::{DrawSummary, PublicDraw};
use shared::draw::{SeedParts, verify_bundle};

use crate::api;
use crate::app::{use_id_param, use_lang};
use crate::i18n::{Tr, common, tr};
use crate::pages::draw_view::DrawResultView;

const TITLE: Tr = tr("抽取结果公示", "Published draws");
const INTRO: Tr = tr(
    "每次正式抽取都由公开的输入和任何人都无法单独控制的种子决定。任何人都可以在自己的浏览器中重新计算并核对。",
    "Every draw is decided by published inputs and a seed no single person controls. Anyone can recompute it in their own browser.",
);
const TASK: Tr = tr("抽查任务", "Task");
const PERIOD: Tr = tr("期间", "Period");
const COMMITTED_AT: Tr = tr("抽取时间（UTC）", "Drawn at (UTC)");
const SELECTED: Tr = tr("抽中对象数", "Objects drawn");
const STATE: Tr = tr("状态", "State");
const VALID: Tr = tr("有效", "valid");
const VOIDED: Tr = tr("已作废", "void");
const VOID_REASON: Tr = tr("作废理由", "Reason for voiding");
const SEALED_HASH: Tr = tr("封存输入哈希", "Sealed input hash");
const SERVER_ENTROPY: Tr = tr("服务器随机数", "Server entropy");
const WITNESS: Tr = tr("见证随机数", "Witness entropy");
const NONE: Tr = tr("无", "none");
const SEED: Tr = tr("种子", "Seed");
const ALGORITHM: Tr = tr("算法版本", "Algorithm version");
const RESULT_HASH: Tr = tr("结果哈希", "Result hash");
const VERIFY: Tr = tr("在本机复核", "Verify in this browser");
const VERIFIED: Tr = tr(
    "✓ 复核一致：本机重新计算的结果与公布结果逐位相同",
    "✓ Verified: this browser's recomputation equals the published result bit for bit",
);
const MISMATCH: Tr = tr("✗ 复核不一致：", "✗ Mismatch: ");
const DOWNLOAD: Tr = tr(
    "下载复核包（供 suicha verify 使用）",
    "Download the bundle (for suicha verify)",
);

#[component]
pub fn DrawsPage() -> impl IntoView {
    let lang = use_lang();
    let draws = RwSignal::new(Vec::<DrawSummary>::new());
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::fetch_public_draws().await {
            Ok(list) => draws.set(list.draws),
            Err(err) => error.set(Some(err.message)),
        }
    });
    view! {
        <section class="draws">
            <h1>{lang.t(TITLE)}</h1>
            <p class="hint">{lang.t(INTRO)}</p>
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            <table class="data-table" data-testid="draws-table">
                <thead><tr>
                    <th>{lang.t(TASK)}</th><th>{lang.t(PERIOD)}</th><th>{lang.t(COMMITTED_AT)}</th>
                    <th>{lang.t(SELECTED)}</th><th>{lang.t(STATE)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || draws.get() key=|d| (d.id, d.void.is_some()) let:draw>
                        <tr data-testid="draw-row">
                            <td><A href=format!("/draws/{}", draw.id)>{draw.task_name.clone()}</A></td>
                            <td>{format!("{}-Q{}", draw.period.year, draw.period.quarter)}</td>
                            <td class="code">{draw.committed_at.clone()}</td>
                            <td>{draw.selected}</td>
                            <td>{if draw.void.is_some() { lang.t(VOIDED)() } else { lang.t(VALID)() }}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </section>
    }
}

/// A `data:` URL with the bundle's JSON, for the download link.
fn bundle_download(draw: &PublicDraw) -> String {
    let json = serde_json::to_string_pretty(&draw.bundle).unwrap_or_default();
    let encoded: String = json
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("data:application/json;charset=utf-8,{encoded}")
}

#[component]
pub fn DrawPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let draw = RwSignal::new(None::<PublicDraw>);
    let error = RwSignal::new(None::<String>);
    let verdict = RwSignal::new(None::<Result<(), String>>);
    spawn_local(async move {
        match api::fetch_public_draw(id()).await {
            Ok(d) => draw.set(Some(d)),
            Err(err) => error.set(Some(err.message)),
        }
    });
    let verify = move |_| {
        if let Some(d) = draw.get_untracked() {
            verdict.set(Some(
                verify_bundle(&d.bundle)
                    .map(|_| ())
                    .map_err(|err| err.to_string()),
            ));
        }
    };
    view! {
        <section class="draw">
            {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            {move || draw.get().map(|d| {
                let (entropy, witness) = match &d.bundle.seed_parts {
                    SeedParts::Commit { server_entropy, witness } => (server_entropy.to_hex(), witness.clone()),
                    SeedParts::Preview { preview_entropy } => (preview_entropy.to_hex(), None),
                };
                let download = bundle_download(&d);
                let file_name = format!("suicha-draw-{}.json", d.draw.id);
                view! {
                    <h1>{d.draw.task_name.clone()}</h1>
                    <p>{format!("{}-Q{} · #{} · attempt {}", d.draw.period.year, d.draw.period.quarter, d.draw.id, d.draw.attempt)}</p>
                    {d.draw.void.clone().map(|v| view! {
                        <p class="notice" data-testid="void-notice">{lang.t(VOIDED)} " · " {lang.t(VOID_REASON)} ": " {v.reason}</p>
                    })}
                    <dl class="facts">
                        <dt>{lang.t(SEALED_HASH)}</dt><dd><code>{d.draw.sealed_hash.to_hex()}</code></dd>
                        <dt>{lang.t(SERVER_ENTROPY)}</dt><dd><code>{entropy}</code></dd>
                        <dt>{lang.t(WITNESS)}</dt><dd><code>{witness.unwrap_or_else(|| lang.t(NONE)().to_owned())}</code></dd>
                        <dt>{lang.t(SEED)}</dt><dd><code data-testid="seed">{d.draw.seed.to_hex()}</code></dd>
                        <dt>{lang.t(ALGORITHM)}</dt><dd>{format!("v{}", d.draw.algorithm_version)}</dd>
                        <dt>{lang.t(RESULT_HASH)}</dt><dd><code data-testid="result-hash">{d.draw.result_hash.to_hex()}</code></dd>
                        <dt>{lang.t(COMMITTED_AT)}</dt><dd>{d.draw.committed_at.clone()}</dd>
                    </dl>
                    <p class="toolbar">
                        <button data-testid="verify" on:click=verify>{lang.t(VERIFY)}</button>
                        <a href=download download=file_name>{lang.t(DOWNLOAD)}</a>
                    </p>
                    {move || verdict.get().map(|v| match v {
                        Ok(()) => view! { <p class="success" data-testid="verdict">{lang.t(VERIFIED)}</p> }.into_any(),
                        Err(message) => view! { <p class="error" data-testid="verdict">{lang.t(MISMATCH)} {message}</p> }.into_any(),
                    })}
                    <DrawResultView input=d.bundle.input.clone() result=d.bundle.result.clone() />
                }
            })}
            {move || (draw.get().is_none() && error.get().is_none()).then(|| view! { <p class="loading">{lang.t(common::LOADING)}</p> })}
        </section>
    }
}
