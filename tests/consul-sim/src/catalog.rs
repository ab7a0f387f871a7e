//! Catalog and health: the reads (`/v1/catalog/*`, `/v1/health/service`,
//! the UI-internal lists, `/v1/exported-services`, `/v1/imported-services`)
//! and the registrations (`/v1/catalog/register`, `/v1/agent/service/*`).

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;
use axum::extract::Path;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::acl::{Access, Authz};
use crate::http_util::{empty_ok, json, json_list, ApiError, ApiReq, ApiResult, Query};
use crate::rules::catalog::{instances, Seen};
use crate::rules::exports::{consumers_by_service, exported_names_for_peer};
use crate::state::{Check, ServiceAddress, ServiceInstance, Sim};

const TABLE: &str = "catalog";

fn visible(authz: &Authz, s: &Seen) -> bool {
    authz.allowed("service", Access::Read, Some(&s.inst.service))
        && authz.allowed("node", Access::Read, Some(&s.inst.node))
}

fn peer_param(q: &Query) -> Option<&str> {
    q.get("peer").filter(|p| !p.is_empty())
}

fn with_peer(mut v: Value, peer: Option<&str>) -> Value {
    if let (Some(p), Some(o)) = (peer, v.as_object_mut()) {
        o.insert("PeerName".into(), json!(p));
    }
    v
}

/// The node's tagged addresses: `lan` and `wan` are the node address unless
/// registered otherwise.
fn node_tagged(inst: &ServiceInstance) -> BTreeMap<String, String> {
    let mut out = BTreeMap::from([
        ("lan".to_string(), inst.address.clone()),
        ("wan".to_string(), inst.address.clone()),
    ]);
    out.extend(inst.node_tagged_addresses.clone());
    out
}

/// Adds `key: TaggedAddresses` when the service has any (`omitempty`).
fn with_service_tagged(mut v: Value, key: &str, inst: &ServiceInstance) -> Value {
    if let (false, Some(o)) = (inst.tagged_addresses.is_empty(), v.as_object_mut()) {
        o.insert(key.into(), json!(inst.tagged_addresses));
    }
    v
}

fn node_json(s: &Seen) -> Value {
    with_peer(
        json!({
            "ID": s.inst.node_id,
            "Node": s.inst.node,
            "Address": s.inst.address,
            "Datacenter": s.datacenter,
            "TaggedAddresses": node_tagged(s.inst),
            "Meta": s.inst.node_meta,
            "CreateIndex": s.inst.create_index,
            "ModifyIndex": s.inst.modify_index,
        }),
        s.peer,
    )
}

fn service_json(s: &Seen) -> Value {
    let v = with_peer(
        json!({
            "Kind": s.inst.kind,
            "ID": s.inst.service_id,
            "Service": s.inst.service,
            "Tags": s.inst.tags,
            "Address": s.inst.service_address,
            "Meta": s.inst.service_meta,
            "Port": s.inst.port,
            "Weights": {"Passing": 1, "Warning": 1},
            "EnableTagOverride": false,
            "Proxy": {"Mode": "", "MeshGateway": {}, "Expose": {}},
            "Connect": {},
            "CreateIndex": s.inst.create_index,
            "ModifyIndex": s.inst.modify_index,
        }),
        s.peer,
    );
    with_service_tagged(v, "TaggedAddresses", s.inst)
}

fn check_json(s: &Seen, c: &Check) -> Value {
    with_peer(
        json!({
            "Node": s.inst.node,
            "CheckID": c.check_id,
            "Name": c.name,
            "Status": c.status,
            "Notes": c.notes,
            "Output": c.output,
            "ServiceID": s.inst.service_id,
            "ServiceName": s.inst.service,
            "ServiceTags": s.inst.tags,
            "Type": "",
            "Interval": "",
            "Timeout": "",
            "ExposedPort": 0,
            "Definition": {},
            "CreateIndex": s.inst.create_index,
            "ModifyIndex": s.inst.modify_index,
        }),
        s.peer,
    )
}

fn catalog_service_json(s: &Seen) -> Value {
    let v = with_peer(
        json!({
            "ID": s.inst.node_id,
            "Node": s.inst.node,
            "Address": s.inst.address,
            "Datacenter": s.datacenter,
            "TaggedAddresses": node_tagged(s.inst),
            "NodeMeta": s.inst.node_meta,
            "ServiceKind": s.inst.kind,
            "ServiceID": s.inst.service_id,
            "ServiceName": s.inst.service,
            "ServiceTags": s.inst.tags,
            "ServiceAddress": s.inst.service_address,
            "ServiceWeights": {"Passing": 1, "Warning": 1},
            "ServiceMeta": s.inst.service_meta,
            "ServicePort": s.inst.port,
            "ServiceSocketPath": "",
            "ServiceEnableTagOverride": false,
            "ServiceProxy": {"Mode": "", "MeshGateway": {}, "Expose": {}},
            "ServiceConnect": {},
            "CreateIndex": s.inst.create_index,
            "ModifyIndex": s.inst.modify_index,
        }),
        s.peer,
    );
    with_service_tagged(v, "ServiceTaggedAddresses", s.inst)
}

/// `GET /v1/catalog/services`: this cluster's own services, whatever `?peer=`
/// says. `CatalogServices` (`agent/catalog_endpoint.go`) never parses `peer`,
/// and the server refuses to list a peer's names anyway
/// (`agent/consul/catalog_endpoint.go` `ListServices`: "listing service names
/// imported from a peer is not supported").
pub(crate) async fn catalog_services(r: ApiReq) -> ApiResult {
    r.wait_on(TABLE).await?;
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut filtered = false;
    for s in instances(&st, &r.sim.cfg.datacenter, None) {
        if !authz.allowed("service", Access::Read, Some(&s.inst.service)) {
            filtered = true;
            continue;
        }
        out.entry(s.inst.service.clone())
            .or_default()
            .extend(s.inst.tags.iter().cloned());
    }
    let out: BTreeMap<String, Vec<String>> = out
        .into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect();
    Ok(json_list(&r.q, &out, Some(st.table(TABLE)), filtered))
}

/// `GET /v1/catalog/service/:name`
pub(crate) async fn catalog_service(r: ApiReq, Path(name): Path<String>) -> ApiResult {
    r.wait_on(TABLE).await?;
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    let mut filtered = false;
    let list: Vec<Value> = instances(&st, &r.sim.cfg.datacenter, peer_param(&r.q))
        .into_iter()
        .filter(|s| s.inst.service == name)
        .filter(|s| {
            let ok = visible(&authz, s);
            filtered |= !ok;
            ok
        })
        .map(|s| catalog_service_json(&s))
        .collect();
    Ok(json_list(&r.q, &list, Some(st.table(TABLE)), filtered))
}

/// `GET /v1/health/service/:name`
pub(crate) async fn health_service(r: ApiReq, Path(name): Path<String>) -> ApiResult {
    r.wait_on(TABLE).await?;
    let passing_only = r.q.has("passing");
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    let mut filtered = false;
    let list: Vec<Value> = instances(&st, &r.sim.cfg.datacenter, peer_param(&r.q))
        .into_iter()
        .filter(|s| s.inst.service == name)
        .filter(|s| !passing_only || s.inst.checks.iter().all(|c| c.status == "passing"))
        .filter(|s| {
            let ok = visible(&authz, s);
            filtered |= !ok;
            ok
        })
        .map(|s| {
            json!({
                "Node": node_json(&s),
                "Service": service_json(&s),
                "Checks": s.inst.checks.iter().map(|c| check_json(&s, c)).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json_list(&r.q, &list, Some(st.table(TABLE)), filtered))
}

/// A `ServiceListingSummary` (fields in Go's order; `Kind` omitempty).
fn summary_json(
    name: &str,
    dc: &str,
    kind: &str,
    tags: Value,
    nodes: Value,
    counts: [usize; 4],
) -> Value {
    let mut v = json!({
        "Name": name,
        "Datacenter": dc,
        "Tags": tags,
        "Nodes": nodes,
        "ExternalSources": if counts[0] > 0 { json!([]) } else { Value::Null },
        "InstanceCount": counts[0],
        "ChecksPassing": counts[1],
        "ChecksWarning": counts[2],
        "ChecksCritical": counts[3],
        "GatewayConfig": {},
        "TransparentProxy": false,
        "ConnectNative": false,
        "ConnectedWithProxy": false,
        "ConnectedWithGateway": false,
    });
    if let (false, Some(o)) = (kind.is_empty(), v.as_object_mut()) {
        o.insert("Kind".into(), json!(kind));
    }
    v
}

/// `GET /v1/internal/ui/services`: local and imported service summaries
/// (`?peer=X`: only those imported from X).
pub(crate) async fn ui_services(r: ApiReq) -> ApiResult {
    r.wait_on(TABLE).await?;
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    let mut seen: Vec<Seen> = Vec::new();
    match peer_param(&r.q) {
        Some(p) => seen.extend(instances(&st, &r.sim.cfg.datacenter, Some(p))),
        None => {
            seen.extend(instances(&st, &r.sim.cfg.datacenter, None));
            for name in st.peerings.keys() {
                seen.extend(instances(&st, &r.sim.cfg.datacenter, Some(name)));
            }
        }
    }
    let mut groups: BTreeMap<(String, String), Vec<&Seen>> = BTreeMap::new();
    let mut filtered = false;
    for s in &seen {
        if !authz.allowed("service", Access::Read, Some(&s.inst.service)) {
            filtered = true;
            continue;
        }
        groups
            .entry((s.peer.unwrap_or("").to_string(), s.inst.service.clone()))
            .or_default()
            .push(s);
    }
    let list: Vec<Value> = groups
        .into_iter()
        .map(|((peer, name), items)| {
            let tags: BTreeSet<String> = items.iter().flat_map(|s| s.inst.tags.clone()).collect();
            let nodes: BTreeSet<String> = items.iter().map(|s| s.inst.node.clone()).collect();
            let count = |st: &str| {
                items
                    .iter()
                    .flat_map(|s| s.inst.checks.iter())
                    .filter(|c| c.status == st)
                    .count()
            };
            let mut v = summary_json(
                &name,
                items[0].datacenter,
                &items[0].inst.kind,
                json!(tags),
                json!(nodes),
                [
                    items.len(),
                    count("passing"),
                    count("warning"),
                    count("critical"),
                ],
            );
            if let Some(o) = v.as_object_mut() {
                if !peer.is_empty() {
                    o.insert("PeerName".into(), json!(peer));
                }
            }
            v
        })
        .collect();
    Ok(json_list(&r.q, &list, Some(st.table(TABLE)), filtered))
}

/// `GET /v1/internal/ui/exported-services?peer=X`
pub(crate) async fn ui_exported_services(r: ApiReq) -> ApiResult {
    r.wait_on(TABLE).await?;
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    let peer = peer_param(&r.q).unwrap_or("");
    let mut filtered = false;
    let list: Vec<Value> = exported_names_for_peer(&st, peer)
        .into_iter()
        .filter(|n| {
            let ok = authz.allowed("service", Access::Read, Some(n));
            filtered |= !ok;
            ok
        })
        .map(|n| {
            summary_json(
                &n,
                &r.sim.cfg.datacenter,
                "",
                Value::Null,
                Value::Null,
                [0; 4],
            )
        })
        .collect();
    Ok(json_list(
        &r.q,
        &list,
        Some(st.table("config").max(st.table(TABLE))),
        filtered,
    ))
}

/// `GET /v1/exported-services`
pub(crate) async fn exported_services(r: ApiReq) -> ApiResult {
    r.wait_on(TABLE).await?;
    let st = r.sim.lock();
    r.require(&st, "mesh", Access::Read, None)
        .map_err(ApiError::forwarded)?;
    let list: Vec<Value> = consumers_by_service(&st)
        .into_iter()
        .map(|(svc, peers)| json!({ "Service": svc, "Consumers": { "Peers": peers } }))
        .collect();
    Ok(json(&r.q, &list, Some(st.table("config"))))
}

/// `GET /v1/imported-services`
pub(crate) async fn imported_services(r: ApiReq) -> ApiResult {
    r.wait_on(TABLE).await?;
    let st = r.sim.lock();
    let authz = r.server_authz(&st)?;
    let mut filtered = false;
    let mut list = Vec::new();
    for rec in st.peerings.values() {
        if matches!(rec.state.as_str(), "DELETING" | "TERMINATED") {
            continue;
        }
        for svc in &rec.imported {
            if !authz.allowed("service", Access::Read, Some(&svc.name)) {
                filtered = true;
                continue;
            }
            list.push(json!({ "Service": svc.name, "SourcePeer": rec.name }));
        }
    }
    Ok(json_list(&r.q, &list, Some(st.table(TABLE)), filtered))
}

// --------------------------------------------------------- registration

#[derive(Deserialize, Default)]
struct RegCheck {
    #[serde(rename = "CheckID", alias = "ID", alias = "check_id", default)]
    check_id: String,
    #[serde(rename = "Name", alias = "name", default)]
    name: String,
    #[serde(rename = "Status", alias = "status", default)]
    status: String,
    #[serde(rename = "Notes", alias = "notes", default)]
    notes: String,
    #[serde(rename = "Output", alias = "output", default)]
    output: String,
    #[serde(rename = "ServiceID", alias = "service_id", default)]
    service_id: String,
}

#[derive(Deserialize, Default)]
struct RegService {
    #[serde(rename = "ID", alias = "id", default)]
    id: String,
    #[serde(
        rename = "Service",
        alias = "Name",
        alias = "service",
        alias = "name",
        default
    )]
    service: String,
    #[serde(rename = "Tags", alias = "tags", default)]
    tags: Option<Vec<String>>,
    #[serde(rename = "Address", alias = "address", default)]
    address: String,
    #[serde(rename = "Port", alias = "port", default)]
    port: u16,
    #[serde(rename = "Meta", alias = "meta", default)]
    meta: Option<BTreeMap<String, String>>,
    #[serde(rename = "Kind", alias = "kind", default)]
    kind: String,
    #[serde(rename = "TaggedAddresses", alias = "tagged_addresses", default)]
    tagged_addresses: Option<BTreeMap<String, ServiceAddress>>,
    #[serde(rename = "Check", alias = "check", default)]
    check: Option<RegCheck>,
    #[serde(rename = "Checks", alias = "checks", default)]
    checks: Option<Vec<RegCheck>>,
}

#[derive(Deserialize, Default)]
struct CatalogReg {
    #[serde(rename = "Node", alias = "node", default)]
    node: String,
    #[serde(rename = "ID", alias = "id", default)]
    id: String,
    #[serde(rename = "Address", alias = "address", default)]
    address: String,
    #[serde(rename = "NodeMeta", alias = "node_meta", default)]
    node_meta: Option<BTreeMap<String, String>>,
    #[serde(rename = "TaggedAddresses", alias = "tagged_addresses", default)]
    tagged_addresses: Option<BTreeMap<String, String>>,
    #[serde(rename = "Service", alias = "service", default)]
    service: Option<RegService>,
    #[serde(rename = "Check", alias = "check", default)]
    check: Option<RegCheck>,
    #[serde(rename = "Checks", alias = "checks", default)]
    checks: Option<Vec<RegCheck>>,
}

fn to_check(c: RegCheck, fallback_id: &str, n: usize) -> Check {
    Check {
        check_id: if c.check_id.is_empty() {
            if n == 0 {
                fallback_id.to_string()
            } else {
                format!("{fallback_id}:{}", n + 1)
            }
        } else {
            c.check_id
        },
        name: if c.name.is_empty() {
            "Service check".into()
        } else {
            c.name
        },
        status: if c.status.is_empty() {
            "critical".into()
        } else {
            c.status
        },
        notes: c.notes,
        output: c.output,
    }
}

fn decode<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    match crate::http_util::parse_body::<T>(body) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Ok(T::default()),
        Err(e) => Err(ApiError::bad_request(format!("Request decode failed: {e}"))),
    }
}

/// `PUT /v1/catalog/register`
pub(crate) async fn catalog_register(r: ApiReq, body: Bytes) -> ApiResult {
    let req: CatalogReg = decode(&body)?;
    if req.node.is_empty() || req.address.is_empty() {
        return Err(ApiError::bad_request(if req.node.is_empty() {
            "Must provide node"
        } else {
            "Must provide address"
        }));
    }
    let mut st = r.sim.lock();
    let authz = r
        .require(&st, "node", Access::Write, Some(&req.node))
        .map_err(ApiError::forwarded)?;
    let Some(svc) = req.service else {
        return Ok(json(&r.q, &true, None));
    };
    if svc.service.is_empty() {
        return Err(ApiError::bad_request("Must provide service name"));
    }
    authz
        .check("service", Access::Write, Some(&svc.service))
        .map_err(|e| ApiError::internal(e).forwarded())?;
    let service_id = if svc.id.is_empty() {
        svc.service.clone()
    } else {
        svc.id.clone()
    };
    let mut raw_checks: Vec<RegCheck> = req.checks.unwrap_or_default();
    if let Some(c) = req.check {
        raw_checks.push(c);
    }
    raw_checks.retain(|c| c.service_id.is_empty() || c.service_id == service_id);
    let checks = raw_checks
        .into_iter()
        .enumerate()
        .map(|(n, c)| to_check(c, &format!("service:{service_id}"), n))
        .collect();
    let node_id = if req.id.is_empty() {
        st.services
            .iter()
            .find(|s| s.node == req.node)
            .map(|s| s.node_id.clone())
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
    } else {
        req.id.clone()
    };
    let inst = ServiceInstance {
        node: req.node,
        node_id,
        address: req.address,
        node_meta: req.node_meta.unwrap_or_default(),
        service_id,
        service: svc.service,
        tags: svc.tags.unwrap_or_default(),
        service_address: svc.address,
        port: svc.port,
        service_meta: svc.meta.unwrap_or_default(),
        kind: svc.kind,
        tagged_addresses: svc.tagged_addresses.unwrap_or_default(),
        node_tagged_addresses: req.tagged_addresses.unwrap_or_default(),
        checks,
        create_index: 0,
        modify_index: 0,
    };
    r.sim.register(&mut st, inst);
    Ok(json(&r.q, &true, None))
}

#[derive(Deserialize, Default)]
struct DeregReq {
    #[serde(rename = "Node", alias = "node", default)]
    node: String,
    #[serde(rename = "ServiceID", alias = "service_id", default)]
    service_id: String,
}

/// `PUT /v1/catalog/deregister`
pub(crate) async fn catalog_deregister(r: ApiReq, body: Bytes) -> ApiResult {
    let req: DeregReq = decode(&body)?;
    if req.node.is_empty() {
        return Err(ApiError::bad_request("Must provide node"));
    }
    let mut st = r.sim.lock();
    r.require(&st, "node", Access::Write, Some(&req.node))
        .map_err(ApiError::forwarded)?;
    let before = st.services.len();
    st.services.retain(|s| {
        !(s.node == req.node && (req.service_id.is_empty() || s.service_id == req.service_id))
    });
    if st.services.len() != before {
        r.sim.commit(&mut st, &[TABLE]);
        r.sim.push_soon();
    }
    Ok(json(&r.q, &true, None))
}

/// `PUT /v1/agent/service/register`
pub(crate) async fn agent_register(r: ApiReq, body: Bytes) -> ApiResult {
    let svc: RegService = decode(&body)?;
    if svc.service.is_empty() {
        return Err(ApiError::bad_request("Missing service name"));
    }
    let mut st = r.sim.lock();
    r.require(&st, "service", Access::Write, Some(&svc.service))?;
    let service_id = if svc.id.is_empty() {
        svc.service.clone()
    } else {
        svc.id.clone()
    };
    let mut raw_checks = svc.checks.unwrap_or_default();
    if let Some(c) = svc.check {
        raw_checks.insert(0, c);
    }
    let checks = raw_checks
        .into_iter()
        .enumerate()
        .map(|(n, c)| to_check(c, &format!("service:{service_id}"), n))
        .collect();
    let inst = ServiceInstance {
        node: r.sim.cfg.node_name.clone(),
        node_id: st.node_id.clone(),
        address: "127.0.0.1".into(),
        node_meta: BTreeMap::new(),
        service_id,
        service: svc.service,
        tags: svc.tags.unwrap_or_default(),
        service_address: svc.address,
        port: svc.port,
        service_meta: svc.meta.unwrap_or_default(),
        kind: svc.kind,
        tagged_addresses: svc.tagged_addresses.unwrap_or_default(),
        checks,
        ..Default::default()
    };
    r.sim.register(&mut st, inst);
    Ok(empty_ok())
}

/// `PUT /v1/agent/service/deregister/:id`
pub(crate) async fn agent_deregister(r: ApiReq, Path(id): Path<String>) -> ApiResult {
    let mut st = r.sim.lock();
    let authz = r.authz(&st)?;
    let node = r.sim.cfg.node_name.clone();
    let Some(pos) = st
        .services
        .iter()
        .position(|s| s.node == node && s.service_id == id)
    else {
        return Err(ApiError::not_found(format!("Unknown service ID {id:?}. Ensure that the service ID is passed, not the service name.")));
    };
    let name = st.services[pos].service.clone();
    authz
        .check("service", Access::Write, Some(&name))
        .map_err(ApiError::internal)?;
    st.services.remove(pos);
    r.sim.commit(&mut st, &[TABLE]);
    r.sim.push_soon();
    Ok(empty_ok())
}

/// Registers the `consul` service of this server, as every Consul has.
pub(crate) fn ensure_consul_service(sim: &Sim) {
    let mut st = sim.lock();
    if st.services.iter().any(|s| s.service == "consul") {
        return;
    }
    let inst = ServiceInstance {
        node: sim.cfg.node_name.clone(),
        node_id: st.node_id.clone(),
        address: "127.0.0.1".into(),
        service_id: "consul".into(),
        service: "consul".into(),
        port: 8300,
        checks: vec![Check {
            check_id: "serfHealth".into(),
            name: "Serf Health Status".into(),
            status: "passing".into(),
            notes: String::new(),
            output: "Agent alive and reachable".into(),
        }],
        ..Default::default()
    };
    sim.register(&mut st, inst);
}
