use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::use_lang;
use crate::i18n::{Tr, common, tr};

const INTRO: Tr = tr(
    "随机抽取检查对象，随机选派执法检查人员，抽查情况及查处结果及时向社会公开。每一次抽取都可由任何人复核。",
    "Inspection targets and inspectors are drawn at random, and results are published. Anyone can re-verify every draw.",
);
const TO_CHECKLIST: Tr = tr("查看抽查事项清单", "See the checklist of inspection items");

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="home">
            <h1>{lang.t(common::APP_TAGLINE)}</h1>
            <p>{lang.t(INTRO)}</p>
            <p><A href="/checklist">{lang.t(TO_CHECKLIST)}</A></p>
        </section>
    }
}
