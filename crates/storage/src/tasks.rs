//! Tasks and progress reports: add, assign, report, move through the lifecycle, list, and per-unit statistics.
