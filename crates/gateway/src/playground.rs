//! The GraphiQL playground, served entirely from the binary.
//!
//! `/` is a small HTML page; `/playground/{file}` serves the scripts and styles it loads, all
//! embedded at compile time from `crates/gateway/assets/playground/`: GraphiQL, React and
//! ReactDOM as published on npm at pinned versions (see that directory's `README.md` for the
//! versions, licenses and how to update them) and Gazette's own few lines that set GraphiQL up.
//! Nothing is fetched from anywhere else, so the playground works without internet access;
//! the page's `Content-Security-Policy` makes the browser refuse any other origin.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The policy sent with the page: scripts, styles, fonts and requests only from this server
/// (GraphiQL sets inline styles, and its CSS embeds its fonts as `data:` URIs).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// The page; `{{version}}` marks where the assets' fingerprint goes.
const PAGE_TEMPLATE: &str = include_str!("../assets/playground/index.html");

/// A file under `/playground/`.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

/// Every file `/playground/{file}` serves; any other name is 404.
const ASSETS: &[Asset] = &[
    Asset {
        name: "graphiql.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/playground/graphiql.min.js"),
    },
    Asset {
        name: "graphiql.min.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/playground/graphiql.min.css"),
    },
    Asset {
        name: "react.production.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/playground/react.production.min.js"),
    },
    Asset {
        name: "react-dom.production.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/playground/react-dom.production.min.js"),
    },
    Asset {
        name: "gazette-playground.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/playground/gazette-playground.js"),
    },
    Asset {
        name: "gazette-playground.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../assets/playground/gazette-playground.css"),
    },
    Asset {
        name: "THIRD-PARTY-NOTICES.txt",
        content_type: "text/plain; charset=utf-8",
        body: include_bytes!("../assets/playground/THIRD-PARTY-NOTICES.txt"),
    },
];

/// The names of the files served under `/playground/`.
pub fn asset_names() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|asset| asset.name)
}

/// A fingerprint of every asset, added to their URLs (`?v=`) so that they can be cached for a
/// year and still change with a new binary.
fn fingerprint() -> &'static str {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    static FINGERPRINT: LazyLock<String> = LazyLock::new(|| {
        let mut hasher = Sha256::new();
        for asset in ASSETS {
            hasher.update(asset.name.as_bytes());
            hasher.update((asset.body.len() as u64).to_le_bytes());
            hasher.update(asset.body);
        }
        hasher
            .finalize()
            .iter()
            .take(8)
            .flat_map(|byte| [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0x0f)]])
            .map(char::from)
            .collect()
    });
    &FINGERPRINT
}

/// The page's HTML, with the assets' fingerprint filled in.
fn page_html() -> &'static str {
    static PAGE: LazyLock<String> =
        LazyLock::new(|| PAGE_TEMPLATE.replace("{{version}}", fingerprint()));
    &PAGE
}

/// The playground page: GraphiQL against `/graphql`, opening with an example query, with a box
/// for the token that mutations need.
pub async fn page() -> Response {
    let mut response = page_html().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// A file the playground loads, by exact name (anything else, including any path, is 404).
/// Cached for a year: the page asks for it with the assets' fingerprint in the URL.
pub async fn asset(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == file) else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "no such playground file",
        )
            .into_response();
    };
    let mut response = asset.body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_refers_only_to_files_the_server_has() {
        let html = page_html();
        assert!(!html.contains("{{"), "every placeholder is filled");
        for reference in html.split("/playground/").skip(1) {
            let name = reference.split(['?', '"']).next().unwrap_or_default();
            assert!(
                asset_names().any(|asset| asset == name),
                "the page loads /playground/{name}, which is not served"
            );
        }
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "the page names no other origin"
        );
        assert!(
            !html.contains("<script>"),
            "no inline script, so the policy can forbid them"
        );
    }

    #[test]
    fn the_fingerprint_is_short_hex() {
        assert_eq!(fingerprint().len(), 16);
        assert!(fingerprint().chars().all(|c| c.is_ascii_hexdigit()));
    }
}
