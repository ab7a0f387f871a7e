//! The peer-to-peer side: secret exchange, heartbeats ("the stream") and
//! termination, over loopback HTTP under `/_peer/`, plus the background
//! reconciler that sends heartbeats, detects timeouts and finishes deletes.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::http_util::ApiError;
use crate::rules::exports::exports_for_peer;
use crate::state::{ExportedService, PeeringRec, Sim, State as SimState, Tracker};
use crate::token::PeeringToken;

#[derive(Serialize, Deserialize)]
pub(crate) struct ExchangeReq {
    pub(crate) peer_id: String,
    pub(crate) establishment_secret: String,
    dialer_id: String,
    dialer_addr: String,
    pub(crate) datacenter: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct ExchangeResp {
    pub(crate) stream_secret: String,
    pub(crate) datacenter: String,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct HeartbeatReq {
    /// The receiver's peering ID.
    pub(crate) peer_id: String,
    pub(crate) stream_secret: String,
    sender_id: String,
    sender_addr: String,
    pub(crate) datacenter: String,
    pub(crate) exported: Vec<ExportedService>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct HeartbeatResp {
    pub(crate) datacenter: String,
    pub(crate) exported: Vec<ExportedService>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct TerminateReq {
    pub(crate) peer_id: String,
    pub(crate) stream_secret: String,
}

#[derive(Serialize, Deserialize)]
struct PeerError {
    message: String,
    terminated: bool,
}

fn peer_err(status: StatusCode, message: &str, terminated: bool) -> Response {
    (
        status,
        Json(PeerError {
            message: message.into(),
            terminated,
        }),
    )
        .into_response()
}

fn names(v: &[ExportedService]) -> Vec<String> {
    let set: BTreeSet<String> = v.iter().map(|s| s.name.clone()).collect();
    set.into_iter().collect()
}

/// Dialer: exchange the establishment secret for a stream secret, retrying
/// for about 3 s like Consul's `exchangeSecret`.
pub(crate) async fn exchange_secret(
    sim: &Arc<Sim>,
    addrs: &[String],
    tok: &PeeringToken,
    local_id: &str,
) -> Result<ExchangeResp, ApiError> {
    let body = ExchangeReq {
        peer_id: tok.peer_id.clone(),
        establishment_secret: tok.establishment_secret.clone(),
        dialer_id: local_id.to_string(),
        dialer_addr: sim.addr(),
        datacenter: sim.cfg.datacenter.clone(),
    };
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut errors: Vec<(String, String)> = Vec::new();
    loop {
        for addr in addrs {
            let url = format!("http://{addr}/_peer/exchange");
            let res = sim
                .http
                .post(&url)
                .timeout(Duration::from_secs(2))
                .json(&body)
                .send()
                .await;
            let err = match res {
                Ok(r) if r.status().is_success() => match r.json::<ExchangeResp>().await {
                    Ok(v) => return Ok(v),
                    Err(e) => format!("rpc error: code = Internal desc = {e}"),
                },
                Ok(r) if r.status() == StatusCode::FORBIDDEN => {
                    let msg = r
                        .json::<PeerError>()
                        .await
                        .map(|e| e.message)
                        .unwrap_or_else(|_| "invalid peering establishment secret".into());
                    return Err(ApiError::rpc(
                        "PermissionDenied",
                        format!("a new peering token must be generated: {msg}"),
                    ));
                }
                // A paused peer looks like a network partition.
                Ok(r) if r.status() == StatusCode::SERVICE_UNAVAILABLE => format!(
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp {addr}: i/o timeout\""
                ),
                Ok(r) => format!(
                    "rpc error: code = Unavailable desc = peer answered {}",
                    r.status()
                ),
                Err(e) => format!(
                    "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp {addr}: {}\"",
                    if e.is_timeout() { "i/o timeout" } else { "connect: connection refused" }
                ),
            };
            errors.retain(|(a, _)| a != addr);
            errors.push((addr.clone(), err));
        }
        if Instant::now() >= deadline {
            break;
        }
        let jitter = (uuid::Uuid::new_v4().as_bytes()[0] as u64) % 50;
        tokio::time::sleep(Duration::from_millis(125 + jitter)).await;
    }
    let lines: Vec<String> = errors
        .iter()
        .map(|(addr, e)| format!("failed to exchange peering secret through address {addr:?}: {e}"))
        .collect();
    Err(ApiError::unknown(crate::rules::common::multierror(&lines)))
}

/// Acceptor: `POST /_peer/exchange`.
pub(crate) async fn handle_exchange(
    State(sim): State<Arc<Sim>>,
    Json(req): Json<ExchangeReq>,
) -> Response {
    if sim.is_paused() {
        return peer_err(StatusCode::SERVICE_UNAVAILABLE, "paused", false);
    }
    let mut st = sim.lock();
    let idx = Sim::next_index(&st);
    let Some(rec) = st.peering_by_id_mut(&req.peer_id) else {
        return peer_err(
            StatusCode::FORBIDDEN,
            "invalid peering establishment secret",
            false,
        );
    };
    if rec.state == "DELETING"
        || rec.establishment_secret.as_deref() != Some(req.establishment_secret.as_str())
    {
        return peer_err(
            StatusCode::FORBIDDEN,
            "invalid peering establishment secret",
            false,
        );
    }
    let secret = uuid::Uuid::new_v4().to_string();
    rec.establishment_secret = None;
    rec.stream_secret = Some(secret.clone());
    rec.remote_addr = Some(req.dialer_addr.clone());
    rec.remote_id = Some(req.dialer_id.clone());
    rec.remote_datacenter = req.datacenter.clone();
    rec.remote_partition = "default".into();
    rec.modify_index = idx;
    sim.commit(&mut st, &["peerings"]);
    Json(ExchangeResp {
        stream_secret: secret,
        datacenter: sim.cfg.datacenter.clone(),
    })
    .into_response()
}

/// Dialer: `POST /_peer/poke`: the acceptor has news; heartbeat now.
pub(crate) async fn handle_poke(
    State(sim): State<Arc<Sim>>,
    Json(req): Json<TerminateReq>,
) -> Response {
    if sim.is_paused() {
        return peer_err(StatusCode::SERVICE_UNAVAILABLE, "paused", false);
    }
    {
        let mut st = sim.lock();
        let ok = st
            .peering_by_id(&req.peer_id)
            .is_some_and(|r| r.stream_secret.as_deref() == Some(req.stream_secret.as_str()));
        if !ok {
            return peer_err(StatusCode::FORBIDDEN, "invalid stream secret", false);
        }
        if let Some(t) = st.trackers.get_mut(&req.peer_id) {
            t.last_attempt = None;
        }
    }
    sim.wake.notify_one();
    Json(serde_json::json!({})).into_response()
}

/// Marks a heartbeat (sent or received) on the tracker.
fn mark_alive(t: &mut Tracker, imported: &[ExportedService], exported: &[ExportedService]) {
    let now = Utc::now();
    t.connected = true;
    t.disconnect_error = None;
    t.last_heartbeat = Some(now);
    t.last_receive = Some(now);
    t.last_send = Some(now);
    t.last_seen = Some(Instant::now());
    t.imported = Some(names(imported));
    t.exported = Some(names(exported));
}

/// Stores what the peer exported (and marks the peering ACTIVE in the store).
fn store_imports(sim: &Sim, peer_id: &str, imported: Vec<ExportedService>) {
    let mut st = sim.lock();
    let mut changed = false;
    let mut activated = false;
    let idx = Sim::next_index(&st);
    if let Some(rec) = st
        .peering_by_id_mut(peer_id)
        .filter(|r| !matches!(r.state.as_str(), "DELETING" | "TERMINATED"))
    {
        if rec.imported != imported {
            rec.imported = imported;
            changed = true;
        }
        if matches!(rec.state.as_str(), "" | "PENDING" | "ESTABLISHING") {
            rec.state = "ACTIVE".into();
            rec.modify_index = idx;
            activated = true;
        }
    }
    if activated {
        sim.commit(&mut st, &["peerings", "catalog"]);
    } else if changed {
        sim.commit(&mut st, &["catalog"]);
    }
}

/// Acceptor: `POST /_peer/heartbeat` (one round trip of the stream).
pub(crate) async fn handle_heartbeat(
    State(sim): State<Arc<Sim>>,
    Json(req): Json<HeartbeatReq>,
) -> Response {
    if sim.is_paused() {
        return peer_err(StatusCode::SERVICE_UNAVAILABLE, "paused", false);
    }
    let exported = {
        let mut st = sim.lock();
        let Some(rec) = st.peering_by_id(&req.peer_id).cloned() else {
            return peer_err(StatusCode::NOT_FOUND, "peering not found", true);
        };
        if rec.state == "TERMINATED" {
            return peer_err(StatusCode::NOT_FOUND, "peering terminated", true);
        }
        if rec.state == "DELETING" {
            return peer_err(StatusCode::SERVICE_UNAVAILABLE, "peering deleting", false);
        }
        if rec.stream_secret.as_deref() != Some(req.stream_secret.as_str()) {
            return peer_err(StatusCode::FORBIDDEN, "invalid stream secret", false);
        }
        let exported = exports_for_peer(&st, &rec.name);
        if let Some(r) = st.peering_by_id_mut(&req.peer_id) {
            r.remote_addr = Some(req.sender_addr.clone());
            r.remote_id = Some(req.sender_id.clone());
            r.remote_datacenter = req.datacenter.clone();
            r.remote_partition = "default".into();
        }
        let t = st.trackers.entry(req.peer_id.clone()).or_default();
        mark_alive(t, &req.exported, &exported);
        exported
    };
    store_imports(&sim, &req.peer_id, req.exported);
    Json(HeartbeatResp {
        datacenter: sim.cfg.datacenter.clone(),
        exported,
    })
    .into_response()
}

/// Either side: `POST /_peer/terminate`: the other side deleted the peering.
pub(crate) async fn handle_terminate(
    State(sim): State<Arc<Sim>>,
    Json(req): Json<TerminateReq>,
) -> Response {
    if sim.is_paused() {
        return peer_err(StatusCode::SERVICE_UNAVAILABLE, "paused", false);
    }
    let mut st = sim.lock();
    let idx = Sim::next_index(&st);
    let Some(rec) = st.peering_by_id_mut(&req.peer_id) else {
        return peer_err(StatusCode::NOT_FOUND, "peering not found", true);
    };
    if rec.stream_secret.as_deref() != Some(req.stream_secret.as_str()) {
        return peer_err(StatusCode::FORBIDDEN, "invalid stream secret", false);
    }
    terminate_locked(rec, idx);
    let id = req.peer_id.clone();
    if let Some(t) = st.trackers.get_mut(&id) {
        t.connected = false;
        t.disconnect_error = None;
    }
    sim.commit(&mut st, &["peerings", "catalog"]);
    Json(serde_json::json!({})).into_response()
}

fn terminate_locked(rec: &mut PeeringRec, idx: u64) {
    if rec.state != "DELETING" {
        rec.state = "TERMINATED".into();
    }
    rec.imported.clear();
    rec.stream_secret = None;
    rec.modify_index = idx;
}

/// Dialer: one heartbeat round trip for the peering `id`.
async fn heartbeat(sim: Arc<Sim>, id: String) {
    let prepared = {
        let st = sim.lock();
        st.peering_by_id(&id).and_then(|rec| {
            let secret = rec.stream_secret.clone()?;
            Some((
                rec.dial_addresses(),
                HeartbeatReq {
                    peer_id: rec.peer_id.clone(),
                    stream_secret: secret,
                    sender_id: rec.id.clone(),
                    sender_addr: sim.addr(),
                    datacenter: sim.cfg.datacenter.clone(),
                    exported: exports_for_peer(&st, &rec.name),
                },
            ))
        })
    };
    let Some((addrs, req)) = prepared else {
        finish_attempt(&sim, &id);
        return;
    };
    let timeout = sim
        .cfg
        .heartbeat_interval
        .clamp(Duration::from_millis(500), Duration::from_secs(5));
    let mut outcome: Option<Result<HeartbeatResp, bool>> = None;
    for addr in &addrs {
        let res = sim
            .http
            .post(format!("http://{addr}/_peer/heartbeat"))
            .timeout(timeout)
            .json(&req)
            .send()
            .await;
        match res {
            Ok(r) if r.status().is_success() => {
                if let Ok(v) = r.json::<HeartbeatResp>().await {
                    outcome = Some(Ok(v));
                    break;
                }
            }
            Ok(r) => {
                let terminated = r
                    .json::<PeerError>()
                    .await
                    .map(|e| e.terminated)
                    .unwrap_or(false);
                outcome = Some(Err(terminated));
                if terminated {
                    break;
                }
            }
            Err(_) => outcome = Some(Err(false)),
        }
    }
    match outcome {
        Some(Ok(resp)) => {
            {
                let mut st = sim.lock();
                let still_live = st
                    .peering_by_id(&id)
                    .is_some_and(|r| !matches!(r.state.as_str(), "DELETING" | "TERMINATED"));
                if still_live {
                    let t = st.trackers.entry(id.clone()).or_default();
                    mark_alive(t, &resp.exported, &req.exported);
                    if let Some(r) = st.peering_by_id_mut(&id) {
                        r.remote_datacenter = resp.datacenter.clone();
                    }
                }
            }
            store_imports(&sim, &id, resp.exported);
        }
        Some(Err(true)) => {
            let mut st = sim.lock();
            let idx = Sim::next_index(&st);
            if let Some(rec) = st.peering_by_id_mut(&id) {
                if rec.state != "DELETING" {
                    terminate_locked(rec, idx);
                    if let Some(t) = st.trackers.get_mut(&id) {
                        t.connected = false;
                    }
                    sim.commit(&mut st, &["peerings", "catalog"]);
                }
            }
        }
        _ => {}
    }
    finish_attempt(&sim, &id);
}

fn finish_attempt(sim: &Sim, id: &str) {
    let mut st = sim.lock();
    if let Some(t) = st.trackers.get_mut(id) {
        t.in_flight = false;
    }
}

/// Best-effort message to a peer: `terminate` (the peering was deleted) or
/// `poke` (exports changed).
async fn send_message(sim: Arc<Sim>, kind: &str, addrs: Vec<String>, req: TerminateReq) {
    for addr in addrs {
        let ok = sim
            .http
            .post(format!("http://{addr}/_peer/{kind}"))
            .timeout(Duration::from_secs(2))
            .json(&req)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            return;
        }
    }
}

/// The background loop: heartbeats, timeouts and delayed deletes.
pub(crate) async fn reconciler(sim: Arc<Sim>) {
    let tick = (sim.cfg.heartbeat_interval / 4)
        .clamp(Duration::from_millis(20), Duration::from_millis(250));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(tick) => {}
            _ = sim.wake.notified() => {}
        }
        reconcile_once(&sim);
    }
}

/// One pass of the reconciler: pokes after a local change, heartbeats that
/// are due, timeouts, and deletes whose delay has passed.
fn reconcile_once(sim: &Arc<Sim>) {
    let paused = sim.is_paused();
    let now = Instant::now();
    let mut st = sim.lock();
    let pokes = if !paused && sim.push.swap(false, std::sync::atomic::Ordering::SeqCst) {
        pokes_for_push(&mut st)
    } else {
        Vec::new()
    };
    let to_send = if paused {
        Vec::new()
    } else {
        due_heartbeats(sim, &mut st, now)
    };
    mark_timeouts(sim, &mut st, now);
    let to_terminate = finish_deletes(sim, &mut st);
    drop(st);
    for id in to_send {
        tokio::spawn(heartbeat(sim.clone(), id));
    }
    if !paused {
        for (addrs, req) in to_terminate {
            tokio::spawn(send_message(sim.clone(), "terminate", addrs, req));
        }
        for (addrs, req) in pokes {
            tokio::spawn(send_message(sim.clone(), "poke", addrs, req));
        }
    }
}

/// Local exports may have changed: a poke to every live acceptor-side
/// peering's dialer, and every dialer's next heartbeat made due now.
fn pokes_for_push(st: &mut SimState) -> Vec<(Vec<String>, TerminateReq)> {
    let mut pokes = Vec::new();
    for p in st.peerings.values() {
        if matches!(p.state.as_str(), "DELETING" | "TERMINATED") {
            continue;
        }
        if let (false, Some(secret), Some(addr), Some(rid)) = (
            p.is_dialer(),
            p.stream_secret.clone(),
            p.remote_addr.clone(),
            p.remote_id.clone(),
        ) {
            pokes.push((
                vec![addr],
                TerminateReq {
                    peer_id: rid,
                    stream_secret: secret,
                },
            ));
        }
    }
    for t in st.trackers.values_mut() {
        t.last_attempt = None;
    }
    pokes
}

/// The dialer peerings whose heartbeat is due (and none in flight), marked
/// as sent.
fn due_heartbeats(sim: &Sim, st: &mut SimState, now: Instant) -> Vec<String> {
    let dialers: Vec<String> = st
        .peerings
        .values()
        .filter(|p| {
            p.is_dialer()
                && p.stream_secret.is_some()
                && !matches!(p.state.as_str(), "DELETING" | "TERMINATED")
        })
        .map(|p| p.id.clone())
        .collect();
    let mut to_send = Vec::new();
    for id in dialers {
        let t = st.trackers.entry(id.clone()).or_insert_with(|| Tracker {
            last_seen: Some(now),
            ..Default::default()
        });
        let due = t
            .last_attempt
            .is_none_or(|a| now.duration_since(a) >= sim.cfg.heartbeat_interval);
        if due && !t.in_flight {
            t.in_flight = true;
            t.last_attempt = Some(now);
            to_send.push(id);
        }
    }
    to_send
}

/// A live peering that has heard no heartbeat for `--heartbeat-timeout`
/// turns FAILING.
fn mark_timeouts(sim: &Sim, st: &mut SimState, now: Instant) {
    let live: BTreeSet<String> = st
        .peerings
        .values()
        .filter(|p| !matches!(p.state.as_str(), "DELETING" | "TERMINATED"))
        .map(|p| p.id.clone())
        .collect();
    for (id, t) in st.trackers.iter_mut() {
        if !live.contains(id) {
            continue;
        }
        if let Some(seen) = t.last_seen {
            if now.duration_since(seen) > sim.cfg.heartbeat_timeout && t.disconnect_error.is_none()
            {
                t.connected = false;
                t.disconnect_error = Some("heartbeat timeout".into());
            }
        }
    }
}

/// Removes the peerings whose `--delete-delay` has passed, and returns the
/// terminate messages to send to their peers.
fn finish_deletes(sim: &Sim, st: &mut SimState) -> Vec<(Vec<String>, TerminateReq)> {
    let due: Vec<String> = st
        .peerings
        .iter()
        .filter(|(_, p)| {
            p.state == "DELETING"
                && p.deleted_at.is_some_and(|d| {
                    (Utc::now() - d).to_std().unwrap_or_default() >= sim.cfg.delete_delay
                })
        })
        .map(|(key, _)| key.clone())
        .collect();
    let mut to_terminate = Vec::new();
    if due.is_empty() {
        return to_terminate;
    }
    for name in &due {
        let Some(rec) = st.peerings.remove(name) else {
            continue;
        };
        st.trackers.remove(&rec.id);
        let Some(secret) = rec.stream_secret.clone() else {
            continue;
        };
        if rec.is_dialer() {
            to_terminate.push((
                rec.dial_addresses(),
                TerminateReq {
                    peer_id: rec.peer_id.clone(),
                    stream_secret: secret,
                },
            ));
        } else if let (Some(addr), Some(rid)) = (rec.remote_addr, rec.remote_id) {
            to_terminate.push((
                vec![addr],
                TerminateReq {
                    peer_id: rid,
                    stream_secret: secret,
                },
            ));
        }
    }
    sim.commit(st, &["peerings", "catalog"]);
    to_terminate
}
