//! Posts: offices that exist independently of who holds them ("Chủ tịch UBND thành phố Cần
//! Thơ", "Phó Bí thư Thành ủy"), as Popolo's Post.

use std::fmt;
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

use crate::date::Period;
use crate::entity::aggregate;
use crate::ids::{OrganizationId, PostId};
use crate::organization::Organization;
use crate::text::Text;

/// How many people may hold a post at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Option<u32>", into = "Option<u32>")]
pub enum Seats {
    /// At most this many at once (one for Chủ tịch UBND, Bí thư, Trưởng ban).
    Limited(NonZeroU32),
    /// No limit (Ủy viên Ban Chấp hành, deputies whose number varies).
    Unlimited,
}

impl Seats {
    /// A post with one seat.
    pub const ONE: Self = Self::Limited(NonZeroU32::MIN);

    /// The number of seats, `None` when unlimited.
    #[must_use]
    pub fn limit(self) -> Option<u32> {
        match self {
            Self::Limited(n) => Some(n.get()),
            Self::Unlimited => None,
        }
    }
}

/// A post cannot have zero seats.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a post has at least one seat (or an unlimited number); 0 was given")]
pub struct ZeroSeats;

impl TryFrom<Option<u32>> for Seats {
    type Error = ZeroSeats;

    fn try_from(value: Option<u32>) -> Result<Self, Self::Error> {
        match value {
            None => Ok(Self::Unlimited),
            Some(n) => NonZeroU32::new(n).map(Self::Limited).ok_or(ZeroSeats),
        }
    }
}

impl From<Seats> for Option<u32> {
    fn from(seats: Seats) -> Self {
        seats.limit()
    }
}

impl fmt::Display for Seats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Limited(n) if n.get() == 1 => f.write_str("1 seat"),
            Self::Limited(n) => write!(f, "{n} seats"),
            Self::Unlimited => f.write_str("unlimited seats"),
        }
    }
}

/// Why a post was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    /// The post is given to another organization than the one checked against.
    #[error("post {post} belongs to organization {expected}, not {given}")]
    WrongOrganization {
        /// The post.
        post: PostId,
        /// Its organization.
        expected: OrganizationId,
        /// The organization it was checked against.
        given: OrganizationId,
    },
    /// The post would exist outside its organization's life.
    #[error(
        "post {post} ({post_life}) would exist outside the life of its organization \"{organization}\" ({organization_life})"
    )]
    OutsideOrganizationLife {
        /// The post.
        post: PostId,
        /// The post's life.
        post_life: Period,
        /// The organization's name.
        organization: String,
        /// The organization's life.
        organization_life: Period,
    },
}

/// What Gazette records about a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostDetails {
    /// The organization the post belongs to.
    pub organization: OrganizationId,
    /// The title: "Chủ tịch", "Phó Bí thư Thường trực", "Trưởng ban".
    pub title: Text,
    /// How many may hold it at once.
    pub seats: Seats,
    /// When the post existed.
    pub life: Period,
}

impl PostDetails {
    fn validate(&self, _id: PostId) -> Result<(), PostError> {
        // Every field is a valid value on its own and the post has no cross-field rule; the
        // rules that involve its organization are checked with the holdings.
        Ok(())
    }
}

aggregate!(
    /// A post.
    Post,
    PostId,
    PostDetails,
    PostError
);

impl Post {
    /// Checks the post against its organization: it belongs to it and does not exist outside the
    /// organization's life.
    pub fn check_organization(&self, organization: &Organization) -> Result<(), PostError> {
        if organization.id() != self.organization {
            return Err(PostError::WrongOrganization {
                post: self.id(),
                expected: self.organization,
                given: organization.id(),
            });
        }
        if !self.life.lies_within(&organization.life) {
            return Err(PostError::OutsideOrganizationLife {
                post: self.id(),
                post_life: self.life,
                organization: organization.name.to_string(),
                organization_life: organization.life,
            });
        }
        Ok(())
    }
}
