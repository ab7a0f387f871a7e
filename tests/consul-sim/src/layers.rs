//! The layers around the handlers: Consul's headers on `/v1` answers (and
//! the wording of their errors for the profile), `--response-header` on
//! every answer, and the fault rules.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::conn::Cut;
use crate::faults::{take_match, FaultSpec};
use crate::http_util::{render_error, set_index, ApiError, Query};
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
