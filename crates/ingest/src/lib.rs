//! Article ingestion: from a Vietnamese news report, as plain text, to a reviewable [`Draft`] of
//! Gazette records.
//!
//! [`ingest`] reads the source (publisher from the dateline marker or URL, date line, headline,
//! byline, photo credits), the people and every title the article gives them (each resolved to a
//! post and an organization, the place filled in from the article's context), the meeting (date,
//! organizer, kind, title, chairs, attendees), the directives (speaker, verb, addressees, one
//! task per instruction with its deadline), award presentations and decisions (form, authority,
//! presenter, decision number, recipients named or counted, achievement), organizations merged
//! or renamed, and the abbreviations the article defines or uses. Every item carries the
//! sentence it came from (character offsets into [`normalize()`] of the text) and a confidence;
//! what the article does not say stays empty.
//!
//! Architecture invariant: this crate is pure (no I/O, no async, no database). It never panics
//! on any input and runs in time linear in the input's length: every recognizer is a hand-written
//! scanner with bounded look-ahead. `docs/ingest.md` says what it recognizes, what it cannot, and
//! how to extend the publisher and title tables.
//!
//! ```
//! use gazette_ingest::{IngestOptions, ingest};
//!
//! let text = "(CT) - Ngày 15-1-2021, Ban Thường vụ Thành ủy Cần Thơ tổ chức hội nghị tổng kết. \
//!             Chủ trì hội nghị có đồng chí Trần Việt Trường, Phó Bí thư Thành ủy, Chủ tịch UBND thành phố.";
//! let draft = ingest(text, &IngestOptions::default()).unwrap();
//! assert_eq!(draft.source.publisher.unwrap().name.as_deref(), Some("Báo Cần Thơ"));
//! assert_eq!(draft.people[0].name, "Trần Việt Trường");
//! assert_eq!(draft.people[0].titles.len(), 2);
//! assert_eq!(draft.meeting.unwrap().date.unwrap().to_string(), "2021-01-15");
//! ```

mod abbrev;
mod article;
mod award;
mod builder;
mod changes;
mod dates;
mod directive;
pub mod draft;
mod lexicon;
mod meeting;
mod normalize;
mod org;
mod people;
pub mod publisher;
mod source;
mod tokens;

use std::collections::HashSet;

pub use draft::*;
pub use lexicon::post_has_one_seat;
pub use normalize::normalize;
pub use publisher::{Locality, Publisher, PublisherTable, PublisherTableError};

use crate::article::Article;
use crate::builder::Builder;
use crate::org::Context;
use crate::tokens::Doc;

/// The largest article accepted by default, in bytes (16 MiB); news reports are a few
/// kilobytes.
pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

/// The longest sentence, in tokens, that the event recognizers (meeting, directives, awards,
/// changes) read; longer ones are not news prose (a table, a list pasted as one line) and are
/// skipped with a warning. People and abbreviations are still read in them.
const MAX_SENTENCE_TOKENS: usize = 500;

/// What the caller knows about the article that its text may not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceHint {
    /// The publisher's name ("Báo Cần Thơ"); wins over a dateline marker.
    pub publisher: Option<String>,
    /// Where the article was read; also looked up in the publisher table.
    pub url: Option<String>,
    /// The headline; wins over the one read from the text.
    pub title: Option<String>,
}

/// How to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestOptions {
    publishers: PublisherTable,
    hint: SourceHint,
    max_bytes: usize,
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            publishers: PublisherTable::builtin(),
            hint: SourceHint::default(),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

impl IngestOptions {
    /// The built-in publisher table, no hint, the default size limit.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds publishers to the built-in table; they win over built-in entries with the same
    /// marker or domain.
    #[must_use]
    pub fn with_publishers(mut self, table: PublisherTable) -> Self {
        self.publishers = self.publishers.extended_with(table);
        self
    }

    /// Sets what the caller knows about the source.
    #[must_use]
    pub fn with_hint(mut self, hint: SourceHint) -> Self {
        self.hint = hint;
        self
    }

    /// Sets the largest input accepted, in bytes.
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// The publisher table in use.
    #[must_use]
    pub fn publishers(&self) -> &PublisherTable {
        &self.publishers
    }
}

/// Why an article could not be read at all. (An article that can be read but says little gives
/// a draft with warnings, not an error.)
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The bytes are not UTF-8.
    #[error(
        "the article is not valid UTF-8: the byte sequence at byte offset {offset} is invalid (convert the file to UTF-8 first, e.g. with iconv)"
    )]
    InvalidUtf8 {
        /// Where the first invalid sequence starts.
        offset: usize,
    },
    /// The article is larger than the limit.
    #[error("the article is {bytes} bytes long; at most {max} are accepted")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
}

/// Reads an article given as bytes, which must be UTF-8 (a byte-order mark is allowed).
///
/// # Errors
/// [`IngestError::InvalidUtf8`] with the offset of the first invalid byte, or
/// [`IngestError::TooLarge`].
pub fn ingest_bytes(bytes: &[u8], options: &IngestOptions) -> Result<Draft, IngestError> {
    if bytes.len() > options.max_bytes {
        return Err(IngestError::TooLarge {
            bytes: bytes.len(),
            max: options.max_bytes,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|error| IngestError::InvalidUtf8 {
        offset: error.valid_up_to(),
    })?;
    ingest(text, options)
}

/// Reads an article into a draft.
///
/// # Errors
/// [`IngestError::TooLarge`] when the text is longer than the options allow.
pub fn ingest(text: &str, options: &IngestOptions) -> Result<Draft, IngestError> {
    if text.len() > options.max_bytes {
        return Err(IngestError::TooLarge {
            bytes: text.len(),
            max: options.max_bytes,
        });
    }
    let doc = Doc::new(normalize(text));
    let mut warnings = Vec::new();
    if doc.tokens.is_empty() {
        warnings.push(Warning {
            code: "empty_input".to_owned(),
            message: "the article has no text".to_owned(),
            span: None,
        });
        return Ok(Draft {
            source: SourceDraft::default(),
            people: Vec::new(),
            organizations: Vec::new(),
            meeting: None,
            directives: Vec::new(),
            awards: Vec::new(),
            organization_changes: Vec::new(),
            abbreviations: Vec::new(),
            warnings,
        });
    }
    let (layout, source, locality) =
        source::read(&doc, &options.hint, &options.publishers, &mut warnings);
    let context = Context::collect(&doc, locality);

    let mut known = HashSet::new();
    let mentions = (0..doc.sents.len())
        .map(|s| {
            if layout.reads_people(&doc, s) {
                people::mentions_in(&doc, s, &context, &mut known)
            } else {
                Vec::new()
            }
        })
        .collect();
    // Sentences too long for the event recognizers are hidden from them by their layout.
    let mut event_layout_kinds = layout.kinds.clone();
    let mut long_sentences = 0usize;
    for sent in &doc.sents {
        if sent.tokens.len() > MAX_SENTENCE_TOKENS {
            long_sentences += 1;
            if let Some(kind) = event_layout_kinds.get_mut(sent.para) {
                *kind = source::ParaKind::Boilerplate;
            }
        }
    }
    let event_layout = source::Layout {
        kinds: event_layout_kinds,
        published: layout.published,
    };
    let article = Article::new(&doc, &event_layout, &context, mentions);
    let mut builder = Builder::new(&doc, &context);
    builder.warnings.append(&mut warnings);
    if long_sentences > 0 {
        builder.warn(
            "long_sentences_skipped",
            format!(
                "{long_sentences} sentence(s) longer than {MAX_SENTENCE_TOKENS} tokens were not read for meetings, directives and awards"
            ),
            None,
        );
    }

    // People first, in the order the article names them.
    for sent_mentions in &article.mentions {
        for mention in sent_mentions {
            if matches!(mention.kind, people::MentionKind::Person { .. }) {
                builder.mention(mention);
            }
        }
    }
    let meeting = meeting::meeting(&article, &mut builder);
    let meeting_setting = meeting.as_ref().map(|(m, s)| (*s, m.date));
    let documents = directive::document_events(&article, &mut builder);
    let (directives, consumed) = directive::directives(
        &article,
        &mut builder,
        &directive::Setting {
            meeting: meeting_setting,
            documents: &documents,
        },
    );
    let awards = award::awards(&article, &mut builder, &consumed, meeting_setting);
    let organization_changes = changes::changes(&article, &mut builder);
    let abbreviations = abbrev::abbreviations(&doc, &layout, &builder);
    builder.link_departments();
    builder.warn_missing_places();
    Ok(Draft {
        source,
        people: builder.people,
        organizations: builder.organizations,
        meeting: meeting.map(|(m, _)| m),
        directives,
        awards,
        organization_changes,
        abbreviations,
        warnings: builder.warnings,
    })
}
