//! Decision numbers: never a panic; an accepted number is its own fixed point.

#![no_main]

use gazette_domain::award::number::DocumentNumber;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(number) = DocumentNumber::parse(text) {
        let again = DocumentNumber::parse(number.raw()).expect("a parsed number parses again");
        assert_eq!(again, number);
        assert_eq!(again.key(), number.key());
    }
});
