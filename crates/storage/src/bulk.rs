//! The bulk load path: many new records in one transaction with multi-row inserts.
//!
//! [`Database::bulk_insert`] takes the same [`Write`]s as [`Database::apply`], creation writes
//! only, and writes them with a handful of multi-row `INSERT`s per table (as many rows per
//! statement as the engine's limit on bound values allows) instead of a few statements per
//! record: a national-scale dataset loads in minutes instead of hours. It is meant for loaders
//! of many *new* records (the benchmark data generator, a first import), and it checks less
//! than the single writes do, so it is not offered to API clients:
//!
//! * every record was validated by its domain constructor, as always (a `Write` holds domain
//!   values);
//! * references are checked by the database's foreign keys, identity by its unique
//!   constraints (a decision number per authority, one task per directive position, an
//!   identifier per scheme, ...): a dangling reference or a duplicate fails the whole call;
//! * the rules about posts and holdings are checked with the domain's own functions, in
//!   memory, against the records of the call *and* the stored ones they concern: a post within
//!   its organization's life, and for every holding [`check_holding`] (the person's life, the
//!   post's and organization's lives, the seat rule against every stored and earlier holding of
//!   the post);
//! * the other cross-record rules of the single writes (a meeting's chairs hold the capacity
//!   they chair in, a directive's issuer holds the post it issues in, an award's authority may
//!   confer the form, one achievement one award, a progress report falls within its task's
//!   life) are **not** checked here: a loader using this path vouches for them, as the
//!   benchmark generator does by construction.
//!
//! The call is all or nothing, like [`Database::apply`], and records **one** audit entry
//! (operation `bulk_insert`, kind `batch`) whose summary counts the records of each kind,
//! rather than one entry per record. A failure names the first write of the statement or rule
//! that failed ([`BatchError::index`]); the statement's other writes may be as much to blame.

use std::collections::{BTreeMap, HashMap, HashSet};

use gazette_domain::holding::{Holding, HoldingContext, check_holding};
use gazette_domain::ids::{OrganizationId, PersonId, PostId};
use gazette_domain::organization::Organization;
use gazette_domain::person::Person;
use gazette_domain::post::Post;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Iterable};
use uuid::Uuid;

use crate::Database;
use crate::audit::{self, Actor};
use crate::batch::{BatchError, BatchSummary, Write};
use crate::entity::{
    award_decision, award_presentation, award_recipient, award_unnamed_recipient, citation,
    directive, holding, identifier, meeting, meeting_participant, organization,
    organization_succession, person, person_name_combination, person_name_token, post,
    progress_report, source, task, task_assignee, task_lifecycle_change,
};
use crate::error::StorageError;

/// The most bound values one statement may carry: SQLite's default limit is 32,766 and
/// PostgreSQL's 65,535; a little under the smaller one.
const MAX_VALUES_PER_STATEMENT: usize = 32_000;

/// The most ids one read of stored records asks for.
const IDS_PER_READ: usize = 5_000;

/// Rows bound for one table, each with the index of the write it came from.
struct TableRows<A> {
    rows: Vec<(usize, A)>,
}

impl<A> Default for TableRows<A> {
    fn default() -> Self {
        Self { rows: Vec::new() }
    }
}

impl<A> TableRows<A>
where
    A: ActiveModelTrait + Send,
{
    fn push(&mut self, index: usize, row: A) {
        self.rows.push((index, row));
    }

    fn extend(&mut self, index: usize, rows: impl IntoIterator<Item = A>) {
        self.rows.extend(rows.into_iter().map(|row| (index, row)));
    }

    /// Inserts the rows in order, as many per statement as the bound-value limit allows.
    async fn insert(self, connection: &impl ConnectionTrait) -> Result<(), BatchError> {
        let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter()
            .count()
            .max(1);
        let per_statement = (MAX_VALUES_PER_STATEMENT / columns).max(1);
        let mut rows = self.rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<(usize, A)> = rows.by_ref().take(per_statement).collect();
            let first = chunk.first().map_or(0, |(index, _)| *index);
            <A::Entity as EntityTrait>::insert_many(chunk.into_iter().map(|(_, row)| row))
                .exec_without_returning(connection)
                .await
                .map_err(|error| BatchError {
                    index: first,
                    error: crate::error::from_db(error),
                })?;
        }
        Ok(())
    }
}

/// Every row of a bulk load, table by table.
#[derive(Default)]
struct Rows {
    organizations: TableRows<organization::ActiveModel>,
    successions: TableRows<organization_succession::ActiveModel>,
    people: TableRows<person::ActiveModel>,
    name_tokens: TableRows<person_name_token::ActiveModel>,
    name_combinations: TableRows<person_name_combination::ActiveModel>,
    identifiers: TableRows<identifier::ActiveModel>,
    posts: TableRows<post::ActiveModel>,
    holdings: TableRows<holding::ActiveModel>,
    sources: TableRows<source::ActiveModel>,
    meetings: TableRows<meeting::ActiveModel>,
    participants: TableRows<meeting_participant::ActiveModel>,
    directives: TableRows<directive::ActiveModel>,
    tasks: TableRows<task::ActiveModel>,
    assignees: TableRows<task_assignee::ActiveModel>,
    lifecycle_changes: TableRows<task_lifecycle_change::ActiveModel>,
    progress_reports: TableRows<progress_report::ActiveModel>,
    decisions: TableRows<award_decision::ActiveModel>,
    recipients: TableRows<award_recipient::ActiveModel>,
    unnamed_recipients: TableRows<award_unnamed_recipient::ActiveModel>,
    presentations: TableRows<award_presentation::ActiveModel>,
    citations: TableRows<citation::ActiveModel>,
}

impl Rows {
    /// Adds the rows of one write; `Err` for a write that is not a creation.
    fn add(&mut self, index: usize, write: &Write) -> Result<(), StorageError> {
        match write {
            Write::CreatePerson(person) => {
                let id = person.id().as_uuid();
                self.people.push(index, crate::people::to_row(person)?);
                self.name_tokens
                    .extend(index, crate::people::token_rows(person));
                self.name_combinations
                    .extend(index, crate::people::combination_rows(person));
                self.identifiers.extend(
                    index,
                    crate::identifiers::rows(crate::people::KIND, id, &person.identifiers),
                );
            }
            Write::CreateOrganization(organization) => {
                self.organizations
                    .push(index, crate::organizations::organization_row(organization)?);
                self.successions
                    .extend(index, crate::organizations::succession_rows(organization));
                self.identifiers.extend(
                    index,
                    crate::identifiers::rows(
                        crate::organizations::KIND,
                        organization.id().as_uuid(),
                        &organization.identifiers,
                    ),
                );
            }
            Write::CreatePost(post) => {
                self.posts.push(index, crate::organizations::post_row(post));
            }
            Write::Appoint(holding) => {
                self.holdings
                    .push(index, crate::holdings::holding_row(holding)?);
            }
            Write::RecordMeeting(meeting) => {
                self.meetings
                    .push(index, crate::meetings::meeting_row(meeting)?);
                self.participants
                    .extend(index, crate::meetings::participant_rows(meeting));
            }
            Write::IssueDirective(directive) => {
                self.directives
                    .push(index, crate::directives::directive_row(directive)?);
            }
            Write::AddTask(task) => {
                self.tasks.push(index, crate::tasks::task_row(task)?);
                self.assignees
                    .extend(index, crate::tasks::assignee_rows(task));
                self.lifecycle_changes.extend(
                    index,
                    task.history.iter().zip(0..).map(|(change, position)| {
                        crate::tasks::change_row(task.id(), position, change)
                    }),
                );
            }
            Write::ReportProgress(report) => {
                self.progress_reports
                    .push(index, crate::tasks::report_row(report));
            }
            Write::RecordAwardDecision(decision) => {
                self.decisions.push(index, crate::awards::to_row(decision)?);
                let children = crate::awards::child_rows(decision)?;
                self.recipients.extend(index, children.recipients);
                self.unnamed_recipients.extend(index, children.unnamed);
                self.presentations.extend(index, children.presentations);
            }
            Write::CreateSource(source) => {
                self.sources.push(index, crate::sources::to_row(source)?);
            }
            Write::Cite(citation) => {
                self.citations
                    .push(index, crate::sources::citation_row(citation));
            }
            other => {
                return Err(StorageError::InvalidInput(format!(
                    "the bulk load path takes creation writes only, not {}",
                    other.kind()
                )));
            }
        }
        Ok(())
    }

    /// Inserts every table, parents before children.
    async fn insert(self, connection: &impl ConnectionTrait) -> Result<(), BatchError> {
        self.organizations.insert(connection).await?;
        self.successions.insert(connection).await?;
        self.people.insert(connection).await?;
        self.name_tokens.insert(connection).await?;
        self.name_combinations.insert(connection).await?;
        self.identifiers.insert(connection).await?;
        self.posts.insert(connection).await?;
        self.holdings.insert(connection).await?;
        self.sources.insert(connection).await?;
        self.meetings.insert(connection).await?;
        self.participants.insert(connection).await?;
        self.directives.insert(connection).await?;
        self.tasks.insert(connection).await?;
        self.assignees.insert(connection).await?;
        self.lifecycle_changes.insert(connection).await?;
        self.progress_reports.insert(connection).await?;
        self.decisions.insert(connection).await?;
        self.recipients.insert(connection).await?;
        self.unnamed_recipients.insert(connection).await?;
        self.presentations.insert(connection).await?;
        self.citations.insert(connection).await
    }
}

/// The records a holding check needs, from the call first and the database second.
struct HoldingWorld {
    people: HashMap<PersonId, Person>,
    posts: HashMap<PostId, Post>,
    organizations: HashMap<OrganizationId, Organization>,
    holdings_of_post: HashMap<PostId, Vec<Holding>>,
}

impl Database {
    /// Writes many new records at once: see the [module documentation](self) for what is
    /// checked and what is not. All or nothing: on failure nothing of the call is written and
    /// the error names a write of the failing statement or rule. An empty call writes nothing.
    pub async fn bulk_insert(
        &self,
        actor: &Actor,
        writes: &[Write],
    ) -> Result<BatchSummary, BatchError> {
        let mut summary = BatchSummary::default();
        if writes.is_empty() {
            return Ok(summary);
        }
        let mut rows = Rows::default();
        for (index, write) in writes.iter().enumerate() {
            rows.add(index, write)
                .map_err(|error| BatchError { index, error })?;
            summary.add(write.kind());
        }
        self.check_posts_and_holdings(writes).await?;

        let transaction = self
            .begin_write()
            .await
            .map_err(|error| BatchError { index: 0, error })?;
        rows.insert(&transaction).await?;
        let counts: BTreeMap<&str, u64> = summary
            .by_kind
            .iter()
            .map(|(kind, count)| (kind.as_str(), *count))
            .collect();
        audit::record(
            &transaction,
            actor,
            "bulk_insert",
            "batch",
            Uuid::now_v7(),
            &counts,
        )
        .await
        .map_err(|error| BatchError { index: 0, error })?;
        transaction.commit().await.map_err(|error| BatchError {
            index: 0,
            error: error.into(),
        })?;
        Ok(summary)
    }

    /// Checks the call's posts against their organizations and its holdings with
    /// [`check_holding`], against the call's records and the stored ones they concern.
    async fn check_posts_and_holdings(&self, writes: &[Write]) -> Result<(), BatchError> {
        let holdings: Vec<(usize, &Holding)> = writes
            .iter()
            .enumerate()
            .filter_map(|(index, write)| match write {
                Write::Appoint(holding) => Some((index, holding)),
                _ => None,
            })
            .collect();
        let new_posts: Vec<(usize, &Post)> = writes
            .iter()
            .enumerate()
            .filter_map(|(index, write)| match write {
                Write::CreatePost(post) => Some((index, post)),
                _ => None,
            })
            .collect();
        if holdings.is_empty() && new_posts.is_empty() {
            return Ok(());
        }
        let world = self
            .holding_world(writes, &holdings)
            .await
            .map_err(|error| BatchError {
                index: holdings.first().map_or(0, |(index, _)| *index),
                error,
            })?;
        let missing = |index: usize, kind: &'static str, id: String| BatchError {
            index,
            error: StorageError::NotFound { kind, id },
        };
        for (index, post) in new_posts {
            let organization = world.organizations.get(&post.organization).ok_or_else(|| {
                missing(
                    index,
                    crate::organizations::KIND,
                    post.organization.to_string(),
                )
            })?;
            post.check_organization(organization)
                .map_err(|error| BatchError {
                    index,
                    error: StorageError::Invariant(error.into()),
                })?;
        }
        let mut holdings_of_post = world.holdings_of_post;
        for (index, holding) in holdings {
            let person = world
                .people
                .get(&holding.person)
                .ok_or_else(|| missing(index, crate::people::KIND, holding.person.to_string()))?;
            let post = world.posts.get(&holding.post).ok_or_else(|| {
                missing(
                    index,
                    crate::organizations::POST_KIND,
                    holding.post.to_string(),
                )
            })?;
            let organization = world.organizations.get(&post.organization).ok_or_else(|| {
                missing(
                    index,
                    crate::organizations::KIND,
                    post.organization.to_string(),
                )
            })?;
            let others = holdings_of_post.entry(holding.post).or_default();
            check_holding(
                holding,
                HoldingContext {
                    person,
                    post,
                    organization,
                    holdings_of_post: others,
                },
            )
            .map_err(|error| BatchError {
                index,
                error: StorageError::Invariant(error.into()),
            })?;
            others.push(holding.clone());
        }
        Ok(())
    }

    /// Gathers the people, posts, organizations and holdings of posts that the call's posts
    /// and holdings refer to: the call's own records, and the stored ones in a few statements.
    async fn holding_world(
        &self,
        writes: &[Write],
        holdings: &[(usize, &Holding)],
    ) -> Result<HoldingWorld, StorageError> {
        let mut world = HoldingWorld {
            people: HashMap::new(),
            posts: HashMap::new(),
            organizations: HashMap::new(),
            holdings_of_post: HashMap::new(),
        };
        for write in writes {
            match write {
                Write::CreatePerson(person) => {
                    world.people.insert(person.id(), person.clone());
                }
                Write::CreatePost(post) => {
                    world.posts.insert(post.id(), post.clone());
                }
                Write::CreateOrganization(organization) => {
                    world
                        .organizations
                        .insert(organization.id(), organization.clone());
                }
                _ => {}
            }
        }
        let stored_people: Vec<PersonId> = unique(
            holdings
                .iter()
                .map(|(_, h)| h.person)
                .filter(|id| !world.people.contains_key(id)),
        );
        for ids in stored_people.chunks(IDS_PER_READ) {
            for person in self.people_by_ids_bare(ids).await? {
                world.people.insert(person.id(), person);
            }
        }
        let posts: Vec<PostId> = unique(holdings.iter().map(|(_, h)| h.post));
        let stored_posts: Vec<PostId> = posts
            .iter()
            .copied()
            .filter(|id| !world.posts.contains_key(id))
            .collect();
        for ids in stored_posts.chunks(IDS_PER_READ) {
            for post in self.posts_by_ids(ids).await? {
                world.posts.insert(post.id(), post);
            }
        }
        let stored_organizations: Vec<OrganizationId> = unique(
            world
                .posts
                .values()
                .map(|post| post.organization)
                .filter(|id| !world.organizations.contains_key(id)),
        );
        for ids in stored_organizations.chunks(IDS_PER_READ) {
            for organization in self.organizations_by_ids_bare(ids).await? {
                world.organizations.insert(organization.id(), organization);
            }
        }
        // Posts created by this call have no stored holdings.
        let new_posts: HashSet<PostId> = writes
            .iter()
            .filter_map(|write| match write {
                Write::CreatePost(post) => Some(post.id()),
                _ => None,
            })
            .collect();
        let posts_with_history: Vec<PostId> = posts
            .into_iter()
            .filter(|id| !new_posts.contains(id))
            .collect();
        for ids in posts_with_history.chunks(IDS_PER_READ) {
            for (post, held) in self.holdings_of_posts(ids, None).await? {
                world.holdings_of_post.insert(post, held);
            }
        }
        Ok(world)
    }
}

/// The distinct values, in first-seen order.
fn unique<T: Copy + Eq + std::hash::Hash>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    values.into_iter().filter(|v| seen.insert(*v)).collect()
}
