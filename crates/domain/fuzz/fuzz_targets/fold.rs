//! Name folding: never a panic, and idempotent.

#![no_main]

use gazette_domain::text::fold;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let folded = fold(text);
    assert_eq!(fold(&folded), folded);
});
