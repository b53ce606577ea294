//! Meetings: record, update, read, and list by organizer and date window.
