//! One keep-alive HTTP/1.1 connection, on hyper's connection-level client: the tool owns each
//! socket, so `--connections N` means exactly N sockets.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HOST, HeaderValue};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::error::BenchError;

/// Where requests go: a parsed `http://host:port/path` URL.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The URL as given.
    pub url: String,
    /// `host:port`, to connect to.
    pub authority: String,
    /// The `Host` header.
    host: HeaderValue,
    /// The path (and query).
    path: Uri,
}

impl Endpoint {
    /// Parses a plain-HTTP URL (the benchmark runs on loopback; no TLS).
    pub fn parse(url: &str) -> Result<Self, BenchError> {
        let bad = |reason: &str| BenchError::Url {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let uri: Uri = url.parse().map_err(|_| bad("not a URL"))?;
        if uri.scheme_str() != Some("http") {
            return Err(bad("only http:// is supported"));
        }
        let authority = uri.authority().ok_or_else(|| bad("no host"))?;
        let port = authority.port_u16().unwrap_or(80);
        let host_port = format!("{}:{port}", authority.host());
        let host = HeaderValue::from_str(authority.as_str()).map_err(|_| bad("bad host"))?;
        let path = uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .parse::<Uri>()
            .map_err(|_| bad("bad path"))?;
        Ok(Self {
            url: url.to_owned(),
            authority: host_port,
            host,
            path,
        })
    }

    /// The same server with another path (e.g. `/metrics`).
    pub fn with_path(&self, path: &str) -> Result<Self, BenchError> {
        let base = self
            .url
            .split_once("://")
            .map(|(scheme, rest)| (scheme, rest.split('/').next().unwrap_or(rest)));
        match base {
            Some((scheme, authority)) => Self::parse(&format!("{scheme}://{authority}{path}")),
            None => Err(BenchError::Url {
                url: self.url.clone(),
                reason: "no scheme".to_owned(),
            }),
        }
    }
}

/// What went wrong with one exchange on a connection (the connection is then reopened).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ExchangeError(pub String);

/// One open keep-alive connection.
pub struct Connection {
    endpoint: Endpoint,
    sender: SendRequest<Full<Bytes>>,
}

impl Connection {
    /// Opens a connection to the endpoint's server.
    pub async fn open(endpoint: &Endpoint) -> Result<Self, ExchangeError> {
        let stream = TcpStream::connect(&endpoint.authority)
            .await
            .map_err(|e| ExchangeError(format!("connect: {e}")))?;
        stream
            .set_nodelay(true)
            .map_err(|e| ExchangeError(format!("TCP_NODELAY: {e}")))?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| ExchangeError(format!("handshake: {e}")))?;
        // The connection's I/O runs beside the requests; it ends when the sender is dropped
        // or the server closes.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Self {
            endpoint: endpoint.clone(),
            sender,
        })
    }

    /// POSTs a JSON body (with a bearer token when given) and reads the whole response.
    pub async fn post_json(
        &mut self,
        body: Bytes,
        token: Option<&HeaderValue>,
    ) -> Result<(StatusCode, Bytes), ExchangeError> {
        self.sender
            .ready()
            .await
            .map_err(|e| ExchangeError(format!("connection: {e}")))?;
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(self.endpoint.path.clone())
            .header(HOST, self.endpoint.host.clone())
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "application/json");
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, token.clone());
        }
        let request = request
            .body(Full::new(body))
            .map_err(|e| ExchangeError(format!("request: {e}")))?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| ExchangeError(format!("send: {e}")))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| ExchangeError(format!("body: {e}")))?
            .to_bytes();
        Ok((status, body))
    }
}

/// One GET on a fresh connection (for `/metrics`), returning the body of a 200 response.
pub async fn get(endpoint: &Endpoint) -> Result<Bytes, BenchError> {
    let failed = |reason: String| BenchError::Http {
        url: endpoint.url.clone(),
        reason,
    };
    let stream = TcpStream::connect(&endpoint.authority)
        .await
        .map_err(|e| failed(format!("connect: {e}")))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| failed(format!("handshake: {e}")))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let request = Request::builder()
        .method(Method::GET)
        .uri(endpoint.path.clone())
        .header(HOST, endpoint.host.clone())
        .body(Empty::<Bytes>::new())
        .map_err(|e| failed(format!("request: {e}")))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| failed(format!("send: {e}")))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| failed(format!("body: {e}")))?
        .to_bytes();
    if status != StatusCode::OK {
        return Err(failed(format!("status {status}")));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_and_swaps_paths() {
        let endpoint = Endpoint::parse("http://127.0.0.1:8000/graphql").unwrap();
        assert_eq!(endpoint.authority, "127.0.0.1:8000");
        assert_eq!(endpoint.path, "/graphql");
        let metrics = endpoint.with_path("/metrics").unwrap();
        assert_eq!(metrics.url, "http://127.0.0.1:8000/metrics");
        assert_eq!(
            Endpoint::parse("http://localhost/graphql")
                .unwrap()
                .authority,
            "localhost:80"
        );
        assert!(Endpoint::parse("https://example.invalid/graphql").is_err());
    }
}
