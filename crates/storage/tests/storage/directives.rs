//! Storage tests: directives.
