use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::api::SignInRequest;

use crate::api;
use crate::app::{use_auth, use_lang};
use crate::i18n::{Tr, common, tr};

const TITLE: Tr = tr("工作人员登录", "Staff sign-in");
const USERNAME: Tr = tr("用户名", "User name");
const PASSWORD: Tr = tr("密码", "Password");
const SIGNING_IN: Tr = tr("登录中…", "Signing in…");
const PUBLIC_NOTE: Tr = tr(
    "公众无需登录即可查看公开的抽查计划、抽查结果与复核信息。",
    "The public can read published plans, draws and results without signing in.",
);

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let auth = use_auth();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get() {
            return;
        }
        busy.set(true);
        error.set(None);
        let request = SignInRequest {
            username: username.get(),
            password: password.get(),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::sign_in(request).await {
                Ok(info) => {
                    auth.user.set(info.user);
                    password.set(String::new());
                    navigate("/", Default::default());
                }
                Err(err) => error.set(Some(err.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="sign-in narrow">
            <h1>{lang.t(TITLE)}</h1>
            <form on:submit=submit class="form" data-testid="sign-in-form">
                <label>
                    <span>{lang.t(USERNAME)}</span>
                    <input name="username" autocomplete="username" required bind:value=username />
                </label>
                <label>
                    <span>{lang.t(PASSWORD)}</span>
                    <input name="password" type="password" autocomplete="current-password" required bind:value=password />
                </label>
                {move || error.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
                <button type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { lang.t(SIGNING_IN)() } else { lang.t(common::SIGN_IN)() }}
                </button>
            </form>
            <p class="hint">{lang.t(PUBLIC_NOTE)}</p>
        </section>
    }
}
