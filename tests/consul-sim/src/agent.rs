//! `GET /v1/agent/self`.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use serde_json::json;

use crate::acl::{self, Access};
use crate::http_util::{json, ApiError, ApiResult, Query};
use crate::state::Sim;

/// `GET /v1/agent/self` (needs `agent:read` on this node when ACLs are on).
pub async fn agent_self(
    State(sim): State<Arc<Sim>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> ApiResult {
    let q = Query::parse(raw.as_deref());
    let node_id = {
        let st = sim.lock();
        acl::resolve_plain(&sim, &st, &q, &headers)?
            .check("agent", Access::Read, Some(&sim.cfg.node_name))
            .map_err(ApiError::internal)?;
        st.node_id.clone()
    };
    let addr = sim.addr();
    let (host, port) = addr.rsplit_once(':').unwrap_or(("127.0.0.1", "8500"));
    let port: u16 = port.parse().unwrap_or(8500);
    let dc = &sim.cfg.datacenter;
    let body = json!({
        "Config": {
            "Datacenter": dc,
            "PrimaryDatacenter": dc,
            "NodeName": sim.cfg.node_name,
            "NodeID": node_id,
            "Revision": "consul-sim",
            "Server": true,
            "Version": "1.20.0",
            "BuildDate": "2024-10-14T00:00:00Z"
        },
        "DebugConfig": {
            "Datacenter": dc,
            "PrimaryDatacenter": dc,
            "NodeName": sim.cfg.node_name,
            "NodeID": node_id,
            "ACLsEnabled": sim.cfg.acls_enabled(),
            "ACLResolverSettings": { "ACLDefaultPolicy": if sim.cfg.acls_enabled() { "deny" } else { "allow" } },
            "PeeringEnabled": sim.cfg.peering_enabled,
            "ConnectEnabled": true,
            "UIConfig": { "Enabled": true }
        },
        "Coord": { "Vec": [0, 0, 0, 0, 0, 0, 0, 0], "Error": 1.5, "Adjustment": 0, "Height": 0.00001 },
        "Member": {
            "Name": sim.cfg.node_name,
            "Addr": host,
            "Port": port,
            "Tags": {
                "dc": dc,
                "role": "consul",
                "id": node_id,
                "build": "1.20.0:consul-sim",
                "vsn": "2"
            },
            "Status": 1,
            "ProtocolMin": 1,
            "ProtocolMax": 5,
            "ProtocolCur": 2,
            "DelegateMin": 2,
            "DelegateMax": 5,
            "DelegateCur": 4
        },
        "Stats": {},
        "Meta": { "consul-network-segment": "", "consul-version": "1.20.0" },
        "xDS": null
    });
    Ok(json(&q, &body, None))
}

/// `GET /v1/status/leader`: this single server, on Consul's server RPC port.
pub async fn status_leader(RawQuery(raw): RawQuery) -> ApiResult {
    let q = Query::parse(raw.as_deref());
    Ok(json(&q, &"127.0.0.1:8300", None))
}

/// `GET /v1/status/peers`
pub async fn status_peers(RawQuery(raw): RawQuery) -> ApiResult {
    let q = Query::parse(raw.as_deref());
    Ok(json(&q, &["127.0.0.1:8300"], None))
}

/// `GET /v1/catalog/datacenters`: only this one (there is no WAN federation).
pub async fn datacenters(State(sim): State<Arc<Sim>>, RawQuery(raw): RawQuery) -> ApiResult {
    let q = Query::parse(raw.as_deref());
    Ok(json(&q, std::slice::from_ref(&sim.cfg.datacenter), None))
}
