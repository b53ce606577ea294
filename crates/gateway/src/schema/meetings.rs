//! Meetings and directives in the schema.

use async_graphql::{ID, Object};

use super::ids::global_id;

/// A meeting (fields are being filled in).
#[derive(Clone)]
pub struct MeetingObject(pub gazette_domain::meeting::Meeting);

/// Meeting.
#[Object(name = "Meeting")]
impl MeetingObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Meeting", self.0.id().as_uuid())
    }
}

/// A directive (fields are being filled in).
#[derive(Clone)]
pub struct DirectiveObject(pub gazette_domain::directive::Directive);

/// Directive.
#[Object(name = "Directive")]
impl DirectiveObject {
    /// The global id.
    async fn id(&self) -> ID {
        global_id("Directive", self.0.id().as_uuid())
    }
}

/// Meetings and directives: queries.
#[derive(Default)]
pub struct MeetingsQuery;

#[Object]
impl MeetingsQuery {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_meetings_query(&self) -> bool {
        false
    }
}

/// Meetings and directives: mutations.
#[derive(Default)]
pub struct MeetingsMutation;

#[Object]
impl MeetingsMutation {
    /// Holds the place until this area's fields arrive; hidden from the schema.
    #[graphql(visible = false)]
    async fn placeholder_meetings_mutation(&self) -> bool {
        false
    }
}
