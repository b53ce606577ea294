//! Dates as the sources give them: partial dates (a year, a month or a day) and periods with
//! open or closed ends.
//!
//! # What "active on date D" means
//!
//! Sources often give only the year or the month in which a holding began or ended ("Chủ tịch
//! UBND from 2016 to 2021"). Gazette keeps that precision and never invents a day. A partial date
//! stands for every day it covers: "2021" covers 2021-01-01 to 2021-12-31, "2021-04" covers April.
//!
//! * [`Period::is_active_on`] answers "may it have been active on D": the period runs from the
//!   **first** day its start covers to the **last** day its end covers, both inclusive. A holding
//!   that ended "2021" is active on every day of 2021; one that began "2016-04" is active from
//!   2016-04-01. An open end runs forever in that direction. This is the reading behind "who held
//!   post X on D" and "what did P hold on D": a record whose dates are vague is shown rather than
//!   hidden, and a reader sees the precision next to it.
//! * [`Period::certain_span`] is the narrower span on which the period was **certainly** active:
//!   from the last day its start covers to the first day its end covers. The seat rule counts only
//!   certain overlaps, so a predecessor whose term ended "2021" and a successor appointed
//!   "2021-04-08" do not conflict: vague dates in a source are not evidence of two chairmen.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

/// The earliest year Gazette accepts in a date.
pub const MIN_YEAR: i32 = 1000;
/// The latest year Gazette accepts in a date.
pub const MAX_YEAR: i32 = 9999;

/// Why a date, date-time or period was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("{value:?} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")]
    Malformed {
        /// The text given.
        value: String,
    },
    /// The year is outside the range Gazette accepts.
    #[error("year {year} is outside {MIN_YEAR}..={MAX_YEAR}")]
    YearOutOfRange {
        /// The year given.
        year: i32,
    },
    /// The month is not 1 to 12.
    #[error("month {month} of {year} does not exist")]
    NoSuchMonth {
        /// The year given.
        year: i32,
        /// The month given.
        month: u32,
    },
    /// The day does not exist in that month ("2021-02-30").
    #[error("day {day} does not exist in {year:04}-{month:02}")]
    NoSuchDay {
        /// The year given.
        year: i32,
        /// The month given.
        month: u32,
        /// The day given.
        day: u32,
    },
    /// A time of day was given with a date that is not a full day.
    #[error("a time of day needs a full date, but {date} is only a {precision}")]
    TimeWithoutDay {
        /// The partial date given.
        date: PartialDate,
        /// Its precision.
        precision: Precision,
    },
    /// The time of day is malformed.
    #[error("{value:?} is not a time of day of the form HH:MM or HH:MM:SS")]
    MalformedTime {
        /// The text given.
        value: String,
    },
}

/// Why a period was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The end lies wholly before the start.
    #[error("a period cannot end ({end}) before it starts ({start})")]
    EndBeforeStart {
        /// The start given.
        start: PartialDate,
        /// The end given.
        end: PartialDate,
    },
}

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// Only the year.
    Year,
    /// The year and the month.
    Month,
    /// The full date.
    Day,
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Year => "year",
            Self::Month => "month",
            Self::Day => "day",
        })
    }
}

/// A date known to the year, the month or the day (Popolo's "YYYY", "YYYY-MM", "YYYY-MM-DD").
///
/// It orders by the first day it covers, then by precision (coarser first), so "2021" sorts
/// before "2021-01" before "2021-01-01".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDate {
    // Small fields keep `Period` (two of these) and the errors that carry periods compact.
    year: i16,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// A date known to the year.
    pub fn year(year: i32) -> Result<Self, DateError> {
        Ok(Self {
            year: check_year(year)?,
            month: None,
            day: None,
        })
    }

    /// A date known to the month.
    pub fn year_month(year: i32, month: u32) -> Result<Self, DateError> {
        let short_year = check_year(year)?;
        let short_month = u8::try_from(month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or(DateError::NoSuchMonth { year, month })?;
        Ok(Self {
            year: short_year,
            month: Some(short_month),
            day: None,
        })
    }

    /// A full date.
    pub fn ymd(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        Self::year_month(year, month)?;
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Self::from)
            .ok_or(DateError::NoSuchDay { year, month, day })
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (surrounding whitespace is ignored).
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let trimmed = text.trim();
        let malformed = || DateError::Malformed {
            value: text.to_owned(),
        };
        let mut parts = trimmed.split('-');
        let year = parts.next().ok_or_else(malformed)?;
        let month = parts.next();
        let day = parts.next();
        if parts.next().is_some() {
            return Err(malformed());
        }
        let number = |part: &str, width: usize| -> Result<u32, DateError> {
            if part.len() == width && part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().map_err(|_| malformed())
            } else {
                Err(malformed())
            }
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            // A five-digit or signed year is out of range rather than malformed, so that
            // "99999-01-01" gets the clearer message.
            if year.len() > 4 && year.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DateError::YearOutOfRange {
                    year: year.parse().unwrap_or(i32::MAX),
                });
            }
            return Err(malformed());
        }
        let year = i32::try_from(number(year, 4)?).map_err(|_| malformed())?;
        match (month, day) {
            (None, None) => Self::year(year),
            (Some(month), None) => Self::year_month(year, number(month, 2)?),
            (Some(month), Some(day)) => Self::ymd(year, number(month, 2)?, number(day, 2)?),
            (None, Some(_)) => Err(malformed()),
        }
    }

    /// How much of the date is known.
    #[must_use]
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The year.
    #[must_use]
    pub fn year_number(&self) -> i32 {
        i32::from(self.year)
    }

    /// The month, when known.
    #[must_use]
    pub fn month_number(&self) -> Option<u32> {
        self.month.map(u32::from)
    }

    /// The day of the month, when known.
    #[must_use]
    pub fn day_number(&self) -> Option<u32> {
        self.day.map(u32::from)
    }

    /// The full date, when the day is known.
    #[must_use]
    pub fn as_date(&self) -> Option<NaiveDate> {
        match (self.month_number(), self.day_number()) {
            (Some(month), Some(day)) => NaiveDate::from_ymd_opt(self.year_number(), month, day),
            _ => None,
        }
    }

    /// The first day this date covers.
    #[must_use]
    pub fn first_day(&self) -> NaiveDate {
        let date = NaiveDate::from_ymd_opt(
            self.year_number(),
            self.month_number().unwrap_or(1),
            self.day_number().unwrap_or(1),
        );
        // The fields were checked on construction, so the date exists; MIN is never reached.
        date.unwrap_or(NaiveDate::MIN)
    }

    /// The last day this date covers.
    #[must_use]
    pub fn last_day(&self) -> NaiveDate {
        let year = self.year_number();
        let date = match (self.month_number(), self.day_number()) {
            (None, _) => NaiveDate::from_ymd_opt(year, 12, 31),
            (Some(month), None) => {
                let (next_year, next_month) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(next_year, next_month, 1).and_then(|d| d.pred_opt())
            }
            (Some(month), Some(day)) => NaiveDate::from_ymd_opt(year, month, day),
        };
        // The fields were checked on construction, so the date exists; MAX is never reached.
        date.unwrap_or(NaiveDate::MAX)
    }

    /// Whether the date covers `day`.
    #[must_use]
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }
}

fn check_year(year: i32) -> Result<i16, DateError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        i16::try_from(year).map_err(|_| DateError::YearOutOfRange { year })
    } else {
        Err(DateError::YearOutOfRange { year })
    }
}

impl From<NaiveDate> for PartialDate {
    /// Dates outside the accepted years are clamped to the nearest accepted year's day: chrono
    /// dates reach far beyond what any record needs, and a conversion must not fail.
    fn from(date: NaiveDate) -> Self {
        let year = date.year().clamp(MIN_YEAR, MAX_YEAR);
        Self {
            year: i16::try_from(year).unwrap_or(i16::MAX),
            month: u8::try_from(date.month()).ok(),
            day: u8::try_from(date.day()).ok(),
        }
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.first_day()
            .cmp(&other.first_day())
            .then(self.precision().cmp(&other.precision()))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PartialDate {
    type Error = DateError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PartialDate> for String {
    fn from(value: PartialDate) -> Self {
        value.to_string()
    }
}

/// A partial date with an optional local time of day, as a meeting or a publication is dated
/// ("16/01/2021 - 05:59"). The time is the local wall-clock time where it happened (for
/// Vietnam, UTC+07:00) and only exists with a full date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PartialDateTime {
    date: PartialDate,
    time: Option<NaiveTime>,
}

impl PartialDateTime {
    /// A date with a time of day, or a partial date alone.
    pub fn new(date: PartialDate, time: Option<NaiveTime>) -> Result<Self, DateError> {
        if time.is_some() && date.precision() != Precision::Day {
            return Err(DateError::TimeWithoutDay {
                precision: date.precision(),
                date,
            });
        }
        Ok(Self { date, time })
    }

    /// Parses `YYYY[-MM[-DD]]`, optionally followed by `T` or a space and `HH:MM[:SS]`.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let trimmed = text.trim();
        let split = trimmed.find(['T', ' ']);
        let (date_part, time_part) = match split {
            Some(index) => (&trimmed[..index], Some(trimmed[index + 1..].trim())),
            None => (trimmed, None),
        };
        let date = PartialDate::parse(date_part)?;
        let time = match time_part {
            None => None,
            Some(time) => Some(
                NaiveTime::parse_from_str(time, "%H:%M:%S")
                    .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
                    .map_err(|_| DateError::MalformedTime {
                        value: time.to_owned(),
                    })?,
            ),
        };
        Self::new(date, time)
    }

    /// The date.
    #[must_use]
    pub fn date(&self) -> PartialDate {
        self.date
    }

    /// The local time of day, when known.
    #[must_use]
    pub fn time(&self) -> Option<NaiveTime> {
        self.time
    }

    /// The local date and time, when both are known.
    #[must_use]
    pub fn as_date_time(&self) -> Option<NaiveDateTime> {
        Some(self.date.as_date()?.and_time(self.time?))
    }
}

impl From<PartialDate> for PartialDateTime {
    fn from(date: PartialDate) -> Self {
        Self { date, time: None }
    }
}

impl From<NaiveDateTime> for PartialDateTime {
    fn from(value: NaiveDateTime) -> Self {
        Self {
            date: value.date().into(),
            time: Some(value.time()),
        }
    }
}

impl fmt::Display for PartialDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date)?;
        if let Some(time) = self.time {
            write!(f, "T{}", time.format("%H:%M:%S"))?;
        }
        Ok(())
    }
}

impl FromStr for PartialDateTime {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for PartialDateTime {
    type Error = DateError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PartialDateTime> for String {
    fn from(value: PartialDateTime) -> Self {
        value.to_string()
    }
}

/// A span of time with open or closed ends, each a [`PartialDate`]; the end is never wholly
/// before the start. See the module documentation for what "active on a date" means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "RawPeriod", into = "RawPeriod")]
pub struct Period {
    start: Option<PartialDate>,
    end: Option<PartialDate>,
}

#[derive(Serialize, Deserialize)]
struct RawPeriod {
    start: Option<PartialDate>,
    end: Option<PartialDate>,
}

impl TryFrom<RawPeriod> for Period {
    type Error = PeriodError;

    fn try_from(raw: RawPeriod) -> Result<Self, Self::Error> {
        Self::new(raw.start, raw.end)
    }
}

impl From<Period> for RawPeriod {
    fn from(period: Period) -> Self {
        Self {
            start: period.start,
            end: period.end,
        }
    }
}

impl Period {
    /// A period from `start` to `end`; `None` leaves that end open.
    pub fn new(start: Option<PartialDate>, end: Option<PartialDate>) -> Result<Self, PeriodError> {
        if let (Some(start), Some(end)) = (start, end)
            && end.last_day() < start.first_day()
        {
            return Err(PeriodError::EndBeforeStart { start, end });
        }
        Ok(Self { start, end })
    }

    /// The period open at both ends: always.
    #[must_use]
    pub const fn always() -> Self {
        Self {
            start: None,
            end: None,
        }
    }

    /// A period from `start` with no end yet.
    #[must_use]
    pub const fn from_start(start: PartialDate) -> Self {
        Self {
            start: Some(start),
            end: None,
        }
    }

    /// The period of exactly one day.
    #[must_use]
    pub fn on(day: NaiveDate) -> Self {
        Self {
            start: Some(day.into()),
            end: Some(day.into()),
        }
    }

    /// The start, when known.
    #[must_use]
    pub fn start(&self) -> Option<PartialDate> {
        self.start
    }

    /// The end, when known (`None`: still running, or never recorded).
    #[must_use]
    pub fn end(&self) -> Option<PartialDate> {
        self.end
    }

    /// This period with its end set (e.g. when a holding ends).
    pub fn with_end(self, end: PartialDate) -> Result<Self, PeriodError> {
        Self::new(self.start, Some(end))
    }

    /// The first day the period may have been active (`None`: unbounded).
    #[must_use]
    pub fn earliest(&self) -> Option<NaiveDate> {
        self.start.map(|d| d.first_day())
    }

    /// The last day the period may have been active (`None`: unbounded).
    #[must_use]
    pub fn latest(&self) -> Option<NaiveDate> {
        self.end.map(|d| d.last_day())
    }

    /// Whether the period may have been active on `day`: `day` lies between the first day the
    /// start covers and the last day the end covers, both inclusive.
    #[must_use]
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.earliest().is_none_or(|first| first <= day)
            && self.latest().is_none_or(|last| day <= last)
    }

    /// Whether the two periods may have been active on a common day.
    #[must_use]
    pub fn may_overlap(&self, other: &Self) -> bool {
        let starts_before_other_ends = match (self.earliest(), other.latest()) {
            (Some(first), Some(last)) => first <= last,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.earliest(), self.latest()) {
            (Some(first), Some(last)) => first <= last,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }

    /// The span on which the period was certainly active: from the last day its start covers to
    /// the first day its end covers (each `None` when that end is open). `None` as a whole when
    /// the dates are too vague to be certain of any day ("2021" to "2021").
    #[must_use]
    pub fn certain_span(&self) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
        let from = self.start.map(|d| d.last_day());
        let to = self.end.map(|d| d.first_day());
        match (from, to) {
            (Some(from), Some(to)) if to < from => None,
            _ => Some((from, to)),
        }
    }

    /// Whether both periods were certainly active on a common day.
    #[must_use]
    pub fn certainly_overlaps(&self, other: &Self) -> bool {
        let (Some((a_from, a_to)), Some((b_from, b_to))) =
            (self.certain_span(), other.certain_span())
        else {
            return false;
        };
        let a_starts_before_b_ends = match (a_from, b_to) {
            (Some(from), Some(to)) => from <= to,
            _ => true,
        };
        let b_starts_before_a_ends = match (b_from, a_to) {
            (Some(from), Some(to)) => from <= to,
            _ => true,
        };
        a_starts_before_b_ends && b_starts_before_a_ends
    }

    /// Whether this period lies within `outer` as far as the dates allow: it cannot be shown
    /// to start before `outer` can have started or to end after `outer` can have ended, and it
    /// cannot lie wholly after `outer` ended or wholly before `outer` started. An unknown end of
    /// this period is taken as compatible; an open end of `outer` bounds nothing.
    #[must_use]
    pub fn lies_within(&self, outer: &Self) -> bool {
        let starts_after_outer_starts = match (outer.earliest(), self.start) {
            (Some(outer_first), Some(start)) => start.last_day() >= outer_first,
            _ => true,
        };
        let ends_before_outer_ends = match (outer.latest(), self.end) {
            (Some(outer_last), Some(end)) => end.first_day() <= outer_last,
            _ => true,
        };
        // A start after the outer end (or an end before the outer start) puts the whole period
        // outside, even when the other end is unknown.
        let starts_before_outer_ends = match (outer.latest(), self.start) {
            (Some(outer_last), Some(start)) => start.first_day() <= outer_last,
            _ => true,
        };
        let ends_after_outer_starts = match (outer.earliest(), self.end) {
            (Some(outer_first), Some(end)) => end.last_day() >= outer_first,
            _ => true,
        };
        starts_after_outer_starts
            && ends_before_outer_ends
            && starts_before_outer_ends
            && ends_after_outer_starts
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.start {
            Some(start) => write!(f, "{start}")?,
            None => f.write_str("…")?,
        }
        f.write_str(" – ")?;
        match self.end {
            Some(end) => write!(f, "{end}"),
            None => f.write_str("…"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn partial_dates_keep_their_precision_through_text() {
        for text in ["2021", "2021-01", "2021-01-15", "1945-09-02"] {
            assert_eq!(d(text).to_string(), text);
        }
        assert_eq!(d("2021").precision(), Precision::Year);
        assert_eq!(d("2021-01").precision(), Precision::Month);
        assert_eq!(d("2021-01-15").precision(), Precision::Day);
    }

    #[test]
    fn impossible_dates_are_rejected_with_the_values() {
        assert_eq!(
            PartialDate::parse("2021-02-30").unwrap_err().to_string(),
            "day 30 does not exist in 2021-02"
        );
        assert_eq!(
            PartialDate::parse("99999-01-01").unwrap_err(),
            DateError::YearOutOfRange { year: 99999 }
        );
        assert_eq!(
            PartialDate::parse("2021-13").unwrap_err(),
            DateError::NoSuchMonth {
                year: 2021,
                month: 13
            }
        );
        for bad in [
            "",
            "21",
            "2021-1-5",
            "2021/01/05",
            "2021-01-05-01",
            "-2021",
            "２０２１",
        ] {
            assert!(PartialDate::parse(bad).is_err(), "{bad:?} must be rejected");
        }
        assert!(PartialDate::parse("2024-02-29").is_ok());
        assert!(PartialDate::parse("2023-02-29").is_err());
    }

    #[test]
    fn a_partial_date_covers_every_day_of_its_span() {
        assert_eq!(d("2021").first_day(), day("2021-01-01"));
        assert_eq!(d("2021").last_day(), day("2021-12-31"));
        assert_eq!(d("2024-02").last_day(), day("2024-02-29"));
        assert_eq!(d("2021-12").last_day(), day("2021-12-31"));
        assert!(d("2021-01").covers(day("2021-01-31")));
        assert!(!d("2021-01").covers(day("2021-02-01")));
    }

    #[test]
    fn partial_dates_order_by_first_day_then_precision() {
        let mut dates = vec![d("2021-01-01"), d("2020-12-31"), d("2021"), d("2021-01")];
        dates.sort();
        assert_eq!(
            dates,
            vec![d("2020-12-31"), d("2021"), d("2021-01"), d("2021-01-01")]
        );
    }

    #[test]
    fn a_holding_that_ended_in_a_year_is_active_all_that_year() {
        let term = Period::new(Some(d("2016-04")), Some(d("2021"))).unwrap();
        assert!(!term.is_active_on(day("2016-03-31")));
        assert!(term.is_active_on(day("2016-04-01")));
        assert!(term.is_active_on(day("2021-12-31")));
        assert!(!term.is_active_on(day("2022-01-01")));
    }

    #[test]
    fn an_open_period_is_active_from_its_start_on() {
        let term = Period::from_start(d("2021-01-15"));
        assert!(term.is_active_on(day("2099-01-01")));
        assert!(!term.is_active_on(day("2021-01-14")));
        assert!(Period::always().is_active_on(day("1900-01-01")));
    }

    #[test]
    fn a_period_cannot_end_before_it_starts() {
        let error = Period::new(Some(d("2021-05-01")), Some(d("2021-04-30"))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a period cannot end (2021-04-30) before it starts (2021-05-01)"
        );
        // Ends that share a year are fine: the end "2021" may be after May.
        assert!(Period::new(Some(d("2021-05-01")), Some(d("2021"))).is_ok());
        assert!(Period::new(Some(d("2021-05-01")), Some(d("2021-05-01"))).is_ok());
    }

    #[test]
    fn vague_ends_in_the_same_year_may_but_need_not_overlap() {
        let predecessor = Period::new(Some(d("2016")), Some(d("2021"))).unwrap();
        let successor = Period::from_start(d("2021-04-08"));
        assert!(predecessor.may_overlap(&successor));
        assert!(!predecessor.certainly_overlaps(&successor));
        let certain = Period::new(Some(d("2016")), Some(d("2021-06-01"))).unwrap();
        assert!(certain.certainly_overlaps(&successor));
    }

    #[test]
    fn a_period_starting_after_its_outer_period_ended_does_not_lie_within_it() {
        let post_life = Period::new(None, Some(d("2021-12"))).unwrap();
        assert!(!Period::from_start(d("2022")).lies_within(&post_life));
        assert!(Period::from_start(d("2021")).lies_within(&post_life));
        let organization_life = Period::from_start(d("1976"));
        assert!(
            !Period::new(None, Some(d("1975")))
                .unwrap()
                .lies_within(&organization_life)
        );
        assert!(
            Period::new(Some(d("1980")), Some(d("1990")))
                .unwrap()
                .lies_within(&organization_life)
        );
    }

    #[test]
    fn date_times_need_a_full_date() {
        let published = PartialDateTime::parse("2021-01-16 05:59").unwrap();
        assert_eq!(published.to_string(), "2021-01-16T05:59:00");
        assert_eq!(
            PartialDateTime::parse("2021-01-16T05:59:00").unwrap(),
            published
        );
        assert_eq!(
            PartialDateTime::parse("2020-08").unwrap().to_string(),
            "2020-08"
        );
        assert!(matches!(
            PartialDateTime::parse("2020-08 10:00"),
            Err(DateError::TimeWithoutDay { .. })
        ));
        assert!(PartialDateTime::parse("2021-01-16 25:00").is_err());
    }

    #[test]
    fn dates_and_periods_round_trip_through_json() {
        let period = Period::new(Some(d("2016-04")), Some(d("2021"))).unwrap();
        let json = serde_json::to_string(&period).unwrap();
        assert_eq!(json, r#"{"start":"2016-04","end":"2021"}"#);
        assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), period);
        assert!(serde_json::from_str::<Period>(r#"{"start":"2021","end":"2020"}"#).is_err());
        assert!(serde_json::from_str::<PartialDate>(r#""2021-02-30""#).is_err());
    }

    fn partial_date() -> impl Strategy<Value = PartialDate> {
        (1990i32..2030, 0u32..=12, 0u32..=31).prop_filter_map("valid", |(y, m, dd)| match (m, dd) {
            (0, _) => PartialDate::year(y).ok(),
            (m, 0) => PartialDate::year_month(y, m).ok(),
            (m, dd) => PartialDate::ymd(y, m, dd).ok(),
        })
    }

    fn period() -> impl Strategy<Value = Period> {
        (
            proptest::option::of(partial_date()),
            proptest::option::of(partial_date()),
        )
            .prop_filter_map("end not before start", |(s, e)| Period::new(s, e).ok())
    }

    fn any_day() -> impl Strategy<Value = NaiveDate> {
        (0i64..(40 * 366)).prop_map(|offset| {
            NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(offset as u64)
        })
    }

    proptest! {
        #[test]
        fn partial_dates_round_trip_through_text(date in partial_date()) {
            prop_assert_eq!(PartialDate::parse(&date.to_string()).unwrap(), date);
            prop_assert!(date.first_day() <= date.last_day());
        }

        #[test]
        fn overlap_is_symmetric(a in period(), b in period()) {
            prop_assert_eq!(a.may_overlap(&b), b.may_overlap(&a));
            prop_assert_eq!(a.certainly_overlaps(&b), b.certainly_overlaps(&a));
        }

        #[test]
        fn certain_overlap_implies_possible_overlap(a in period(), b in period()) {
            if a.certainly_overlaps(&b) {
                prop_assert!(a.may_overlap(&b));
            }
        }

        #[test]
        fn a_period_overlaps_a_day_exactly_when_it_is_active_on_it(p in period(), d in any_day()) {
            prop_assert_eq!(p.may_overlap(&Period::on(d)), p.is_active_on(d));
        }

        #[test]
        fn days_of_the_certain_span_are_active_days(p in period(), d in any_day()) {
            if let Some((from, to)) = p.certain_span()
                && from.is_none_or(|f| f <= d)
                && to.is_none_or(|t| d <= t)
            {
                prop_assert!(p.is_active_on(d));
            }
        }

        #[test]
        fn a_period_lies_within_itself_and_within_always(p in period()) {
            prop_assert!(p.lies_within(&p));
            prop_assert!(p.lies_within(&Period::always()));
        }

        #[test]
        fn possible_overlap_means_a_shared_active_day(a in period(), b in period()) {
            // The latest of the two earliest days is then a day both may have been active on.
            if a.may_overlap(&b) {
                let probe = match (a.earliest(), b.earliest()) {
                    (Some(x), Some(y)) => x.max(y),
                    (Some(x), None) | (None, Some(x)) => x,
                    (None, None) => a.latest().or(b.latest()).unwrap_or(NaiveDate::MIN),
                };
                let probe = match (a.latest(), b.latest()) {
                    (Some(x), Some(y)) => probe.min(x.min(y)),
                    (Some(x), None) | (None, Some(x)) => probe.min(x),
                    (None, None) => probe,
                };
                prop_assert!(a.is_active_on(probe) && b.is_active_on(probe));
            }
        }
    }
}
