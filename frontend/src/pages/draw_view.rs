//! Rendering a draw result: counts per section and stratum, then the inspections with their
//! objects, reasons and teams. Used by the preview, the task page and the public draw page.

use std::collections::BTreeMap;

use leptos::prelude::*;
use shared::draw::{
    DrawInput, DrawResult, ExcludedInspectors, SelectedBy, TeamOutcome, TeamRule, TeamRules,
};
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

/// The limit that left one object without a team: the exclusion that set the most inspectors
/// aside (without it the team could have been formed), or the rule itself when nobody was set
/// aside (the directory has too few inspectors who meet it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingLimit {
    /// Every eligible inspector already has `max_assignments_per_draw` tasks in this draw.
    PerInspectorCap,
    SameRegion,
    Conflict,
    Inactive,
    /// The certified inspectors left were last time's lead.
    LastLead,
    /// Too few inspectors meet the rule at all.
    Rule(TeamRule),
}

impl BindingLimit {
    /// The banner's order among limits that leave as many objects without a team.
    fn rank(self) -> u8 {
        match self {
            BindingLimit::PerInspectorCap => 0,
            BindingLimit::SameRegion => 1,
            BindingLimit::Conflict => 2,
            BindingLimit::Inactive => 3,
            BindingLimit::LastLead => 4,
            BindingLimit::Rule(TeamRule::EnforcementCertificate) => 5,
            BindingLimit::Rule(TeamRule::LeadRotation) => 6,
            BindingLimit::Rule(TeamRule::TeamSize) => 7,
        }
    }
}

/// Which limit binds for one object without a team.
pub fn binding_limit(rule: TeamRule, excluded: &ExcludedInspectors) -> BindingLimit {
    let candidates = [
        (excluded.per_draw_cap, BindingLimit::PerInspectorCap),
        (excluded.same_region, BindingLimit::SameRegion),
        (excluded.conflict, BindingLimit::Conflict),
        (excluded.inactive, BindingLimit::Inactive),
        (excluded.last_lead, BindingLimit::LastLead),
    ];
    // The largest count wins; on a tie the earlier (the cap first).
    let mut best: Option<(u32, BindingLimit)> = None;
    for (count, limit) in candidates {
        if count > 0 && best.is_none_or(|(most, _)| count > most) {
            best = Some((count, limit));
        }
    }
    best.map_or(BindingLimit::Rule(rule), |(_, limit)| limit)
}

/// The limit in words, with the draw's own numbers.
pub fn binding_limit_text(lang: Lang, limit: BindingLimit, rules: &TeamRules) -> String {
    let cap = rules.max_assignments_per_draw;
    match (lang, limit) {
        (Lang::Zh, BindingLimit::PerInspectorCap) => {
            format!("每名检查人员每次抽取最多 {cap} 项任务，符合条件的人员已满额")
        }
        (Lang::En, BindingLimit::PerInspectorCap) => format!(
            "at most {cap} tasks per inspector in one draw, and every eligible inspector has them"
        ),
        (Lang::Zh, BindingLimit::SameRegion) => "不得派往本人所在区域".to_owned(),
        (Lang::En, BindingLimit::SameRegion) => {
            "no inspector from the object's own region".to_owned()
        }
        (Lang::Zh, BindingLimit::Conflict) => "回避".to_owned(),
        (Lang::En, BindingLimit::Conflict) => "conflicts of interest (回避)".to_owned(),
        (Lang::Zh, BindingLimit::Inactive) => "人员已停用".to_owned(),
        (Lang::En, BindingLimit::Inactive) => "inspectors deactivated".to_owned(),
        (Lang::Zh, BindingLimit::LastLead) => "组长须轮换，持证人员上次已任组长".to_owned(),
        (Lang::En, BindingLimit::LastLead) => {
            "the lead must rotate and the certified inspectors led last time".to_owned()
        }
        (Lang::Zh, BindingLimit::Rule(TeamRule::EnforcementCertificate)) => {
            "组长须持执法证，持证人员不足".to_owned()
        }
        (Lang::En, BindingLimit::Rule(TeamRule::EnforcementCertificate)) => {
            "the lead needs an enforcement certificate, and too few hold one".to_owned()
        }
        (Lang::Zh, BindingLimit::Rule(TeamRule::LeadRotation)) => "组长须轮换".to_owned(),
        (Lang::En, BindingLimit::Rule(TeamRule::LeadRotation)) => "the lead must rotate".to_owned(),
        (Lang::Zh, BindingLimit::Rule(TeamRule::TeamSize)) => {
            format!("每组 {} 人，人员不足", rules.team_size)
        }
        (Lang::En, BindingLimit::Rule(TeamRule::TeamSize)) => {
            format!("teams of {}, and too few inspectors", rules.team_size)
        }
    }
}

/// What a draw will fail to do: how many of its objects get no team, by binding limit (most
/// objects first, then in the order of [`BindingLimit`]'s variants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnteamedSummary {
    pub unteamed: usize,
    pub total: usize,
    pub by_limit: Vec<(BindingLimit, usize)>,
}

impl UnteamedSummary {
    pub fn of(result: &DrawResult) -> UnteamedSummary {
        let mut counts: BTreeMap<u8, (BindingLimit, usize)> = BTreeMap::new();
        for inspection in &result.inspections {
            if let TeamOutcome::Infeasible { rule, excluded, .. } = &inspection.team {
                let limit = binding_limit(*rule, excluded);
                counts.entry(limit.rank()).or_insert((limit, 0)).1 += 1;
            }
        }
        let mut by_limit: Vec<(BindingLimit, usize)> = counts.into_values().collect();
        by_limit.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.rank().cmp(&b.0.rank())));
        UnteamedSummary {
            unteamed: by_limit.iter().map(|(_, count)| count).sum(),
            total: result.inspections.len(),
            by_limit,
        }
    }

    /// The banner's headline: "136 / 311 个检查对象（44%）无法组队".
    pub fn headline(&self, lang: Lang) -> String {
        let percent = (self.unteamed * 100)
            .checked_div(self.total)
            .unwrap_or_default();
        match lang {
            Lang::Zh => format!(
                "{} / {} 个检查对象（{percent}%）无法组队，正式抽取后将没有检查组：",
                self.unteamed, self.total
            ),
            Lang::En => format!(
                "{} of {} objects ({percent}%) get no team and would be committed without one:",
                self.unteamed, self.total
            ),
        }
    }

    /// One line per binding limit: "每名检查人员每次抽取最多 10 项任务…：136 个".
    pub fn lines(&self, lang: Lang, rules: &TeamRules) -> Vec<String> {
        self.by_limit
            .iter()
            .map(|(limit, count)| match lang {
                Lang::Zh => format!("{}：{count} 个", binding_limit_text(lang, *limit, rules)),
                Lang::En => format!("{}: {count}", binding_limit_text(lang, *limit, rules)),
            })
            .collect()
    }
}

/// The banner over a draw result when some objects get no team (nothing when all do).
#[component]
pub fn UnteamedBanner(summary: UnteamedSummary, rules: TeamRules) -> impl IntoView {
    let lang = use_lang();
    (summary.unteamed > 0).then(|| {
        let headline = summary.clone();
        view! {
            <div class="banner warning" role="alert" data-testid="unteamed-banner">
                <p>{move || headline.headline(lang.get())}</p>
                <ul>
                    {move || summary.lines(lang.get(), &rules).into_iter().map(|line| view! {
                        <li data-testid="unteamed-reason">{line}</li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
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
                    excluded,
                } => Err((*rule, *required, *available, binding_limit(*rule, excluded))),
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
    let summary = UnteamedSummary::of(&result);
    let rules = input.spec.team_rules;
    view! {
        <UnteamedBanner summary=summary rules=rules />
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
                            Err((rule, required, available, limit)) => view! {
                                <span class="error" data-testid="infeasible-reason">{lang.t(INFEASIBLE)} ": "
                                    {move || match limit {
                                        BindingLimit::Rule(_) => infeasible_reason(lang.get(), rule, required, available),
                                        limit => binding_limit_text(lang.get(), limit, &rules),
                                    }}
                                </span>
                            }.into_any(),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(per_draw_cap: u32, same_region: u32, last_lead: u32) -> ExcludedInspectors {
        ExcludedInspectors {
            per_draw_cap,
            same_region,
            last_lead,
            ..ExcludedInspectors::default()
        }
    }

    #[test]
    fn the_limit_that_set_most_inspectors_aside_binds() {
        // Issue 16: "组长须持执法证…0 人" hid that every inspector had their 10 tasks.
        assert_eq!(
            binding_limit(TeamRule::EnforcementCertificate, &excluded(24, 0, 0)),
            BindingLimit::PerInspectorCap
        );
        assert_eq!(
            binding_limit(TeamRule::TeamSize, &excluded(2, 5, 0)),
            BindingLimit::SameRegion
        );
        assert_eq!(
            binding_limit(TeamRule::LeadRotation, &excluded(1, 0, 1)),
            BindingLimit::PerInspectorCap,
            "a tie goes to the cap"
        );
        assert_eq!(
            binding_limit(TeamRule::EnforcementCertificate, &excluded(0, 0, 0)),
            BindingLimit::Rule(TeamRule::EnforcementCertificate)
        );
    }

    #[test]
    fn the_per_inspector_limit_is_named_with_its_number() {
        let rules = TeamRules {
            team_size: 2,
            max_team_size: 2,
            exclude_same_region: false,
            rotate_lead: true,
            max_assignments_per_draw: 10,
        };
        let zh = binding_limit_text(Lang::Zh, BindingLimit::PerInspectorCap, &rules);
        assert!(zh.contains("最多 10 项任务"), "{zh}");
        let en = binding_limit_text(Lang::En, BindingLimit::PerInspectorCap, &rules);
        assert!(en.contains("at most 10 tasks per inspector"), "{en}");
        let summary = UnteamedSummary {
            unteamed: 136,
            total: 311,
            by_limit: vec![
                (BindingLimit::PerInspectorCap, 130),
                (BindingLimit::SameRegion, 6),
            ],
        };
        assert_eq!(
            summary.headline(Lang::Zh),
            "136 / 311 个检查对象（43%）无法组队，正式抽取后将没有检查组："
        );
        assert_eq!(
            summary.lines(Lang::Zh, &rules),
            vec![
                "每名检查人员每次抽取最多 10 项任务，符合条件的人员已满额：130 个".to_owned(),
                "不得派往本人所在区域：6 个".to_owned(),
            ]
        );
    }
}
