//! The vocabulary of the Vietnamese press the recognizers match: provinces, family names, post
//! titles, verbs, and the built-in abbreviations (the table in the domain brief, DOMAIN.md).
//!
//! These are general conventions of Vietnamese public life and its press, not words fitted to
//! particular articles; `docs/ingest.md` lists them and says how to extend them.

use std::sync::LazyLock;

use crate::tokens::Phrase;

/// The provinces and centrally-run cities, with whether the place is a centrally-run city (so
/// that "thành phố X" is a province-level unit). The 63 units before the 2025 mergers are all
/// here, so both old and new names are known; Huế became a centrally-run city in 2025.
pub(crate) const PROVINCES: [(&str, bool); 64] = [
    ("Hà Nội", true),
    ("Hồ Chí Minh", true),
    ("Hải Phòng", true),
    ("Đà Nẵng", true),
    ("Cần Thơ", true),
    ("Huế", true),
    ("An Giang", false),
    ("Bà Rịa - Vũng Tàu", false),
    ("Bắc Giang", false),
    ("Bắc Kạn", false),
    ("Bạc Liêu", false),
    ("Bắc Ninh", false),
    ("Bến Tre", false),
    ("Bình Định", false),
    ("Bình Dương", false),
    ("Bình Phước", false),
    ("Bình Thuận", false),
    ("Cà Mau", false),
    ("Cao Bằng", false),
    ("Đắk Lắk", false),
    ("Đắk Nông", false),
    ("Điện Biên", false),
    ("Đồng Nai", false),
    ("Đồng Tháp", false),
    ("Gia Lai", false),
    ("Hà Giang", false),
    ("Hà Nam", false),
    ("Hà Tĩnh", false),
    ("Hải Dương", false),
    ("Hậu Giang", false),
    ("Hòa Bình", false),
    ("Hưng Yên", false),
    ("Khánh Hòa", false),
    ("Kiên Giang", false),
    ("Kon Tum", false),
    ("Lai Châu", false),
    ("Lâm Đồng", false),
    ("Lạng Sơn", false),
    ("Lào Cai", false),
    ("Long An", false),
    ("Nam Định", false),
    ("Nghệ An", false),
    ("Ninh Bình", false),
    ("Ninh Thuận", false),
    ("Phú Thọ", false),
    ("Phú Yên", false),
    ("Quảng Bình", false),
    ("Quảng Nam", false),
    ("Quảng Ngãi", false),
    ("Quảng Ninh", false),
    ("Quảng Trị", false),
    ("Sóc Trăng", false),
    ("Sơn La", false),
    ("Tây Ninh", false),
    ("Thái Bình", false),
    ("Thái Nguyên", false),
    ("Thanh Hóa", false),
    ("Thừa Thiên Huế", false),
    ("Tiền Giang", false),
    ("Trà Vinh", false),
    ("Tuyên Quang", false),
    ("Vĩnh Long", false),
    ("Vĩnh Phúc", false),
    ("Yên Bái", false),
];

/// The provinces as phrases, in the order of [`PROVINCES`].
pub(crate) static PROVINCE_PHRASES: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    PROVINCES
        .iter()
        .map(|(name, _)| Phrase::folded(name))
        .collect()
});

/// Common Vietnamese family names (folded), used to tell where a place name ends and a person's
/// name begins in "Chủ tịch UBND huyện Vạn Ninh Nguyễn Văn A". Middle names such as Văn and Thị
/// are deliberately absent.
pub(crate) const FAMILY_NAMES: [&str; 72] = [
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dinh", "doan", "trinh", "truong", "lam", "mai", "luong", "luu",
    "cao", "ha", "ta", "quach", "chu", "kieu", "thai", "la", "dao", "tong", "lai", "khuc", "thach",
    "mac", "chau", "trieu", "nong", "lo", "hau", "giang", "tieu", "nghiem", "to", "vuong", "tang",
    "khong", "kim", "bach", "dieu", "danh", "luc", "hua", "than", "ninh", "tu", "ung", "lieu",
    "don", "au", "lang", "phung", "van", "y", "ksor", "nie", "siu", "rmah", "kpa",
];

/// Whether a folded word is a common family name.
pub(crate) fn is_family_name(folded: &str) -> bool {
    // "Văn" is listed for completeness of old lists, but as a middle name it is far more common.
    folded != "van" && FAMILY_NAMES.contains(&folded)
}

/// How a title head relates to the organization after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadOrg {
    /// The organization follows ("Chủ tịch UBND tỉnh").
    Follows,
    /// The head's last `n` words are also the organization's first ("Trưởng Ban Dân vận":
    /// "Ban" belongs to both).
    Shares(usize),
    /// The head names a party committee's member ("Tỉnh ủy viên"): the committee is in the head.
    CommitteeMember,
    /// The head implies a national organization when none follows ("Thủ tướng": Chính phủ).
    Default(Fixed),
}

/// National bodies a head or an award form can imply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fixed {
    /// Chính phủ.
    Government,
    /// Chủ tịch nước.
    Presidency,
    /// Quốc hội.
    NationalAssembly,
    /// Ban Chấp hành Trung ương Đảng.
    CentralCommittee,
}

/// A post title that can head a title phrase.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    /// The words.
    pub phrase: Phrase,
    /// The post's title as stored ("Trưởng ban").
    pub post: &'static str,
    /// How the organization relates.
    pub org: HeadOrg,
}

/// The title heads, written as the press prints them, with the post stored and the seat rule.
const HEADS: [(&str, &str, HeadOrg, bool); 49] = [
    (
        "Phó Bí thư Thường trực",
        "Phó Bí thư Thường trực",
        HeadOrg::Follows,
        true,
    ),
    (
        "Tổng Bí thư",
        "Tổng Bí thư",
        HeadOrg::Default(Fixed::CentralCommittee),
        true,
    ),
    ("Phó Bí thư", "Phó Bí thư", HeadOrg::Follows, false),
    ("Bí thư", "Bí thư", HeadOrg::Follows, true),
    (
        "Phó Chủ tịch Thường trực",
        "Phó Chủ tịch Thường trực",
        HeadOrg::Follows,
        true,
    ),
    (
        "Phó Chủ tịch nước",
        "Phó Chủ tịch nước",
        HeadOrg::Default(Fixed::Presidency),
        true,
    ),
    (
        "Chủ tịch nước",
        "Chủ tịch nước",
        HeadOrg::Default(Fixed::Presidency),
        true,
    ),
    (
        "Chủ tịch Quốc hội",
        "Chủ tịch Quốc hội",
        HeadOrg::Default(Fixed::NationalAssembly),
        true,
    ),
    ("Phó Chủ tịch", "Phó Chủ tịch", HeadOrg::Follows, false),
    ("Chủ tịch", "Chủ tịch", HeadOrg::Follows, true),
    ("Trưởng ban", "Trưởng ban", HeadOrg::Shares(1), true),
    (
        "Phó Trưởng ban",
        "Phó Trưởng ban",
        HeadOrg::Shares(1),
        false,
    ),
    ("Trưởng phòng", "Trưởng phòng", HeadOrg::Shares(1), true),
    (
        "Phó Trưởng phòng",
        "Phó Trưởng phòng",
        HeadOrg::Shares(1),
        false,
    ),
    ("Trưởng đoàn", "Trưởng đoàn", HeadOrg::Shares(1), true),
    (
        "Phó Trưởng đoàn",
        "Phó Trưởng đoàn",
        HeadOrg::Shares(1),
        false,
    ),
    ("Trưởng Công an", "Trưởng Công an", HeadOrg::Shares(2), true),
    (
        "Phó Trưởng Công an",
        "Phó Trưởng Công an",
        HeadOrg::Shares(2),
        false,
    ),
    (
        "Chánh Văn phòng",
        "Chánh Văn phòng",
        HeadOrg::Shares(2),
        true,
    ),
    (
        "Phó Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        HeadOrg::Shares(2),
        false,
    ),
    (
        "Chánh Thanh tra",
        "Chánh Thanh tra",
        HeadOrg::Shares(2),
        true,
    ),
    (
        "Phó Chánh Thanh tra",
        "Phó Chánh Thanh tra",
        HeadOrg::Shares(2),
        false,
    ),
    ("Chánh án", "Chánh án", HeadOrg::Follows, true),
    ("Phó Chánh án", "Phó Chánh án", HeadOrg::Follows, false),
    ("Viện trưởng", "Viện trưởng", HeadOrg::Follows, true),
    (
        "Phó Viện trưởng",
        "Phó Viện trưởng",
        HeadOrg::Follows,
        false,
    ),
    ("Tổng Giám đốc", "Tổng Giám đốc", HeadOrg::Follows, true),
    (
        "Phó Tổng Giám đốc",
        "Phó Tổng Giám đốc",
        HeadOrg::Follows,
        false,
    ),
    ("Giám đốc", "Giám đốc", HeadOrg::Follows, true),
    ("Phó Giám đốc", "Phó Giám đốc", HeadOrg::Follows, false),
    ("Chủ nhiệm", "Chủ nhiệm", HeadOrg::Follows, true),
    ("Phó Chủ nhiệm", "Phó Chủ nhiệm", HeadOrg::Follows, false),
    (
        "Thủ tướng",
        "Thủ tướng",
        HeadOrg::Default(Fixed::Government),
        true,
    ),
    (
        "Phó Thủ tướng",
        "Phó Thủ tướng",
        HeadOrg::Default(Fixed::Government),
        false,
    ),
    ("Bộ trưởng", "Bộ trưởng", HeadOrg::Follows, true),
    ("Thứ trưởng", "Thứ trưởng", HeadOrg::Follows, false),
    (
        "Đại biểu Quốc hội",
        "Đại biểu Quốc hội",
        HeadOrg::Default(Fixed::NationalAssembly),
        false,
    ),
    ("Tỉnh ủy viên", "Ủy viên", HeadOrg::CommitteeMember, false),
    ("Thành ủy viên", "Ủy viên", HeadOrg::CommitteeMember, false),
    ("Huyện ủy viên", "Ủy viên", HeadOrg::CommitteeMember, false),
    ("Quận ủy viên", "Ủy viên", HeadOrg::CommitteeMember, false),
    ("Thị ủy viên", "Ủy viên", HeadOrg::CommitteeMember, false),
    ("Ủy viên", "Ủy viên", HeadOrg::Follows, false),
    ("Thành viên", "Thành viên", HeadOrg::Follows, false),
    ("Chỉ huy trưởng", "Chỉ huy trưởng", HeadOrg::Follows, true),
    ("Chính ủy", "Chính ủy", HeadOrg::Follows, true),
    ("Tư lệnh", "Tư lệnh", HeadOrg::Follows, true),
    ("Tổng Biên tập", "Tổng Biên tập", HeadOrg::Follows, true),
    (
        "Phó Tổng Biên tập",
        "Phó Tổng Biên tập",
        HeadOrg::Follows,
        false,
    ),
];

/// The title heads, compiled.
pub(crate) static TITLE_HEADS: LazyLock<Vec<Head>> = LazyLock::new(|| {
    HEADS
        .iter()
        .map(|&(text, post, org, _)| Head {
            phrase: Phrase::folded(text),
            post,
            org,
        })
        .collect()
});

/// The phrases of [`TITLE_HEADS`], for longest-match lookups.
pub(crate) static TITLE_HEAD_PHRASES: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| TITLE_HEADS.iter().map(|h| h.phrase.clone()).collect());

/// Whether a post with this title (as stored) has one seat; unknown titles have several.
#[must_use]
pub fn post_has_one_seat(post: &str) -> bool {
    let folded = gazette_domain::text::fold(post);
    HEADS
        .iter()
        .any(|&(_, stored, _, single)| single && gazette_domain::text::fold(stored) == folded)
}

/// Compiles a list of folded phrases.
pub(crate) fn folded(list: &[&str]) -> Vec<Phrase> {
    list.iter().map(|p| Phrase::folded(p)).collect()
}

/// Compiles a list of exact phrases.
pub(crate) fn exact(list: &[&str]) -> Vec<Phrase> {
    list.iter().map(|p| Phrase::exact(p)).collect()
}

/// Honorifics before a name (matched exactly: "bà" is not "ba").
pub(crate) static HONORIFICS: LazyLock<Vec<Phrase>> =
    LazyLock::new(|| exact(&["đồng chí", "đ/c", "ông", "bà", "các đồng chí"]));

/// Verbs that begin an instruction, matched on folded keys (multi-syllable, unambiguous).
pub(crate) static TASK_VERBS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut verbs = folded(&[
        "tiếp tục",
        "tăng cường",
        "thực hiện",
        "triển khai",
        "tập trung",
        "chủ động",
        "khẩn trương",
        "phối hợp",
        "báo cáo",
        "rà soát",
        "đôn đốc",
        "tham mưu",
        "xây dựng",
        "hoàn thiện",
        "hoàn thành",
        "đẩy mạnh",
        "nâng cao",
        "quan tâm",
        "chấn chỉnh",
        "kiểm tra",
        "giải quyết",
        "phát huy",
        "làm tốt",
        "bảo đảm",
        "đảm bảo",
        "chuẩn bị",
        "kịp thời",
        "tích cực",
        "lắng nghe",
        "đổi mới",
        "nắm bắt",
        "quyết liệt",
        "theo dõi",
        "xử lý",
        "khắc phục",
        "nghiên cứu",
        "đề xuất",
        "tuyên truyền",
        "quán triệt",
        "duy trì",
        "rút kinh nghiệm",
        "phát động",
        "tổng hợp",
        "cụ thể hóa",
        "thường xuyên",
        "chú trọng",
        "huy động",
        "hướng dẫn",
        "khảo sát",
        "ưu tiên",
        "bố trí",
        "sắp xếp",
        "tiến hành",
        "củng cố",
        "giám sát",
        "cập nhật",
        "nhân rộng",
        "phấn đấu",
        "hỗ trợ",
        "chỉ đạo",
        "tổ chức",
    ]);
    // One-syllable verbs would collide with other words when folded ("cần"/"cán", "tăng"/"tặng").
    verbs.extend(exact(&[
        "cần", "phải", "sớm", "gắn", "tăng", "giảm", "tiếp",
    ]));
    verbs
});

/// Verbs with which a leader directs, and the kind of instruction they introduce.
pub(crate) static DIRECTIVE_VERBS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    let mut verbs = folded(&["đề nghị", "yêu cầu", "chỉ đạo"]);
    verbs.push(Phrase::exact("giao"));
    verbs
});

/// Phrases that open a continuation of a directive in the next sentence.
pub(crate) static CONTINUATION_MARKERS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    folded(&[
        "trong đó",
        "đồng thời",
        "cụ thể",
        "theo đó",
        "bên cạnh đó",
        "ngoài ra",
        "mặt khác",
    ])
});

/// Adverbial openers skipped between a directive verb and its addressees ("đề nghị trên cơ sở
/// ..., Sở Nội vụ hoàn thiện").
pub(crate) static ADVERBIAL_OPENERS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    folded(&[
        "trên cơ sở",
        "căn cứ",
        "thời gian tới",
        "trong thời gian tới",
        "từ nay đến",
        "sau hội nghị",
        "trong năm",
        "để",
    ])
});

/// Nouns for kinds of unit that the press lists after one "các" ("các phòng, ban, ngành").
pub(crate) const UNIT_NOUNS: [&str; 15] = [
    "phong",
    "ban",
    "nganh",
    "don vi",
    "xa",
    "phuong",
    "thi tran",
    "so",
    "co quan",
    "dia phuong",
    "huyen",
    "quan",
    "thi xa",
    "doan the",
    "hoi",
];

/// The built-in abbreviations (DOMAIN.md's table and a few more in everyday press use), as
/// written, with what they stand for.
pub(crate) const BUILT_IN_ABBREVIATIONS: [(&str, &str); 31] = [
    ("HĐND", "Hội đồng nhân dân"),
    ("UBND", "Ủy ban nhân dân"),
    ("UBMTTQ", "Ủy ban Mặt trận Tổ quốc"),
    ("MTTQ", "Mặt trận Tổ quốc"),
    ("QCDC", "quy chế dân chủ"),
    ("BCĐ", "Ban Chỉ đạo"),
    ("BTV", "Ban Thường vụ"),
    ("BCH", "Ban Chấp hành"),
    ("TƯ", "Trung ương"),
    ("T.Ư", "Trung ương"),
    ("TW", "Trung ương"),
    ("ĐBQH", "đại biểu Quốc hội"),
    ("TĐKT", "thi đua, khen thưởng"),
    ("HĐTĐKT", "Hội đồng Thi đua - Khen thưởng"),
    ("NTM", "nông thôn mới"),
    ("DTTS", "dân tộc thiểu số"),
    ("CSTĐ", "Chiến sĩ thi đua"),
    ("LĐTT", "Lao động tiên tiến"),
    ("TTLĐXS", "Tập thể lao động xuất sắc"),
    ("TTLĐTT", "Tập thể lao động tiên tiến"),
    ("VPCP", "Văn phòng Chính phủ"),
    ("TTg", "Thủ tướng Chính phủ"),
    ("PV", "phóng viên"),
    ("TP", "thành phố"),
    ("TX", "thị xã"),
    ("TTĐT", "thông tin điện tử"),
    ("TTXVN", "Thông tấn xã Việt Nam"),
    ("KT-XH", "kinh tế - xã hội"),
    ("ATGT", "an toàn giao thông"),
    ("CCB", "Cựu chiến binh"),
    ("QĐ", "quyết định"),
];
