//! Sources and citations: what every fact came from.
