//! Storage tests: holdings.
