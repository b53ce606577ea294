//! Person names: never a panic; an accepted name reads back unchanged.

#![no_main]

use gazette_domain::name::PersonName;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(name) = PersonName::parse(text) {
        let again = PersonName::parse_verbatim(name.full()).expect("a parsed name parses again");
        assert_eq!(again.full(), name.full());
    }
});
