//! GraphQL subscriptions over WebSocket (graphql-transport-ws, and the older graphql-ws).
//!
//! The token, when needed, travels in the `connection_init` payload as
//! `{"Authorization": "Bearer <token>"}`, since browsers cannot set headers on a WebSocket.

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::{FromRequestParts, Request, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};

use crate::auth;
use crate::schema::context::RequestContext;
use crate::schema::loaders::Store;
use crate::server::AppState;

/// Upgrades a GET `/graphql` request to a subscription WebSocket.
pub async fn upgrade(state: AppState, request: Request) -> Response {
    let (mut parts, _body) = request.into_parts();
    let protocol = match GraphQLProtocol::from_request_parts(&mut parts, &()).await {
        Ok(protocol) => protocol,
        Err(rejection) => return rejection.into_response(),
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let schema = state.schema.clone();
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(state.settings.max_body_bytes)
        .on_upgrade(move |socket| async move {
            let db = state.db.clone();
            let require = state.settings.require_read_token;
            GraphQLWebSocket::new(socket, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let header = payload
                        .get("Authorization")
                        .or_else(|| payload.get("authorization"))
                        .and_then(|v| v.as_str())
                        .map(str::to_owned);
                    let principal = match header {
                        Some(header) => Some(
                            auth::verify(&db, &header)
                                .await
                                .map_err(|error| async_graphql::Error::new(error.to_string()))?,
                        ),
                        None if require => {
                            return Err(async_graphql::Error::new(
                                "this server needs a token for every request",
                            ));
                        }
                        None => None,
                    };
                    let mut data = Data::default();
                    data.insert(RequestContext {
                        principal,
                        request_id: uuid::Uuid::now_v7().to_string(),
                    });
                    data.insert(Store::data_loader(db.clone()));
                    Ok(data)
                })
                .serve()
                .await;
        })
        .into_response()
}
