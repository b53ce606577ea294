//! Award decisions: record, revoke, read, and list by authority, form, year, recipient and status.
