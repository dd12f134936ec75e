//! The application shell: header, language toggle, routes.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::i18n::{Key, Lang, STORAGE_KEY, text};
use crate::pages::{checklist::ChecklistPage, home::HomePage};

/// The chosen interface language, provided as context to every page.
#[derive(Clone, Copy)]
pub struct UiLang(pub RwSignal<Lang>);

impl UiLang {
    /// A reactive translation of `key` in the current language.
    pub fn t(self, key: Key) -> impl Fn() -> &'static str + Copy + 'static {
        move || text(self.0.get(), key)
    }
}

/// Reads the language context provided by [`App`].
pub fn use_lang() -> UiLang {
    expect_context::<UiLang>()
}

fn stored_lang() -> Lang {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    Lang::from_code(stored.as_deref())
}

fn store_lang(lang: Lang) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, lang.code());
    }
}

#[component]
pub fn App() -> impl IntoView {
    let lang = UiLang(RwSignal::new(stored_lang()));
    provide_context(lang);
    Effect::new(move |_| {
        let current = lang.0.get();
        store_lang(current);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", if current == Lang::Zh { "zh-CN" } else { "en" });
        }
    });

    view! {
        <Router>
            <header class="site-header">
                <div class="brand">
                    <span class="brand-name">{lang.t(Key::AppName)}</span>
                    <span class="brand-tagline">{lang.t(Key::AppTagline)}</span>
                </div>
                <nav class="main-nav">
                    <A href="/">{lang.t(Key::NavHome)}</A>
                    <A href="/checklist">{lang.t(Key::NavChecklist)}</A>
                </nav>
                <button
                    class="lang-toggle"
                    data-testid="lang-toggle"
                    on:click=move |_| lang.0.update(|l| *l = l.toggled())
                >
                    {lang.t(Key::LangToggle)}
                </button>
            </header>
            <main class="content">
                <Routes fallback=move || view! { <p class="not-found">{lang.t(Key::NotFound)}</p> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/checklist") view=ChecklistPage />
                </Routes>
            </main>
        </Router>
    }
}
