//! Holdings: appoint under the seat rule, end, update, and who held what on a date.
