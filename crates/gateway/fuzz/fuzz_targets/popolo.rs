//! Feeds arbitrary bytes to the Popolo import's reading and checking of a file
//! (`popolo::check_document`, everything the import does before it looks at the database): it
//! must never panic, whatever the bytes (not JSON, not UTF-8, deeply nested, records of the
//! wrong shape, impossible dates, duplicate ids, cycles of parents), and every problem it finds
//! in a JSON document must point into that document (the parent of its JSON pointer is there).

#![no_main]

use gazette_gateway::popolo::check_document;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let problems = match check_document(data) {
        Ok(problems) => problems,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    let document: Value =
        serde_json::from_slice(data).expect("a document the import reads is JSON");
    for problem in &problems {
        let _ = problem.to_string();
        let pointer = problem
            .pointer()
            .expect("a problem in a JSON document has a JSON pointer");
        let (parent, _) = pointer
            .rsplit_once('/')
            .expect("a problem's pointer is below the document");
        assert!(
            document.pointer(parent).is_some(),
            "{problem}: {parent:?} is not in the document"
        );
    }
});
