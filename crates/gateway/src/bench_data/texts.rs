//! The words of generated records: what tasks ask, what meetings are called, what awards reward,
//! in the phrasing Vietnamese offices and papers use.

use super::rng::Rng;

/// A topic of public work: (the phrase, the first year it is talked about, the last).
type Topic = (&'static str, i32, i32);

/// Topics of meetings, directives and tasks.
const TOPICS: &[Topic] = &[
    ("giải ngân vốn đầu tư công", 2011, 9999),
    ("xây dựng nông thôn mới", 2011, 9999),
    ("cải cách hành chính", 2011, 9999),
    (
        "công tác dân vận và thực hiện quy chế dân chủ ở cơ sở",
        2011,
        9999,
    ),
    ("giải phóng mặt bằng các dự án trọng điểm", 2011, 9999),
    ("thu ngân sách nhà nước", 2011, 9999),
    ("phòng, chống thiên tai và tìm kiếm cứu nạn", 2011, 9999),
    ("bảo đảm an ninh, trật tự an toàn xã hội", 2011, 9999),
    ("tiếp công dân, giải quyết khiếu nại, tố cáo", 2011, 9999),
    ("phòng, chống tham nhũng, lãng phí", 2011, 9999),
    ("quản lý đất đai và trật tự xây dựng", 2011, 9999),
    ("bảo vệ môi trường và xử lý rác thải", 2011, 9999),
    ("phát triển du lịch", 2011, 9999),
    ("chuẩn bị năm học mới", 2011, 9999),
    ("chuyển đổi số", 2020, 9999),
    ("phòng, chống dịch COVID-19", 2020, 2022),
    (
        "phục hồi và phát triển kinh tế - xã hội sau đại dịch",
        2022,
        2023,
    ),
    ("xóa nhà tạm, nhà dột nát", 2024, 9999),
    ("sắp xếp đơn vị hành chính cấp xã", 2023, 2025),
    ("vận hành chính quyền địa phương hai cấp", 2025, 9999),
    (
        "bầu cử đại biểu Quốc hội và đại biểu Hội đồng nhân dân",
        2011,
        9999,
    ),
    ("giảm nghèo bền vững", 2011, 9999),
    ("phòng cháy, chữa cháy", 2011, 9999),
    ("bảo đảm trật tự an toàn giao thông", 2011, 9999),
];

/// A topic that may be talked about in `year`.
pub fn topic(rng: &mut Rng, year: i32) -> &'static str {
    for _ in 0..16 {
        let (phrase, first, last) = rng.pick(TOPICS).copied().unwrap_or(TOPICS[0]);
        let elections = phrase.starts_with("bầu cử");
        let election_year =
            matches!(year, 2011 | 2016 | 2021 | 2026) || matches!(year, 2010 | 2015 | 2020 | 2025);
        if (first..=last).contains(&year) && (!elections || election_year) {
            return phrase;
        }
    }
    TOPICS[0].0
}

/// What a task asks (the verb phrase before its object).
const TASK_VERBS: &[&str] = &[
    "Khẩn trương hoàn thành",
    "Tập trung chỉ đạo",
    "Rà soát, tham mưu đề xuất",
    "Xây dựng kế hoạch",
    "Tổ chức triển khai",
    "Đẩy nhanh tiến độ",
    "Kiểm tra, xử lý dứt điểm",
    "Tham mưu ban hành văn bản chỉ đạo về",
    "Chủ động phối hợp thực hiện",
    "Tổng hợp, báo cáo kết quả",
    "Tăng cường công tác tuyên truyền về",
    "Rà soát, đánh giá",
];

/// The objects of tasks, by topic-independent kind.
const TASK_OBJECTS: &[&str] = &[
    "các hồ sơ, thủ tục còn tồn đọng",
    "các chỉ tiêu được giao trong năm",
    "các kiến nghị của cử tri",
    "các dự án chậm tiến độ",
    "các vướng mắc của người dân và doanh nghiệp",
    "việc cập nhật dữ liệu lên hệ thống",
    "việc bố trí kinh phí thực hiện",
    "các điểm tồn tại sau kiểm tra",
];

/// A task's instruction, about `topic`, with its deadline when it has one.
pub fn task_text(rng: &mut Rng, topic: &str, deadline: Option<chrono::NaiveDate>) -> String {
    let verb = rng
        .pick(TASK_VERBS)
        .copied()
        .unwrap_or("Tổ chức triển khai");
    let mut text = if rng.chance(0.5) {
        format!("{verb} công tác {topic}")
    } else {
        let object = rng.pick(TASK_OBJECTS).copied().unwrap_or(TASK_OBJECTS[0]);
        format!("{verb} {object} trong lĩnh vực {topic}")
    };
    if let Some(day) = deadline {
        text.push_str(&format!(
            "; báo cáo kết quả trước ngày {}",
            day.format("%d/%m/%Y")
        ));
    }
    text
}

/// A progress report's words at `percent` done.
pub fn progress_note(rng: &mut Rng, percent: u32) -> String {
    const OPENINGS: &[&str] = &[
        "Đã triển khai thực hiện",
        "Đã ban hành kế hoạch và tổ chức thực hiện",
        "Đang phối hợp các đơn vị liên quan thực hiện",
        "Đã hoàn thành các bước chuẩn bị",
        "Đã tổ chức kiểm tra, rà soát",
    ];
    let opening = rng.pick(OPENINGS).copied().unwrap_or(OPENINGS[0]);
    if percent >= 100 {
        format!("{opening}; đã hoàn thành nhiệm vụ, đề nghị xác nhận hoàn thành")
    } else {
        format!("{opening}; ước đạt khoảng {percent}% khối lượng công việc")
    }
}

/// A field of achievement an award rewards, and the years it applies to.
const FIELDS: &[Topic] = &[
    ("thực hiện nhiệm vụ chính trị", 2011, 9999),
    ("công tác thi đua, khen thưởng", 2011, 9999),
    ("phong trào thi đua yêu nước", 2011, 9999),
    ("xây dựng nông thôn mới", 2011, 9999),
    ("công tác dân vận", 2011, 9999),
    ("thực hiện quy chế dân chủ ở cơ sở", 2011, 9999),
    ("cải cách hành chính", 2011, 9999),
    ("phong trào Toàn dân bảo vệ an ninh Tổ quốc", 2011, 9999),
    ("công tác xây dựng Đảng", 2011, 9999),
    ("công tác Mặt trận", 2011, 9999),
    (
        "phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa",
        2011,
        9999,
    ),
    ("công tác giảm nghèo", 2011, 9999),
    ("công tác khuyến học, khuyến tài", 2011, 9999),
    ("phòng, chống thiên tai", 2011, 9999),
    ("thu ngân sách nhà nước", 2011, 9999),
    ("công tác phòng, chống dịch COVID-19", 2020, 2022),
    ("chuyển đổi số", 2021, 9999),
    ("xóa nhà tạm, nhà dột nát", 2024, 9999),
    ("sắp xếp tổ chức bộ máy", 2025, 9999),
    ("công tác bầu cử", 2011, 9999),
];

/// The number of achievement fields.
pub const FIELD_COUNT: usize = FIELDS.len();

/// A field index applicable to `year`.
pub fn field(rng: &mut Rng, year: i32) -> usize {
    for _ in 0..16 {
        let index = rng.index(FIELDS.len());
        let (phrase, first, last) = FIELDS[index];
        let elections = phrase == "công tác bầu cử";
        if (first..=last).contains(&year)
            && (!elections || matches!(year, 2011 | 2016 | 2021 | 2026))
        {
            return index;
        }
    }
    0
}

/// The phrase of a field index.
#[must_use]
pub fn field_phrase(index: usize) -> &'static str {
    FIELDS
        .get(index)
        .map_or(FIELDS[0].0, |(phrase, _, _)| phrase)
}

/// Where a body meets.
pub fn location(rng: &mut Rng, seat: &str) -> String {
    const ROOMS: &[&str] = &["Hội trường", "Phòng họp", "Trụ sở", "Hội trường lớn"];
    let room = rng.pick(ROOMS).copied().unwrap_or("Hội trường");
    format!("{room} {seat}")
}

/// Roman numerals for council sessions and terms ("khóa X").
#[must_use]
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 9] = [
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
        (0, ""),
        (0, ""),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        if value == 0 {
            break;
        }
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_for_council_terms() {
        assert_eq!(roman(10), "X");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(17), "XVII");
    }

    #[test]
    fn topics_and_fields_respect_their_years() {
        let mut rng = Rng::new(2);
        for _ in 0..2_000 {
            assert_ne!(topic(&mut rng, 2015), "phòng, chống dịch COVID-19");
            let index = field(&mut rng, 2013);
            assert_ne!(field_phrase(index), "chuyển đổi số");
        }
    }
}
