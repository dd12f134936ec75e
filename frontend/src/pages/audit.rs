//! 审计日志: auditors and administrators browse, filter and verify the hash-chained log.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::audit::AuditEntry;
use shared::authz::Action;

use crate::api::{self, AuditFilter};
use crate::app::{RequireAction, use_lang};
use crate::i18n::{Tr, common, tr};

const TITLE: Tr = tr("审计日志", "Audit log");
const INTRO: Tr = tr(
    "每一次数据变更都记录在只能追加的日志中，每条记录都包含上一条记录的哈希值，任何改动都会被发现。",
    "Every change is appended to a log in which each entry carries the previous entry's hash, so any alteration is found.",
);
const ACTOR: Tr = tr("操作人", "Actor");
const ACTION: Tr = tr("操作（前缀）", "Action (prefix)");
const FROM: Tr = tr("起始日期", "From");
const TO: Tr = tr("截止日期", "To");
const FILTER: Tr = tr("筛选", "Filter");
const VERIFY: Tr = tr("校验哈希链", "Verify the hash chain");
const EXPORT: Tr = tr("导出 JSON", "Export JSON");
const MORE: Tr = tr("加载更早的记录", "Load older entries");
const CHAIN_OK: Tr = tr(
    "哈希链完整，共校验记录数：",
    "Chain intact; entries checked: ",
);
const CHAIN_BROKEN: Tr = tr("哈希链断裂：", "Chain broken: ");
const COL_SEQ: Tr = tr("序号", "#");
const COL_AT: Tr = tr("时间（UTC）", "Time (UTC)");
const COL_TARGET: Tr = tr("对象", "Target");
const COL_DETAIL: Tr = tr("说明", "Detail");
const COL_HASH: Tr = tr("哈希", "Hash");

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <RequireAction action=Action::ReadAuditLog>
            <AuditLog />
        </RequireAction>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let lang = use_lang();
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next_before = RwSignal::new(None::<u64>);
    let error = RwSignal::new(None::<String>);
    let verification = RwSignal::new(None::<(bool, String)>);

    let filter = move || AuditFilter {
        actor: actor.get(),
        action: action.get(),
        from: from.get(),
        to: to.get(),
    };
    let load = move |before: Option<u64>| {
        let filter = filter();
        spawn_local(async move {
            match api::fetch_audit(&filter, before).await {
                Ok(page) => {
                    error.set(None);
                    next_before.set(page.next_before);
                    if before.is_some() {
                        entries.update(|list| list.extend(page.entries));
                    } else {
                        entries.set(page.entries);
                    }
                }
                Err(err) => error.set(Some(err.message)),
            }
        });
    };
    load(None);
    let verify = move |_| {
        spawn_local(async move {
            let result = match api::verify_audit().await {
                Ok(v) => match v.broken {
                    None => (true, format!("{}{}", lang.t(CHAIN_OK)(), v.entries)),
                    Some(broken) => (false, format!("{}{broken}", lang.t(CHAIN_BROKEN)())),
                },
                Err(err) => (false, err.message),
            };
            verification.set(Some(result));
        });
    };

    view! {
        <section class="audit">
            <h1>{lang.t(TITLE)}</h1>
            <p class="hint">{lang.t(INTRO)}</p>
            <form class="form inline" on:submit=move |ev| { ev.prevent_default(); load(None); }>
                <label><span>{lang.t(ACTOR)}</span><input name="actor" bind:value=actor /></label>
                <label><span>{lang.t(ACTION)}</span><input name="action" placeholder="account." bind:value=action /></label>
                <label><span>{lang.t(FROM)}</span><input name="from" type="date" bind:value=from /></label>
                <label><span>{lang.t(TO)}</span><input name="to" type="date" bind:value=to /></label>
                <button type="submit">{lang.t(FILTER)}</button>
            </form>
            <p class="toolbar">
                <button data-testid="verify-chain" on:click=verify>{lang.t(VERIFY)}</button>
                " "
                <a href="/api/audit/export" download="suicha-audit-log.json">{lang.t(EXPORT)}</a>
            </p>
            {move || verification.get().map(|(ok, text)| view! {
                <p class=if ok { "success" } else { "error" } role="status" data-testid="chain-status">{text}</p>
            })}
            {move || error.get().map(|text| view! { <p class="error" role="alert">{lang.t(common::LOAD_FAILED)} ": " {text}</p> })}
            <table class="data-table" data-testid="audit-table">
                <thead>
                    <tr>
                        <th>{lang.t(COL_SEQ)}</th><th>{lang.t(COL_AT)}</th><th>{lang.t(ACTOR)}</th>
                        <th>{lang.t(ACTION)}</th><th>{lang.t(COL_TARGET)}</th><th>{lang.t(COL_DETAIL)}</th>
                        <th>{lang.t(COL_HASH)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || entries.get() key=|e| e.seq let:entry>
                        <tr data-testid="audit-row">
                            <td class="code">{entry.seq}</td>
                            <td class="code">{entry.at.clone()}</td>
                            <td>{entry.actor.clone()}</td>
                            <td class="code">{entry.action.clone()}</td>
                            <td class="code">{entry.target.clone()}</td>
                            <td>{entry.detail.clone()}</td>
                            <td class="code hash" title=entry.hash.to_hex()>{entry.hash.to_hex()[..12].to_owned()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
            {move || next_before.get().map(|before| view! {
                <button on:click=move |_| load(Some(before))>{lang.t(MORE)}</button>
            })}
        </section>
    }
}
