//! Storage tests: organizations.
