//! Fault injection rules (`POST /_sim/faults`, `--fault`).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use regex::Regex;
use serde::Deserialize;

use crate::conn::Cut;
use crate::http_util::ApiError;
use crate::state::Sim;

#[derive(Debug, Clone, Deserialize)]
pub struct FaultSpec {
    pub path: String,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub delay_ms: Option<u64>,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub drop: bool,
    #[serde(default)]
    pub malformed_json: bool,
    #[serde(default)]
    pub times: Option<u32>,
    /// Run the real handler to completion (in its own task, so a client that
    /// gives up cannot cancel it), then hold the answer this many ms.
    #[serde(default)]
    pub hold_after_ms: Option<u64>,
    /// Make a matching `PUT /v1/config?cas=N` lose: another writer touches
    /// the entry just before the check-and-set.
    #[serde(default)]
    pub cas_race: bool,
}

#[derive(Debug, Clone)]
pub struct Fault {
    pub spec: FaultSpec,
    pub re: Regex,
    pub remaining: Option<u32>,
}

impl Fault {
    pub fn parse(json: &str) -> Result<Self, String> {
        let spec: FaultSpec = serde_json::from_str(json).map_err(|e| format!("bad fault: {e}"))?;
        Self::from_spec(spec)
    }
    pub fn from_spec(spec: FaultSpec) -> Result<Self, String> {
        let re = Regex::new(&spec.path).map_err(|e| format!("bad fault path regex: {e}"))?;
        if let Some(s) = spec.status {
            if StatusCode::from_u16(s).is_err() {
                return Err(format!("bad fault status {s}"));
            }
        }
        Ok(Fault {
            remaining: spec.times,
            spec,
            re,
        })
    }
}

/// Finds (and consumes one use of) the first rule matching this request.
fn take_match(sim: &Sim, method: &str, path_and_query: &str) -> Option<FaultSpec> {
    let mut faults = sim.faults.lock().unwrap_or_else(|e| e.into_inner());
    let pos = faults.iter().position(|f| {
        f.re.is_match(path_and_query)
            && f.spec
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && f.remaining != Some(0)
    })?;
    let f = &mut faults[pos];
    let spec = f.spec.clone();
    if let Some(r) = f.remaining.as_mut() {
        *r = r.saturating_sub(1);
        if *r == 0 {
            faults.remove(pos);
        }
    }
    Some(spec)
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

/// Middleware applying fault rules to every path outside `/_sim/`.
pub async fn middleware(State(sim): State<Arc<Sim>>, req: Request, next: Next) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    if path.starts_with("/_sim/") {
        return next.run(req).await;
    }
    let Some(spec) = take_match(&sim, req.method().as_str(), &path) else {
        return next.run(req).await;
    };
    if spec.cas_race {
        sim.cas_race
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
    if let Some(ms) = spec.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if spec.drop {
        // Cut the connection: hyper cannot write this response and closes
        // the socket, so the client sees it end without any response.
        return match req.extensions().get::<ConnectInfo<Cut>>() {
            Some(ConnectInfo(cut)) => {
                cut.cut();
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
            None => ApiError::internal("consul-sim: a drop fault needs the conn::Listener")
                .into_response(),
        };
    }
    if let Some(status) = spec.status {
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
        return (code, [(header::CONTENT_TYPE, ctype)], body).into_response();
    }
    let resp = match spec.hold_after_ms {
        Some(ms) => run_then_hold(next, req, Duration::from_millis(ms)).await,
        None => next.run(req).await,
    };
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
    if let Some(body) = spec.body {
        let (parts, _) = resp.into_parts();
        let mut parts = parts;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(body));
    }
    resp
}
