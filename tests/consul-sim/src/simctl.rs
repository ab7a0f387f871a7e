//! Control endpoints that exist only on the stand-in (`/_sim/…`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::faults::Fault;
use crate::http_util::ApiReq;
use crate::state::{PeeringRec, Sim, Tracker};

fn bad(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, msg.into()).into_response()
}

pub(crate) async fn pause(State(sim): State<Arc<Sim>>) -> Response {
    sim.paused.store(true, Ordering::SeqCst);
    Json(json!({ "paused": true })).into_response()
}

pub(crate) async fn resume(State(sim): State<Arc<Sim>>) -> Response {
    sim.paused.store(false, Ordering::SeqCst);
    sim.wake.notify_one();
    Json(json!({ "paused": false })).into_response()
}

pub(crate) async fn add_fault(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let raw = String::from_utf8_lossy(&body);
    match Fault::parse(&raw) {
        Ok(f) => {
            let mut faults = sim.faults.lock().unwrap_or_else(|e| e.into_inner());
            faults.push(f);
            Json(json!({ "faults": faults.len() })).into_response()
        }
        Err(e) => bad(e),
    }
}

pub(crate) async fn clear_faults(State(sim): State<Arc<Sim>>) -> Response {
    sim.faults.lock().unwrap_or_else(|e| e.into_inner()).clear();
    Json(json!({ "faults": 0 })).into_response()
}

/// A time field of `/_sim/stream`: absent (keep), `null` (clear) or RFC 3339.
fn time_field(
    body: &serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<Option<DateTime<Utc>>>, String> {
    match body.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(Some(t.with_timezone(&Utc))))
            .map_err(|e| format!("{key}: {e}")),
        Some(_) => Err(format!("{key}: expected an RFC 3339 string or null")),
    }
}

/// `POST /_sim/stream`: overwrite a peering's stream tracker.
pub(crate) async fn stream(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let body: serde_json::Map<String, Value> = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return bad(format!("bad stream request: {e}")),
    };
    let Some(peer) = body.get("peer").and_then(Value::as_str) else {
        return bad("bad stream request: \"peer\" is required");
    };
    let mut times = Vec::new();
    for key in ["last_heartbeat", "last_receive", "last_send"] {
        match time_field(&body, key) {
            Ok(v) => times.push(v),
            Err(e) => return bad(format!("bad stream request: {e}")),
        }
    }
    let mut st = sim.lock();
    let Some(id) = st
        .peerings
        .get(&crate::rules::peerings::key(peer))
        .map(|p| p.id.clone())
    else {
        return (StatusCode::NOT_FOUND, format!("no peering {peer:?}")).into_response();
    };
    let t = st.trackers.entry(id).or_default();
    if let Some(v) = times[0] {
        t.last_heartbeat = v;
    }
    if let Some(v) = times[1] {
        t.last_receive = v;
    }
    if let Some(v) = times[2] {
        t.last_send = v;
    }
    if let Some(c) = body.get("connected").and_then(Value::as_bool) {
        t.connected = c;
        if c {
            t.disconnect_error = None;
        }
    }
    if let Some(e) = body.get("disconnect_error").and_then(Value::as_str) {
        t.connected = false;
        t.disconnect_error = Some(e.to_string());
    }
    Json(json!({})).into_response()
}

/// `POST /_sim/peerings?count=N`: N peerings in mixed states, directly.
pub(crate) async fn bulk_peerings(r: ApiReq) -> Response {
    let ApiReq { sim, q, .. } = r;
    let count: usize = match q.get("count").unwrap_or("10").parse() {
        Ok(n) if n <= 100_000 => n,
        _ => return bad("count must be a number up to 100000"),
    };
    let states = [
        "ACTIVE",
        "PENDING",
        "ACTIVE",
        "FAILING",
        "ESTABLISHING",
        "TERMINATED",
    ];
    let mut st = sim.lock();
    let start = st.peerings.len();
    let now = Utc::now();
    let mut created = Vec::new();
    for i in 0..count {
        let mut n = start + i;
        let name = loop {
            let candidate = format!("bench-{n:05}");
            if !st.peerings.contains_key(&candidate) {
                break candidate;
            }
            n += 1;
        };
        let kind = states[i % states.len()];
        st.index += 1;
        let idx = st.index;
        let id = uuid::Uuid::new_v4().to_string();
        let dialer = kind == "ESTABLISHING" || kind == "TERMINATED" || i % 2 == 0;
        let mut rec = PeeringRec {
            id: id.clone(),
            name: name.clone(),
            state: match kind {
                "FAILING" | "ACTIVE" => "ACTIVE".into(),
                k => k.into(),
            },
            create_index: idx,
            modify_index: idx,
            remote_partition: "default".into(),
            remote_datacenter: format!("dc-{}", n % 7 + 2),
            ..Default::default()
        };
        if kind == "PENDING" {
            rec.remote_partition.clear();
            rec.remote_datacenter.clear();
        } else if dialer {
            rec.peer_id = uuid::Uuid::new_v4().to_string();
            rec.peer_server_name = format!("server.{}.peering.sim.consul", rec.remote_datacenter);
            rec.peer_server_addresses = vec![format!("10.0.{}.{}:8503", n % 250, i % 250 + 1)];
            rec.peer_ca_pems = vec![sim.ca_pem.clone()];
        }
        let exported: Vec<String> = (0..(i % 4)).map(|k| format!("svc-{k}")).collect();
        let imported: Vec<String> = (0..(i % 3)).map(|k| format!("remote-{k}")).collect();
        match kind {
            "ACTIVE" => {
                st.trackers.insert(
                    id,
                    Tracker {
                        connected: true,
                        last_heartbeat: Some(now),
                        last_receive: Some(now),
                        last_send: Some(now),
                        imported: Some(imported),
                        exported: Some(exported),
                        ..Default::default()
                    },
                );
            }
            "FAILING" => {
                let then = now - chrono::Duration::minutes(5);
                st.trackers.insert(
                    id,
                    Tracker {
                        connected: false,
                        disconnect_error: Some("heartbeat timeout".into()),
                        last_heartbeat: Some(then),
                        last_receive: Some(then),
                        last_send: Some(now),
                        imported: Some(imported),
                        exported: Some(exported),
                        ..Default::default()
                    },
                );
            }
            _ => {}
        }
        created.push(name.clone());
        st.peerings.insert(name, rec);
    }
    sim.commit(&mut st, &["peerings"]);
    Json(json!({ "created": created.len() })).into_response()
}

/// `POST /_sim/check`: `{"check_id": "service:mesh-gateway", "status":
/// "passing"|"warning"|"critical", "output"?: "…", "node"?: "…"}` sets the
/// status (and output) of every local check with that ID (on `node` only,
/// when given), as the agent's check runner would after a probe. Blocking
/// catalog and health reads wake, and exported instances reach peers.
pub(crate) async fn set_check(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let body: serde_json::Map<String, Value> = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return bad(format!("bad check request: {e}")),
    };
    let field = |k: &str| body.get(k).and_then(Value::as_str);
    let Some(check_id) = field("check_id") else {
        return bad("bad check request: \"check_id\" is required");
    };
    let status = field("status").unwrap_or("");
    if !matches!(status, "passing" | "warning" | "critical") {
        return bad(format!(
            "bad check request: \"status\" must be passing, warning or critical, got {status:?}"
        ));
    }
    let mut st = sim.lock();
    let idx = Sim::next_index(&st);
    let mut updated = 0;
    for inst in st.services.iter_mut() {
        if field("node").is_some_and(|n| n != inst.node) {
            continue;
        }
        let mut hit = false;
        for c in inst.checks.iter_mut().filter(|c| c.check_id == check_id) {
            c.status = status.to_string();
            if let Some(o) = field("output") {
                c.output = o.to_string();
            }
            hit = true;
        }
        if hit {
            inst.modify_index = idx;
            updated += 1;
        }
    }
    if updated == 0 {
        return (StatusCode::NOT_FOUND, format!("no check {check_id:?}")).into_response();
    }
    sim.commit(&mut st, &["catalog"]);
    sim.push_soon();
    Json(json!({ "updated": updated })).into_response()
}
