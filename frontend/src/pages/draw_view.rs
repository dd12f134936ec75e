//! Rendering a draw result: counts per section and stratum, then the inspections with their
//! objects, reasons and teams. Used by the preview, the task page and the public draw page.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shared::draw::{DrawInput, DrawResult, SelectedBy, TeamOutcome, TeamRule};
use shared::labels;

use crate::app::use_lang;
use crate::i18n::{Lang, Tr, tr};

const COUNTS: Tr = tr("抽取数量", "Counts");
const SECTION: Tr = tr("科室", "Section");
const STRATUM: Tr = tr("分层", "Stratum");
const ELIGIBLE: Tr = tr("可抽对象", "Eligible");
const TARGET: Tr = tr("应抽", "Target");
const DRAWN: Tr = tr("已抽", "Drawn");
const GUARANTEE: Tr = tr("年度全覆盖保障补抽", "Added by the annual guarantee");
const SELECTED: Tr = tr("抽中的检查对象", "Drawn objects");
const RANK: Tr = tr("序位", "Rank");
const OBJECT: Tr = tr("检查对象", "Object");
const CATEGORY: Tr = tr("类别", "Category");
const WHY: Tr = tr("抽取依据", "Why");
const TEAM: Tr = tr("检查组", "Team");
const JOINT: Tr = tr("联合检查", "joint");
const BY_STRATUM: Tr = tr("分层随机", "stratum");
const BY_GUARANTEE: Tr = tr("年度保障", "annual guarantee");
const LEAD: Tr = tr("（组长）", " (lead)");
const INFEASIBLE: Tr = tr("无法组队", "No team");

/// Why a team could not be formed, in words.
pub fn infeasible_reason(lang: Lang, rule: TeamRule, required: u32, available: u32) -> String {
    let rule = match (lang, rule) {
        (Lang::Zh, TeamRule::EnforcementCertificate) => "组长须持执法证",
        (Lang::Zh, TeamRule::LeadRotation) => "组长须轮换",
        (Lang::Zh, TeamRule::TeamSize) => "检查组人数",
        (Lang::En, TeamRule::EnforcementCertificate) => "the lead needs an enforcement certificate",
        (Lang::En, TeamRule::LeadRotation) => "the lead must rotate",
        (Lang::En, TeamRule::TeamSize) => "team size",
    };
    match lang {
        Lang::Zh => format!("{rule}：需要 {required} 人，符合条件的只有 {available} 人"),
        Lang::En => format!("{rule}: needs {required}, only {available} eligible"),
    }
}

#[component]
pub fn DrawResultView(input: DrawInput, result: DrawResult) -> impl IntoView {
    let lang = use_lang();
    let objects: BTreeMap<_, _> = input
        .objects
        .iter()
        .map(|o| (o.id, o.name.clone()))
        .collect();
    let inspectors: BTreeMap<_, _> = input
        .inspectors
        .iter()
        .map(|i| (i.id, i.name.clone()))
        .collect();
    let strata_rows: Vec<_> = result
        .sections
        .iter()
        .flat_map(|section| {
            let code = section.section.to_string();
            let guarantee = section.guarantee.as_ref().map(|g| g.added).unwrap_or(0);
            section.strata.iter().map(move |stratum| {
                (
                    code.clone(),
                    stratum.name.to_string(),
                    stratum.eligible,
                    stratum.target,
                    stratum.drawn,
                    guarantee,
                )
            })
        })
        .collect();
    let rows: Vec<_> = result
        .inspections
        .iter()
        .map(|inspection| {
            let name = objects
                .get(&inspection.object)
                .cloned()
                .unwrap_or_else(|| inspection.object.to_string());
            let why: Vec<(String, bool)> = inspection
                .draws
                .iter()
                .map(|draw| {
                    (
                        draw.section.to_string(),
                        draw.selected_by == SelectedBy::AnnualGuarantee,
                    )
                })
                .collect();
            let team = match &inspection.team {
                TeamOutcome::Assigned { lead, members, .. } => Ok(members
                    .iter()
                    .map(|member| {
                        (
                            inspectors
                                .get(member)
                                .cloned()
                                .unwrap_or_else(|| member.to_string()),
                            member == lead,
                        )
                    })
                    .collect::<Vec<_>>()),
                TeamOutcome::Infeasible {
                    rule,
                    required,
                    available,
                    ..
                } => Err((*rule, *required, *available)),
            };
            (
                inspection.rank,
                name,
                inspection.category,
                inspection.joint,
                why,
                team,
            )
        })
        .collect();
    view! {
        <h3>{lang.t(COUNTS)}</h3>
        <table class="data-table" data-testid="strata-table">
            <thead><tr>
                <th>{lang.t(SECTION)}</th><th>{lang.t(STRATUM)}</th><th>{lang.t(ELIGIBLE)}</th>
                <th>{lang.t(TARGET)}</th><th>{lang.t(DRAWN)}</th><th>{lang.t(GUARANTEE)}</th>
            </tr></thead>
            <tbody>
                {strata_rows.into_iter().map(|(code, name, eligible, target, drawn, guarantee)| view! {
                    <tr>
                        <td>{move || labels::section(lang.get(), &code)}</td><td class="code">{name}</td>
                        <td>{eligible}</td><td>{target}</td><td>{drawn}</td><td>{guarantee}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h3>{lang.t(SELECTED)} " (" {result.inspections.len()} ")"</h3>
        <table class="data-table" data-testid="selection-table">
            <thead><tr>
                <th>{lang.t(RANK)}</th><th>{lang.t(OBJECT)}</th><th>{lang.t(CATEGORY)}</th>
                <th>{lang.t(WHY)}</th><th>{lang.t(TEAM)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|(rank, name, category, joint, why, team)| view! {
                    <tr data-testid="selection-row">
                        <td class="code">{rank}</td>
                        <td>{name} {joint.then(|| view! { <span class="badge">{lang.t(JOINT)}</span> })}</td>
                        <td>{move || labels::category(lang.get(), category)}</td>
                        <td>{why.into_iter().map(|(section, guarantee)| view! {
                            <div>{move || labels::section(lang.get(), &section)} " · "
                                {if guarantee { lang.t(BY_GUARANTEE)() } else { lang.t(BY_STRATUM)() }}</div>
                        }).collect_view()}</td>
                        <td>{match team {
                            Ok(members) => members.into_iter().map(|(member, lead)| view! {
                                <span class="member">{member}{lead.then(|| lang.t(LEAD))}</span>
                            }).collect_view().into_any(),
                            Err((rule, required, available)) => view! {
                                <span class="error">{lang.t(INFEASIBLE)} ": " {move || infeasible_reason(lang.get(), rule, required, available)}</span>
                            }.into_any(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
