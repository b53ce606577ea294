//! Directives: issue, update, read, and list by issuer, meeting and date window.
