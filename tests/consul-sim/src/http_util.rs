//! Request and response helpers shared by every handler: the common opening
//! of a `/v1` handler ([`ApiReq`]), Consul-style plain-text errors, JSON bodies
//! (with `?pretty`), query parsing and blocking queries.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::parse_duration;
use crate::profile::{ErrorPath, Profile};
use crate::state::Sim;

/// What every `/v1` handler starts from: the simulator, the method, the
/// parsed query string and the headers (where the ACL token may be).
///
/// It is the agent's `wrap` in `agent/http.go` in miniature: Consul parses
/// the request once there, before any endpoint runs. It never rejects a
/// request, so taking it changes no answer. The ACL helpers on it
/// (`authz`, `require`) live in `acl::resolve`.
pub(crate) struct ApiReq {
    pub(crate) sim: Arc<Sim>,
    pub(crate) method: Method,
    pub(crate) q: Query,
    pub(crate) headers: HeaderMap,
}

impl<S> FromRequestParts<S> for ApiReq
where
    Arc<Sim>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiReq {
            sim: Arc::<Sim>::from_ref(state),
            method: parts.method.clone(),
            q: Query::parse(parts.uri.query()),
            headers: parts.headers.clone(),
        })
    }
}

impl ApiReq {
    /// The 405 answer (or the `OPTIONS` one) when the method is not `want`;
    /// `allow` is what the `Allow` header lists.
    pub(crate) fn unless_method(&self, want: Method, allow: &[&str]) -> Option<Response> {
        (self.method != want).then(|| method_not_allowed(&self.method, allow))
    }

    /// Waits out a blocking query (`?index=&wait=`) on `table`, if the request is one.
    pub(crate) async fn wait_on(&self, table: &str) -> Result<(), ApiError> {
        if let Some((index, wait)) = self.q.blocking()? {
            self.sim.block(table, index, wait).await;
        }
        Ok(())
    }
}

/// A plain-text error answer, as Consul's `handleErr` writes it.
///
/// `body` is Consul's own message; `path` says how it reached the agent, and
/// the profile decides how that shows (the gRPC wrapper of 1.14, a client
/// agent's `rpc error making call: `): see [`Profile::error_text`], applied
/// to every `/v1` answer by [`render_error`].
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) body: String,
    pub(crate) path: ErrorPath,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, body: impl Into<String>) -> Self {
        ApiError {
            status,
            body: body.into(),
            path: ErrorPath::default(),
        }
    }
    /// The error came back from a server RPC that a client agent forwards.
    pub(crate) fn forwarded(mut self) -> Self {
        self.path.forwarded = true;
        self
    }
    pub(crate) fn bad_request(body: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, body)
    }
    pub(crate) fn not_found(body: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, body)
    }
    /// A plain error as the agent reports it: 403 when the text says
    /// `Permission denied` or `ACL not found`, 500 otherwise.
    pub(crate) fn internal(body: impl Into<String>) -> Self {
        let body = body.into();
        let status = if is_acl_text(&body) {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        Self::new(status, body)
    }
    /// An error that came back through gRPC with the given code.
    pub(crate) fn rpc(code: &'static str, desc: impl Into<String>) -> Self {
        let body = desc.into();
        let status = if code == "PermissionDenied" || is_acl_text(&body) {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        let mut e = Self::new(status, body);
        e.path.grpc = Some(code);
        e
    }
    /// `rpc error: code = Unknown desc = …` (a plain Go error through gRPC).
    pub(crate) fn unknown(desc: impl Into<String>) -> Self {
        Self::rpc("Unknown", desc)
    }
}

fn is_acl_text(s: &str) -> bool {
    s.contains("Permission denied") || s.contains("ACL not found")
}

/// What a `/v1` error answer carries until [`render_error`] words it.
#[derive(Debug, Clone)]
struct Unrendered {
    msg: String,
    path: ErrorPath,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = Response::new(Body::from(self.body.clone()));
        *resp.status_mut() = self.status;
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if self.path != ErrorPath::default() {
            resp.extensions_mut().insert(Unrendered {
                msg: self.body,
                path: self.path,
            });
        }
        resp
    }
}

/// Words an error answer for the profile (the wrappers of
/// [`Profile::error_text`]); other answers pass through.
pub(crate) fn render_error(profile: &Profile, resp: Response) -> Response {
    let Some(u) = resp.extensions().get::<Unrendered>().cloned() else {
        return resp;
    };
    let (mut parts, _) = resp.into_parts();
    parts.extensions.remove::<Unrendered>();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(profile.error_text(&u.msg, u.path)))
}

pub(crate) type ApiResult = Result<Response, ApiError>;

/// Parsed query string (last value wins; flags such as `?pretty` map to "").
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pub(crate) map: HashMap<String, String>,
}

impl Query {
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let mut map = HashMap::new();
        if let Some(raw) = raw {
            for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
                map.insert(k.into_owned(), v.into_owned());
            }
        }
        Query { map }
    }
    pub(crate) fn get(&self, k: &str) -> Option<&str> {
        self.map.get(k).map(|s| s.as_str())
    }
    pub(crate) fn has(&self, k: &str) -> bool {
        self.map.contains_key(k)
    }
    fn pretty(&self) -> bool {
        self.has("pretty")
    }
    /// `?index=` and `?wait=` of a blocking query.
    pub(crate) fn blocking(&self) -> Result<Option<(u64, Duration)>, ApiError> {
        let index = match self.get("index") {
            None => return Ok(None),
            Some(s) => s
                .parse::<u64>()
                .map_err(|_| ApiError::bad_request("Invalid index"))?,
        };
        let wait = match self.get("wait") {
            None | Some("") => Duration::from_secs(300),
            Some(w) => parse_duration(w).map_err(|_| ApiError::bad_request("Invalid wait time"))?,
        };
        let wait = wait.min(Duration::from_secs(600));
        if index == 0 {
            return Ok(None);
        }
        Ok(Some((index, wait)))
    }
}

/// The token a request carries: `?token=`, `X-Consul-Token`, then `Authorization: Bearer`.
pub(crate) fn request_token(q: &Query, headers: &HeaderMap) -> Option<String> {
    if let Some(t) = q.get("token") {
        if !t.is_empty() {
            return Some(t.to_string());
        }
    }
    if let Some(t) = headers.get("x-consul-token").and_then(|v| v.to_str().ok()) {
        if !t.is_empty() {
            return Some(t.to_string());
        }
    }
    if let Some(a) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let a = a.trim();
        if let Some(t) = a
            .strip_prefix("Bearer ")
            .or_else(|| a.strip_prefix("bearer "))
        {
            let t = t.trim();
            if !t.is_empty() {
                return Some(t.to_string());
            }
        }
    }
    None
}

/// A JSON list; when ACLs hid entries, Consul answers 200 with what the token may see and says so
/// with `X-Consul-Results-Filtered-By-ACLs: true`.
pub(crate) fn json_list<T: Serialize + ?Sized>(
    q: &Query,
    v: &T,
    index: Option<u64>,
    filtered: bool,
) -> Response {
    let mut resp = json(q, v, index);
    if filtered {
        resp.headers_mut().insert(
            "x-consul-results-filtered-by-acls",
            HeaderValue::from_static("true"),
        );
    }
    resp
}

/// A JSON answer the way Consul writes it (`?pretty` indents with 4 spaces).
pub(crate) fn json<T: Serialize + ?Sized>(q: &Query, v: &T, index: Option<u64>) -> Response {
    let body = if q.pretty() {
        let mut buf = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
        if v.serialize(&mut ser).is_err() {
            buf = b"null".to_vec();
        }
        buf.push(b'\n');
        buf
    } else {
        serde_json::to_vec(v).unwrap_or_else(|_| b"null".to_vec())
    };
    let mut resp = Response::new(Body::from(body));
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(i) = index {
        set_index(&mut resp, i);
    }
    resp
}

pub(crate) fn set_index(resp: &mut Response, index: u64) {
    if let Ok(v) = HeaderValue::from_str(&index.max(1).to_string()) {
        resp.headers_mut().insert("x-consul-index", v);
    }
}

/// The 404 of Consul's `Index` handler (`agent/http.go`), which answers every
/// path no other handler is registered for: an API path (`/v1/` in it) or
/// any other. The same text in every version from 1.14.
pub(crate) fn index_not_found(path: &str) -> Response {
    let text = if path.contains("/v1/") {
        "Invalid URL path: not a recognized HTTP API endpoint\n"
    } else {
        "Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n"
    };
    let mut resp = Response::new(Body::from(text));
    *resp.status_mut() = StatusCode::NOT_FOUND;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    resp
}

/// 200 with an empty body and no Content-Type (Consul's DELETE answer).
pub(crate) fn empty_ok() -> Response {
    Response::new(Body::empty())
}

/// 405 with an `Allow` header, as the agent's `wrap` answers.
pub(crate) fn method_not_allowed(method: &Method, allow: &[&str]) -> Response {
    let mut allowed = vec!["OPTIONS"];
    allowed.extend_from_slice(allow);
    if method == Method::OPTIONS {
        let mut resp = Response::new(Body::empty());
        if let Ok(v) = HeaderValue::from_str(&allowed.join(",")) {
            resp.headers_mut().insert(header::ALLOW, v);
        }
        return resp;
    }
    let mut resp = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("method {method} not allowed"),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&allowed.join(",")) {
        resp.headers_mut().insert(header::ALLOW, v);
    }
    resp
}

/// Go's RFC 3339 with nanoseconds, trailing zeros trimmed (`time.Time` JSON).
pub(crate) fn go_time(t: &DateTime<Utc>) -> String {
    let base = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    let nanos = t.timestamp_subsec_nanos();
    if nanos == 0 {
        return format!("{base}Z");
    }
    let frac = format!("{nanos:09}");
    format!("{base}.{}Z", frac.trim_end_matches('0'))
}

/// Serde helper: `Option<DateTime<Utc>>` as Go's time JSON.
pub(crate) mod go_time_opt {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub(crate) fn serialize<S: Serializer>(
        t: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&super::go_time(t)),
            None => s.serialize_none(),
        }
    }
}

/// Parses a request body as JSON; `None` when the body is empty.
pub(crate) fn parse_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
) -> Result<Option<T>, serde_json::Error> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(None);
    }
    serde_json::from_slice(body).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn go_times() {
        let t = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(go_time(&t), "2024-01-02T03:04:05Z");
        let t = t + chrono::Duration::milliseconds(120);
        assert_eq!(go_time(&t), "2024-01-02T03:04:05.12Z");
        let zero = Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(go_time(&zero), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn tokens_in_order() {
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_static("Bearer b"));
        assert_eq!(request_token(&Query::default(), &h).as_deref(), Some("b"));
        h.insert("x-consul-token", HeaderValue::from_static("x"));
        assert_eq!(request_token(&Query::default(), &h).as_deref(), Some("x"));
        let q = Query::parse(Some("token=q"));
        assert_eq!(request_token(&q, &h).as_deref(), Some("q"));
    }
}
