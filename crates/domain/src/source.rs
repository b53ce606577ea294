//! Sources: where every fact came from (a news article, a legal document, a web page), and the
//! citations that tie a record to a source.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::date::PartialDateTime;
use crate::entity::aggregate;
use crate::ids::{
    AwardDecisionId, CitationId, DirectiveId, HoldingId, MeetingId, OrganizationId, PersonId,
    PostId, ProgressReportId, SourceId, TaskId,
};
use crate::text::Text;

/// What kind of source it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A news report.
    NewsArticle,
    /// A legal or official document: a decision, a resolution, a notice.
    LegalDocument,
    /// Any other web page.
    WebPage,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::NewsArticle, Self::LegalDocument, Self::WebPage];

    /// The stable code used in storage and the API.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::NewsArticle => "news_article",
            Self::LegalDocument => "legal_document",
            Self::WebPage => "web_page",
        }
    }

    /// The kind with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Why a source or citation was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The URL is not an absolute http(s) URL.
    #[error(
        "{value:?} is not an absolute http or https URL without spaces (at most 2048 characters)"
    )]
    MalformedUrl {
        /// The text given.
        value: String,
    },
    /// The content hash is not 64 lowercase hexadecimal digits.
    #[error("{value:?} is not a SHA-256 hash in 64 lowercase hexadecimal digits")]
    MalformedHash {
        /// The text given.
        value: String,
    },
}

/// An absolute http or https URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Url(String);

impl Url {
    /// Checks and builds a URL: `http://` or `https://`, a host, no whitespace or control
    /// characters, at most 2048 characters.
    pub fn parse(text: &str) -> Result<Self, SourceError> {
        let trimmed = text.trim();
        let rest = trimmed
            .strip_prefix("https://")
            .or_else(|| trimmed.strip_prefix("http://"));
        let ok = rest.is_some_and(|rest| {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty()
        }) && trimmed.len() <= 2048
            && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(SourceError::MalformedUrl {
                value: text.chars().take(200).collect(),
            })
        }
    }

    /// The URL.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Url {
    type Error = SourceError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Url> for String {
    fn from(value: Url) -> Self {
        value.0
    }
}

/// The SHA-256 of a source's text (NFC, as retrieved), so a later copy can be compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContentHash(String);

impl ContentHash {
    /// The hash of `text` after NFC normalization, so NFC and NFD copies hash alike.
    #[must_use]
    pub fn of_text(text: &str) -> Self {
        let normalized: String = text.nfc().collect();
        let digest = Sha256::digest(normalized.as_bytes());
        Self(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Checks a hash given as 64 lowercase hexadecimal digits.
    pub fn parse(text: &str) -> Result<Self, SourceError> {
        let text = text.trim();
        if text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(Self(text.to_owned()))
        } else {
            Err(SourceError::MalformedHash {
                value: text.chars().take(100).collect(),
            })
        }
    }

    /// The hexadecimal digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ContentHash {
    type Error = SourceError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ContentHash> for String {
    fn from(value: ContentHash) -> Self {
        value.0
    }
}

/// What Gazette records about a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceDetails {
    /// What kind of source.
    pub kind: SourceKind,
    /// Its title or headline.
    pub title: Text,
    /// Who published it ("Báo Cần Thơ").
    pub publisher: Option<Text>,
    /// Where it can be read.
    pub url: Option<Url>,
    /// When it was published (local time).
    pub published_at: Option<PartialDateTime>,
    /// Who wrote it ("THANH THY").
    pub byline: Option<Text>,
    /// Who took its photos ("NGỌC QUYÊN").
    #[serde(default)]
    pub photo_credits: Vec<Text>,
    /// When Gazette retrieved it.
    pub retrieved_at: Option<DateTime<Utc>>,
    /// The hash of the text retrieved.
    pub content_hash: Option<ContentHash>,
}

impl SourceDetails {
    /// Details with only a kind and a title.
    #[must_use]
    pub fn new(kind: SourceKind, title: Text) -> Self {
        Self {
            kind,
            title,
            publisher: None,
            url: None,
            published_at: None,
            byline: None,
            photo_credits: Vec::new(),
            retrieved_at: None,
            content_hash: None,
        }
    }

    fn validate(&self, _id: SourceId) -> Result<(), SourceError> {
        Ok(())
    }
}

aggregate!(
    /// A source.
    Source,
    SourceId,
    SourceDetails,
    SourceError
);

/// A record that can cite a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A person.
    Person(PersonId),
    /// An organization.
    Organization(OrganizationId),
    /// A post.
    Post(PostId),
    /// A holding.
    Holding(HoldingId),
    /// A meeting.
    Meeting(MeetingId),
    /// A directive.
    Directive(DirectiveId),
    /// A task.
    Task(TaskId),
    /// A progress report.
    ProgressReport(ProgressReportId),
    /// An award decision.
    AwardDecision(AwardDecisionId),
}

impl Subject {
    /// The stable code of the subject's kind.
    #[must_use]
    pub const fn kind_code(&self) -> &'static str {
        match self {
            Self::Person(_) => "person",
            Self::Organization(_) => "organization",
            Self::Post(_) => "post",
            Self::Holding(_) => "holding",
            Self::Meeting(_) => "meeting",
            Self::Directive(_) => "directive",
            Self::Task(_) => "task",
            Self::ProgressReport(_) => "progress_report",
            Self::AwardDecision(_) => "award_decision",
        }
    }

    /// The subject's id as a UUID.
    #[must_use]
    pub fn uuid(&self) -> uuid::Uuid {
        match self {
            Self::Person(id) => id.as_uuid(),
            Self::Organization(id) => id.as_uuid(),
            Self::Post(id) => id.as_uuid(),
            Self::Holding(id) => id.as_uuid(),
            Self::Meeting(id) => id.as_uuid(),
            Self::Directive(id) => id.as_uuid(),
            Self::Task(id) => id.as_uuid(),
            Self::ProgressReport(id) => id.as_uuid(),
            Self::AwardDecision(id) => id.as_uuid(),
        }
    }

    /// The subject of this kind code and UUID.
    #[must_use]
    pub fn from_parts(kind: &str, uuid: uuid::Uuid) -> Option<Self> {
        Some(match kind {
            "person" => Self::Person(PersonId::from_uuid(uuid)),
            "organization" => Self::Organization(OrganizationId::from_uuid(uuid)),
            "post" => Self::Post(PostId::from_uuid(uuid)),
            "holding" => Self::Holding(HoldingId::from_uuid(uuid)),
            "meeting" => Self::Meeting(MeetingId::from_uuid(uuid)),
            "directive" => Self::Directive(DirectiveId::from_uuid(uuid)),
            "task" => Self::Task(TaskId::from_uuid(uuid)),
            "progress_report" => Self::ProgressReport(ProgressReportId::from_uuid(uuid)),
            "award_decision" => Self::AwardDecision(AwardDecisionId::from_uuid(uuid)),
            _ => return None,
        })
    }
}

/// Why a citation was rejected (it has no rule beyond its values' own).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CitationError {}

/// What Gazette records about a citation: a record citing a source, with a note on what the
/// source says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitationDetails {
    /// The source cited.
    pub source: SourceId,
    /// The record that cites it.
    pub subject: Subject,
    /// What the source says of the record, or where ("paragraph 2").
    pub note: Option<Text>,
}

impl CitationDetails {
    fn validate(&self, _id: CitationId) -> Result<(), CitationError> {
        Ok(())
    }
}

aggregate!(
    /// A record citing a source.
    Citation,
    CitationId,
    CitationDetails,
    CitationError
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_absolute_http() {
        assert!(Url::parse("https://baokhanhhoa.vn/chinh-tri/202101/x/").is_ok());
        assert!(Url::parse("http://vinhphuctv.vn/Qu%E1%BA%A3n-tr%E1%BB%8B/").is_ok());
        for bad in [
            "ftp://x",
            "https://",
            "baocantho.com.vn",
            "https://a b",
            "javascript:alert(1)",
        ] {
            assert!(Url::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn nfc_and_nfd_copies_of_a_text_hash_alike() {
        let nfc = "Trần Việt Trường";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(nfc, nfd);
        assert_eq!(ContentHash::of_text(nfc), ContentHash::of_text(&nfd));
        let hash = ContentHash::of_text(nfc);
        assert_eq!(ContentHash::parse(hash.as_str()).unwrap(), hash);
        assert!(ContentHash::parse("abc").is_err());
    }

    #[test]
    fn subjects_round_trip_through_their_parts() {
        let subject = Subject::Holding(HoldingId::new());
        assert_eq!(
            Subject::from_parts(subject.kind_code(), subject.uuid()),
            Some(subject)
        );
        assert_eq!(Subject::from_parts("nothing", subject.uuid()), None);
    }
}
