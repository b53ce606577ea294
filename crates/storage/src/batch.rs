//! The batch write path: many writes in one transaction, all or nothing.
//!
//! [`Database::apply`] runs a list of [`Write`]s in order inside one write transaction. Each one
//! goes through the same code as the single write of the same name (`create_person`,
//! `appoint`, ...), so every domain rule is checked against the current rows, and the rows
//! written earlier in the same batch are among them: a holding appointed at write 3 counts
//! under the seat rule for the holding appointed at write 7, and a person created at write 0
//! can be appointed at write 1. Every write records its own audit entry, in the same
//! transaction. The first write that fails rolls the whole batch back: nothing is written, the
//! audit log included, and the [`BatchError`] says which write failed and why.
//!
//! [`Database::apply_in_chunks`] is for bulk loading, where all-or-nothing per chunk is enough:
//! one transaction per chunk of writes, so a failure keeps the chunks committed before it.
//!
//! A batch holds its transaction for as long as its writes take: on SQLite it has the single
//! writer connection to itself and every other write waits; on PostgreSQL the rows it locks
//! stay locked until it ends, and since its writes lock rows in the order the batch lists
//! them, a batch racing another writer over the same rows may be refused as a deadlock (a
//! [`StorageError::Conflict`] saying to retry, with nothing written).

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use gazette_domain::award::AwardDecision;
use gazette_domain::award::number::DocumentNumber;
use gazette_domain::date::PartialDate;
use gazette_domain::directive::Directive;
use gazette_domain::holding::{EndReason, Holding};
use gazette_domain::ids::{AwardDecisionId, HoldingId, TaskId};
use gazette_domain::meeting::Meeting;
use gazette_domain::organization::Organization;
use gazette_domain::person::Person;
use gazette_domain::post::Post;
use gazette_domain::source::{Citation, Source};
use gazette_domain::task::{Lifecycle, ProgressReport, Task};
use gazette_domain::text::{Prose, Text};
use sea_orm::DatabaseTransaction;

use crate::Database;
use crate::audit::Actor;
use crate::error::StorageError;

/// One write of a batch: the arguments of the single write method of the same name.
#[derive(Debug, Clone)]
pub enum Write {
    /// [`Database::create_person`].
    CreatePerson(Person),
    /// [`Database::update_person`].
    UpdatePerson(Person),
    /// [`Database::create_organization`].
    CreateOrganization(Organization),
    /// [`Database::update_organization`].
    UpdateOrganization(Organization),
    /// [`Database::create_post`].
    CreatePost(Post),
    /// [`Database::update_post`].
    UpdatePost(Post),
    /// [`Database::appoint`].
    Appoint(Holding),
    /// [`Database::update_holding`].
    UpdateHolding(Holding),
    /// [`Database::end_holding`].
    EndHolding {
        /// The holding to end.
        id: HoldingId,
        /// Its last day, as precisely as known.
        end: PartialDate,
        /// Why it ended, when known.
        reason: Option<EndReason>,
    },
    /// [`Database::record_meeting`].
    RecordMeeting(Meeting),
    /// [`Database::update_meeting`].
    UpdateMeeting(Meeting),
    /// [`Database::issue_directive`].
    IssueDirective(Directive),
    /// [`Database::update_directive`].
    UpdateDirective(Directive),
    /// [`Database::add_task`].
    AddTask(Task),
    /// [`Database::update_task`].
    UpdateTask(Task),
    /// [`Database::transition_task`].
    TransitionTask {
        /// The task to move.
        id: TaskId,
        /// The state it moves to.
        to: Lifecycle,
        /// The day it moves.
        on: NaiveDate,
        /// A note on the move.
        note: Option<Text>,
    },
    /// [`Database::report_progress`].
    ReportProgress(ProgressReport),
    /// [`Database::record_award_decision`].
    RecordAwardDecision(AwardDecision),
    /// [`Database::update_award_decision`].
    UpdateAwardDecision(AwardDecision),
    /// [`Database::revoke_award_decision`].
    RevokeAwardDecision {
        /// The decision to revoke.
        id: AwardDecisionId,
        /// The day of the revocation.
        on: PartialDate,
        /// Why it was revoked.
        reason: Prose,
        /// The revoking document's number, when known.
        document: Option<DocumentNumber>,
    },
    /// [`Database::create_source`].
    CreateSource(Source),
    /// [`Database::update_source`].
    UpdateSource(Source),
    /// [`Database::cite`].
    Cite(Citation),
}

/// The kind of a [`Write`], for counting a batch's writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WriteKind {
    /// [`Write::CreatePerson`].
    CreatePerson,
    /// [`Write::UpdatePerson`].
    UpdatePerson,
    /// [`Write::CreateOrganization`].
    CreateOrganization,
    /// [`Write::UpdateOrganization`].
    UpdateOrganization,
    /// [`Write::CreatePost`].
    CreatePost,
    /// [`Write::UpdatePost`].
    UpdatePost,
    /// [`Write::Appoint`].
    Appoint,
    /// [`Write::UpdateHolding`].
    UpdateHolding,
    /// [`Write::EndHolding`].
    EndHolding,
    /// [`Write::RecordMeeting`].
    RecordMeeting,
    /// [`Write::UpdateMeeting`].
    UpdateMeeting,
    /// [`Write::IssueDirective`].
    IssueDirective,
    /// [`Write::UpdateDirective`].
    UpdateDirective,
    /// [`Write::AddTask`].
    AddTask,
    /// [`Write::UpdateTask`].
    UpdateTask,
    /// [`Write::TransitionTask`].
    TransitionTask,
    /// [`Write::ReportProgress`].
    ReportProgress,
    /// [`Write::RecordAwardDecision`].
    RecordAwardDecision,
    /// [`Write::UpdateAwardDecision`].
    UpdateAwardDecision,
    /// [`Write::RevokeAwardDecision`].
    RevokeAwardDecision,
    /// [`Write::CreateSource`].
    CreateSource,
    /// [`Write::UpdateSource`].
    UpdateSource,
    /// [`Write::Cite`].
    Cite,
}

impl WriteKind {
    /// The name of the write method, in snake case ("create_person", "appoint", ...).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::CreatePerson => "create_person",
            Self::UpdatePerson => "update_person",
            Self::CreateOrganization => "create_organization",
            Self::UpdateOrganization => "update_organization",
            Self::CreatePost => "create_post",
            Self::UpdatePost => "update_post",
            Self::Appoint => "appoint",
            Self::UpdateHolding => "update_holding",
            Self::EndHolding => "end_holding",
            Self::RecordMeeting => "record_meeting",
            Self::UpdateMeeting => "update_meeting",
            Self::IssueDirective => "issue_directive",
            Self::UpdateDirective => "update_directive",
            Self::AddTask => "add_task",
            Self::UpdateTask => "update_task",
            Self::TransitionTask => "transition_task",
            Self::ReportProgress => "report_progress",
            Self::RecordAwardDecision => "record_award_decision",
            Self::UpdateAwardDecision => "update_award_decision",
            Self::RevokeAwardDecision => "revoke_award_decision",
            Self::CreateSource => "create_source",
            Self::UpdateSource => "update_source",
            Self::Cite => "cite",
        }
    }
}

impl fmt::Display for WriteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Write {
    /// The kind of this write.
    #[must_use]
    pub const fn kind(&self) -> WriteKind {
        match self {
            Self::CreatePerson(_) => WriteKind::CreatePerson,
            Self::UpdatePerson(_) => WriteKind::UpdatePerson,
            Self::CreateOrganization(_) => WriteKind::CreateOrganization,
            Self::UpdateOrganization(_) => WriteKind::UpdateOrganization,
            Self::CreatePost(_) => WriteKind::CreatePost,
            Self::UpdatePost(_) => WriteKind::UpdatePost,
            Self::Appoint(_) => WriteKind::Appoint,
            Self::UpdateHolding(_) => WriteKind::UpdateHolding,
            Self::EndHolding { .. } => WriteKind::EndHolding,
            Self::RecordMeeting(_) => WriteKind::RecordMeeting,
            Self::UpdateMeeting(_) => WriteKind::UpdateMeeting,
            Self::IssueDirective(_) => WriteKind::IssueDirective,
            Self::UpdateDirective(_) => WriteKind::UpdateDirective,
            Self::AddTask(_) => WriteKind::AddTask,
            Self::UpdateTask(_) => WriteKind::UpdateTask,
            Self::TransitionTask { .. } => WriteKind::TransitionTask,
            Self::ReportProgress(_) => WriteKind::ReportProgress,
            Self::RecordAwardDecision(_) => WriteKind::RecordAwardDecision,
            Self::UpdateAwardDecision(_) => WriteKind::UpdateAwardDecision,
            Self::RevokeAwardDecision { .. } => WriteKind::RevokeAwardDecision,
            Self::CreateSource(_) => WriteKind::CreateSource,
            Self::UpdateSource(_) => WriteKind::UpdateSource,
            Self::Cite(_) => WriteKind::Cite,
        }
    }
}

/// What a batch wrote: how many writes of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// The number of writes of each kind the batch held; kinds it did not hold are absent.
    pub by_kind: BTreeMap<WriteKind, u64>,
}

impl BatchSummary {
    /// The number of writes of `kind`.
    #[must_use]
    pub fn count(&self, kind: WriteKind) -> u64 {
        self.by_kind.get(&kind).copied().unwrap_or(0)
    }

    /// The number of writes of every kind.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.by_kind.values().sum()
    }

    pub(crate) fn add(&mut self, kind: WriteKind) {
        *self.by_kind.entry(kind).or_default() += 1;
    }
}

impl fmt::Display for BatchSummary {
    /// "create_person: 3, appoint: 5", in the kinds' order; "nothing" for an empty batch.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.by_kind.is_empty() {
            return f.write_str("nothing");
        }
        for (position, (kind, count)) in self.by_kind.iter().enumerate() {
            if position > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{kind}: {count}")?;
        }
        Ok(())
    }
}

/// Why a batch failed: the first write that failed, counted from 0 in the writes given, and
/// its error. The transaction it ran in was rolled back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("write {index} of the batch failed: {error}")]
pub struct BatchError {
    /// The failed write's place in the writes given, from 0.
    pub index: usize,
    /// Why it failed, as the single write would have said.
    pub error: StorageError,
}

impl BatchError {
    /// The storage error alone, for callers that report errors by kind (not found, conflict,
    /// a broken rule, ...); the index is dropped.
    #[must_use]
    pub fn into_storage_error(self) -> StorageError {
        self.error
    }
}

impl Database {
    /// Applies `writes` in order in one transaction, all or nothing. Each write is checked as
    /// the single write of the same name checks it, against the current rows including those
    /// written earlier in the batch, and records its audit entry as `actor`. On the first
    /// failure the transaction is rolled back, so nothing of the batch is written, and the
    /// error names the failed write's index. An empty batch writes nothing and succeeds.
    pub async fn apply(&self, actor: &Actor, writes: &[Write]) -> Result<BatchSummary, BatchError> {
        self.apply_from(actor, writes, 0).await
    }

    /// Applies `writes` in order, `chunk` writes per transaction (a `chunk` of 0 is taken as 1),
    /// each chunk all or nothing as [`Self::apply`]; for bulk loads, where a batch of
    /// thousands in one transaction would hold the write lock too long. Returns the number of
    /// writes applied. On a failure the chunks before the failed one stay committed: with
    /// `BatchError { index, .. }`, the first `index / chunk * chunk` writes were written and
    /// none after them.
    pub async fn apply_in_chunks(
        &self,
        actor: &Actor,
        writes: impl IntoIterator<Item = Write>,
        chunk: usize,
    ) -> Result<u64, BatchError> {
        let chunk = chunk.max(1);
        let mut written: u64 = 0;
        let mut offset = 0;
        let mut pending: Vec<Write> = Vec::with_capacity(chunk.min(1024));
        for write in writes {
            pending.push(write);
            if pending.len() == chunk {
                written += self.apply_from(actor, &pending, offset).await?.total();
                offset += pending.len();
                pending.clear();
            }
        }
        if !pending.is_empty() {
            written += self.apply_from(actor, &pending, offset).await?.total();
        }
        Ok(written)
    }

    /// [`Self::apply`] for writes that begin at `offset` in the caller's list, so that errors
    /// name the write's place in that list.
    async fn apply_from(
        &self,
        actor: &Actor,
        writes: &[Write],
        offset: usize,
    ) -> Result<BatchSummary, BatchError> {
        let mut summary = BatchSummary::default();
        if writes.is_empty() {
            return Ok(summary);
        }
        let transaction = self.begin_write().await.map_err(|error| BatchError {
            index: offset,
            error,
        })?;
        for (position, write) in writes.iter().enumerate() {
            if let Err(error) = self.apply_one(&transaction, actor, write).await {
                if let Err(rollback) = transaction.rollback().await {
                    tracing::warn!(error = %rollback, "rolling back a failed batch failed");
                }
                return Err(BatchError {
                    index: offset + position,
                    error,
                });
            }
            summary.add(write.kind());
        }
        // A failed commit leaves nothing written; it is reported against the batch's last
        // write, the one whose effects could not be made to stick.
        transaction.commit().await.map_err(|error| BatchError {
            index: offset + writes.len() - 1,
            error: error.into(),
        })?;
        Ok(summary)
    }

    /// Runs one write through its in-transaction body.
    async fn apply_one(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        write: &Write,
    ) -> Result<(), StorageError> {
        match write {
            Write::CreatePerson(person) => self.create_person_in(transaction, actor, person).await,
            Write::UpdatePerson(person) => self.update_person_in(transaction, actor, person).await,
            Write::CreateOrganization(organization) => {
                self.create_organization_in(transaction, actor, organization)
                    .await
            }
            Write::UpdateOrganization(organization) => {
                self.update_organization_in(transaction, actor, organization)
                    .await
            }
            Write::CreatePost(post) => self.create_post_in(transaction, actor, post).await,
            Write::UpdatePost(post) => self.update_post_in(transaction, actor, post).await,
            Write::Appoint(holding) => self.appoint_in(transaction, actor, holding).await,
            Write::UpdateHolding(holding) => {
                self.update_holding_in(transaction, actor, holding).await
            }
            Write::EndHolding { id, end, reason } => self
                .end_holding_in(transaction, actor, *id, *end, reason.clone())
                .await
                .map(drop),
            Write::RecordMeeting(meeting) => {
                self.record_meeting_in(transaction, actor, meeting).await
            }
            Write::UpdateMeeting(meeting) => {
                self.update_meeting_in(transaction, actor, meeting).await
            }
            Write::IssueDirective(directive) => {
                self.issue_directive_in(transaction, actor, directive).await
            }
            Write::UpdateDirective(directive) => {
                self.update_directive_in(transaction, actor, directive)
                    .await
            }
            Write::AddTask(task) => self.add_task_in(transaction, actor, task).await,
            Write::UpdateTask(task) => self.update_task_in(transaction, actor, task).await,
            Write::TransitionTask { id, to, on, note } => self
                .transition_task_in(transaction, actor, *id, *to, *on, note.clone())
                .await
                .map(drop),
            Write::ReportProgress(report) => {
                self.report_progress_in(transaction, actor, report).await
            }
            Write::RecordAwardDecision(decision) => {
                self.record_award_decision_in(transaction, actor, decision)
                    .await
            }
            Write::UpdateAwardDecision(decision) => {
                self.update_award_decision_in(transaction, actor, decision)
                    .await
            }
            Write::RevokeAwardDecision {
                id,
                on,
                reason,
                document,
            } => self
                .revoke_award_decision_in(
                    transaction,
                    actor,
                    *id,
                    *on,
                    reason.clone(),
                    document.clone(),
                )
                .await
                .map(drop),
            Write::CreateSource(source) => self.create_source_in(transaction, actor, source).await,
            Write::UpdateSource(source) => self.update_source_in(transaction, actor, source).await,
            Write::Cite(citation) => self.cite_in(transaction, actor, citation).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_counts_each_kind_and_reads_in_the_kinds_order() {
        let mut summary = BatchSummary::default();
        assert_eq!(summary.to_string(), "nothing");
        summary.add(WriteKind::Appoint);
        summary.add(WriteKind::CreatePerson);
        summary.add(WriteKind::Appoint);
        assert_eq!(summary.count(WriteKind::Appoint), 2);
        assert_eq!(summary.count(WriteKind::Cite), 0);
        assert_eq!(summary.total(), 3);
        assert_eq!(summary.to_string(), "create_person: 1, appoint: 2");
    }

    #[test]
    fn a_batch_error_names_the_failed_write() {
        let error = BatchError {
            index: 7,
            error: StorageError::NotFound {
                kind: "person",
                id: "x".to_owned(),
            },
        };
        assert_eq!(
            error.to_string(),
            "write 7 of the batch failed: person x does not exist"
        );
        assert!(matches!(
            error.into_storage_error(),
            StorageError::NotFound { kind: "person", .. }
        ));
    }
}
