//! The five peering HTTP endpoints (`/v1/peering…`).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::Method;
use axum::response::Response;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::http_util::{
    empty_ok, go_time_opt, json, method_not_allowed, parse_body, ApiError, ApiReq, ApiResult, Query,
};
use crate::link;
use crate::profile::{Change, Profile};
use crate::rules::gateways::token_gateway_addresses;
use crate::rules::peerings::{display_state, key, validate_meta, validate_name};
use crate::state::{PeeringRec, Sim, State as SimState, Tracker};
use crate::token::{PeeringToken, TokenRemote};

const TABLE: &str = "peerings";

#[derive(Serialize)]
struct ApiStreamStatus {
    #[serde(rename = "ImportedServices")]
    imported_services: Option<Vec<String>>,
    #[serde(rename = "ExportedServices")]
    exported_services: Option<Vec<String>>,
    #[serde(rename = "LastHeartbeat", serialize_with = "go_time_opt::serialize")]
    last_heartbeat: Option<chrono::DateTime<Utc>>,
    #[serde(rename = "LastReceive", serialize_with = "go_time_opt::serialize")]
    last_receive: Option<chrono::DateTime<Utc>>,
    #[serde(rename = "LastSend", serialize_with = "go_time_opt::serialize")]
    last_send: Option<chrono::DateTime<Utc>>,
}

#[derive(Serialize)]
struct ApiRemote {
    #[serde(rename = "Partition")]
    partition: String,
    #[serde(rename = "Datacenter")]
    datacenter: String,
}

/// `api.Peering` as Consul's HTTP API emits it (omitempty as in Go).
#[derive(Serialize)]
struct ApiPeering {
    #[serde(rename = "ID")]
    id: String,
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Partition", skip_serializing_if = "String::is_empty")]
    partition: String,
    #[serde(
        rename = "DeletedAt",
        serialize_with = "go_time_opt::serialize",
        skip_serializing_if = "Option::is_none"
    )]
    deleted_at: Option<chrono::DateTime<Utc>>,
    #[serde(rename = "Meta", skip_serializing_if = "BTreeMap::is_empty")]
    meta: BTreeMap<String, String>,
    #[serde(rename = "State")]
    state: String,
    #[serde(rename = "PeerID", skip_serializing_if = "String::is_empty")]
    peer_id: String,
    #[serde(rename = "PeerCAPems", skip_serializing_if = "Vec::is_empty")]
    peer_ca_pems: Vec<String>,
    #[serde(rename = "PeerServerName", skip_serializing_if = "String::is_empty")]
    peer_server_name: String,
    #[serde(rename = "PeerServerAddresses", skip_serializing_if = "Vec::is_empty")]
    peer_server_addresses: Vec<String>,
    #[serde(
        rename = "ManualServerAddresses",
        skip_serializing_if = "Vec::is_empty"
    )]
    manual_server_addresses: Vec<String>,
    #[serde(rename = "StreamStatus")]
    stream_status: ApiStreamStatus,
    #[serde(rename = "CreateIndex")]
    create_index: u64,
    #[serde(rename = "ModifyIndex")]
    modify_index: u64,
    #[serde(rename = "Remote")]
    remote: ApiRemote,
}

/// The three stream times as the version writes them. From 1.15 they are
/// `*time.Time`: null until set. 1.14 has `time.Time` (`api/peering.go`) and
/// converts through protobuf timestamps (`pbpeering.StreamStatusToAPI`,
/// `structs.TimeFromProto`): an unset time in a tracker entry is Go's zero
/// time, `0001-01-01T00:00:00Z`, and a peering the tracker has no entry for
/// (`reconcilePeering` in `agent/rpc/peering/service.go` then sets an empty
/// `StreamStatus`, whose nil timestamps read as the Unix epoch) shows
/// `1970-01-01T00:00:00Z` for all three.
fn stream_times(profile: &Profile, tracker: Option<&Tracker>) -> [Option<DateTime<Utc>>; 3] {
    let set = [
        tracker.and_then(|t| t.last_heartbeat),
        tracker.and_then(|t| t.last_receive),
        tracker.and_then(|t| t.last_send),
    ];
    if profile.has(Change::NullStreamTimes) {
        return set;
    }
    let unset = match tracker {
        Some(_) => Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).single(),
        None => Some(DateTime::UNIX_EPOCH),
    };
    set.map(|t| t.or(unset))
}

fn to_api(profile: &Profile, rec: &PeeringRec, tracker: Option<&Tracker>) -> ApiPeering {
    let [last_heartbeat, last_receive, last_send] = stream_times(profile, tracker);
    ApiPeering {
        id: rec.id.clone(),
        name: rec.name.clone(),
        partition: String::new(),
        deleted_at: rec.deleted_at,
        meta: rec.meta.clone(),
        state: display_state(rec, tracker),
        peer_id: rec.peer_id.clone(),
        peer_ca_pems: rec.peer_ca_pems.clone(),
        peer_server_name: rec.peer_server_name.clone(),
        peer_server_addresses: rec.peer_server_addresses.clone(),
        manual_server_addresses: rec.manual_server_addresses.clone(),
        stream_status: ApiStreamStatus {
            imported_services: tracker.and_then(|t| t.imported.clone()),
            exported_services: tracker.and_then(|t| t.exported.clone()),
            last_heartbeat,
            last_receive,
            last_send,
        },
        create_index: rec.create_index,
        modify_index: rec.modify_index,
        remote: ApiRemote {
            partition: rec.remote_partition.clone(),
            datacenter: rec.remote_datacenter.clone(),
        },
    }
}

fn check_enabled(sim: &Sim) -> Result<(), ApiError> {
    if sim.cfg.peering_enabled {
        Ok(())
    } else {
        Err(ApiError::rpc(
            "FailedPrecondition",
            "peering must be enabled to use this endpoint",
        ))
    }
}

/// CE refuses any partition other than the default one.
fn check_partition(value: Option<&str>) -> Result<(), ApiError> {
    match value {
        None | Some("") => Ok(()),
        Some(p) if p.eq_ignore_ascii_case("default") => Ok(()),
        Some(_) => Err(ApiError::bad_request(
            "Invalid query parameter: \"partition\" - Partitions are a Consul Enterprise feature",
        )),
    }
}

fn acl_err(msg: String) -> ApiError {
    ApiError::unknown(msg)
}

#[derive(Deserialize, Default)]
struct GenerateReq {
    #[serde(rename = "PeerName", default)]
    peer_name: String,
    #[serde(rename = "Partition", default)]
    partition: String,
    #[serde(rename = "Meta", default)]
    meta: Option<BTreeMap<String, String>>,
    #[serde(rename = "ServerExternalAddresses", default)]
    server_external_addresses: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
struct EstablishReq {
    #[serde(rename = "PeerName", default)]
    peer_name: String,
    #[serde(rename = "PeeringToken", default)]
    peering_token: String,
    #[serde(rename = "Partition", default)]
    partition: String,
    #[serde(rename = "Meta", default)]
    meta: Option<BTreeMap<String, String>>,
}

/// Decodes a peering request body like Go's `lib.DecodeJSON`: an empty body
/// is `EOF` (a Go server never hands a handler a nil body), and field names
/// match case-insensitively.
fn decode_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    fields: &[&str],
) -> Result<T, ApiError> {
    let v: Value = match parse_body::<Value>(body) {
        Ok(Some(v)) => v,
        Ok(None) => return Err(ApiError::bad_request("Body decoding failed: EOF")),
        Err(e) => return Err(ApiError::bad_request(format!("Body decoding failed: {e}"))),
    };
    let v = match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    let canon = fields
                        .iter()
                        .find(|f| f.eq_ignore_ascii_case(&k))
                        .map(|f| f.to_string())
                        .unwrap_or(k);
                    (canon, v)
                })
                .collect(),
        ),
        other => other,
    };
    serde_json::from_value(v)
        .map_err(|e| ApiError::bad_request(format!("Body decoding failed: {e}")))
}

fn partition_of<'a>(body: &'a str, q: &'a Query) -> Option<&'a str> {
    if !body.is_empty() {
        Some(body)
    } else {
        q.get("partition")
    }
}

/// `POST /v1/peering/token`
pub(crate) async fn generate(r: ApiReq, body: Bytes) -> ApiResult {
    let req: GenerateReq = decode_body(
        &body,
        &["PeerName", "Partition", "Meta", "ServerExternalAddresses"],
    )?;
    if req.peer_name.is_empty() {
        return Err(ApiError::bad_request(
            "PeerName is required in the payload when generating a new peering token.",
        ));
    }
    check_enabled(&r.sim)?;
    check_partition(partition_of(&req.partition, &r.q))?;
    validate_name(&r.sim.cfg.profile, &req.peer_name).map_err(ApiError::unknown)?;
    let meta = req.meta.clone().unwrap_or_default();
    validate_meta(&meta).map_err(ApiError::unknown)?;
    let server_name = r.sim.server_name();
    let mut st = r.sim.lock();
    let authz = r.authz_rpc(&st)?;
    authz.peering_write().map_err(acl_err)?;
    let name = req.peer_name.clone();
    let secret = uuid::Uuid::new_v4().to_string();
    let idx = Sim::next_index(&st);
    let id = match st.peerings.get_mut(&key(&name)) {
        Some(existing) => {
            if existing.is_dialer() {
                return Err(ApiError::unknown(format!(
                    "cannot create peering with name: \"{name}\"; there is already an established peering"
                )));
            }
            if existing.state == "DELETING" || existing.deleted_at.is_some() {
                return Err(ApiError::unknown(
                    "failed to write peering: cannot write to peering that is marked for deletion",
                ));
            }
            if existing.state == "TERMINATED" {
                existing.state = "PENDING".into();
            }
            existing.establishment_secret = Some(secret.clone());
            existing.modify_index = idx;
            existing.id.clone()
        }
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            st.peerings.insert(
                key(&name),
                PeeringRec {
                    id: id.clone(),
                    name: name.clone(),
                    meta,
                    state: "PENDING".into(),
                    create_index: idx,
                    modify_index: idx,
                    establishment_secret: Some(secret.clone()),
                    ..Default::default()
                },
            );
            id
        }
    };
    r.sim.commit(&mut st, &[TABLE]);
    // `GenerateToken` (`agent/rpc/peering/service.go`) asks for the
    // addresses only after writing the peering, so a failure here leaves the
    // PENDING peering in place. With `PeerThroughMeshGateways` they are the
    // mesh gateways' (`PeeringBackend.GetLocalServerAddresses`), and
    // `ServerExternalAddresses` go to `ManualServerAddresses` only.
    let gateways = token_gateway_addresses(&st).map_err(ApiError::unknown)?;
    drop(st);
    let external = req
        .server_external_addresses
        .clone()
        .filter(|v| !v.is_empty());
    let server_addresses = match gateways {
        Some(g) => g,
        None => external.clone().unwrap_or_else(|| vec![r.sim.addr()]),
    };
    let tok = PeeringToken {
        ca: Some(vec![r.sim.ca_pem.clone()]),
        manual_server_addresses: external,
        server_addresses: Some(server_addresses),
        server_name,
        peer_id: id,
        establishment_secret: secret,
        remote: TokenRemote {
            partition: "default".into(),
            datacenter: r.sim.cfg.datacenter.clone(),
        },
    };
    Ok(json(&r.q, &json!({ "PeeringToken": tok.encode() }), None))
}

/// `POST /v1/peering/establish`
pub(crate) async fn establish(r: ApiReq, body: Bytes) -> ApiResult {
    let req: EstablishReq = decode_body(&body, &["PeerName", "PeeringToken", "Partition", "Meta"])?;
    if req.peer_name.is_empty() {
        return Err(ApiError::bad_request(
            "PeerName is required in the payload when establishing a peering.",
        ));
    }
    if req.peering_token.is_empty() {
        return Err(ApiError::bad_request(
            "PeeringToken is required in the payload when establishing a peering.",
        ));
    }
    check_enabled(&r.sim)?;
    check_partition(partition_of(&req.partition, &r.q))?;
    validate_name(&r.sim.cfg.profile, &req.peer_name).map_err(ApiError::unknown)?;
    let tok = PeeringToken::decode(&req.peering_token).map_err(ApiError::unknown)?;
    tok.validate().map_err(ApiError::unknown)?;
    let meta = req.meta.clone().unwrap_or_default();
    validate_meta(&meta).map_err(ApiError::unknown)?;
    let own_server_name = r.sim.server_name();
    let name = req.peer_name.clone();
    let (id, addrs) = {
        let mut st = r.sim.lock();
        let authz = r.authz_rpc(&st)?;
        authz.peering_write().map_err(acl_err)?;
        if tok.server_name == own_server_name {
            return Err(ApiError::unknown(format!(
                "cannot create a peering within the same cluster \"{own_server_name}\". Refer to the `exported-services` documentation if you want to export between partitions without peering"
            )));
        }
        let existing = st.peerings.get(&key(&name)).cloned();
        if let Some(ex) = &existing {
            if !ex.is_dialer() {
                return Err(ApiError::unknown(format!(
                    "cannot create peering with name: \"{name}\"; there is an existing peering expecting to be dialed"
                )));
            }
            if ex.state == "DELETING" || ex.deleted_at.is_some() {
                return Err(ApiError::unknown(
                    "failed to write peering: cannot write to peering that is marked for deletion",
                ));
            }
        }
        let idx = Sim::next_index(&st);
        let connected = existing
            .as_ref()
            .and_then(|e| st.trackers.get(&e.id))
            .is_some_and(|t| t.connected);
        let mut rec = existing.clone().unwrap_or_else(|| PeeringRec {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.clone(),
            create_index: idx,
            ..Default::default()
        });
        let token_addrs = tok.server_addresses.clone().unwrap_or_default();
        if !connected || rec.peer_server_addresses.is_empty() {
            rec.peer_server_addresses = token_addrs;
        }
        rec.manual_server_addresses = tok.manual_server_addresses.clone().unwrap_or_default();
        rec.peer_ca_pems = tok.ca.clone().unwrap_or_default();
        rec.peer_server_name = tok.server_name.clone();
        rec.peer_id = tok.peer_id.clone();
        rec.meta = meta;
        rec.remote_partition = tok.remote.partition.clone();
        rec.remote_datacenter = tok.remote.datacenter.clone();
        rec.modify_index = idx;
        let id = rec.id.clone();
        let addrs = rec.dial_addresses();
        st.peerings.insert(key(&name), rec);
        r.sim.commit(&mut st, &[TABLE]);
        (id, addrs)
    };
    let resp = link::exchange_secret(&r.sim, &addrs, &tok, &id).await?;
    {
        let mut st = r.sim.lock();
        let idx = Sim::next_index(&st);
        if let Some(rec) = st.peering_by_id_mut(&id) {
            rec.state = "ESTABLISHING".into();
            rec.stream_secret = Some(resp.stream_secret.clone());
            rec.imported.clear();
            rec.modify_index = idx;
            st.trackers.remove(&id);
            r.sim.commit(&mut st, &[TABLE, "catalog"]);
        }
    }
    r.sim.wake.notify_one();
    Ok(json(&r.q, &json!({}), None))
}

fn require_peering_read(r: &ApiReq, st: &SimState) -> Result<(), ApiError> {
    r.authz_rpc(st)?.peering_read().map_err(acl_err)
}

/// What every peering read checks first, then a blocking query's wait (`?index=&wait=`).
/// The caller checks the ACL again afterwards: the token may have changed while it waited.
async fn wait_to_read(r: &ApiReq) -> Result<(), ApiError> {
    check_enabled(&r.sim)?;
    check_partition(r.q.get("partition"))?;
    if let Some((index, wait)) = r.q.blocking()? {
        require_peering_read(r, &r.sim.lock())?;
        r.sim.block(TABLE, index, wait).await;
    }
    Ok(())
}

/// `GET /v1/peerings`
pub(crate) async fn list(r: ApiReq) -> ApiResult {
    wait_to_read(&r).await?;
    let st = r.sim.lock();
    require_peering_read(&r, &st)?;
    let list: Vec<ApiPeering> = st
        .peerings
        .values()
        .map(|p| to_api(&r.sim.cfg.profile, p, st.trackers.get(&p.id)))
        .collect();
    Ok(json(&r.q, &list, Some(st.table(TABLE))))
}

/// `GET /v1/peering/:name`
async fn read(r: ApiReq, name: String) -> ApiResult {
    wait_to_read(&r).await?;
    let st = r.sim.lock();
    require_peering_read(&r, &st)?;
    match st.peerings.get(&key(&name)) {
        Some(p) => Ok(json(
            &r.q,
            &to_api(&r.sim.cfg.profile, p, st.trackers.get(&p.id)),
            Some(st.table(TABLE)),
        )),
        None => Err(ApiError::not_found(format!(
            "Peering not found for {name:?}"
        ))),
    }
}

/// `DELETE /v1/peering/:name`
async fn delete(r: ApiReq, name: String) -> ApiResult {
    check_enabled(&r.sim)?;
    check_partition(r.q.get("partition"))?;
    let mut st = r.sim.lock();
    r.authz_rpc(&st)?.peering_write().map_err(acl_err)?;
    let idx = Sim::next_index(&st);
    let Some(rec) = st.peerings.get_mut(&key(&name)) else {
        return Ok(empty_ok());
    };
    if rec.state == "DELETING" {
        return Ok(empty_ok());
    }
    rec.state = "DELETING".into();
    rec.deleted_at = Some(Utc::now());
    rec.modify_index = idx;
    r.sim.commit(&mut st, &[TABLE]);
    drop(st);
    r.sim.wake.notify_one();
    Ok(empty_ok())
}

/// Every method on `/v1/peering/*name`.
pub(crate) async fn by_name(r: ApiReq, Path(name): Path<String>) -> Result<Response, ApiError> {
    if name.is_empty() && r.method != Method::OPTIONS {
        return Err(ApiError::bad_request("Must specify a name to fetch."));
    }
    match r.method {
        Method::GET | Method::HEAD => read(r, name).await,
        Method::DELETE => delete(r, name).await,
        _ => Ok(method_not_allowed(&r.method, &["GET", "DELETE"])),
    }
}

/// `/v1/peering/` without a name.
pub(crate) async fn no_name(r: ApiReq) -> Result<Response, ApiError> {
    by_name(r, Path(String::new())).await
}
