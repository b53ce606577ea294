//! Dates as the press writes them: "Ngày 15-1-2021", "Sáng 7-1", "Chiều 19/01", "Tối ngày
//! 28.12", "ngày 12 tháng 2 năm 2025", "trước 10/9/2022", and date lines ("16/01/2021 - 05:59",
//! "10:01, 07/01/2021", "Cập nhật: 19/01/2021 16:23:00").
//!
//! A day and month without a year take the year that puts the date closest to a reference date
//! (the publication date), so a report published on 2 January about "Tối ngày 28.12" is dated
//! 28 December of the year before.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::draft::PartOfDay;
use crate::lexicon::{exact, folded};
use crate::tokens::{Doc, Kind, Phrase};

/// A day and month, with the year when written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DayMonth {
    /// The day of the month.
    pub day: u32,
    /// The month.
    pub month: u32,
    /// The year, when written.
    pub year: Option<i32>,
}

/// A date expression found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateExpr {
    /// "Sáng", "Chiều", ...
    pub part: Option<PartOfDay>,
    /// The date.
    pub date: DayMonth,
    /// Its tokens.
    pub tokens: Range<usize>,
}

/// Reads "15-1-2021", "19/01", "28.12", "10/9/2022": day and month of one or two digits and an
/// optional four-digit year, separated alike by '-', '/' or '.'.
pub(crate) fn numeric_date(text: &str) -> Option<DayMonth> {
    let separator = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = text.split(separator).collect();
    let digits = |part: &str, lengths: &[usize]| {
        (lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (day, month, year) = match parts.as_slice() {
        [day, month] => (digits(day, &[1, 2])?, digits(month, &[1, 2])?, None),
        [day, month, year] => (
            digits(day, &[1, 2])?,
            digits(month, &[1, 2])?,
            Some(i32::try_from(digits(year, &[4])?).ok()?),
        ),
        _ => return None,
    };
    if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    if let Some(year) = year {
        NaiveDate::from_ymd_opt(year, month, day)?;
    }
    Some(DayMonth { day, month, year })
}

/// Reads a time of day: "05:59", "16:23:00", "8h30", "8h".
pub(crate) fn time_of_day(text: &str) -> Option<NaiveTime> {
    let lower = text.to_lowercase();
    let (hours, minutes, seconds) = if let Some((h, rest)) = lower.split_once('h') {
        (h, if rest.is_empty() { "0" } else { rest }, "0")
    } else {
        let mut parts = lower.split(':');
        let h = parts.next()?;
        let m = parts.next()?;
        let s = parts.next().unwrap_or("0");
        if parts.next().is_some() {
            return None;
        }
        (h, m, s)
    };
    let number = |part: &str| {
        (!part.is_empty() && part.len() <= 2 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    NaiveTime::from_hms_opt(number(hours)?, number(minutes)?, number(seconds)?)
}

/// The words that name a part of the day, matched exactly ("chiều" the time, not a direction).
static PARTS_OF_DAY: LazyLock<Vec<(Phrase, PartOfDay)>> = LazyLock::new(|| {
    [
        ("rạng sáng", PartOfDay::Morning),
        ("sáng", PartOfDay::Morning),
        ("trưa", PartOfDay::Noon),
        ("chiều", PartOfDay::Afternoon),
        ("tối", PartOfDay::Evening),
        ("đêm", PartOfDay::Night),
    ]
    .into_iter()
    .map(|(text, part)| (Phrase::exact(text), part))
    .collect()
});

/// Words between a part of the day and the date: "Sáng nay 7-1", "Chiều hôm 19/01".
static DAY_WORDS: LazyLock<Vec<Phrase>> = LazyLock::new(|| exact(&["ngày", "hôm", "nay", "qua"]));

/// "tháng" and "năm", matched exactly ("năm" the year, not "Nam").
static MONTH_WORD: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("tháng"));
static YEAR_WORD: LazyLock<Phrase> = LazyLock::new(|| Phrase::exact("năm"));

/// Reads a date expression starting at token `i`: an optional part of the day, optional "ngày" /
/// "hôm" / "nay", then "15-1-2021" or "12 tháng 2 (năm 2025)".
pub(crate) fn date_at(doc: &Doc, i: usize, limit: usize) -> Option<DateExpr> {
    let mut at = i;
    let mut part = None;
    if let Some((phrase, found)) = PARTS_OF_DAY
        .iter()
        .find(|(phrase, _)| doc.phrase(at, limit, phrase).is_some())
    {
        at += phrase.words.len();
        part = Some(*found);
    }
    // At most two filler words ("Tối ngày", "Sáng hôm qua ngày").
    for _ in 0..3 {
        match DAY_WORDS.iter().find_map(|w| doc.phrase(at, limit, w)) {
            Some(next) => at = next,
            None => break,
        }
    }
    if at >= limit {
        return None;
    }
    // "Sáng nay (12/3)": the date in parentheses after a part of the day.
    if part.is_some()
        && doc.is_punct(at, '(')
        && doc.is_punct(at + 2, ')')
        && at + 2 < limit
        && let Some(date) = numeric_date(doc.tok(at + 1))
    {
        return Some(DateExpr {
            part,
            date,
            tokens: i..at + 3,
        });
    }
    if doc.kind(at) == Some(Kind::Number) {
        if let Some(date) = numeric_date(doc.tok(at)) {
            return Some(DateExpr {
                part,
                date,
                tokens: i..at + 1,
            });
        }
        // "12 tháng 2 năm 2025".
        let day: u32 = doc.tok(at).parse().ok()?;
        let after_month = doc.phrase(at + 1, limit, &MONTH_WORD)?;
        let month: u32 = doc.tok(after_month).parse().ok()?;
        let mut end = after_month + 1;
        let mut year = None;
        if let Some(after_year) = doc.phrase(end, limit, &YEAR_WORD)
            && let Ok(value) = doc.tok(after_year).parse::<i32>()
            && (1000..=9999).contains(&value)
        {
            year = Some(value);
            end = after_year + 1;
        }
        if end > limit || !(1..=31).contains(&day) || !(1..=12).contains(&month) {
            return None;
        }
        return Some(DateExpr {
            part,
            date: DayMonth { day, month, year },
            tokens: i..end,
        });
    }
    None
}

/// The date a day-month means, given a reference date for the year when it is not written: the
/// year that puts it closest to the reference. `None` when the date does not exist or there is
/// no year to take.
pub(crate) fn resolve(date: DayMonth, reference: Option<NaiveDate>) -> Option<NaiveDate> {
    if let Some(year) = date.year {
        return NaiveDate::from_ymd_opt(year, date.month, date.day);
    }
    let reference = reference?;
    let year = reference.year();
    [year - 1, year, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, date.month, date.day))
        .min_by_key(|candidate| (*candidate - reference).num_days().abs())
}

/// Words a date line may carry besides the date and time.
static DATE_LINE_WORDS: LazyLock<Vec<Phrase>> = LazyLock::new(|| {
    folded(&[
        "cập nhật",
        "ngày đăng",
        "đăng lúc",
        "ngày",
        "lúc",
        "xuất bản",
        "thứ hai",
        "thứ ba",
        "thứ tư",
        "thứ năm",
        "thứ sáu",
        "thứ bảy",
        "chủ nhật",
        "thứ",
        "gmt",
        "gmt+7",
        "sáng",
        "chiều",
        "tối",
    ])
});

/// Reads a date line (a line holding only a publication date and time, with optional weekday
/// and labels): the date and the time, when the line is one.
pub(crate) fn date_line(doc: &Doc, tokens: Range<usize>) -> Option<(NaiveDate, Option<NaiveTime>)> {
    let mut date = None;
    let mut time = None;
    let mut i = tokens.start;
    while i < tokens.end {
        match doc.kind(i) {
            Some(Kind::Number) => {
                if let Some(found) = numeric_date(doc.tok(i)) {
                    if date.is_some() {
                        return None;
                    }
                    date = Some(found);
                } else if let Some(found) = time_of_day(doc.tok(i)) {
                    time = Some(found);
                } else if !(doc.tok(i).len() <= 2 && i > tokens.start) {
                    // A weekday number ("Thứ 7") is the only other number allowed.
                    return None;
                }
                i += 1;
            }
            Some(Kind::Punct) => i += 1,
            Some(Kind::Word) => match DATE_LINE_WORDS
                .iter()
                .filter_map(|w| doc.phrase(i, tokens.end, w))
                .max()
            {
                Some(next) => i = next,
                None => {
                    // "8h30" tokenizes as a number; "h" alone would not get here.
                    return None;
                }
            },
            None => return None,
        }
    }
    let date = date?;
    let day = NaiveDate::from_ymd_opt(date.year?, date.month, date.day)?;
    Some((day, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_date(text: &str) -> Option<DateExpr> {
        let doc = Doc::new(text.to_owned());
        date_at(&doc, 0, doc.tokens.len())
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_press_date_forms_are_read() {
        let expr = first_date("Ngày 15-1-2021, Ban Thường vụ").unwrap();
        assert_eq!(
            expr.date,
            DayMonth {
                day: 15,
                month: 1,
                year: Some(2021)
            }
        );
        assert_eq!(expr.part, None);
        assert_eq!(expr.tokens, 0..2);

        let expr = first_date("Sáng 7-1, Huyện ủy").unwrap();
        assert_eq!(expr.part, Some(PartOfDay::Morning));
        assert_eq!(
            (expr.date.day, expr.date.month, expr.date.year),
            (7, 1, None)
        );

        let expr = first_date("Chiều 19/01, đồng chí").unwrap();
        assert_eq!(expr.part, Some(PartOfDay::Afternoon));
        assert_eq!((expr.date.day, expr.date.month), (19, 1));

        let expr = first_date("Tối ngày 28.12 tại").unwrap();
        assert_eq!(expr.part, Some(PartOfDay::Evening));
        assert_eq!((expr.date.day, expr.date.month), (28, 12));
        assert_eq!(expr.tokens, 0..3);

        let expr = first_date("Sáng nay (12/3), Ban Thường vụ").unwrap();
        assert_eq!((expr.date.day, expr.date.month), (12, 3));
        assert_eq!(expr.tokens, 0..5);

        let expr = first_date("ngày 12 tháng 2 năm 2025").unwrap();
        assert_eq!(expr.date.year, Some(2025));
        assert_eq!(expr.tokens, 0..6);
    }

    #[test]
    fn a_missing_year_comes_from_the_reference_date() {
        let date = |d, m| DayMonth {
            day: d,
            month: m,
            year: None,
        };
        assert_eq!(
            resolve(date(7, 1), Some(day("2021-01-07"))),
            Some(day("2021-01-07"))
        );
        // Published early in January about late December: the year before.
        assert_eq!(
            resolve(date(28, 12), Some(day("2021-01-02"))),
            Some(day("2020-12-28"))
        );
        assert_eq!(resolve(date(28, 12), None), None);
        assert_eq!(resolve(date(30, 2), Some(day("2021-01-02"))), None);
    }

    #[test]
    fn things_that_are_not_dates_are_refused() {
        assert_eq!(numeric_date("28,77"), None);
        assert_eq!(numeric_date("2021-2026"), None);
        assert_eq!(numeric_date("32/1"), None);
        assert_eq!(numeric_date("29/2/2021"), None);
        assert!(first_date("Năm 2020, công tác").is_none());
        assert!(first_date("Sáng tạo").is_none());
    }

    #[test]
    fn date_lines_give_date_and_time() {
        for (line, expected) in [
            ("16/01/2021 - 05:59", "2021-01-16 05:59:00"),
            ("10:01, 07/01/2021", "2021-01-07 10:01:00"),
            ("Cập nhật: 19/01/2021 16:23:00", "2021-01-19 16:23:00"),
            ("Thứ Bảy, 16/01/2021 05:59 (GMT+7)", "2021-01-16 05:59:00"),
        ] {
            let doc = Doc::new(line.to_owned());
            let (date, time) = date_line(&doc, 0..doc.tokens.len()).unwrap();
            assert_eq!(format!("{} {}", date, time.unwrap()), expected, "{line}");
        }
        let doc = Doc::new("Ngày 15-1-2021, Ban Thường vụ".to_owned());
        assert!(date_line(&doc, 0..doc.tokens.len()).is_none());
    }
}
