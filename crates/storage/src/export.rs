//! Reads for exports and imports: whole tables a page at a time in id order (so an export
//! streams the database instead of holding it), the windows of holdings, tasks and award
//! decisions that spreadsheet exports list, the lookups an importer matches records on, and the
//! number of rows of every table (for reports and tests).
//!
//! Every page is read in a few statements whatever its size: the ids of the page first (an
//! indexed range scan on the primary key), then the records by id through the same code as the
//! API's batched reads, so an exported record is exactly the record the API serves.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gazette_domain::award::AwardDecision;
use gazette_domain::holding::Holding;
use gazette_domain::ids::{
    AwardDecisionId, HoldingId, MeetingId, OrganizationId, PersonId, PostId, SourceId, TaskId,
};
use gazette_domain::meeting::Meeting;
use gazette_domain::organization::Organization;
use gazette_domain::person::Person;
use gazette_domain::post::Post;
use gazette_domain::source::Source;
use gazette_domain::task::Task;
use gazette_domain::text::fold;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use uuid::Uuid;

use crate::Database;
use crate::entity::{
    audit_log, award_decision, citation, directive, holding, identifier, meeting, organization,
    person, post, progress_report, source, task,
};
use crate::error::StorageError;
use crate::meetings::meetings_from_rows;

/// The page size exports read with when they have no reason to choose another.
pub const EXPORT_PAGE_SIZE: u64 = 500;

/// The ids of the rows `select` finds after `after` in id order, at most `limit` of them.
async fn ids_after<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    column: E::Column,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Uuid>, StorageError> {
    let mut select = select;
    if let Some(after) = after {
        select = select.filter(column.gt(after));
    }
    Ok(select
        .select_only()
        .column(column)
        .order_by_asc(column)
        .limit(limit.max(1))
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// Puts records read by id back in id order.
fn in_id_order<T>(mut records: Vec<T>, id: impl Fn(&T) -> Uuid) -> Vec<T> {
    records.sort_by_key(|record| id(record));
    records
}

/// How many rows each table holds, by table name ("person", "holding", "audit_log", ...).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordCounts {
    /// The number of rows of each table counted.
    pub by_table: BTreeMap<&'static str, u64>,
}

impl RecordCounts {
    /// The number of rows of `table`; 0 for a table not counted.
    #[must_use]
    pub fn get(&self, table: &str) -> u64 {
        self.by_table.get(table).copied().unwrap_or(0)
    }
}

impl Database {
    /// Up to `limit` people after `after` in id order (from the first without it).
    pub async fn people_after(
        &self,
        after: Option<PersonId>,
        limit: u64,
    ) -> Result<Vec<Person>, StorageError> {
        let ids = ids_after(
            self.reader(),
            person::Entity::find(),
            person::Column::Id,
            after.map(|id| id.as_uuid()),
            limit,
        )
        .await?;
        let ids: Vec<PersonId> = ids.into_iter().map(PersonId::from_uuid).collect();
        Ok(in_id_order(self.people_by_ids(&ids).await?, |p| {
            p.id().as_uuid()
        }))
    }

    /// Up to `limit` organizations after `after` in id order.
    pub async fn organizations_after(
        &self,
        after: Option<OrganizationId>,
        limit: u64,
    ) -> Result<Vec<Organization>, StorageError> {
        let ids = ids_after(
            self.reader(),
            organization::Entity::find(),
            organization::Column::Id,
            after.map(|id| id.as_uuid()),
            limit,
        )
        .await?;
        let ids: Vec<OrganizationId> = ids.into_iter().map(OrganizationId::from_uuid).collect();
        Ok(in_id_order(self.organizations_by_ids(&ids).await?, |o| {
            o.id().as_uuid()
        }))
    }

    /// Up to `limit` posts after `after` in id order.
    pub async fn posts_after(
        &self,
        after: Option<PostId>,
        limit: u64,
    ) -> Result<Vec<Post>, StorageError> {
        let ids = ids_after(
            self.reader(),
            post::Entity::find(),
            post::Column::Id,
            after.map(|id| id.as_uuid()),
            limit,
        )
        .await?;
        let ids: Vec<PostId> = ids.into_iter().map(PostId::from_uuid).collect();
        Ok(in_id_order(self.posts_by_ids(&ids).await?, |p| {
            p.id().as_uuid()
        }))
    }

    /// Up to `limit` holdings after `after` in id order.
    pub async fn holdings_after(
        &self,
        after: Option<HoldingId>,
        limit: u64,
    ) -> Result<Vec<Holding>, StorageError> {
        self.holdings_in_period(None, None, after, limit).await
    }

    /// Up to `limit` meetings after `after` in id order.
    pub async fn meetings_after(
        &self,
        after: Option<MeetingId>,
        limit: u64,
    ) -> Result<Vec<Meeting>, StorageError> {
        let ids = ids_after(
            self.reader(),
            meeting::Entity::find(),
            meeting::Column::Id,
            after.map(|id| id.as_uuid()),
            limit,
        )
        .await?;
        let ids: Vec<MeetingId> = ids.into_iter().map(MeetingId::from_uuid).collect();
        Ok(in_id_order(self.meetings_by_ids(&ids).await?, |m| {
            m.id().as_uuid()
        }))
    }

    /// Up to `limit` sources after `after` in id order.
    pub async fn sources_after(
        &self,
        after: Option<SourceId>,
        limit: u64,
    ) -> Result<Vec<Source>, StorageError> {
        let ids = ids_after(
            self.reader(),
            source::Entity::find(),
            source::Column::Id,
            after.map(|id| id.as_uuid()),
            limit,
        )
        .await?;
        let ids: Vec<SourceId> = ids.into_iter().map(SourceId::from_uuid).collect();
        self.sources_by_ids(&ids).await
    }

    /// The sources whose URL is one of `urls` (compared exactly, as stored), in id order: an
    /// importer finds the source a link names by its URL.
    pub async fn sources_by_urls(&self, urls: &[String]) -> Result<Vec<Source>, StorageError> {
        if urls.is_empty() {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        // Chunked so that a file citing many thousand URLs stays under the engines' limits on
        // bound parameters.
        for chunk in urls.chunks(500) {
            let ids: Vec<SourceId> = source::Entity::find()
                .select_only()
                .column(source::Column::Id)
                .filter(source::Column::Url.is_in(chunk.iter().cloned()))
                .into_tuple::<Uuid>()
                .all(self.reader())
                .await?
                .into_iter()
                .map(SourceId::from_uuid)
                .collect();
            found.extend(self.sources_by_ids(&ids).await?);
        }
        Ok(in_id_order(found, |s| s.id().as_uuid()))
    }

    /// The meetings held by `organizer` whose folded title is `title` once folded, in id order:
    /// an importer matches a meeting without an identifier on its organizer, title and date.
    pub async fn meetings_titled(
        &self,
        organizer: OrganizationId,
        title: &str,
    ) -> Result<Vec<Meeting>, StorageError> {
        let rows = meeting::Entity::find()
            .filter(meeting::Column::OrganizerId.eq(organizer.as_uuid()))
            .filter(meeting::Column::TitleFold.eq(fold(title)))
            .order_by_asc(meeting::Column::Id)
            .all(self.reader())
            .await?;
        meetings_from_rows(self.reader(), rows).await
    }

    /// Up to `limit` holdings after `after` in id order that may have been active at some
    /// time within `from..=to` (either end open when `None`), by the reading of "active" in
    /// `gazette_domain::date`: the first day a holding's start covers is on or before `to`, and
    /// the last day its end covers is on or after `from`.
    pub async fn holdings_in_period(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        after: Option<HoldingId>,
        limit: u64,
    ) -> Result<Vec<Holding>, StorageError> {
        let mut select = holding::Entity::find();
        if let Some(to) = to {
            select = select.filter(
                Condition::any()
                    .add(holding::Column::ActiveFrom.is_null())
                    .add(holding::Column::ActiveFrom.lte(to)),
            );
        }
        if let Some(from) = from {
            select = select.filter(
                Condition::any()
                    .add(holding::Column::ActiveTo.is_null())
                    .add(holding::Column::ActiveTo.gte(from)),
            );
        }
        let ids = ids_after(
            self.reader(),
            select,
            holding::Column::Id,
            after.map(|id| id.as_uuid()),
            limit,
        )
        .await?;
        let ids: Vec<HoldingId> = ids.into_iter().map(HoldingId::from_uuid).collect();
        Ok(in_id_order(self.holdings_by_ids(&ids).await?, |h| {
            h.id().as_uuid()
        }))
    }

    /// Up to `limit` tasks after `after` in id order assigned within `from..=to` (either end
    /// open when `None`).
    pub async fn tasks_assigned_in(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        after: Option<TaskId>,
        limit: u64,
    ) -> Result<Vec<Task>, StorageError> {
        let mut select = task::Entity::find();
        if let Some(from) = from {
            select = select.filter(task::Column::AssignedOn.gte(from));
        }
        if let Some(to) = to {
            select = select.filter(task::Column::AssignedOn.lte(to));
        }
        let ids = ids_after(
            self.reader(),
            select,
            task::Column::Id,
            after.map(|id| id.as_uuid()),
            limit,
        )
        .await?;
        let ids: Vec<TaskId> = ids.into_iter().map(TaskId::from_uuid).collect();
        Ok(in_id_order(self.tasks_by_ids(&ids).await?, |t| {
            t.id().as_uuid()
        }))
    }

    /// Up to `limit` award decisions after `after` in id order filed under a year within
    /// `from_year..=to_year` (see `AwardDecisionDetails::year`; either end open when `None`).
    /// With either end given, decisions filed under no year are left out.
    pub async fn award_decisions_in_years(
        &self,
        from_year: Option<i32>,
        to_year: Option<i32>,
        after: Option<AwardDecisionId>,
        limit: u64,
    ) -> Result<Vec<AwardDecision>, StorageError> {
        let mut select = award_decision::Entity::find();
        if let Some(from) = from_year {
            select = select.filter(award_decision::Column::Year.gte(from));
        }
        if let Some(to) = to_year {
            select = select.filter(award_decision::Column::Year.lte(to));
        }
        let ids = ids_after(
            self.reader(),
            select,
            award_decision::Column::Id,
            after.map(|id| id.as_uuid()),
            limit,
        )
        .await?;
        let ids: Vec<AwardDecisionId> = ids.into_iter().map(AwardDecisionId::from_uuid).collect();
        self.award_decisions_by_ids(&ids).await
    }

    /// How many rows the record tables and the audit log hold, one statement per table.
    pub async fn record_counts(&self) -> Result<RecordCounts, StorageError> {
        let db = self.reader();
        let mut by_table = BTreeMap::new();
        by_table.insert("person", person::Entity::find().count(db).await?);
        by_table.insert(
            "organization",
            organization::Entity::find().count(db).await?,
        );
        by_table.insert("post", post::Entity::find().count(db).await?);
        by_table.insert("holding", holding::Entity::find().count(db).await?);
        by_table.insert("meeting", meeting::Entity::find().count(db).await?);
        by_table.insert("directive", directive::Entity::find().count(db).await?);
        by_table.insert("task", task::Entity::find().count(db).await?);
        by_table.insert(
            "progress_report",
            progress_report::Entity::find().count(db).await?,
        );
        by_table.insert(
            "award_decision",
            award_decision::Entity::find().count(db).await?,
        );
        by_table.insert("source", source::Entity::find().count(db).await?);
        by_table.insert("citation", citation::Entity::find().count(db).await?);
        by_table.insert("identifier", identifier::Entity::find().count(db).await?);
        by_table.insert("audit_log", audit_log::Entity::find().count(db).await?);
        Ok(RecordCounts { by_table })
    }
}
