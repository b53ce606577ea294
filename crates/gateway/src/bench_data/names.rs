//! Vietnamese personal names: family names with their real frequencies, middle and given
//! names by sex, all in NFC with their diacritics.
//!
//! Family-name shares follow the usual estimates for Vietnam (Nguyễn about 38%, Trần 11%, Lê
//! 9.5%, Phạm 7%, Hoàng/Huỳnh 5%, Phan 4.5%, Vũ/Võ 4%, Đặng 2%, Bùi 2%, Đỗ 1.4%, Hồ 1.3%,
//! Ngô 1.3%, Dương 1%, Lý 0.5%), the remaining 11% or so spread over the less common names.
//! Middle names are the common ones for each sex (Văn and Thị most of all, more so for older
//! people); about one name in seven has two middle words ("Trần Thị Vĩnh Nghi").

use super::rng::{Rng, Weighted};
use gazette_domain::person::Gender;

/// Family names and their shares in percent.
const FAMILY: &[(&str, f64)] = &[
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 2.6),
    ("Huỳnh", 2.4),
    ("Phan", 4.5),
    ("Vũ", 2.1),
    ("Võ", 1.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    // The rest, about 11.4% together.
    ("Đào", 0.7),
    ("Đoàn", 0.7),
    ("Trương", 0.7),
    ("Trịnh", 0.6),
    ("Đinh", 0.6),
    ("Lâm", 0.5),
    ("Mai", 0.5),
    ("Lương", 0.45),
    ("Hà", 0.45),
    ("Cao", 0.4),
    ("Tô", 0.35),
    ("Tạ", 0.35),
    ("Lưu", 0.35),
    ("Châu", 0.35),
    ("Phùng", 0.3),
    ("Vương", 0.3),
    ("Thái", 0.3),
    ("Quách", 0.25),
    ("Kiều", 0.2),
    ("Lại", 0.2),
    ("Triệu", 0.2),
    ("Từ", 0.2),
    ("Nông", 0.2),
    ("La", 0.15),
    ("Tăng", 0.15),
    ("Thân", 0.15),
    ("Khúc", 0.1),
    ("Mạc", 0.1),
    ("Văn", 0.1),
    ("Lò", 0.1),
    ("Hầu", 0.05),
    ("Sầm", 0.05),
    ("Kim", 0.05),
];

/// Men's middle names and their weights.
const MIDDLE_MALE: &[(&str, f64)] = &[
    ("Văn", 34.0),
    ("Hữu", 6.0),
    ("Đức", 6.0),
    ("Minh", 6.0),
    ("Quốc", 5.0),
    ("Thanh", 5.0),
    ("Xuân", 3.0),
    ("Công", 4.0),
    ("Quang", 4.0),
    ("Ngọc", 3.0),
    ("Trọng", 3.0),
    ("Đình", 4.0),
    ("Bá", 2.0),
    ("Anh", 2.0),
    ("Tuấn", 1.5),
    ("Hoàng", 2.0),
    ("Việt", 2.0),
    ("Huy", 1.0),
    ("Thế", 2.0),
    ("Tấn", 2.0),
    ("Hồng", 1.5),
    ("Mạnh", 1.0),
    ("Chí", 1.5),
    ("Duy", 1.5),
    ("Trung", 1.0),
    ("Phước", 1.0),
    ("Kim", 0.5),
    ("Thành", 1.0),
];

/// Women's middle names and their weights.
const MIDDLE_FEMALE: &[(&str, f64)] = &[
    ("Thị", 55.0),
    ("Ngọc", 7.0),
    ("Thanh", 5.0),
    ("Thu", 4.0),
    ("Kim", 4.0),
    ("Minh", 3.0),
    ("Thúy", 2.0),
    ("Hồng", 3.0),
    ("Bích", 2.0),
    ("Mỹ", 2.0),
    ("Hoài", 1.5),
    ("Phương", 2.0),
    ("Diệu", 1.0),
    ("Khánh", 1.0),
    ("Tuyết", 1.0),
    ("Lan", 1.0),
    ("Xuân", 1.5),
    ("Hải", 1.0),
    ("Quỳnh", 1.0),
];

/// Second middle words, for the names that have two ("Trần Thị Vĩnh Nghi").
const SECOND_MIDDLE_MALE: &[&str] = &[
    "Minh", "Quốc", "Thanh", "Hoàng", "Anh", "Tuấn", "Việt", "Ngọc", "Hữu", "Xuân", "Bảo", "Trung",
    "Hải", "Nhật", "Đăng",
];
const SECOND_MIDDLE_FEMALE: &[&str] = &[
    "Vĩnh", "Ngọc", "Thanh", "Thu", "Kim", "Bích", "Mỹ", "Hồng", "Phương", "Thúy", "Diệu", "Hoài",
    "Tuyết", "Minh", "Bảo",
];

/// Men's given names.
const GIVEN_MALE: &[&str] = &[
    "Hùng",
    "Dũng",
    "Hải",
    "Hiếu",
    "Hiểu",
    "Trường",
    "Tuấn",
    "Minh",
    "Nam",
    "Phong",
    "Thắng",
    "Sơn",
    "Long",
    "Quang",
    "Cường",
    "Bình",
    "Thành",
    "Tâm",
    "Tùng",
    "Việt",
    "Đức",
    "Hòa",
    "Khoa",
    "Khánh",
    "Lâm",
    "Lợi",
    "Lộc",
    "Mạnh",
    "Nghĩa",
    "Phúc",
    "Quân",
    "Quý",
    "Tài",
    "Thái",
    "Thanh",
    "Thiện",
    "Thịnh",
    "Toàn",
    "Trí",
    "Trung",
    "Tú",
    "Vinh",
    "Vũ",
    "Huy",
    "Hưng",
    "Kiên",
    "Đạt",
    "Duy",
    "An",
    "Anh",
    "Bảo",
    "Chiến",
    "Công",
    "Danh",
    "Định",
    "Giang",
    "Hà",
    "Hậu",
    "Hiển",
    "Hoàng",
    "Học",
    "Khải",
    "Kỳ",
    "Luân",
    "Lực",
    "Nhân",
    "Phát",
    "Phương",
    "Quyết",
    "Sang",
    "Tiến",
    "Tín",
    "Triều",
    "Tường",
    "Vĩnh",
    "Xuân",
    "Đông",
    "Thuận",
    "Hạnh",
    "Nguyên",
    "Phú",
    "Tấn",
    "Thông",
    "Trọng",
    "Hiệp",
    "Khiêm",
    "Lĩnh",
    "Ninh",
    "Quốc",
    "Tuệ",
    "Ước",
    "Đăng",
    "Dương",
    "Hào",
    "Mẫn",
    "Nhật",
    "Phước",
    "Sỹ",
    "Thạch",
    "Toản",
];

/// Women's given names.
const GIVEN_FEMALE: &[&str] = &[
    "Lan",
    "Hương",
    "Hoa",
    "Mai",
    "Linh",
    "Nga",
    "Hằng",
    "Thảo",
    "Trang",
    "Hạnh",
    "Nhung",
    "Phương",
    "Thủy",
    "Hà",
    "Hiền",
    "Huyền",
    "Loan",
    "Ngọc",
    "Oanh",
    "Thư",
    "Vân",
    "Yến",
    "Nghi",
    "Quyên",
    "Thy",
    "Dung",
    "Hồng",
    "Liên",
    "Lệ",
    "Ly",
    "My",
    "Nhàn",
    "Nhi",
    "Như",
    "Phượng",
    "Quỳnh",
    "Tâm",
    "Thanh",
    "Thoa",
    "Thơm",
    "Thúy",
    "Trinh",
    "Tuyết",
    "Uyên",
    "Xuân",
    "Diễm",
    "Giang",
    "Hậu",
    "Khánh",
    "Lụa",
    "Ánh",
    "Bích",
    "Châu",
    "Chi",
    "Diệp",
    "Duyên",
    "Hảo",
    "Hiếu",
    "Kiều",
    "Lài",
    "Lựu",
    "Mơ",
    "Ngân",
    "Nguyệt",
    "Nhạn",
    "Phúc",
    "Sương",
    "Thắm",
    "Thơ",
    "Tiên",
    "Trâm",
    "Vy",
    "Ý",
    "Yên",
    "Đào",
];

/// Draws Vietnamese names.
#[derive(Debug, Clone)]
pub struct NameTables {
    family: Weighted,
    middle_male: Weighted,
    middle_female: Weighted,
}

impl Default for NameTables {
    fn default() -> Self {
        Self::new()
    }
}

impl NameTables {
    /// The tables, with their weights ready to draw from.
    #[must_use]
    pub fn new() -> Self {
        Self {
            family: Weighted::new(FAMILY.iter().map(|(_, w)| *w)),
            middle_male: Weighted::new(MIDDLE_MALE.iter().map(|(_, w)| *w)),
            middle_female: Weighted::new(MIDDLE_FEMALE.iter().map(|(_, w)| *w)),
        }
    }

    /// A full name in Vietnamese order (family, middle, given), NFC, for a person of `gender`.
    pub fn full_name(&self, rng: &mut Rng, gender: Gender) -> String {
        let family = FAMILY
            .get(self.family.draw(rng))
            .map_or("Nguyễn", |(name, _)| *name);
        let female = gender == Gender::Female;
        let (middle_table, middles, seconds, givens) = if female {
            (
                &self.middle_female,
                MIDDLE_FEMALE,
                SECOND_MIDDLE_FEMALE,
                GIVEN_FEMALE,
            )
        } else {
            (
                &self.middle_male,
                MIDDLE_MALE,
                SECOND_MIDDLE_MALE,
                GIVEN_MALE,
            )
        };
        let middle = middles
            .get(middle_table.draw(rng))
            .map_or("Văn", |(name, _)| *name);
        let given = rng.pick(givens).copied().unwrap_or("An");
        let mut name = String::with_capacity(32);
        name.push_str(family);
        name.push(' ');
        name.push_str(middle);
        if rng.chance(0.14) {
            let second = rng.pick(seconds).copied().unwrap_or("Minh");
            if second != middle && second != given {
                name.push(' ');
                name.push_str(second);
            }
        }
        name.push(' ');
        name.push_str(given);
        name
    }

    /// A byline or photo credit as Vietnamese papers print them: two words in capitals
    /// ("THANH THY", "NGỌC QUYÊN").
    pub fn byline(&self, rng: &mut Rng) -> String {
        let female = rng.chance(0.5);
        let (seconds, givens) = if female {
            (SECOND_MIDDLE_FEMALE, GIVEN_FEMALE)
        } else {
            (SECOND_MIDDLE_MALE, GIVEN_MALE)
        };
        let first = rng.pick(seconds).copied().unwrap_or("Thanh");
        let second = rng.pick(givens).copied().unwrap_or("Thy");
        format!("{} {}", first.to_uppercase(), second.to_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gazette_domain::name::PersonName;
    use gazette_domain::text::normalize_line;

    #[test]
    fn family_names_follow_their_shares() {
        let tables = NameTables::new();
        let mut rng = Rng::new(3);
        let draws = 50_000;
        let mut nguyen = 0u32;
        let mut tran = 0u32;
        for _ in 0..draws {
            let name = tables.full_name(&mut rng, Gender::Male);
            if name.starts_with("Nguyễn ") {
                nguyen += 1;
            } else if name.starts_with("Trần ") {
                tran += 1;
            }
        }
        let share = |n: u32| f64::from(n) / f64::from(draws);
        assert!((0.36..0.40).contains(&share(nguyen)), "{}", share(nguyen));
        assert!((0.10..0.12).contains(&share(tran)), "{}", share(tran));
    }

    #[test]
    fn every_name_is_valid_nfc_with_three_or_four_words_and_fits_its_sex() {
        let tables = NameTables::new();
        let mut rng = Rng::new(9);
        for index in 0..5_000 {
            let gender = if index % 2 == 0 {
                Gender::Female
            } else {
                Gender::Male
            };
            let full = tables.full_name(&mut rng, gender);
            assert_eq!(full, normalize_line(&full), "NFC, single spaces");
            let name = PersonName::parse_verbatim(&full).unwrap();
            assert_eq!(name.full(), full);
            let words = full.split(' ').count();
            assert!((3..=4).contains(&words), "{full}");
            if gender == Gender::Male {
                assert!(!full.contains(" Thị "), "{full}");
            }
        }
    }
}
