//! Storage tests: meetings.
