//! Storage tests: sources.
