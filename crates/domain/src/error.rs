//! One error type for callers that handle every area's errors alike (the storage and gateway
//! crates map it to their own errors). Each area keeps its own enum.

use crate::award::AwardError;
use crate::award::form::AwardFormError;
use crate::award::number::DocumentNumberError;
use crate::date::{DateError, PeriodError};
use crate::directive::DirectiveError;
use crate::holding::HoldingError;
use crate::identifier::IdentifierError;
use crate::ids::IdError;
use crate::meeting::MeetingError;
use crate::name::NameError;
use crate::organization::OrganizationError;
use crate::person::PersonError;
use crate::post::{PostError, ZeroSeats};
use crate::source::{CitationError, SourceError};
use crate::task::TaskError;
use crate::text::TextError;

/// Any rule of the domain that a value or record broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[expect(
    missing_docs,
    reason = "each variant wraps the error of the area it names"
)]
pub enum DomainError {
    #[error(transparent)]
    Id(#[from] IdError),
    #[error(transparent)]
    Text(#[from] TextError),
    #[error(transparent)]
    Name(#[from] NameError),
    #[error(transparent)]
    Date(#[from] DateError),
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(transparent)]
    Person(#[from] PersonError),
    #[error(transparent)]
    Identifier(#[from] IdentifierError),
    #[error(transparent)]
    Organization(#[from] OrganizationError),
    #[error(transparent)]
    Post(#[from] PostError),
    #[error(transparent)]
    Seats(#[from] ZeroSeats),
    #[error(transparent)]
    Holding(#[from] HoldingError),
    #[error(transparent)]
    Meeting(#[from] MeetingError),
    #[error(transparent)]
    Directive(#[from] DirectiveError),
    #[error(transparent)]
    Task(#[from] TaskError),
    #[error(transparent)]
    Award(#[from] AwardError),
    #[error(transparent)]
    AwardForm(#[from] AwardFormError),
    #[error(transparent)]
    DocumentNumber(#[from] DocumentNumberError),
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Citation(#[from] CitationError),
}
