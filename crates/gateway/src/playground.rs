//! The GraphiQL playground, served from the binary.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// The playground page.
pub async fn page() -> Response {
    Html(
        "<!doctype html><title>Gazette</title><p>GraphQL at <a href=\"/graphql\">/graphql</a>.</p>",
    )
    .into_response()
}

/// A playground asset.
pub async fn asset(Path(_file): Path<String>) -> Response {
    StatusCode::NOT_FOUND.into_response()
}
