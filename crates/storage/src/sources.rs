//! Sources and citations: what every fact came from.
//!
//! A source is a news article, a legal document or a web page; a citation ties one record (a
//! person, a holding, a meeting, an award decision, ...) to a source, with a note on what the
//! source says of it. Citations are read both ways, batched: "where did these facts come from"
//! ([`Database::citations_of`]) and "what cites these sources"
//! ([`Database::citations_of_sources`]), one statement each whatever the number asked.
//!
//! Storage choices:
//! * `title_fold` holds the folded words of the title joined by single spaces (punctuation
//!   dropped, see [`crate::people`]'s search words), so that a word-prefix search is two `LIKE`
//!   patterns on both engines: "hoi nghi" finds "Hội nghị (dân vận)" and "dan" finds its
//!   "(dân" too.
//! * `published_on` is the first day the publication date covers ("2021-01" → 2021-01-01), for
//!   date ranges; lists do not order by it because it may be unknown (NULL), which a keyset
//!   cursor cannot compare: sources are listed in the order they were recorded, by id.
//! * `retrieved_at` is kept to the microsecond on both engines, PostgreSQL's precision, so that
//!   a source reads back alike whichever engine stores it.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SubsecRound, Utc};
use gazette_domain::date::PartialDateTime;
use gazette_domain::ids::{CitationId, SourceId};
use gazette_domain::source::{
    Citation, CitationDetails, ContentHash, Source, SourceDetails, SourceKind, Subject, Url,
};
use gazette_domain::text::Text;
use sea_orm::sea_query::LockType;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::convert::uuid_in;
use crate::convert::{from_json_text, now, to_json_text};
use crate::entity::{
    award_decision, citation, directive, holding, meeting, organization, person, post,
    progress_report, source, task,
};
use crate::error::StorageError;
use crate::keyset::{KeyKind, Keyset};
use crate::page::{Page, PageRequest};
use crate::people::search_words;
use crate::{Database, Engine};

const KIND: &str = "source";
const CITATION_KIND: &str = "citation";

/// The most words of a title search that are matched; more add nothing a clerk would miss.
const MAX_SEARCH_WORDS: usize = 8;

/// Which sources to list. Every field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFilter {
    /// Words the title must contain, as word prefixes, compared folded: "hoi nghi dan van",
    /// "HỘI NGHỊ" and "dân v" all find "Hội nghị tổng kết công tác dân vận".
    pub title: Option<String>,
    /// The publisher, exactly as recorded once normalized (NFC, whitespace collapsed):
    /// "Báo Cần Thơ".
    pub publisher: Option<String>,
}

/// The search key of a title: its folded words joined by single spaces.
fn title_key(title: &Text) -> String {
    search_words(title.as_str()).join(" ")
}

fn retrieved(at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    at.map(|at| at.trunc_subsecs(6))
}

/// A citation's row.
pub(crate) fn citation_row(citation: &Citation) -> citation::ActiveModel {
    citation::ActiveModel {
        id: Set(citation.id().as_uuid()),
        source_id: Set(citation.source.as_uuid()),
        subject_kind: Set(citation.subject.kind_code().to_owned()),
        subject_id: Set(citation.subject.uuid()),
        note: Set(citation.note.as_ref().map(|n| n.as_str().to_owned())),
        created_at: Set(now()),
    }
}

pub(crate) fn to_row(source: &Source) -> Result<source::ActiveModel, StorageError> {
    let at = now();
    Ok(source::ActiveModel {
        id: Set(source.id().as_uuid()),
        kind: Set(source.kind.code().to_owned()),
        title: Set(source.title.as_str().to_owned()),
        title_fold: Set(title_key(&source.title)),
        publisher: Set(source.publisher.as_ref().map(|p| p.as_str().to_owned())),
        url: Set(source.url.as_ref().map(|u| u.as_str().to_owned())),
        published_at: Set(source.published_at.map(|p| p.to_string())),
        published_on: Set(source.published_at.map(|p| p.date().first_day())),
        byline: Set(source.byline.as_ref().map(|b| b.as_str().to_owned())),
        photo_credits: Set(to_json_text(&source.photo_credits)?),
        retrieved_at: Set(retrieved(source.retrieved_at)),
        content_hash: Set(source.content_hash.as_ref().map(|h| h.as_str().to_owned())),
        created_at: Set(at),
        updated_at: Set(at),
    })
}

fn from_row(row: source::Model) -> Result<Source, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(KIND, id, problem);
    let text = |value: Option<&str>| -> Result<Option<Text>, StorageError> {
        value
            .map(Text::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))
    };
    let details = SourceDetails {
        kind: SourceKind::from_code(&row.kind)
            .ok_or_else(|| corrupt(format!("unknown source kind {:?}", row.kind)))?,
        title: Text::parse(&row.title).map_err(|e| corrupt(e.to_string()))?,
        publisher: text(row.publisher.as_deref())?,
        url: row
            .url
            .as_deref()
            .map(Url::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        published_at: row
            .published_at
            .as_deref()
            .map(PartialDateTime::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        byline: text(row.byline.as_deref())?,
        photo_credits: from_json_text(KIND, id, &row.photo_credits)?,
        retrieved_at: row.retrieved_at,
        content_hash: row
            .content_hash
            .as_deref()
            .map(ContentHash::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
    };
    Source::new(SourceId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

fn citation_from_row(row: citation::Model) -> Result<Citation, StorageError> {
    let id = row.id;
    let corrupt = |problem: String| StorageError::corrupt(CITATION_KIND, id, problem);
    let subject = Subject::from_parts(&row.subject_kind, row.subject_id)
        .ok_or_else(|| corrupt(format!("unknown subject kind {:?}", row.subject_kind)))?;
    let details = CitationDetails {
        source: SourceId::from_uuid(row.source_id),
        subject,
        note: row
            .note
            .as_deref()
            .map(Text::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
    };
    Citation::new(CitationId::from_uuid(id), details).map_err(|e| corrupt(e.to_string()))
}

/// Whether the row with this id exists, holding on PostgreSQL a `FOR KEY SHARE` lock on it until
/// the transaction ends: the row can then be neither deleted nor given another id while a
/// citation of it is being written, yet other writers may still update or lock it.
async fn exists<E: EntityTrait>(
    database: &Database,
    transaction: &impl ConnectionTrait,
    column: E::Column,
    id: Uuid,
) -> Result<bool, StorageError> {
    let mut select: Select<E> = E::find().filter(column.eq(id));
    if database.engine() == Engine::Postgres {
        select = select.lock(LockType::KeyShare);
    }
    let found: Option<Uuid> = select
        .select_only()
        .column(column)
        .into_tuple()
        .one(transaction)
        .await?;
    Ok(found.is_some())
}

/// Whether the record a citation names exists, looked up in its kind's table.
async fn subject_exists(
    database: &Database,
    transaction: &impl ConnectionTrait,
    subject: Subject,
) -> Result<bool, StorageError> {
    let id = subject.uuid();
    match subject {
        Subject::Person(_) => {
            exists::<person::Entity>(database, transaction, person::Column::Id, id).await
        }
        Subject::Organization(_) => {
            exists::<organization::Entity>(database, transaction, organization::Column::Id, id)
                .await
        }
        Subject::Post(_) => {
            exists::<post::Entity>(database, transaction, post::Column::Id, id).await
        }
        Subject::Holding(_) => {
            exists::<holding::Entity>(database, transaction, holding::Column::Id, id).await
        }
        Subject::Meeting(_) => {
            exists::<meeting::Entity>(database, transaction, meeting::Column::Id, id).await
        }
        Subject::Directive(_) => {
            exists::<directive::Entity>(database, transaction, directive::Column::Id, id).await
        }
        Subject::Task(_) => {
            exists::<task::Entity>(database, transaction, task::Column::Id, id).await
        }
        Subject::ProgressReport(_) => {
            exists::<progress_report::Entity>(
                database,
                transaction,
                progress_report::Column::Id,
                id,
            )
            .await
        }
        Subject::AwardDecision(_) => {
            exists::<award_decision::Entity>(database, transaction, award_decision::Column::Id, id)
                .await
        }
    }
}

impl Database {
    /// Records a new source.
    pub async fn create_source(&self, actor: &Actor, source: &Source) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.create_source_in(&transaction, actor, source).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::create_source`] inside a write transaction the caller commits.
    pub(crate) async fn create_source_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        source: &Source,
    ) -> Result<(), StorageError> {
        source::Entity::insert(to_row(source)?)
            .exec_without_returning(transaction)
            .await?;
        audit::record(
            transaction,
            actor,
            "create",
            KIND,
            source.id().as_uuid(),
            source,
        )
        .await
    }

    /// Replaces a source's details.
    pub async fn update_source(&self, actor: &Actor, source: &Source) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.update_source_in(&transaction, actor, source).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::update_source`] inside a write transaction the caller commits.
    pub(crate) async fn update_source_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        source: &Source,
    ) -> Result<(), StorageError> {
        let id = source.id().as_uuid();
        let existing = source::Entity::find_by_id(id)
            .one(transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })?;
        let mut row = to_row(source)?;
        row.created_at = Set(existing.created_at);
        source::Entity::update(row).exec(transaction).await?;
        audit::record(transaction, actor, "update", KIND, id, source).await
    }

    /// One source.
    pub async fn source(&self, id: SourceId) -> Result<Source, StorageError> {
        self.sources_by_ids(&[id])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| StorageError::NotFound {
                kind: KIND,
                id: id.to_string(),
            })
    }

    /// The sources with these ids (those that exist, each once, in the order asked), in one
    /// statement whatever their number.
    pub async fn sources_by_ids(&self, ids: &[SourceId]) -> Result<Vec<Source>, StorageError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut found: HashMap<SourceId, Source> = source::Entity::find()
            .filter(uuid_in(
                self.reader(),
                source::Column::Id,
                ids.iter().map(SourceId::as_uuid),
            ))
            .all(self.reader())
            .await?
            .into_iter()
            .map(|row| from_row(row).map(|s| (s.id(), s)))
            .collect::<Result<_, _>>()?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// Sources in the order they were recorded (by id: ids are time-ordered UUIDv7). The
    /// publication date is not the order because it is often unknown.
    pub async fn sources(
        &self,
        filter: &SourceFilter,
        page: &PageRequest,
    ) -> Result<Page<Source>, StorageError> {
        let mut select = source::Entity::find();
        if let Some(title) = &filter.title {
            let words = search_words(title);
            if words.is_empty() {
                return Err(StorageError::InvalidInput(format!(
                    "the title search {title:?} has no letters or digits"
                )));
            }
            // The words are letters and digits only, so they hold no `LIKE` wildcard to escape.
            for word in words.iter().take(MAX_SEARCH_WORDS) {
                select = select.filter(
                    Condition::any()
                        .add(source::Column::TitleFold.like(format!("{word}%")))
                        .add(source::Column::TitleFold.like(format!("% {word}%"))),
                );
            }
        }
        if let Some(publisher) = &filter.publisher {
            let publisher = Text::parse(publisher).map_err(|error| {
                StorageError::InvalidInput(format!("the publisher {publisher:?}: {error}"))
            })?;
            select = select.filter(source::Column::Publisher.eq(publisher.as_str()));
        }
        let keyset = Keyset::<source::Entity>::new(vec![(source::Column::Id, KeyKind::Uuid)]);
        keyset
            .fetch(select, page, self.reader())
            .await?
            .try_map(from_row)
    }

    /// Records that a record cites a source: both must exist (the record is looked up in its
    /// kind's table).
    pub async fn cite(&self, actor: &Actor, citation: &Citation) -> Result<(), StorageError> {
        let transaction = self.begin_write().await?;
        self.cite_in(&transaction, actor, citation).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// [`Self::cite`] inside a write transaction the caller commits.
    pub(crate) async fn cite_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        citation: &Citation,
    ) -> Result<(), StorageError> {
        if !exists::<source::Entity>(
            self,
            transaction,
            source::Column::Id,
            citation.source.as_uuid(),
        )
        .await?
        {
            return Err(StorageError::NotFound {
                kind: KIND,
                id: citation.source.to_string(),
            });
        }
        if !subject_exists(self, transaction, citation.subject).await? {
            return Err(StorageError::NotFound {
                kind: citation.subject.kind_code(),
                id: citation.subject.uuid().to_string(),
            });
        }
        citation::Entity::insert(citation_row(citation))
            .exec_without_returning(transaction)
            .await?;
        audit::record(
            transaction,
            actor,
            "cite",
            CITATION_KIND,
            citation.id().as_uuid(),
            citation,
        )
        .await
    }

    /// Removes a citation; returns it as it was.
    pub async fn uncite(&self, actor: &Actor, id: CitationId) -> Result<Citation, StorageError> {
        let transaction = self.begin_write().await?;
        let removed = self.uncite_in(&transaction, actor, id).await?;
        transaction.commit().await?;
        Ok(removed)
    }

    /// [`Self::uncite`] inside a write transaction the caller commits.
    pub(crate) async fn uncite_in(
        &self,
        transaction: &DatabaseTransaction,
        actor: &Actor,
        id: CitationId,
    ) -> Result<Citation, StorageError> {
        let row = self
            .for_update(citation::Entity::find_by_id(id.as_uuid()))
            .one(transaction)
            .await?
            .ok_or_else(|| StorageError::NotFound {
                kind: CITATION_KIND,
                id: id.to_string(),
            })?;
        let removed = citation_from_row(row)?;
        citation::Entity::delete_by_id(id.as_uuid())
            .exec(transaction)
            .await?;
        audit::record(
            transaction,
            actor,
            "uncite",
            CITATION_KIND,
            id.as_uuid(),
            &removed,
        )
        .await?;
        Ok(removed)
    }

    /// Where facts came from: the citations of each record asked for, oldest first. Every
    /// record asked for has an entry, empty when nothing cites it. One statement whatever their
    /// number.
    pub async fn citations_of(
        &self,
        subjects: &[Subject],
    ) -> Result<HashMap<Subject, Vec<Citation>>, StorageError> {
        let mut cited: HashMap<Subject, Vec<Citation>> =
            subjects.iter().map(|s| (*s, Vec::new())).collect();
        if subjects.is_empty() {
            return Ok(cited);
        }
        let mut by_kind: BTreeMap<&'static str, Vec<Uuid>> = BTreeMap::new();
        for subject in subjects {
            by_kind
                .entry(subject.kind_code())
                .or_default()
                .push(subject.uuid());
        }
        let mut condition = Condition::any();
        for (kind, ids) in by_kind {
            condition = condition.add(
                Condition::all()
                    .add(citation::Column::SubjectKind.eq(kind))
                    .add(citation::Column::SubjectId.is_in(ids)),
            );
        }
        let rows = citation::Entity::find()
            .filter(condition)
            .order_by_asc(citation::Column::Id)
            .all(self.reader())
            .await?;
        for row in rows {
            let citation = citation_from_row(row)?;
            if let Some(list) = cited.get_mut(&citation.subject) {
                list.push(citation);
            }
        }
        Ok(cited)
    }

    /// What cites each source asked for, oldest first. Every source asked for has an entry,
    /// empty when nothing cites it. One statement whatever their number.
    pub async fn citations_of_sources(
        &self,
        sources: &[SourceId],
    ) -> Result<HashMap<SourceId, Vec<Citation>>, StorageError> {
        let mut citing: HashMap<SourceId, Vec<Citation>> =
            sources.iter().map(|s| (*s, Vec::new())).collect();
        if sources.is_empty() {
            return Ok(citing);
        }
        let rows = citation::Entity::find()
            .filter(citation::Column::SourceId.is_in(sources.iter().map(SourceId::as_uuid)))
            .order_by_asc(citation::Column::SourceId)
            .order_by_asc(citation::Column::Id)
            .all(self.reader())
            .await?;
        for row in rows {
            let citation = citation_from_row(row)?;
            if let Some(list) = citing.get_mut(&citation.source) {
                list.push(citation);
            }
        }
        Ok(citing)
    }
}
