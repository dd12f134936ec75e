use leptos::prelude::*;
use shared::checklist::ChecklistItem;

use crate::api;
use crate::app::use_lang;
use crate::i18n::{Tr, common, tr};

const TITLE: Tr = tr("随机抽查事项清单", "Checklist of inspection items");
const INTRO: Tr = tr(
    "年度抽查须覆盖清单全部事项。",
    "Each year's inspections must cover every item.",
);
const COL_CODE: Tr = tr("编号", "Code");
const COL_SECTION: Tr = tr("责任科室", "Section");
const COL_CONTENT: Tr = tr("抽查内容", "What is checked");
const COL_BASIS: Tr = tr("依据", "Legal basis");

#[component]
pub fn ChecklistPage() -> impl IntoView {
    let lang = use_lang();
    let items = LocalResource::new(api::fetch_checklist);
    view! {
        <section class="checklist">
            <h1>{lang.t(TITLE)}</h1>
            <p class="hint">{lang.t(INTRO)}</p>
            <Transition fallback=move || view! { <p class="loading">{lang.t(common::LOADING)}</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(response) if response.items.is_empty() => {
                            view! { <p class="empty">{lang.t(common::EMPTY)}</p> }.into_any()
                        }
                        Ok(response) => view! { <ChecklistTable items=response.items /> }.into_any(),
                        Err(err) => view! {
                            <p class="error" role="alert">
                                {lang.t(common::LOAD_FAILED)} ": " {err.message}
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ChecklistTable(items: Vec<ChecklistItem>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="data-table" data-testid="checklist-table">
            <thead>
                <tr>
                    <th>{lang.t(COL_CODE)}</th>
                    <th>{lang.t(COL_SECTION)}</th>
                    <th>{lang.t(COL_CONTENT)}</th>
                    <th>{lang.t(COL_BASIS)}</th>
                </tr>
            </thead>
            <tbody>
                {items
                    .into_iter()
                    .map(|item| {
                        view! {
                            <tr data-testid="checklist-row">
                                <td class="code">{item.code}</td>
                                <td>{item.section}</td>
                                <td>{item.content}</td>
                                <td class="basis">{item.legal_basis}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
