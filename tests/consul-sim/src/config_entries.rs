//! Config entries: `service-intentions`, `exported-services`, `mesh`,
//! `proxy-defaults` and `service-resolver` validated and normalised as Consul
//! does (the last three in `mesh.rs` and `resolver.rs`); other kinds stored
//! as given.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::Method;
use serde_json::{json, Map, Value};

use crate::acl::{Access, Authz};
use crate::http_util::{json, json_list, method_not_allowed, ApiError, ApiReq, ApiResult, Query};
use crate::rules::common::{arr, is_default, s, validate_meta};
use crate::rules::exports::validate_exports;
use crate::rules::{mesh, resolver};
use crate::state::Sim;

const TABLE: &str = "config";

const KNOWN_KINDS: [&str; 14] = [
    "service-intentions",
    "exported-services",
    "service-defaults",
    "proxy-defaults",
    "service-router",
    "service-splitter",
    "service-resolver",
    "ingress-gateway",
    "terminating-gateway",
    "api-gateway",
    "mesh",
    "jwt-provider",
    "sameness-group",
    "inline-certificate",
];

/// Canonical field names, so `kind`/`sources`/`path_exact` decode like Consul's
/// lenient decoder.
const FIELDS: [&str; 60] = [
    "Kind",
    "Name",
    "Namespace",
    "Partition",
    "Meta",
    "JWT",
    "Sources",
    "Peer",
    "SamenessGroup",
    "Action",
    "Permissions",
    "Precedence",
    "Type",
    "Description",
    "LegacyID",
    "LegacyMeta",
    "LegacyCreateTime",
    "LegacyUpdateTime",
    "HTTP",
    "PathExact",
    "PathPrefix",
    "PathRegex",
    "Header",
    "Methods",
    "Present",
    "Exact",
    "Prefix",
    "Suffix",
    "Regex",
    "Invert",
    "Services",
    "Consumers",
    "CreateIndex",
    "ModifyIndex",
    "Protocol",
    "Providers",
    "VerifyClaims",
    "Config",
    // mesh and proxy-defaults
    "Peering",
    "PeerThroughMeshGateways",
    "TransparentProxy",
    "MeshDestinationsOnly",
    "MeshGateway",
    "Mode",
    "Expose",
    // service-resolver
    "DefaultSubset",
    "Subsets",
    "Filter",
    "OnlyPassing",
    "Redirect",
    "Failover",
    "Targets",
    "Service",
    "ServiceSubset",
    "Datacenter",
    "Datacenters",
    "Policy",
    "PrioritizeByLocality",
    "ConnectTimeout",
    "RequestTimeout",
];

fn canonical_key(k: &str) -> String {
    let squashed: String = k.chars().filter(|c| *c != '_').collect();
    FIELDS
        .iter()
        .find(|f| f.eq_ignore_ascii_case(&squashed))
        .map(|f| f.to_string())
        .unwrap_or_else(|| k.to_string())
}

fn canonicalize(v: Value, parent: &str) -> Value {
    match v {
        Value::Object(o) => {
            if matches!(parent, "Meta" | "LegacyMeta" | "Config" | "JWT") {
                return Value::Object(o);
            }
            if matches!(parent, "Subsets" | "Failover") {
                // Maps keyed by subset name: the keys are data.
                return Value::Object(
                    o.into_iter()
                        .map(|(k, v)| (k, canonicalize(v, "")))
                        .collect(),
                );
            }
            let mut out = Map::new();
            for (k, v) in o {
                let ck = canonical_key(&k);
                let nv = canonicalize(v, &ck);
                out.insert(ck, nv);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|v| canonicalize(v, parent)).collect()),
        v => v,
    }
}

fn count_exact(name: &str, ns: &str) -> i64 {
    if ns == "*" {
        0
    } else if name == "*" {
        1
    } else {
        2
    }
}

fn validate_wildcards(name: &str, ns: &str, peer: &str, sg: &str) -> Result<(), String> {
    let ns = if ns.is_empty() { "default" } else { ns };
    if ns != "*" && ns.contains('*') {
        return Err("Namespace: wildcard character '*' cannot be used with partial values".into());
    }
    if name != "*" {
        if name.contains('*') {
            return Err("Name: wildcard character '*' cannot be used with partial values".into());
        }
        if ns == "*" {
            return Err("Name: exact value cannot follow wildcard namespace".into());
        }
    }
    if peer.contains('*') {
        return Err("Peer: cannot use wildcard '*' in peer".into());
    }
    if sg.contains('*') {
        return Err("SamenessGroup: cannot use wildcard '*' in sameness group".into());
    }
    Ok(())
}

const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

/// Normalises (defaults, lowercased actions, precedence, sort) then
/// validates a service-intentions entry, in Consul's order.
pub fn normalize_intentions(e: &mut Value) -> Result<(), String> {
    let name = s(e, "Name").to_string();
    let dest_ns = s(e, "Namespace").to_string();
    let mut sources: Vec<Value> = arr(e, "Sources").into_iter().cloned().collect();
    for src in sources.iter_mut() {
        let Some(o) = src.as_object_mut() else {
            return Err("Sources: expected an object".into());
        };
        let ty = o.get("Type").and_then(Value::as_str).unwrap_or("");
        if ty.is_empty() {
            o.insert("Type".into(), json!("consul"));
        }
        if let Some(a) = o.get("Action").and_then(Value::as_str) {
            let lower = a.to_lowercase();
            if lower.is_empty() {
                o.remove("Action");
            } else {
                o.insert("Action".into(), json!(lower));
            }
        }
        if let Some(perms) = o.get_mut("Permissions").and_then(Value::as_array_mut) {
            for p in perms.iter_mut() {
                if let Some(po) = p.as_object_mut() {
                    if let Some(a) = po.get("Action").and_then(Value::as_str) {
                        let lower = a.to_lowercase();
                        po.insert("Action".into(), json!(lower));
                    }
                }
            }
        }
        let src_name = o.get("Name").and_then(Value::as_str).unwrap_or("");
        let src_ns = o.get("Namespace").and_then(Value::as_str).unwrap_or("");
        let dmax = match count_exact(&name, &dest_ns) {
            2 => 9,
            1 => 6,
            _ => 3,
        };
        let prec = dmax - (2 - count_exact(src_name, src_ns));
        o.insert("Precedence".into(), json!(prec));
    }
    // Stable sort by precedence, highest first (Consul's Normalize).
    sources.sort_by_key(|s| -s.get("Precedence").and_then(Value::as_i64).unwrap_or(0));
    if let Some(o) = e.as_object_mut() {
        o.insert("Kind".into(), json!("service-intentions"));
        o.insert("Sources".into(), Value::Array(sources.clone()));
    }

    // Validate.
    if name.is_empty() {
        return Err("Name is required".into());
    }
    validate_wildcards(&name, &dest_ns, "", "")?;
    let dest_wild = name == "*" || dest_ns == "*";
    validate_meta(e.get("Meta"))?;
    if sources.is_empty() {
        return Err("At least one source is required".into());
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, src) in sources.iter().enumerate() {
        let sname = s(src, "Name");
        let peer = s(src, "Peer");
        let sg = s(src, "SamenessGroup");
        let part = s(src, "Partition");
        if sname.is_empty() {
            return Err(format!("Sources[{i}].Name is required"));
        }
        validate_wildcards(sname, s(src, "Namespace"), peer, sg)
            .map_err(|e| format!("Sources[{i}].{e}"))?;
        if !peer.is_empty() && !is_default(part) {
            return Err(format!(
                "Sources[{i}].Peer: cannot set Peer and Partition at the same time."
            ));
        }
        if !sg.is_empty() && !is_default(part) {
            return Err(format!(
                "Sources[{i}].SamenessGroup: cannot set SamenessGroup and Partition at the same time"
            ));
        }
        if !sg.is_empty() && !peer.is_empty() {
            return Err(format!(
                "Sources[{i}].SamenessGroup: cannot set SamenessGroup and Peer at the same time"
            ));
        }
        if s(src, "Description").len() > 512 {
            return Err(format!(
                "Sources[{i}].Description exceeds maximum length 512"
            ));
        }
        if src
            .get("LegacyMeta")
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
        {
            return Err(format!("Sources[{i}].LegacyMeta must be omitted"));
        }
        if src.get("LegacyCreateTime").is_some_and(|v| !v.is_null()) {
            return Err(format!("Sources[{i}].LegacyCreateTime must be omitted"));
        }
        if src.get("LegacyUpdateTime").is_some_and(|v| !v.is_null()) {
            return Err(format!("Sources[{i}].LegacyUpdateTime must be omitted"));
        }
        if !s(src, "LegacyID").is_empty() {
            return Err(format!("Sources[{i}].LegacyID must be omitted"));
        }
        let perms = arr(src, "Permissions");
        let action = s(src, "Action");
        if perms.is_empty() && !matches!(action, "allow" | "deny") {
            return Err(format!(
                "Sources[{i}].Action must be set to 'allow' or 'deny'"
            ));
        }
        if !perms.is_empty() && !action.is_empty() {
            return Err(format!(
                "Sources[{i}].Action must be omitted if Permissions are specified"
            ));
        }
        if dest_wild && !perms.is_empty() {
            return Err(format!(
                "Sources[{i}].Permissions cannot be specified on intentions with wildcarded destinations"
            ));
        }
        if s(src, "Type") != "consul" {
            return Err(format!("Sources[{i}].Type must be set to 'consul'"));
        }
        for (j, perm) in perms.iter().enumerate() {
            if !matches!(s(perm, "Action"), "allow" | "deny") {
                return Err(format!(
                    "Sources[{i}].Permissions[{j}].Action must be set to 'allow' or 'deny'"
                ));
            }
            let pre = format!("Sources[{i}].Permissions[{j}].HTTP");
            let Some(http) = perm.get("HTTP").filter(|h| h.is_object()) else {
                return Err(format!("{pre} is required"));
            };
            let mut parts = 0;
            for (f, must_slash) in [
                ("PathExact", true),
                ("PathPrefix", true),
                ("PathRegex", false),
            ] {
                let v = s(http, f);
                if !v.is_empty() {
                    parts += 1;
                    if must_slash && !v.starts_with('/') {
                        return Err(format!("{pre}.{f} doesn't start with '/': {v:?}"));
                    }
                }
            }
            if parts > 1 {
                return Err(format!(
                    "{pre} should only contain at most one of PathExact, PathPrefix, or PathRegex"
                ));
            }
            let mut perm_parts = parts;
            for (k, hdr) in arr(http, "Header").iter().enumerate() {
                if s(hdr, "Name").is_empty() {
                    return Err(format!("{pre}.Header[{k}] missing required Name field"));
                }
                let mut n = 0;
                if hdr.get("Present").and_then(Value::as_bool).unwrap_or(false) {
                    n += 1;
                }
                for f in ["Exact", "Regex", "Prefix", "Suffix"] {
                    if !s(hdr, f).is_empty() {
                        n += 1;
                    }
                }
                if n != 1 {
                    return Err(format!(
                        "{pre}.Header[{k}] should only contain one of Present, Exact, Prefix, Suffix, or Regex"
                    ));
                }
                perm_parts += 1;
            }
            let methods = arr(http, "Methods");
            if !methods.is_empty() {
                let mut found = std::collections::BTreeSet::new();
                for m in methods {
                    let m = m.as_str().unwrap_or("");
                    if !METHODS.contains(&m) {
                        return Err(format!("{pre}.Methods contains an invalid method {m:?}"));
                    }
                    if !found.insert(m) {
                        return Err(format!("{pre}.Methods contains {m:?} more than once"));
                    }
                }
                perm_parts += 1;
            }
            if perm_parts == 0 {
                return Err(format!("{pre} should not be empty"));
            }
        }
        let key = (peer.to_string(), sg.to_string(), sname.to_string());
        if !seen.insert(key) {
            return Err(if !peer.is_empty() {
                format!("Sources[{i}] defines peer({peer:?}) {sname:?} more than once")
            } else if !sg.is_empty() {
                format!("Sources[{i}] defines sameness-group({sg:?}) {sname:?} more than once")
            } else {
                format!("Sources[{i}] defines {sname:?} more than once")
            });
        }
    }
    Ok(())
}

/// The ACL check for reading/writing an entry of `kind` named `name`.
fn check_entry(authz: &Authz, kind: &str, name: &str, write: bool) -> Result<(), ApiError> {
    let access = if write { Access::Write } else { Access::Read };
    let r = match kind {
        "service-intentions" => authz.check("intention", access, Some(name)),
        "exported-services" | "sameness-group" | "jwt-provider" => {
            authz.check("mesh", access, None)
        }
        // `MeshConfigEntry` and `ProxyConfigEntry`: `CanRead` allows anyone,
        // `CanWrite` needs `mesh:write` (`config_entry_mesh.go`,
        // `config_entry.go`).
        "mesh" | "proxy-defaults" => {
            if write {
                authz.check("mesh", access, None)
            } else {
                Ok(())
            }
        }
        _ => {
            if write {
                authz.check("service", access, Some(name))
            } else {
                authz.check("service", Access::Read, Some(name))
            }
        }
    };
    r.map_err(ApiError::internal)
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
pub async fn apply(r: ApiReq, body: Bytes) -> ApiResult {
    if let Some(resp) = r.unless_method(Method::PUT, &["PUT"]) {
        return Ok(resp);
    }
    let raw_entry: Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("Request decoding failed: {e}")))?;
    if !raw_entry.is_object() {
        return Err(ApiError::bad_request(
            "Request decoding failed: expected a JSON object",
        ));
    }
    let mut entry = canonicalize(raw_entry, "");
    let kind = s(&entry, "Kind").to_string();
    if kind.is_empty() {
        return Err(ApiError::bad_request(
            "Request decoding failed: Payload does not contain a Kind key at the top level",
        ));
    }
    if !KNOWN_KINDS.contains(&kind.as_str()) {
        return Err(ApiError::bad_request(format!(
            "Request decoding failed: invalid config entry kind: {kind}"
        )));
    }
    if kind == "mesh" {
        if let Some(e) = mesh::mesh_decode_error(&entry) {
            return Err(ApiError::bad_request(format!(
                "Request decoding failed: {e}"
            )));
        }
    }
    let cas = parse_cas(&r.q)?;
    for p in ["Partition"] {
        if !is_default(s(&entry, p)) {
            return Err(ApiError::bad_request(
                "Invalid query parameter: \"partition\" - Partitions are a Consul Enterprise feature",
            ));
        }
    }
    // Entries with one fixed name: `MeshConfigEntry.GetName` is always
    // `mesh`; `ProxyConfigEntry.Normalize` turns an empty name into `global`.
    let name = match kind.as_str() {
        "mesh" => mesh::MESH_NAME.to_string(),
        "proxy-defaults" if s(&entry, "Name").is_empty() => mesh::PROXY_GLOBAL.to_string(),
        _ => s(&entry, "Name").to_string(),
    };
    // From here on it is the server's `ConfigEntry.Apply`
    // (`agent/consul/config_endpoint.go`), which a client agent forwards:
    // its errors come back wrapped (`ApiError::forwarded`). Its order: the
    // secondary gate, the token (`ACL not found`), Normalize and Validate,
    // and only then `CanWrite`, so an invalid entry is reported as invalid
    // even to a caller who may not write it.
    gate_write_to_secondary(&r, &kind).map_err(|e| ApiError::internal(e).forwarded())?;
    let authz = r.server_authz(&r.sim.lock())?;
    let res = match kind.as_str() {
        "service-intentions" => normalize_intentions(&mut entry),
        "exported-services" => validate_exports(&r.sim.cfg.profile, &mut entry),
        "mesh" => mesh::normalize_mesh(&mut entry),
        "proxy-defaults" => mesh::normalize_proxy_defaults(&mut entry),
        "service-resolver" => resolver::validate_resolver(&r.sim.cfg.profile, &mut entry),
        _ => {
            if name.is_empty() {
                Err("Name is required".into())
            } else {
                Ok(())
            }
        }
    };
    res.map_err(|e| ApiError::internal(e).forwarded())?;
    check_entry(&authz, &kind, &name, true).map_err(ApiError::forwarded)?;
    if kind == "service-resolver" {
        // `canWriteDiscoveryChain`: read on every service traffic may go to.
        for svc in resolver::related_services(&entry) {
            authz
                .check("service", Access::Read, Some(&svc))
                .map_err(|e| ApiError::internal(e).forwarded())?;
        }
    }
    let mut st = r.sim.lock();
    if cas.is_some()
        && r.sim
            .cas_race
            .swap(false, std::sync::atomic::Ordering::SeqCst)
    {
        // Another writer got there first: touch the entry.
        let idx = Sim::next_index(&st);
        let touched = st
            .config_entries
            .get_mut(&kind)
            .and_then(|m| m.get_mut(&name))
            .and_then(Value::as_object_mut)
            .map(|o| o.insert("ModifyIndex".into(), json!(idx)))
            .is_some();
        if touched {
            r.sim.commit(&mut st, &[TABLE]);
        } else {
            // Nothing to touch: a concurrent create wins against cas=0.
            return Ok(json(&r.q, &false, None));
        }
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

/// `gateWriteToSecondary` (`agent/consul/config_endpoint.go`, the first check
/// of `ConfigEntry.Apply`; not of `Delete`): in a secondary datacenter,
/// exported-services writes must name the primary with `?dc=`. The HTTP
/// handler fills an absent `?dc` with the local datacenter (`parseDC`), so
/// over HTTP the answer is always the "must not target secondary" text; the
/// "must target the primary datacenter explicitly" one needs an empty
/// datacenter, which only an RPC caller can send.
fn gate_write_to_secondary(r: &ApiReq, kind: &str) -> Result<(), String> {
    if kind != "exported-services" {
        return Ok(());
    }
    let cfg = &r.sim.cfg;
    let target =
        r.q.get("datacenter")
            .filter(|d| !d.is_empty())
            .or_else(|| r.q.get("dc").filter(|d| !d.is_empty()))
            .unwrap_or(&cfg.datacenter);
    if target != cfg.primary_datacenter() {
        return Err("exported-services writes must not target secondary datacenters.".into());
    }
    Ok(())
}

/// `GET /v1/config/:kind` (list)
pub async fn list(r: ApiReq, Path(kind): Path<String>) -> ApiResult {
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
pub async fn by_name(r: ApiReq, Path((kind, name)): Path<(String, String)>) -> ApiResult {
    match r.method {
        Method::GET => {
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
        Method::DELETE => {
            let cas = parse_cas(&r.q)?;
            let mut st = r.sim.lock();
            let authz = r.server_authz(&st)?;
            // `ConfigEntry.Delete` normalises the entry it made from the
            // path before `CanWrite`: `proxy-defaults` refuses another name,
            // and a `mesh` entry is named `mesh` whatever the path says.
            let name = match kind.as_str() {
                "mesh" => mesh::MESH_NAME.to_string(),
                "proxy-defaults" => {
                    mesh::check_proxy_defaults_name(&name)
                        .map_err(|e| ApiError::internal(e).forwarded())?;
                    mesh::PROXY_GLOBAL.to_string()
                }
                _ => name,
            };
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
        _ => Ok(method_not_allowed(&r.method, &["GET", "DELETE"])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_sorting() {
        let mut e = json!({
            "Kind": "service-intentions",
            "Name": "web",
            "Sources": [
                {"Name": "*", "Action": "deny"},
                {"Name": "api", "Peer": "dc2", "Action": "ALLOW"}
            ]
        });
        normalize_intentions(&mut e).unwrap();
        assert_eq!(e["Sources"][0]["Name"], "api");
        assert_eq!(e["Sources"][0]["Precedence"], 9);
        assert_eq!(e["Sources"][0]["Action"], "allow");
        assert_eq!(e["Sources"][0]["Type"], "consul");
        assert_eq!(e["Sources"][1]["Precedence"], 8);
    }

    #[test]
    fn validation_uses_sorted_indexes() {
        let mut e = json!({
            "Kind": "service-intentions",
            "Name": "web",
            "Sources": [
                {"Name": "*", "Action": "deny"},
                {"Name": "api", "Action": "maybe"}
            ]
        });
        assert_eq!(
            normalize_intentions(&mut e).unwrap_err(),
            "Sources[0].Action must be set to 'allow' or 'deny'"
        );
    }

    #[test]
    fn snake_case_keys() {
        let v = canonicalize(
            json!({"kind": "service-intentions", "sources": [{"name": "a", "permissions": [{"http": {"path_exact": "/x"}}]}], "meta": {"my_key": "v"}}),
            "",
        );
        assert_eq!(v["Kind"], "service-intentions");
        assert_eq!(v["Sources"][0]["Permissions"][0]["HTTP"]["PathExact"], "/x");
        assert_eq!(v["Meta"]["my_key"], "v");
    }
}
