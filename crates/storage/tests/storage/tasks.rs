//! Storage tests: tasks.
