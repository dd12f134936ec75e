//! The draw's inputs: the object and inspector snapshots, checklist references, history and
//! the draw spec. These are the JSON wire types; [`DrawInput::normalized`] validates them and
//! puts every set-like list in its canonical order.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::error::DrawInputError;
use super::ids::{AlgorithmVersion, InspectorId, ObjectId, SectionId, Specialty, StratumName};
use crate::checklist::ChecklistItemId;

/// Upper bound on the number of objects in one draw.
pub const MAX_OBJECTS: usize = 4_000_000;
/// Upper bound on the number of inspectors in one draw.
pub const MAX_INSPECTORS: usize = 100_000;
/// Upper bound on the number of distinct specialties in one draw.
pub const MAX_SPECIALTIES: usize = 64;
/// Largest risk weight an object can get; weights are clamped to `1..=MAX_WEIGHT`.
pub const MAX_WEIGHT: u32 = 1_000_000;
/// Bound on the absolute value of every entry of the risk-weight table.
pub const MAX_WEIGHT_TABLE_ENTRY: i64 = 1_000_000;
/// Bound on the counted violations and complaints caps of the risk-weight table.
pub const MAX_COUNTED_EVENTS: u32 = 1_000;
/// Largest team size.
pub const MAX_TEAM_SIZE: u32 = 12;
/// Bound on free-text fields (names, tag values, content), in bytes.
pub const MAX_TEXT_BYTES: usize = 512;
/// Upper bound on a yearly inspection count (objects and inspectors).
pub const MAX_YEARLY_INSPECTIONS: u32 = 100_000;

/// Everything a draw is a function of, apart from the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawInput {
    pub algorithm_version: AlgorithmVersion,
    pub spec: DrawSpec,
    pub objects: Vec<InspectionObject>,
    pub inspectors: Vec<Inspector>,
    pub checklist: Vec<ChecklistRef>,
    pub history: History,
}

/// The draw spec: one period, one or more sections' specs, and the rules shared by all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawSpec {
    pub period: Period,
    /// One spec per section taking part; an object drawn by several becomes one joint inspection.
    pub sections: Vec<SectionSpec>,
    pub risk_weights: RiskWeights,
    /// Objects already inspected this many times this year are left out of the pool.
    pub yearly_cap: Option<u32>,
    pub team_rules: TeamRules,
}

/// The quarter a draw is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub year: u16,
    /// 1 to 4.
    pub quarter: u8,
}

impl Period {
    /// Checks the quarter (1–4) and the year (2000–2999).
    pub fn new(year: u16, quarter: u8) -> Result<Self, DrawInputError> {
        let period = Period { year, quarter };
        period.validate()?;
        Ok(period)
    }

    fn validate(self) -> Result<(), DrawInputError> {
        if !(1..=4).contains(&self.quarter) || !(2000..=2999).contains(&self.year) {
            return Err(DrawInputError::InvalidPeriod {
                year: self.year,
                quarter: self.quarter,
            });
        }
        Ok(())
    }
}

/// One section's part of the draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    pub section: SectionId,
    /// Empty: a daily-supervision draw over the whole directory. Otherwise a targeted draw:
    /// an object is in the pool when, for every filter, its tag value is one of the values.
    pub filters: Vec<TagFilter>,
    /// Disjoint by category. Pool objects whose category is in no stratum are drawn only by the
    /// annual guarantee.
    pub strata: Vec<Stratum>,
    /// The checklist items this section checks on the objects it draws.
    pub items: Vec<ChecklistItemId>,
    /// Whether this section applies the annual guarantee for 重点 and 特殊 objects.
    pub annual_guarantee: bool,
}

/// A stratum: the pool objects of some categories, and how many of them to draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stratum {
    pub name: StratumName,
    pub categories: Vec<Category>,
    pub size: StratumSize,
}

/// How many objects a stratum draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StratumSize {
    /// Exactly this many (fewer when the stratum has fewer eligible objects).
    Count(u32),
    /// A ratio in basis points (1/10 000) of the stratum's eligible objects, rounded up.
    RatioBp(u32),
}

/// A tag condition of a targeted draw or of a checklist item's applicability.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagFilter {
    pub tag: TagKind,
    pub values: Vec<String>,
}

/// The object tags a filter can test. The declaration order is the canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagKind {
    Category,
    Region,
    Industry,
    ConstructionStatus,
    DischargeType,
    PermitClass,
    ProductionScale,
    ProductionCycle,
    MonitoringType,
    WeatherGrade,
    CreditGrade,
}

impl TagKind {
    /// The canonical code of the tag (its JSON spelling) and its byte in the encoding.
    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Category => "category",
            TagKind::Region => "region",
            TagKind::Industry => "industry",
            TagKind::ConstructionStatus => "construction_status",
            TagKind::DischargeType => "discharge_type",
            TagKind::PermitClass => "permit_class",
            TagKind::ProductionScale => "production_scale",
            TagKind::ProductionCycle => "production_cycle",
            TagKind::MonitoringType => "monitoring_type",
            TagKind::WeatherGrade => "weather_grade",
            TagKind::CreditGrade => "credit_grade",
        }
    }
}

/// The integer risk-weight table. An object's weight is
/// `clamp(base + min(violations, max_counted_violations) * per_violation
///  + min(complaints, max_counted_complaints) * per_complaint + credit[grade]
///  + unstable_permit_compliance? + high_public_concern? + category[cat], 1, MAX_WEIGHT)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskWeights {
    pub base: i64,
    pub per_violation: i64,
    pub max_counted_violations: u32,
    pub per_complaint: i64,
    pub max_counted_complaints: u32,
    pub credit: GradeAdjustments,
    pub unstable_permit_compliance: i64,
    pub high_public_concern: i64,
    pub category: CategoryAdjustments,
}

/// Additive weight adjustment per credit grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeAdjustments {
    pub a: i64,
    pub b: i64,
    pub c: i64,
    pub d: i64,
    pub unrated: i64,
}

/// Additive weight adjustment per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryAdjustments {
    pub general: i64,
    pub key: i64,
    pub special: i64,
}

impl RiskWeights {
    /// Every object weighs the same (`base` = 100, no adjustments).
    pub fn uniform() -> Self {
        RiskWeights {
            base: 100,
            per_violation: 0,
            max_counted_violations: 0,
            per_complaint: 0,
            max_counted_complaints: 0,
            credit: GradeAdjustments {
                a: 0,
                b: 0,
                c: 0,
                d: 0,
                unrated: 0,
            },
            unstable_permit_compliance: 0,
            high_public_concern: 0,
            category: CategoryAdjustments {
                general: 0,
                key: 0,
                special: 0,
            },
        }
    }

    /// A sensible default for a county bureau: violations, complaints, low credit and unstable
    /// permit compliance make an object heavier; credit grade A makes it lighter.
    pub fn recommended() -> Self {
        RiskWeights {
            base: 100,
            per_violation: 50,
            max_counted_violations: 4,
            per_complaint: 20,
            max_counted_complaints: 5,
            credit: GradeAdjustments {
                a: -50,
                b: 0,
                c: 50,
                d: 100,
                unrated: 0,
            },
            unstable_permit_compliance: 50,
            high_public_concern: 30,
            category: CategoryAdjustments {
                general: 0,
                key: 50,
                special: 100,
            },
        }
    }

    /// The weight of one object, in `1..=MAX_WEIGHT`.
    pub fn weight_of(&self, object: &InspectionObject) -> u32 {
        let risk = &object.risk;
        let credit = match risk.credit {
            Grade::A => self.credit.a,
            Grade::B => self.credit.b,
            Grade::C => self.credit.c,
            Grade::D => self.credit.d,
            Grade::Unrated => self.credit.unrated,
        };
        let category = match object.category {
            Category::General => self.category.general,
            Category::Key => self.category.key,
            Category::Special => self.category.special,
        };
        let total = self.base
            + i64::from(risk.violations.min(self.max_counted_violations)) * self.per_violation
            + i64::from(risk.complaints.min(self.max_counted_complaints)) * self.per_complaint
            + credit
            + if risk.unstable_permit_compliance {
                self.unstable_permit_compliance
            } else {
                0
            }
            + if risk.high_public_concern {
                self.high_public_concern
            } else {
                0
            }
            + category;
        // The validation bounds keep `total` within ±1.1e10, far from overflow.
        total.clamp(1, i64::from(MAX_WEIGHT)) as u32
    }

    fn validate(&self) -> Result<(), DrawInputError> {
        let entries = [
            self.base,
            self.per_violation,
            self.per_complaint,
            self.credit.a,
            self.credit.b,
            self.credit.c,
            self.credit.d,
            self.credit.unrated,
            self.unstable_permit_compliance,
            self.high_public_concern,
            self.category.general,
            self.category.key,
            self.category.special,
        ];
        if entries
            .iter()
            .any(|entry| entry.abs() > MAX_WEIGHT_TABLE_ENTRY)
            || self.max_counted_violations > MAX_COUNTED_EVENTS
            || self.max_counted_complaints > MAX_COUNTED_EVENTS
        {
            return Err(DrawInputError::RiskWeightOutOfRange);
        }
        Ok(())
    }
}

/// How teams are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamRules {
    /// Members per team, at least 2.
    pub team_size: u32,
    /// Teams may grow up to this size to cover the specialties their items need.
    pub max_team_size: u32,
    /// No member from the object's own region.
    pub exclude_same_region: bool,
    /// The lead differs from the lead of the object's last inspection.
    pub rotate_lead: bool,
    /// No inspector is put on more teams than this in one draw.
    pub max_assignments_per_draw: u32,
}

impl TeamRules {
    /// Checks `2 <= team_size <= max_team_size <= MAX_TEAM_SIZE` and a positive cap.
    pub fn new(
        team_size: u32,
        max_team_size: u32,
        exclude_same_region: bool,
        rotate_lead: bool,
        max_assignments_per_draw: u32,
    ) -> Result<Self, DrawInputError> {
        let rules = TeamRules {
            team_size,
            max_team_size,
            exclude_same_region,
            rotate_lead,
            max_assignments_per_draw,
        };
        rules.validate()?;
        Ok(rules)
    }

    fn validate(&self) -> Result<(), DrawInputError> {
        if self.team_size < 2
            || self.max_team_size < self.team_size
            || self.max_team_size > MAX_TEAM_SIZE
            || self.max_assignments_per_draw == 0
        {
            return Err(DrawInputError::InvalidTeamRules);
        }
        Ok(())
    }
}

/// Category of an object in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 一般
    General,
    /// 重点
    Key,
    /// 特殊
    Special,
}

impl Category {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::General => "general",
            Category::Key => "key",
            Category::Special => "special",
        }
    }

    /// The byte in the canonical encoding.
    pub fn code(self) -> u8 {
        self as u8 + 1
    }
}

/// Whether an object exists and produces (存续变动、停工停产).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectStatus {
    Active,
    Suspended,
    Closed,
}

impl ObjectStatus {
    /// The byte in the canonical encoding.
    pub fn code(self) -> u8 {
        self as u8 + 1
    }
}

/// A letter grade: heavy-pollution-weather performance grade (绩效分级) or credit grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
    #[serde(rename = "unrated")]
    Unrated,
}

impl Grade {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::Unrated => "unrated",
        }
    }

    /// The byte in the canonical encoding.
    pub fn code(self) -> u8 {
        self as u8 + 1
    }
}

/// An inspection object (检查对象) as of the draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionObject {
    pub id: ObjectId,
    pub name: String,
    pub category: Category,
    pub status: ObjectStatus,
    pub tags: ObjectTags,
    pub risk: RiskFacts,
    /// Inspections of this object so far this year (any kind, drawn or targeted).
    pub inspections_this_year: u32,
    /// Lead inspector of the object's last inspection, for rotation.
    pub last_lead: Option<InspectorId>,
}

/// The directory tags of an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectTags {
    pub region: String,
    pub industry: String,
    pub construction_status: String,
    pub discharge_type: String,
    pub permit_class: String,
    pub production_scale: String,
    pub production_cycle: String,
    pub monitoring_type: String,
    pub weather_grade: Grade,
}

/// What makes an object riskier or safer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskFacts {
    /// Violations on record (the bureau decides the look-back window).
    pub violations: u32,
    /// Public complaints on record.
    pub complaints: u32,
    pub credit: Grade,
    pub unstable_permit_compliance: bool,
    pub high_public_concern: bool,
}

impl InspectionObject {
    /// The value of a tag, as written in filters.
    pub fn tag_value(&self, tag: TagKind) -> &str {
        match tag {
            TagKind::Category => self.category.as_str(),
            TagKind::Region => &self.tags.region,
            TagKind::Industry => &self.tags.industry,
            TagKind::ConstructionStatus => &self.tags.construction_status,
            TagKind::DischargeType => &self.tags.discharge_type,
            TagKind::PermitClass => &self.tags.permit_class,
            TagKind::ProductionScale => &self.tags.production_scale,
            TagKind::ProductionCycle => &self.tags.production_cycle,
            TagKind::MonitoringType => &self.tags.monitoring_type,
            TagKind::WeatherGrade => self.tags.weather_grade.as_str(),
            TagKind::CreditGrade => self.risk.credit.as_str(),
        }
    }

    /// Whether the object passes every filter (vacuously true for none).
    pub fn matches(&self, filters: &[TagFilter]) -> bool {
        filters.iter().all(|filter| {
            filter
                .values
                .iter()
                .any(|value| value == self.tag_value(filter.tag))
        })
    }
}

/// An inspector (执法检查人员) as of the draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspector {
    pub id: InspectorId,
    pub name: String,
    pub region: String,
    pub years_of_service: u32,
    pub specialties: Vec<Specialty>,
    pub department: String,
    pub post: String,
    pub enforcement_certificate: bool,
    pub active: bool,
    /// Inspections this inspector took part in so far this year.
    pub inspections_this_year: u32,
    /// Objects this inspector declared a conflict of interest with (回避).
    pub conflicts: Vec<ObjectId>,
}

/// What the draw needs to know about a checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRef {
    pub id: ChecklistItemId,
    pub section: SectionId,
    pub content: String,
    pub legal_basis: String,
    pub required_specialty: Option<Specialty>,
    /// The item applies to objects passing all these filters (empty: to every object).
    pub applies_to: Vec<TagFilter>,
}

/// Facts from outside the two directories.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// Objects inspected on site this period by city-level departments or special campaigns;
    /// they are left out of the pool.
    pub externally_inspected: Vec<ObjectId>,
}

fn check_text(field: &'static str, text: &str) -> Result<(), DrawInputError> {
    // Printable ASCII is by far the common case; only other text needs decoding.
    let plain = text.bytes().all(|b| (0x20..0x7f).contains(&b));
    if text.len() > MAX_TEXT_BYTES || (!plain && text.chars().any(char::is_control)) {
        return Err(DrawInputError::InvalidText {
            field,
            value: text.to_owned(),
        });
    }
    Ok(())
}

fn sort_unique<T: Ord + Clone>(
    values: &mut [T],
    duplicate: impl Fn(&T) -> DrawInputError,
) -> Result<(), DrawInputError> {
    values.sort();
    if let Some(pair) = values.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(duplicate(&pair[0]));
    }
    Ok(())
}

fn normalize_filters(filters: &mut [TagFilter]) -> Result<(), DrawInputError> {
    for filter in filters.iter_mut() {
        if filter.values.is_empty() {
            return Err(DrawInputError::EmptyFilter(filter.tag.as_str()));
        }
        for value in &filter.values {
            check_text("filter value", value)?;
        }
        let tag = filter.tag.as_str();
        sort_unique(&mut filter.values, |value| {
            DrawInputError::DuplicateFilterValue {
                tag,
                value: value.clone(),
            }
        })?;
    }
    filters.sort();
    if let Some(pair) = filters.windows(2).find(|pair| pair[0].tag == pair[1].tag) {
        return Err(DrawInputError::DuplicateFilterTag(pair[0].tag.as_str()));
    }
    Ok(())
}

impl DrawInput {
    /// Validates the input and returns it in canonical form: objects, inspectors, checklist,
    /// sections, strata, filters and every set-like list sorted; duplicates are errors, never
    /// silently merged. Two inputs that differ only in list order normalize to the same value.
    pub fn normalized(&self) -> Result<DrawInput, DrawInputError> {
        self.clone().into_normalized()
    }

    /// [`DrawInput::normalized`] without copying the input first.
    pub fn into_normalized(self) -> Result<DrawInput, DrawInputError> {
        let mut input = self;
        AlgorithmVersion::new(input.algorithm_version.get())?;
        input.spec.period.validate()?;
        input.spec.risk_weights.validate()?;
        input.spec.team_rules.validate()?;
        if input.objects.len() > MAX_OBJECTS {
            return Err(DrawInputError::TooManyObjects(input.objects.len() as u64));
        }
        if input.inspectors.len() > MAX_INSPECTORS {
            return Err(DrawInputError::TooManyInspectors(
                input.inspectors.len() as u64
            ));
        }

        input.objects.sort_by_key(|object| object.id);
        for pair in input.objects.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(DrawInputError::DuplicateObject(pair[0].id));
            }
        }
        for object in &input.objects {
            ObjectId::new(object.id.get())?;
            if object.inspections_this_year > MAX_YEARLY_INSPECTIONS {
                return Err(DrawInputError::YearlyCountOutOfRange(
                    object.inspections_this_year,
                ));
            }
            check_text("object name", &object.name)?;
            let tags = &object.tags;
            for value in [
                &tags.region,
                &tags.industry,
                &tags.construction_status,
                &tags.discharge_type,
                &tags.permit_class,
                &tags.production_scale,
                &tags.production_cycle,
                &tags.monitoring_type,
            ] {
                check_text("object tag", value)?;
            }
        }

        input.inspectors.sort_by_key(|inspector| inspector.id);
        for pair in input.inspectors.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(DrawInputError::DuplicateInspector(pair[0].id));
            }
        }
        let mut specialties = BTreeSet::new();
        for inspector in &mut input.inspectors {
            InspectorId::new(inspector.id.get())?;
            if inspector.inspections_this_year > MAX_YEARLY_INSPECTIONS {
                return Err(DrawInputError::YearlyCountOutOfRange(
                    inspector.inspections_this_year,
                ));
            }
            check_text("inspector name", &inspector.name)?;
            check_text("inspector region", &inspector.region)?;
            check_text("inspector department", &inspector.department)?;
            check_text("inspector post", &inspector.post)?;
            let id = inspector.id;
            sort_unique(&mut inspector.specialties, |specialty| {
                DrawInputError::DuplicateSpecialty {
                    inspector: id,
                    specialty: specialty.clone(),
                }
            })?;
            for specialty in &inspector.specialties {
                Specialty::new(specialty.as_str())?;
                specialties.insert(specialty.clone());
            }
            sort_unique(&mut inspector.conflicts, |object| {
                DrawInputError::DuplicateConflict {
                    inspector: id,
                    object: *object,
                }
            })?;
            for object in &inspector.conflicts {
                ObjectId::new(object.get())?;
            }
        }
        for object in &input.objects {
            if let Some(lead) = object.last_lead {
                InspectorId::new(lead.get())?;
            }
        }

        input.checklist.sort_by_key(|item| item.id);
        for pair in input.checklist.windows(2) {
            if pair[0].id == pair[1].id {
                return Err(DrawInputError::DuplicateChecklistItem(pair[0].id));
            }
        }
        for item in &mut input.checklist {
            if item.id.0 < 1 {
                return Err(DrawInputError::NonPositiveId {
                    kind: "checklist item",
                    value: item.id.0,
                });
            }
            SectionId::new(item.section.as_str())?;
            check_text("checklist content", &item.content)?;
            check_text("checklist legal basis", &item.legal_basis)?;
            if let Some(specialty) = &item.required_specialty {
                Specialty::new(specialty.as_str())?;
                specialties.insert(specialty.clone());
            }
            normalize_filters(&mut item.applies_to)?;
        }
        if specialties.len() > MAX_SPECIALTIES {
            return Err(DrawInputError::TooManySpecialties(specialties.len() as u64));
        }

        if input.spec.sections.is_empty() {
            return Err(DrawInputError::NoSections);
        }
        input
            .spec
            .sections
            .sort_by(|a, b| a.section.cmp(&b.section));
        for pair in input.spec.sections.windows(2) {
            if pair[0].section == pair[1].section {
                return Err(DrawInputError::DuplicateSection(pair[0].section.clone()));
            }
        }
        let checklist = &input.checklist;
        for section in &mut input.spec.sections {
            SectionId::new(section.section.as_str())?;
            normalize_filters(&mut section.filters)?;
            let section_id = section.section.clone();
            sort_unique(&mut section.items, |item| {
                DrawInputError::DuplicateSectionItem {
                    section: section_id.clone(),
                    item: *item,
                }
            })?;
            for item in &section.items {
                match checklist.binary_search_by_key(item, |entry| entry.id) {
                    Ok(index) if checklist[index].section == section.section => {}
                    Ok(_) => {
                        return Err(DrawInputError::ItemOfOtherSection {
                            section: section.section.clone(),
                            item: *item,
                        });
                    }
                    Err(_) => {
                        return Err(DrawInputError::UnknownChecklistItem {
                            section: section.section.clone(),
                            item: *item,
                        });
                    }
                }
            }
            section.strata.sort_by(|a, b| a.name.cmp(&b.name));
            let mut seen_categories = BTreeSet::new();
            for pair in section.strata.windows(2) {
                if pair[0].name == pair[1].name {
                    return Err(DrawInputError::DuplicateStratum {
                        section: section.section.clone(),
                        stratum: pair[0].name.clone(),
                    });
                }
            }
            for stratum in &mut section.strata {
                StratumName::new(stratum.name.as_str())?;
                if stratum.categories.is_empty() {
                    return Err(DrawInputError::EmptyStratum {
                        section: section.section.clone(),
                        stratum: stratum.name.clone(),
                    });
                }
                stratum.categories.sort();
                stratum.categories.dedup();
                for category in &stratum.categories {
                    if !seen_categories.insert(*category) {
                        return Err(DrawInputError::OverlappingStrata {
                            section: section.section.clone(),
                            category: category.as_str(),
                        });
                    }
                }
                if let StratumSize::RatioBp(bp) = stratum.size
                    && bp > 10_000
                {
                    return Err(DrawInputError::RatioOutOfRange {
                        section: section.section.clone(),
                        stratum: stratum.name.clone(),
                        basis_points: bp,
                    });
                }
            }
        }

        let id_of_external = |id: &ObjectId| DrawInputError::DuplicateExternallyInspected(*id);
        sort_unique(&mut input.history.externally_inspected, id_of_external)?;
        for id in &input.history.externally_inspected {
            ObjectId::new(id.get())?;
        }
        Ok(input)
    }
}
