//! The demo county: deterministic sample data that `cargo xtask dev` loads into an empty
//! database, and that the API and browser tests load into their fresh databases.
//!
//! Everything here is a pure function: the same call gives the same rows on every machine.
//!
//! ## The demo county generator
//!
//! [`demo_objects`] and [`demo_inspectors`] build a plausible 丰都县 (Fengdu County, Chongqing):
//! [`DEMO_OBJECT_COUNTS`] objects per category spread over the county's 30 towns and streets
//! ([`FENGDU_REGIONS`]), with industries typical of the county (building materials, livestock,
//! food, hydropower, sewage plants, hospitals…), valid unified social credit codes with the
//! county's division code 500230, and [`DEMO_INSPECTOR_COUNT`] inspectors in the bureau's
//! sections with specialties that match the checklist.
//!
//! The generator is [`SplitMix64`] from the fixed [`DEMO_SEED`], drawn in a fixed order, using
//! only integer arithmetic (no floating point, no platform-sized integers, no hash-map order),
//! so it gives the same rows natively and in wasm, now and in any later build. It is *not* a
//! draw: nothing here needs to be unpredictable, only stable. A test pins the SHA-256 of the
//! generated rows; changing any table below changes it, deliberately.

use std::collections::BTreeSet;

use crate::checklist::{ChecklistItem, ChecklistItemId};
use crate::directory::{
    CREDIT_CODE_ALPHABET, CreditCode, InspectorRow, ObjectRow, PermitClass,
    organization_code_check, specialty_from_label,
};
use crate::draw::{Category, Grade, ObjectStatus};

/// The twelve contents of the checklist (随机抽查事项清单) named in section 三(一) and 四 of the
/// seed document (丰都县生态环境局 2024 implementation plan), each assigned to the section that
/// owns that kind of check, with the main legal basis it is checked against.
const CHECKLIST: [(&str, &str, &str, &str); 12] = [
    (
        "SC-01",
        "自然生态科",
        "生态环境保护措施落实情况",
        "《中华人民共和国环境保护法》",
    ),
    (
        "SC-02",
        "县执法支队",
        "污染防治设施运行情况",
        "《中华人民共和国环境保护法》第四十二条",
    ),
    (
        "SC-03",
        "环评与排污许可科",
        "排污许可制度落实及证后执行情况",
        "《排污许可管理条例》",
    ),
    (
        "SC-04",
        "大气环境科",
        "碳排放情况",
        "《碳排放权交易管理暂行条例》",
    ),
    (
        "SC-05",
        "辐射安全科",
        "辐射安全项目管理情况",
        "《放射性同位素与射线装置安全和防护条例》",
    ),
    (
        "SC-06",
        "土壤与固体废物科",
        "固体废物及危险废物管理情况",
        "《中华人民共和国固体废物污染环境防治法》",
    ),
    (
        "SC-07",
        "土壤与固体废物科",
        "化学品环境管理情况",
        "《新化学物质环境管理登记办法》",
    ),
    (
        "SC-08",
        "生态环境监测站",
        "生态环境监测社会化服务机构及环评单位报告（数据）质量",
        "《中华人民共和国环境影响评价法》第二十条",
    ),
    (
        "SC-09",
        "环评与排污许可科",
        "建设项目环评及批复落实情况",
        "《中华人民共和国环境影响评价法》",
    ),
    (
        "SC-10",
        "环评与排污许可科",
        "建设项目“三同时”制度落实情况",
        "《建设项目环境保护管理条例》第十五条",
    ),
    (
        "SC-11",
        "应急管理科",
        "突发环境事件应急预案备案情况",
        "《突发环境事件应急预案备案管理办法》",
    ),
    (
        "SC-12",
        "应急管理科",
        "环境安全隐患情况",
        "《突发环境事件隐患排查治理办法》",
    ),
];

/// The demo checklist: the seed's twelve contents, ids 1 to 12 in code order.
pub fn checklist_items() -> Vec<ChecklistItem> {
    CHECKLIST
        .iter()
        .zip(1..)
        .map(
            |(&(code, section, content, legal_basis), id)| ChecklistItem {
                id: ChecklistItemId(id),
                code: code.to_owned(),
                section: section.to_owned(),
                content: content.to_owned(),
                legal_basis: legal_basis.to_owned(),
            },
        )
        .collect()
}

/// The demo bureau's name, as the seed document names it.
pub const DEMO_BUREAU_NAME: &str = "丰都县生态环境局";
/// The demo bureau's region.
pub const DEMO_BUREAU_REGION: &str = "重庆市丰都县";

/// The seed of the demo county ("Suicha" and the plan's year).
pub const DEMO_SEED: u64 = 0x5375_6963_6861_2024;

/// Objects per category: 一般, 重点, 特殊 (1 200 in all).
pub const DEMO_OBJECT_COUNTS: [(Category, u32); 3] = [
    (Category::General, 1_000),
    (Category::Key, 160),
    (Category::Special, 40),
];

/// Inspectors in the demo bureau.
pub const DEMO_INSPECTOR_COUNT: u32 = 40;

/// The towns (镇), townships (乡) and streets (街道) of 丰都县: its 30 township-level divisions.
pub const FENGDU_REGIONS: [&str; 30] = [
    "三合街道",
    "名山街道",
    "虎威镇",
    "社坛镇",
    "三元镇",
    "许明寺镇",
    "董家镇",
    "树人镇",
    "十直镇",
    "高家镇",
    "兴义镇",
    "双路镇",
    "江池镇",
    "龙河镇",
    "武平镇",
    "包鸾镇",
    "湛普镇",
    "南天湖镇",
    "保合镇",
    "兴龙镇",
    "仁沙镇",
    "龙孔镇",
    "暨龙镇",
    "双龙镇",
    "仙女湖镇",
    "青龙乡",
    "太平坝乡",
    "都督乡",
    "栗子乡",
    "三建乡",
];

/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit state advanced by a constant and mixed.
/// Small, fast, the same on every platform; good enough for sample data, not for draws.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0): the high 32 bits times `bound`, shifted down.
    /// Biased by at most `bound / 2^32`, which sample data does not mind.
    pub fn below(&mut self, bound: u32) -> u32 {
        (((self.next_u64() >> 32) * u64::from(bound)) >> 32) as u32
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u32) as usize]
    }

    /// Index into `weights` with probability proportional to its weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut ticket = self.below(total);
        for (index, &weight) in weights.iter().enumerate() {
            if ticket < weight {
                return index;
            }
            ticket -= weight;
        }
        weights.len() - 1
    }

    /// `true` with probability `percent` / 100.
    pub fn percent(&mut self, percent: u32) -> bool {
        self.below(100) < percent
    }
}

/// One industry of the demo county and how its objects look.
struct Industry {
    name: &'static str,
    /// Words for the business in the company name.
    trades: &'static [&'static str],
    /// The 2nd character of the credit code's registration-authority pair: `1` company,
    /// `2` individual business (个体工商户, with authority `9`), or a public institution
    /// (`12`). Written as the first two characters.
    registration: &'static str,
    discharge: &'static str,
    permit: &'static [Option<PermitClass>],
    /// Relative weight in each category: 一般, 重点, 特殊.
    weights: [u32; 3],
    /// Whether the 重污染天气绩效分级 applies (industries with process emissions to air).
    weather_graded: bool,
}

const INDUSTRIES: [Industry; 21] = [
    Industry {
        name: "水泥制造",
        trades: &["水泥", "建材"],
        registration: "91",
        discharge: "废气",
        permit: &[Some(PermitClass::Key)],
        weights: [1, 8, 0],
        weather_graded: true,
    },
    Industry {
        name: "商品混凝土制造",
        trades: &["混凝土", "商砼", "新型建材"],
        registration: "91",
        discharge: "废气",
        permit: &[
            Some(PermitClass::Registration),
            Some(PermitClass::Simplified),
        ],
        weights: [60, 6, 0],
        weather_graded: true,
    },
    Industry {
        name: "建筑用石开采",
        trades: &["砂石", "石料", "矿业"],
        registration: "91",
        discharge: "废气",
        permit: &[Some(PermitClass::Registration)],
        weights: [70, 8, 0],
        weather_graded: true,
    },
    Industry {
        name: "砖瓦制造",
        trades: &["页岩砖", "建材", "砖业"],
        registration: "91",
        discharge: "废气",
        permit: &[Some(PermitClass::Simplified)],
        weights: [45, 12, 0],
        weather_graded: true,
    },
    Industry {
        name: "牛的饲养",
        trades: &["肉牛养殖", "牧业", "生态养殖"],
        registration: "92",
        discharge: "废水",
        permit: &[Some(PermitClass::Registration)],
        weights: [150, 6, 0],
        weather_graded: false,
    },
    Industry {
        name: "猪的饲养",
        trades: &["生猪养殖", "农牧", "养殖"],
        registration: "91",
        discharge: "废水",
        permit: &[Some(PermitClass::Registration), Some(PermitClass::Key)],
        weights: [110, 20, 0],
        weather_graded: false,
    },
    Industry {
        name: "屠宰及肉类加工",
        trades: &["食品", "肉类加工", "屠宰"],
        registration: "91",
        discharge: "废水",
        permit: &[Some(PermitClass::Simplified), Some(PermitClass::Key)],
        weights: [25, 12, 0],
        weather_graded: false,
    },
    Industry {
        name: "调味品、发酵制品制造",
        trades: &["火锅底料", "调味品", "食品"],
        registration: "91",
        discharge: "废水",
        permit: &[Some(PermitClass::Registration)],
        weights: [45, 2, 0],
        weather_graded: false,
    },
    Industry {
        name: "白酒制造",
        trades: &["酒业", "酒厂", "酿造"],
        registration: "91",
        discharge: "废水",
        permit: &[Some(PermitClass::Simplified)],
        weights: [30, 4, 0],
        weather_graded: false,
    },
    Industry {
        name: "水果和坚果加工",
        trades: &["农产品", "果业", "红心柚"],
        registration: "91",
        discharge: "废水",
        permit: &[Some(PermitClass::Registration)],
        weights: [40, 0, 0],
        weather_graded: false,
    },
    Industry {
        name: "汽车修理与维护",
        trades: &["汽车维修", "汽修", "汽车服务"],
        registration: "92",
        discharge: "危险废物",
        permit: &[Some(PermitClass::Registration), None],
        weights: [150, 0, 0],
        weather_graded: false,
    },
    Industry {
        name: "机动车燃油零售",
        trades: &["加油站"],
        registration: "91",
        discharge: "废气",
        permit: &[Some(PermitClass::Registration)],
        weights: [60, 4, 0],
        weather_graded: false,
    },
    Industry {
        name: "污水处理及其再生利用",
        trades: &["污水处理厂"],
        registration: "12",
        discharge: "废水",
        permit: &[Some(PermitClass::Key), Some(PermitClass::Simplified)],
        weights: [0, 30, 2],
        weather_graded: false,
    },
    Industry {
        name: "综合医院",
        trades: &["卫生院", "医院"],
        registration: "12",
        discharge: "医疗废水",
        permit: &[
            Some(PermitClass::Simplified),
            Some(PermitClass::Registration),
        ],
        weights: [40, 14, 6],
        weather_graded: false,
    },
    Industry {
        name: "包装装潢及其他印刷",
        trades: &["印务", "彩印", "包装"],
        registration: "91",
        discharge: "废气",
        permit: &[Some(PermitClass::Registration)],
        weights: [35, 2, 0],
        weather_graded: true,
    },
    Industry {
        name: "木质家具制造",
        trades: &["家具", "木业"],
        registration: "91",
        discharge: "废气",
        permit: &[
            Some(PermitClass::Registration),
            Some(PermitClass::Simplified),
        ],
        weights: [40, 3, 0],
        weather_graded: true,
    },
    Industry {
        name: "金属表面处理及热处理加工",
        trades: &["表面处理", "五金", "机械"],
        registration: "91",
        discharge: "废水",
        permit: &[Some(PermitClass::Key)],
        weights: [5, 14, 4],
        weather_graded: false,
    },
    Industry {
        name: "危险废物治理",
        trades: &["环保科技", "环境服务"],
        registration: "91",
        discharge: "危险废物",
        permit: &[Some(PermitClass::Key)],
        weights: [0, 4, 12],
        weather_graded: false,
    },
    Industry {
        name: "核技术利用（射线装置使用）",
        trades: &["无损检测", "检测技术", "影像诊断"],
        registration: "91",
        discharge: "辐射",
        permit: &[None],
        weights: [0, 2, 16],
        weather_graded: false,
    },
    Industry {
        name: "水力发电",
        trades: &["水电", "电力", "能源"],
        registration: "91",
        discharge: "无",
        permit: &[Some(PermitClass::Registration)],
        weights: [50, 3, 0],
        weather_graded: false,
    },
    Industry {
        name: "环境卫生管理（生活垃圾处理）",
        trades: &["垃圾处理场", "环卫"],
        registration: "12",
        discharge: "废水",
        permit: &[Some(PermitClass::Key)],
        weights: [0, 6, 0],
        weather_graded: false,
    },
];

const BRAND_CHARACTERS: [char; 40] = [
    '华', '鑫', '恒', '盛', '源', '泰', '瑞', '宏', '鼎', '江', '川', '渝', '峰', '锦', '翔', '益',
    '兴', '隆', '达', '顺', '诚', '信', '和', '佳', '丰', '平', '康', '富', '金', '新', '永', '昌',
    '裕', '腾', '润', '祥', '旺', '云', '龙', '长',
];

const VILLAGES: [&str; 16] = [
    "双河村",
    "龙井村",
    "石板村",
    "大坪村",
    "柏林村",
    "红岩村",
    "新华村",
    "金竹村",
    "青杠村",
    "杨柳村",
    "白果村",
    "狮子村",
    "观音村",
    "长岭村",
    "桂花村",
    "马鞍村",
];

const STREETS: [&str; 8] = [
    "平都大道",
    "商业大道",
    "滨江路",
    "名山大道",
    "丰都大道",
    "王家渡路",
    "工业园区水天坪组团",
    "龙河东路",
];

/// The name, avoiding the names already used.
fn object_name(
    rng: &mut SplitMix64,
    industry: &Industry,
    region: &str,
    used: &mut BTreeSet<String>,
) -> String {
    let town = region
        .strip_suffix("街道")
        .or_else(|| region.strip_suffix('镇'))
        .or_else(|| region.strip_suffix('乡'))
        .unwrap_or(region);
    // Names tied to a town (its sewage plant, its health centre) exist once per town; after
    // that, the branded form is used, so the loop always ends.
    for attempt in 0u32.. {
        let trade = *rng.pick(industry.trades);
        let brand: String = [*rng.pick(&BRAND_CHARACTERS), *rng.pick(&BRAND_CHARACTERS)]
            .iter()
            .collect();
        let name = match (industry.registration, trade) {
            ("12", "污水处理厂" | "垃圾处理场") if attempt == 0 => {
                format!("丰都县{town}{trade}")
            }
            ("12", "卫生院") if attempt == 0 => format!("丰都县{town}中心卫生院"),
            ("12", _) => format!("丰都县{brand}{trade}"),
            ("92", _) => format!("丰都县{town}{brand}{trade}场"),
            (_, "加油站") => format!("重庆{brand}石油有限公司丰都{town}加油站"),
            _ => match rng.below(3) {
                0 => format!("重庆{brand}{trade}有限公司"),
                1 => format!("丰都县{brand}{trade}有限公司"),
                _ => format!("重庆市丰都县{brand}{trade}有限责任公司"),
            },
        };
        if used.insert(name.clone()) {
            return name;
        }
    }
    unreachable!("the names are not exhausted")
}

/// A credit code for the county (division code 500230), not used before: the registration
/// pair, the division, a GB 11714 organization code (new style `MA5U…`/`MA60…` or an old
/// eight-digit one, with its own check character), and the GB 32100 check character.
fn credit_code(
    rng: &mut SplitMix64,
    registration: &str,
    used: &mut BTreeSet<CreditCode>,
) -> CreditCode {
    // Letters a GB 11714 body may use that are also in the credit-code alphabet.
    let body_alphabet: Vec<u8> = CREDIT_CODE_ALPHABET.to_vec();
    loop {
        let mut body = String::new();
        if rng.percent(70) {
            let prefix: &&str = rng.pick(&["MA5U", "MA60", "MA61"]);
            body.push_str(prefix);
            for _ in 0..4 {
                body.push(char::from(*rng.pick(&body_alphabet)));
            }
        } else {
            for _ in 0..8 {
                body.push(char::from(b'0' + rng.below(10) as u8));
            }
        }
        let Some(org_check) = organization_code_check(&body) else {
            continue;
        };
        let first17 = format!("{registration}500230{body}{org_check}");
        let Ok(code) = CreditCode::with_check_character(&first17) else {
            continue;
        };
        if used.insert(code.clone()) {
            return code;
        }
    }
}

/// A date from 2020-01-01 plus up to `span` days, as the calendar type.
fn date_after_2020(rng: &mut SplitMix64, span: u32) -> crate::calendar::Date {
    const DAYS_1970_TO_2020: i64 = 18_262;
    crate::calendar::Date::from_days_since_unix_epoch(
        DAYS_1970_TO_2020 + i64::from(rng.below(span)),
    )
    .expect("2020–2024 is a valid date")
}

/// The demo county's inspection objects, in a fixed order with unique names and credit codes.
pub fn demo_objects() -> Vec<ObjectRow> {
    let mut rng = SplitMix64::new(DEMO_SEED);
    let mut categories: Vec<Category> = DEMO_OBJECT_COUNTS
        .iter()
        .flat_map(|&(category, count)| std::iter::repeat_n(category, count as usize))
        .collect();
    // Fisher–Yates, so the categories are mixed through the list.
    for index in (1..categories.len()).rev() {
        let other = rng.below(index as u32 + 1) as usize;
        categories.swap(index, other);
    }
    let mut names = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut objects = Vec::with_capacity(categories.len());
    for category in categories {
        let column = match category {
            Category::General => 0,
            Category::Key => 1,
            Category::Special => 2,
        };
        let weights: Vec<u32> = INDUSTRIES
            .iter()
            .map(|industry| industry.weights[column])
            .collect();
        let industry = &INDUSTRIES[rng.weighted(&weights)];
        // The two streets hold the county seat and the industrial park: more businesses.
        let mut region_weights = [3u32; 30];
        region_weights[0] = 30;
        region_weights[1] = 12;
        let region = FENGDU_REGIONS[rng.weighted(&region_weights)];
        let name = object_name(&mut rng, industry, region, &mut names);
        let credit_code = credit_code(&mut rng, industry.registration, &mut codes);
        let address = if region.ends_with("街道") {
            format!(
                "重庆市丰都县{region}{}{}号",
                rng.pick(&STREETS),
                1 + rng.below(300)
            )
        } else {
            format!(
                "重庆市丰都县{region}{}{}组",
                rng.pick(&VILLAGES),
                1 + rng.below(12)
            )
        };
        let construction_status = ["已建成投产", "已建成投产", "已建成投产", "在建", "试生产"]
            [rng.weighted(&[80, 0, 0, 12, 8])]
        .to_owned();
        let permit_class = *rng.pick(industry.permit);
        let production_scale = ["大型", "中型", "小型", "微型"][match category {
            Category::General => rng.weighted(&[2, 15, 50, 33]),
            _ => rng.weighted(&[20, 45, 30, 5]),
        }]
        .to_owned();
        let production_cycle =
            ["全年生产", "季节性生产", "间歇性生产"][rng.weighted(&[75, 15, 10])].to_owned();
        let monitoring_type = match (category, permit_class) {
            (Category::Key, Some(PermitClass::Key)) => "自动监控",
            (Category::General, _) => ["手工监测", "无"][rng.weighted(&[40, 60])],
            _ => ["自动监控", "手工监测"][rng.weighted(&[50, 50])],
        }
        .to_owned();
        let weather_grade = if industry.weather_graded && rng.percent(60) {
            [Grade::A, Grade::B, Grade::C, Grade::D][rng.weighted(&[5, 25, 45, 25])]
        } else {
            Grade::Unrated
        };
        let (status, status_since) = match rng.weighted(&[94, 5, 1]) {
            0 => (ObjectStatus::Active, None),
            1 => (
                ObjectStatus::Suspended,
                Some(date_after_2020(&mut rng, 1_800)),
            ),
            _ => (ObjectStatus::Closed, Some(date_after_2020(&mut rng, 1_800))),
        };
        objects.push(ObjectRow {
            name,
            credit_code,
            category,
            region: region.to_owned(),
            industry: industry.name.to_owned(),
            address,
            construction_status,
            discharge_type: industry.discharge.to_owned(),
            permit_class,
            production_scale,
            production_cycle,
            monitoring_type,
            weather_grade,
            status,
            status_since,
        });
    }
    objects
}

/// The bureau's sections with how many demo inspectors each has, their posts, and the
/// specialties (by label) its staff are drawn from.
const DEPARTMENTS: [(&str, u32, &[&str], &[&str]); 8] = [
    (
        "县执法支队",
        20,
        &[
            "支队长",
            "副支队长",
            "大队长",
            "执法队员",
            "执法队员",
            "执法队员",
        ],
        &["水", "大气", "固废", "噪声", "应急", "排污许可", "土壤"],
    ),
    (
        "环评与排污许可科",
        4,
        &["科长", "科员"],
        &["环评", "排污许可", "水", "大气"],
    ),
    ("大气环境科", 3, &["科长", "科员"], &["大气", "噪声"]),
    (
        "土壤与固体废物科",
        3,
        &["科长", "科员"],
        &["土壤", "固废", "化学品"],
    ),
    ("辐射安全科", 2, &["科长", "科员"], &["辐射", "应急"]),
    ("自然生态科", 2, &["科长", "科员"], &["生态", "水"]),
    (
        "生态环境监测站",
        4,
        &["站长", "监测员"],
        &["监测", "水", "大气"],
    ),
    (
        "应急管理科",
        2,
        &["科长", "科员"],
        &["应急", "化学品", "固废"],
    ),
];

const SURNAMES: [char; 24] = [
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '胡', '朱', '郭',
    '何', '罗', '谭', '冉', '秦', '向', '熊', '唐',
];

const GIVEN_NAME_CHARACTERS: [char; 32] = [
    '伟', '芳', '娜', '敏', '静', '磊', '强', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '霞',
    '平', '刚', '婷', '鹏', '浩', '宇', '欣', '俊', '丽', '帆', '林', '波', '琴', '斌', '雪', '健',
];

/// The demo bureau's inspectors, employee numbers `FDHB001` to `FDHB040`.
pub fn demo_inspectors() -> Vec<InspectorRow> {
    let mut rng = SplitMix64::new(DEMO_SEED ^ 0x1A5B_EC70_0000_0040);
    let mut names = BTreeSet::new();
    let mut certificates = BTreeSet::new();
    let mut inspectors = Vec::new();
    let mut number = 0u32;
    for &(department, count, posts, specialty_pool) in &DEPARTMENTS {
        for position in 0..count {
            number += 1;
            let name = loop {
                let mut name = String::from(*rng.pick(&SURNAMES));
                for _ in 0..1 + rng.below(2) {
                    name.push(*rng.pick(&GIVEN_NAME_CHARACTERS));
                }
                if names.insert(name.clone()) {
                    break name;
                }
            };
            // The first of each section holds its first post (支队长, 科长, 站长).
            let post = if position == 0 {
                posts[0]
            } else {
                posts[1 + rng.below(posts.len() as u32 - 1) as usize]
            };
            let mut specialties: Vec<_> = (0..1 + rng.below(3))
                .map(|_| *rng.pick(specialty_pool))
                .filter_map(specialty_from_label)
                .collect();
            specialties.sort();
            specialties.dedup();
            // Daily-supervision staff of the sections sometimes hold no enforcement certificate.
            let certificate = (department == "县执法支队" || rng.percent(70)).then(|| {
                loop {
                    let candidate = format!("500230{:05}", rng.below(100_000));
                    if certificates.insert(candidate.clone()) {
                        break candidate;
                    }
                }
            });
            let region = if department == "县执法支队" {
                FENGDU_REGIONS[rng.below(30) as usize].to_owned()
            } else {
                "全县".to_owned()
            };
            inspectors.push(InspectorRow {
                name,
                employee_no: format!("FDHB{number:03}"),
                certificate,
                region,
                years_of_service: 1 + rng.below(30),
                specialties,
                department: department.to_owned(),
                post: post.to_owned(),
                // A reserved-looking fake range: these are not anybody's numbers.
                phone: Some(format!("1380000{:04}", number)),
                active: !rng.percent(5),
            });
        }
    }
    inspectors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checklist_has_the_seeds_twelve_contents_with_unique_codes() {
        let items = checklist_items();
        assert_eq!(items.len(), 12);
        let mut codes: Vec<_> = items.iter().map(|item| item.code.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 12, "codes are sorted and unique");
        assert!(
            items
                .iter()
                .any(|item| item.content == "建设项目“三同时”制度落实情况")
        );
    }
}
