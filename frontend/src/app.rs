//! The application shell: who is signed in, the header with the role's menu, the language
//! toggle, and the routes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;
use shared::api::UserInfo;
use shared::authz::{Action, Role, allowed};

use crate::api;
use crate::i18n::{Lang, STORAGE_KEY, Tr, common};
use crate::menu::menu_for;
use crate::outbox::Outbox;
use crate::pages::{
    account::AccountPage, accounts::AccountsPage, audit::AuditPage, calendar::CalendarPage,
    checklist::ChecklistPage, home::HomePage, sign_in::SignInPage,
};
use crate::pages::{
    deadlines::DeadlinesPage, inspection::InspectionPage, inspections::InspectionsPage,
    targeted::TargetedPage,
};
use crate::pages::{
    directory::{InspectorPage, InspectorsPage, ObjectPage, ObjectsPage},
    directory_import::ImportPage,
};
use crate::pages::{
    draws::{DrawPage, DrawsPage},
    reports::ReportsPage,
    statistics::StatisticsPage,
    task::TaskPage,
    tasks::TasksPage,
};
use crate::pages::{
    plan::{PlanPage, PlansPage},
    quarter::QuarterPage,
};

/// The chosen interface language, provided as context to every page.
#[derive(Clone, Copy)]
pub struct UiLang(pub RwSignal<Lang>);

impl UiLang {
    /// A reactive translation.
    pub fn t(self, text: Tr) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || text.get(self.0.get())
    }

    /// The current language, read reactively.
    pub fn get(self) -> Lang {
        self.0.get()
    }
}

/// Reads the language context provided by [`App`].
pub fn use_lang() -> UiLang {
    expect_context::<UiLang>()
}

/// Who is signed in, provided as context to every page.
#[derive(Clone, Copy)]
pub struct Auth {
    /// `None` until the first `GET /api/session` answers.
    pub loaded: RwSignal<bool>,
    pub user: RwSignal<Option<UserInfo>>,
}

impl Auth {
    /// The signed-in role, read reactively.
    pub fn role(self) -> Option<Role> {
        self.user.with(|user| user.as_ref().map(|user| user.role))
    }
}

/// The numeric `:id` of the current route (0 when absent or not a number, which the API
/// answers with `not_found`).
pub fn use_id_param() -> impl Fn() -> i64 + Copy + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || {
        params.with_untracked(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(0)
        })
    }
}

/// Reads the sign-in context provided by [`App`].
pub fn use_auth() -> Auth {
    expect_context::<Auth>()
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

fn role_name(lang: Lang, role: Role) -> &'static str {
    match lang {
        Lang::Zh => role.name_zh(),
        Lang::En => role.name_en(),
    }
}

#[component]
pub fn App() -> impl IntoView {
    let lang = UiLang(RwSignal::new(stored_lang()));
    provide_context(lang);
    let auth = Auth {
        loaded: RwSignal::new(false),
        user: RwSignal::new(None),
    };
    provide_context(auth);
    // Records submitted offline are sent when the network is back, and on the next visit once
    // the session (and its CSRF token) is known.
    let outbox = Outbox::new();
    provide_context(outbox);
    let _ = window_event_listener(leptos::ev::online, move |_| outbox.send_all());
    Effect::new(move |_| {
        let current = lang.0.get();
        store_lang(current);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", current.html_lang());
        }
    });
    spawn_local(async move {
        let user = api::fetch_session().await.ok().and_then(|info| info.user);
        let signed_in = user.is_some();
        auth.user.set(user);
        auth.loaded.set(true);
        if signed_in {
            outbox.send_all();
        }
    });

    view! {
        <Router>
            <Header />
            <main class="content">
                <Routes fallback=move || view! { <p class="not-found">{lang.t(common::NOT_FOUND)}</p> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/checklist") view=ChecklistPage />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/account") view=AccountPage />
                    <Route path=path!("/admin/accounts") view=AccountsPage />
                    <Route path=path!("/admin/calendar") view=CalendarPage />
                    <Route path=path!("/audit") view=AuditPage />
                    <Route path=path!("/tasks") view=TasksPage />
                    <Route path=path!("/tasks/:id") view=TaskPage />
                    <Route path=path!("/draws") view=DrawsPage />
                    <Route path=path!("/draws/:id") view=DrawPage />
                    <Route path=path!("/objects") view=ObjectsPage />
                    <Route path=path!("/objects/:id") view=ObjectPage />
                    <Route path=path!("/inspectors") view=InspectorsPage />
                    <Route path=path!("/inspectors/:id") view=InspectorPage />
                    <Route path=path!("/import") view=ImportPage />
                    <Route path=path!("/statistics") view=StatisticsPage />
                    <Route path=path!("/reports") view=ReportsPage />
                    <Route path=path!("/plans") view=PlansPage />
                    <Route path=path!("/plans/:id") view=PlanPage />
                    <Route path=path!("/quarter") view=QuarterPage />
                    <Route path=path!("/inspections") view=InspectionsPage />
                    <Route path=path!("/inspections/:id") view=InspectionPage />
                    <Route path=path!("/deadlines") view=DeadlinesPage />
                    <Route path=path!("/targeted") view=TargetedPage />
                </Routes>
            </main>
        </Router>
    }
}

const CHANGE_PASSWORD: Tr = crate::i18n::tr("修改密码", "Change password");

#[component]
fn Header() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = api::sign_out().await;
            auth.user.set(None);
            navigate("/", Default::default());
        });
    };
    view! {
        <header class="site-header">
            <div class="brand">
                <span class="brand-name">{lang.t(common::APP_NAME)}</span>
                <span class="brand-tagline">{lang.t(common::APP_TAGLINE)}</span>
            </div>
            <nav class="main-nav" data-testid="main-nav">
                {move || {
                    menu_for(auth.role())
                        .into_iter()
                        .map(|item| view! { <A href=item.path>{lang.t(item.label)}</A> })
                        .collect_view()
                }}
            </nav>
            <div class="user-box">
                {move || match auth.user.get() {
                    Some(user) => view! {
                        <span class="user-name" data-testid="user-name">{user.display_name.clone()}</span>
                        <span class="user-role" data-testid="user-role">{move || role_name(lang.get(), user.role)}</span>
                        <A href="/account">{lang.t(CHANGE_PASSWORD)}</A>
                        <button class="link-button" data-testid="sign-out" on:click=sign_out.clone()>
                            {lang.t(common::SIGN_OUT)}
                        </button>
                    }
                    .into_any(),
                    None => view! { <A href="/sign-in">{lang.t(common::SIGN_IN)}</A> }.into_any(),
                }}
            </div>
            <button
                class="lang-toggle"
                data-testid="lang-toggle"
                on:click=move |_| lang.0.update(|l| *l = l.toggled())
            >
                {lang.t(common::LANG_TOGGLE)}
            </button>
        </header>
    }
}

/// Shows its children only to callers allowed to perform `action`; tells others why not.
#[component]
pub fn RequireAction(action: Action, children: ChildrenFn) -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    move || {
        if !auth.loaded.get() {
            view! { <p class="loading">{lang.t(common::LOADING)}</p> }.into_any()
        } else if allowed(auth.role(), action) {
            children().into_any()
        } else if auth.role().is_none() {
            view! {
                <p class="notice" role="alert">
                    {lang.t(common::SIGN_IN_FIRST)} " " <A href="/sign-in">{lang.t(common::SIGN_IN)}</A>
                </p>
            }
            .into_any()
        } else {
            view! { <p class="notice" role="alert">{lang.t(common::NO_ACCESS)}</p> }.into_any()
        }
    }
}
