//! Feeds arbitrary bytes to the article reader: it must never panic, whatever the bytes (not
//! UTF-8, NFD, control characters, megabytes without a full stop), and every draft it returns
//! must keep its promise that each span cuts its quote out of the normalized text.

#![no_main]

use gazette_ingest::{IngestOptions, ingest_bytes, normalize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(draft) = ingest_bytes(data, &IngestOptions::default()) else {
        return;
    };
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let chars: Vec<char> = normalize(text).chars().collect();
    for person in &draft.people {
        assert!(person.span.start <= person.span.end && person.span.end <= chars.len());
        let cut: String = chars[person.span.start..person.span.end].iter().collect();
        assert_eq!(cut, person.quote);
    }
    for directive in &draft.directives {
        for task in &directive.tasks {
            let cut: String = chars[task.span.start..task.span.end].iter().collect();
            assert_eq!(cut, task.quote);
        }
    }
});
