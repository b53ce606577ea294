//! Storage tests: concurrency.
