//! sea-orm entities, one per table. They never leave this crate.

pub mod api_token;
pub mod audit_log;
pub mod award_decision;
pub mod award_presentation;
pub mod award_recipient;
pub mod award_unnamed_recipient;
pub mod citation;
pub mod directive;
pub mod holding;
pub mod identifier;
pub mod meeting;
pub mod meeting_participant;
pub mod organization;
pub mod organization_succession;
pub mod person;
pub mod person_name_combination;
pub mod person_name_token;
pub mod post;
pub mod progress_report;
pub mod source;
pub mod task;
pub mod task_assignee;
pub mod task_lifecycle_change;
