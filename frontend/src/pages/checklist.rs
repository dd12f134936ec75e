use leptos::prelude::*;
use shared::checklist::ChecklistItem;

use crate::api;
use crate::app::use_lang;
use crate::i18n::Key;

#[component]
pub fn ChecklistPage() -> impl IntoView {
    let lang = use_lang();
    let items = LocalResource::new(api::fetch_checklist);
    view! {
        <section class="checklist">
            <h1>{lang.t(Key::ChecklistTitle)}</h1>
            <p class="hint">{lang.t(Key::ChecklistIntro)}</p>
            <Transition fallback=move || view! { <p class="loading">{lang.t(Key::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(response) if response.items.is_empty() => {
                            view! { <p class="empty">{lang.t(Key::Empty)}</p> }.into_any()
                        }
                        Ok(response) => view! { <ChecklistTable items=response.items /> }.into_any(),
                        Err(err) => view! {
                            <p class="error" role="alert">
                                {lang.t(Key::LoadFailed)} ": " {err.message}
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
                    <th>{lang.t(Key::ColCode)}</th>
                    <th>{lang.t(Key::ColSection)}</th>
                    <th>{lang.t(Key::ColContent)}</th>
                    <th>{lang.t(Key::ColLegalBasis)}</th>
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
