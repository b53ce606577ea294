//! Storage tests: awards.
