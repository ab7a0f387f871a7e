//! Control endpoints that exist only on the stand-in (`/_sim/…`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::faults::Fault;
use crate::http_util::Query;
use crate::state::{PeeringRec, Sim, Tracker};

fn bad(msg: impl Into<String>) -> Response {
    (StatusCode::BAD_REQUEST, msg.into()).into_response()
}

pub async fn pause(State(sim): State<Arc<Sim>>) -> Response {
    sim.paused.store(true, Ordering::SeqCst);
    Json(json!({ "paused": true })).into_response()
}

pub async fn resume(State(sim): State<Arc<Sim>>) -> Response {
    sim.paused.store(false, Ordering::SeqCst);
    sim.wake.notify_one();
    Json(json!({ "paused": false })).into_response()
}

pub async fn add_fault(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
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

pub async fn clear_faults(State(sim): State<Arc<Sim>>) -> Response {
    sim.faults.lock().unwrap_or_else(|e| e.into_inner()).clear();
    Json(json!({ "faults": 0 })).into_response()
}

#[derive(Deserialize)]
struct StreamReq {
    peer: String,
    #[serde(default)]
    last_heartbeat: Option<DateTime<Utc>>,
    #[serde(default)]
    last_receive: Option<DateTime<Utc>>,
    #[serde(default)]
    last_send: Option<DateTime<Utc>>,
    #[serde(default)]
    connected: Option<bool>,
    #[serde(default)]
    disconnect_error: Option<String>,
}

/// `POST /_sim/stream`: overwrite a peering's stream tracker times.
pub async fn stream(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let req: StreamReq = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad(format!("bad stream request: {e}")),
    };
    let mut st = sim.lock();
    let Some(id) = st.peerings.get(&req.peer).map(|p| p.id.clone()) else {
        return (StatusCode::NOT_FOUND, format!("no peering {:?}", req.peer)).into_response();
    };
    let t = st.trackers.entry(id).or_default();
    if let Some(v) = req.last_heartbeat {
        t.last_heartbeat = Some(v);
    }
    if let Some(v) = req.last_receive {
        t.last_receive = Some(v);
    }
    if let Some(v) = req.last_send {
        t.last_send = Some(v);
    }
    if let Some(c) = req.connected {
        t.connected = c;
        if c {
            t.disconnect_error = None;
        }
    }
    if let Some(e) = req.disconnect_error {
        t.connected = false;
        t.disconnect_error = Some(e);
    }
    Json(json!({})).into_response()
}

/// `POST /_sim/peerings?count=N`: N peerings in mixed states, directly.
pub async fn bulk_peerings(State(sim): State<Arc<Sim>>, RawQuery(raw): RawQuery) -> Response {
    let q = Query::parse(raw.as_deref());
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
