use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::use_lang;
use crate::i18n::Key;

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="home">
            <h1>{lang.t(Key::AppTagline)}</h1>
            <p>{lang.t(Key::HomeIntro)}</p>
            <p><A href="/checklist">{lang.t(Key::NavChecklist)}</A></p>
        </section>
    }
}
