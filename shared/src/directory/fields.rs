//! The fields of the two directories, the header names (and synonyms) bureaus use for them, and
//! the column mapping: which spreadsheet column holds which field.
//!
//! A mapping is keyed by the *normalized header text*, not by column position, so a remembered
//! mapping still applies when the bureau reorders its columns next quarter.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::issue::column_letter;

/// A field of a directory row.
pub trait Field: Copy + Ord + std::fmt::Debug + 'static {
    /// Every field, in export column order.
    const ALL: &'static [Self];
    /// The JSON spelling (snake case).
    fn as_str(self) -> &'static str;
    /// The canonical Chinese header, written in exports and templates.
    fn header_zh(self) -> &'static str;
    /// The field's name in English, for the English interface.
    fn header_en(self) -> &'static str;
    /// Other headers accepted for this field, besides [`Field::header_zh`].
    fn synonyms(self) -> &'static [&'static str];
    /// Whether the file must have this column and every row a value in it.
    fn required(self) -> bool;
    /// Longest accepted cell, in characters.
    fn max_chars(self) -> usize;
}

/// The columns of the object directory (检查对象名录库).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectField {
    Name,
    CreditCode,
    Category,
    Region,
    Industry,
    Address,
    ConstructionStatus,
    DischargeType,
    PermitClass,
    ProductionScale,
    ProductionCycle,
    MonitoringType,
    WeatherGrade,
    Status,
    StatusSince,
}

impl Field for ObjectField {
    const ALL: &'static [ObjectField] = &[
        ObjectField::Name,
        ObjectField::CreditCode,
        ObjectField::Category,
        ObjectField::Region,
        ObjectField::Industry,
        ObjectField::Address,
        ObjectField::ConstructionStatus,
        ObjectField::DischargeType,
        ObjectField::PermitClass,
        ObjectField::ProductionScale,
        ObjectField::ProductionCycle,
        ObjectField::MonitoringType,
        ObjectField::WeatherGrade,
        ObjectField::Status,
        ObjectField::StatusSince,
    ];

    fn as_str(self) -> &'static str {
        match self {
            ObjectField::Name => "name",
            ObjectField::CreditCode => "credit_code",
            ObjectField::Category => "category",
            ObjectField::Region => "region",
            ObjectField::Industry => "industry",
            ObjectField::Address => "address",
            ObjectField::ConstructionStatus => "construction_status",
            ObjectField::DischargeType => "discharge_type",
            ObjectField::PermitClass => "permit_class",
            ObjectField::ProductionScale => "production_scale",
            ObjectField::ProductionCycle => "production_cycle",
            ObjectField::MonitoringType => "monitoring_type",
            ObjectField::WeatherGrade => "weather_grade",
            ObjectField::Status => "status",
            ObjectField::StatusSince => "status_since",
        }
    }

    fn header_en(self) -> &'static str {
        match self {
            ObjectField::Name => "Name",
            ObjectField::CreditCode => "Unified social credit code",
            ObjectField::Category => "Supervision category",
            ObjectField::Region => "Town or street",
            ObjectField::Industry => "Industry",
            ObjectField::Address => "Address",
            ObjectField::ConstructionStatus => "Construction status",
            ObjectField::DischargeType => "Discharge type",
            ObjectField::PermitClass => "Discharge permit class",
            ObjectField::ProductionScale => "Production scale",
            ObjectField::ProductionCycle => "Production cycle",
            ObjectField::MonitoringType => "Monitoring type",
            ObjectField::WeatherGrade => "Heavy-pollution weather grade",
            ObjectField::Status => "Production status",
            ObjectField::StatusSince => "Status effective date",
        }
    }

    fn header_zh(self) -> &'static str {
        match self {
            ObjectField::Name => "单位名称",
            ObjectField::CreditCode => "统一社会信用代码",
            ObjectField::Category => "监管类别",
            ObjectField::Region => "所属乡镇（街道）",
            ObjectField::Industry => "行业类别",
            ObjectField::Address => "地址",
            ObjectField::ConstructionStatus => "建设状态",
            ObjectField::DischargeType => "排放类型",
            ObjectField::PermitClass => "排污许可管理类别",
            ObjectField::ProductionScale => "生产规模",
            ObjectField::ProductionCycle => "生产周期",
            ObjectField::MonitoringType => "监控类型",
            ObjectField::WeatherGrade => "重污染天气绩效分级",
            ObjectField::Status => "生产状态",
            ObjectField::StatusSince => "状态生效日期",
        }
    }

    fn synonyms(self) -> &'static [&'static str] {
        match self {
            ObjectField::Name => &[
                "企业名称",
                "名称",
                "对象名称",
                "检查对象名称",
                "检查对象",
                "排污单位名称",
                "单位",
                "企业",
            ],
            ObjectField::CreditCode => &[
                "信用代码",
                "社会信用代码",
                "统一信用代码",
                "统一代码",
                "统一社会信用代码证号",
            ],
            ObjectField::Category => &[
                "类别",
                "对象类别",
                "监管类型",
                "对象类型",
                "分类",
                "监管分类",
            ],
            ObjectField::Region => &[
                "所属乡镇",
                "乡镇",
                "乡镇街道",
                "街道",
                "所在乡镇",
                "区域",
                "所属区域",
                "属地",
                "所在地",
            ],
            ObjectField::Industry => &["行业", "所属行业", "行业类型", "国民经济行业类别"],
            ObjectField::Address => &[
                "单位地址",
                "企业地址",
                "详细地址",
                "生产经营场所地址",
                "注册地址",
            ],
            ObjectField::ConstructionStatus => &["建设状况", "建设情况", "建设阶段"],
            ObjectField::DischargeType => {
                &["排污类型", "污染类型", "排放类别", "污染物类别", "排放方式"]
            }
            ObjectField::PermitClass => &[
                "许可管理类别",
                "管理类别",
                "排污许可类别",
                "排污许可管理类型",
            ],
            ObjectField::ProductionScale => &["规模", "企业规模"],
            ObjectField::ProductionCycle => &["生产季节", "生产周期特点", "生产时段"],
            ObjectField::MonitoringType => &["监测类型", "在线监控", "监控方式", "自动监控"],
            ObjectField::WeatherGrade => {
                &["绩效分级", "重污染天气绩效等级", "绩效等级", "绩效评级"]
            }
            ObjectField::Status => &["状态", "存续状态", "经营状态", "运行状态", "生产经营状态"],
            ObjectField::StatusSince => &[
                "状态变更日期",
                "生效日期",
                "变更日期",
                "状态日期",
                "停产日期",
            ],
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            ObjectField::Name
                | ObjectField::CreditCode
                | ObjectField::Category
                | ObjectField::Region
                | ObjectField::Industry
        )
    }

    fn max_chars(self) -> usize {
        match self {
            ObjectField::Name => 100,
            ObjectField::Address => 200,
            ObjectField::CreditCode => 30,
            ObjectField::StatusSince => 20,
            _ => 50,
        }
    }
}

/// The columns of the inspector directory (检查人员名录库).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectorField {
    Name,
    EmployeeNo,
    Certificate,
    Region,
    YearsOfService,
    Specialties,
    Department,
    Post,
    Phone,
    Active,
}

impl Field for InspectorField {
    const ALL: &'static [InspectorField] = &[
        InspectorField::Name,
        InspectorField::EmployeeNo,
        InspectorField::Certificate,
        InspectorField::Region,
        InspectorField::YearsOfService,
        InspectorField::Specialties,
        InspectorField::Department,
        InspectorField::Post,
        InspectorField::Phone,
        InspectorField::Active,
    ];

    fn as_str(self) -> &'static str {
        match self {
            InspectorField::Name => "name",
            InspectorField::EmployeeNo => "employee_no",
            InspectorField::Certificate => "certificate",
            InspectorField::Region => "region",
            InspectorField::YearsOfService => "years_of_service",
            InspectorField::Specialties => "specialties",
            InspectorField::Department => "department",
            InspectorField::Post => "post",
            InspectorField::Phone => "phone",
            InspectorField::Active => "active",
        }
    }

    fn header_en(self) -> &'static str {
        match self {
            InspectorField::Name => "Name",
            InspectorField::EmployeeNo => "Employee number",
            InspectorField::Certificate => "Enforcement certificate number",
            InspectorField::Region => "Area of responsibility",
            InspectorField::YearsOfService => "Years of service",
            InspectorField::Specialties => "Specialties",
            InspectorField::Department => "Section",
            InspectorField::Post => "Post",
            InspectorField::Phone => "Phone",
            InspectorField::Active => "On duty",
        }
    }

    fn header_zh(self) -> &'static str {
        match self {
            InspectorField::Name => "姓名",
            InspectorField::EmployeeNo => "工号",
            InspectorField::Certificate => "执法证号",
            InspectorField::Region => "负责区域",
            InspectorField::YearsOfService => "从业年限",
            InspectorField::Specialties => "专业特长",
            InspectorField::Department => "科室",
            InspectorField::Post => "岗位",
            InspectorField::Phone => "联系电话",
            InspectorField::Active => "是否在岗",
        }
    }

    fn synonyms(self) -> &'static [&'static str] {
        match self {
            InspectorField::Name => &["人员姓名", "执法人员姓名", "检查人员姓名", "名字"],
            InspectorField::EmployeeNo => &["人员编号", "员工编号", "编号", "职工编号"],
            InspectorField::Certificate => &[
                "执法证件号",
                "执法证编号",
                "执法证件编号",
                "执法证件号码",
                "证件号",
            ],
            InspectorField::Region => &["所属乡镇", "区域", "片区", "属地", "乡镇", "所属区域"],
            InspectorField::YearsOfService => &["工作年限", "执法年限", "年限", "从业年数"],
            InspectorField::Specialties => &["专业", "专业领域", "擅长领域", "特长", "专长"],
            InspectorField::Department => &["部门", "所在科室", "所属部门", "处室", "科室部门"],
            InspectorField::Post => &["职务", "职位", "岗位职务"],
            InspectorField::Phone => &["电话", "手机", "手机号", "手机号码", "联系方式"],
            InspectorField::Active => &["在岗", "在岗状态", "在职状态", "状态"],
        }
    }

    fn required(self) -> bool {
        matches!(
            self,
            InspectorField::Name | InspectorField::EmployeeNo | InspectorField::Department
        )
    }

    fn max_chars(self) -> usize {
        match self {
            InspectorField::Name => 50,
            InspectorField::EmployeeNo | InspectorField::Certificate => 32,
            InspectorField::Phone => 30,
            InspectorField::YearsOfService | InspectorField::Active => 10,
            InspectorField::Specialties => 200,
            _ => 50,
        }
    }
}

/// Header text reduced to what identifies it: parenthesized notes (`（必填）`, `(YYYY-MM-DD)`),
/// required-markers `*`, white space and full-width forms removed, ASCII lower-cased.
pub fn normalize_header(header: &str) -> String {
    let mut normalized = String::new();
    let mut depth = 0u32;
    for character in header.chars() {
        let character = match character {
            '\u{FF01}'..='\u{FF5E}' => {
                char::from_u32(character as u32 - 0xFEE0).unwrap_or(character)
            }
            other => other,
        };
        match character {
            '(' | '[' | '【' => depth += 1,
            ')' | ']' | '】' => depth = depth.saturating_sub(1),
            '*' | '\u{FEFF}' => {}
            other if depth == 0 && !other.is_whitespace() => {
                normalized.push(other.to_ascii_lowercase());
            }
            _ => {}
        }
    }
    normalized
}

/// The field a header names by its canonical text or a synonym.
pub fn field_for_header<F: Field>(header: &str) -> Option<F> {
    let normalized = normalize_header(header);
    if normalized.is_empty() {
        return None;
    }
    F::ALL.iter().copied().find(|field| {
        normalize_header(field.header_zh()) == normalized
            || field
                .synonyms()
                .iter()
                .any(|synonym| normalize_header(synonym) == normalized)
            || field.as_str() == normalized
    })
}

/// A remembered column mapping: normalized header text → field, or `None` for a column the
/// user chose to ignore. Serialized as a JSON object, e.g. `{"企业名称":"name","备注":null}`,
/// to be stored per user or for the whole bureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ColumnMapping<F> {
    pub by_header: BTreeMap<String, Option<F>>,
}

impl<F> Default for ColumnMapping<F> {
    fn default() -> Self {
        ColumnMapping {
            by_header: BTreeMap::new(),
        }
    }
}

impl<F: Field> ColumnMapping<F> {
    /// Records that `header` holds `field` (or, with `None`, is to be ignored).
    pub fn set(&mut self, header: &str, field: Option<F>) {
        self.by_header.insert(normalize_header(header), field);
    }

    /// The remembered choice for a header: `Some(None)` is "ignore".
    pub fn get(&self, header: &str) -> Option<Option<F>> {
        self.by_header.get(&normalize_header(header)).copied()
    }
}

/// How a column got its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingSource {
    /// From the remembered mapping.
    Remembered,
    /// From the header text (canonical name or synonym).
    Header,
    /// No field: the column is ignored.
    Unmapped,
}

/// One column of the file with the field it is read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedColumn<F> {
    /// Zero-based position.
    pub index: u32,
    pub letter: String,
    pub header: String,
    pub field: Option<F>,
    pub source: MappingSource,
}

/// Maps each header cell to a field: the remembered mapping first, then the header names and
/// synonyms. Problems (missing or doubled fields) are reported by the validation.
pub fn resolve_columns<F: Field>(
    header: &[String],
    remembered: Option<&ColumnMapping<F>>,
) -> Vec<ResolvedColumn<F>> {
    header
        .iter()
        .enumerate()
        .map(|(index, text)| {
            let text = text.trim().trim_start_matches('\u{FEFF}').to_owned();
            let (field, source) = match remembered.and_then(|mapping| mapping.get(&text)) {
                Some(field) => (field, MappingSource::Remembered),
                None => match field_for_header::<F>(&text) {
                    Some(field) => (Some(field), MappingSource::Header),
                    None => (None, MappingSource::Unmapped),
                },
            };
            ResolvedColumn {
                index: index as u32,
                letter: column_letter(index as u32),
                header: text,
                field: if source == MappingSource::Unmapped {
                    None
                } else {
                    field
                },
                source,
            }
        })
        .collect()
}

/// The mapping to remember after an import: every non-empty header with its field.
pub fn mapping_of<F: Field>(columns: &[ResolvedColumn<F>]) -> ColumnMapping<F> {
    let mut mapping = ColumnMapping {
        by_header: BTreeMap::new(),
    };
    for column in columns {
        if !normalize_header(&column.header).is_empty() {
            mapping.set(&column.header, column.field);
        }
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonyms_are_unambiguous_within_a_directory() {
        fn check<F: Field>() {
            let mut seen = BTreeMap::new();
            for field in F::ALL {
                let names = std::iter::once(field.header_zh())
                    .chain(field.synonyms().iter().copied())
                    .chain(std::iter::once(field.as_str()));
                for name in names {
                    let previous = seen.insert(normalize_header(name), *field);
                    assert!(
                        previous.is_none() || previous == Some(*field),
                        "{name} names {previous:?} and {field:?}"
                    );
                }
            }
        }
        check::<ObjectField>();
        check::<InspectorField>();
    }

    #[test]
    fn headers_are_matched_through_decoration() {
        assert_eq!(
            field_for_header::<ObjectField>(" 企业名称（必填）*"),
            Some(ObjectField::Name)
        );
        assert_eq!(
            field_for_header::<ObjectField>("状态生效日期(YYYY-MM-DD)"),
            Some(ObjectField::StatusSince)
        );
        assert_eq!(
            field_for_header::<ObjectField>("乡镇（街道）"),
            Some(ObjectField::Region)
        );
        assert_eq!(field_for_header::<ObjectField>("备注"), None);
    }
}
