//! The config-entry endpoints: `PUT /v1/config`, `GET /v1/config/:kind` and
//! `GET|DELETE /v1/config/:kind/:name`. How an entry is decoded, named,
//! normalised and validated, and what reading or writing it needs, are in
//! [`crate::rules::entries`]; this module checks the ACLs and stores.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::Method;
use serde_json::{json, Value};

use crate::acl::{Access, Authz};
use crate::http_util::{json, json_list, method_not_allowed, ApiError, ApiReq, ApiResult, Query};
use crate::rules::common::{is_default, s};
use crate::rules::entries::{
    decode, delete_name, entry_name, gate_write_to_secondary, normalize, permission,
};
use crate::rules::resolver::related_services;
use crate::state::{Sim, State};

const TABLE: &str = "config";

/// The ACL check for reading/writing an entry of `kind` named `name`.
fn check_entry(authz: &Authz, kind: &str, name: &str, write: bool) -> Result<(), ApiError> {
    let access = if write { Access::Write } else { Access::Read };
    match permission(kind, name, write) {
        None => Ok(()),
        Some((resource, segment)) => authz
            .check(resource, access, segment)
            .map_err(ApiError::internal),
    }
}

fn can_read(authz: &Authz, kind: &str, name: &str) -> bool {
    check_entry(authz, kind, name, false).is_ok()
}

fn parse_cas(q: &Query) -> Result<Option<u64>, ApiError> {
    match q.get("cas") {
        None | Some("") => Ok(None),
        Some(c) => c.parse::<u64>().map(Some).map_err(|_| {
            ApiError::internal(format!("strconv.ParseUint: parsing {c:?}: invalid syntax"))
        }),
    }
}

/// `PUT /v1/config`
pub(crate) async fn apply(r: ApiReq, body: Bytes) -> ApiResult {
    if let Some(resp) = r.unless_method(Method::PUT, &["PUT"]) {
        return Ok(resp);
    }
    let (kind, mut entry) = decode(&body)
        .map_err(|e| ApiError::bad_request(format!("Request decoding failed: {e}")))?;
    let cas = parse_cas(&r.q)?;
    if !is_default(s(&entry, "Partition")) {
        return Err(ApiError::bad_request(
            "Invalid query parameter: \"partition\" - Partitions are a Consul Enterprise feature",
        ));
    }
    let name = entry_name(&kind, &entry);
    server_apply_checks(&r, &kind, &name, &mut entry)?;
    store(&r, kind, name, entry, cas)
}

/// The server's `ConfigEntry.Apply` (`agent/consul/config_endpoint.go`),
/// which a client agent forwards: its errors come back wrapped
/// (`ApiError::forwarded`). Its order: the secondary gate, the token (`ACL
/// not found`), Normalize and Validate, and only then `CanWrite`, so an
/// invalid entry is reported as invalid even to a caller who may not write
/// it.
fn server_apply_checks(
    r: &ApiReq,
    kind: &str,
    name: &str,
    entry: &mut Value,
) -> Result<(), ApiError> {
    let cfg = &r.sim.cfg;
    let target_dc =
        r.q.get("datacenter")
            .filter(|d| !d.is_empty())
            .or_else(|| r.q.get("dc").filter(|d| !d.is_empty()))
            .unwrap_or(&cfg.datacenter);
    gate_write_to_secondary(kind, target_dc, cfg.primary_datacenter())
        .map_err(|e| ApiError::internal(e).forwarded())?;
    let authz = r.server_authz(&r.sim.lock())?;
    normalize(&cfg.profile, kind, name, entry).map_err(|e| ApiError::internal(e).forwarded())?;
    check_entry(&authz, kind, name, true).map_err(ApiError::forwarded)?;
    if kind == "service-resolver" {
        // `canWriteDiscoveryChain`: read on every service traffic may go to.
        for svc in related_services(entry) {
            authz
                .check("service", Access::Read, Some(&svc))
                .map_err(|e| ApiError::internal(e).forwarded())?;
        }
    }
    Ok(())
}

/// Stores a checked entry, honouring `?cas=` (`true`, or `false` when the
/// check-and-set loses).
fn store(r: &ApiReq, kind: String, name: String, mut entry: Value, cas: Option<u64>) -> ApiResult {
    let mut st = r.sim.lock();
    if cas.is_some()
        && r.sim
            .cas_race
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        && !touch_for_cas_race(&r.sim, &mut st, &kind, &name)
    {
        // Nothing to touch: a concurrent create wins against cas=0.
        return Ok(json(&r.q, &false, None));
    }
    let existing = st
        .config_entries
        .get(&kind)
        .and_then(|m| m.get(&name))
        .cloned();
    if let Some(c) = cas {
        let ok = match &existing {
            None => c == 0,
            Some(e) => c != 0 && e.get("ModifyIndex").and_then(Value::as_u64) == Some(c),
        };
        if !ok {
            return Ok(json(&r.q, &false, None));
        }
    }
    let idx = Sim::next_index(&st);
    let create = existing
        .as_ref()
        .and_then(|e| e.get("CreateIndex"))
        .and_then(Value::as_u64)
        .unwrap_or(idx);
    if let Some(o) = entry.as_object_mut() {
        o.remove("Partition");
        o.insert("CreateIndex".into(), json!(create));
        o.insert("ModifyIndex".into(), json!(idx));
    }
    st.config_entries
        .entry(kind)
        .or_default()
        .insert(name, entry);
    r.sim.commit(&mut st, &[TABLE, "catalog"]);
    r.sim.push_soon();
    Ok(json(&r.q, &true, None))
}

/// A `cas_race` fault: another writer got there first and touched the
/// entry. Returns false when there is no entry to touch.
fn touch_for_cas_race(sim: &Sim, st: &mut State, kind: &str, name: &str) -> bool {
    let idx = Sim::next_index(st);
    let touched = st
        .config_entries
        .get_mut(kind)
        .and_then(|m| m.get_mut(name))
        .and_then(Value::as_object_mut)
        .map(|o| o.insert("ModifyIndex".into(), json!(idx)))
        .is_some();
    if touched {
        sim.commit(st, &[TABLE]);
    }
    touched
}

/// `GET /v1/config/:kind` (list)
pub(crate) async fn list(r: ApiReq, Path(kind): Path<String>) -> ApiResult {
    if let Some(resp) = r.unless_method(Method::GET, &["GET", "DELETE"]) {
        return Ok(resp);
    }
    r.wait_on(TABLE).await?;
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    let mut filtered = false;
    let list: Vec<Value> = st
        .config_entries
        .get(&kind)
        .map(|m| {
            m.iter()
                .filter(|(name, _)| {
                    let ok = can_read(&authz, &kind, name);
                    filtered |= !ok;
                    ok
                })
                .map(|(_, v)| v.clone())
                .collect()
        })
        .unwrap_or_default();
    Ok(json_list(&r.q, &list, Some(st.table(TABLE)), filtered))
}

/// `GET|DELETE /v1/config/:kind/:name`
pub(crate) async fn by_name(r: ApiReq, Path((kind, name)): Path<(String, String)>) -> ApiResult {
    match r.method {
        Method::GET => read(r, kind, name).await,
        Method::DELETE => delete(r, kind, name),
        _ => Ok(method_not_allowed(&r.method, &["GET", "DELETE"])),
    }
}

/// `GET /v1/config/:kind/:name`
async fn read(r: ApiReq, kind: String, name: String) -> ApiResult {
    r.wait_on(TABLE).await?;
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    check_entry(&authz, &kind, &name, false).map_err(ApiError::forwarded)?;
    match st.config_entries.get(&kind).and_then(|m| m.get(&name)) {
        Some(e) => Ok(json(&r.q, e, Some(st.table(TABLE)))),
        None => Err(ApiError::not_found(format!(
            "Config entry not found for {kind:?} / {name:?}"
        ))),
    }
}

/// `DELETE /v1/config/:kind/:name[?cas=]`
fn delete(r: ApiReq, kind: String, name: String) -> ApiResult {
    let cas = parse_cas(&r.q)?;
    let mut st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    let name = delete_name(&kind, name).map_err(|e| ApiError::internal(e).forwarded())?;
    check_entry(&authz, &kind, &name, true).map_err(ApiError::forwarded)?;
    let existing = st
        .config_entries
        .get(&kind)
        .and_then(|m| m.get(&name))
        .cloned();
    if let Some(c) = cas {
        let ok = existing
            .as_ref()
            .is_some_and(|e| e.get("ModifyIndex").and_then(Value::as_u64) == Some(c));
        if !ok {
            return Ok(json(&r.q, &false, None));
        }
    }
    if existing.is_some() {
        if let Some(m) = st.config_entries.get_mut(&kind) {
            m.remove(&name);
        }
        r.sim.commit(&mut st, &[TABLE, "catalog"]);
        r.sim.push_soon();
    }
    if cas.is_some() {
        Ok(json(&r.q, &true, None))
    } else {
        Ok(json(&r.q, &json!({}), None))
    }
}
