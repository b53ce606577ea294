//! Partial dates and date-times: never a panic; an accepted value prints back to itself.

#![no_main]

use gazette_domain::date::{PartialDate, PartialDateTime};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(date) = PartialDate::parse(text) {
        assert_eq!(PartialDate::parse(&date.to_string()), Ok(date));
        assert!(date.first_day() <= date.last_day());
    }
    if let Ok(value) = PartialDateTime::parse(text) {
        assert_eq!(PartialDateTime::parse(&value.to_string()), Ok(value));
    }
});
