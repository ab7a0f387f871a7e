//! The layers around the handlers: Consul's headers on `/v1` answers (and
//! the wording of their errors for the profile), `--response-header` on
//! every answer, the fault rules, the old Go mux's redirect of unclean paths
//! (Consul before 1.20), and the guard against requests from other sites.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::conn::Cut;
use crate::faults::{take_match, FaultSpec};
use crate::http_util::{render_error, set_index, ApiError, Query};
use crate::profile::Change;
use crate::state::Sim;

/// Consul's headers on every `/v1` answer, and `?dc=` naming a datacenter
/// there is no path to.
pub(crate) async fn consul_headers(
    State(sim): State<Arc<Sim>>,
    req: Request,
    next: Next,
) -> Response {
    // `?dc=` naming another datacenter: there is no WAN here. The peering
    // handlers always use the agent's own datacenter and ignore it.
    let dc = Query::parse(req.uri().query())
        .get("dc")
        .map(|s| s.to_string())
        .unwrap_or_default();
    // Inside the nested router the path has lost its `/v1` prefix.
    let path = req.uri().path();
    let peering = path.starts_with("/peering") || path.starts_with("/v1/peering");
    let is_read = req.method() == axum::http::Method::GET;
    // With `--primary-datacenter`, the primary is reachable too: this
    // stand-in serves its requests itself (config entries written there
    // replicate to every datacenter, so what they read is the same).
    let known = dc.is_empty() || dc == sim.cfg.datacenter || dc == sim.cfg.primary_datacenter();
    let resp = if !known && !peering {
        // `structs.ErrNoDCPath`, returned by the server a client agent forwards to.
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "No path to datacenter")
            .forwarded()
            .into_response()
    } else {
        next.run(req).await
    };
    let mut resp = render_error(&sim.cfg.profile, resp);
    if is_read && resp.status().is_success() && !resp.headers().contains_key("x-consul-index") {
        // Reads without a table of their own (agent/self, status) carry the
        // cluster-wide index, so every read has one.
        let idx = sim.lock().index;
        set_index(&mut resp, idx);
    }
    let h = resp.headers_mut();
    let policy = if sim.cfg.acls_enabled() {
        "deny"
    } else {
        "allow"
    };
    h.insert(
        "x-consul-default-acl-policy",
        HeaderValue::from_static(policy),
    );
    h.insert("x-consul-knownleader", HeaderValue::from_static("true"));
    h.insert("x-consul-lastcontact", HeaderValue::from_static("0"));
    resp
}

/// `--response-header`: Consul's `http_config.response_headers`. The agent
/// sets them on every response it writes, API (`wrap`), UI
/// (`serveHandlerWithHeaders`) and `Index` alike, before the handler runs,
/// so a header the handler sets itself wins (`agent/http.go`, `setHeaders`).
pub(crate) async fn response_headers(
    State(sim): State<Arc<Sim>>,
    req: Request,
    next: Next,
) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    for rh in &sim.cfg.response_headers {
        if !h.contains_key(&rh.name) {
            h.insert(rh.name.clone(), rh.value.clone());
        }
    }
    resp
}

/// The `hold_after_ms` effect: the write lands, the answer comes late.
///
/// Consul commits a write through raft with no tie to the HTTP request
/// (`agent/consul/rpc.go`, `raftApplyEncoded`: `raft.Apply` takes no request
/// context), so a client that times out has not undone it. The handler runs
/// in a task of its own: when the client goes away, hyper drops this future
/// and the sleep, but not the task, which finishes the write.
async fn run_then_hold(next: Next, req: Request, hold: Duration) -> Response {
    let resp = match tokio::spawn(next.run(req)).await {
        Ok(resp) => resp,
        Err(e) => {
            ApiError::internal(format!("consul-sim: handler task failed: {e}")).into_response()
        }
    };
    tokio::time::sleep(hold).await;
    resp
}

/// Applies the fault rules to every path outside `/_sim/`.
pub(crate) async fn faults(State(sim): State<Arc<Sim>>, req: Request, next: Next) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    if path.starts_with("/_sim/") {
        return next.run(req).await;
    }
    let taken = {
        let mut faults = sim.faults.lock().unwrap_or_else(|e| e.into_inner());
        take_match(&mut faults, req.method().as_str(), &path)
    };
    let Some(spec) = taken else {
        return next.run(req).await;
    };
    if spec.cas_race {
        sim.cas_race
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
    if let Some(ms) = spec.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if let Some(resp) = answer_instead(&spec, &req) {
        return resp;
    }
    let resp = match spec.hold_after_ms {
        Some(ms) => run_then_hold(next, req, Duration::from_millis(ms)).await,
        None => next.run(req).await,
    };
    rewrite_answer(&spec, resp).await
}

/// The effects that answer instead of the handler: `drop` (no answer at
/// all) and `status`.
fn answer_instead(spec: &FaultSpec, req: &Request) -> Option<Response> {
    if spec.drop {
        // Cut the connection: hyper cannot write this response and closes
        // the socket, so the client sees it end without any response.
        return Some(match req.extensions().get::<ConnectInfo<Cut>>() {
            Some(ConnectInfo(cut)) => {
                cut.cut();
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
            None => ApiError::internal("consul-sim: a drop fault needs the conn::Listener")
                .into_response(),
        });
    }
    let status = spec.status?;
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = spec.body.clone().unwrap_or_default();
    let ctype = if spec.malformed_json {
        "application/json"
    } else {
        "text/plain; charset=utf-8"
    };
    let body = if spec.malformed_json && spec.body.is_none() {
        "{\"malformed\": ".to_string()
    } else {
        body
    };
    Some((code, [(header::CONTENT_TYPE, ctype)], body).into_response())
}

/// The effects on the handler's answer: `malformed_json` cuts it in half,
/// `body` replaces it.
async fn rewrite_answer(spec: &FaultSpec, resp: Response) -> Response {
    if spec.malformed_json {
        let (mut parts, body) = resp.into_parts();
        let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024)
            .await
            .unwrap_or_default();
        let mut cut = bytes[..bytes.len() / 2].to_vec();
        cut.extend_from_slice(b"{\"");
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return Response::from_parts(parts, Body::from(cut));
    }
    if let Some(body) = &spec.body {
        let (parts, _) = resp.into_parts();
        let mut parts = parts;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(body.clone()));
    }
    resp
}

/// The old `http.ServeMux` of Consul 1.14 to 1.19: a path that is not clean
/// once decoded answers `301 Moved Permanently` to the cleaned path (query
/// kept), before any of Consul's handlers runs (so without Consul's headers
/// or `http_config.response_headers`).
///
/// Go's `net/http/server.go` `ServeMux.Handler` up to Go 1.21 (read in Go
/// 1.19.8, whose code Go 1.22 keeps as `servemux121.go` `findHandler`, "ServeMux
/// behavior as in Go 1.21"): `path := cleanPath(r.URL.Path)`, and when
/// `path != r.URL.Path`, `RedirectHandler(url.URL{Path: path, RawQuery:
/// r.URL.RawQuery}.String(), StatusMovedPermanently)`. `r.URL.Path` is the
/// decoded path, so `%2F` is a `/` and `..%2F` climbs a segment. Consul's
/// `agent/http.go` `HTTPHandlers.handler` registers every endpoint, `Index`
/// and the UI on `http.NewServeMux()`. CONNECT is not cleaned. The stand-in's
/// own `/_sim/` and `/_peer/` paths are left alone. From Consul 1.20
/// ([`Change::Go122Mux`]) the stand-in routes as before.
pub(crate) async fn go_mux_redirect(
    State(sim): State<Arc<Sim>>,
    req: Request,
    next: Next,
) -> Response {
    let raw = req.uri().path();
    if sim.cfg.profile.has(Change::Go122Mux)
        || req.method() == Method::CONNECT
        || raw.starts_with("/_sim/")
        || raw.starts_with("/_peer/")
    {
        return next.run(req).await;
    }
    // A bad escape is refused by Go's server before the mux (400); it is
    // left to the router here.
    let Some(decoded) = percent_decode(raw) else {
        return next.run(req).await;
    };
    let cleaned = clean_path(&decoded);
    if cleaned == decoded {
        return next.run(req).await;
    }
    let mut location = escape_path(&cleaned);
    if let Some(q) = req.uri().query().filter(|q| !q.is_empty()) {
        location.push('?');
        location.push_str(q);
    }
    go_redirect(req.method(), &location)
}

/// Go's `http.Redirect` with 301 and a path: `Location`, and for GET a short
/// HTML body (`Content-Type` for GET and HEAD only).
fn go_redirect(method: &Method, location: &str) -> Response {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::MOVED_PERMANENTLY;
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(location) {
        h.insert(header::LOCATION, v);
    }
    if method == Method::GET || method == Method::HEAD {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
    }
    if method == Method::GET {
        let body = format!(
            "<a href=\"{}\">Moved Permanently</a>.\n\n",
            html_escape(location)
        );
        *resp.body_mut() = Body::from(body);
    }
    resp
}

/// Go's `url.unescape` of a path: `%XX` becomes the byte; a `%` without two
/// hex digits is an error (`None`).
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Go's `net/http` `cleanPath`: `path.Clean` of a rooted path (no empty or
/// `.` segments, `..` removes the segment before it and never climbs above
/// the root), with a trailing slash kept.
fn clean_path(p: &[u8]) -> Vec<u8> {
    let mut segs: Vec<&[u8]> = Vec::new();
    for seg in p.split(|&c| c == b'/') {
        match seg {
            b"" | b"." => {}
            b".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = Vec::with_capacity(p.len() + 1);
    for s in &segs {
        out.push(b'/');
        out.extend_from_slice(s);
    }
    if out.is_empty() || p.last() == Some(&b'/') {
        out.push(b'/');
    }
    out
}

/// Go's `url.URL.EscapedPath` of a path that has no raw form
/// (`shouldEscape` in `encodePath` mode): letters, digits, `-_.~` and
/// `$&+,/:;=@` stay, every other byte is `%XX`.
fn escape_path(p: &[u8]) -> String {
    let mut out = String::with_capacity(p.len());
    for &c in p {
        if c.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// Go's `htmlEscape` in `net/http` (`htmlReplacer`).
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Whom a listener answers: requests addressed to it by a loopback name,
/// and not started by another site's page (see [`guard`]).
#[derive(Debug, Clone)]
pub(crate) struct Audience {
    /// The address the listener is bound to.
    pub(crate) ip: IpAddr,
    pub(crate) port: u16,
    /// `--allowed-host` values, lower case, compared with the whole `Host`.
    pub(crate) allowed_hosts: Arc<[String]>,
}

impl Audience {
    /// Whether a `Host` (or the authority of an absolute-form target) names
    /// this listener: a loopback address, `localhost` or the bound address
    /// with its port; a name without a dot (a reverse proxy's upstream
    /// name, e.g. `deploy/nginx`'s `peering_console_consul`, or a container
    /// name); or an `--allowed-host`. A DNS rebinding needs a name the attacker
    /// registered, which has a dot.
    fn names_us(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        if self.allowed_hosts.contains(&host) {
            return true;
        }
        let (name, port) = match host.rsplit_once(':') {
            Some((n, p)) if !n.starts_with('[') || n.ends_with(']') => (n, p.parse::<u16>().ok()),
            _ => (host.as_str(), Some(80)),
        };
        let name = name.trim_start_matches('[').trim_end_matches(']');
        let our_port = port == Some(self.port);
        match name.parse::<IpAddr>() {
            Ok(ip) => our_port && (ip.is_loopback() || ip == self.ip),
            Err(_) if name == "localhost" => our_port,
            Err(_) => !name.is_empty() && !name.contains('.'),
        }
    }

    /// Why a request that changes something or reaches `/_sim/` looks
    /// started by another site's page, if it does: `Sec-Fetch-Site` says
    /// `cross-site` or `same-site`, or `Origin` is not `http://<Host>`
    /// (unless the browser says `same-origin`: a reverse proxy such as
    /// `scripts/serve.py` or `deploy/nginx` passes on the Origin of its own
    /// page).
    fn cross_site(&self, req: &Request, host: &str) -> Option<String> {
        let header = |name: &str| {
            req.headers().get(name).map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .trim()
                    .to_ascii_lowercase()
            })
        };
        let site = header("sec-fetch-site");
        if let Some(s @ ("cross-site" | "same-site")) = site.as_deref() {
            return Some(format!("Sec-Fetch-Site: {s}"));
        }
        let origin = header("origin")?;
        let own = format!("http://{}", host.trim().to_ascii_lowercase());
        (origin != own && site.as_deref() != Some("same-origin"))
            .then(|| format!("Origin {origin} is not {own}"))
    }
}

/// Refuses, with 403, what a web page on another site could make the
/// operator's browser send to a stand-in on loopback (a deliberate difference
/// from Consul, which answers them): a `Host` that does not name this
/// listener (DNS rebinding), and a request other than GET and HEAD, or any
/// request to `/_sim/`, started by another site's page (see
/// [`Audience::cross_site`]). Requests without `Origin` and `Sec-Fetch-Site`
/// (tests, curl, the stand-ins' calls to each other) pass.
pub(crate) async fn guard(State(aud): State<Arc<Audience>>, req: Request, next: Next) -> Response {
    let host = req
        .uri()
        .authority()
        .map(|a| a.as_str().to_string())
        .or_else(|| {
            req.headers()
                .get(header::HOST)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        })
        .unwrap_or_default();
    if !aud.names_us(&host) {
        return refuse(format!(
            "Host {host:?} does not name this server (see --allowed-host)"
        ));
    }
    let path = req.uri().path();
    let checked = !(req.method() == Method::GET || req.method() == Method::HEAD)
        || path == "/_sim"
        || path.starts_with("/_sim/");
    if checked {
        if let Some(why) = aud.cross_site(&req, &host) {
            return refuse(format!("cross-site request refused ({why})"));
        }
    }
    next.run(req).await
}

/// The guard's 403.
fn refuse(why: String) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("Forbidden (stand-in): {why}\n"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_clean_path() {
        let cases = [
            ("/", "/"),
            ("/v1/agent/self", "/v1/agent/self"),
            ("/v1//agent/self", "/v1/agent/self"),
            ("/v1/peering/../acl/tokens", "/v1/acl/tokens"),
            ("/v1/agent/self/.", "/v1/agent/self"),
            ("/v1/peering/..", "/v1"),
            ("/v1/peering/x/../", "/v1/peering/"),
            ("/v1/peering/", "/v1/peering/"),
            ("/../..", "/"),
            ("//", "/"),
        ];
        for (p, want) in cases {
            assert_eq!(clean_path(p.as_bytes()), want.as_bytes(), "{p}");
        }
    }

    #[test]
    fn go_escapes() {
        assert_eq!(percent_decode("/a%2Fb%c3%a9").unwrap(), "/a/bé".as_bytes());
        assert_eq!(percent_decode("/a%2"), None);
        assert_eq!(percent_decode("/a%zz"), None);
        assert_eq!(
            escape_path("/é a?b\"$&+,:;=@~".as_bytes()),
            "/%C3%A9%20a%3Fb%22$&+,:;=@~"
        );
        assert_eq!(html_escape("/a?b&c<'\">"), "/a?b&amp;c&lt;&#39;&#34;&gt;");
    }

    #[test]
    fn hosts_that_name_this_listener() {
        let aud = Audience {
            ip: "127.0.0.1".parse().unwrap(),
            port: 8500,
            allowed_hosts: Arc::from(vec!["consul.example.internal:8500".to_string()]),
        };
        for ok in [
            "127.0.0.1:8500",
            "LOCALHOST:8500",
            "[::1]:8500",
            "127.0.0.2:8500",
            "peering_console_consul",
            "consul-sim:8501",
            "Consul.Example.Internal:8500",
        ] {
            assert!(aud.names_us(ok), "{ok}");
        }
        for refused in [
            "",
            "attacker.example:8500",
            "attacker.example",
            "127.0.0.1:8501",
            "127.0.0.1",
            "localhost",
            "localhost:x",
            "[::1]",
            "10.0.0.1:8500",
            "7f000001.rbndr.us:8500",
            "consul.example.internal:8501",
        ] {
            assert!(!aud.names_us(refused), "{refused}");
        }
        let on_80 = Audience { port: 80, ..aud };
        assert!(on_80.names_us("localhost") && on_80.names_us("[::1]"));
    }
}
