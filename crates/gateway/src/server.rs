//! The HTTP server: GraphQL over HTTP at `/graphql` (POST, GET for queries, WebSocket
//! subscriptions), the playground at `/`, and `/healthz`, `/readyz`, `/metrics`.
//!
//! Where async-graphql-axum's defaults stray from the GraphQL-over-HTTP specification, this
//! module handles the request itself: `Accept` picks `application/graphql-response+json` or
//! `application/json`; a mutation over GET is 405 with `Allow: POST`; a request that fails to
//! parse or validate is a 4xx without `data`; the body is capped (1 MiB by default) and the
//! whole request is bounded in time (10 s by default).

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::Executor as _;
use async_graphql::parser::types::OperationType;
use async_graphql::{
    BatchRequest, ErrorExtensionValues, Request as GraphQLRequest, Response as GraphQLResponse,
    ServerError, Value,
};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gazette_storage::Database;
use serde::Deserialize;
use tracing::Instrument;

use crate::auth;
use crate::metrics::Metrics;
use crate::playground;
use crate::schema::GazetteSchema;
use crate::schema::context::{Principal, RequestContext};
use crate::schema::documents::{Parsed, RequestDocument};
use crate::schema::error::Code;
use crate::schema::loaders::{BatchQueue, SharedLoads};
use async_graphql::parser::types::ExecutableDocument;

/// What the server needs to answer.
#[derive(Clone)]
pub struct AppState {
    /// The schema.
    pub schema: GazetteSchema,
    /// The database.
    pub db: Database,
    /// The settings.
    pub settings: Arc<HttpSettings>,
    /// The counters behind `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The loads concurrent requests share (see [`SharedLoads`]).
    pub shared_loads: SharedLoads,
}

/// HTTP-level settings.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// The largest request body, in bytes.
    pub max_body_bytes: usize,
    /// How long one request may take.
    pub request_timeout: Duration,
    /// Whether reads need a reader token too.
    pub require_read_token: bool,
    /// Whether a JSON array of operations is accepted.
    pub allow_batching: bool,
    /// The most operations in one batch.
    pub max_batch: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            require_read_token: false,
            allow_batching: false,
            max_batch: 10,
        }
    }
}

/// How long an accepted connection may be silent before the kernel starts probing it.
pub const KEEPALIVE_IDLE: Duration = Duration::from_secs(60);
/// How often it probes then.
pub const KEEPALIVE_INTERVAL: Duration = Duration::from_secs(15);
/// How many unanswered probes close the connection.
pub const KEEPALIVE_PROBES: u32 = 4;

/// Sets the socket options of an accepted connection. TCP keepalive: a client that vanished
/// without closing its connection (a machine switched off, a NAT mapping dropped) stops
/// holding it, and whatever it was waiting on, after about two minutes of silence
/// ([`KEEPALIVE_IDLE`] + [`KEEPALIVE_PROBES`] × [`KEEPALIVE_INTERVAL`]) instead of for ever.
/// `TCP_NODELAY`: a response goes out as soon as it is written, not held back until the
/// client acknowledges an earlier segment. An option the system refuses is logged and the
/// connection served without it.
pub fn tune_connection(stream: &mut tokio::net::TcpStream) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "TCP_NODELAY not set on an accepted connection");
    }
    let keepalive = socket2::TcpKeepalive::new()
        .with_time(KEEPALIVE_IDLE)
        .with_interval(KEEPALIVE_INTERVAL)
        .with_retries(KEEPALIVE_PROBES);
    if let Err(error) = socket2::SockRef::from(&*stream).set_tcp_keepalive(&keepalive) {
        tracing::debug!(%error, "TCP keepalive not set on an accepted connection");
    }
}

/// The router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/graphql",
            get(graphql_get)
                .post(graphql_post)
                .fallback(method_not_allowed),
        )
        .route("/", get(playground::page))
        .route("/playground/{file}", get(playground::asset))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/export/{file}", get(crate::export::download))
        .with_state(state)
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state
            .metrics
            .render(state.db.statement_count(), state.db.pool_status()),
    )
        .into_response()
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, "GET, POST")],
    )
        .into_response()
}

/// The media type a response is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphQLResponse,
    Json,
}

impl MediaType {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphQLResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }
}

/// Picks the response type from `Accept`: `application/graphql-response+json` when listed,
/// else `application/json` (also for `*/*`, `application/*` or no header); `None` when the
/// client accepts neither (406).
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    let types: Vec<String> = accept
        .split(',')
        .map(|part| {
            part.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    if types
        .iter()
        .any(|t| t == "application/graphql-response+json")
    {
        Some(MediaType::GraphQLResponse)
    } else if types
        .iter()
        .any(|t| t == "application/json" || t == "*/*" || t == "application/*")
    {
        Some(MediaType::Json)
    } else {
        None
    }
}

fn request_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A response carrying only request-level errors (no `data`).
fn error_response(
    status: StatusCode,
    media: MediaType,
    request_id: &str,
    code: Code,
    message: &str,
) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code.as_str(), "requestId": request_id } }]
    });
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.header());
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert("x-request-id", value);
    }
    response
}

/// Resolves the caller from the `Authorization` header; an invalid token is refused outright
/// rather than treated as anonymous.
async fn principal(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, (StatusCode, Code, String)> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| {
        (
            StatusCode::UNAUTHORIZED,
            Code::Unauthenticated,
            auth::TokenError::Malformed.to_string(),
        )
    })?;
    match auth::verify(&state.db, text).await {
        Ok(principal) => Ok(Some(principal)),
        Err(auth::TokenError::Storage(error)) => {
            tracing::warn!(%error, "token lookup failed");
            Err((
                StatusCode::SERVICE_UNAVAILABLE,
                Code::Unavailable,
                "the database is unavailable; try again shortly".to_owned(),
            ))
        }
        Err(error) => Err((
            StatusCode::UNAUTHORIZED,
            Code::Unauthenticated,
            error.to_string(),
        )),
    }
}

/// The body of a GraphQL request, in either transport.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParameters {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

async fn graphql_get(State(state): State<AppState>, request: Request) -> Response {
    let is_websocket = request
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if is_websocket {
        return crate::subscriptions::upgrade(state, request).await;
    }
    let id = request_id();
    let headers = request.headers().clone();
    let Some(media) = negotiate(&headers) else {
        return error_response(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            &id,
            Code::BadUserInput,
            "accept application/graphql-response+json or application/json",
        );
    };
    let query = request.uri().query().unwrap_or("");
    let parameters: GetParameters = match serde_urlencoded_like(query) {
        Ok(p) => p,
        Err(message) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                media,
                &id,
                Code::BadUserInput,
                &message,
            );
        }
    };
    let Some(text) = parameters.query else {
        return error_response(
            StatusCode::BAD_REQUEST,
            media,
            &id,
            Code::BadUserInput,
            "a GET request needs a `query` parameter",
        );
    };
    // Only queries may travel over GET: a mutation (or subscription) is 405 with `Allow: POST`.
    if let Ok(document) = async_graphql::parser::parse_query(&text) {
        let operation = match (&document.operations, parameters.operation_name.as_deref()) {
            (async_graphql::parser::types::DocumentOperations::Single(op), _) => Some(op.node.ty),
            (async_graphql::parser::types::DocumentOperations::Multiple(ops), Some(name)) => {
                ops.get(name).map(|op| op.node.ty)
            }
            (async_graphql::parser::types::DocumentOperations::Multiple(_), None) => None,
        };
        if matches!(
            operation,
            Some(OperationType::Mutation | OperationType::Subscription)
        ) {
            let mut response = error_response(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                &id,
                Code::BadUserInput,
                "only queries may be sent with GET; send mutations with POST",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
    }
    let mut graphql = GraphQLRequest::new(text);
    if let Some(name) = parameters.operation_name {
        graphql = graphql.operation_name(name);
    }
    if let Some(variables) = parameters.variables {
        match serde_json::from_str::<serde_json::Value>(&variables) {
            Ok(value @ serde_json::Value::Object(_)) => {
                graphql = graphql.variables(async_graphql::Variables::from_json(value))
            }
            _ => {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    media,
                    &id,
                    Code::BadUserInput,
                    "`variables` must be a JSON object",
                );
            }
        }
    }
    if parameters.extensions.is_some_and(|e| {
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&e).is_err()
    }) {
        return error_response(
            StatusCode::BAD_REQUEST,
            media,
            &id,
            Code::BadUserInput,
            "`extensions` must be a JSON object",
        );
    }
    execute(state, headers, media, id, BatchRequest::Single(graphql)).await
}

/// Decodes `application/x-www-form-urlencoded` query parameters.
fn serde_urlencoded_like(query: &str) -> Result<GetParameters, String> {
    let mut parameters = GetParameters {
        query: None,
        operation_name: None,
        variables: None,
        extensions: None,
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value)
            .ok_or_else(|| format!("query parameter {key:?} is not valid percent-encoded UTF-8"))?;
        match key {
            "query" => parameters.query = Some(value),
            "operationName" => parameters.operation_name = Some(value),
            "variables" => parameters.variables = Some(value),
            "extensions" => parameters.extensions = Some(value),
            _ => {}
        }
    }
    Ok(parameters)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

async fn graphql_post(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let id = request_id();
    let Some(media) = negotiate(&headers) else {
        return error_response(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            &id,
            Code::BadUserInput,
            "accept application/graphql-response+json or application/json",
        );
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if content_type.as_deref() != Some("application/json") {
        return error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            &id,
            Code::BadUserInput,
            "send the request as application/json",
        );
    }
    let bytes: Bytes = match axum::body::to_bytes(body, state.settings.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let message = format!(
                "the request body exceeds {} bytes",
                state.settings.max_body_bytes
            );
            return error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                &id,
                Code::BadUserInput,
                &message,
            );
        }
    };
    let batch = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Err(error) => {
            let message = format!("the body is not valid JSON: {error}");
            return error_response(
                StatusCode::BAD_REQUEST,
                media,
                &id,
                Code::BadUserInput,
                &message,
            );
        }
        Ok(value @ serde_json::Value::Object(_)) => {
            match serde_json::from_value::<GraphQLRequest>(value) {
                Ok(request) => BatchRequest::Single(request),
                Err(error) => {
                    let message = format!("the body is not a GraphQL request: {error}");
                    return error_response(
                        StatusCode::BAD_REQUEST,
                        media,
                        &id,
                        Code::BadUserInput,
                        &message,
                    );
                }
            }
        }
        Ok(serde_json::Value::Array(items)) => {
            if !state.settings.allow_batching {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    media,
                    &id,
                    Code::BadUserInput,
                    "batched requests are disabled on this server",
                );
            }
            if items.is_empty() || items.len() > state.settings.max_batch {
                let message = format!(
                    "a batch holds 1 to {} operations; {} were sent",
                    state.settings.max_batch,
                    items.len()
                );
                return error_response(
                    StatusCode::BAD_REQUEST,
                    media,
                    &id,
                    Code::BadUserInput,
                    &message,
                );
            }
            match serde_json::from_value::<Vec<GraphQLRequest>>(serde_json::Value::Array(items)) {
                Ok(requests) => BatchRequest::Batch(requests),
                Err(error) => {
                    let message = format!("the body is not a batch of GraphQL requests: {error}");
                    return error_response(
                        StatusCode::BAD_REQUEST,
                        media,
                        &id,
                        Code::BadUserInput,
                        &message,
                    );
                }
            }
        }
        Ok(_) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                media,
                &id,
                Code::BadUserInput,
                "the body must be a JSON object",
            );
        }
    };
    execute(state, headers, media, id, batch).await
}

/// The operation's name for metrics and logs: `operationName`, else the name of the document's
/// only operation, else "anonymous".
fn operation_label(request: &GraphQLRequest, document: Option<&ExecutableDocument>) -> String {
    if let Some(name) = &request.operation_name {
        return name.clone();
    }
    match document.map(|document| &document.operations) {
        Some(async_graphql::parser::types::DocumentOperations::Multiple(operations))
            if operations.len() == 1 =>
        {
            operations
                .keys()
                .next()
                .map_or_else(|| "anonymous".to_owned(), ToString::to_string)
        }
        _ => "anonymous".to_owned(),
    }
}

/// A response without `data`: what a request that failed as a whole answers.
#[derive(serde::Serialize)]
struct ErrorsOnly<'a> {
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, Value>,
}

/// Whether a response failed as a whole (parse or validation) rather than in some fields.
fn is_request_error(response: &GraphQLResponse) -> bool {
    response.data == Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty())
}

fn code_of(error: &ServerError) -> String {
    match error.extensions.as_ref().and_then(|e| e.get("code")) {
        Some(Value::String(code)) => code.clone(),
        _ => "BAD_USER_INPUT".to_owned(),
    }
}

async fn execute(
    state: AppState,
    headers: HeaderMap,
    media: MediaType,
    id: String,
    batch: BatchRequest,
) -> Response {
    let started = Instant::now();
    let principal = match principal(&state, &headers).await {
        Ok(principal) => principal,
        Err((status, code, message)) => return error_response(status, media, &id, code, &message),
    };
    if state.settings.require_read_token && principal.is_none() {
        return error_response(
            StatusCode::UNAUTHORIZED,
            media,
            &id,
            Code::Unauthenticated,
            "this server needs a token for every request: send `Authorization: Bearer <token>`",
        );
    }
    // Each operation's document, parsed once (or taken from the cache) for the metrics' label,
    // execution and the response's field order; `None` for one that does not parse, which
    // async-graphql then refuses with its own error.
    let parsed: Vec<(Option<Arc<Parsed>>, Option<String>)> = match &batch {
        BatchRequest::Single(request) => vec![(
            crate::schema::documents::parse(&request.query).ok(),
            request.operation_name.clone(),
        )],
        BatchRequest::Batch(requests) => requests
            .iter()
            .map(|r| {
                (
                    crate::schema::documents::parse(&r.query).ok(),
                    r.operation_name.clone(),
                )
            })
            .collect(),
    };
    let operation_name = match &batch {
        BatchRequest::Single(request) => {
            operation_label(request, parsed[0].0.as_deref().map(|parsed| &**parsed))
        }
        BatchRequest::Batch(_) => "batch".to_owned(),
    };
    let context = RequestContext {
        principal,
        request_id: id.clone(),
    };
    let queue = BatchQueue::default();
    let batch = match batch {
        BatchRequest::Single(request) => BatchRequest::Single(with_data(
            request,
            parsed[0].0.as_ref(),
            &state,
            &context,
            &queue,
        )),
        BatchRequest::Batch(requests) => BatchRequest::Batch(
            requests
                .into_iter()
                .zip(&parsed)
                .map(|(r, (document, _))| with_data(r, document.as_ref(), &state, &context, &queue))
                .collect(),
        ),
    };
    let schema = state.schema.clone();
    // The request runs in its own task so that a client that goes away cannot cancel a write
    // half-way; the timeout bounds how long the client waits.
    // Everything logged while the request runs (an internal cause, say) carries its id.
    // The execution's future (several kilobytes) goes to the heap once: tokio moves a task's
    // future by value while it sets the task up and reads its output, a tenth of a page's
    // instructions when it was moved whole.
    let span = tracing::info_span!("request", request_id = %id, operation = %operation_name);
    let task = tokio::spawn(Box::pin(
        async move { queue.drive(schema.execute_batch(batch)).await }.instrument(span),
    ));
    let outcome = tokio::time::timeout(state.settings.request_timeout, task).await;
    let mut response = match outcome {
        Ok(Ok(response)) => response,
        Ok(Err(join_error)) => {
            tracing::error!(request_id = %id, error = %join_error, "request task failed");
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                media,
                &id,
                Code::Internal,
                "internal error",
            );
        }
        Err(_) => {
            let message = format!(
                "the request took longer than {} s; a write it carried may still complete, so check before retrying",
                state.settings.request_timeout.as_secs()
            );
            state
                .metrics
                .observe(&operation_name, started.elapsed(), &["TIMEOUT".to_owned()]);
            return error_response(
                StatusCode::SERVICE_UNAVAILABLE,
                media,
                &id,
                Code::Unavailable,
                &message,
            );
        }
    };
    let mut codes = Vec::new();
    let mut request_error = false;
    let mut tag = |response: &mut GraphQLResponse| {
        request_error |= is_request_error(response);
        for error in &mut response.errors {
            codes.push(code_of(error));
            let extensions = error
                .extensions
                .get_or_insert_with(ErrorExtensionValues::default);
            if extensions.get("code").is_none() {
                extensions.set(
                    "code",
                    if request_error {
                        "BAD_USER_INPUT"
                    } else {
                        "INTERNAL"
                    },
                );
            }
            extensions.set("requestId", id.clone());
        }
    };
    match &mut response {
        async_graphql::BatchResponse::Single(single) => tag(single),
        async_graphql::BatchResponse::Batch(many) => many.iter_mut().for_each(&mut tag),
    }
    let responses: Vec<&mut GraphQLResponse> = match &mut response {
        async_graphql::BatchResponse::Single(single) => vec![single],
        async_graphql::BatchResponse::Batch(many) => many.iter_mut().collect(),
    };
    for (single, (document, operation)) in responses.into_iter().zip(&parsed) {
        if let Some(document) = document {
            crate::schema::order::reorder(&mut single.data, document, operation.as_deref());
        }
    }
    state
        .metrics
        .observe(&operation_name, started.elapsed(), &codes);
    if !codes.is_empty() {
        tracing::info!(request_id = %id, operation = %operation_name, codes = ?codes, "request answered with errors");
    }
    let status = if request_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    // A request that failed as a whole has no `data` at all (GraphQL over HTTP), not `null`.
    // (Encoding goes straight to text: a `serde_json::Value` would sort the keys.)
    let encoded = match &response {
        async_graphql::BatchResponse::Single(single) if request_error => {
            serde_json::to_string(&ErrorsOnly {
                errors: &single.errors,
                extensions: &single.extensions,
            })
        }
        _ => serde_json::to_string(&response),
    };
    let body = match encoded {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(request_id = %id, %error, "cannot encode a response");
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                media,
                &id,
                Code::Internal,
                "internal error",
            );
        }
    };
    let mut http = (status, body).into_response();
    http.headers_mut()
        .insert(header::CONTENT_TYPE, media.header());
    if let Ok(value) = HeaderValue::from_str(&id) {
        http.headers_mut().insert("x-request-id", value);
    }
    http
}

fn with_data(
    mut request: GraphQLRequest,
    document: Option<&Arc<Parsed>>,
    state: &AppState,
    context: &RequestContext,
    queue: &BatchQueue,
) -> GraphQLRequest {
    // The schema checks the document limits on a document handed to it, and async-graphql its
    // own depth and directive limits; a document that did not parse is left to async-graphql,
    // for its error. The kept document goes along too, for the schema to learn whether it was
    // validated before.
    if let Some(document) = document {
        let executable: &ExecutableDocument = document;
        request.set_parsed_query(executable.clone());
        request = request.data(RequestDocument(Arc::clone(document)));
    }
    // Records read together with an earlier level are reused by a query only: a mutation's
    // later fields must read its earlier fields' writes.
    let priming = document.is_some_and(|d| is_query(d, request.operation_name.as_deref()));
    request
        .data(context.clone())
        .data(
            state
                .shared_loads
                .data_loader(queue, state.db.clone(), priming),
        )
}

/// Whether the operation a request runs is a query (not a mutation or subscription); `false`
/// when the document does not say which operation runs.
fn is_query(document: &ExecutableDocument, operation: Option<&str>) -> bool {
    crate::schema::documents::selected_operation(document, operation)
        .is_some_and(|op| op.node.ty == OperationType::Query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_connections_are_probed_when_silent_and_not_delayed() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let _client = tokio::net::TcpStream::connect(address).await.unwrap();
        let (mut accepted, _) = listener.accept().await.unwrap();
        assert!(!socket2::SockRef::from(&accepted).keepalive().unwrap());
        tune_connection(&mut accepted);
        let socket = socket2::SockRef::from(&accepted);
        assert!(socket.keepalive().unwrap());
        assert_eq!(socket.tcp_keepalive_time().unwrap(), KEEPALIVE_IDLE);
        assert_eq!(socket.tcp_keepalive_interval().unwrap(), KEEPALIVE_INTERVAL);
        assert_eq!(socket.tcp_keepalive_retries().unwrap(), KEEPALIVE_PROBES);
        assert!(accepted.nodelay().unwrap());
    }

    fn parsed(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap_or_else(|e| panic!("{query}: {e}"))
    }

    #[test]
    fn only_a_query_operation_counts_as_a_query() {
        assert!(is_query(&parsed("{ __typename }"), None));
        assert!(is_query(&parsed("query A { __typename }"), Some("A")));
        assert!(!is_query(&parsed("mutation M { __typename }"), None));
        assert!(!is_query(&parsed("subscription S { __typename }"), None));
        let two = parsed("query A { __typename } mutation M { __typename }");
        assert!(is_query(&two, Some("A")));
        assert!(!is_query(&two, Some("M")));
        // Which one would run is not said (async-graphql refuses the request), or names none.
        assert!(!is_query(&two, None));
        assert!(!is_query(&two, Some("Other")));
    }
}
