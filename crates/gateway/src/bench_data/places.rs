//! Places and bodies: the 34 provinces and centrally-run cities of the 2025 reform, names for
//! generated communes and wards, and the departments, Party boards and mass organizations of a
//! province and of a commune.

use super::rng::Rng;

/// A province or centrally-run city after the 2025 merger (63 → 34).
#[derive(Debug, Clone, Copy)]
pub struct Province {
    /// The short name: "Cần Thơ", "Nghệ An", "Hồ Chí Minh".
    pub short: &'static str,
    /// Whether it is a centrally-run city (thành phố trực thuộc trung ương).
    pub city: bool,
    /// The provincial newspaper's name.
    pub publisher: &'static str,
    /// A plain-ASCII slug for synthetic web addresses.
    pub slug: &'static str,
}

impl Province {
    /// "thành phố" or "tỉnh", as written inside names ("Hội đồng nhân dân thành phố Cần Thơ").
    #[must_use]
    pub fn unit_word(&self) -> &'static str {
        if self.city { "thành phố" } else { "tỉnh" }
    }

    /// The name used after the unit word: "Cần Thơ", and "Thành phố Hồ Chí Minh" written in
    /// full, as the city's own documents write it.
    #[must_use]
    pub fn qualified(&self) -> String {
        if self.short == "Hồ Chí Minh" {
            "Thành phố Hồ Chí Minh".to_owned()
        } else {
            format!("{} {}", self.unit_word(), self.short)
        }
    }

    /// The administrative unit's name: "Thành phố Cần Thơ", "Tỉnh Nghệ An".
    #[must_use]
    pub fn unit_name(&self) -> String {
        if self.city {
            format!("Thành phố {}", self.short)
        } else {
            format!("Tỉnh {}", self.short)
        }
    }

    /// The Party committee's name: "Thành ủy Cần Thơ", "Tỉnh ủy Nghệ An", "Thành ủy Thành phố
    /// Hồ Chí Minh".
    #[must_use]
    pub fn party_committee(&self) -> String {
        match (self.city, self.short) {
            (true, "Hồ Chí Minh") => "Thành ủy Thành phố Hồ Chí Minh".to_owned(),
            (true, short) => format!("Thành ủy {short}"),
            (false, short) => format!("Tỉnh ủy {short}"),
        }
    }

    /// "Thành ủy" or "Tỉnh ủy".
    #[must_use]
    pub fn party_word(&self) -> &'static str {
        if self.city {
            "Thành ủy"
        } else {
            "Tỉnh ủy"
        }
    }
}

const fn province(
    short: &'static str,
    city: bool,
    publisher: &'static str,
    slug: &'static str,
) -> Province {
    Province {
        short,
        city,
        publisher,
        slug,
    }
}

/// The 34 provinces and centrally-run cities in force from 2025-07-01, in the order the sizes
/// take them: size s loads the first (Cần Thơ, the city of the founding article), m the first
/// ten, l all of them.
pub const PROVINCES: [Province; 34] = [
    province("Cần Thơ", true, "Báo Cần Thơ", "cantho"),
    province("Hà Nội", true, "Báo Hànộimới", "hanoi"),
    province("Hồ Chí Minh", true, "Báo Sài Gòn Giải Phóng", "hcm"),
    province("Đà Nẵng", true, "Báo Đà Nẵng", "danang"),
    province("Hải Phòng", true, "Báo Hải Phòng", "haiphong"),
    province("Huế", true, "Báo Huế", "hue"),
    province("Nghệ An", false, "Báo Nghệ An", "nghean"),
    province("Thanh Hóa", false, "Báo Thanh Hóa", "thanhhoa"),
    province("An Giang", false, "Báo An Giang", "angiang"),
    province("Đồng Nai", false, "Báo Đồng Nai", "dongnai"),
    province("Lai Châu", false, "Báo Lai Châu", "laichau"),
    province("Điện Biên", false, "Báo Điện Biên Phủ", "dienbien"),
    province("Sơn La", false, "Báo Sơn La", "sonla"),
    province("Lạng Sơn", false, "Báo Lạng Sơn", "langson"),
    province("Quảng Ninh", false, "Báo Quảng Ninh", "quangninh"),
    province("Hà Tĩnh", false, "Báo Hà Tĩnh", "hatinh"),
    province("Cao Bằng", false, "Báo Cao Bằng", "caobang"),
    province("Tuyên Quang", false, "Báo Tuyên Quang", "tuyenquang"),
    province("Lào Cai", false, "Báo Lào Cai", "laocai"),
    province("Thái Nguyên", false, "Báo Thái Nguyên", "thainguyen"),
    province("Phú Thọ", false, "Báo Phú Thọ", "phutho"),
    province("Bắc Ninh", false, "Báo Bắc Ninh", "bacninh"),
    province("Hưng Yên", false, "Báo Hưng Yên", "hungyen"),
    province("Ninh Bình", false, "Báo Ninh Bình", "ninhbinh"),
    province("Quảng Trị", false, "Báo Quảng Trị", "quangtri"),
    province("Quảng Ngãi", false, "Báo Quảng Ngãi", "quangngai"),
    province("Gia Lai", false, "Báo Gia Lai", "gialai"),
    province("Khánh Hòa", false, "Báo Khánh Hòa", "khanhhoa"),
    province("Lâm Đồng", false, "Báo Lâm Đồng", "lamdong"),
    province("Đắk Lắk", false, "Báo Đắk Lắk", "daklak"),
    province("Tây Ninh", false, "Báo Tây Ninh", "tayninh"),
    province("Vĩnh Long", false, "Báo Vĩnh Long", "vinhlong"),
    province("Đồng Tháp", false, "Báo Đồng Tháp", "dongthap"),
    province("Cà Mau", false, "Báo Cà Mau", "camau"),
];

/// First words of generated commune and ward names.
const COMMUNE_FIRST: &[&str] = &[
    "Tân", "An", "Phú", "Bình", "Hòa", "Thạnh", "Long", "Mỹ", "Vĩnh", "Phước", "Hưng", "Đông",
    "Tây", "Nam", "Bắc", "Thuận", "Lợi", "Hiệp", "Trung", "Thành", "Xuân", "Hải", "Sơn", "Quang",
    "Minh", "Đức", "Lộc", "Hương", "Thái", "Phong", "Kim", "Ngọc", "Hồng", "Tam", "Nghĩa", "Quảng",
    "Yên", "Cẩm", "Gia", "Đại",
];

/// Second words of generated commune and ward names.
const COMMUNE_SECOND: &[&str] = &[
    "Phú", "Bình", "Hòa", "Thạnh", "Long", "Lợi", "Hiệp", "Hưng", "Thuận", "An", "Lộc", "Thành",
    "Xuân", "Sơn", "Hải", "Trung", "Tiến", "Phong", "Thắng", "Lạc", "Điền", "Định", "Khánh", "Hội",
    "Phát", "Quới", "Mỹ", "Tây", "Đông", "Ninh",
];

/// A commune or ward name not yet used in the province ("Tân Phú", "An Bình"); once the pairs
/// run out (far beyond any real province), a numbered one.
pub fn commune_name(rng: &mut Rng, used: &mut std::collections::HashSet<String>) -> String {
    for _ in 0..64 {
        let first = rng.pick(COMMUNE_FIRST).copied().unwrap_or("Tân");
        let second = rng.pick(COMMUNE_SECOND).copied().unwrap_or("Phú");
        if first == second {
            continue;
        }
        let name = format!("{first} {second}");
        if used.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("Tân Phú {}", used.len() + 1);
    used.insert(name.clone());
    name
}

/// A body of a province or commune with a head post and a deputy post.
#[derive(Debug, Clone, Copy)]
pub struct Body {
    /// Its name before the place: "Sở Nội vụ", "Ban Tổ chức".
    pub name: &'static str,
    /// The code in its documents' numbers ("QĐ-SNV").
    pub code: &'static str,
    /// The head's title.
    pub head: &'static str,
    /// The deputies' title.
    pub deputy: &'static str,
    /// How many deputies it may have at once.
    pub deputies: u32,
    /// Whether its head usually sits on the Party committee.
    pub head_in_committee: bool,
}

const fn body(
    name: &'static str,
    code: &'static str,
    head: &'static str,
    deputy: &'static str,
    deputies: u32,
    head_in_committee: bool,
) -> Body {
    Body {
        name,
        code,
        head,
        deputy,
        deputies,
        head_in_committee,
    }
}

/// A province's specialized agencies after the 2025 reorganization, with the People's
/// Committee's office and the inspectorate.
pub const DEPARTMENTS: [Body; 14] = [
    body(
        "Văn phòng Ủy ban nhân dân",
        "VP",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        3,
        true,
    ),
    body("Sở Nội vụ", "SNV", "Giám đốc", "Phó Giám đốc", 3, true),
    body("Sở Tài chính", "STC", "Giám đốc", "Phó Giám đốc", 4, true),
    body("Sở Tư pháp", "STP", "Giám đốc", "Phó Giám đốc", 3, false),
    body(
        "Sở Công Thương",
        "SCT",
        "Giám đốc",
        "Phó Giám đốc",
        3,
        false,
    ),
    body(
        "Sở Nông nghiệp và Môi trường",
        "SNNMT",
        "Giám đốc",
        "Phó Giám đốc",
        4,
        true,
    ),
    body("Sở Xây dựng", "SXD", "Giám đốc", "Phó Giám đốc", 4, true),
    body(
        "Sở Khoa học và Công nghệ",
        "SKHCN",
        "Giám đốc",
        "Phó Giám đốc",
        3,
        false,
    ),
    body(
        "Sở Giáo dục và Đào tạo",
        "SGDĐT",
        "Giám đốc",
        "Phó Giám đốc",
        3,
        true,
    ),
    body("Sở Y tế", "SYT", "Giám đốc", "Phó Giám đốc", 3, true),
    body(
        "Sở Văn hóa, Thể thao và Du lịch",
        "SVHTTDL",
        "Giám đốc",
        "Phó Giám đốc",
        3,
        false,
    ),
    body(
        "Sở Dân tộc và Tôn giáo",
        "SDTTG",
        "Giám đốc",
        "Phó Giám đốc",
        2,
        false,
    ),
    body(
        "Thanh tra",
        "TTr",
        "Chánh Thanh tra",
        "Phó Chánh Thanh tra",
        3,
        true,
    ),
    body(
        "Ban Quản lý các khu công nghiệp",
        "BQL",
        "Trưởng ban",
        "Phó Trưởng ban",
        2,
        false,
    ),
];

/// A provincial Party committee's advisory boards that lived through every term (the
/// propaganda and mass-mobilization boards, merged in 2025, are built apart).
pub const PARTY_BOARDS: [Body; 3] = [
    body(
        "Ban Tổ chức",
        "BTC",
        "Trưởng ban",
        "Phó Trưởng ban",
        3,
        true,
    ),
    body(
        "Ủy ban Kiểm tra",
        "UBKT",
        "Chủ nhiệm",
        "Phó Chủ nhiệm",
        3,
        true,
    ),
    body(
        "Văn phòng",
        "VPTU",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        3,
        true,
    ),
];

/// The propaganda board before the 2025 merger.
pub const PROPAGANDA_BOARD: Body = body(
    "Ban Tuyên giáo",
    "BTG",
    "Trưởng ban",
    "Phó Trưởng ban",
    3,
    true,
);
/// The mass-mobilization board before the 2025 merger.
pub const MOBILIZATION_BOARD: Body = body(
    "Ban Dân vận",
    "BDV",
    "Trưởng ban",
    "Phó Trưởng ban",
    2,
    true,
);
/// The board the two merged into in 2025.
pub const MERGED_BOARD: Body = body(
    "Ban Tuyên giáo và Dân vận",
    "BTGDV",
    "Trưởng ban",
    "Phó Trưởng ban",
    4,
    true,
);

/// A socio-political organization as a province or commune names it.
#[derive(Debug, Clone, Copy)]
pub struct MassOrganization {
    /// The name before the place ("Hội Nông dân"); `None` for the Youth Union, whose name is
    /// built differently ("Thành Đoàn Cần Thơ", "Đoàn Thanh niên xã Tân Phú").
    pub name: Option<&'static str>,
    /// The head's title ("Chủ tịch"; "Bí thư" for the Youth Union).
    pub head: &'static str,
    /// The deputies' title.
    pub deputy: &'static str,
    /// Whether its leaders are women (the Women's Union).
    pub women: bool,
}

/// The socio-political organizations under the Fatherland Front.
pub const MASS_ORGANIZATIONS: [MassOrganization; 5] = [
    MassOrganization {
        name: Some("Liên đoàn Lao động"),
        head: "Chủ tịch",
        deputy: "Phó Chủ tịch",
        women: false,
    },
    MassOrganization {
        name: Some("Hội Nông dân"),
        head: "Chủ tịch",
        deputy: "Phó Chủ tịch",
        women: false,
    },
    MassOrganization {
        name: Some("Hội Liên hiệp Phụ nữ"),
        head: "Chủ tịch",
        deputy: "Phó Chủ tịch",
        women: true,
    },
    MassOrganization {
        name: None,
        head: "Bí thư",
        deputy: "Phó Bí thư",
        women: false,
    },
    MassOrganization {
        name: Some("Hội Cựu chiến binh"),
        head: "Chủ tịch",
        deputy: "Phó Chủ tịch",
        women: false,
    },
];

/// The offices of a commune's People's Committee, set up with the two-tier government on
/// 2025-07-01: (name in a commune, name in a ward, document code).
pub const COMMUNE_OFFICES: [(&str, &str, &str); 3] = [
    (
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
        "VP",
    ),
    ("Phòng Kinh tế", "Phòng Kinh tế, Hạ tầng và Đô thị", "PKT"),
    ("Phòng Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội", "PVHXH"),
];
