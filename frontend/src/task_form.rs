//! The task form's logic, apart from the page: turning what staff type into a `DrawSpec`, with
//! a message naming the field when something is wrong. Tested natively.

use shared::checklist::ChecklistItem;
use shared::draw::{
    Category, DrawSpec, Period, RiskWeights, SectionId, SectionSpec, Stratum, StratumName,
    StratumSize, TagFilter, TagKind, TeamRules,
};
use shared::plan::PlanBody;
use shared::sections::section_by_name;

/// What the task form holds, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskForm {
    pub year: String,
    pub quarter: String,
    /// Section codes taking part.
    pub sections: Vec<String>,
    /// Percentages of each category's eligible objects, e.g. "5" or "2.5".
    pub general_percent: String,
    pub key_percent: String,
    pub special_percent: String,
    pub annual_guarantee: bool,
    /// Comma- or 、-separated regions for a targeted draw; empty for an unrestricted one.
    pub regions: String,
    pub industries: String,
    pub team_size: String,
    pub max_team_size: String,
    pub exclude_same_region: bool,
    pub rotate_lead: bool,
    pub max_assignments: String,
    pub yearly_cap: String,
    /// The risk-weight table: the recommended one, or the year's plan's.
    pub risk_weights: RiskWeights,
}

impl Default for TaskForm {
    fn default() -> Self {
        TaskForm {
            year: "2026".to_owned(),
            quarter: "4".to_owned(),
            sections: Vec::new(),
            general_percent: "5".to_owned(),
            key_percent: "25".to_owned(),
            special_percent: "50".to_owned(),
            annual_guarantee: true,
            regions: String::new(),
            industries: String::new(),
            team_size: "2".to_owned(),
            max_team_size: "3".to_owned(),
            exclude_same_region: false,
            rotate_lead: true,
            max_assignments: "10".to_owned(),
            yearly_cap: String::new(),
            risk_weights: RiskWeights::recommended(),
        }
    }
}

impl TaskForm {
    /// The form for a quarter of the year's plan: the plan's ratios for that quarter, its risk
    /// weights, the annual guarantee on, and `section` taking part if given.
    pub fn from_plan(plan: &PlanBody, period: Period, section: Option<&str>) -> TaskForm {
        let quarter = usize::from(period.quarter.clamp(1, 4) - 1);
        let percent = |category| bp_to_percent(plan.targets.get(category).quarterly_bp[quarter]);
        TaskForm {
            year: period.year.to_string(),
            quarter: period.quarter.to_string(),
            sections: section
                .map(|code| vec![code.to_owned()])
                .unwrap_or_default(),
            general_percent: percent(Category::General),
            key_percent: percent(Category::Key),
            special_percent: percent(Category::Special),
            annual_guarantee: true,
            risk_weights: plan.risk_weights.clone(),
            ..TaskForm::default()
        }
    }
}

fn number<T: std::str::FromStr>(field: &str, text: &str) -> Result<T, String> {
    text.trim()
        .parse::<T>()
        .map_err(|_| format!("“{field}”须为整数：{text}"))
}

/// A percentage with at most two decimals, as basis points (1/10 000).
pub fn percent_to_bp(field: &str, text: &str) -> Result<u32, String> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let bad = || format!("“{field}”须为 0–100 之间、最多两位小数的百分比：{text}");
    if fraction.len() > 2
        || whole.is_empty()
        || !whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let bp = whole * 100 + fraction;
    if bp > 10_000 { Err(bad()) } else { Ok(bp) }
}

/// Basis points as the percentage staff type: `500` → `5`, `250` → `2.5`, `5` → `0.05`.
pub fn bp_to_percent(bp: u32) -> String {
    let (whole, fraction) = (bp / 100, bp % 100);
    if fraction == 0 {
        format!("{whole}")
    } else if fraction % 10 == 0 {
        format!("{whole}.{}", fraction / 10)
    } else {
        format!("{whole}.{fraction:02}")
    }
}

fn list(text: &str) -> Vec<String> {
    let mut values: Vec<String> = text
        .split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();
    values.sort();
    values.dedup();
    values
}

/// Credit codes pasted one per line (or separated by commas/spaces).
pub fn exclusions(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == '，')
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The spec the form describes. Each section checks its own checklist items.
pub fn build_spec(form: &TaskForm, checklist: &[ChecklistItem]) -> Result<DrawSpec, String> {
    let period = Period::new(number("年度", &form.year)?, number("季度", &form.quarter)?)
        .map_err(|_| "季度须为 1–4".to_owned())?;
    if form.sections.is_empty() {
        return Err("请至少选择一个参与科室".to_owned());
    }
    let mut filters = Vec::new();
    for (tag, text) in [
        (TagKind::Region, &form.regions),
        (TagKind::Industry, &form.industries),
    ] {
        let values = list(text);
        if !values.is_empty() {
            filters.push(TagFilter { tag, values });
        }
    }
    let mut strata = Vec::new();
    for (name, category, field, text) in [
        (
            "general",
            Category::General,
            "一般对象比例",
            &form.general_percent,
        ),
        ("key", Category::Key, "重点对象比例", &form.key_percent),
        (
            "special",
            Category::Special,
            "特殊对象比例",
            &form.special_percent,
        ),
    ] {
        let bp = percent_to_bp(field, text)?;
        if bp > 0 {
            strata.push(Stratum {
                name: StratumName::new(name).expect("a valid stratum name"),
                categories: vec![category],
                size: StratumSize::RatioBp(bp),
            });
        }
    }
    let mut sections = Vec::new();
    for code in &form.sections {
        let items: Vec<_> = checklist
            .iter()
            .filter(|item| {
                section_by_name(&item.section).is_some_and(|section| section.code == code)
            })
            .map(|item| item.id)
            .collect();
        if items.is_empty() {
            return Err(format!("科室 {code} 在抽查事项清单中没有事项"));
        }
        sections.push(SectionSpec {
            section: SectionId::new(code.clone()).map_err(|err| err.to_string())?,
            filters: filters.clone(),
            strata: strata.clone(),
            items,
            annual_guarantee: form.annual_guarantee,
        });
    }
    let team_rules = TeamRules::new(
        number("检查组人数", &form.team_size)?,
        number("检查组最多人数", &form.max_team_size)?,
        form.exclude_same_region,
        form.rotate_lead,
        number("每人每次最多任务数", &form.max_assignments)?,
    )
    .map_err(|_| {
        "检查组人数至少 2 人，最多人数不小于人数且不超过 12，每人任务数至少 1".to_owned()
    })?;
    let yearly_cap = if form.yearly_cap.trim().is_empty() {
        None
    } else {
        Some(number("年度检查次数上限", &form.yearly_cap)?)
    };
    Ok(DrawSpec {
        period,
        sections,
        risk_weights: form.risk_weights.clone(),
        yearly_cap,
        team_rules,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checklist() -> Vec<ChecklistItem> {
        shared::demo::checklist_items()
    }

    #[test]
    fn percentages_become_basis_points_exactly() {
        assert_eq!(percent_to_bp("x", "5"), Ok(500));
        assert_eq!(percent_to_bp("x", "2.5"), Ok(250));
        assert_eq!(percent_to_bp("x", "0.05"), Ok(5));
        assert_eq!(percent_to_bp("x", "100"), Ok(10_000));
        for bad in ["101", "1.234", "-1", "abc", ""] {
            assert!(
                percent_to_bp("一般对象比例", bad)
                    .unwrap_err()
                    .contains("一般对象比例"),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_default_form_builds_a_spec_the_engine_accepts() {
        let form = TaskForm {
            sections: vec!["eia_permit".to_owned()],
            ..TaskForm::default()
        };
        let spec = build_spec(&form, &checklist()).unwrap();
        assert_eq!(spec.sections.len(), 1);
        assert_eq!(spec.sections[0].strata.len(), 3);
        assert_eq!(
            spec.sections[0].items.len(),
            3,
            "the section's three checklist items"
        );
        let input = shared::draw::DrawInput {
            algorithm_version: shared::draw::AlgorithmVersion::V1,
            spec,
            objects: Vec::new(),
            inspectors: Vec::new(),
            checklist: Vec::new(),
            history: Default::default(),
        };
        // Only the missing checklist refs can fail here; the spec's own rules hold.
        let err = input.normalized().unwrap_err().to_string();
        assert!(err.contains("not in the checklist"), "{err}");
    }

    #[test]
    fn a_targeted_draw_filters_by_region_and_errors_name_the_field() {
        let form = TaskForm {
            sections: vec!["water".to_owned()],
            regions: "三合街道、名山街道, 三合街道".to_owned(),
            ..TaskForm::default()
        };
        let spec = build_spec(&form, &checklist());
        // The demo checklist has no item of the water section.
        assert_eq!(spec.unwrap_err(), "科室 water 在抽查事项清单中没有事项");
        let form = TaskForm {
            sections: vec!["emergency".to_owned()],
            regions: "三合街道、名山街道, 三合街道".to_owned(),
            ..TaskForm::default()
        };
        let spec = build_spec(&form, &checklist()).unwrap();
        assert_eq!(
            spec.sections[0].filters,
            vec![TagFilter {
                tag: TagKind::Region,
                values: vec!["三合街道".to_owned(), "名山街道".to_owned()]
            }]
        );
        let form = TaskForm {
            team_size: "1".to_owned(),
            ..form
        };
        assert!(
            build_spec(&form, &checklist())
                .unwrap_err()
                .contains("至少 2 人")
        );
        assert!(
            build_spec(&TaskForm::default(), &checklist())
                .unwrap_err()
                .contains("参与科室")
        );
    }

    #[test]
    fn a_quarter_of_the_plan_fills_the_ratios_and_the_weights() {
        let mut plan = PlanBody::recommended(2027, &checklist());
        plan.targets.general.quarterly_bp = [500, 750, 500, 250];
        plan.risk_weights.per_complaint = 35;
        let period = Period::new(2027, 2).unwrap();
        let form = TaskForm::from_plan(&plan, period, Some("eia_permit"));
        assert_eq!(
            (
                form.general_percent.as_str(),
                form.key_percent.as_str(),
                form.special_percent.as_str()
            ),
            ("7.5", "25", "50")
        );
        let spec = build_spec(&form, &checklist()).unwrap();
        assert_eq!(spec.period, period);
        assert_eq!(spec.risk_weights, plan.risk_weights);
        assert!(spec.sections[0].annual_guarantee);
        assert_eq!(spec.sections[0].section.as_str(), "eia_permit");
    }

    #[test]
    fn exclusions_are_split_on_lines_commas_and_spaces() {
        assert_eq!(
            exclusions("A1\nB2, C3，D4  E5\n"),
            ["A1", "B2", "C3", "D4", "E5"]
        );
    }
}
